"""The action workflow and its permissions, including every refusal."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from actions import services
from actions.models import Action, Evidence, ProgressUpdate, StatusChange

from .conftest import TODAY, pdf_upload, reload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def post_update(action, user, **extra):
    return services.progress_update_create(
        action=action,
        author=user,
        text=extra.pop("text", "Clinic added"),
        rag=extra.pop("rag", "amber"),
        percent_complete=extra.pop("percent_complete", 50),
        **extra,
    )


class TestProgressUpdates:
    def test_lead_officer_posts_update_and_action_follows_it(self, world, scenario):
        post_update(scenario.action, world.officer, rag="amber", percent_complete=60)
        action = reload(scenario.action)
        assert (action.rag, action.percent_complete, action.version) == ("amber", 60, 2)
        assert action.last_update_at is not None

    def test_first_update_moves_not_started_to_in_progress(self, world, scenario):
        scenario.action.status = Action.Status.NOT_STARTED
        scenario.action.save()
        post_update(scenario.action, world.officer)
        assert reload(scenario.action).status == Action.Status.IN_PROGRESS

    def test_supporting_organisation_officer_may_post(self, world, scenario):
        scenario.action.supporting_organisations.add(world.icb)
        post_update(scenario.action, world.health_officer)
        assert ProgressUpdate.objects.filter(author=world.health_officer).count() == 1

    def test_plan_manager_may_post(self, world, scenario):
        post_update(scenario.action, world.manager)
        assert scenario.action.updates.count() == 1

    @pytest.mark.parametrize("persona", ["health_officer", "chair", "adviser", "other_officer"])
    def test_others_are_refused(self, world, scenario, persona):
        with pytest.raises(PermissionDenied):
            post_update(scenario.action, getattr(world, persona))
        assert scenario.action.updates.count() == 0

    def test_blue_cannot_be_set_by_an_update(self, world, scenario):
        with pytest.raises(ValidationError):
            post_update(scenario.action, world.officer, rag="blue")

    def test_blank_text_is_refused(self, world, scenario):
        with pytest.raises(ValidationError) as exc:
            post_update(scenario.action, world.officer, text="   ")
        assert "text" in exc.value.message_dict

    def test_no_update_on_a_closed_action(self, world, scenario):
        scenario.action.status = Action.Status.COMPLETED
        scenario.action.save()
        with pytest.raises(ValidationError):
            post_update(scenario.action, world.officer)

    def test_evidence_is_stored_under_a_generated_name(self, world, scenario):
        update = post_update(scenario.action, world.officer, files=[pdf_upload("../../etc/passwd.pdf")])
        evidence = update.evidence.get()
        assert evidence.original_name == "passwd.pdf"
        assert evidence.content_type == "application/pdf"
        assert evidence.file.name.startswith("evidence/") and evidence.file.name.endswith(".pdf")
        assert "passwd" not in evidence.file.name
        assert evidence.file.read().startswith(b"%PDF-")

    def test_a_bad_file_refuses_the_whole_update(self, world, scenario, settings):
        from django.core.files.uploadedfile import SimpleUploadedFile

        bad = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 50)
        with pytest.raises(ValidationError) as exc:
            post_update(scenario.action, world.officer, files=[pdf_upload(), bad])
        assert "report.pdf is not a file type we accept" in exc.value.message_dict["evidence"][0]
        assert ProgressUpdate.objects.count() == 0
        assert Evidence.objects.count() == 0
        media = settings.MEDIA_ROOT / "evidence"
        assert not media.exists() or not any(media.iterdir())


class TestWorkflow:
    def test_lead_officer_completes_then_board_member_signs_off(self, world, scenario):
        services.action_complete(action=scenario.action, user=world.officer, statement="Waiting times halved")
        action = reload(scenario.action)
        assert action.status == Action.Status.COMPLETED and action.percent_complete == 100
        services.action_sign_off(action=action, user=world.chair, note="Agreed at the March board")
        action = reload(action)
        assert (action.status, action.rag, action.signed_off_by) == ("signed_off", "blue", world.chair)
        steps = list(StatusChange.objects.filter(action=action).values_list("to_status", "changed_by", "reason"))
        assert steps == [
            ("completed", world.officer.pk, "Waiting times halved"),
            ("signed_off", world.chair.pk, "Agreed at the March board"),
        ]

    def test_completion_with_evidence_posts_it_as_an_update(self, world, scenario):
        services.action_complete(
            action=scenario.action, user=world.officer, statement="Done", files=[pdf_upload("report.pdf")]
        )
        update = scenario.action.updates.get()
        assert update.text == "Done" and update.evidence.get().original_name == "report.pdf"

    def test_board_member_sends_back_with_reason(self, world, scenario):
        services.action_complete(action=scenario.action, user=world.officer, statement="Done")
        services.action_send_back(action=reload(scenario.action), user=world.pcf, reason="Parents not consulted")
        action = reload(scenario.action)
        assert action.status == Action.Status.REOPENED and action.completed_at is None
        assert action.status_changes.order_by("pk").last().reason == "Parents not consulted"

    def test_send_back_needs_a_reason(self, world, scenario):
        services.action_complete(action=scenario.action, user=world.officer, statement="Done")
        with pytest.raises(ValidationError):
            services.action_send_back(action=reload(scenario.action), user=world.chair, reason=" ")

    @pytest.mark.parametrize("persona", ["health_officer", "chair", "adviser", "other_officer"])
    def test_only_lead_officer_or_manager_completes(self, world, scenario, persona):
        with pytest.raises(PermissionDenied):
            services.action_complete(action=scenario.action, user=getattr(world, persona), statement="Done")

    def test_plan_manager_may_complete(self, world, scenario):
        services.action_complete(action=scenario.action, user=world.manager, statement="Done")
        assert reload(scenario.action).status == Action.Status.COMPLETED

    def test_completion_needs_a_statement(self, world, scenario):
        with pytest.raises(ValidationError):
            services.action_complete(action=scenario.action, user=world.officer, statement="")

    @pytest.mark.parametrize("persona", ["officer", "manager", "adviser", "other_officer"])
    def test_only_board_members_sign_off(self, world, scenario, persona):
        services.action_complete(action=scenario.action, user=world.officer, statement="Done")
        with pytest.raises(PermissionDenied):
            services.action_sign_off(action=reload(scenario.action), user=getattr(world, persona))

    def test_board_member_cannot_sign_off_an_action_they_lead(self, world, scenario):
        scenario.action.lead_officer = world.chair
        scenario.action.save()
        services.action_complete(action=scenario.action, user=world.chair, statement="Done")
        with pytest.raises(PermissionDenied):
            services.action_sign_off(action=reload(scenario.action), user=world.chair)

    def test_cannot_sign_off_an_action_not_awaiting_sign_off(self, world, scenario):
        with pytest.raises(ValidationError):
            services.action_sign_off(action=scenario.action, user=world.chair)

    def test_manager_cancels_with_reason(self, world, scenario):
        services.action_cancel(action=scenario.action, user=world.manager, reason="Merged into 1.2")
        assert reload(scenario.action).status == Action.Status.CANCELLED

    def test_officer_cannot_cancel(self, world, scenario):
        with pytest.raises(PermissionDenied):
            services.action_cancel(action=scenario.action, user=world.officer, reason="No")

    def test_signed_off_action_cannot_be_cancelled(self, world, scenario):
        services.action_complete(action=scenario.action, user=world.officer, statement="Done")
        services.action_sign_off(action=reload(scenario.action), user=world.chair)
        with pytest.raises(ValidationError):
            services.action_cancel(action=reload(scenario.action), user=world.manager, reason="Late")


class TestEditing:
    def test_manager_changes_fields_and_history_records_who(self, world, scenario):
        services.action_update(
            action_id=scenario.action.pk, user=world.manager, expected_version=1, changes={"title": "Cut waits"}
        )
        action = reload(scenario.action)
        assert action.title == "Cut waits" and action.version == 2
        assert action.history.first().history_user == world.manager

    def test_lead_officer_may_change_only_description_and_supporting(self, world, scenario):
        services.action_update(
            action_id=scenario.action.pk,
            user=world.officer,
            expected_version=1,
            changes={"description": "New", "supporting_organisations": [world.icb]},
        )
        assert reload(scenario.action).description == "New"
        with pytest.raises(PermissionDenied):
            services.action_update(
                action_id=scenario.action.pk, user=world.officer, expected_version=2, changes={"title": "Mine"}
            )

    def test_supporting_organisation_change_is_described_in_history(self, world, scenario):
        services.action_update(
            action_id=scenario.action.pk,
            user=world.manager,
            expected_version=1,
            changes={"supporting_organisations": [world.icb]},
        )
        assert (
            "Supporting organisations: none → NHS Northshire ICB"
            in reload(scenario.action).history.first().history_change_reason
        )

    def test_stale_version_is_refused_and_nothing_changes(self, world, scenario):
        services.action_update(
            action_id=scenario.action.pk, user=world.manager, expected_version=1, changes={"title": "A"}
        )
        with pytest.raises(services.StaleVersion) as exc:
            services.action_update(
                action_id=scenario.action.pk, user=world.officer, expected_version=1, changes={"description": "B"}
            )
        assert exc.value.current.version == 2
        assert reload(scenario.action).description == ""

    def test_due_date_revision_keeps_original_and_reason(self, world, scenario):
        original = scenario.action.due_date
        new = TODAY.replace(month=6)
        services.action_revise_due_date(
            action_id=scenario.action.pk, user=world.manager, expected_version=1, new_due_date=new, reason="Recruitment"
        )
        action = reload(scenario.action)
        assert (action.due_date, action.original_due_date) == (new, original)
        assert action.due_date_revisions.get().reason == "Recruitment"

    def test_due_date_revision_needs_reason_and_manager(self, world, scenario):
        new = TODAY.replace(month=6)
        with pytest.raises(ValidationError):
            services.action_revise_due_date(
                action_id=scenario.action.pk, user=world.manager, expected_version=1, new_due_date=new, reason=""
            )
        with pytest.raises(PermissionDenied):
            services.action_revise_due_date(
                action_id=scenario.action.pk, user=world.officer, expected_version=1, new_due_date=new, reason="x"
            )
        assert reload(scenario.action).due_date_revisions.count() == 0

    def test_only_managers_create_actions(self, world, scenario):
        fields = {"reference": "2.1", "title": "New", "lead_organisation": world.council, "due_date": TODAY}
        action = services.action_create(plan=scenario.plan, user=world.manager, **fields)
        assert action.original_due_date == TODAY
        with pytest.raises(PermissionDenied):
            services.action_create(plan=scenario.plan, user=world.officer, **{**fields, "reference": "2.2"})


def test_two_board_members_signing_off_at_once_record_it_once(world, scenario):
    services.action_complete(action=scenario.action, user=world.officer, statement="Done")
    seen_by_chair = reload(scenario.action)
    seen_by_pcf = reload(scenario.action)
    services.action_sign_off(action=seen_by_chair, user=world.chair)
    with pytest.raises(ValidationError, match="Someone else has just changed this action: it is now signed off"):
        services.action_sign_off(action=seen_by_pcf, user=world.pcf)
    assert scenario.action.status_changes.filter(to_status=Action.Status.SIGNED_OFF).count() == 1
