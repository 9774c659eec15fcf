"""Who may do what, where: the role table of Shahrak, in one place.

| role            | where                   | may                                              |
|-----------------|-------------------------|--------------------------------------------------|
| hq              | every province          | view, view history (changes only their comments) |
| manager         | their province          | view, change, approve, manage users, history     |
| expert          | their province          | view, change, history (no approvals of money)    |
| cluster_agent   | their clusters' records | view, change                                     |
| unit_rep        | their units' records    | view, change                                     |
| auditor         | their province(s)       | view, view history                               |
| sysadmin        | everything              | everything                                       |
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .choices import Action, Role

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.HQ: frozenset({Action.VIEW, Action.VIEW_HISTORY}),
    Role.MANAGER: frozenset(
        {Action.VIEW, Action.CHANGE, Action.APPROVE, Action.MANAGE_USERS, Action.VIEW_HISTORY}
    ),
    Role.EXPERT: frozenset({Action.VIEW, Action.CHANGE, Action.VIEW_HISTORY}),
    Role.CLUSTER_AGENT: frozenset({Action.VIEW, Action.CHANGE}),
    Role.UNIT_REP: frozenset({Action.VIEW, Action.CHANGE}),
    Role.AUDITOR: frozenset({Action.VIEW, Action.VIEW_HISTORY}),
    Role.SYSADMIN: frozenset(Action.values),
}
# Roles that hold for the whole country: their membership has no province.
NATIONAL_ROLES = frozenset({Role.HQ, Role.SYSADMIN})
# Roles that reach records through objects of their own rather than a whole province.
OBJECT_ROLES = {Role.CLUSTER_AGENT: "cluster", Role.UNIT_REP: "unit"}
# Roles a provincial manager may give to users of their province.
ROLES_A_MANAGER_GRANTS = (Role.MANAGER, Role.EXPERT, Role.CLUSTER_AGENT, Role.UNIT_REP)


class Everywhere:
    """Stands for 'every province' where a set of province ids is expected."""

    def __contains__(self, item) -> bool:
        return True

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "Everywhere"


EVERYWHERE = Everywhere()


@dataclass
class Access:
    """What one user may do, computed once from their active memberships."""

    superuser: bool = False
    # (role, province id or None for national roles)
    grants: list[tuple[str, int | None]] = field(default_factory=list)

    def provinces(self, action: str, roles: frozenset[str] | None = None):
        """Province ids where `action` is allowed by a province-wide role (or EVERYWHERE)."""
        if self.superuser:
            return EVERYWHERE
        found: set[int] = set()
        for role, province_id in self.grants:
            if role in OBJECT_ROLES or action not in ROLE_ACTIONS[role]:
                continue
            if roles is not None and role not in roles:
                continue
            if province_id is None:
                return EVERYWHERE
            found.add(province_id)
        return frozenset(found)

    def object_kinds(self, action: str, roles: frozenset[str] | None = None) -> set[str]:
        """'unit' / 'cluster': the kinds of own objects through which the user reaches records."""
        return {
            OBJECT_ROLES[role]
            for role, _province in self.grants
            if role in OBJECT_ROLES
            and action in ROLE_ACTIONS[role]
            and (roles is None or role in roles)
        }

    def can(self, action: str, province_id: int | None) -> bool:
        return province_id in self.provinces(action)


def access_for(user) -> Access:
    """The user's access, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Access()
    cached = getattr(user, "_shahrak_access", None)
    if cached is None:
        active = user.memberships.filter(archived_at__isnull=True)
        grants = list(active.values_list("role", "province_id"))
        cached = Access(superuser=user.is_superuser, grants=grants)
        user._shahrak_access = cached
    return cached


def whole_provinces(user, model, action: str = Action.VIEW):
    """The provinces in which `user` reaches every record of `model` (a scoped model, as its
    `restrict(user)` reads them): EVERYWHERE for national roles, a set of province ids, or
    None when the user also reaches records through objects of their own (a unit, a cluster),
    which counts kept by place cannot tell apart. What the kept tallies (reports filed, exports'
    sums) may serve instead of the records."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    access = access_for(user)
    if access.superuser:
        return EVERYWHERE
    roles = model.scope.roles_for(action)
    provinces = access.provinces(action, roles)
    if provinces is EVERYWHERE:
        return EVERYWHERE
    if access.object_kinds(action, roles):
        return None
    return provinces


def forget_access(user) -> None:
    """Drop the cached access (after memberships change)."""
    user.__dict__.pop("_shahrak_access", None)


class SystemActor:
    """The actor of a scripted load run without a person (`shahrak import --as-system`): it
    may change records in every province, and the audit trail records its changes as made by
    the system (no user), as the history shows them. Never signed in; never a request's user."""

    pk = id = None
    username = "system"
    is_authenticated = is_active = is_superuser = True
    is_anonymous = False
    _shahrak_access = Access(superuser=True)

    def __str__(self) -> str:
        from django.utils.translation import gettext

        return gettext("the system")


SYSTEM = SystemActor()
