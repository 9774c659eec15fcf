from rest_framework import serializers

from shahrak.accounts.api.base import ScopedModelSerializer, ScopedRelatedField
from shahrak.core.api import DateField
from shahrak.places.models import County

from ..models import InfrastructureProject, Park, Plot


class ParkSerializer(ScopedModelSerializer):
    county = ScopedRelatedField(queryset=County.objects.all())
    province = serializers.CharField(source="county.province.code", read_only=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Park
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "province",
            "county",
            "latitude",
            "longitude",
            "gross_area_ha",
            "industrial_area_ha",
            "established_on",
            "is_demo",
            "version",
        ]
        read_only_fields = ["is_demo"]


class PlotSerializer(ScopedModelSerializer):
    on = DateField(write_only=True, help_text="ready for allocation from")

    class Meta:
        model = Plot
        fields = ["id", "park", "section", "number", "area_m2", "use", "status", "allottee", "on"]
        read_only_fields = ["status", "allottee"]


class InfrastructureProjectSerializer(ScopedModelSerializer):
    version = serializers.IntegerField(required=False)

    class Meta:
        model = InfrastructureProject
        fields = [
            "id",
            "park",
            "section",
            "title",
            "kind",
            "capacity",
            "capacity_unit",
            "estimated_cost_rial",
            "contractor",
            "planned_start",
            "planned_end",
            "target_delivery",
            "status",
            "progress_pct",
            "spent_rial",
            "temporarily_delivered_on",
            "finally_delivered_on",
            "version",
        ]
        read_only_fields = [
            "status",
            "progress_pct",
            "spent_rial",
            "temporarily_delivered_on",
            "finally_delivered_on",
        ]
