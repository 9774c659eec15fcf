"""The revival API: cases read with the list's filters, monthly reports read and filed through
the services, each scoped as the pages are."""

import pytest

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.revival import services
from shahrak.revival.models import MonthlyReport
from shahrak.units import services as unit_services
from shahrak.units.models import Unit
from tests.harness import SAMPLES

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people):
    expert = people["yazd-expert"]
    own = SAMPLES[Unit]("yazd")  # represented by yazd-unit
    unit_services.unit_change_status(actor=expert, unit=own, status="operational",
                                     on=jd("1398/01/01"))  # fmt: skip
    other = UnitFactory(actor=expert, name="دیگری")
    cases = {}
    for unit, on in ((own, "1400/03/01"), (other, "1401/02/01")):
        cases[unit.name] = services.case_open(actor=expert, unit=unit, opened_on=jd(on),
                                              identified_by="unit_itself",
                                              reasons=["market", "legal"])  # fmt: skip
    return {"own": own, "other": other, "cases": cases}


def test_cases_are_read_with_the_lists_filters(client, people, world):
    client.force_login(people["yazd-manager"])
    listed = client.get("/api/v1/revival-cases/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {row["unit_name"] for row in rows} == {"sample-yazd", "دیگری"}
    row = next(row for row in rows if row["unit_name"] == "sample-yazd")
    assert (row["stage"], row["province"], sorted(row["reasons"])) == (
        "identified",
        "yazd",
        ["legal", "market"],
    )
    filtered = client.get("/api/v1/revival-cases/", {"opened_from": "1401/01/01"}).json()
    rows = filtered["results"] if isinstance(filtered, dict) else filtered
    assert [row["unit_name"] for row in rows] == ["دیگری"]
    case = world["cases"]["دیگری"]
    assert client.post("/api/v1/revival-cases/", {}).status_code == 405  # steps: the pages
    assert client.get(f"/api/v1/revival-cases/{case.pk}/").json()["identified_by"] == "unit_itself"


def test_a_representative_reaches_only_their_units_cases_and_reports(client, people, world):
    expert = people["yazd-expert"]
    for unit in (world["own"], world["other"]):
        services.monthly_report_file(actor=expert, unit=unit, year=1400, month=1,
                                     production_volume=2, employees=3)  # fmt: skip
    client.force_login(people["yazd-unit"])
    cases = client.get("/api/v1/revival-cases/").json()
    cases = cases["results"] if isinstance(cases, dict) else cases
    assert [row["unit_name"] for row in cases] == ["sample-yazd"]
    other_case = world["cases"]["دیگری"]
    assert client.get(f"/api/v1/revival-cases/{other_case.pk}/").status_code == 404
    reports = client.get("/api/v1/monthly-reports/").json()
    reports = reports["results"] if isinstance(reports, dict) else reports
    assert [row["unit_name"] for row in reports] == ["sample-yazd"]
    client.force_login(people["bushehr-expert"])
    cases = client.get("/api/v1/revival-cases/").json()
    assert (cases["results"] if isinstance(cases, dict) else cases) == []


def test_a_representative_files_a_report_through_the_api(client, people, world):
    client.force_login(people["yazd-unit"])
    response = client.post("/api/v1/monthly-reports/", {
        "unit": world["own"].pk, "year": 1400, "month": 5, "production_volume": "12.5",
        "employees": 9, "sales_rial": 4_000_000_000,
    }, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted" and body["due_on"] == "2021-09-01"  # 1400/06/10
    draft = client.post("/api/v1/monthly-reports/", {
        "unit": world["own"].pk, "year": 1400, "month": 6, "production_volume": "1",
        "employees": 1, "submit": False,
    }, content_type="application/json")  # fmt: skip
    assert draft.json()["status"] == "draft"
    again = client.post("/api/v1/monthly-reports/", {
        "unit": world["own"].pk, "year": 1400, "month": 5, "production_volume": "1", "employees": 1,
    }, content_type="application/json")  # fmt: skip
    assert again.status_code == 400 and again.json()["code"] == "report_already_filed"
    other = client.post("/api/v1/monthly-reports/", {
        "unit": world["other"].pk, "year": 1400, "month": 5, "production_volume": "1",
        "employees": 1,
    }, content_type="application/json")  # fmt: skip
    assert other.status_code == 400
    assert not MonthlyReport.objects.filter(unit=world["other"]).exists()
    client.force_login(people["hq"])  # reads, files nothing
    refused = client.post("/api/v1/monthly-reports/", {
        "unit": world["own"].pk, "year": 1400, "month": 7, "production_volume": "1",
        "employees": 1,
    }, content_type="application/json")  # fmt: skip
    assert refused.status_code in (400, 403)
    assert not MonthlyReport.objects.filter(month=7).exists()
