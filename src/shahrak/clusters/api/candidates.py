"""Candidate clusters through the API: the same JSON as `shahrak clusters discover`."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from shahrak.accounts.access import Declaration, provinces_for

from ..discovery import DEFAULT_MIN_UNITS
from ..models import DEFAULT_RADIUS_KM
from ..selectors import discover_for


class CandidateQuery(serializers.Serializer):
    province = serializers.SlugField(required=False, max_length=64)
    radius_km = serializers.IntegerField(required=False, min_value=1, max_value=500)
    min_units = serializers.IntegerField(required=False, min_value=1, max_value=1000)


class CentreSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lon = serializers.FloatField()


class CandidateSerializer(serializers.Serializer):
    isic = serializers.CharField()
    product = serializers.CharField()
    province = serializers.CharField()
    centre = CentreSerializer()
    radius_km = serializers.IntegerField()
    units = serializers.IntegerField()
    jobs = serializers.IntegerField()
    lq = serializers.FloatField(allow_null=True)
    members = serializers.ListField(child=serializers.CharField())


class ParametersSerializer(serializers.Serializer):
    province = serializers.CharField(allow_null=True)
    radius_km = serializers.IntegerField()
    min_units = serializers.IntegerField()


class DiscoverySerializer(serializers.Serializer):
    parameters = ParametersSerializer()
    candidates = CandidateSerializer(many=True)


class CandidateView(APIView):
    """Candidate clusters among the operating units the user sees (of one province, if
    given), in rank order (docs/discovery.md); for users who hold a province or the country,
    as the page; a province the user may not see answers 404."""

    access = Declaration("provincial")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self.access.lets_in(request.user):
            raise PermissionDenied

    @extend_schema(
        parameters=[
            OpenApiParameter("province", str, description="province code; none: all you see"),
            OpenApiParameter("radius_km", int, description="1 to 500 (default 100)"),
            OpenApiParameter("min_units", int, description="at least 1 (default 10)"),
        ],
        responses={200: DiscoverySerializer},
    )
    def get(self, request):
        query = CandidateQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        province = query.validated_data.get("province")
        if province and not provinces_for(request.user).filter(code=province).exists():
            raise NotFound
        found = discover_for(
            request.user,
            province=province,
            radius_km=query.validated_data.get("radius_km", DEFAULT_RADIUS_KM),
            min_units=query.validated_data.get("min_units", DEFAULT_MIN_UNITS),
        )
        return Response(found.as_json())
