"""Every view declares who may reach it, and the matrix test reads the declaration.

    @public                       anyone, signed in or not (sign-in, password reset)
    @signed_in                    any active signed-in user (home, own password)
    @scoped(Park, Action.VIEW, lookup="pk")
                                  records of `Park` the user may see: others answer 404
A route without a declaration fails the test suite (tests/accounts/test_access_matrix.py).
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .choices import Action
from .policy import access_for


@dataclass(frozen=True)
class Declaration:
    kind: str  # "public" | "signed_in" | "scoped"
    # For scoped views, the model whose records they show; for others with a `lookup`, the
    # (reference) model the URL names a record of.
    model: type | None = None
    action: str = Action.VIEW
    # The URL keyword naming the record (a field of the model of the same name), if any.
    lookup: str | None = None
    methods: tuple[str, ...] = ("GET",)
    # A scoped view without a lookup lists records (True) or is a form to create one (False).
    listing: bool = True


def _declare(view, declaration: Declaration):
    view.access = declaration
    return view


def public(view=None, *, methods=("GET",)):
    def decorate(view):
        return _declare(view, Declaration("public", methods=methods))

    return decorate(view) if view else decorate


def signed_in(view=None, *, methods=("GET",), model=None, lookup=None):
    def decorate(view):
        declaration = Declaration("signed_in", model=model, lookup=lookup, methods=methods)
        return _declare(login_required(view), declaration)

    return decorate(view) if view else decorate


def scoped(
    model, action: str = Action.VIEW, *, lookup: str | None = None, methods=("GET",), listing=True
):
    """Records of `model`; a list view (no lookup) answers 403 to a user who may see none."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if lookup is None:
                # Creating records is for province-wide roles; a unit representative lists
                # (only) their own units but does not register new ones.
                allowed = (
                    has_any_access(request.user, model, action)
                    if listing
                    else bool(
                        access_for(request.user).provinces(action, model.scope.roles_for(action))
                    )
                )
                if not allowed:
                    raise PermissionDenied
            return view(request, *args, **kwargs)

        declaration = Declaration("scoped", model, action, lookup, methods, listing)
        return _declare(login_required(guarded), declaration)

    return decorate


def declaration_of(callback) -> Declaration | None:
    """The declaration of a URL's view: function views, class views and DRF viewsets."""
    for holder in (callback, getattr(callback, "view_class", None), getattr(callback, "cls", None)):
        declaration = getattr(holder, "access", None)
        if isinstance(declaration, Declaration):
            return declaration
    return None


def has_any_access(user, model, action: str) -> bool:
    """Whether `user` may `action` at least some records of `model` (without a query)."""
    access = access_for(user)
    if not user.is_authenticated:
        return False
    rule = model.scope
    if access.superuser or (rule.registry and action == Action.VIEW):
        return True
    roles = rule.roles_for(action)
    kinds = {kind for kind in access.object_kinds(action, roles) if getattr(rule, kind) is not None}
    return bool(access.provinces(action, roles)) or bool(kinds)


def get_scoped_or_404(model_or_queryset, user, action: str = Action.VIEW, **lookup):
    """The record if the user may `action` it; else 404, exactly as if it did not exist."""
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    try:
        return queryset.restrict(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as error:
        raise Http404 from error


def require_access(user, action: str, province_id: int | None, message=None, roles=None) -> None:
    """Refuse (NotAllowed) unless `user` may `action` in the province (by one of `roles`, if
    the action is narrowed to some roles); province None: the whole country."""
    from django.utils.translation import gettext as _

    from shahrak.core.errors import NotAllowed

    if province_id not in access_for(user).provinces(action, roles):
        raise NotAllowed(message or _("Your role does not allow this in this province."))


def provinces_for(user, action: str = Action.VIEW, roles=None):
    """The provinces where `user` may `action` (for choice lists and filters)."""
    from shahrak.places.models import Province

    from .policy import EVERYWHERE

    provinces = access_for(user).provinces(action, roles)
    queryset = Province.objects.by_name()
    return queryset if provinces is EVERYWHERE else queryset.filter(pk__in=provinces)
