from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from inspections.selectors import area_summaries_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"areas": area_summaries_for_user(request.user)})


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered with no request context.

    Whatever broke may be the database or a context processor, so this page must not need either: no user, no
    messages, no queries. It is a static template rendered from an empty context.
    """
    return HttpResponseServerError(loader.get_template("500.html").render())
