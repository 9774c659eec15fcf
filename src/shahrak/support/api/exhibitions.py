"""The API of exhibitions, exhibition supports and service records (read; they are recorded
on their pages, through the services); its ROUTES are listed in `api/urls.py`."""

from rest_framework import serializers, viewsets

from shahrak.accounts.api.base import ScopedViewSetMixin

from ..filtersets import ExhibitionFilterSet, ExhibitionSupportFilterSet, ServiceRecordFilterSet
from ..models import Exhibition, ExhibitionSupport, ServiceRecord


class ExhibitionSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)

    class Meta:
        model = Exhibition
        fields = ["id", "name", "reach", "city", "country", "starts_on", "ends_on", "organiser",
                  "province", "is_demo"]  # fmt: skip
        read_only_fields = fields


class ExhibitionSupportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ExhibitionSupport
        fields = ["id", "exhibition", "unit", "unit_name", "kind", "booth_area_m2",
                  "subsidy_rial", "on", "is_demo"]  # fmt: skip
        read_only_fields = fields


class ServiceRecordSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    province = serializers.CharField(source="province.code", read_only=True)
    units = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRecord
        fields = ["id", "kind", "on", "province", "units", "provider", "cost_rial", "park",
                  "team", "description", "is_demo"]  # fmt: skip
        read_only_fields = fields

    def get_units(self, record) -> list[int]:
        """The units served that the reader may see (a representative: their own)."""
        from shahrak.accounts.choices import Action
        from shahrak.units.models import Unit

        ids = [unit.pk for unit in record.units.all()]
        known = self.context.setdefault("visible_units", {})
        if unknown := [pk for pk in ids if pk not in known]:
            request = self.context.get("request")
            seen = set(
                Unit.objects.restrict(getattr(request, "user", None), Action.VIEW)
                .filter(pk__in=unknown)
                .values_list("pk", flat=True)
            )
            known.update({pk: pk in seen for pk in unknown})
        return [pk for pk in ids if known[pk]]


class ExhibitionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ExhibitionSerializer
    queryset = (
        Exhibition.objects.filter(archived_at__isnull=True)
        .select_related("province")
        .order_by("-starts_on", "pk")
    )
    filterset_class = ExhibitionFilterSet


class ExhibitionSupportViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ExhibitionSupportSerializer
    queryset = (
        ExhibitionSupport.objects.filter(archived_at__isnull=True)
        .select_related("unit")
        .order_by("-on", "-pk")
    )
    filterset_class = ExhibitionSupportFilterSet


class ServiceRecordViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ServiceRecordSerializer
    queryset = (
        ServiceRecord.objects.filter(archived_at__isnull=True)
        .select_related("kind", "province")
        .prefetch_related("units")
        .order_by("-on", "-pk")
    )
    filterset_class = ServiceRecordFilterSet


ROUTES = [
    ("exhibitions", ExhibitionViewSet, "exhibition"),
    ("exhibition-supports", ExhibitionSupportViewSet, "exhibition-support"),
    ("service-records", ServiceRecordViewSet, "service-record"),
]
