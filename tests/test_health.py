from __future__ import annotations

import pytest

from send_tracker.celery import app


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.fixture
def unreachable_broker():
    # Port 9 on loopback: nothing listens there, so the broker genuinely cannot be reached.
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    yield
    app.conf.broker_url = original


def test_healthz_answers_503_when_the_broker_is_down(client, db, unreachable_broker):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")
