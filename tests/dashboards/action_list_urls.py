"""URL configurations with a stand-in action list, named as the actions app may name it."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import include, path


def action_list_stub(request):
    return HttpResponse("")


class Namespaced:
    urlpatterns = [
        path("", include("send_tracker.urls")),
        path("", include(([path("actions/", action_list_stub, name="action_list")], "actions"))),
    ]


class Plain:
    urlpatterns = [
        path("", include("send_tracker.urls")),
        path("actions/", action_list_stub, name="action_list"),
    ]
