from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from shahrak.accounts.access import Declaration
from shahrak.core.jalali import jalali_year_of

from ..press import sentences
from ..services import build_report, parse_period, press_wording, resolve_scope

REPORT_PARAMETERS = [
    OpenApiParameter("province", str, description="province code; none: national"),
    OpenApiParameter("county", int, description="county id"),
    OpenApiParameter("park", int, description="park id"),
    OpenApiParameter("period", str, description="1401, 1401-H1, 1401-Q2, 1401-06, a..b"),
]


def _report(request) -> dict:
    params = request.query_params
    period_key = params.get("period") or str(jalali_year_of(timezone.localdate()))
    scope, described = resolve_scope(
        request.user,
        province=params.get("province"),
        county=params.get("county"),
        park=params.get("park"),
    )
    return build_report(
        request.user, scope=scope, scope_description=described, period=parse_period(period_key)
    ), scope


class ReportView(APIView):
    """Reports are for users who hold a province or the country (as the report pages)."""

    access = Declaration("provincial")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self.access.lets_in(request.user):
            raise PermissionDenied


class MetricsView(ReportView):
    """Every metric for a province (or the nation) and a Jalali period, with the same
    period last year; for flows also the year to date and the total since the start; a
    province the user may not see answers 404."""

    @extend_schema(parameters=REPORT_PARAMETERS, responses={200: dict})
    def get(self, request):
        report, _scope = _report(request)
        return Response(report)


class PressView(ReportView):
    """The press paragraph of the same report, sentence by sentence, in the wording of the
    scope's province."""

    @extend_schema(parameters=REPORT_PARAMETERS, responses={200: dict})
    def get(self, request):
        report, scope = _report(request)
        written = sentences(report, templates=press_wording(scope.province_code))
        return Response(
            {
                "scope": report["scope"],
                "period": report["period"],
                "paragraph": " ".join(written),
                "sentences": written,
            }
        )
