from rest_framework import mixins, viewsets

from shahrak.accounts.api.base import ScopedViewSetMixin, ServiceWritesMixin

from .. import services
from ..filtersets import ParkFilterSet, PlotFilterSet, ProjectFilterSet
from ..models import InfrastructureProject, Park, Plot
from .serializers import InfrastructureProjectSerializer, ParkSerializer, PlotSerializer


class NoDeleteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Read, create and update; records are never deleted through the API."""


class ParkViewSet(ServiceWritesMixin, ScopedViewSetMixin, NoDeleteViewSet):
    serializer_class = ParkSerializer
    queryset = Park.objects.select_related("county__province").order_by("sort_key", "pk")
    filterset_class = ParkFilterSet
    create_service = staticmethod(services.park_create)
    update_service = staticmethod(lambda record, **kw: services.park_update(park=record, **kw))


class PlotViewSet(ScopedViewSetMixin, NoDeleteViewSet):
    serializer_class = PlotSerializer
    queryset = Plot.objects.select_related("park").order_by("park", "sort_key")
    filterset_class = PlotFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        # The park is one the user may change (ScopedRelatedField): another province's park
        # is refused as one that does not exist.
        data = dict(serializer.validated_data)
        serializer.instance = services.plot_create(actor=self.request.user, **data)


class InfrastructureProjectViewSet(ServiceWritesMixin, ScopedViewSetMixin, NoDeleteViewSet):
    serializer_class = InfrastructureProjectSerializer
    queryset = InfrastructureProject.objects.select_related("park").order_by("park", "sort_key")
    filterset_class = ProjectFilterSet
    create_service = staticmethod(services.project_create)
    update_service = staticmethod(
        lambda record, **kw: services.project_update(project=record, **kw)
    )
