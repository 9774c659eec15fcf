"""The report contract: the command and the API give the same figures, scoped to the user."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shahrak.core.jalali import JalaliPeriod
from shahrak.units.models import UnitStatusEvent
from tests.harness import demo_for_module
from tests.reports.figures import YEAR_1400, exports_usd, parks_hosting, units_in_operation

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks", "units"})


def report_json(tmp_path, *args):
    output = tmp_path / "report.json"
    call_command("report", *args, "--format", "json", "--output", str(output))
    return json.loads(output.read_text(encoding="utf-8"))


def test_bushehr_1400_from_the_command_line(demo, tmp_path):
    report = report_json(tmp_path, "--province", "bushehr", "--period", "1400")
    figures = {key: metric["value"] for key, metric in report["metrics"].items()}
    assert report["period"] == {
        "key": "1400", "start": "2021-03-21", "end": "2022-03-20", "label": "سال ۱۴۰۰",
        "previous": "1399", "until": None,
        "year_to_date": {"key": "1400-01-01..1400-12-29", "start": "2021-03-21",
                         "label": "از ابتدای سال ۱۴۰۰ تا ۱۴۰۰/۱۲/۲۹"},
        "since_start": {"key": "1300-01-01..1400-12-29", "label": "از آغاز تا ۱۴۰۰/۱۲/۲۹"},
    }  # fmt: skip
    operating = units_in_operation("bushehr", YEAR_1400[1])  # counted from the events
    assert figures["units.operational"] == len(operating) > 570  # the report: "more than 570"
    assert figures["parks.with_operational_units"] == parks_hosting(operating) == 20
    assert figures["units.sme_share_in_parks_pct"] > 90
    assert Decimal(str(figures["exports.usd"])) == exports_usd("bushehr", YEAR_1400)
    assert 70_000_000 <= figures["exports.usd"] < 71_000_000  # the report: "70 million"
    assert {"RU", "UA", "CN", "IN", "persian-gulf"} <= set(figures["exports.usd_by_destination"])
    assert figures["infra.power_mw_added"] == 50
    metric = report["metrics"]["units.operational"]
    assert metric["label_fa"] and metric["previous"] is not None
    assert metric["records_url"].startswith("/units/?")


def test_api_gives_the_same_figures_and_scopes_them(demo, client, tmp_path):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    client.force_login(users.get(username="bushehr-manager"))
    api = client.get("/api/v1/reports/metrics/", {"province": "bushehr", "period": "1400"}).json()
    cli = report_json(tmp_path, "--province", "bushehr", "--period", "1400", "--as",
                      "bushehr-manager")  # fmt: skip
    assert api == cli
    assert (
        client.get("/api/v1/reports/metrics/", {"province": "yazd", "period": "1400"}).status_code
        == 404
    )
    national = client.get("/api/v1/reports/metrics/", {"period": "1400"}).json()
    assert (
        national["metrics"]["units.operational"]["value"]
        == (api["metrics"]["units.operational"]["value"])
    )  # a Bushehr manager's "nation" is what they may see: Bushehr
    client.force_login(users.get(username="yazd-manager"))
    yazd = client.get("/api/v1/reports/metrics/", {"province": "yazd", "period": "1401-H1"}).json()
    assert yazd["metrics"]["units.operational"]["value"] > 1500
    bad = client.get("/api/v1/reports/metrics/", {"period": "1401-H3"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_period"


def independent_operational(province: str, date) -> int:
    """Units in operation on `date`, counted in Python from the events themselves."""
    latest = {}
    for unit_id, status, _on in (
        UnitStatusEvent.objects.filter(unit__county__province__code=province, on__lte=date)
        .order_by("on", "pk")
        .values_list("unit_id", "status", "on")
    ):
        latest[unit_id] = status
    return sum(1 for status in latest.values() if status in {"operational", "restarted"})


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    province=st.sampled_from(["bushehr", "yazd"]),
    year=st.integers(1395, 1404),
    part=st.sampled_from(["", "-H1", "-H2", "-Q3", "-07"]),
)
def test_metric_agrees_with_an_independent_count(demo, province, year, part):
    from django.contrib.auth import get_user_model

    from shahrak.reports.services import build_report, resolve_scope

    user = get_user_model().objects.get(username="admin")
    period = JalaliPeriod.parse(f"{year}{part}")
    scope, described = resolve_scope(user, province=province)
    report = build_report(user, scope=scope, scope_description=described, period=period)
    assert report["metrics"]["units.operational"]["value"] == independent_operational(
        province, period.end
    )


@pytest.mark.parametrize("username", ["bushehr-manager", "admin"])
def test_records_link_lists_the_units_behind_the_figure(demo, client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    report = client.get(
        "/api/v1/reports/metrics/", {"province": "bushehr", "period": "1400"}
    ).json()
    metric = report["metrics"]["units.operational"]
    listing = client.get(metric["records_url"])
    assert listing.context["page"].paginator.count == metric["value"]


def test_county_and_park_scopes(demo, client):
    from django.contrib.auth import get_user_model

    from shahrak.parks.models import Park

    borazjan = Park.objects.get(name="شهرک صنعتی برازجان")
    client.force_login(get_user_model().objects.get(username="bushehr-expert"))
    park = client.get("/api/v1/reports/metrics/", {"park": borazjan.pk, "period": "1399"}).json()
    assert park["scope"]["level"] == "park"
    assert park["metrics"]["infra.spend_rial"]["value"] >= 380_000_000_000  # its share of 1399
    county = client.get(
        "/api/v1/reports/metrics/", {"county": borazjan.county_id, "period": "1400"}
    )
    assert county.status_code == 200 and county.json()["scope"]["level"] == "county"
    meybod = Park.objects.get(name="شهرک صنعتی میبد")
    assert client.get("/api/v1/reports/metrics/", {"park": meybod.pk}).status_code == 404
    assert client.get("/api/v1/reports/metrics/", {"county": meybod.county_id}).status_code == 404


def test_every_metric_key_is_documented():
    from pathlib import Path

    from shahrak.reports.registry import metrics

    documented = (Path(__file__).resolve().parents[2] / "docs" / "reports.md").read_text()
    missing = [key for key in metrics() if f"`{key}`" not in documented]
    assert not missing, f"docs/reports.md lacks {missing}"


@pytest.mark.parametrize(
    ("username", "name"),
    [("hq", "کل کشور"), ("auditor", "بوشهر و یزد"), ("bushehr-manager", "بوشهر")],
)  # fmt: skip
def test_a_report_without_scope_is_named_by_what_the_user_sees(demo, client, username, name):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    report = client.get("/api/v1/reports/metrics/", {"period": "1400"}).json()
    assert report["scope"]["level"] == "nation" and report["scope"]["name_fa"] == name
