"""The delivery log (plan managers and administrators) and each user's reminder preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from accounts import access

from . import services
from .filters import DeliveryFilter
from .forms import ReminderPreferencesForm
from .selectors import delivery_list_for_user
from .tables import DeliveryTable


@login_required
def delivery_list(request: HttpRequest) -> HttpResponse:
    if not access.can_view_delivery_log(request.user):
        raise PermissionDenied("Only plan managers and administrators can see the delivery log.")
    deliveries = DeliveryFilter(request.GET, queryset=delivery_list_for_user(request.user))
    rows = deliveries.qs if deliveries.is_valid() else deliveries.queryset.none()
    table = DeliveryTable(rows)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    context = {"filter": deliveries, "table": table, "page_has_errors": bool(deliveries.form.errors)}
    return render(request, "reminders/delivery_list.html", context)


@login_required
@require_POST
def delivery_resend(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_view_delivery_log(request.user):
        raise PermissionDenied("Only plan managers and administrators can re-send emails.")
    delivery = access.get_visible_or_404(delivery_list_for_user(request.user), pk=pk)
    try:
        services.delivery_resend(delivery=delivery)
    except services.NotResendable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The email to {delivery.recipient.email} will be sent again.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/"):
        back = "delivery_list"
    return redirect(back)


@login_required
def reminder_preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ReminderPreferencesForm(request.POST)
        if form.is_valid():
            services.reminder_preferences_update(
                user=request.user, reminder_delivery=form.cleaned_data["reminder_delivery"]
            )
            messages.success(request, "Your reminder preference is saved. The next reminders will follow it.")
            return redirect("reminder_preferences")
    else:
        form = ReminderPreferencesForm(initial={"reminder_delivery": request.user.reminder_delivery})
    return render(request, "reminders/preferences_form.html", {"form": form})
