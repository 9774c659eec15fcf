"""A record's page offering several small forms gives each its own ids: two forms with a
field of the same name (on, note, year) would otherwise share an id, and a label would lead
to the other form's field."""

import pytest

from shahrak.clusters.models import Cluster
from shahrak.parks.models import InfrastructureProject
from shahrak.support.models import Application
from shahrak.units.models import Unit
from tests.form_checks import id_faults
from tests.harness import SAMPLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Unit, InfrastructureProject, Cluster, Application])
def test_a_record_page_has_no_id_twice_and_labels_lead_to_their_own_form(people, client, model):
    record = SAMPLES[model]("yazd")
    client.force_login(people["yazd-expert"])
    page = client.get(record.get_absolute_url())
    assert page.status_code == 200
    assert id_faults(page.content.decode()) == []
