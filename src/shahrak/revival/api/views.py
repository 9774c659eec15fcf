from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError

from shahrak.accounts.api.base import ScopedViewSetMixin

from .. import services
from ..filtersets import CaseFilterSet, ReportFilterSet
from ..forms import units_filed_by
from ..models import MonthlyReport, RevivalCase
from .serializers import MonthlyReportSerializer, RevivalCaseSerializer


class RevivalCaseViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Revival cases, read (their steps are taken on the case's page, through the services)."""

    serializer_class = RevivalCaseSerializer
    queryset = (
        RevivalCase.objects.select_related("unit__county__province")
        .prefetch_related("reasons")
        .order_by("-opened_on", "-pk")
    )
    filterset_class = CaseFilterSet


class MonthlyReportViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Units' monthly reports: read, and filed (POST: the month's figures, submitted unless
    `submit` is false) by the unit's representatives or the province's staff."""

    serializer_class = MonthlyReportSerializer
    queryset = MonthlyReport.objects.select_related("unit").order_by("-year", "-month", "pk")
    filterset_class = ReportFilterSet

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        unit = data.pop("unit")
        if not units_filed_by(self.request.user).filter(pk=unit.pk).exists():
            raise ValidationError({"unit": "not a unit whose reports you file"}, "unit_not_allowed")
        submit = data.pop("submit", True)
        call = services.monthly_report_file if submit else services.monthly_report_save
        serializer.instance = call(
            actor=self.request.user, unit=unit, year=data.pop("year"), month=data.pop("month"),
            **data,
        )  # fmt: skip
