"""The first report's infrastructure facts, reproduced from the demo records."""

import io

import pytest
from django.db.models import Count

from shahrak.core.demo_loader import load_demo
from shahrak.core.jalali import JalaliPeriod
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.core.numbers import format_toman
from shahrak.parks import metrics
from shahrak.parks.choices import ProjectKind, ProjectStatus
from shahrak.parks.models import InfrastructureProject, Park, Plot
from tests.harness import demo_for_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks"})


def park(name):
    return Park.objects.get(name=name)


def test_twenty_parks_and_zones_in_bushehr(demo):
    assert Park.objects.filter(county__province__code="bushehr").count() == 20
    kinds = dict(
        Park.objects.filter(county__province__code="bushehr")
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    assert kinds["tech_zone"] == 1 and kinds["sez"] == 1
    assert Park.objects.filter(county__code="meybod").exists()


def test_borazjan_development_section_cost_95_billion_toman(demo):
    section = park("شهرک صنعتی برازجان").sections.get()
    projects = InfrastructureProject.objects.filter(section=section)
    spent = metrics.spent_until(projects, jd("1399/12/30"))
    assert spent == 950_000_000_000  # rial
    assert format_toman(spent) == "۹۵ میلیارد تومان"
    # finished in 1399 ("last year" of the report) and ready for allocation
    assert metrics.projects_delivered(projects, JalaliPeriod.parse("1399")) == projects.count()
    ready = metrics.hectares_ready_at(Plot.objects.filter(section=section), jd("1400/12/29"))
    assert ready > 0
    assert metrics.hectares_ready_at(Plot.objects.filter(section=section), jd("1398/12/29")) == 0


def test_bushehr_2_substation_adds_50_mw_and_the_rest_is_under_way(demo):
    projects = InfrastructureProject.objects.filter(park=park("شهرک صنعتی بوشهر 2"))
    since_start = JalaliPeriod.parse("1395-01-01..1400-12-29")
    assert metrics.power_mw_added(projects, since_start) == 50
    under_way = metrics.in_progress_at(projects, jd("1400/12/29"))
    kinds = set(under_way.values_list("kind", flat=True))
    assert {
        ProjectKind.ASPHALT_ROADS,
        ProjectKind.EARTHWORKS,
        ProjectKind.POWER_NETWORK,
        ProjectKind.WATER_NETWORK,
        ProjectKind.SEWAGE,
    } <= kinds


def test_delvar_pumping_station_at_70_percent_at_the_end_of_1400(demo):
    projects = InfrastructureProject.objects.filter(park=park("زون زیست‌فناوری دلوار"))
    pump = projects.get(kind=ProjectKind.PUMPING_STATION)
    then = metrics.progress_as_of(projects.filter(pk=pump.pk), jd("1400/12/29")).get()
    assert then.progress_then == 70
    assert pump.progress_pct == 100 and pump.status == ProjectStatus.TEMPORARILY_DELIVERED
    delivered = projects.filter(status__in=["temporarily_delivered", "finally_delivered"])
    assert {ProjectKind.WATER_NETWORK, ProjectKind.SALINE_WATER} <= set(
        delivered.filter(temporarily_delivered_on__lte=jd("1400/12/29")).values_list(
            "kind", flat=True
        )
    )


def test_networks_of_the_other_counties(demo):
    for name, all_done in [
        ("شهرک صنعتی کنگان", True),
        ("ناحیه صنعتی دیر", True),
        ("شهرک صنعتی خورموج", False),
        ("ناحیه صنعتی بندر ریگ", False),
        ("منطقه ویژه اقتصادی شمال استان بوشهر", False),
    ]:
        projects = InfrastructureProject.objects.filter(park=park(name))
        assert {"water_network", "power_network", "telecom"} <= set(
            projects.values_list("kind", flat=True)
        )
        open_at_end = metrics.in_progress_at(projects, jd("1400/12/29")).count()
        assert (open_at_end == 0) == all_done, name


def test_every_year_since_1395_has_infrastructure_data(demo):
    for year in range(1395, 1404):
        period = JalaliPeriod.parse(str(year))
        assert metrics.spend_rial(InfrastructureProject.objects.all(), period) > 0, year


def test_demo_parks_are_marked_and_a_second_load_changes_nothing(demo):
    assert not Park.objects.filter(is_demo=False).exists()
    before = (Park.objects.count(), Plot.objects.count(), InfrastructureProject.objects.count())
    load_demo(out=io.StringIO(), only={"accounts", "parks"})
    after = (Park.objects.count(), Plot.objects.count(), InfrastructureProject.objects.count())
    assert before == after
