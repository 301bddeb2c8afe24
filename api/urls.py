from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import account_views, docs, views

router = DefaultRouter()
router.register("areas", views.AreaViewSet, basename="api-area")
router.register("inspections", views.InspectionViewSet, basename="api-inspection")
router.register("findings", views.FindingViewSet, basename="api-finding")
router.register("plans", views.PlanViewSet, basename="api-plan")
router.register("actions", views.ActionViewSet, basename="api-action")
router.register("progress-updates", views.ProgressUpdateViewSet, basename="api-progress-update")
router.register("measures", views.MeasureViewSet, basename="api-measure")
router.register("measure-values", views.MeasureValueViewSet, basename="api-measure-value")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", docs.api_docs, name="api_docs"),
    path("account/api-tokens/", account_views.api_token_list, name="api_tokens"),
    path("account/api-tokens/<int:token_id>/revoke/", account_views.api_token_revoke, name="api_token_revoke"),
]
