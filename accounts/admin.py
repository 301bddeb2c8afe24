from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    filter_horizontal = ["areas"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Notifications", {"fields": ["reminder_delivery"]}))
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_staff"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_independent_chair", "is_parent_carer_forum_rep"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    filter_horizontal = ["areas"]
