from rest_framework import serializers

from shahrak.units.models import Unit

from ..models import MonthlyReport, RevivalCase


class FiledUnitField(serializers.PrimaryKeyRelatedField):
    """A unit among those whose reports the user files: any other id — another province's
    unit or one that does not exist — is refused alike, with no name."""

    def get_queryset(self):
        from ..forms import units_filed_by

        request = self.context.get("request")
        return units_filed_by(getattr(request, "user", None))


class RevivalCaseSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    province = serializers.CharField(source="unit.county.province.code", read_only=True)
    reasons = serializers.SlugRelatedField(many=True, read_only=True, slug_field="reason")

    class Meta:
        model = RevivalCase
        fields = [
            "id", "unit", "unit_name", "province", "opened_on", "identified_by", "reasons",
            "jobs_at_stake", "stage", "assigned_to", "previous_case", "restarted_on",
            "closed_on", "jobs_restored", "note", "is_demo",
        ]  # fmt: skip
        read_only_fields = fields


class MonthlyReportSerializer(serializers.ModelSerializer):
    unit = FiledUnitField(queryset=Unit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    due_on = serializers.DateField(read_only=True)
    submit = serializers.BooleanField(
        write_only=True, default=True, help_text="submit for review (false: keep as a draft)"
    )

    class Meta:
        model = MonthlyReport
        fields = [
            "id", "unit", "unit_name", "year", "month", "production_volume",
            "production_measure", "sales_rial", "employees", "exports_rial", "energy_kwh",
            "status", "return_reason", "due_on", "filed_at", "reviewed_at", "submit",
        ]  # fmt: skip
        read_only_fields = ["status", "return_reason", "filed_at", "reviewed_at"]
        # One report a month: the service says so (saving a draft again corrects it).
        validators = []
