from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import AreaPartner, BoardMeeting, Finding, Inspection, LocalArea, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "active_from", "active_to"]
    list_filter = ["kind"]
    search_fields = ["name"]


class AreaPartnerInline(admin.TabularInline):
    model = AreaPartner
    extra = 0
    autocomplete_fields = ["organisation"]


class BoardMeetingInline(admin.TabularInline):
    model = BoardMeeting
    extra = 0


@admin.register(LocalArea)
class LocalAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "la_code", "council", "is_invented"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "la_code"]
    inlines = [AreaPartnerInline, BoardMeetingInline]


class FindingInline(admin.StackedInline):
    model = Finding
    fk_name = "inspection"
    extra = 0
    raw_id_fields = ["judges"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    # Links to the published report or plan: a link typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["area", "framework", "kind", "onsite_start", "published_on", "outcome"]
    list_filter = ["framework", "kind", "outcome", "area"]
    raw_id_fields = ["follows"]
    inlines = [FindingInline]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "kind", "inspection", "judgement"]
    list_filter = ["kind", "judgement", "inspection__area"]
    search_fields = ["title", "reference"]
    raw_id_fields = ["judges"]
