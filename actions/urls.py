from django.urls import path

from . import views

urlpatterns = [
    path("start/", views.after_sign_in, name="after_sign_in"),
    path("my-actions/", views.my_actions, name="my_actions"),
    path("actions/", views.action_list, name="action_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/update/", views.progress_update_create, name="progress_update_create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/due-date/", views.action_revise_due_date, name="action_revise_due_date"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action_complete"),
    path("actions/<int:pk>/sign-off/", views.action_sign_off, name="action_sign_off"),
    path("actions/<int:pk>/send-back/", views.action_send_back, name="action_send_back"),
    path("actions/<int:pk>/cancel/", views.action_cancel, name="action_cancel"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
]
