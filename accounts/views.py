from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import access
from .models import Membership


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Who the user is in SEND Tracker, and links to their own settings (reminders, calendar, API tokens)."""
    memberships = Membership.objects.filter(user=request.user).select_related("organisation").order_by("role")
    context = {"memberships": memberships, "areas": access.visible_areas(request.user).order_by("name")}
    return render(request, "accounts/account.html", context)
