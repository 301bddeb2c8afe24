"""Template filters for the dashboards' SVG charts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

TENTH = Decimal("0.1")


@register.filter
def coordinate(value) -> str:
    """A chart coordinate to one decimal place, written as `floatformat:1` writes it (half up, never "-0.0").

    A board dashboard draws about 900 coordinates; `floatformat` localises each one, about a quarter of the
    page's rendering time, and a position in an SVG needs no localising.
    """
    rounded = Decimal(repr(float(value))).quantize(TENTH, rounding=ROUND_HALF_UP)
    return str(rounded if rounded else abs(rounded))
