from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from shahrak.accounts.access import Declaration
from shahrak.core.jalali import jalali_year_of

from ..services import build_report, parse_period, resolve_scope


class MetricsView(APIView):
    """Every metric for a province (or the nation) and a Jalali period, with the same
    period last year; a province the user may not see answers 404."""

    access = Declaration("signed_in")

    @extend_schema(
        parameters=[
            OpenApiParameter("province", str, description="province code; none: national"),
            OpenApiParameter("county", int, description="county id"),
            OpenApiParameter("park", int, description="park id"),
            OpenApiParameter("period", str, description="1401, 1401-H1, 1401-Q2, 1401-06, a..b"),
        ],
        responses={200: dict},
    )
    def get(self, request):
        period_key = request.query_params.get("period") or str(jalali_year_of(timezone.localdate()))
        params = request.query_params
        scope, described = resolve_scope(
            request.user,
            province=params.get("province"),
            county=params.get("county"),
            park=params.get("park"),
        )
        report = build_report(
            request.user, scope=scope, scope_description=described, period=parse_period(period_key)
        )
        return Response(report)
