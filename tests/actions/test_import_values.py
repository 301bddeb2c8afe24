from __future__ import annotations

import datetime as dt

import pytest

from actions.importing import values as v
from actions.importing.columns import match_headers
from actions.models import Action


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.datetime(2024, 3, 31, 0, 0), dt.date(2024, 3, 31)),
        (dt.date(2024, 3, 31), dt.date(2024, 3, 31)),
        (45382, dt.date(2024, 3, 31)),
        ("45382", dt.date(2024, 3, 31)),
        ("31/03/2024", dt.date(2024, 3, 31)),
        ("31/3/24", dt.date(2024, 3, 31)),
        ("31 March 2024", dt.date(2024, 3, 31)),
        ("31st March 2024", dt.date(2024, 3, 31)),
        ("1 Apr 2024", dt.date(2024, 4, 1)),
        ("2024-03-31", dt.date(2024, 3, 31)),
        # 31 March 2024 is a Sunday and 29 March Good Friday: the last working day is Thursday 28 March.
        ("March 2024", dt.date(2024, 3, 28)),
        ("End of March 2024", dt.date(2024, 3, 28)),
        ("Sep-24", dt.date(2024, 9, 30)),
        ("", None),
        (None, None),
    ],
)
def test_dates_as_areas_write_them(raw, expected):
    assert v.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["soon", "Q3", "31/13/2024", 12, "ongoing"])
def test_text_that_is_not_a_date_says_how_to_write_one(raw):
    with pytest.raises(v.ValueProblem, match="31/03/2024"):
        v.parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("R", Action.Rag.RED),
        ("amber", Action.Rag.AMBER),
        ("Green", Action.Rag.GREEN),
        (" g ", Action.Rag.GREEN),
        ("Blue (signed off)", Action.Rag.BLUE),
        ("", None),
    ],
)
def test_rag_words_and_letters(raw, expected):
    assert v.parse_rag(raw) == expected


def test_unknown_rag_is_a_clear_problem():
    with pytest.raises(v.ValueProblem, match="Red, Amber, Green"):
        v.parse_rag("purple")


def test_status_labels_and_common_words():
    assert v.parse_status("Completed, awaiting sign-off") == Action.Status.COMPLETED
    assert v.parse_status("In progress") == Action.Status.IN_PROGRESS
    assert v.parse_status("not started") == Action.Status.NOT_STARTED


def test_headers_areas_use_are_matched():
    headers = [
        "No.",
        "Area of weakness",
        "What we will do",
        "Responsible officer",
        "By when",
        "RAG rating",
        "How we will know",
        "Notes",
    ]
    assert match_headers(headers) == {
        "reference": 0,
        "finding": 1,
        "title": 2,
        "lead_officer": 3,
        "due_date": 4,
        "rag": 5,
        "success_measure": 6,
    }


def test_near_names_are_suggested():
    assert v.suggestions("Northshire Counci", ["Northshire Council", "NHS Northshire ICB"])[0] == "Northshire Council"
