"""Every view declares who may reach it, and the matrix test reads the declaration.

    @public                       anyone, signed in or not (sign-in, password reset)
    @signed_in                    any active signed-in user (home, own password)
    @provincial                   users who hold a province (or the country) for the action:
                                  pages about a whole province, such as the reports
    @scoped(Park, Action.VIEW, lookup="pk")
                                  records of `Park` the user may see: others answer 404
A route without a declaration fails the test suite (tests/accounts/test_access_matrix.py).

Pages ask the same declarations whether to show a link or a form (`may_reach`, and the
`{% allowed %}` template tag), so an action is offered exactly when its route lets the user in.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import NoReverseMatch, resolve, reverse

from .choices import Action
from .policy import access_for


@dataclass(frozen=True)
class Declaration:
    kind: str  # "public" | "signed_in" | "provincial" | "scoped"
    # For scoped views, the model whose records they show; for others with a `lookup`, the
    # (reference) model the URL names a record of.
    model: type | None = None
    action: str = Action.VIEW
    # The URL keyword naming the record (a field of the model of the same name), if any.
    lookup: str | None = None
    methods: tuple[str, ...] = ("GET",)
    # A scoped view without a lookup lists records (True) or is a form to create one (False).
    listing: bool = True

    def lets_in(self, user) -> bool:
        """What the route's guard decides before the view runs (a record named by `lookup`
        is then looked up by the view, through `restrict`: see `allows`)."""
        if self.kind == "public":
            return True
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        if self.kind == "signed_in":
            return True
        if self.kind == "provincial":
            return bool(access_for(user).provinces(self.action))
        if self.lookup is not None:
            return True  # the view looks the record up (404 if out of scope)
        return self._reaches_some(user)

    def _reaches_some(self, user) -> bool:
        if self.listing:
            return has_any_access(user, self.model, self.action)
        # Creating records is for province-wide roles; a unit representative lists (only)
        # their own units but does not register new ones.
        return bool(
            access_for(user).provinces(self.action, self.model.scope.roles_for(self.action))
        )

    def allows(self, user, kwargs: dict, cache: dict | None = None) -> bool:
        """Whether `user` reaches the route with these URL arguments: the guard lets them in
        and the record the URL names is one they may `action` (else the view answers 404)."""
        if not self.lets_in(user):
            return False
        if self.kind != "scoped":
            return True
        if self.lookup is None or self.lookup not in kwargs:
            # A list (an API viewset declares its lookup for its list route too).
            return self._reaches_some(user)
        key = (self.model, self.action, self.lookup, str(kwargs[self.lookup]))
        if cache is not None and key in cache:
            return cache[key]
        found = (
            self.model.objects.restrict(user, self.action)
            .filter(**{self.lookup: kwargs[self.lookup]})
            .exists()
        )
        if cache is not None:
            cache[key] = found
        return found


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


def provincial(view=None, *, action: str = Action.VIEW, methods=("GET",)):
    """Pages about a whole province or the country (reports): for users who hold a province
    (or the country) for `action`; those who reach only records of their own units or
    clusters are refused (403)."""

    def decorate(view):
        declaration = Declaration("provincial", action=action, methods=methods)

        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not declaration.lets_in(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _declare(login_required(guarded), declaration)

    return decorate(view) if view else decorate


def scoped(
    model, action: str = Action.VIEW, *, lookup: str | None = None, methods=("GET",), listing=True
):
    """Records of `model`; a list view (no lookup) answers 403 to a user who may see none."""

    declaration = Declaration("scoped", model, action, lookup, methods, listing)

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not declaration.lets_in(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _declare(login_required(guarded), declaration)

    return decorate


def declaration_of(callback) -> Declaration | None:
    """The declaration of a URL's view: function views, class views and DRF viewsets."""
    for holder in (callback, getattr(callback, "view_class", None), getattr(callback, "cls", None)):
        declaration = getattr(holder, "access", None)
        if isinstance(declaration, Declaration):
            return declaration
    return None


def may_reach(user, url_name: str, *args, cache: dict | None = None, **kwargs) -> bool:
    """Whether `user` may reach the route `url_name` with these arguments, as its access
    declaration says and its guard decides (a route with no declaration: never). `cache`
    keeps the answers about records for one request."""
    return bool(url_if_reachable(user, url_name, *args, cache=cache, **kwargs))


def url_if_reachable(user, url_name: str, *args, cache: dict | None = None, **kwargs) -> str:
    """The route's URL if `user` may reach it with these arguments (see `may_reach`), else ""."""
    try:
        url = reverse(url_name, args=args, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
    match = resolve(url)
    declaration = declaration_of(match.func)
    if declaration is None or not declaration.allows(user, match.kwargs, cache):
        return ""
    return url


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
