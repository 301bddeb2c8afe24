"""The action pages: who sees what, what each form does with good and bad input, and the conflict page."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from actions import services
from actions.models import Action, Evidence
from tests import factories as f

from .conftest import TODAY, pdf_upload, reload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2025, 3, 12, 10, 0), tick=False):
        yield


def detail_url(action) -> str:
    return reverse("action_detail", args=[action.pk])


class TestSignIn:
    def test_officers_land_on_my_actions(self, client, world):
        client.force_login(world.officer)
        assert client.get(reverse("after_sign_in")).url == reverse("my_actions")

    def test_others_land_on_home(self, client, world):
        client.force_login(world.chair)
        assert client.get(reverse("after_sign_in")).url == reverse("home")

    def test_login_redirects_through_the_start_page(self, client, world):
        response = client.post(reverse("login"), {"username": "officer", "password": f.PASSWORD})
        assert response.url == reverse("after_sign_in")


class TestMyActions:
    def test_overdue_due_soon_and_awaiting_sign_off(self, client, world, scenario):
        soon = f.ActionFactory(plan=scenario.plan, title="Due soon", lead_officer=world.officer, due_date=TODAY)
        f.ActionFactory(
            plan=scenario.plan, title="Far off", lead_officer=world.officer, due_date=TODAY.replace(year=2026)
        )
        client.force_login(world.officer)
        mine = client.get(reverse("my_actions")).context["mine"]
        assert mine.overdue == [scenario.action]
        assert mine.due_soon == [soon]
        services.action_complete(action=scenario.action, user=world.officer, statement="Done")
        client.force_login(world.chair)
        mine = client.get(reverse("my_actions")).context["mine"]
        assert mine.awaiting_sign_off == [reload(scenario.action)]

    def test_recently_updated_includes_my_organisations_actions(self, client, world, scenario):
        services.progress_update_create(
            action=scenario.action, author=world.manager, text="Going well", rag="green", percent_complete=10
        )
        client.force_login(world.officer)
        assert client.get(reverse("my_actions")).context["mine"].recently_updated == [reload(scenario.action)]

    def test_an_action_with_several_supporters_is_listed_once(self, client, world, scenario):
        other_partner = f.OrganisationFactory(name="Northshire Health Trust")
        scenario.action.supporting_organisations.set([world.icb, other_partner])
        services.progress_update_create(
            action=scenario.action, author=world.officer, text="Going well", rag="green", percent_complete=10
        )
        client.force_login(world.officer)
        assert client.get(reverse("my_actions")).context["mine"].recently_updated == [reload(scenario.action)]


class TestAccess:
    @pytest.mark.parametrize(
        "name", ["action_detail", "progress_update_create", "action_edit", "action_complete", "action_sign_off"]
    )
    def test_officer_from_other_area_gets_404(self, client, world, scenario, name):
        client.force_login(world.other_officer)
        assert client.get(reverse(name, args=[scenario.action.pk])).status_code == 404

    def test_plan_outside_areas_is_404(self, client, world, scenario):
        client.force_login(world.adviser_elsewhere)
        assert client.get(reverse("plan_detail", args=[scenario.plan.pk])).status_code == 404

    def test_adviser_reads_but_gets_a_clear_403_for_updates(self, client, world, scenario):
        client.force_login(world.adviser)
        assert client.get(detail_url(scenario.action)).status_code == 200
        response = client.get(reverse("progress_update_create", args=[scenario.action.pk]))
        assert response.status_code == 403
        assert "Only officers of the lead or supporting organisations" in response.content.decode()

    def test_officer_cannot_sign_off(self, client, world, scenario):
        services.action_complete(action=scenario.action, user=world.officer, statement="Done")
        client.force_login(world.officer)
        response = client.post(reverse("action_sign_off", args=[scenario.action.pk]), {"note": ""})
        assert response.status_code == 403
        assert reload(scenario.action).status == Action.Status.COMPLETED

    def test_anonymous_is_sent_to_sign_in(self, client, scenario):
        response = client.get(detail_url(scenario.action))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


class TestProgressUpdateForm:
    def url(self, scenario):
        return reverse("progress_update_create", args=[scenario.action.pk])

    def test_update_with_evidence_shows_in_timeline(self, client, world, scenario):
        client.force_login(world.officer)
        response = client.post(
            self.url(scenario),
            {"text": "New clinic opened", "rag": "amber", "percent_complete": "60", "evidence": [pdf_upload()]},
        )
        assert response.status_code == 302
        page = client.get(detail_url(scenario.action)).content.decode()
        assert "New clinic opened" in page and "Download minutes.pdf" in page and "60% complete" in page

    def test_bad_input_gives_specific_errors_and_changes_nothing(self, client, world, scenario):
        client.force_login(world.officer)
        response = client.post(self.url(scenario), {"text": "", "rag": "purple", "percent_complete": "120"})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Error: Post a progress update" in page
        assert "Enter what has happened since the last update" in page
        assert "Select red, amber or green" in page
        assert "The percentage complete must be 100 or less" in page
        assert reload(scenario.action).version == 1

    def test_disguised_file_is_refused_on_the_form(self, client, world, scenario):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(world.officer)
        fake = SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
        response = client.post(
            self.url(scenario), {"text": "x", "rag": "green", "percent_complete": "5", "evidence": [fake]}
        )
        assert response.status_code == 200
        assert "evil.pdf is not a file type we accept" in response.content.decode()
        assert scenario.action.updates.count() == 0


class TestEvidenceDownload:
    def evidence(self, world, scenario) -> Evidence:
        update = services.progress_update_create(
            action=scenario.action,
            author=world.officer,
            text="x",
            rag="green",
            percent_complete=5,
            files=[pdf_upload()],
        )
        return update.evidence.get()

    def test_download_is_an_attachment_with_nosniff(self, client, world, scenario):
        evidence = self.evidence(world, scenario)
        client.force_login(world.chair)
        response = client.get(reverse("evidence_download", args=[evidence.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")

    def test_download_outside_areas_is_404(self, client, world, scenario):
        evidence = self.evidence(world, scenario)
        client.force_login(world.other_officer)
        assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404


class TestWorkflowPages:
    def test_complete_sign_off_and_timeline(self, client, world, scenario):
        client.force_login(world.officer)
        client.post(reverse("action_complete", args=[scenario.action.pk]), {"statement": "Waits halved"})
        client.force_login(world.chair)
        response = client.post(reverse("action_sign_off", args=[scenario.action.pk]), {"note": "Agreed"})
        assert response.status_code == 302
        page = client.get(detail_url(scenario.action)).content.decode()
        assert "Signed off" in page and "Marked complete" in page and "Waits halved" in page

    def test_send_back_requires_reason(self, client, world, scenario):
        services.action_complete(action=scenario.action, user=world.officer, statement="Done")
        client.force_login(world.chair)
        response = client.post(reverse("action_send_back", args=[scenario.action.pk]), {"reason": " "})
        assert "Enter the reason the action is being sent back" in response.content.decode()
        assert reload(scenario.action).status == Action.Status.COMPLETED

    def test_signing_off_twice_gets_a_clear_page(self, client, world, scenario):
        client.force_login(world.chair)
        response = client.get(reverse("action_sign_off", args=[scenario.action.pk]))
        assert response.status_code == 409
        assert "You cannot sign off this action now" in response.content.decode()

    def test_due_date_revision_form(self, client, world, scenario):
        client.force_login(world.manager)
        url = reverse("action_revise_due_date", args=[scenario.action.pk])
        bad = client.post(
            url, {"version": "1", "due_date_0": "31", "due_date_1": "2", "due_date_2": "2025", "reason": ""}
        )
        page = bad.content.decode()
        assert "The new due date must be a real date" in page and "Enter the reason the due date is changing" in page
        good = client.post(
            url, {"version": "1", "due_date_0": "30", "due_date_1": "6", "due_date_2": "2025", "reason": "Staff"}
        )
        assert good.status_code == 302
        action = reload(scenario.action)
        assert action.due_date == dt.date(2025, 6, 30) and action.original_due_date == scenario.action.due_date
        assert "Due date revised" in client.get(detail_url(action)).content.decode()

    def test_manager_creates_an_action(self, client, world, scenario):
        client.force_login(world.manager)
        data = {
            "reference": "1.1",
            "title": "Duplicate",
            "lead_organisation": world.council.pk,
            "due_date_0": "1",
            "due_date_1": "9",
            "due_date_2": "2025",
            "findings": [scenario.finding.pk],
        }
        url = reverse("action_create", args=[scenario.plan.pk])
        assert "already has an action 1.1" in client.post(url, data).content.decode()
        response = client.post(url, {**data, "reference": "1.2"})
        assert response.status_code == 302
        created = Action.objects.get(reference="1.2")
        assert list(created.findings.all()) == [scenario.finding]

    def test_officer_cannot_create(self, client, world, scenario):
        client.force_login(world.officer)
        assert client.get(reverse("action_create", args=[scenario.plan.pk])).status_code == 403


class TestEditAndConflict:
    def form_data(self, action, **changes):
        data = {
            "version": str(action.version),
            "reference": action.reference,
            "title": action.title,
            "description": action.description,
            "findings": [f.pk for f in action.findings.all()],
            "lead_organisation": action.lead_organisation_id,
            "lead_officer": action.lead_officer_id or "",
            "start_date_0": "",
            "start_date_1": "",
            "start_date_2": "",
            "success_measure": "",
            "rag": action.rag,
        }
        data.update(changes)
        return data

    def test_lead_officer_sees_only_the_fields_they_may_change(self, client, world, scenario):
        client.force_login(world.officer)
        form = client.get(reverse("action_edit", args=[scenario.action.pk])).context["form"]
        assert set(form.fields) == {"version", "description", "supporting_organisations"}

    def test_second_save_gets_the_conflict_page_and_can_reapply(self, client, world, scenario):
        url = reverse("action_edit", args=[scenario.action.pk])
        read = reload(scenario.action)
        services.action_update(action_id=read.pk, user=world.manager, expected_version=1, changes={"title": "Theirs"})
        client.force_login(world.manager)
        response = client.post(url, self.form_data(read, description="Mine"))
        page = response.content.decode()
        assert response.status_code == 409
        assert "Someone else changed this action" in page
        assert "Cut waiting times → Theirs" in page
        assert reload(scenario.action).description == ""
        # The form to save again holds their title and my description, at the current version.
        form = response.context["form"]
        assert (form["title"].value(), form["description"].value(), form["version"].value()) == ("Theirs", "Mine", 2)
        assert [row[0] for row in response.context["mine"]] == ["Description"]
        again = client.post(url, self.form_data(reload(scenario.action), description="Mine"))
        assert again.status_code == 302
        action = reload(scenario.action)
        assert (action.title, action.description, action.version) == ("Theirs", "Mine", 3)

    def test_supporting_organisation_changes_show_in_the_timeline(self, client, world, scenario):
        client.force_login(world.officer)
        data = {"version": "1", "description": "", "supporting_organisations": [world.icb.pk]}
        assert client.post(reverse("action_edit", args=[scenario.action.pk]), data).status_code == 302
        page = client.get(detail_url(scenario.action)).content.decode()
        assert "Supporting organisations: none → NHS Northshire ICB" in page

    def test_edits_show_in_the_timeline(self, client, world, scenario):
        client.force_login(world.manager)
        client.post(
            reverse("action_edit", args=[scenario.action.pk]), self.form_data(scenario.action, title="Shorter waits")
        )
        page = client.get(detail_url(scenario.action)).content.decode()
        assert "Details changed" in page and "Cut waiting times → Shorter waits" in page


class TestActionList:
    def test_lists_only_visible_actions_and_filters(self, client, world, scenario):
        f.ActionFactory(plan=scenario.plan, reference="2.1", title="Short breaks", rag="red")
        client.force_login(world.officer)
        rows = list(client.get(reverse("action_list")).context["table"].data)
        assert {a.reference for a in rows} == {"1.1", "2.1"}
        filtered = client.get(reverse("action_list"), {"rag": "red"}).context["table"].data
        assert [a.reference for a in filtered] == ["2.1"]
        overdue = client.get(reverse("action_list"), {"overdue": "on"}).context["table"].data
        assert [a.reference for a in overdue] == ["1.1"]
        search = client.get(reverse("action_list"), {"q": "breaks"}).context["table"].data
        assert [a.reference for a in search] == ["2.1"]

    def test_choices_outside_areas_are_refused_not_ignored(self, client, world, scenario):
        client.force_login(world.officer)
        response = client.get(reverse("action_list"), {"area": world.other_area.pk})
        assert "Select one of the options in the list" in response.content.decode()
        assert len(response.context["table"].data) == 0

    def test_due_between_uses_day_month_year(self, client, world, scenario):
        client.force_login(world.officer)
        params = {
            "due_from_0": "1",
            "due_from_1": "3",
            "due_from_2": "2025",
            "due_to_0": "10",
            "due_to_1": "3",
            "due_to_2": "2025",
        }
        rows = client.get(reverse("action_list"), params).context["table"].data
        assert [a.reference for a in rows] == ["1.1"]

    def test_csv_export_is_filtered_scoped_and_neutralised(self, client, world, scenario):
        f.ActionFactory(plan=scenario.plan, reference="2.1", title='=HYPERLINK("http://evil")')
        client.force_login(world.officer)
        response = client.get(reverse("action_list"), {"export": "csv"})
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        titles = {row[3] for row in rows[1:]}
        assert titles == {"Cut waiting times", '\'=HYPERLINK("http://evil")'}
        assert "9.9" not in {row[2] for row in rows}

    def test_xlsx_export(self, client, world, scenario):
        client.force_login(world.officer)
        response = client.get(reverse("action_list"), {"export": "xlsx", "q": "waiting"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet["C3"].value == "1.1" and sheet.max_row == 3
        assert response["Content-Disposition"].startswith("attachment;")


def many_actions(plan, lead, count: int) -> None:
    finding = f.FindingFactory(inspection=plan.inspection)
    for _ in range(count):
        f.ActionFactory(plan=plan, lead_officer=lead, findings=[finding], due_date=TODAY - dt.timedelta(days=1))


class TestQueryCounts:
    """The same number of queries for 10 rows as for 200."""

    def count(self, client, django_assert_max_num_queries, url) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    @pytest.mark.parametrize("name", ["action_list", "my_actions", "plan_detail"])
    def test_pages_are_constant(self, client, world, scenario, name, django_assert_num_queries):
        client.force_login(world.officer)
        url = reverse(name, args=[scenario.plan.pk]) if name == "plan_detail" else reverse(name)
        many_actions(scenario.plan, world.officer, 9)
        small = self.count(client, None, url)
        many_actions(scenario.plan, world.officer, 190)
        with django_assert_num_queries(small):
            client.get(url)

    def test_detail_is_constant_in_timeline_length(self, client, world, scenario, django_assert_num_queries):
        client.force_login(world.officer)
        url = detail_url(scenario.action)

        def post(n):
            for i in range(n):
                services.progress_update_create(
                    action=scenario.action,
                    author=world.officer,
                    text=f"u{i}",
                    rag="green",
                    percent_complete=i % 100,
                    files=[pdf_upload()] if i % 5 == 0 else [],
                )
                services.action_update(
                    action_id=scenario.action.pk,
                    user=world.manager,
                    expected_version=reload(scenario.action).version,
                    changes={"title": f"Title {i}"},
                )

        post(5)
        small = self.count(client, None, url)
        post(95)
        with django_assert_num_queries(small):
            client.get(url)


class TestDueDateConflict:
    def test_revising_from_an_old_version_shows_the_conflict_page(self, client, world, scenario):
        services.progress_update_create(
            action=scenario.action, author=world.officer, text="Posted meanwhile", rag="red", percent_complete=20
        )
        client.force_login(world.manager)
        url = reverse("action_revise_due_date", args=[scenario.action.pk])
        data = {"version": "1", "due_date_0": "30", "due_date_1": "6", "due_date_2": "2025", "reason": "Staff"}
        response = client.post(url, data)
        page = response.content.decode()
        assert response.status_code == 409
        assert "Progress update posted" in page and "Green → Red" in page
        assert reload(scenario.action).due_date_revisions.count() == 0
        again = client.post(url, {**data, "version": response.context["form"]["version"].value()})
        assert again.status_code == 302
        assert reload(scenario.action).due_date == dt.date(2025, 6, 30)

    def test_tampered_version_is_a_form_error_not_a_crash(self, client, world, scenario):
        client.force_login(world.manager)
        url = reverse("action_revise_due_date", args=[scenario.action.pk])
        data = {"version": "abc", "due_date_0": "30", "due_date_1": "6", "due_date_2": "2025", "reason": "Staff"}
        response = client.post(url, data)
        assert response.status_code == 200
        assert "This form is out of date" in response.content.decode()


def test_plan_page_orders_references_as_numbers(client, world, scenario):
    for reference in ("1.10", "1.2", "1.9"):
        f.ActionFactory(plan=scenario.plan, reference=reference, findings=[scenario.finding])
    client.force_login(world.officer)
    sections = client.get(reverse("plan_detail", args=[scenario.plan.pk])).context["detail"].sections
    assert [a.reference for a in sections[0].actions] == ["1.1", "1.2", "1.9", "1.10"]


@pytest.mark.parametrize("query", ["page=999", "page=abc", "sort=nonsense", "export=pdf", "overdue=maybe"])
def test_odd_list_parameters_never_crash(client, world, scenario, query):
    client.force_login(world.officer)
    assert client.get(f"{reverse('action_list')}?{query}").status_code in (200, 404)


class TestAreaScopedFilterLists:
    """Plans, findings, lead organisations and officers are offered for one area at a time (a national user
    would otherwise get thousands of options on every page), and still checked against what the user may see."""

    def options(self, response, name: str) -> list[str]:
        return [label for value, label in response.context["filter"].form.fields[name].choices if value != ""]

    def test_someone_with_several_areas_chooses_an_area_first(self, client, world, scenario):
        client.force_login(world.admin)
        response = client.get(reverse("action_list"))
        for name in ("plan", "finding", "lead_organisation", "lead_officer"):
            assert self.options(response, name) == []
        assert "choose the area and apply the filters" in response.content.decode()
        chosen = client.get(reverse("action_list"), {"area": world.area.pk})
        assert self.options(chosen, "plan") == ["Northshire: Northshire priority action plan"]
        assert self.options(chosen, "lead_organisation") == [world.council.name]
        assert self.options(chosen, "lead_officer") == [world.officer.display_name]
        assert [a.reference for a in chosen.context["table"].data] == ["1.1"]

    def test_someone_with_one_area_gets_its_lists_straight_away(self, client, world, scenario):
        client.force_login(world.officer)
        response = client.get(reverse("action_list"))
        assert self.options(response, "plan") == ["Northshire: Northshire priority action plan"]
        assert self.options(response, "finding") == ["Northshire 1. Waiting times for assessment"]

    def test_a_plan_given_without_an_area_still_filters(self, client, world, scenario):
        client.force_login(world.admin)
        response = client.get(reverse("action_list"), {"plan": scenario.plan.pk})
        assert self.options(response, "plan") == ["Northshire: Northshire priority action plan"]
        assert [a.reference for a in response.context["table"].data] == ["1.1"]

    @pytest.mark.parametrize(
        "params",
        [
            {"plan": "abc"},
            {"plan": "99999999999999999999"},
            {"lead_officer": "-1"},
            {"area": "abc"},
            {"finding": "0"},
        ],
    )
    def test_bad_values_are_refused_with_a_message(self, client, world, scenario, params):
        client.force_login(world.admin)
        response = client.get(reverse("action_list"), params)
        assert response.status_code == 200
        assert "Select one of the options in the list" in response.content.decode()
        assert len(response.context["table"].data) == 0

    def test_a_plan_outside_the_chosen_area_is_refused(self, client, world, scenario):
        client.force_login(world.admin)
        other_plan = scenario.other_action.plan
        response = client.get(reverse("action_list"), {"area": world.area.pk, "plan": other_plan.pk})
        assert "Select one of the options in the list" in response.content.decode()
        assert len(response.context["table"].data) == 0

    def test_a_plan_outside_the_users_areas_is_refused_without_an_area(self, client, world, scenario):
        client.force_login(world.adviser)
        response = client.get(reverse("action_list"), {"plan": scenario.other_action.plan.pk})
        assert "Select one of the options in the list" in response.content.decode()
        assert len(response.context["table"].data) == 0

    def test_cells_keep_their_markup(self, client, world, scenario):
        client.force_login(world.officer)
        page = client.get(reverse("action_list")).content.decode()
        url = reverse("action_detail", args=[scenario.action.pk])
        assert f'<td class="govuk-table__cell"><a href="{url}">1.1</a></td>' in page
        assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
        assert '<strong class="govuk-tag ">In progress</strong>' in page
        assert '<strong class="govuk-tag govuk-tag--green">Green</strong>' in page
        assert f'{world.council.name}<br><span class="govuk-body-s">{world.officer.display_name}</span>' in page


class TestExactQueryCounts:
    """Session, user, roles, the user's areas (and the second factor for an administrator), then the page's own:
    the area list, the count, the rows, and, once an area is chosen or if the user has only one, its plans,
    findings, lead organisations and officers (one query each)."""

    @pytest.mark.parametrize(
        ("persona", "params", "expected"),
        [
            ("officer", {}, 11),  # one area: its lists come straight away
            ("admin", {}, 8),
            ("admin", {"area": "AREA", "overdue": "on"}, 12),
            ("admin", {"export": "csv"}, 8),  # the rows and their findings, no count or lists
        ],
    )
    def test_action_list(self, client, world, scenario, django_assert_num_queries, persona, params, expected):
        many_actions(scenario.plan, world.officer, 30)
        client.force_login(getattr(world, persona))
        params = {k: world.area.pk if v == "AREA" else v for k, v in params.items()}
        with django_assert_num_queries(expected):
            assert client.get(reverse("action_list"), params).status_code == 200

    def test_my_actions(self, client, world, scenario, django_assert_num_queries):
        many_actions(scenario.plan, world.officer, 30)
        client.force_login(world.officer)
        # Session, user, roles, areas, the actions they lead due by the end of the window, recently updated.
        with django_assert_num_queries(6):
            assert client.get(reverse("my_actions")).status_code == 200
