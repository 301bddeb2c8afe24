from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.services import api_token_create


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    # Throttle counts live in the cache; each test starts with a full allowance.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_as():
    """An API client authenticated with a new personal token of the given user."""

    def make(user) -> APIClient:
        client = APIClient()
        _, key = api_token_create(user=user, name="tests")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return make
