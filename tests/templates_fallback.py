"""Until the real templates/base.html is on this branch, page tests render with a minimal stand-in.

Once base.html exists, the fixture does nothing, so the real layout is what the tests render.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

STUB_DIR = Path(__file__).parent / "stub_templates"


@pytest.fixture(autouse=True)
def base_template(settings):
    try:
        get_template("base.html")
    except TemplateDoesNotExist:
        templates = [dict(engine) for engine in settings.TEMPLATES]
        templates[0] = {**templates[0], "DIRS": [*templates[0]["DIRS"], STUB_DIR]}
        settings.TEMPLATES = templates


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas each get a password; the production hasher's cost would dominate these tests' run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
