"""The crawler (tests/test_crawler.py) for the personas who see the whole country or several
provinces: in a file of its own so that `--dist loadfile` runs it beside the others."""

import pytest

from tests.test_crawler import NATIONAL, PERSONAS, check_persona, demo  # noqa: F401

pytestmark = pytest.mark.django_db


def test_every_national_persona_is_a_demo_persona():
    assert set(NATIONAL) <= set(PERSONAS)


@pytest.mark.parametrize("username", NATIONAL)
def test_persona_clicks_through_shahrak(demo, client, username):  # noqa: F811
    check_persona(client, username)
