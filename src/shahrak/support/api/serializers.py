"""Support programs, budgets, applications and payments in the API. Related records are named
by id among those the user may act on: another province's record is refused exactly as an id
that does not exist."""

from rest_framework import serializers

from shahrak.accounts.access import provinces_for
from shahrak.accounts.choices import Action
from shahrak.core.api import ModelSerializer
from shahrak.places.models import Province
from shahrak.units.models import Unit

from ..choices import DocumentKind
from ..models import KEPT_BY_MANAGERS, Application, Payment, Program, ProgramBudget


class KeptProvinceField(serializers.PrimaryKeyRelatedField):
    """A province whose programs the user keeps (its manager; every one for the system
    administrators); empty = a national program (the administrators')."""

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        kept = provinces_for(user, Action.CHANGE, KEPT_BY_MANAGERS[Action.CHANGE])
        return Province.objects.filter(pk__in=kept)


class _UserField(serializers.PrimaryKeyRelatedField):
    chooser = None

    def get_queryset(self):
        from .. import forms

        request = self.context.get("request")
        return getattr(forms, self.chooser)(getattr(request, "user", None))


class ApplicantUnitField(_UserField):
    """A unit the user may apply for (represented, or of the province whose staff they are)."""

    chooser = "units_to_apply_for"


class OpenProgramField(_UserField):
    """A program open today in the provinces of those units."""

    chooser = "programs_to_apply_to"


class ProgramSerializer(ModelSerializer):
    province = KeptProvinceField(queryset=Province.objects.all(), required=False, allow_null=True)
    eligible_provinces = serializers.PrimaryKeyRelatedField(
        queryset=Province.objects.all(), many=True, required=False
    )
    size_classes = serializers.ListField(child=serializers.CharField(), required=False)
    sectors = serializers.ListField(child=serializers.CharField(), required=False)
    isic_prefixes = serializers.ListField(child=serializers.CharField(), required=False)
    required_documents = serializers.ListField(
        child=serializers.ChoiceField(choices=DocumentKind.choices), required=False
    )
    # The rate range is checked by the services (code `rate_out_of_range`), not here.
    rate_min_pct = serializers.DecimalField(max_digits=5, decimal_places=2)
    rate_max_pct = serializers.DecimalField(max_digits=5, decimal_places=2)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Program
        fields = [
            "id", "title", "description", "family", "flagship", "province",
            "eligible_provinces", "size_classes", "sectors", "isic_prefixes", "in_park_only",
            "rate_min_pct", "rate_max_pct", "cap_per_unit_rial", "opens_on", "closes_on",
            "required_documents", "is_demo", "version",
        ]  # fmt: skip
        read_only_fields = ["is_demo"]
        validators = []  # the rules are the services' (program_create, program_update)


class ProgramBudgetSerializer(ModelSerializer):
    program_title = serializers.CharField(source="program.title", read_only=True)
    province = serializers.CharField(source="province.code", read_only=True)
    available_rial = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProgramBudget
        fields = [
            "id", "program", "program_title", "province", "year", "amount_rial",
            "reserved_rial", "paid_rial", "available_rial",
        ]  # fmt: skip
        read_only_fields = fields


class ApplicationSerializer(ModelSerializer):
    unit = ApplicantUnitField(queryset=Unit.objects.all())
    program = OpenProgramField(queryset=Program.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    province = serializers.CharField(source="unit.county.province.code", read_only=True)
    submit = serializers.BooleanField(
        write_only=True, default=False, help_text="submit for review at once (default: a draft)"
    )

    class Meta:
        model = Application
        fields = [
            "id", "unit", "unit_name", "province", "program", "status", "description",
            "requested_cost_rial", "submitted_at", "approved_on", "approved_cost_rial",
            "approved_rate_pct", "approved_amount_rial", "executed_on", "actual_cost_rial",
            "eligible_cost_rial", "subsidy_rial", "committed_rial", "paid_rial", "closed_on",
            "reason", "is_demo", "submit",
        ]  # fmt: skip
        read_only_fields = [
            name for name in fields if name not in ("unit", "program", "description",
                                                    "requested_cost_rial", "submit")
        ]  # fmt: skip


class PaymentSerializer(ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "application", "on", "amount_rial", "reference"]
        read_only_fields = fields
