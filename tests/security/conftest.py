from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def api_throttling_off(monkeypatch):
    """These tests make many API requests on purpose; throttling itself is tested in tests/api.

    DRF views take their throttle classes when they are imported, so changing the setting in a test does not
    reach them: the throttle is told to allow everything instead.
    """
    from api.throttling import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "allow_request", lambda self, request, view: True)
    cache.clear()
    yield
    cache.clear()
