from django.urls import path

from . import views

urlpatterns = [
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("account/calendar/", views.calendar_settings, name="calendar_settings"),
    path("account/calendar/new-link/", views.calendar_reset, name="calendar_reset"),
    path("account/calendar/turn-off/", views.calendar_revoke, name="calendar_revoke"),
]
