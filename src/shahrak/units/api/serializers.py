from rest_framework import serializers

from shahrak.accounts.api.base import ScopedModelSerializer, ScopedRelatedField
from shahrak.parks.models import Park, Plot
from shahrak.places.models import County

from ..choices import UnitStatus
from ..models import ExportRecord, Unit


class ExportRecordSerializer(ScopedModelSerializer):
    class Meta:
        model = ExportRecord
        fields = ["id", "on", "destination", "product", "value_usd"]


class StatusField(serializers.ChoiceField):
    """A unit's current status; null while it has none (registered without a status)."""

    def to_representation(self, value):
        return super().to_representation(value) if value else None


class UnitSerializer(ScopedModelSerializer):
    county = ScopedRelatedField(queryset=County.objects.all())
    park = ScopedRelatedField(queryset=Park.objects.all(), allow_null=True, required=False)
    plot = ScopedRelatedField(queryset=Plot.objects.all(), allow_null=True, required=False)
    province = serializers.CharField(source="county.province.code", read_only=True)
    size_class = serializers.CharField(read_only=True)
    status = StatusField(choices=UnitStatus.choices, read_only=True, allow_null=True)
    exports = ExportRecordSerializer(many=True, read_only=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Unit
        fields = [
            "id", "name", "national_id", "registration_number", "manager_name", "mobile",
            "postal_code", "province", "county", "park", "plot", "latitude", "longitude",
            "isic_code", "products", "sector", "employees", "size_class", "licence_number",
            "licence_date", "business_id", "status", "status_since", "is_demo", "exports",
            "version",
        ]  # fmt: skip
        read_only_fields = ["status", "status_since", "is_demo"]
