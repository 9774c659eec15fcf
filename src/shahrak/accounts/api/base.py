"""The base of every API viewset over business records."""

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from shahrak.core.api import ModelSerializer

from ..access import Declaration, has_any_access, provinces_for
from ..choices import Action

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ScopedViewSetMixin:
    """A viewset whose records are `queryset.model.objects.restrict(user, action)`: reading
    needs VIEW, writing CHANGE; a record out of scope answers 404; a list to a user who may
    see none of the model answers 403."""

    view_action = Action.VIEW
    change_action = Action.CHANGE

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        model = cls.queryset.model
        cls.access = Declaration("scoped", model, cls.view_action, lookup="pk")

    def scope_action(self) -> str:
        return self.view_action if self.request.method in SAFE_METHODS else self.change_action

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, self.scope_action())

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        model = self.queryset.model
        if self.action == "list" and not has_any_access(request.user, model, self.view_action):
            raise PermissionDenied

    def perform_destroy(self, instance):
        # Nothing is hard-deleted through the API: DELETE archives.
        instance.archive(actor=self.request.user)


def expected_version(serializer) -> int:
    """The version the client read: required to update, so no edit is silently lost."""
    from rest_framework.exceptions import ValidationError

    version = serializer.validated_data.pop("version", None)
    if version is None:
        raise ValidationError({"version": "required to update (the version you read)"}, "required")
    return version


class ServiceWritesMixin:
    """Creates and updates go through the domain's services, never serializer.save():
    `create_service(actor=, **data)` and `update_service(actor=, record=, expected_version=,
    **data)`, given as staticmethods."""

    create_service = None
    update_service = None

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = self.create_service(actor=self.request.user, **data)

    def perform_update(self, serializer):
        version = expected_version(serializer)
        serializer.instance = self.update_service(
            actor=self.request.user,
            record=serializer.instance,
            expected_version=version,
            **serializer.validated_data,
        )


def within_reach(queryset, user, action: str = Action.CHANGE):
    """The records of `queryset` the user may `action`: scoped models through restrict(),
    counties through the provinces the user holds."""
    from shahrak.places.models import County

    if hasattr(queryset, "restrict"):
        return queryset.restrict(user, action)
    if queryset.model is County:
        return queryset.filter(province__in=provinces_for(user, action))
    raise TypeError(f"no scope for {queryset.model.__name__}: a related field cannot name it")


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record named by its id, among those the user may change (as the forms'
    choice lists offer them): an id outside the user's scope is refused exactly as an id
    that does not exist — same status, same message, no name — and never reaches a service
    that would name the record in its refusal."""

    def get_queryset(self):
        request = self.context.get("request")
        return within_reach(super().get_queryset(), getattr(request, "user", None))


class ScopedModelSerializer(ModelSerializer):
    """The base of every writable API serializer: related records by id within reach."""

    serializer_related_field = ScopedRelatedField
