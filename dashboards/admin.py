from django.contrib import admin

from .models import BoardPackSchedule


@admin.register(BoardPackSchedule)
class BoardPackScheduleAdmin(admin.ModelAdmin):
    list_display = ["area", "working_days_before", "enabled"]
    list_filter = ["enabled"]
    autocomplete_fields = ["area"]
