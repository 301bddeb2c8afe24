"""The account page for API tokens, the schema and the documentation page."""

from __future__ import annotations

import re

import pytest
import yaml
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_create

pytestmark = pytest.mark.django_db


def test_a_user_creates_a_token_and_sees_it_once(client, world):
    client.force_login(world.officer)

    response = client.post(reverse("api_tokens"), {"name": "Power BI board report"})

    key = response.context["new_key"]
    assert key.startswith("st_")
    assert key.encode() in response.content
    token = ApiToken.objects.get(user=world.officer)
    assert token.key_hash != key and key not in token.key_hash
    later = client.get(reverse("api_tokens"))
    assert key.encode() not in later.content
    assert token.prefix.encode() in later.content
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/areas/").status_code == 200


def test_a_token_needs_a_name(client, world):
    client.force_login(world.officer)
    response = client.post(reverse("api_tokens"), {"name": ""})

    assert b"Enter a name for the token." in response.content
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_token(client, world):
    token, key = api_token_create(user=world.officer, name="Excel")
    client.force_login(world.officer)

    response = client.post(reverse("api_token_revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert list(client.get(reverse("api_tokens")).context["tokens"]) == []


def test_nobody_revokes_someone_elses_token(client, world):
    token, _ = api_token_create(user=world.officer, name="Excel")
    client.force_login(world.manager)

    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_page_needs_sign_in(client):
    assert client.get(reverse("api_tokens")).status_code == 302


def test_the_schema_is_openapi_3_listing_the_endpoints(client):
    response = client.get("/api/schema/")
    schema = yaml.safe_load(response.content)

    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/actions/", "/api/v1/actions/{id}/", "/api/v1/progress-updates/"} <= set(schema["paths"])
    assert "patch" in schema["paths"]["/api/v1/actions/{id}/"]
    assert "409" in schema["paths"]["/api/v1/actions/{id}/"]["patch"]["responses"]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"


def test_the_documentation_page_is_rendered_on_the_server(client):
    response = client.get(reverse("api_docs"))

    assert response.status_code == 200
    assert b"/api/v1/actions/{id}/" in response.content
    assert b"due_date_reason" in response.content
    # Only the site's own external module script; nothing inline and nothing from a CDN.
    scripts = re.findall(rb"<script[^>]*>", response.content)
    assert all(b'src="/static/' in tag for tag in scripts), scripts
