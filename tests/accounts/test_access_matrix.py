"""Every route × every role: allowed, or 404 exactly as if the record did not exist.

The routes are read from Django's URL resolver, so a route added later is walked too; a route
whose view has no access declaration fails `test_every_route_declares_its_access`. Scoped
routes need a sample record per province (tests/harness.py: SAMPLES) or they fail here too.
"""

import re

import pytest

from shahrak.accounts.access import declaration_of
from tests.harness import PEOPLE, PROVINCES, SAMPLES, holds_a_province, marker, may, may_create
from tests.routes import ROUTES, Route

# Routes whose URL keywords are not a record's: an example value for each.
EXAMPLE_KWARGS = {
    "accounts:password-reset-confirm": {"uidb64": "MQ", "token": "set-password"},
    "reports:sentence-edit": {"key": "units"},
    "reports:sentence-restore": {"key": "units"},
}
PERSONS = [*PEOPLE, None]  # None: not signed in


def _url(route: Route, values: dict) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route.pattern)


def test_routes_were_found():
    names = {route.name for route in ROUTES}
    assert {"home:home", "accounts:user-list", "api:user-list", "api:user-detail"} <= names


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_route_declares_its_access(route):
    check_declared(route)


def check_declared(route: Route) -> None:
    declaration = declaration_of(route.callback)
    assert declaration is not None, f"{route.name} ({route.pattern}) declares no access"
    if declaration.kind == "scoped":
        assert declaration.model in SAMPLES, f"no sample records for {declaration.model}"


def _request(client, route, declaration, url):
    method = "get" if "GET" in declaration.methods else "post"
    return getattr(client, method)(url)


SIGN_IN = "/accounts/login/"
# Routes whose expected place is fixed: signing out leads to the sign-in page; choosing the
# language, with no page to return to, to the home page (which then asks a stranger to sign
# in). Every other redirect must lead to a page that answers the same person 200.
EXPECTED_PLACES = {"accounts:logout": SIGN_IN, "set_language": "/"}


def assert_refused_to_sign_in(response) -> None:
    """Not signed in: 403 (API), or a redirect to the sign-in page (pages)."""
    assert response.status_code in (302, 403), response
    if response.status_code == 302:
        assert response["Location"].startswith(SIGN_IN), response["Location"]


def assert_allowed(client, route: Route, response, allowed=(200, 302)) -> None:
    """200, or (where a redirect is allowed) a 302 to the expected place: not the sign-in
    page (that is a refusal), and a page that answers this same person 200."""
    assert response.status_code in allowed, response
    if response.status_code != 302:
        return
    location = response["Location"]
    if route.name in EXPECTED_PLACES:
        assert location == EXPECTED_PLACES[route.name], (route.name, location)
        return
    assert not location.startswith(SIGN_IN), f"{route.name}: refused (sent to {location})"
    assert location.startswith("/"), (route.name, location)  # never off the site
    target = client.get(location)
    assert target.status_code == 200, (route.name, location, target)


def _login(client, username):
    if username is not None:
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=username))


@pytest.mark.django_db
@pytest.mark.parametrize("username", PERSONS, ids=lambda u: u or "anonymous")
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_answers_each_role_as_its_scope_says(client, people, route, username):
    check_route(client, route, username)


def check_route(client, route: Route, username: str | None) -> None:
    """Assert that `route` answers `username` as the role table says (AssertionError if not)."""
    declaration = declaration_of(route.callback)
    is_api = route.pattern.startswith("api/")
    _login(client, username)
    samples = (
        {code: SAMPLES[declaration.model](code) for code in PROVINCES}
        if (declaration.kind == "scoped")
        else {}
    )

    if declaration.kind == "scoped" and declaration.lookup in route.keywords:
        for code, record in samples.items():
            response = _request(
                client, route, declaration, _url(route, {declaration.lookup: record.pk})
            )
            if username is None:
                assert_refused_to_sign_in(response)
            elif may(username, declaration.model, declaration.action, code):
                assert_allowed(client, route, response)
            else:
                assert response.status_code == 404, (code, response)
        return

    values = dict(EXAMPLE_KWARGS.get(route.name, {}))
    if declaration.lookup and declaration.lookup in route.keywords:
        record = declaration.model.objects.order_by("pk").first()
        values[declaration.lookup] = getattr(record, declaration.lookup)
    missing = set(route.keywords) - set(values)
    assert not missing, f"{route.name}: add example values for {missing} to EXAMPLE_KWARGS"
    response = _request(client, route, declaration, _url(route, values))

    if declaration.kind == "public":
        assert_allowed(client, route, response)
    elif username is None:
        expected = (403,) if is_api else (302,)
        assert response.status_code in expected, response
        if not is_api:
            assert_refused_to_sign_in(response)
    elif declaration.kind == "signed_in":
        assert_allowed(client, route, response)
    elif declaration.kind == "provincial":  # about a whole province: province-wide roles only
        if holds_a_province(username, declaration.action):
            assert_allowed(client, route, response)
        else:
            assert response.status_code == 403, response
    else:  # a scoped list: only the provinces the person may see, or 403 if none at all
        visible = [
            code for code in PROVINCES if may(username, declaration.model, declaration.action, code)
        ]
        if not declaration.listing:  # a form to create records: province-wide roles only
            creators = [c for c in PROVINCES if may_create(username, declaration.model,
                                                            declaration.action, c)]  # fmt: skip
            if creators:
                assert_allowed(client, route, response)
            else:
                assert response.status_code == 403, response
            return
        if not visible:
            assert response.status_code == 403, response
            return
        assert response.status_code == 200, response
        body = response.content.decode()
        for code in PROVINCES:
            assert (marker(code) in body) == (code in visible), (code, username)


@pytest.mark.django_db
@pytest.mark.parametrize("username", PERSONS, ids=lambda u: u or "anonymous")
def test_backoffice_is_for_administrators_only(client, people, username):
    _login(client, username)
    response = client.get("/backoffice/")
    if username == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/backoffice/login/" in response["Location"]


# --- the matrix itself must be able to fail ----------------------------------------------
@pytest.mark.django_db
@pytest.mark.urls("tests.accounts.leaky_urls")
def test_matrix_catches_views_that_forget_restrict(client, people):
    from tests.accounts import leaky_urls

    for pattern in leaky_urls.urlpatterns:
        route = Route(
            pattern.name,
            str(pattern.pattern),
            pattern.callback,
            tuple(re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))),
        )
        with pytest.raises(AssertionError):
            check_route(client, route, "bushehr-manager")  # would see Yazd's users: caught


def test_matrix_catches_a_route_without_declaration():
    def undeclared(request):
        return None

    route = Route("undeclared", "undeclared/", undeclared, ())
    with pytest.raises(AssertionError, match="declares no access"):
        check_declared(route)
