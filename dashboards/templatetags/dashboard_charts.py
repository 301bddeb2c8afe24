"""Template filters for the dashboards' SVG charts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe

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


# The marks drawn once per data point are written here rather than by a template loop: a board dashboard has
# about 100 line markers and 50 bar segments, and the loops with their `coordinate` filters were a third of the
# charts' rendering time (bench/README.md). The rest of each chart stays in templates/dashboards/charts/.
# Names and labels are escaped; coordinates and counts are numbers written here, which need no escaping.


@register.simple_tag
def line_markers(series) -> str:
    """Each point of a line chart's series as its marker, with the value as the marker's tooltip."""
    colour, name = escape(series.colour), escape(series.name)
    marks = []
    for point in series.points:
        x, y = coordinate(point.x), coordinate(point.y)
        title = f"<title>{name}, {escape(point.label)}: {localize(point.value)}</title>"
        if series.marker == "square":
            marks.append(
                f'<rect x="{x}" y="{y}" width="8" height="8" transform="translate(-4,-4)" fill="#ffffff"'
                f' stroke="{colour}" stroke-width="2">{title}</rect>'
            )
        else:
            marks.append(f'<circle cx="{x}" cy="{y}" r="4" fill="{colour}">{title}</circle>')
    return mark_safe("\n".join(marks))  # noqa: S308 (see above)


@register.simple_tag
def bar_segments(bar) -> str:
    """Each segment of a stacked bar, with its count written inside where it fits."""
    y, text_y, height = coordinate(bar.y), coordinate(bar.text_y), localize(bar.height)
    marks = []
    for segment in bar.segments:
        value = localize(segment.value)
        marks.append(
            f'<rect x="{coordinate(segment.x)}" y="{y}" width="{coordinate(segment.width)}" height="{height}"'
            f' fill="{escape(segment.colour)}" stroke="#ffffff" stroke-width="1">'
            f"<title>{escape(segment.label)}: {value}</title></rect>"
        )
        if segment.show_text:
            marks.append(
                f'<text x="{coordinate(segment.text_x)}" y="{text_y}" text-anchor="middle" fill="#ffffff"'
                f' font-weight="bold">{value}</text>'
            )
    return mark_safe("\n".join(marks))  # noqa: S308 (see above)
