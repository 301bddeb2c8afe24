from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def area_detail(request: HttpRequest, slug: str) -> HttpResponse:
    area = selectors.area_detail(request.user, slug)
    return render(request, "inspections/area_detail.html", {"area": area})
