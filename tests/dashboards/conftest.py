from __future__ import annotations

from pathlib import Path

import pytest
from django.template import TemplateDoesNotExist
from django.template.loader import get_template


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The personas' passwords are hashed with the production hasher otherwise, seconds per test on a small machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def page_frame(settings):
    """Pages extend base.html; until the real one is on this branch, a minimal stand-in is used."""
    try:
        get_template("base.html")
    except TemplateDoesNotExist:
        templates = [dict(settings.TEMPLATES[0])]
        templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
        settings.TEMPLATES = templates
