from django.db.models import Prefetch

from shahrak.accounts.api.base import ScopedViewSetMixin
from shahrak.parks.api.views import NoDeleteViewSet, expected_version

from .. import services
from ..filtersets import UnitFilterSet
from ..models import ExportRecord, Unit
from .serializers import UnitSerializer


class UnitViewSet(ScopedViewSetMixin, NoDeleteViewSet):
    serializer_class = UnitSerializer
    queryset = (
        Unit.objects.select_related("county__province")
        .prefetch_related(Prefetch("exports", queryset=ExportRecord.objects.order_by("on")))
        .order_by("name", "pk")
    )
    filterset_class = UnitFilterSet

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.unit_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        version = expected_version(serializer)
        serializer.instance = services.unit_update(
            actor=self.request.user,
            unit=serializer.instance,
            expected_version=version,
            **serializer.validated_data,
        )
