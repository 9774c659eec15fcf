"""The one scoping mechanism: every query for business data goes through `.restrict(user, action)`.

A model declares how its records reach a province, and optionally a unit or a cluster:

    class Park(BusinessModel):
        scope = ScopeRule(province="county__province")
        objects = ScopedQuerySet.as_manager()

and every view, form choice list, export, report and API endpoint asks

    Park.objects.restrict(request.user, Action.VIEW)

so a record outside the user's scope behaves as if it did not exist.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

from django.db import models
from django.db.models import Q

from .choices import Action
from .policy import EVERYWHERE, access_for

# kind ("unit", "cluster") → function(user) giving a queryset of the pks the user holds.
# Domain apps register theirs (units: representatives; clusters: agents).
OBJECT_SCOPES: dict[str, Callable] = {}


def register_object_scope(kind: str, own_pks: Callable) -> None:
    OBJECT_SCOPES[kind] = own_pks


@dataclass(frozen=True)
class ObjectLink:
    """How a person is given objects of a kind ("unit": the units they represent) when they
    are invited to the role that reaches records through them. Registered by the app that
    owns the objects, so accounts imports none of them."""

    label: str  # the invite form's field naming the object
    missing: str  # the message when it is not named
    offered: Callable  # actor → queryset of the objects the actor may link someone to
    province_id: Callable  # object → id of its province (the invitation's province)
    link: Callable  # (*, actor, obj, user) → None: the service that links (DomainError)
    held: Callable  # user → queryset of the objects linked to them (shown on their page)
    held_label: str  # what the user's page calls those objects


# kind → how its objects are linked to a person; the units app registers "unit".
OBJECT_LINKS: dict[str, ObjectLink] = {}


def register_object_link(kind: str, link: ObjectLink) -> None:
    OBJECT_LINKS[kind] = link


@dataclass(frozen=True)
class ScopeRule:
    """How a model's records reach a province (a lookup path to `places.Province`; "" for
    Province itself), and optionally a unit or a cluster (paths to those models)."""

    province: str | None = None
    unit: str | None = None
    cluster: str | None = None
    # Reference data (provinces, ISIC codes…): every signed-in user may read all of it.
    registry: bool = False
    # The path crosses a to-many relation: filter through a subquery to avoid duplicates.
    many: bool = False
    # Per-action narrowing of the roles that may act at all (e.g. user lists: managers only).
    roles: dict[str, frozenset[str]] | None = None

    def roles_for(self, action: str) -> frozenset[str] | None:
        return (self.roles or {}).get(action)

    def province_lookup(self) -> str:
        return f"{self.province}__in" if self.province else "pk__in"


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = Action.VIEW) -> ScopedQuerySet:
        rule: ScopeRule = self.model.scope
        access = access_for(user)
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if rule.registry and action == Action.VIEW:
            return self.all()
        if access.superuser:
            return self.all()
        roles = rule.roles_for(action)
        conditions = []
        provinces = access.provinces(action, roles)
        if provinces is EVERYWHERE:
            return self.all()
        if provinces and rule.province is not None:
            conditions.append(Q(**{rule.province_lookup(): provinces}))
        for kind in sorted(access.object_kinds(action, roles)):
            path = getattr(rule, kind)
            if path is not None and kind in OBJECT_SCOPES:
                lookup = f"{path}__in" if path else "pk__in"
                conditions.append(Q(**{lookup: OBJECT_SCOPES[kind](user)}))
        if not conditions:
            return self.none()
        condition = reduce(operator.or_, conditions)
        if rule.many:
            return self.filter(pk__in=self.model._base_manager.filter(condition).values("pk"))
        return self.filter(condition)

    def active(self) -> ScopedQuerySet:
        """Records not archived."""
        return self.filter(archived_at__isnull=True)


def province_id_of(instance) -> int | None:
    """The province a record belongs to, following its scope rule (None if it has none)."""
    custom = getattr(instance, "scope_province_id", None)
    if callable(custom):
        return custom()
    rule = getattr(type(instance), "scope", None)
    if rule is None or rule.province is None or rule.many:
        return None
    if rule.province == "":
        return instance.pk
    *hops, last = rule.province.split("__")
    target = instance
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)
