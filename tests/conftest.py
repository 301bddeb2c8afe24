"""Shared personas: two areas, and one user for each role the access rules know."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import Membership
from inspections.models import Organisation

from . import factories as f
from .services import postgres_problem

Role = Membership.Role


def uses_postgres(item: pytest.Item) -> bool:
    # pytest-django's database fixtures all build on django_db_setup; the django_db marker asks for them only
    # when the test runs, so it is looked for too.
    return (
        item.get_closest_marker("django_db") is not None
        or item.get_closest_marker("postgres") is not None
        or "django_db_setup" in getattr(item, "fixturenames", ())
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    """Stop with one clear message, in CI and on a laptop alike, when the tests chosen need PostgreSQL and no
    server answers: SEND Tracker cannot run without it, and one connection error per test would bury the cause."""
    if session.config.option.collectonly or not any(uses_postgres(item) for item in session.items):
        return
    problem = postgres_problem()
    if problem:
        pytest.exit(problem, returncode=pytest.ExitCode.TESTS_FAILED)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every persona gets a password; the production hasher's deliberate slowness would dominate the run time.
    # The production hasher stays listed so passwords set outside a test (shared fixtures) still verify.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@dataclass
class World:
    area: object  # "Northshire": the area the personas work in
    other_area: object  # "Southshire": a different area, which they must never see
    council: object
    icb: object
    other_council: object
    officer: object  # action officer at the council
    health_officer: object  # action officer at the ICB, a partner in the same area
    manager: object  # plan manager at the council
    chair: object  # independent chair of the area's board
    pcf: object  # parent carer forum representative on the board
    other_officer: object  # action officer in the other area
    adviser: object  # DfE adviser with the area in their caseload
    adviser_elsewhere: object  # NHS England adviser whose caseload is only the other area
    admin: object
    deactivated: object  # a former officer at the council


@pytest.fixture
def world(db) -> World:
    area = f.LocalAreaFactory(name="Northshire", slug="northshire")
    other_area = f.LocalAreaFactory(name="Southshire", slug="southshire")
    icb = f.OrganisationFactory(name="NHS Northshire ICB", kind=Organisation.Kind.ICB)
    f.AreaPartnerFactory(area=area, organisation=icb)
    dfe = f.OrganisationFactory(name="Department for Education", kind=Organisation.Kind.DFE)
    nhse = f.OrganisationFactory(name="NHS England", kind=Organisation.Kind.NHS_ENGLAND)
    board = f.OrganisationFactory(name="Independent chairs", kind=Organisation.Kind.OTHER)
    forum = f.OrganisationFactory(name="Northshire Parent Carer Forum", kind=Organisation.Kind.PARENT_CARER_FORUM)

    def person(username: str, organisation, role: str, **extra):
        return f.MembershipFactory(user__username=username, organisation=organisation, role=role, **extra).user

    deactivated = person("former", area.council, Role.ACTION_OFFICER)
    deactivated.is_active = False
    deactivated.save()
    return World(
        area=area,
        other_area=other_area,
        council=area.council,
        icb=icb,
        other_council=other_area.council,
        officer=person("officer", area.council, Role.ACTION_OFFICER),
        health_officer=person("health", icb, Role.ACTION_OFFICER),
        manager=person("manager", area.council, Role.PLAN_MANAGER),
        chair=person("chair", board, Role.BOARD_MEMBER, is_independent_chair=True, areas=[area]),
        pcf=person("pcf", forum, Role.BOARD_MEMBER, is_parent_carer_forum_rep=True, areas=[area]),
        other_officer=person("other", other_area.council, Role.ACTION_OFFICER),
        adviser=person("adviser", dfe, Role.ADVISER, areas=[area]),
        adviser_elsewhere=person("adviser2", nhse, Role.ADVISER, areas=[other_area]),
        admin=person("admin", board, Role.ADMINISTRATOR),
        deactivated=deactivated,
    )


@pytest.fixture(autouse=True)
def force_login_passes_second_factor(monkeypatch):
    """`client.force_login(user)` also passes the second factor, as it already skips the password.

    Tests about pages and permissions sign plan managers and administrators in this way; the two-factor policy
    itself is tested through the real sign-in form in tests/accounts/test_two_factor.py, which does not use it.
    """
    from django.test import Client

    from accounts.access import clear_cache, requires_second_factor

    from .two_factor import verify_session

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if requires_second_factor(user):
            verify_session(self, user)
        clear_cache(user)

    monkeypatch.setattr(Client, "force_login", force_login)
