from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from accounts import access
from accounts.models import Membership

SERVICE_NAME = "SEND Tracker"


def service(request: HttpRequest) -> dict[str, str]:
    """The service name, shown in the header and page titles."""
    return {"service_name": SERVICE_NAME}


def navigation(request: HttpRequest) -> dict[str, Callable[[], list[tuple[str, str]]]]:
    """The service navigation for the signed-in user, as (URL name, label) pairs.

    A callable, so pages that show no navigation (sign-in, errors) never look up the user's roles. Each page
    still checks access itself: a link left out here is a convenience, not the protection.
    """

    def items() -> list[tuple[str, str]]:
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated):
            return []
        links = [("home", "Home"), ("my_actions", "My actions"), ("action_list", "Actions")]
        if access.can_view_national_overview(user):
            links.append(("dashboards:national_overview", "National overview"))
        if access.is_administrator(user) or Membership.Role.PLAN_MANAGER in access.user_roles(user):
            links.append(("delivery_list", "Delivery log"))
        links.append(("account", "Your account"))
        if user.is_staff:
            links.append(("admin:index", "Admin"))
        return links

    return {"nav_items": items}
