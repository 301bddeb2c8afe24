from django.urls import path

from . import views

urlpatterns = [
    path("areas/<slug:slug>/", views.area_detail, name="area_detail"),
]
