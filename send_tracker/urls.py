from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("healthz", health.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("inspections.urls")),
    path("", include("reminders.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "SEND Tracker administration"
admin.site.site_title = "SEND Tracker"
