from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import ActionPlan, Cluster, DevelopmentPlan, Membership, PlanStep


class ClusterMembershipSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    national_id = serializers.CharField(source="unit.national_id", read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = ["id", "unit", "unit_name", "national_id", "joined_on", "left_on", "distance_km"]
        read_only_fields = fields


class ClusterSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Cluster
        fields = [
            "id", "name", "isic_code", "product", "province", "centre_latitude",
            "centre_longitude", "radius_km", "agent", "association_name",
            "association_registration_no", "note", "members", "is_demo",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ClusterMembershipSerializer(many=True))
    def get_members(self, cluster):
        current = [m for m in cluster.memberships.all() if m.archived_at is None]
        return ClusterMembershipSerializer(current, many=True).data


class PlanStepSerializer(serializers.ModelSerializer):
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = PlanStep
        fields = ["stage", "on", "note", "has_document"]
        read_only_fields = fields

    def get_has_document(self, step) -> bool:
        return bool(step.document)


class DevelopmentPlanSerializer(serializers.ModelSerializer):
    steps = serializers.SerializerMethodField()

    class Meta:
        model = DevelopmentPlan
        fields = [
            "id", "cluster", "started_on", "stage", "handed_over_on", "association_name",
            "association_registration_no", "finished_on", "note", "steps", "is_demo",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(PlanStepSerializer(many=True))
    def get_steps(self, plan):
        steps = [s for s in plan.steps.all() if s.archived_at is None]
        return PlanStepSerializer(sorted(steps, key=lambda s: (s.on, s.pk)), many=True).data


class ActionPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionPlan
        fields = [
            "id", "cluster", "year", "title", "category", "cost_rial", "subsidy_rial",
            "application", "status", "starts_on", "ends_on", "is_demo",
        ]  # fmt: skip
        read_only_fields = fields
