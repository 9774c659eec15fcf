"""The demo: discovery finds, in each demo province, a candidate of a class that no
registered cluster of the province covers (Meybod's potters, Ganaveh's boat builders), and
never a member of a registered cluster of its own class."""

import pytest

from shahrak.clusters.models import Cluster, Membership
from shahrak.clusters.selectors import discover_for
from tests.harness import demo_for_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks", "units", "clusters"})


@pytest.mark.parametrize(
    ("province", "isic", "least"), [("yazd", "2393", 14), ("bushehr", "3011", 12)]
)
def test_each_province_has_a_candidate_that_is_not_yet_a_cluster(demo, province, isic, least):
    from django.contrib.auth import get_user_model

    expert = get_user_model().objects.get(username=f"{province}-expert")
    found = discover_for(expert, province=province)
    registered = set(
        Cluster.objects.filter(province__code=province).values_list("isic_code", flat=True)
    )
    assert registered  # the province's demo clusters are there
    assert isic not in registered
    (planted,) = [c for c in found.candidates if c.isic == isic]
    assert planted.units >= least
    # Members of a registered cluster of their class are never a candidate's.
    members = set(
        Membership.objects.filter(left_on=None, archived_at=None).values_list(
            "unit__national_id", "cluster__isic_code"
        )
    )
    for candidate in found.candidates:
        assert not {(i, candidate.isic) for i in candidate.member_ids} & members


def test_a_demo_units_name_names_its_own_product_of_its_class(demo):
    """A candidate's card shows its centre unit by name beside the members' product: a demo
    unit's name names the product it makes (it drew another one), and that product is of the
    unit's ISIC class — sanitary ware (چینی بهداشتی) is ISIC 2393, not 2392's (clay building
    materials: tiles, bricks)."""
    from shahrak.units.models import Unit

    units = list(Unit.objects.filter(is_demo=True).values_list("name", "products", "isic_code"))
    assert len(units) > 2000
    misnamed = [name for name, products, _isic in units if not name.endswith(f" — {products}")]
    assert misnamed == []
    assert not [u for u in units if u[2] == "2392" and u[1] == "چینی بهداشتی"]
