"""Chart geometry: scales, gaps for missing values and labels."""

from __future__ import annotations

from decimal import Decimal

from django.template.defaultfilters import floatformat

from dashboards import charts
from dashboards.templatetags.dashboard_charts import bar_segments, coordinate, line_markers


def test_axis_tops_are_round_numbers():
    assert [charts.nice_ceiling(v) for v in (0, 0.7, 7, 13, 46.4, 100, 101)] == [1, 1, 10, 20, 50, 100, 200]


def test_a_missing_value_breaks_the_line_instead_of_dropping_to_zero():
    chart = charts.line_chart(
        id="kpi",
        title="Plans within 20 weeks",
        summary="",
        x_labels=["2021", "2022", "2023", "2024"],
        series=[("Area", [Decimal("40"), None, Decimal("45.5"), Decimal("47")], "#1d70b8", "", "circle")],
    )
    [line] = chart.series
    assert [p.label for p in line.points] == ["2021", "2023", "2024"]
    assert len(line.paths) == 1 and line.paths[0].count("L") == 1  # only 2023 to 2024 is joined
    assert all(p.y <= chart.plot_bottom for p in line.points)


def test_the_latest_category_is_always_labelled():
    labels = [f"M{i}" for i in range(20)]
    chart = charts.line_chart(
        id="b", title="", summary="", x_labels=labels, series=[("P", list(range(20)), "#000", "", "square")]
    )
    shown = [t.label for t in chart.x_ticks]
    assert shown[-1] == "M19" and len(shown) <= 8


def test_bars_share_one_scale_and_skip_empty_segments():
    chart = charts.stacked_bars(
        id="s",
        title="",
        summary="",
        rows=[("A", {"red": 1, "green": 3}), ("B", {"red": 0, "green": 2})],
        labels={"red": "Red", "green": "Green"},
        colours={"red": "#b3261e", "green": "#00703c"},
    )
    a, b = chart.bars
    assert [s.label for s in a.segments] == ["Red", "Green"]
    assert [s.label for s in b.segments] == ["Green"]
    assert abs(sum(s.width for s in a.segments) - chart.plot_width) < 0.01
    assert abs(b.segments[0].width - chart.plot_width / 2) < 0.01


def test_chart_coordinates_are_written_as_floatformat_writes_them():
    values = [0, -0.04, 0.05, 0.25, 12.25, 12.35, 2.675, 99.95, 583.999, 640, 1 / 3, 236.0 - 236.0 * 7 / 9]
    values += [i * 0.37 for i in range(-20, 2000)]
    assert [coordinate(v) for v in values] == [floatformat(v, 1) for v in values]


def test_chart_marks_escape_names_and_labels():
    chart = charts.line_chart(
        id="k",
        title="",
        summary="",
        x_labels=["<b>2024</b>"],
        series=[('Area "A" <script>', [Decimal("45.50")], "#1d70b8", "", "square")],
    )
    [series] = chart.series
    markup = line_markers(series)
    assert "<script>" not in markup and "<b>" not in markup
    assert "<title>Area &quot;A&quot; &lt;script&gt;, &lt;b&gt;2024&lt;/b&gt;: 45.50</title>" in markup
    bars = charts.stacked_bars(
        id="s", title="", summary="", rows=[("A", {"red": 3})], labels={"red": "<i>Red</i>"}, colours={"red": "#b3261e"}
    )
    assert "<title>&lt;i&gt;Red&lt;/i&gt;: 3</title>" in bar_segments(bars.bars[0])
