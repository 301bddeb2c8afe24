"""Build the iCalendar document of a user's deadlines.

Each deadline is an all-day event whose UID never changes (it names the action or plan, not the date), so
when a due date is revised, calendar clients move the existing event instead of adding a second one. SEQUENCE
follows the action's version so clients know which copy is newer.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from icalendar import Calendar, Event

from actions.models import Action, ActionPlan

from .selectors import feed_actions, feed_plans

# Clients that honour it poll hourly; Google Calendar decides for itself (often every few hours).
REFRESH = dt.timedelta(hours=1)
# Names tried for the action's own page, which lives in another module; the area page is the fallback.
ACTION_URL_NAMES = ("action_detail", "actions:detail", "actions:action_detail")


def _uid_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "send-tracker.invalid"


def action_url(action: Action) -> str:
    for name in ACTION_URL_NAMES:
        try:
            return settings.SITE_URL + reverse(name, args=[action.pk])
        except NoReverseMatch:
            continue
    return settings.SITE_URL + reverse("area_detail", args=[action.plan.area.slug])


def _all_day(event: Event, day: dt.date) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")


def action_event(action: Action, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"action-{action.pk}@{_uid_host()}")
    event.add("dtstamp", stamp)
    event.add("sequence", action.version)
    event.add("summary", f"Due: {action.reference} {action.title}")
    url = action_url(action)
    event.add("url", url)
    event.add(
        "description",
        f"{action.plan.area.name}, {action.plan.title}\n"
        f"Action {action.reference}: {action.title}\n"
        f"Status: {action.get_status_display()}. RAG: {action.get_rag_display()}.\n{url}",
    )
    _all_day(event, action.due_date)
    return event


def plan_event(plan: ActionPlan, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"plan-submission-{plan.pk}@{_uid_host()}")
    event.add("dtstamp", stamp)
    event.add("summary", f"Plan submission due: {plan.title} ({plan.area.name})")
    url = settings.SITE_URL + reverse("area_detail", args=[plan.area.slug])
    event.add("url", url)
    event.add("description", f"{plan.get_kind_display()} for {plan.area.name} is due to be submitted.\n{url}")
    _all_day(event, plan.submission_due)
    return event


def user_calendar(user) -> bytes:
    stamp = timezone.now().replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", "-//SEND Tracker//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "SEND Tracker deadlines")
    calendar.add("x-wr-caldesc", f"Deadlines for {user.get_full_name() or user.username}")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for action in feed_actions(user):
        calendar.add_component(action_event(action, stamp))
    for plan in feed_plans(user):
        calendar.add_component(plan_event(plan, stamp))
    return calendar.to_ical()
