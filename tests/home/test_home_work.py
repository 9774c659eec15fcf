"""Each role's home shows its work (docs: "every role has a home that shows its work"): a
province's staff their revival work and clusters, headquarters the country by province, an
auditor the latest changes of their scope. Every figure is checked against records made
here (the counts written by hand from what the fixture makes) and against the list its link
opens; a unit representative sees none of the staff's sections."""

import datetime as dt

import pytest
from django.utils import timezone

from shahrak.accounts.models import AuditEntry
from shahrak.clusters.models import ActionPlan, Cluster, DevelopmentPlan
from shahrak.core.jalali import jalali_year_of
from shahrak.revival.models import MonthlyReport, PlanAction, RevivalCase
from shahrak.support.models import Application
from shahrak.units.models import Unit
from tests.harness import SAMPLES

pytestmark = pytest.mark.django_db


def _units(code: str, n: int) -> list:
    """The province's sample unit and n - 1 more like it."""
    first = SAMPLES[Unit](code)
    more = [
        Unit.objects.create(name=f"{first.name}-{i}", county=first.county, park=first.park,
                            isic_code="1030", products="خرما", sector="food_dates", employees=5)
        for i in range(1, n)
    ]  # fmt: skip
    return [first, *more]


def _case(unit, stage, **fields):
    return RevivalCase.objects.create(
        unit=unit, stage=stage, opened_on=dt.date(2021, 5, 1), identified_by="field_survey",
        **fields,
    )  # fmt: skip


@pytest.fixture
def work(people):
    """Yazd: open cases 2 identified and 1 planned (the planned one with an overdue action
    and one action done), a restarted case; 2 reports submitted, 1 accepted; its cluster's
    plan at the diagnostic study, 1 action plan running this year and 1 planned.
    Bushehr: 1 identified case, 1 report submitted, a cluster without a plan."""
    today = timezone.localdate()
    yazd, bushehr = _units("yazd", 5), _units("bushehr", 1)
    # Yazd's sample action, of the plan of the sample case (on the sample unit, yazd[0]).
    action = SAMPLES[PlanAction]("yazd")
    RevivalCase.objects.filter(pk=action.plan.case_id).update(stage="planned")
    PlanAction.objects.filter(pk=action.pk).update(due_on=today - dt.timedelta(days=3))
    PlanAction.objects.create(plan=action.plan, title="done", owner_kind="bank",
                              due_on=today - dt.timedelta(days=10), done_on=today,
                              progress_pct=100)  # fmt: skip
    _case(yazd[1], "identified")
    _case(yazd[2], "identified")
    _case(yazd[3], "restarted", restarted_on=dt.date(2022, 1, 1))
    _case(bushehr[0], "identified")
    for unit, month, status in [
        (yazd[0], 1, "submitted"),
        (yazd[1], 2, "submitted"),
        (yazd[2], 3, "accepted"),
        (bushehr[0], 1, "submitted"),
    ]:
        MonthlyReport.objects.create(unit=unit, year=1403, month=month, status=status,
                                     production_volume=1, employees=1, sales_rial=1)  # fmt: skip
    DevelopmentPlan.objects.filter(pk=SAMPLES[DevelopmentPlan]("yazd").pk).update(
        stage="diagnostic"
    )
    SAMPLES[Cluster]("bushehr")
    year = jalali_year_of(today)
    for title, status in [("running", "running"), ("later", "planned")]:
        ActionPlan.objects.create(cluster=SAMPLES[Cluster]("yazd"), title=title, year=year,
                                  category="training", cost_rial=1, status=status,
                                  starts_on=today)  # fmt: skip
    return {"year": year}


def _listed(client, url) -> int:
    """How many records the list at `url` shows (its pages' total)."""
    page = client.get(url)
    assert page.status_code == 200, url
    return page.context["page"].paginator.count


@pytest.mark.parametrize("username", ["yazd-manager", "yazd-expert"])
def test_provincial_staff_see_their_revival_work_and_clusters(client, people, work, username):
    client.force_login(people[username])
    page = client.get("/")
    html = page.content.decode()
    revival = page.context["revival_work"]
    assert revival["reports_waiting"] == 2
    assert [s["count"] for s in revival["stages"]] == [2, 0, 1]  # identified, diagnosed, planned
    assert revival["overdue"] == 1
    assert _listed(client, revival["reports_url"]) == 2
    assert [_listed(client, s["url"]) for s in revival["stages"]] == [2, 0, 1]
    assert _listed(client, revival["overdue_url"]) == 1
    assert f'href="{revival["watch_url"]}"' in html
    clusters = page.context["province_clusters"]
    assert clusters["count"] == 1 and clusters["running"] == 1
    assert [s["count"] for s in clusters["stages"]] == [1]
    assert _listed(client, clusters["stages"][0]["url"]) == 1
    assert _listed(client, clusters["running_url"]) == 1
    for url in (revival["reports_url"], revival["overdue_url"], clusters["running_url"]):
        assert f'href="{url.replace("&", "&amp;")}"' in html
    assert page.context["national"] is None and page.context["audit"] is None


def test_hq_sees_the_country_by_province(client, people, work):
    client.force_login(people["hq"])
    page = client.get("/")
    html = page.content.decode()
    national = page.context["national"]
    assert page.context["revival_work"] is None and page.context["province_clusters"] is None
    year = work["year"]
    assert [p["url"] for p in national["periods"]] == [
        f"/reports/?period={year}",
        f"/reports/?period={year - 1}",
    ]
    by_code = {row["province"].code: row["cells"] for row in national["rows"]}
    # open cases (restarted is not open), applications submitted / under review, clusters
    submitted = {
        code: Application.objects.filter(
            unit__county__province__code=code, status="submitted"
        ).count()
        for code in ("yazd", "bushehr")
    }
    assert [c[0] for c in by_code["yazd"]] == [3, submitted["yazd"], 0, 1]
    assert [c[0] for c in by_code["bushehr"]] == [1, submitted["bushehr"], 0, 1]
    assert "tehran" not in by_code  # nothing to count there: no row
    for code in ("yazd", "bushehr"):
        for count, url, _label in by_code[code]:
            assert _listed(client, url) == count, url
    assert f'href="{by_code["yazd"][0][1].replace("&", "&amp;")}"' in html
    assert [total for total, _label in national["totals"]] == [4, sum(submitted.values()), 0, 2]
    # No write action in the section: no link to a page that changes records.
    for path in ("/new/", "/edit/", "/import/", "/file/"):
        assert path not in html.split('id="national-title"', 1)[1].split("</section>", 1)[0]


def test_an_auditor_sees_the_latest_changes_of_their_scope(client, people, work):
    client.force_login(people["auditor"])
    page = client.get("/")
    audit = page.context["audit"]
    assert page.context["revival_work"] is None and page.context["national"] is None
    seen = AuditEntry.objects.filter(province__code__in=["bushehr", "yazd"])
    assert seen.exists() and AuditEntry.objects.exclude(province__code__in=["bushehr", "yazd"])
    newest = list(seen.order_by("-timestamp", "-pk").values_list("pk", flat=True)[:10])
    assert [entry.pk for entry in audit["latest"]] == newest
    since = timezone.localdate() - dt.timedelta(days=6)
    assert audit["week"] == seen.filter(timestamp__date__gte=since).count()
    assert _listed(client, audit["week_url"]) == audit["week"]
    assert 'href="/accounts/activity/"' in page.content.decode()


@pytest.mark.parametrize("username", ["yazd-unit", "yazd-agent", "nobody"])
def test_others_see_none_of_the_staffs_sections(client, people, work, username):
    client.force_login(people[username])
    page = client.get("/")
    for key in ("revival_work", "province_clusters", "national", "audit"):
        assert page.context[key] is None, key
    html = page.content.decode()
    for title in ("revival-work-title", "province-clusters-title", "national-title",
                  "audit-title"):  # fmt: skip
        assert title not in html
