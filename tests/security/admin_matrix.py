"""The Django admin's part of the authorisation matrix, generated from the admin's own URL patterns.

The admin site is for the service administrator alone: the `admin` persona is, like the demo's administrator, an
administrator whose account has staff status. Django wraps every admin view in `admin_site.admin_view`, so one
rule holds for every registered model:
- the administrator gets the page (`ok`);
- everyone else, signed in or not, is sent to the admin's sign-in page (`login`), which tells a signed-in person
  that their account may not use the admin;
- for a row that does not exist, Django's change, delete and history pages send the administrator back to the
  admin's index with a message (`admin-index`); django-simple-history's pages and the custom views answer 404;
- a few pages are refused (403) even to the administrator, where only the service's own paths may write
  (REFUSED_TO_EVERYONE below).
The rules below are written per kind of admin view. Every admin URL pattern gets an entry in the matrix from
them; a pattern of a kind not listed here (a custom view added to a ModelAdmin, say) gets none, so the URL walk
in test_authorisation_matrix.py fails until its rule is written here.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action

STAFF_ONLY = {"default": "login", "admin": "ok"}
# Django's answer to the administrator for a row id that matches nothing, on change, delete and history pages.
GONE = {"default": "login", "admin": "admin-index"}
NOT_FOUND = {"default": "login", "admin": "404"}
REFUSED = {"default": "login", "admin": "403"}

# Pages of the site itself, by URL name: (path, {method: {object: outcome}}).
SITE = {
    "admin:index": ("/admin/", {"GET": {"none": STAFF_ONLY}}),
    # The sign-in page is open to all (it is where everyone else is sent); the administrator, already in, is sent
    # on to the index. Posting it empty only shows the form's errors.
    "admin:login": (
        "/admin/login/",
        {"GET": {"none": {"default": "ok", "admin": "admin-index"}}, "POST": {"none": "ok"}},
    ),
    # Signing out is a POST, after which the administrator is at our sign-in page; anyone not in the admin is
    # sent to its index, and from there to sign in.
    "admin:logout": (
        "/admin/logout/",
        {
            "GET": {"none": {"default": "admin-index", "admin": "405"}},
            "POST": {"none": {"default": "admin-index", "admin": "login"}},
        },
    ),
    "admin:password_change": ("/admin/password_change/", {"GET": {"none": STAFF_ONLY}, "POST": {"none": STAFF_ONLY}}),
    "admin:password_change_done": ("/admin/password_change/done/", {"GET": {"none": STAFF_ONLY}}),
    # Without the field it completes, the autocomplete refuses even the administrator.
    "admin:autocomplete": ("/admin/autocomplete/", {"GET": {"none": REFUSED}}),
    "admin:jsi18n": ("/admin/jsi18n/", {"GET": {"none": STAFF_ONLY}}),
    # Our models have no public page to jump to, so "view on site" is 404 even for the administrator.
    "admin:view_on_site": (
        "/admin/r/{admin_action_type}/{admin:actions.action}/",
        {"GET": {"own": NOT_FOUND, "nonexistent": NOT_FOUND}},
    ),
    "admin:app_list": ("/admin/actions/", {"GET": {"none": STAFF_ONLY}}),
    "admin:(?P<url>.*)$": ("/admin/no-such-page/", {"GET": {"none": NOT_FOUND}}),
    "admin:auth_user_password_change": (
        "/admin/accounts/user/{admin:accounts.user}/password/",
        {
            "GET": {"own": STAFF_ONLY, "nonexistent": NOT_FOUND},
            "POST": {"own": STAFF_ONLY, "nonexistent": NOT_FOUND},
        },
    ),
    # An authenticator's secret and QR code are never shown (OTP_ADMIN_HIDE_SENSITIVE_DATA), not even to the
    # administrator: with them, one could copy another person's second factor.
    "admin:otp_totp_totpdevice_config": (
        "/admin/otp_totp/totpdevice/{admin:otp_totp.totpdevice}/config/",
        {"GET": {"own": REFUSED, "nonexistent": REFUSED}},
    ),
    "admin:otp_totp_totpdevice_qrcode": (
        "/admin/otp_totp/totpdevice/{admin:otp_totp.totpdevice}/qrcode/",
        {"GET": {"own": REFUSED, "nonexistent": REFUSED}},
    ),
}

# The pages Django makes for every registered model, by the URL name's ending (or, for the unnamed pattern that
# redirects /<id>/ to /<id>/change/, by its route): (path after the model's prefix, {method: {object: outcome}}).
# `row` stands for each kind of existing row (see ROWS_AS), `{row}` in a path for its id.
ON_A_ROW = {"row": STAFF_ONLY, "nonexistent": GONE}
PER_MODEL = {
    "changelist": ("", {"GET": {"none": STAFF_ONLY}, "POST": {"none": STAFF_ONLY}}),
    "add": ("add/", {"GET": {"none": STAFF_ONLY}, "POST": {"none": STAFF_ONLY}}),
    "history": ("{row}/history/", {"GET": ON_A_ROW}),
    "delete": ("{row}/delete/", {"GET": ON_A_ROW, "POST": ON_A_ROW}),
    "change": ("{row}/change/", {"GET": ON_A_ROW, "POST": ON_A_ROW}),
    # Redirects to the change page without looking the row up.
    "<path:object_id>/": ("{row}/", {"GET": {"row": STAFF_ONLY, "nonexistent": STAFF_ONLY}}),
    # django-simple-history's view of one past version: the row, then the history record's id.
    "simple_history": ("{row}/history/{history}/", {"GET": {"row": STAFF_ONLY, "nonexistent": NOT_FOUND}}),
}
# django-simple-history's history page answers 404, not Django's redirect, for a row that does not exist.
SIMPLE_HISTORY_PAGE = {"GET": {"row": STAFF_ONLY, "nonexistent": NOT_FOUND}}

# What even the administrator may not do in the admin, because the service's own paths must do it: (model, page,
# method). Refused with 403 whether or not the row exists.
FORM = ("GET", "POST")
REFUSED_TO_EVERYONE = {
    # Sign-in attempts are written by django-axes alone.
    *(
        (f"axes.{name}", "add", method)
        for name in ("accessattempt", "accesslog", "accessfailurelog")
        for method in FORM
    ),
    # Evidence arrives only with a progress update, whose upload checks the file.
    *(("actions.evidence", "add", method) for method in FORM),
    # Progress updates are append-only.
    ("actions.progressupdate", "change", "POST"),
    *(("actions.progressupdate", "delete", method) for method in FORM),
    # The reminders ledger changes only through the reminders services (and the delivery log's re-send).
    *(("reminders.delivery", "add", method) for method in FORM),
    ("reminders.delivery", "change", "POST"),
}


# Rows that belong to an area are tried, as everywhere else in the matrix, in the personas' area, in another
# organisation's part of it (where the row has a leading organisation) and in the other area: the model's rows
# are those the matrix plants for the URL parameter named here. Other models are tried on their first row.
ROWS_AS = {
    "actions.action": ("action", ("own", "same_area_other_org", "other_area")),
    "actions.progressupdate": ("progress_update", ("own", "same_area_other_org", "other_area")),
    "actions.evidence": ("evidence", ("own", "same_area_other_org", "other_area")),
    "reminders.delivery": ("delivery", ("own", "same_area_other_org", "other_area")),
    "api.apitoken": ("api_token", ("own", "same_area_other_org", "other_area")),
    "actions.actionplan": ("plan", ("own", "other_area")),
    "actions.measure": ("measure", ("own", "other_area")),
    "inspections.localarea": ("area_pk", ("own", "other_area")),
    "inspections.inspection": ("inspection", ("own", "other_area")),
    "inspections.finding": ("finding", ("own", "other_area")),
}


def admin_url_keys() -> dict[str, str]:
    """The matrix key of each admin URL pattern (as the walk names it) -> its route under /admin/."""
    resolver = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "admin")
    return {"admin:" + (pattern.name or route): route for pattern, route in _walk(resolver.url_patterns, "")}


def _walk(patterns, prefix: str):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield pattern, prefix + str(pattern.pattern)


def _rule(label: str, suffix: str, methods: dict) -> dict:
    """Expand `row` into the kinds of row tried for the model, and apply the refusals above."""
    rule = {}
    for method, objects in methods.items():
        by_object = {}
        for obj, table in objects.items():
            for kind in ROWS_AS.get(label, (None, ("own",)))[1] if obj == "row" else (obj,):
                by_object[kind] = REFUSED if (label, suffix, method) in REFUSED_TO_EVERYONE else table
        rule[method] = by_object
    return rule


def admin_entries() -> dict[str, dict]:
    """Matrix entries for every admin URL pattern whose kind has a rule above."""
    entries = {}
    for key, route in admin_url_keys().items():
        if key in SITE:
            path, methods = SITE[key]
            entries[key] = {"path": path, "methods": methods}
            continue
        for model, model_admin in admin.site._registry.items():
            label, prefix = model._meta.label_lower, f"{model._meta.app_label}/{model._meta.model_name}/"
            if not route.startswith(prefix):
                continue
            suffix = key.removeprefix(f"admin:{model._meta.app_label}_{model._meta.model_name}_")
            if suffix == key:  # unnamed: the route after the model's prefix names it
                suffix = route.removeprefix(prefix)
            if suffix not in PER_MODEL:
                break
            tail, methods = PER_MODEL[suffix]
            if suffix == "history" and isinstance(model_admin, SimpleHistoryAdmin):
                methods = SIMPLE_HISTORY_PAGE
            path = f"/admin/{prefix}" + tail.replace("{row}", f"{{admin:{label}}}").replace(
                "{history}", f"{{admin-history:{label}}}"
            )
            entries[key] = {"path": path, "methods": _rule(label, suffix, methods)}
            break
    return entries


def admin_placeholders(planted_values: dict) -> dict[str, dict[str, object]]:
    """Values for the admin paths' placeholders: for each registered model, rows of each kind and a missing id."""
    values: dict[str, dict[str, object]] = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        if label in ROWS_AS:
            param, kinds = ROWS_AS[label]
            rows = {kind: planted_values[param][kind] for kind in kinds}
        else:
            first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            assert first is not None, f"plant a {label} row so that its admin pages are tried on a real row"
            rows = {"own": first}
        rows["nonexistent"] = 987_654
        values["admin:" + label] = rows
        history = getattr(model, "history", None)
        if history is not None:
            values["admin-history:" + label] = {
                kind: history.model.objects.filter(id=pk).values_list("history_id", flat=True).first() or 987_654
                for kind, pk in rows.items()
            }
    action_type = ContentType.objects.get_for_model(Action).pk
    values["admin_action_type"] = {kind: action_type for kind in ("own", "nonexistent")}
    return values
