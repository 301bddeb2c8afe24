from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("areas/<slug:slug>/dashboard/", views.area_dashboard, name="area_dashboard"),
    path("areas/<slug:slug>/board-pack/", views.board_pack_download, name="board_pack"),
    path("areas/<slug:slug>/measures/values/new/", views.measure_value_create, name="measure_value_create"),
    path("measures/import/", views.measure_import, name="measure_import"),
    path("national/", views.national_overview, name="national_overview"),
]
