from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspections.selectors import area_summaries_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"areas": area_summaries_for_user(request.user)})


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")
