"""The index that serves "an action's history, newest first" (dashboards, the action timeline, digests)."""

from __future__ import annotations

import pytest
from django.db import connection

from actions.models import Action


@pytest.mark.django_db
def test_action_history_is_indexed_by_action_then_newest_first():
    table = Action.history.model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    index = constraints["hist_action_id_date_idx"]
    assert index["index"] is True
    assert index["columns"] == ["id", "history_date", "history_id"]
    assert index["orders"] == ["ASC", "DESC", "DESC"]
