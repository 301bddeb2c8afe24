from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import SignInForm

from . import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("healthz", health.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("accounts.urls")),
    path("", include("inspections.urls")),
    path("", include("actions.urls")),
    path("", include("actions.importing.urls")),
    path("", include("api.urls")),
    path("", include("calendars.urls")),
    path("", include("reminders.urls")),
    path("", include("dashboards.urls")),
    path("admin/", admin.site.urls),
]

# The other error pages use Django's default views with templates/404.html, 403.html and 400.html.
handler500 = "send_tracker.views.server_error"

admin.site.site_header = "SEND Tracker administration"
admin.site.site_title = "SEND Tracker"
