"""REST API, version 1. Every queryset starts from accounts.access: outside the user's areas is 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response

from accounts import access
from actions import services
from actions.models import Action, ActionPlan, Measure, MeasureValue, ProgressUpdate
from inspections.models import Finding, Inspection, LocalArea, Organisation

from . import filters, serializers


def _validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({"non_field_errors": exc.messages})


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """Local areas you can see."""

    queryset = LocalArea.objects.none()
    serializer_class = serializers.AreaSerializer

    def get_queryset(self):
        return access.visible_areas(self.request.user).select_related("council").order_by("name")


class InspectionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Inspection.objects.none()
    serializer_class = serializers.InspectionSerializer
    filterset_class = filters.InspectionFilter

    def get_queryset(self):
        return access.visible_inspections(self.request.user).order_by("area_id", "onsite_start", "pk")


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Finding.objects.none()
    serializer_class = serializers.FindingSerializer
    filterset_class = filters.FindingFilter

    def get_queryset(self):
        return (
            access.visible_findings(self.request.user)
            .select_related("inspection")
            .order_by("inspection_id", "reference")
        )


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ActionPlan.objects.none()
    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter

    def get_queryset(self):
        return access.visible_plans(self.request.user).order_by("area_id", "pk")


@extend_schema_view(
    partial_update=extend_schema(
        request=serializers.ActionPatchSerializer,
        responses={
            200: serializers.ActionSerializer,
            409: OpenApiResponse(serializers.StaleVersionSerializer, description="The version was stale."),
        },
        description="Change some fields of an action. Send the `version` you read; if someone has saved the "
        "action since, the answer is 409 with the current action. A new `due_date` needs `due_date_reason`.",
    )
)
class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Actions in your areas, with the action list's filters."""

    queryset = Action.objects.none()
    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter
    ordering_fields = ["due_date", "reference", "last_update_at"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return (
            access.visible_actions(self.request.user)
            .select_related("plan", "lead_organisation", "lead_officer")
            # The serializer shows only their ids: not each finding's text or each organisation's details.
            .prefetch_related(
                Prefetch("findings", queryset=Finding.objects.only("id")),
                Prefetch("supporting_organisations", queryset=Organisation.objects.only("id")),
            )
            .order_by("plan_id", "reference")
        )

    def partial_update(self, request, pk=None):
        action = self.get_object()
        patch = serializers.ActionPatchSerializer(data=request.data, context={"request": request})
        patch.is_valid(raise_exception=True)
        changes = dict(patch.validated_data)
        version = changes.pop("version")
        reason = changes.pop("due_date_reason", "")
        new_due = changes.pop("due_date", None)
        try:
            with transaction.atomic():
                action = self._apply(action, version, changes, new_due, reason)
        except services.StaleVersion as exc:
            current = self.get_queryset().get(pk=exc.current.pk)
            return Response(
                {"detail": str(exc), "current": serializers.ActionSerializer(current).data},
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise _validation_error(exc) from exc
        return Response(serializers.ActionSerializer(self.get_queryset().get(pk=action.pk)).data)

    def _apply(self, action: Action, version: int, changes: dict, new_due, reason: str) -> Action:
        user = self.request.user
        if changes:
            action = services.action_update(action_id=action.pk, user=user, expected_version=version, changes=changes)
            version = action.version
        if new_due is not None and new_due != action.due_date:
            action = services.action_revise_due_date(
                action_id=action.pk, user=user, expected_version=version, new_due_date=new_due, reason=reason
            )
        elif action.version != version:
            raise services.StaleVersion(action)
        return action


class ProgressUpdateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Progress updates are append-only: list, read and post, never change."""

    queryset = ProgressUpdate.objects.none()
    serializer_class = serializers.ProgressUpdateSerializer
    filterset_class = filters.ProgressUpdateFilter

    def get_queryset(self):
        return (
            ProgressUpdate.objects.filter(action__in=access.visible_actions(self.request.user))
            .select_related("author")
            .order_by("-created_at", "-pk")
        )

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        try:
            serializer.instance = services.progress_update_create(
                action=data["action"],
                author=self.request.user,
                text=data["text"],
                rag=data["rag"],
                percent_complete=data["percent_complete"],
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise _validation_error(exc) from exc


class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Measure.objects.none()
    serializer_class = serializers.MeasureSerializer
    filterset_class = filters.MeasureFilter

    def get_queryset(self):
        return access.visible_measures(self.request.user).prefetch_related("findings").order_by("area_id", "name")


class MeasureValueViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = MeasureValue.objects.none()
    serializer_class = serializers.MeasureValueSerializer
    filterset_class = filters.MeasureValueFilter

    def get_queryset(self):
        return MeasureValue.objects.filter(measure__in=access.visible_measures(self.request.user)).order_by(
            "measure_id", "period"
        )
