"""Seeds tests/security/authorisation_matrix.yaml: every URL pattern, the path to try it with and its methods.

The Django admin's patterns are not here: tests/security/admin_matrix.py gives them their rules.

`AUTH_MATRIX_WRITE=1 pytest tests/security/test_authorisation_matrix.py -k write` records what each persona gets
into the YAML file, for review; the matrix test then holds the application to it. Keep entries in URL order.
"""

from __future__ import annotations

OBJ = ("own", "same_area_other_org", "other_area", "nonexistent")
AREA_OBJ = ("own", "other_area", "nonexistent")

# name: (path, methods, objects, api)
PAGES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], bool]] = {
    "home": ("/", ("GET",), ("none",), False),
    "accessibility": ("/accessibility/", ("GET",), ("none",), False),
    "healthz": ("/healthz", ("GET",), ("none",), False),
    "login": ("/accounts/login/", ("GET", "POST"), ("none",), False),
    "logout": ("/accounts/logout/", ("GET", "POST"), ("none",), False),
    "two_factor_setup": ("/accounts/two-factor/set-up/", ("GET", "POST"), ("none",), False),
    "two_factor_verify": ("/accounts/two-factor/verify/", ("GET", "POST"), ("none",), False),
    "two_factor_backup_codes": ("/accounts/two-factor/backup-codes/", ("GET", "POST"), ("none",), False),
    "password_reset": ("/accounts/password-reset/", ("GET", "POST"), ("none",), False),
    "password_reset_done": ("/accounts/password-reset/sent/", ("GET",), ("none",), False),
    "password_reset_confirm": ("/accounts/password-reset/{reset}/set-password/", ("GET",), ("none",), False),
    "password_reset_complete": ("/accounts/password-reset/done/", ("GET",), ("none",), False),
    "account": ("/account/", ("GET",), ("none",), False),
    "area_detail": ("/areas/{slug}/", ("GET",), AREA_OBJ, False),
    "after_sign_in": ("/start/", ("GET",), ("none",), False),
    "my_actions": ("/my-actions/", ("GET",), ("none",), False),
    "action_list": ("/actions/", ("GET",), ("none",), False),
    "plan_detail": ("/plans/{plan}/", ("GET",), AREA_OBJ, False),
    "action_create": ("/plans/{plan}/actions/new/", ("GET", "POST"), AREA_OBJ, False),
    "action_detail": ("/actions/{action}/", ("GET", "POST"), OBJ, False),
    "progress_update_create": ("/actions/{action}/update/", ("GET", "POST"), OBJ, False),
    "action_edit": ("/actions/{action}/edit/", ("GET", "POST"), OBJ, False),
    "action_revise_due_date": ("/actions/{action}/due-date/", ("GET", "POST"), OBJ, False),
    "action_complete": ("/actions/{action}/complete/", ("GET", "POST"), OBJ, False),
    "action_sign_off": ("/actions/{action}/sign-off/", ("GET", "POST"), OBJ, False),
    "action_send_back": ("/actions/{action}/send-back/", ("GET", "POST"), OBJ, False),
    "action_cancel": ("/actions/{action}/cancel/", ("GET", "POST"), OBJ, False),
    "evidence_download": ("/evidence/{evidence}/download/", ("GET",), OBJ, False),
    "delivery_list": ("/reminders/deliveries/", ("GET",), ("none",), False),
    "delivery_resend": ("/reminders/deliveries/{delivery}/resend/", ("GET", "POST"), OBJ, False),
    "reminder_preferences": ("/account/reminders/", ("GET", "POST"), ("none",), False),
    "dashboards:area_dashboard": ("/areas/{slug}/dashboard/", ("GET",), AREA_OBJ, False),
    "dashboards:board_pack": ("/areas/{slug}/board-pack/", ("GET",), AREA_OBJ, False),
    "dashboards:measure_value_create": ("/areas/{slug}/measures/values/new/", ("GET", "POST"), AREA_OBJ, False),
    "dashboards:measure_import": ("/measures/import/", ("GET", "POST"), ("none",), False),
    "dashboards:national_overview": ("/national/", ("GET",), ("none",), False),
    "plan_import_template": ("/plans/import-template.xlsx", ("GET",), ("none",), False),
    "plan_export": ("/plans/{plan}/export.xlsx", ("GET",), AREA_OBJ, False),
    "plan_import": ("/plans/{plan}/import/", ("GET", "POST"), AREA_OBJ, False),
    "plan_import_preview": ("/plans/{plan}/import/{import_token}/", ("GET",), AREA_OBJ, False),
    "plan_import_confirm": ("/plans/{plan}/import/{import_token}/confirm/", ("POST",), AREA_OBJ, False),
    "api_schema": ("/api/schema/", ("GET",), ("none",), False),
    "api_docs": ("/api/docs/", ("GET",), ("none",), False),
    "api_tokens": ("/account/api-tokens/", ("GET", "POST"), ("none",), False),
    "api_token_revoke": ("/account/api-tokens/{api_token}/revoke/", ("POST",), OBJ, False),
    "calendar_feed": ("/calendar/{calendar}.ics", ("GET",), OBJ, False),
    "calendar_settings": ("/account/calendar/", ("GET",), ("none",), False),
    "calendar_reset": ("/account/calendar/new-link/", ("POST",), ("none",), False),
    "calendar_revoke": ("/account/calendar/turn-off/", ("POST",), ("none",), False),
    "api-root": ("/api/v1/", ("GET",), ("none",), True),
    "api-root[format]": ("/api/v1/.json", ("GET",), ("none",), True),
}

API_RESOURCES = {
    "area": ("areas", "area_pk", AREA_OBJ),
    "inspection": ("inspections", "inspection", AREA_OBJ),
    "finding": ("findings", "finding", AREA_OBJ),
    "plan": ("plans", "plan", AREA_OBJ),
    "action": ("actions", "action", OBJ),
    "progress-update": ("progress-updates", "progress_update", OBJ),
    "measure": ("measures", "measure", AREA_OBJ),
    "measure-value": ("measure-values", "measure_value", AREA_OBJ),
}
for _name, (_segment, _param, _objects) in API_RESOURCES.items():
    PAGES[f"api-{_name}-list"] = (f"/api/v1/{_segment}/", ("GET", "POST"), ("none",), True)
    PAGES[f"api-{_name}-list[format]"] = (f"/api/v1/{_segment}.json", ("GET",), ("none",), True)
    PAGES[f"api-{_name}-detail"] = (
        f"/api/v1/{_segment}/{{{_param}}}/",
        ("GET", "PUT", "PATCH", "DELETE"),
        _objects,
        True,
    )
    PAGES[f"api-{_name}-detail[format]"] = (f"/api/v1/{_segment}/{{{_param}}}.json", ("GET",), _objects, True)
