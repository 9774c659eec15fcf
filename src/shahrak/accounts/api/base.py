"""The base of every API viewset over business records."""

from rest_framework.exceptions import PermissionDenied

from ..access import Declaration, has_any_access
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
