"""Long reasons given in the workflow are kept in full, and the history row still saves on PostgreSQL."""

from __future__ import annotations

from actions import services
from actions.models import Action

from .. import factories as f


def test_a_long_completion_statement_is_kept_and_the_history_reason_is_shortened(world):
    plan = f.ActionPlanFactory(area=world.area)
    action = f.ActionFactory(plan=plan, lead_organisation=world.council, lead_officer=world.officer)
    statement = "Delivered and evidenced. " * 20

    services.action_complete(action=action, user=world.officer, statement=statement)

    action = Action.objects.get(pk=action.pk)
    assert action.status_changes.get().reason == statement.strip()
    reason = action.history.latest().history_change_reason
    assert len(reason) == services.HISTORY_REASON_LENGTH and reason.endswith("…")
