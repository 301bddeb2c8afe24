"""Schemathesis over the whole API schema with each persona's token: no server error, responses match the schema.

tests/api/test_schema_fuzz.py fuzzes as a plan manager, with valid and invalid input; this runs valid input as
every other persona (their permissions give other answers: 403, 404, empty lists), and any input without a
valid token.
"""

from __future__ import annotations

import pytest
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.services import api_token_create
from tests.api.test_schema_fuzz import fuzz as api_fuzz
from tests.api.test_schema_fuzz import operations, populated, throttle_off, wsgi_keeps_the_test_connection  # noqa: F401

pytestmark = pytest.mark.django_db
EXAMPLES = 5
PERSONAS = ["officer", "health_officer", "other_officer", "chair", "pcf", "adviser", "adviser_elsewhere", "admin"]


def fuzz(headers: dict[str, str], mode: GenerationMode, checks: list) -> None:
    api_fuzz(operations(), headers, mode, checks, EXAMPLES)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_gets_schema_conforming_answers_and_no_server_error(
    world,
    populated,  # noqa: F811
    throttle_off,  # noqa: F811
    wsgi_keeps_the_test_connection,  # noqa: F811
    persona,
):
    _, key = api_token_create(user=getattr(world, persona), name="fuzz")
    fuzz({"Authorization": f"Bearer {key}"}, GenerationMode.POSITIVE, [not_a_server_error, response_schema_conformance])


@pytest.mark.parametrize("who", ["anonymous", "deactivated", "made-up token"])
def test_requests_without_a_valid_token_never_cause_a_server_error(
    world,
    populated,  # noqa: F811
    throttle_off,  # noqa: F811
    wsgi_keeps_the_test_connection,  # noqa: F811
    who,
):
    headers = {}
    if who == "deactivated":
        _, key = api_token_create(user=world.deactivated, name="fuzz")
        headers = {"Authorization": f"Bearer {key}"}
    elif who == "made-up token":
        headers = {"Authorization": "Bearer not-a-real-token-at-all"}
    fuzz(headers, GenerationMode.NEGATIVE, [not_a_server_error])
