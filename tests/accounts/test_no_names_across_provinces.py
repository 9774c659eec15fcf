"""A record outside the user's scope is refused exactly as a record that does not exist:
every related-id field of every writable API serializer and of every UI form is tried, as a
Bushehr user, with a Yazd record's id and with an id nobody holds; the answers must be the
same (status and message, the id aside) and never name the Yazd record."""

import re

import pytest
from rest_framework import serializers

from shahrak.accounts.models import User
from shahrak.api_urls import router
from shahrak.core.text import to_fa_digits
from shahrak.parks.models import InfrastructureProject, Park, ParkSection, Plot
from shahrak.places.models import County, Province
from shahrak.support.models import Application, Program
from shahrak.units.models import Unit
from tests.harness import PROVINCES, SAMPLES, sample_park

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(people):
    for code in PROVINCES:
        for make in SAMPLES.values():
            make(code)
        ParkSection.objects.get_or_create(
            park=sample_park(code), name=f"section-{code}", defaults={"area_ha": 10}
        )


def yazd_record(model):
    """The Yazd record a Bushehr user must not learn anything about."""
    if model is County:
        return sample_park("yazd").county
    if model is Province:
        return Province.objects.get(code="yazd")
    if model is ParkSection:
        return ParkSection.objects.get(name="section-yazd")
    if model is User:
        return User.objects.get(username="yazd-unit")
    return model.objects.get(pk=SAMPLES[model]("yazd").pk)


def unheld_id(model) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 10_000


def without_ids(text: str, *ids: int) -> str:
    for pk in ids:
        for digits in (str(pk), to_fa_digits(str(pk))):
            text = re.sub(rf"(?<!\w){digits}(?!\w)", "<id>", text)
    return text


def assert_same_refusal(out_of_scope, unknown, record, unknown_id):
    """Two answers equal but for the id they were given, neither naming `record`."""
    assert out_of_scope[0] == unknown[0]
    # Refused: an API error, the form shown again, or back to the record with a message.
    assert out_of_scope[0] >= 400 or out_of_scope[0] == 200 or out_of_scope[1]
    assert without_ids(out_of_scope[1], record.pk) == without_ids(unknown[1], unknown_id)
    names = {str(record)} | {getattr(record, f, "") for f in ("name", "name_fa", "title")}
    for name in filter(None, names):
        assert name not in out_of_scope[1]


# --- the API ---------------------------------------------------------------------------


# A body each writable endpoint accepts from a Bushehr expert (checked below).
def _bodies():
    park = sample_park("bushehr")
    return {
        "units": {
            "name": "واحد آزمون", "county": park.county_id, "isic_code": "1030",
            "products": "خرما", "sector": "food_dates", "employees": 3,
        },
        "parks": {
            "name": "شهرک آزمون", "kind": "industrial_park", "county": park.county_id,
            "latitude": "28.9", "longitude": "50.8", "gross_area_ha": "10",
            "industrial_area_ha": "5",
        },
        "plots": {
            "park": park.pk, "number": "T-1", "area_m2": "100", "use": "industrial",
            "on": "2022-01-01",
        },
        "infrastructure-projects": {"park": park.pk, "title": "پروژهٔ آزمون", "kind": "gas"},
        "monthly-reports": {
            "unit": Unit.objects.get(name="sample-bushehr").pk, "year": 1400, "month": 1,
            "production_volume": "10", "sales_rial": 1000, "employees": 3, "exports_rial": 0,
        },
        "support-programs": {
            "title": "برنامهٔ آزمون", "family": "market", "rate_min_pct": "30",
            "rate_max_pct": "50", "cap_per_unit_rial": 10**9, "opens_on": "2021-03-21",
            "province": Province.objects.get(code="bushehr").pk,
        },
        "support-applications": {
            "unit": Unit.objects.get(name="sample-bushehr").pk,
            "program": SAMPLES[Program]("bushehr").pk, "description": "آزمون",
            "requested_cost_rial": 10**6,
        },
    }  # fmt: skip


# Who posts each body (the catalogue is its province's manager's; the rest an expert's).
POSTERS = {"support-programs": "bushehr-manager"}


def writable_related_fields():
    """(route, field, model) for every related-id field of every writable API serializer."""
    found = []
    for prefix, viewset, _basename in router.registry:
        if not hasattr(viewset, "create"):
            continue
        for name, field in viewset.serializer_class().fields.items():
            if isinstance(field, serializers.RelatedField) and not field.read_only:
                found.append((prefix, name, field.queryset.model))
    return found


API_FIELDS = writable_related_fields()


def test_every_writable_related_field_is_tried(people, records):
    assert {(prefix, name) for prefix, name, _model in API_FIELDS} == {
        ("units", "county"), ("units", "park"), ("units", "plot"), ("parks", "county"),
        ("plots", "park"), ("plots", "section"), ("infrastructure-projects", "park"),
        ("infrastructure-projects", "section"), ("monthly-reports", "unit"),
        ("support-programs", "province"), ("support-applications", "unit"),
        ("support-applications", "program"),
    }  # fmt: skip
    assert set(_bodies()) == {prefix for prefix, _name, _model in API_FIELDS}


def _answer(response):
    return response.status_code, response.content.decode("unicode_escape")


@pytest.mark.parametrize(("prefix", "name", "model"), API_FIELDS)
def test_api_refuses_another_provinces_record_as_one_that_does_not_exist(
    client, people, records, prefix, name, model
):
    client.force_login(people[POSTERS.get(prefix, "bushehr-expert")])
    record, unknown = yazd_record(model), unheld_id(model)
    body = _bodies()[prefix]
    url = f"/api/v1/{prefix}/"
    # The body is accepted as it is: the refusals below are about the id alone.
    accepted = client.post(url, body, content_type="application/json")
    assert accepted.status_code == 201, accepted.content
    created = accepted.json()["id"]

    def create(pk):
        body_ = {**body, name: pk, "name": "دیگری", "title": "دیگری", "number": "T-2"}
        return _answer(client.post(url, body_, content_type="application/json"))

    assert_same_refusal(create(record.pk), create(unknown), record, unknown)
    viewset = next(viewset for p, viewset, _b in router.registry if p == prefix)
    if "patch" in viewset.http_method_names and hasattr(viewset, "partial_update"):
        current = client.get(f"{url}{created}/").json()

        def change(pk):
            change_body = {name: pk, "version": current["version"]}
            return _answer(
                client.patch(f"{url}{created}/", change_body, content_type="application/json")
            )

        assert_same_refusal(change(record.pk), change(unknown), record, unknown)


def test_the_yazd_park_of_the_issue_is_not_named(client, people, records):
    """As in the issue: a Bushehr unit moved to a Yazd park."""
    client.force_login(people["bushehr-expert"])
    unit = Unit.objects.get(name="sample-bushehr")
    park = sample_park("yazd")
    response = client.patch(
        f"/api/v1/units/{unit.pk}/",
        {"park": park.pk, "version": unit.version},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert park.name not in response.content.decode("unicode_escape")


def test_a_duplicate_national_id_outside_the_province_names_nothing(client, people, records):
    yazd_unit = Unit.objects.get(name="sample-yazd")
    Unit.objects.filter(pk=yazd_unit.pk).update(national_id="10100000014")
    client.force_login(people["bushehr-expert"])
    body = {**_bodies()["units"], "national_id": "10100000014"}
    response = client.post("/api/v1/units/", body, content_type="application/json")
    assert response.status_code == 400 and "national_id" in response.json()
    text = response.content.decode("unicode_escape")
    assert "sample-yazd" not in text and "یزد" not in text


# --- the UI ----------------------------------------------------------------------------


def _unit():
    return Unit.objects.get(name="sample-bushehr")


def _posted(form, **changes) -> dict:
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if hasattr(value, "year"):
            value = field.widget.format_value(value)
        data[name] = value
    return {**data, **changes}


def _open(client, url, **changes):
    return _posted(client.get(url).context["form"], **changes)


def _new_unit(client):
    return {
        "name": "واحد آزمون", "county": sample_park("bushehr").county_id, "isic_code": "1030",
        "products": "خرما", "sector": "food_dates", "employees": "3", "status": "operational",
        "status_on": "1401/01/01",
    }  # fmt: skip


def _new_park(client):
    return {
        "name": "شهرک آزمون", "kind": "industrial_park", "county": sample_park("bushehr").county_id,
        "status": "operational", "latitude": "28.9", "longitude": "50.8", "gross_area_ha": "10",
        "industrial_area_ha": "5",
    }  # fmt: skip


def _invite(client):
    return {
        "username": "tazeh", "first_name": "تازه", "last_name": "نماینده",
        "email": "tazeh@example.com", "role": "unit_rep",
        "province": Province.objects.get(code="bushehr").pk, "unit": _unit().pk,
    }  # fmt: skip


def _bushehr_park():
    return sample_park("bushehr")


def _project():
    return InfrastructureProject.objects.get(title="sample-bushehr")


def _cluster():
    from shahrak.clusters.models import Cluster

    return Cluster.objects.get(name="sample-bushehr")


def _action_plan():
    from shahrak.clusters.models import ActionPlan

    return ActionPlan.objects.get(title="sample-bushehr")


def _new_cluster(client):
    return {
        "name": "خوشهٔ آزمون", "province": Province.objects.get(code="bushehr").pk,
        "isic_code": "1030", "product": "خرما", "centre_latitude": "29.2",
        "centre_longitude": "51.2", "radius_km": "100",
    }  # fmt: skip


def _new_action_plan(client):
    return {
        "year": "1400", "title": "نمایشگاه", "category": "marketing", "status": "planned",
        "starts_on": "1400/05/01", "cost_rial": "100",
    }  # fmt: skip


# (form class, URL, data with which it would save, the related fields it names)
UI_FORMS = [
    ("units.UnitCreateForm", lambda: "/units/new/", _new_unit, ["county", "park", "plot"]),
    ("units.UnitForm", lambda: f"/units/{_unit().pk}/edit/", None, ["county", "park", "plot"]),
    ("parks.ParkForm", lambda: "/parks/new/", _new_park, ["county"]),
    ("parks.ParkForm", lambda: f"/parks/{_bushehr_park().pk}/edit/", None, ["county"]),
    ("parks.PlotForm", lambda: f"/parks/{_bushehr_park().pk}/plots/new/",
     lambda c: {"number": "T-1", "area_m2": "100", "use": "industrial", "on": "1401/01/01"},
     ["section"]),
    ("parks.ProjectForm", lambda: f"/parks/{_bushehr_park().pk}/projects/new/",
     lambda c: {"title": "پروژه", "kind": "gas"}, ["section"]),
    ("parks.ProjectForm", lambda: f"/parks/projects/{_project().pk}/edit/", None, ["section"]),
    ("units.RepresentativeForm", lambda: f"/units/{_unit().pk}/representatives/",
     lambda c: {}, ["user"]),
    ("units.RepresentativeRemoveForm",
     lambda: f"/units/{_unit().pk}/representatives/remove/", lambda c: {}, ["user"]),
    ("accounts.InviteForm", lambda: "/accounts/users/invite/", _invite, ["province", "unit"]),
    ("accounts.RoleForm",
     lambda: f"/accounts/users/{User.objects.get(username='sample-bushehr').pk}/roles/",
     lambda c: {"role": "expert"}, ["province"]),
    ("clusters.ClusterForm", lambda: "/clusters/new/", _new_cluster, ["province", "agent"]),
    ("clusters.ClusterForm", lambda: f"/clusters/{_cluster().pk}/edit/", None, ["agent"]),
    ("clusters.MemberForm", lambda: f"/clusters/{_cluster().pk}/members/add/",
     lambda c: {"joined_on": "1401/01/01"}, ["unit"]),
    ("clusters.ActionPlanForm", lambda: f"/clusters/{_cluster().pk}/actions/new/",
     _new_action_plan, ["application"]),
    ("clusters.ActionPlanForm", lambda: f"/clusters/action-plans/{_action_plan().pk}/edit/",
     None, ["application"]),
]  # fmt: skip


# Every form of every app is found and tried by tests/accounts/test_no_names_in_any_form.py,
# which walks the apps and the routes (a new app's forms are covered without a line here);
# the forms above are posted again with data that passes the rest of the form, so that an
# id reaching a service is tried too.


def _ui_answer(client, url, data):
    response = client.post(url, data, follow=True)
    if response.redirect_chain:  # a form posted from a record's page: its messages
        return 302, " | ".join(str(m) for m in response.context["messages"])
    form = response.context["form"]
    return response.status_code, "; ".join(
        f"{name}: {' '.join(errors)}" for name, errors in sorted(form.errors.items())
    )


UI_CASES = [(i, field) for i, (_n, _u, _d, fields) in enumerate(UI_FORMS) for field in fields]
MODELS = {"county": County, "park": Park, "plot": Plot, "section": ParkSection, "user": User,
          "province": Province, "unit": Unit, "agent": User,
          "application": Application}  # fmt: skip


@pytest.mark.parametrize(("index", "field"), UI_CASES)
def test_ui_forms_refuse_another_provinces_record_as_one_that_does_not_exist(
    client, people, records, index, field
):
    _name, url, data, _fields = UI_FORMS[index]
    model = MODELS[field]
    record, unknown = yazd_record(model), unheld_id(model)
    client.force_login(people["bushehr-manager"])
    url = url()
    base = data(client) if data else _open(client, url)
    out_of_scope = _ui_answer(client, url, {**base, field: record.pk})
    unknown_answer = _ui_answer(client, url, {**base, field: unknown})
    assert_same_refusal(out_of_scope, unknown_answer, record, unknown)
    assert out_of_scope != (302, "")  # refused, not saved
