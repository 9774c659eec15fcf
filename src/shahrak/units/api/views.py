from django.db.models import Prefetch

from shahrak.accounts.api.base import ScopedViewSetMixin, ServiceWritesMixin
from shahrak.parks.api.views import NoDeleteViewSet

from .. import services
from ..filtersets import UnitFilterSet
from ..models import ExportRecord, Unit
from .serializers import UnitSerializer


class UnitViewSet(ServiceWritesMixin, ScopedViewSetMixin, NoDeleteViewSet):
    serializer_class = UnitSerializer
    queryset = (
        Unit.objects.select_related("county__province")
        .prefetch_related(Prefetch("exports", queryset=ExportRecord.objects.order_by("on")))
        .order_by("name", "pk")
    )
    filterset_class = UnitFilterSet

    create_service = staticmethod(services.unit_create)
    update_service = staticmethod(lambda record, **kw: services.unit_update(unit=record, **kw))
