"""`may_reach` (and the `{% allowed %}` tag built on it) reads a route's access declaration
and evaluates what its guard and view evaluate: its answer agrees with what every route
answers each person. (That pages offer only what it allows is crawled, persona by persona,
in tests/test_crawler.py; key pages are checked in tests/home and tests/units.)
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from shahrak.accounts.access import declaration_of, may_reach
from tests.accounts.test_access_matrix import EXAMPLE_KWARGS
from tests.harness import PEOPLE, PROVINCES, SAMPLES
from tests.routes import ROUTES, Route

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
