"""Pages offer exactly the actions their routes let the user take.

`may_reach` (and the `{% allowed %}` tag built on it) reads a route's access declaration and
evaluates what its guard and view evaluate. Here: its answer agrees with what every route
answers each person, and a crawl of the pages each person can reach finds no link or form
that the declaration refuses them, nor a link that answers 403 or 404.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve, reverse

from shahrak.accounts.access import declaration_of, may_reach
from tests.accounts.test_access_matrix import EXAMPLE_KWARGS, ROUTES, Route
from tests.harness import PEOPLE, PROVINCES, SAMPLES

PERSONS = [*PEOPLE, None]


@pytest.fixture
def samples(people):
    """A sample record of every scoped model in each province (see tests/harness.py)."""
    return {model: {code: make(code) for code in PROVINCES} for model, make in SAMPLES.items()}


def _login(client, username):
    if username is None:
        return None
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def _reached(response) -> bool:
    """The route let the person in: not refused, not 'no such record', not sent to sign in."""
    if response.status_code in (403, 404):
        return False
    return not (response.status_code == 302 and "/accounts/login/" in response["Location"])


def _cases(route: Route, samples) -> list[dict]:
    """URL keyword values to ask the route with: each province's sample record for a lookup."""
    declaration = declaration_of(route.callback)
    if declaration.lookup in route.keywords and declaration.model in samples:
        return [
            {declaration.lookup: getattr(record, declaration.lookup)}
            for record in samples[declaration.model].values()
        ]
    values = dict(EXAMPLE_KWARGS.get(route.name, {}))
    if declaration.lookup in route.keywords:
        record = declaration.model.objects.order_by("pk").first()
        values[declaration.lookup] = getattr(record, declaration.lookup)
    return [values]


GET_ROUTES = [
    route
    for route in ROUTES
    if ":" in route.name and "GET" in declaration_of(route.callback).methods
]


@pytest.mark.django_db
@pytest.mark.parametrize("username", PERSONS, ids=lambda u: u or "anonymous")
def test_may_reach_answers_as_every_route_does(client, samples, username):
    user = _login(client, username)
    disagreements = []
    for route in GET_ROUTES:
        for kwargs in _cases(route, samples):
            answered = _reached(client.get(reverse(route.name, kwargs=kwargs or None)))
            if may_reach(user, route.name, **kwargs) != answered:
                disagreements.append((route.name, kwargs, answered))
    assert disagreements == []


class _Links(HTMLParser):
    """Every link (href, hx-get) and every form's action of a page."""

    def __init__(self):
        super().__init__()
        self.links, self.actions = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("hx-get"):
            self.links.append(attrs["hx-get"])
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            (self.actions if method == "post" else self.links).append(attrs.get("action") or "")


def _own(url: str) -> str | None:
    """The path (with its query) of a link to one of the app's pages; None otherwise."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(("/static/", "/backoffice/")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _allowed_by_declaration(user, path: str) -> bool:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return False
    declaration = declaration_of(match.func)
    return declaration is not None and declaration.allows(user, match.kwargs)


def crawl(client, user, start="/", limit=120):
    """Visit the pages reachable from `start` by links; return the problems found: a link or
    form the declaration refuses, a link that answers 403/404."""
    problems, seen, queue, visits = [], {start}, [start], {}
    while queue and len(visits) < limit:
        path = queue.pop(0)
        if "export=" in path:
            continue  # downloads: the same route as the page they are on
        # A list's filter and period variants: a few of each route are enough.
        route_path = urlsplit(path).path
        if visits.get(route_path, 0) >= 3:
            continue
        visits[route_path] = visits.get(route_path, 0) + 1
        response = client.get(path)
        if response.status_code in (403, 404):
            problems.append(f"{path} answers {response.status_code}")
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for action in parser.actions:
            own = _own(action) if action else path
            if own and not _allowed_by_declaration(user, own):
                problems.append(f"{path} offers a form to {own}")
        for link in parser.links:
            own = _own(link) if link else None
            if own is None:
                continue
            if not _allowed_by_declaration(user, own):
                problems.append(f"{path} links to {own}")
            elif own not in seen:
                seen.add(own)
                queue.append(own)
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("username", list(PEOPLE), ids=str)
def test_no_page_offers_what_its_route_refuses(client, samples, username):
    from shahrak.units.models import Unit

    user = _login(client, username)
    # From home, and from the unit pages the person may open (the parts of the site a unit
    # representative reaches only from there).
    units = Unit.objects.restrict(user).filter(pk__in=[u.pk for u in samples[Unit].values()])
    problems = []
    for start in ["/", *(unit.get_absolute_url() for unit in units)]:
        problems += crawl(client, user, start)
    assert problems == []
