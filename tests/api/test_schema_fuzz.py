"""Schemathesis against the published OpenAPI schema, in-process against the WSGI application: no input,
valid or not, may produce a server error. The number of examples is bounded so the run stays short."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.services import api_token_create
from tests import factories as f

pytestmark = pytest.mark.django_db
EXAMPLES = 12


@pytest.fixture
def populated(world):
    plan = f.ActionPlanFactory(area=world.area)
    finding = f.FindingFactory(inspection=plan.inspection)
    action = f.ActionFactory(plan=plan, lead_officer=world.officer, findings=[finding], due_date=dt.date(2030, 1, 1))
    f.ProgressUpdateFactory(action=action, author=world.officer)
    f.MeasureValueFactory(measure=f.MeasureFactory(area=world.area))
    return action


@pytest.fixture
def wsgi_keeps_the_test_connection():
    # A WSGI request ends by closing the database connection, which would end the test's transaction; Django's
    # test client avoids that the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def throttle_off(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}


def operations():
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    return [result.ok() for result in schema.get_all_operations()]


def fuzz(found, headers: dict[str, str], mode: GenerationMode, checks: list, examples: int) -> None:
    """Run each operation's generated requests with `headers`, applying `checks` to every response."""
    for operation in found:

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=checks)

        check()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_makes_the_api_fail(world, populated, throttle_off, wsgi_keeps_the_test_connection, mode):
    _, key = api_token_create(user=world.manager, name="fuzz")
    headers = {"Authorization": f"Bearer {key}"}
    found = operations()
    assert len(found) >= 15

    checks = [not_a_server_error] + ([response_schema_conformance] if mode == GenerationMode.POSITIVE else [])
    fuzz(found, headers, mode, checks, EXAMPLES)
