"""scripts/build_assets.py: GOV.UK Frontend is vendored without the GDS Transport font or the crown."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.services import missing

ROOT = Path(__file__).resolve().parent.parent


def load_build_assets():
    spec = importlib.util.spec_from_file_location("build_assets", ROOT / "scripts" / "build_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_assets = load_build_assets()

SAMPLE_CSS = (
    "/*! Copyright (c) 2011 by Margaret Calvert & Henrik Kubel. All rights reserved. */"
    '@font-face{font-family:GDS Transport;src:url(/assets/fonts/light.woff2) format("woff2")}'
    ".govuk-body{font-family:GDS Transport,arial,sans-serif}"
    '.govuk-footer{font-family:"GDS Transport", arial, sans-serif}'
    ".govuk-footer__copyright-logo{background-image:url(/assets/images/govuk-crest.svg)}"
    ".app{background:url(/assets/images/other.png)}"
)


def test_rewrite_removes_the_font_and_the_crest_and_makes_urls_relative():
    css = build_assets.rewrite_css(SAMPLE_CSS)
    assert "GDS Transport" not in css
    assert "Margaret Calvert" not in css
    assert "@font-face" not in css
    assert ".govuk-body{font-family:arial,sans-serif}" in css
    assert ".govuk-footer{font-family:arial, sans-serif}" in css
    assert "background-image:none" in css
    assert "url(assets/images/other.png)" in css
    assert "/assets/" not in css


def test_crown_and_font_assets_are_not_copied():
    excluded = build_assets.EXCLUDED_ASSETS
    for name in (
        "fonts/bold-b542beb274-v2.woff2",
        "images/govuk-crest.svg",
        "images/favicon.ico",
        "manifest.json",
    ):
        assert excluded.match(name), name
    assert not excluded.match("images/some-unbranded-icon.svg")


def test_vendored_files_carry_no_gov_uk_branding():
    target = build_assets.TARGET
    if not (target / "govuk-frontend.min.css").is_file():
        missing("static/vendor/govuk is not built: run `make assets`")
    css = (target / "govuk-frontend.min.css").read_text(encoding="utf-8")
    assert "GDS Transport" not in css and "url(/assets/" not in css
    for name in build_assets.COPIED_FILES:
        assert (target / name).is_file(), name
    shipped = {path.name for path in target.rglob("*") if path.is_file()}
    assert not {name for name in shipped if "crest" in name or name.endswith((".woff", ".woff2"))}


def test_missing_npm_gives_a_clear_message(tmp_path, monkeypatch):
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "package-lock.json").write_text("{}")
    monkeypatch.setattr(build_assets, "PACKAGE_FILE", tmp_path / "package.json")
    monkeypatch.setattr(build_assets, "LOCK_FILE", tmp_path / "package-lock.json")
    monkeypatch.setattr(build_assets, "NODE_MODULES", tmp_path / "node_modules")
    monkeypatch.setattr(build_assets.shutil, "which", lambda name: None)
    with pytest.raises(build_assets.BuildError, match="npm is not installed"):
        build_assets.ensure_node_modules()


def test_npm_is_not_run_when_node_modules_is_newer_than_the_lock(tmp_path, monkeypatch):
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "package-lock.json").write_text("{}")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / ".package-lock.json").write_text("{}")
    monkeypatch.setattr(build_assets, "PACKAGE_FILE", tmp_path / "package.json")
    monkeypatch.setattr(build_assets, "LOCK_FILE", tmp_path / "package-lock.json")
    monkeypatch.setattr(build_assets, "NODE_MODULES", tmp_path / "node_modules")

    def fail(*args, **kwargs):
        raise AssertionError("npm should not run")

    monkeypatch.setattr(build_assets.subprocess, "run", fail)
    build_assets.ensure_node_modules()
