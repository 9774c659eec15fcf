"""The rules of parks, plots and projects: each refusal has a clear message and changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from shahrak.core.errors import DomainError
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.parks import services
from shahrak.parks.choices import PlotStatus, ProjectKind, ProjectStatus
from shahrak.parks.models import InfrastructureProject, Park, Plot, PlotEvent, ProgressReport
from shahrak.places.models import County
from tests.harness import sample_park

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def persian():
    with translation.override("fa"):
        yield


@pytest.fixture
def park(people):
    return sample_park("bushehr")


@pytest.fixture
def expert(people):
    return people["bushehr-expert"]


@pytest.fixture
def project(park, expert):
    return services.project_create(
        actor=expert, park=park, title="شبکهٔ آب", kind=ProjectKind.WATER_NETWORK
    )


def refused(code, call, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        call(*args, **kwargs)
    assert error.value.code == code
    assert any("\u0600" <= ch <= "\u06ff" for ch in str(error.value.message))  # Persian
    return error.value


def test_progress_over_100_is_refused(project, expert):
    refused("progress_out_of_range", services.progress_report_add, actor=expert,
            project=project, on=jd("1401/01/10"), progress_pct=Decimal(120))  # fmt: skip
    assert not ProgressReport.objects.exists()


def test_progress_never_goes_down(project, expert):
    services.progress_report_add(
        actor=expert, project=project, on=jd("1401/01/10"), progress_pct=Decimal(60)
    )
    error = refused("progress_decreased", services.progress_report_add, actor=expert,
                    project=project, on=jd("1401/02/10"), progress_pct=Decimal(40))  # fmt: skip
    assert "۱۴۰۱/۰۱/۱۰" in str(error.message)
    refused("progress_above_later_report", services.progress_report_add, actor=expert,
            project=project, on=jd("1400/12/01"), progress_pct=Decimal(70))  # fmt: skip
    assert ProgressReport.objects.count() == 1


def test_temporary_delivery_needs_100_percent(project, expert):
    services.progress_report_add(
        actor=expert, project=project, on=jd("1401/01/10"), progress_pct=Decimal(60)
    )
    error = refused("delivery_before_complete", services.project_deliver_temporarily,
                    actor=expert, project=project, on=jd("1401/02/01"))  # fmt: skip
    assert "۶۰" in str(error.message)  # the progress reached, in Persian digits
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS and project.temporarily_delivered_on is None


def test_delivery_then_final_delivery_in_order(project, expert):
    services.progress_report_add(
        actor=expert, project=project, on=jd("1401/01/10"), progress_pct=Decimal(100)
    )
    refused("delivery_before_report", services.project_deliver_temporarily, actor=expert,
            project=project, on=jd("1401/01/01"))  # fmt: skip
    services.project_deliver_temporarily(actor=expert, project=project, on=jd("1401/02/01"))
    refused("final_before_temporary", services.project_deliver_finally, actor=expert,
            project=project, on=jd("1401/01/20"))  # fmt: skip
    services.project_deliver_finally(actor=expert, project=project, on=jd("1402/02/01"))
    project.refresh_from_db()
    assert project.status == ProjectStatus.FINALLY_DELIVERED
    refused("project_closed", services.progress_report_add, actor=expert, project=project,
            on=jd("1402/03/01"), progress_pct=Decimal(100))  # fmt: skip


def test_end_before_start_is_refused(park, expert):
    refused("end_before_start", services.project_create, actor=expert, park=park,
            title="x", kind=ProjectKind.GAS, planned_start=dt.date(2023, 5, 1),
            planned_end=dt.date(2023, 1, 1))  # fmt: skip
    assert not InfrastructureProject.objects.exists()


def test_future_reports_are_refused(project, expert):
    refused("future_report", services.progress_report_add, actor=expert, project=project,
            on=dt.date.today() + dt.timedelta(days=3), progress_pct=Decimal(10))  # fmt: skip


def test_a_plot_cannot_be_allocated_twice(park, expert):
    plot = services.plot_create(actor=expert, park=park, number="12", area_m2=Decimal(2000),
                                use="industrial", on=jd("1400/01/01"))  # fmt: skip
    services.plot_allocate(actor=expert, plot=plot, allottee="شرکت الف", on=jd("1400/05/01"))
    refused("plot_already_allocated", services.plot_allocate, actor=expert, plot=plot,
            allottee="شرکت ب", on=jd("1400/06/01"))  # fmt: skip
    plot.refresh_from_db()
    assert plot.allottee == "شرکت الف" and plot.events.count() == 2


def test_plot_numbers_are_unique_in_a_park(park, expert):
    services.plot_create(actor=expert, park=park, number="۱۲", area_m2=Decimal(2000),
                         use="industrial", on=jd("1400/01/01"))  # fmt: skip
    refused("duplicate_plot", services.plot_create, actor=expert, park=park, number="12",
            area_m2=Decimal(1000), use="industrial", on=jd("1400/01/01"))  # fmt: skip


def test_a_park_in_a_county_of_another_province_is_refused(people):
    meybod = County.objects.get(code="meybod")
    error = refused("not_allowed", services.park_create, actor=people["bushehr-manager"],
                    county=meybod, name="شهرک تازه", kind="industrial_park",
                    latitude=Decimal(32), longitude=Decimal(54), gross_area_ha=Decimal(10),
                    industrial_area_ha=Decimal(5))  # fmt: skip
    assert "استان" in str(error.message)
    assert not Park.objects.filter(name="شهرک تازه").exists()


def test_industrial_land_within_gross_area(people):
    county = County.objects.get(code="kangan")
    refused("industrial_area_exceeds_gross", services.park_create,
            actor=people["bushehr-manager"], county=county, name="ن", kind="industrial_zone",
            latitude=Decimal(27), longitude=Decimal(52), gross_area_ha=Decimal(10),
            industrial_area_ha=Decimal(12))  # fmt: skip


def test_experts_change_but_auditors_and_hq_do_not(project, people):
    for name in ("auditor", "hq", "yazd-manager"):
        refused("not_allowed", services.progress_report_add, actor=people[name], project=project,
                on=jd("1401/01/10"), progress_pct=Decimal(10))  # fmt: skip
    assert not ProgressReport.objects.filter(project=project).exists()
    services.progress_report_add(actor=people["bushehr-expert"], project=project,
                                 on=jd("1401/01/10"), progress_pct=Decimal(10))  # fmt: skip
    assert ProgressReport.objects.filter(project=project, progress_pct=10).count() == 1


def test_stale_edits_are_refused(project, expert):
    version = project.version
    services.project_update(
        actor=expert, project=project, expected_version=version, contractor="الف"
    )
    refused("stale_edit", services.project_update, actor=expert,
            project=InfrastructureProject.objects.get(pk=project.pk), expected_version=version,
            contractor="ب")  # fmt: skip
    assert InfrastructureProject.objects.get(pk=project.pk).contractor == "الف"


def test_plot_status_changes_follow_the_lifecycle(park, expert):
    plot = services.plot_create(actor=expert, park=park, number="1", area_m2=Decimal(500),
                                use="industrial", on=jd("1400/01/01"))  # fmt: skip
    refused("illegal_plot_transition", services.plot_change_status, actor=expert, plot=plot,
            status=PlotStatus.OPERATIONAL, on=jd("1400/02/01"))  # fmt: skip
    services.plot_allocate(actor=expert, plot=plot, allottee="الف", on=jd("1400/02/01"))
    refused("date_before_last_change", services.plot_change_status, actor=expert, plot=plot,
            status=PlotStatus.UNDER_CONSTRUCTION, on=jd("1400/01/15"))  # fmt: skip
    assert [e.status for e in PlotEvent.objects.filter(plot=plot).order_by("on")] == [
        "ready", "allocated",
    ]  # fmt: skip
    assert Plot.objects.get(pk=plot.pk).status == PlotStatus.ALLOCATED
