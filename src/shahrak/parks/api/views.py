from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError

from shahrak.accounts.api.base import ScopedViewSetMixin
from shahrak.accounts.choices import Action

from .. import services
from ..filtersets import ParkFilterSet, PlotFilterSet, ProjectFilterSet
from ..models import InfrastructureProject, Park, Plot
from .serializers import InfrastructureProjectSerializer, ParkSerializer, PlotSerializer


def expected_version(serializer) -> int:
    version = serializer.validated_data.pop("version", None)
    if version is None:
        raise ValidationError({"version": "required to update (the version you read)"}, "required")
    return version


class NoDeleteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Read, create and update; records are never deleted through the API."""


class ParkViewSet(ScopedViewSetMixin, NoDeleteViewSet):
    serializer_class = ParkSerializer
    queryset = Park.objects.select_related("county__province").order_by("name")
    filterset_class = ParkFilterSet

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.park_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        version = expected_version(serializer)
        serializer.instance = services.park_update(
            actor=self.request.user,
            park=serializer.instance,
            expected_version=version,
            **serializer.validated_data,
        )


class PlotViewSet(ScopedViewSetMixin, NoDeleteViewSet):
    serializer_class = PlotSerializer
    queryset = Plot.objects.select_related("park").order_by("park", "number")
    filterset_class = PlotFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        park = Park.objects.restrict(self.request.user, Action.CHANGE).filter(pk=data["park"].pk)
        if not park.exists():
            raise ValidationError({"park": "not a park you may change"}, "park_not_allowed")
        serializer.instance = services.plot_create(actor=self.request.user, **data)


class InfrastructureProjectViewSet(ScopedViewSetMixin, NoDeleteViewSet):
    serializer_class = InfrastructureProjectSerializer
    queryset = InfrastructureProject.objects.select_related("park").order_by("park", "title")
    filterset_class = ProjectFilterSet

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.project_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        version = expected_version(serializer)
        serializer.instance = services.project_update(
            actor=self.request.user,
            project=serializer.instance,
            expected_version=version,
            **serializer.validated_data,
        )
