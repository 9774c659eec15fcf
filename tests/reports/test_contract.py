"""The report contract beyond the single value: same period last year, year to date, since
the start, breakdowns by sector and park, a period not over yet — each checked against a
count written here directly on the records (not through the metric code)."""

import datetime as dt
import statistics
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shahrak.core.jalali import JalaliPeriod
from shahrak.parks.models import InfrastructureProject, Park, Plot, PlotEvent, ProgressReport
from shahrak.places.models import County
from shahrak.reports.services import build_report, resolve_scope
from shahrak.revival.models import RevivalCase
from shahrak.units.models import ExportRecord, Unit, UnitStatusEvent
from tests.harness import demo_for_module
from tests.reports.figures import YEAR_1400, parks_hosting, units_in_operation

pytestmark = pytest.mark.django_db
IN_OPERATION = {"operational", "restarted"}  # restated from the issue, not imported


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(
        django_db_blocker, {"accounts", "parks", "units", "revival", "support", "clusters"}
    )


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
    # In the demo every restart went through a revival case.
    assert m["idle.restarted_by_case"]["value"] == restarted["value"]
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
    # The revival cases say the same: 177 identified, and every restart through a case.
    cases = RevivalCase.objects.filter(unit__county__province__code="yazd")
    identified = [c for c in cases if since_1400.start <= c.opened_on <= since_1400.end]
    assert whole["metrics"]["idle.identified"]["value"] == len(identified) == 177
    for report in (first_half, whole):
        restarted = report["metrics"]["units.restarted"]["value"]
        assert report["metrics"]["idle.restarted_by_case"]["value"] == restarted
    assert first_half["metrics"]["idle.restarted_by_case"]["value"] == 13
    assert 55 <= whole["metrics"]["idle.restarted_by_case"]["value"] <= 65


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
    first_half = (dt.date(2022, 3, 21), dt.date(2022, 9, 22))  # 1401/01/01–1401/06/31
    assert metric["value"] == restarted_between({"county__province__code": "yazd"}, *first_half)
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
    hosting = parks_hosting(units_in_operation("bushehr", YEAR_1400[1]))  # 1400-H2 ends 1400
    assert len(parks) == hosting and parks[0]["width"] == 100
    listing = client.get(parks[0]["url"])
    assert listing.context["page"].paginator.count == parks[0]["value"]
    html = page.content.decode()
    assert "فرآوری و بسته‌بندی خرما" in html  # the food_dates sector's name
    assert "از ابتدای سال" in html and "از آغاز" in html


# --- each figure's records link, followed -----------------------------------------------------
def _count(context) -> Decimal:
    return Decimal(context["page"].paginator.count)


def _sme_share(context) -> Decimal:
    smes = context["filter"].qs
    return (Decimal(100) * smes.exclude(park=None).count() / smes.count()).quantize(Decimal("0.1"))


def _exports_total(context) -> Decimal:
    return Decimal(str(context["total"]))


def _spent(context) -> Decimal:
    listed = context["filter"].qs
    assert sum(project.spent_in_period for project in listed) == context["totals"]["spent_rial"]
    return Decimal(context["totals"]["spent_rial"])


def _capacity(context) -> Decimal:
    listed = context["filter"].qs
    assert all(p.kind in {"power_substation", "power_network"} for p in listed)
    return Decimal(str(context["totals"]["capacity_mw"]))


def _hectares(context) -> Decimal:
    area = sum((plot.area_m2 for plot in context["filter"].qs), Decimal(0))
    assert area / 10_000 == context["hectares"]
    return (area / 10_000).quantize(Decimal("0.0001"))


def _jobs(context) -> Decimal:
    return Decimal(sum(case.jobs_restored for case in context["filter"].qs))


def _median_days(context) -> Decimal:
    days = [(c.restarted_on - c.opened_on).days for c in context["filter"].qs]
    return Decimal(str(statistics.median(days)))


def _on_time_pct(context) -> Decimal:
    """Of the filed reports listed, the share filed by the 10th of the next month (Tehran)."""
    from zoneinfo import ZoneInfo

    from shahrak.core.jalali import to_gregorian

    filed = [r for r in context["filter"].qs if r.status in {"submitted", "accepted", "returned"}]
    on_time = 0
    for r in filed:
        year, month = (r.year + 1, 1) if r.month == 12 else (r.year, r.month + 1)
        on_time += r.filed_at.astimezone(ZoneInfo("Asia/Tehran")).date() <= to_gregorian(
            year, month, 10
        )
    return (Decimal(100) * on_time / len(filed)).quantize(Decimal("0.1"))


def _services_and_cases(context) -> Decimal:
    """The service records listed, and the revival cases diagnosed or planned in the same
    dates, which the list links to (services.count counts them; the revival app keeps them)."""
    from django.test import Client

    client = Client()
    client.force_login(context["request"].user)
    cases = 0
    for _label, url in context["revival_links"]:
        cases += client.get(url, follow=True).context["page"].paginator.count
    return Decimal(context["page"].paginator.count + cases)


# What each metric's list shows that must equal the figure: every metric is here (a metric
# added without a way to recount it from its list fails below).
RECOUNT = {
    "units.operational": _count,
    "units.operational_by_sector": _count,
    "units.operational_by_park": _count,
    "units.operational_by_province": _count,
    "parks.with_operational_units": _count,
    "units.sme_share_in_parks_pct": _sme_share,
    "units.became_idle": _count,
    "units.restarted": _count,
    "exports.usd": _exports_total,
    "exports.usd_by_destination": _exports_total,
    "exports.usd_by_province": _exports_total,
    "infra.spend_rial": _spent,
    "infra.power_mw_added": _capacity,
    "infra.projects_delivered": _count,
    "land.ready_for_allocation_ha": _hectares,
    # The revival lists (revival:case-list, report-list, watch-list).
    "idle.identified": _count,
    "idle.open": _count,
    "idle.diagnosed": _count,
    "idle.restarted_by_case": _count,
    "idle.jobs_restored": _jobs,
    "idle.median_days_to_restart": _median_days,
    "idle.watch_list": _count,
    "reports.filed_pct": _on_time_pct,
    # The support lists (support:program-list, application-list, payment-list).
    "programs.active": _count,
    "programs.flagship": _count,
    "programs.by_family": _count,
    "programs.rate_min_pct": lambda context: min(p.rate_min_pct for p in context["filter"].qs),
    "programs.rate_max_pct": lambda context: max(p.rate_max_pct for p in context["filter"].qs),
    "applications.submitted": _count,
    "applications.approved": _count,
    "subsidy.committed_rial": lambda context: _committed(context),
    "subsidy.mean_rate_pct": lambda context: _mean_rate(context),
    "subsidy.paid_rial": _exports_total,  # the total listed, as for exports
    # Exhibitions and services (support:exhibition-support-list, service-list).
    "exhibitions.supports": _count,
    "exhibitions.supports_total": _count,
    "exhibitions.foreign_supports": _count,
    "exhibitions.supports_year_before": _count,
    "services.count": _services_and_cases,
    "services.count_year_before": _services_and_cases,
    "services.by_kind": _count,  # a revival row's link opens the revival case list
    # Clusters (clusters:plan-list, action-plan-list, member-list).
    "clusters.plans_in_progress": _count,
    "clusters.plans_finished": _count,
    "clusters.handed_over": _count,
    "clusters.action_plans": _count,
    "clusters.members": _count,
}


def _committed(context) -> Decimal:
    listed = context["filter"].qs
    total = sum(a.committed_rial for a in listed)
    summary = context["approved_summary"]  # what the page says (nothing when none is listed)
    assert (summary["committed"] if summary else 0) == total
    return Decimal(total)


def _mean_rate(context) -> Decimal:
    rates = [a.approved_rate_pct for a in context["filter"].qs]
    mean = (sum(rates) / len(rates)).quantize(Decimal("0.1"))
    assert mean == context["approved_summary"]["rate"]
    return mean


def _this_year() -> str:
    from django.utils import timezone

    from shahrak.core.jalali import jalali_year_of

    return str(jalali_year_of(timezone.localdate()))


# (who asks, the scope asked (a park or county by name), the period)
LINKED_REPORTS = [
    ("bushehr-manager", {"province": "bushehr"}, "1400"),
    ("yazd-expert", {"province": "yazd"}, "1401-H1"),
    ("hq", {}, "1399"),
    ("bushehr-expert", {"park": "شهرک صنعتی برازجان"}, "1399"),
    ("auditor", {"county": "bushehr/dashtestan"}, "1400-Q3"),
    ("bushehr-manager", {"province": "bushehr"}, "this year"),  # not over: cut at today
]


def _asked(scope: dict) -> dict:
    if "park" in scope:
        return {"park": Park.objects.get(name=scope["park"]).pk}
    if "county" in scope:
        province, code = scope["county"].split("/")
        return {"county": County.objects.get(province__code=province, code=code).pk}
    return scope


@pytest.mark.parametrize(("username", "scope", "period"), LINKED_REPORTS)
def test_every_figure_with_records_links_to_exactly_them(demo, client, username, scope, period):
    """Follow each records link of a report — every metric, every row of a breakdown — and
    recount what the list shows: it is the figure, for that scope and period."""
    from shahrak.reports.registry import metrics

    assert set(RECOUNT) == set(metrics())
    client.force_login(get_user_model().objects.get(username=username))
    period = _this_year() if period == "this year" else period
    report = client.get("/api/v1/reports/metrics/", {**_asked(scope), "period": period}).json()
    followed = 0
    for key, metric in report["metrics"].items():
        recount = RECOUNT[key]
        if metric.get("by"):
            rows = {k: v for k, v in metric["value"].items() if v}
            for row, value in rows.items():
                url = f"{metric['records_url']}&{metric['by']}={row}"
                listed = client.get(url, follow=True).context
                assert recount(listed) == Decimal(str(value)), (key, row)
                followed += 1
            continue
        if isinstance(metric["value"], dict):
            continue  # a breakdown whose rows cannot be listed one by one
        if metric["records_url"] is None:  # not applicable here (clusters in a park): no figure
            assert key.startswith("clusters.") and metric["value"] is None, key
            assert "park" in scope or "county" in scope, key
            continue
        listed = client.get(metric["records_url"]).context
        value = metric["value"]
        expected = Decimal(str(value)) if value is not None else None
        if key == "land.ready_for_allocation_ha":
            expected = expected.quantize(Decimal("0.0001"))
        if value is None:  # no small or medium unit in operation: an empty list
            assert listed["page"].paginator.count == 0, key
        else:
            assert recount(listed) == expected, key
        followed += 1
    assert followed > len(RECOUNT)


def test_a_list_says_which_filters_a_figure_applied(demo, client):
    """The projects delivered in 1400 — 17 of them, not every project ever delivered — and
    the list names the dates it was narrowed to; the API takes the same filters."""
    from shahrak.parks.models import InfrastructureProject

    client.force_login(get_user_model().objects.get(username="bushehr-manager"))
    report = client.get(
        "/api/v1/reports/metrics/", {"province": "bushehr", "period": "1400"}
    ).json()
    delivered = report["metrics"]["infra.projects_delivered"]
    in_1400 = InfrastructureProject.objects.filter(
        park__county__province__code="bushehr",
        temporarily_delivered_on__gte=dt.date(2021, 3, 21),
        temporarily_delivered_on__lte=dt.date(2022, 3, 20),
    )
    assert delivered["value"] == in_1400.count() == 17
    page = client.get(delivered["records_url"])
    assert {p.pk for p in page.context["filter"].qs} == set(in_1400.values_list("pk", flat=True))
    html = page.content.decode()
    assert "تحویل موقت از: ۱۴۰۰/۰۱/۰۱" in html and "تحویل موقت تا: ۱۴۰۰/۱۲/۲۹" in html
    spend = client.get(report["metrics"]["infra.spend_rial"]["records_url"]).content.decode()
    assert "هزینه از: ۱۴۰۰/۰۱/۰۱" in spend and "هزینهٔ آنچه فهرست شده در این بازه" in spend
    query = delivered["records_url"].split("?", 1)[1]
    api = client.get(f"/api/v1/infrastructure-projects/?{query}").json()
    assert api["count"] == 17


# --- infrastructure and land, against counts written here ------------------------------------
POWER_KINDS = {"power_substation", "power_network"}  # restated from the issue


def _on_parks(asked: dict) -> dict:
    """The scope as a filter on records of a park (projects, plots)."""
    if "province" in asked:
        return {"park__county__province__code": asked["province"]}
    if "county" in asked:
        return {"park__county": asked["county"]}
    return {"park": asked["park"]}


def spent_by(where: dict, date) -> Counter:
    """Money spent on each project up to `date`: its latest reported spend by then."""
    latest = Counter()
    reports = ProgressReport.objects.filter(
        **{f"project__{k}": v for k, v in where.items()}, spent_to_date_rial__isnull=False
    )
    for project, on, spent in reports.order_by("on", "pk").values_list(
        "project", "on", "spent_to_date_rial"
    ):
        if on <= date:
            latest[project] = spent
    return latest


def spent_on_each(where: dict, start, end) -> dict[int, int]:
    """Project → money spent on it from `start` to `end` (those with any)."""
    by_end, before = spent_by(where, end), spent_by(where, start - dt.timedelta(days=1))
    spent = {project: by_end[project] - before[project] for project in by_end}
    return {project: value for project, value in spent.items() if value}


def spent_between(where: dict, start, end) -> int:
    return sum(spent_on_each(where, start, end).values())


def delivered_between(where: dict, start, end) -> list:
    return [
        project
        for project in InfrastructureProject.objects.filter(**where)
        if project.temporarily_delivered_on and start <= project.temporarily_delivered_on <= end
    ]


def power_between(where: dict, start, end) -> Decimal:
    return sum(
        (p.capacity for p in delivered_between(where, start, end)
         if p.kind in POWER_KINDS and p.capacity_unit == "MW"),
        Decimal(0),
    )  # fmt: skip


def hectares_ready(where: dict, date, plots=False):
    """Hectares of the plots whose latest status by `date` is ready (with `plots`: them)."""
    status = {}
    events = PlotEvent.objects.filter(**{f"plot__{k}": v for k, v in where.items()})
    for plot, on, now in events.order_by("on", "pk").values_list("plot", "on", "status"):
        if on <= date:
            status[plot] = now
    ready = {plot for plot, now in status.items() if now == "ready"}
    if plots:
        return ready
    return sum((p.area_m2 for p in Plot.objects.filter(pk__in=ready)), Decimal(0)) / 10_000


def _scopes_of_parks():
    return [asked for asked, _where in scopes()]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    data=st.data(),
    year=st.integers(1395, 1405),
    part=st.sampled_from(["", "-H1", "-H2", "-Q2", "-Q4", "-11"]),
)
def test_infrastructure_and_land_agree_with_a_count_on_the_records(demo, client, data, year, part):
    """Each figure against a count written here on the records, and each figure's list
    against the records of that count."""
    asked = data.draw(st.sampled_from(_scopes_of_parks()))
    where = _on_parks(asked)
    period = JalaliPeriod.parse(f"{year}{part}")
    scope, described = resolve_scope(admin(), **asked)
    report = build_report(admin(), scope=scope, scope_description=described, period=period,
                          today=dt.date(2030, 1, 1))  # fmt: skip
    m = report["metrics"]
    start_of_year = JalaliPeriod.year(year).start
    ever = dt.date(1921, 3, 21)  # 1300/01/01, where "since the start" begins
    for field, start in (("value", period.start), ("year_to_date", start_of_year),
                         ("cumulative", ever)):  # fmt: skip
        assert m["infra.spend_rial"][field] == spent_between(where, start, period.end), field
        delivered = delivered_between(where, start, period.end)
        assert m["infra.projects_delivered"][field] == len(delivered), field
        power = power_between(where, start, period.end)
        assert Decimal(str(m["infra.power_mw_added"][field])) == power, field
    previous = period.same_period_last_year()
    assert m["infra.spend_rial"]["previous"] == spent_between(where, previous.start, previous.end)
    land = m["land.ready_for_allocation_ha"]
    assert Decimal(str(land["value"])).quantize(Decimal("0.0001")) == hectares_ready(
        where, period.end
    ).quantize(Decimal("0.0001"))
    assert Decimal(str(land["previous"])).quantize(Decimal("0.0001")) == hectares_ready(
        where, previous.end
    ).quantize(Decimal("0.0001"))
    assert land["year_to_date"] is None and land["cumulative"] is None  # a stock
    client.force_login(admin())

    def listed(key):
        return client.get(m[key]["records_url"]).context["filter"].qs

    spent = {p.pk: p.spent_in_period for p in listed("infra.spend_rial")}
    assert spent == spent_on_each(where, period.start, period.end)
    delivered = delivered_between(where, period.start, period.end)
    assert {p.pk for p in listed("infra.projects_delivered")} == {p.pk for p in delivered}
    adding = {p.pk for p in delivered if p.kind in POWER_KINDS and p.capacity_unit == "MW"}
    assert {p.pk for p in listed("infra.power_mw_added")} == adding
    ready = hectares_ready(where, period.end, plots=True)
    assert {p.pk for p in listed("land.ready_for_allocation_ha")} == ready


@pytest.mark.parametrize(
    "url",
    ["/parks/projects/?spent_from=0001-01-01&spent_to=9999-12-31",
     "/parks/projects/?delivered_from=0001-01-01&delivered_to=9999-12-31",
     "/parks/plots/?ready_on=0001-01-01", "/parks/?with_units_on=9999-12-31",
     "/units/?operational_on=0001-01-01", "/units/?became=idle&became_from=0001-01-01"],
)  # fmt: skip
def test_a_figure_filter_takes_any_date(demo, client, url):
    """A hidden date filter at the calendar's edge lists its records, never a server error
    (the date is shown as given where the Jalali calendar has none)."""
    client.force_login(admin())
    assert client.get(url).status_code == 200


def test_spending_from_the_first_day_is_the_spend_until_the_end(demo, client):
    client.force_login(admin())
    query = {"province": "bushehr", "spent_from": "0001-01-01", "spent_to": "2022-03-20"}
    page = client.get("/parks/projects/", query)
    assert page.context["totals"]["spent_rial"] == spent_between(
        {"park__county__province__code": "bushehr"}, dt.date(1, 1, 2), dt.date(2022, 3, 20)
    )
    assert client.get("/api/v1/infrastructure-projects/", query).status_code == 200


@pytest.mark.parametrize("username", ["yazd-unit", "yazd-agent"])
def test_reports_are_for_those_who_hold_a_province(demo, client, username):
    """A unit's representative and a cluster agent get no report (their homes show their own
    records): the API refuses, as the dashboard does."""
    client.force_login(get_user_model().objects.get(username=username))
    assert client.get("/api/v1/reports/metrics/", {"period": "1400"}).status_code == 403
    assert client.get("/reports/").status_code == 403


@pytest.mark.parametrize("username", ["bushehr-expert"])
def test_a_figure_links_only_where_its_reader_may_go(demo, client, username):
    """A unit's representative sees the figures of what they may see, but no link to a list
    they may not open (parks, projects, plots); every link given opens."""
    from shahrak.reports.registry import metrics

    client.force_login(get_user_model().objects.get(username=username))
    report = client.get("/api/v1/reports/metrics/", {"period": "1400"}).json()
    scope = resolve_scope(get_user_model().objects.get(username=username))[0]
    refused = 0
    for key, metric in metrics().items():
        url = metric.records(scope, JalaliPeriod.year(1400))
        given = report["metrics"][key]["records_url"]
        status = client.get(url).status_code
        assert status in (200, 403), (key, status)
        assert given == (url if status == 200 else None), key
        refused += status == 403
    assert (refused == 0) == (username == "bushehr-expert")
