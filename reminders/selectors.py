"""Reads for the reminders pages; every query starts from the access module."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts import access

from .models import Delivery


def delivery_list_for_user(user) -> QuerySet[Delivery]:
    return access.visible_deliveries(user).select_related("recipient", "action__plan__area", "meeting__area")
