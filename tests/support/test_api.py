"""The support API: the catalogue read by everyone and written by a province's manager
through the services; budgets, applications and payments read within scope (another
province's answer 404); a representative creates and submits an application; refusals carry
an English `code`."""

import pytest

from shahrak.support import services
from shahrak.support.models import Application, Program

from .helpers import MILLION, bushehr, executed, make_budget, make_program, make_unit

pytestmark = pytest.mark.django_db

PROGRAM = {
    "title": "برنامهٔ آزمون", "family": "industrial", "rate_min_pct": "30",
    "rate_max_pct": "50", "cap_per_unit_rial": 1_000 * MILLION, "opens_on": "2021-03-21",
}  # fmt: skip


@pytest.fixture
def records(people):
    manager, expert, rep = (
        people["bushehr-manager"],
        people["bushehr-expert"],
        people["bushehr-unit"],
    )
    program = make_program(manager, required_documents=[], sectors=[], size_classes=[],
                           in_park_only=False)  # fmt: skip
    budget = make_budget(manager, program, 5_000 * MILLION)
    unit = make_unit(expert, rep)
    application = executed(rep, expert, manager, unit, program, 1_000 * MILLION, 40,
                           1_000 * MILLION)  # fmt: skip
    payment = services.application_pay(actor=manager, application=application,
                                       amount_rial=100 * MILLION)  # fmt: skip
    return {"program": program, "budget": budget, "unit": unit, "application": application,
            "payment": payment}  # fmt: skip


def test_a_manager_creates_and_changes_a_program_through_the_services(client, people):
    client.force_login(people["bushehr-manager"])
    created = client.post(
        "/api/v1/support-programs/", {**PROGRAM, "province": bushehr().pk},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    program = Program.objects.get(pk=created.json()["id"])
    assert program.province == bushehr() and program.rate_max_pct == 50
    changed = client.patch(
        f"/api/v1/support-programs/{program.pk}/",
        {"rate_max_pct": "80", "version": program.version}, content_type="application/json",
    )  # fmt: skip
    assert changed.status_code == 400 and changed.json()["code"] == "rate_out_of_range"
    changed = client.patch(
        f"/api/v1/support-programs/{program.pk}/",
        {"rate_max_pct": "60", "version": program.version}, content_type="application/json",
    )  # fmt: skip
    assert changed.status_code == 200, changed.content
    assert Program.objects.get(pk=program.pk).rate_max_pct == 60


def test_an_expert_or_another_provinces_manager_may_not(client, people, records):
    client.force_login(people["bushehr-expert"])
    refused = client.post("/api/v1/support-programs/", {**PROGRAM, "province": bushehr().pk},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code in (400, 403) and "code" in refused.json()
    client.force_login(people["yazd-manager"])
    program = records["program"]
    changed = client.patch(f"/api/v1/support-programs/{program.pk}/",
                           {"title": "x", "version": program.version},
                           content_type="application/json")  # fmt: skip
    assert changed.status_code == 404
    # Everyone reads the catalogue.
    assert client.get(f"/api/v1/support-programs/{program.pk}/").status_code == 200


def _ids(response) -> set[int]:
    data = response.json()
    rows = data["results"] if isinstance(data, dict) else data
    return {row["id"] for row in rows}


def test_another_provinces_budget_application_and_payment_answer_404(client, people, records):
    payment = records["payment"]
    found = {
        "support-budgets": records["budget"].pk,
        "support-applications": records["application"].pk,
        "support-payments": payment.pk,
    }
    client.force_login(people["yazd-manager"])
    for route, pk in found.items():
        assert client.get(f"/api/v1/{route}/{pk}/").status_code == 404, route
        assert pk not in _ids(client.get(f"/api/v1/{route}/")), route
    client.force_login(people["hq"])
    for route, pk in found.items():
        assert client.get(f"/api/v1/{route}/{pk}/").status_code == 200, route
        assert pk in _ids(client.get(f"/api/v1/{route}/")), route


def test_a_representative_creates_and_submits_an_application(client, people, records):
    client.force_login(people["bushehr-unit"])
    body = {
        "unit": records["unit"].pk,
        "program": records["program"].pk,
        "description": "نوسازی خط بسته‌بندی",
        "requested_cost_rial": 200 * MILLION,
    }
    created = client.post("/api/v1/support-applications/", body,
                          content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "draft"
    assert Application.objects.get(pk=created.json()["id"]).created_by == people["bushehr-unit"]
    submitted = client.post("/api/v1/support-applications/", {**body, "submit": True},
                            content_type="application/json")  # fmt: skip
    assert submitted.status_code == 201, submitted.content
    assert Application.objects.get(pk=submitted.json()["id"]).status == "submitted"
    # A program requiring a document: refused (nothing saved), with its English code.
    program = records["program"]
    program.required_documents = ["proforma"]
    program.save()
    before = Application.objects.count()
    refused = client.post("/api/v1/support-applications/", {**body, "submit": True},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and refused.json()["code"] == "documents_missing"
    assert Application.objects.count() == before


def test_a_representative_may_not_apply_for_another_unit(client, people, records):
    other = make_unit(people["bushehr-expert"])  # nobody's: not the representative's
    client.force_login(people["bushehr-unit"])
    body = {"unit": other.pk, "program": records["program"].pk, "description": "x",
            "requested_cost_rial": MILLION}  # fmt: skip
    refused = client.post("/api/v1/support-applications/", body, content_type="application/json")
    assert refused.status_code == 400 and "unit" in refused.json()
    assert other.name not in refused.content.decode("unicode_escape")
    assert not Application.objects.filter(unit=other).exists()
