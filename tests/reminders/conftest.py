from __future__ import annotations

from pathlib import Path

import pytest

# Stand-ins for the project's base.html and GOV.UK table, used only while those are not on this branch: the
# project's own templates come first in DIRS and win as soon as they exist.
FALLBACK_TEMPLATES = Path(__file__).parent / "fallback_templates"


@pytest.fixture(autouse=True)
def fallback_templates(settings):
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], FALLBACK_TEMPLATES]
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas' passwords are hashed once each; the slow production hasher adds seconds to every test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
