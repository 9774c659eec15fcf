"""The report contract beyond the single value: same period last year, year to date, since
the start, breakdowns by sector and park, a period not over yet — each checked against a
count written here directly on the records (not through the metric code)."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shahrak.core.jalali import JalaliPeriod
from shahrak.parks.models import Park
from shahrak.places.models import County
from shahrak.reports.services import build_report, resolve_scope
from shahrak.units.models import ExportRecord, Unit, UnitStatusEvent
from tests.harness import demo_for_module

pytestmark = pytest.mark.django_db
IN_OPERATION = {"operational", "restarted"}  # restated from the issue, not imported


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks", "units"})


def admin():
    return get_user_model().objects.get(username="admin")


def units_in(where: dict):
    return Unit.objects.filter(**where)


def operational_units(where: dict, date) -> list[int]:
    latest = {}
    events = UnitStatusEvent.objects.filter(
        on__lte=date, **{f"unit__{k}": v for k, v in where.items()}
    )
    for unit_id, status in events.order_by("on", "pk").values_list("unit_id", "status"):
        latest[unit_id] = status
    return [unit for unit, status in latest.items() if status in IN_OPERATION]


def exports_between(where: dict, start, end) -> Decimal:
    records = ExportRecord.objects.filter(**{f"unit__{k}": v for k, v in where.items()})
    return sum((r.value_usd for r in records if start <= r.on <= end), Decimal(0))


def restarted_between(where: dict, start, end) -> int:
    events = UnitStatusEvent.objects.filter(
        status="restarted", **{f"unit__{k}": v for k, v in where.items()}
    )
    return len({e.unit_id for e in events if start <= e.on <= end})


def scopes():
    """(what resolve_scope is given, the same place as a filter on units)."""
    found = [({"province": code}, {"county__province__code": code}) for code in ("bushehr", "yazd")]
    for county in County.objects.filter(province__code__in=["bushehr", "yazd"]).order_by("pk")[:6]:
        found.append(({"county": county.pk}, {"county": county.pk}))
    for park in Park.objects.order_by("pk")[:6]:
        found.append(({"park": park.pk}, {"park": park.pk}))
    return found


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    data=st.data(),
    year=st.integers(1396, 1404),
    part=st.sampled_from(["", "-H1", "-H2", "-Q3", "-08"]),
)
def test_every_figure_agrees_with_a_count_on_the_records(demo, data, year, part):
    asked, where = data.draw(st.sampled_from(scopes()))
    period = JalaliPeriod.parse(f"{year}{part}")
    scope, described = resolve_scope(admin(), **asked)
    report = build_report(admin(), scope=scope, scope_description=described, period=period,
                          today=dt.date(2030, 1, 1))  # fmt: skip
    m = report["metrics"]
    running = operational_units(where, period.end)
    assert m["units.operational"]["value"] == len(running)
    previous = period.same_period_last_year()
    assert m["units.operational"]["previous"] == len(operational_units(where, previous.end))
    units = {u.pk: u for u in units_in(where).filter(pk__in=running)}
    assert m["units.operational_by_sector"]["value"] == dict(
        Counter(u.sector for u in units.values())
    )
    by_park = Counter(str(u.park_id) for u in units.values() if u.park_id)
    assert m["units.operational_by_park"]["value"] == dict(by_park)
    assert m["parks.with_operational_units"]["value"] == len(by_park)
    by_province = Counter(u.county.province.code for u in units_in(where).filter(pk__in=running)
                          .select_related("county__province"))  # fmt: skip
    assert m["units.operational_by_province"]["value"] == dict(by_province)
    assert set(m["units.operational_by_park"]["names"]) == set(by_park)

    exports = m["exports.usd"]
    start_of_year = JalaliPeriod.year(year).start
    assert Decimal(str(exports["value"])) == exports_between(where, period.start, period.end)
    assert Decimal(str(exports["year_to_date"])) == exports_between(
        where, start_of_year, period.end
    )
    assert Decimal(str(exports["cumulative"])) == exports_between(where, dt.date.min, period.end)
    by_province = m["exports.usd_by_province"]["value"]
    assert sum(Decimal(str(v)) for v in by_province.values()) == Decimal(str(exports["value"]))
    restarted = m["units.restarted"]
    assert restarted["value"] == restarted_between(where, period.start, period.end)
    assert restarted["year_to_date"] == restarted_between(where, start_of_year, period.end)
    assert restarted["cumulative"] == restarted_between(where, dt.date.min, period.end)
    assert m["units.operational"]["year_to_date"] is None  # a stock has no year to date


def test_yazd_revival_reads_as_the_second_report(demo):
    """'Since the start of 1400 nearly 60 units restarted, 13 of them in the first half of
    this year': the same figures as flows over two periods of one contract."""
    scope, described = resolve_scope(admin(), province="yazd")
    since_1400 = JalaliPeriod.parse("1400-01-01..1401-06-31")
    first_half = build_report(admin(), scope=scope, scope_description=described,
                              period=JalaliPeriod.parse("1401-H1"))  # fmt: skip
    whole = build_report(admin(), scope=scope, scope_description=described, period=since_1400)
    where = {"county__province__code": "yazd"}
    assert first_half["metrics"]["units.restarted"]["value"] == restarted_between(
        where, dt.date(2022, 3, 21), dt.date(2022, 9, 22)
    )
    assert whole["metrics"]["units.restarted"]["value"] == restarted_between(
        where, since_1400.start, since_1400.end
    )
    assert whole["metrics"]["units.became_idle"]["value"] == 177


def test_a_period_not_over_is_cut_at_today_and_compared_with_the_same_stretch(demo):
    scope, described = resolve_scope(admin(), province="bushehr")
    today = dt.date(2022, 6, 21)  # 1401-03-31
    report = build_report(admin(), scope=scope, scope_description=described,
                          period=JalaliPeriod.year(1401), today=today)  # fmt: skip
    assert report["period"]["key"] == "1401" and report["period"]["until"] == "2022-06-21"
    assert report["period"]["end"] == "2022-06-21"
    assert report["period"]["previous"] == "1400-01-01..1400-03-31"
    assert report["period"]["label"] == "سال ۱۴۰۱ تا ۱۴۰۱/۰۳/۳۱"
    where = {"county__province__code": "bushehr"}
    exports = report["metrics"]["exports.usd"]
    assert Decimal(str(exports["previous"])) == exports_between(
        where, dt.date(2021, 3, 21), dt.date(2021, 6, 21)
    )


def test_unit_list_behind_restarted_figure(demo, client):
    client.force_login(get_user_model().objects.get(username="yazd-expert"))
    report = client.get(
        "/api/v1/reports/metrics/", {"province": "yazd", "period": "1401-H1"}
    ).json()
    metric = report["metrics"]["units.restarted"]
    assert metric["value"] > 0
    listing = client.get(metric["records_url"])
    assert listing.context["page"].paginator.count == metric["value"]
    by_sector = report["metrics"]["units.operational_by_sector"]
    assert by_sector["by"] == "sector" and by_sector["names"]


def test_dashboard_draws_sector_and_park_breakdowns_linked_to_records(demo, client):
    client.force_login(get_user_model().objects.get(username="bushehr-manager"))
    page = client.get("/reports/", {"province": "bushehr", "period": "1400-H2"})
    sectors, parks = page.context["by_sector"], page.context["by_park"]
    assert (
        sum(row["value"] for row in sectors)
        == page.context["report"]["metrics"]["units.operational"]["value"]
    )
    assert len(parks) == 20 and parks[0]["width"] == 100
    listing = client.get(parks[0]["url"])
    assert listing.context["page"].paginator.count == parks[0]["value"]
    html = page.content.decode()
    assert "فرآوری خرما" in html or "خرما" in html
    assert "از ابتدای سال" in html and "از آغاز" in html


def test_every_figure_with_records_links_to_exactly_them(demo, client):
    """Follow each records link of a Bushehr report and recount what the list shows."""
    from shahrak.parks.models import HECTARE_M2

    client.force_login(get_user_model().objects.get(username="bushehr-manager"))
    report = client.get(
        "/api/v1/reports/metrics/", {"province": "bushehr", "period": "1400"}
    ).json()
    m = report["metrics"]

    def listed(url):
        return client.get(url).context

    exports = listed(m["exports.usd"]["records_url"])
    assert Decimal(str(exports["total"])) == Decimal(str(m["exports.usd"]["value"]))
    by_destination = m["exports.usd_by_destination"]
    for code in ("RU", "persian-gulf"):
        row = listed(f"{by_destination['records_url']}&destination={code}")
        assert Decimal(str(row["total"])) == Decimal(str(by_destination["value"][code]))
    parks = listed(m["parks.with_operational_units"]["records_url"])
    assert parks["page"].paginator.count == m["parks.with_operational_units"]["value"] == 20
    plots = listed(m["land.ready_for_allocation_ha"]["records_url"])["filter"].qs
    hectares = sum(plot.area_m2 for plot in plots) / HECTARE_M2
    assert round(hectares, 1) == round(Decimal(str(m["land.ready_for_allocation_ha"]["value"])), 1)
    smes = listed(m["units.sme_share_in_parks_pct"]["records_url"])["filter"].qs
    inside = smes.exclude(park=None).count()
    assert round(Decimal(100) * inside / smes.count(), 1) == Decimal(
        str(m["units.sme_share_in_parks_pct"]["value"])
    )
    page = client.get(m["exports.usd"]["records_url"]).content.decode()
    assert 'name="on_from"' in page and "1400/01/01" in page  # the link's dates are Jalali
