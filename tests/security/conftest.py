from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def api_throttling_off(settings):
    # These tests make many API requests on purpose; throttling is tested in tests/api. The cache holds the
    # throttle history, so it is emptied too, or requests from earlier tests would count against these.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    cache.clear()
    yield
    cache.clear()
