"""The authorisation matrix (ASVS V8; OWASP Authorization Testing Automation).

- every URL pattern the project has is in tests/security/authorisation_matrix.yaml;
- every (pattern, method, object, persona) cell gets the outcome the file says, and never a server error.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import yaml
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.security import matrix as m
from tests.security.admin_matrix import admin_entries
from tests.security.catalogue import PAGES


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url_pattern_keys() -> set[str]:
    """Every URL pattern as `name` (or `namespace:name`), with `[format]` for format-suffix variants.

    A pattern without a name is known by its route within its namespace (the admin's /<id>/ redirect of each
    model and its catch-all page are unnamed)."""
    keys: set[str] = set()

    def walk(patterns, namespace: str | None, route: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace:
                    walk(pattern.url_patterns, pattern.namespace, "")
                else:
                    walk(pattern.url_patterns, namespace, route + str(pattern.pattern))
                continue
            assert isinstance(pattern, URLPattern)
            name = pattern.name or route + str(pattern.pattern)
            key = f"{namespace}:{name}" if namespace else name
            if "format" in pattern.pattern.regex.groupindex:
                key += "[format]"
            keys.add(key)

    walk(get_resolver().url_patterns, None, "")
    return keys


def test_every_url_pattern_is_in_the_matrix():
    matrix = m.load_matrix()
    patterns = url_pattern_keys()
    missing = sorted(patterns - set(matrix))
    assert missing == [], f"URL patterns missing from {m.MATRIX_FILE.name} or admin_matrix.py: {missing}"
    stale = sorted(set(matrix) - patterns)
    assert stale == [], f"entries for URL patterns that no longer exist: {stale}"


def test_every_admin_entry_is_tried_on_the_pattern_it_stands_for(world):
    planted = m.plant(world)
    for name, entry in admin_entries().items():
        for method in entry["methods"]:
            for obj in m.objects_for(entry, method):
                match = resolve(m.build_path(entry, planted, obj))
                key = "admin:" + (match.url_name or match.route.removeprefix("admin/"))
                assert key == name, (name, obj, m.build_path(entry, planted, obj))


def test_the_admin_is_specified_in_one_place_only():
    in_file = yaml.safe_load(m.MATRIX_FILE.read_text(encoding="utf-8"))
    assert sorted(set(in_file) & set(admin_entries())) == []


def test_every_cell_of_the_matrix_names_each_persona_or_a_default():
    for name, entry in m.load_matrix().items():
        for method, rule in entry["methods"].items():
            for obj, table in rule.items():
                assert obj in m.OBJECTS or obj == "all", (name, method, obj)
                if isinstance(table, dict):
                    assert "default" in table, (name, method, obj)
                    assert set(table) - {"default"} <= set(m.PERSONAS), (name, method, obj)


# Who can see which area, from the personas' memberships: the file may never say otherwise.
BLIND_TO_OTHER_AREA = ("officer", "health_officer", "manager", "chair", "pcf", "adviser")
BLIND_TO_OWN_AREA = ("other_officer", "adviser_elsewhere")
LET_THROUGH = ("ok", "400", "409")
# The calendar feed is authenticated by the secret in its URL, not by the session: see test_leaks.py.
TOKEN_URLS = {"calendar_feed"}


def test_the_matrix_itself_never_lets_anyone_into_an_area_they_cannot_see():
    problems = []
    for name, entry in m.load_matrix().items():
        if name in TOKEN_URLS:
            continue
        for method in entry["methods"]:
            for obj in m.objects_for(entry, method):
                blind = {"other_area": BLIND_TO_OTHER_AREA, "own": BLIND_TO_OWN_AREA}.get(obj, ())
                if obj == "same_area_other_org":
                    blind = BLIND_TO_OWN_AREA
                if obj != "none":
                    blind = (*blind, "anonymous", "deactivated")
                for persona in blind:
                    if m.expected(entry, method, obj, persona) in LET_THROUGH:
                        problems.append(f"{method} {name} [{obj}] lets {persona} through")
                for persona in m.PERSONAS:
                    if m.expected(entry, method, obj, persona).startswith("error"):
                        problems.append(f"{method} {name} [{obj}] expects a server error for {persona}")
    assert problems == []


def observe(world) -> dict:
    planted = m.plant(world)
    results = {}
    for name, (path, methods, objects, api) in PAGES.items():
        entry = {"path": path, "api": api}
        results[name] = {}
        for method in methods:
            for obj in objects:
                for persona in m.PERSONAS:
                    results[name][(method, obj, persona)] = m.request(world, planted, entry, method, obj, persona)
    return results


def compact(observed: dict) -> dict:
    matrix = {}
    for name, cells in observed.items():
        path, methods, objects, api = PAGES[name]
        entry: dict = {"path": path}
        if api:
            entry["api"] = True
        entry["methods"] = {}
        for method in methods:
            rows = {}
            for obj in objects:
                outcomes = {persona: cells[(method, obj, persona)] for persona in m.PERSONAS}
                default = Counter(outcomes.values()).most_common(1)[0][0]
                exceptions = {p: o for p, o in outcomes.items() if o != default}
                rows[obj] = {"default": default, **exceptions} if exceptions else default
            entry["methods"][method] = rows
        matrix[name] = entry
    return matrix


@pytest.mark.skipif(not os.environ.get("AUTH_MATRIX_WRITE"), reason="set AUTH_MATRIX_WRITE=1 to rewrite the matrix")
def test_write_matrix_from_observed_outcomes(world):
    matrix = compact(observe(world))
    header = (m.__doc__ or "").strip().splitlines()
    text = "\n".join(f"# {line}".rstrip() for line in header) + "\n"
    text += yaml.safe_dump(matrix, sort_keys=False, width=120)
    m.MATRIX_FILE.write_text(text, encoding="utf-8")


def test_the_matrix_holds(world):
    matrix = m.load_matrix()
    planted = m.plant(world)
    wrong = []
    for name, entry in matrix.items():
        for method in entry["methods"]:
            for obj in m.objects_for(entry, method):
                for persona in m.PERSONAS:
                    want = m.expected(entry, method, obj, persona)
                    got = m.request(world, planted, entry, method, obj, persona)
                    if got != want:
                        wrong.append(f"{method} {name} [{obj}] as {persona}: expected {want}, got {got}")
    assert wrong == [], "\n".join(wrong)


# The roles as docs/security.md and ../shared/DESIGN.md state them, written out without looking at the code, for
# the pages that act on a plan, an action or its evidence. The matrix file must agree with them.
SEES = {
    "own": {"officer", "health_officer", "manager", "chair", "pcf", "adviser", "admin"},
    "same_area_other_org": {"officer", "health_officer", "manager", "chair", "pcf", "adviser", "admin"},
    "other_area": {"other_officer", "adviser_elsewhere", "admin"},
}
MANAGES = {"own": {"manager", "admin"}, "same_area_other_org": {"manager", "admin"}, "other_area": {"admin"}}
LEAD_OFFICER = {"own": {"officer"}, "same_area_other_org": {"health_officer"}, "other_area": {"other_officer"}}
# People of the organisation that leads the action (the council, the ICB, the other council).
LEAD_ORGANISATION = {
    "own": {"officer", "manager"},
    "same_area_other_org": {"health_officer"},
    "other_area": {"other_officer"},
}
BOARD = {"own": {"chair", "pcf"}, "same_area_other_org": {"chair", "pcf"}, "other_area": set()}


def documented_permission(url_name: str, obj: str, persona: str) -> bool:
    if url_name in ("plan_detail", "action_detail", "evidence_download", "plan_export"):
        return persona in SEES[obj]
    if url_name == "progress_update_create":  # the lead and supporting organisations' people, plan managers
        return persona in MANAGES[obj] | LEAD_ORGANISATION[obj] | LEAD_OFFICER[obj]
    if url_name in ("action_edit", "action_complete"):  # the lead officer, plan managers
        return persona in MANAGES[obj] | LEAD_OFFICER[obj]
    if url_name in ("action_create", "action_revise_due_date", "action_cancel", "plan_import"):
        return persona in MANAGES[obj]
    if url_name in ("action_sign_off", "action_send_back"):  # board members, never of an action they lead
        return persona in BOARD[obj] - LEAD_OFFICER[obj]
    raise KeyError(url_name)


DOCUMENTED = (
    "plan_detail",
    "action_detail",
    "evidence_download",
    "plan_export",
    "progress_update_create",
    "action_edit",
    "action_complete",
    "action_create",
    "action_revise_due_date",
    "action_cancel",
    "plan_import",
    "action_sign_off",
    "action_send_back",
)


def test_the_matrix_agrees_with_the_documented_roles():
    matrix = m.load_matrix()
    disagreements = []
    for name in DOCUMENTED:
        entry = matrix[name]
        method = "GET" if "GET" in entry["methods"] else "POST"
        for obj in ("own", "same_area_other_org", "other_area"):
            if obj not in entry["methods"][method]:
                continue
            for persona in m.PERSONAS:
                if persona in ("anonymous", "deactivated"):
                    want = {"login"}
                elif documented_permission(name, obj, persona):
                    want = set(LET_THROUGH)
                elif persona in SEES[obj]:
                    want = {"403"}
                else:
                    want = {"404"}
                got = m.expected(entry, method, obj, persona)
                if got not in want:
                    disagreements.append(f"{method} {name} [{obj}] {persona}: documented {sorted(want)}, file {got}")
    assert disagreements == [], "\n".join(disagreements)
