from rest_framework import serializers

from ..models import AuditEntry, Membership, User


class MembershipSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "role", "province", "archived_at"]


class UserSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "is_active", "memberships"]


class AuditEntrySerializer(serializers.ModelSerializer):
    # null: a change made by the system (a migration, a command run without a person).
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    # null: a record of no province (a national user's membership, for instance).
    province = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    model = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "timestamp",
            "actor",
            "remote_addr",
            "action",
            "model",
            "object_pk",
            "object_repr",
            "changes",
            "province",
        ]

    def get_model(self, entry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"
