"""templates/tables/govuk_table.html: GOV.UK markup for django-tables2, with and without pagination."""

from __future__ import annotations

import re

import django_tables2 as tables
import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from inspections.models import LocalArea
from tests import factories as f


class AreaTable(tables.Table):
    caption = "Local areas"
    name = tables.Column()
    la_code = tables.Column(verbose_name="LA code", orderable=False)
    partners = tables.Column(empty_values=(), orderable=False, attrs={"cell": {"class": "numeric"}})

    class Meta:
        model = LocalArea
        fields = ("name", "la_code")

    def render_partners(self, record) -> int:
        return 0


def render(query: str = "", paginate: dict | bool = False) -> str:
    request = RequestFactory().get(f"/areas/{query}")
    table = AreaTable(LocalArea.objects.all())
    RequestConfig(request, paginate=paginate).configure(table)
    return table.as_html(request)


@pytest.fixture
def five_areas(db):
    return [f.LocalAreaFactory(name=f"Area {letter}") for letter in "ABCDE"]


def test_unpaginated_table_has_gov_uk_markup_and_no_pagination(five_areas):
    html = render()
    assert '<table class="govuk-table">' in html
    assert '<caption class="govuk-table__caption govuk-table__caption--m">Local areas</caption>' in html
    assert html.count('scope="col"') == 3
    assert html.count('<tr class="govuk-table__row">') == 6
    assert "govuk-pagination" not in html


def test_orderable_headers_have_sort_links_and_aria_sort(five_areas):
    html = render()
    assert 'aria-sort="none"' in html
    assert 'href="?sort=name"' in html
    html = render("?sort=name")
    assert 'aria-sort="ascending"' in html
    assert 'href="?sort=-name"' in html
    assert "sort descending" in html
    assert 'aria-sort="descending"' in render("?sort=-name")
    # Columns that cannot be ordered have neither.
    assert re.search(r'<th scope="col" class="govuk-table__header">LA code</th>', html)


def test_numeric_columns_are_right_aligned(five_areas):
    html = render()
    assert 'govuk-table__header govuk-table__header--numeric">Partners</th>' in html
    assert html.count("govuk-table__cell govuk-table__cell--numeric") == 5


def test_paginated_table_uses_gov_uk_pagination_and_keeps_the_sort(five_areas):
    html = render("?sort=name&page=2", paginate={"per_page": 2})
    assert '<nav class="govuk-pagination" aria-label="Pagination: Local areas">' in html
    assert 'href="?sort=name&amp;page=1" rel="prev"' in html
    assert 'href="?sort=name&amp;page=3" rel="next"' in html
    # Changing the order starts again from the first page.
    assert 'href="?sort=-name"' in html
    assert 'aria-label="Page 2" aria-current="page"' in html
    assert html.count('<tr class="govuk-table__row">') == 3  # header and two rows


def test_single_page_shows_no_pagination(five_areas):
    assert "govuk-pagination" not in render(paginate={"per_page": 25})


def test_empty_table_says_so(db):
    html = render()
    assert 'colspan="3"' in html
    assert "Nothing to show." in html
