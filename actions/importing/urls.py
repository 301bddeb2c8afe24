from django.urls import path

from . import views

urlpatterns = [
    path("plans/import-template.xlsx", views.plan_import_template, name="plan_import_template"),
    path("plans/<int:plan_id>/export.xlsx", views.plan_export, name="plan_export"),
    path("plans/<int:plan_id>/import/", views.plan_import_upload, name="plan_import"),
    path("plans/<int:plan_id>/import/<str:token>/", views.plan_import_preview, name="plan_import_preview"),
    path(
        "plans/<int:plan_id>/import/<str:token>/confirm/",
        views.plan_import_confirm,
        name="plan_import_confirm",
    ),
]
