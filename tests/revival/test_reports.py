"""Monthly reports: filed by the unit's representative (or the staff for it), reviewed by the
province's staff, who accept them or return them with a reason."""

import datetime as dt

import pytest

from shahrak.core.errors import DomainError, NotAllowed
from shahrak.core.jalali import to_jalali
from shahrak.revival import services
from shahrak.revival.models import MonthlyReport, report_due_on
from shahrak.units.models import Unit
from tests.harness import SAMPLES

from .factories import UnitFactory

pytestmark = pytest.mark.django_db
FIGURES = {"production_volume": 120, "production_measure": "تن", "employees": 14,
           "sales_rial": 8_000_000_000, "exports_rial": 0, "energy_kwh": 52_000}  # fmt: skip


@pytest.fixture
def own(people):
    """The Yazd sample unit, represented by yazd-unit."""
    return SAMPLES[Unit]("yazd")


def file(actor, unit, year=1401, month=2, **figures):
    return services.monthly_report_file(actor=actor, unit=unit, year=year, month=month,
                                        **{**FIGURES, **figures})  # fmt: skip


def test_a_representative_files_their_units_report(people, own):
    report = file(people["yazd-unit"], own)
    assert (report.status, report.filed_by, report.employees) == (
        "submitted",
        people["yazd-unit"],
        14,
    )
    assert report.filed_at is not None
    assert report.due_on == dt.date(2022, 5, 31)  # 1401/03/10


@pytest.mark.parametrize("username", ["bushehr-unit", "hq", "auditor", "yazd-agent", "nobody"])
def test_others_do_not_file_for_the_unit(people, own, username):
    with pytest.raises(NotAllowed):
        file(people[username], own)
    assert not MonthlyReport.objects.exists()


def test_a_representative_files_only_for_units_they_represent(people):
    other = UnitFactory(actor=people["yazd-expert"])
    with pytest.raises(NotAllowed):
        file(people["yazd-unit"], other)
    assert file(people["yazd-expert"], other).filed_by == people["yazd-expert"]


def test_review_accept_and_return(people, own):
    rep, expert = people["yazd-unit"], people["yazd-expert"]
    report = file(rep, own)
    for reviewer in (rep, people["bushehr-expert"], people["hq"]):
        with pytest.raises(NotAllowed):
            services.monthly_report_accept(actor=reviewer, report=report)
    with pytest.raises(DomainError) as error:
        services.monthly_report_return(actor=expert, report=report, reason="  ")
    assert error.value.code == "return_reason_required"
    report = services.monthly_report_return(actor=expert, report=report,
                                            reason="فروش با صورت‌حساب‌ها نمی‌خواند")  # fmt: skip
    assert (report.status, report.reviewed_by) == ("returned", expert)
    with pytest.raises(DomainError) as error:
        services.monthly_report_accept(actor=expert, report=report)
    assert error.value.code == "report_not_submitted"
    # The unit corrects the returned report and submits it again; the expert accepts it.
    services.monthly_report_save(actor=rep, unit=own, year=1401, month=2, sales_rial=9 * 10**9,
                                 production_volume=120, employees=14)  # fmt: skip
    report = services.monthly_report_submit(actor=rep, report=report)
    report = services.monthly_report_accept(actor=expert, report=report)
    assert (report.status, report.sales_rial, report.return_reason) == ("accepted", 9 * 10**9, "")
    assert MonthlyReport.objects.count() == 1


def test_a_submitted_report_is_not_changed(people, own):
    report = file(people["yazd-unit"], own)
    with pytest.raises(DomainError) as error:
        file(people["yazd-unit"], own, employees=3)
    assert error.value.code == "report_already_filed"
    report.refresh_from_db()
    assert report.employees == 14


def test_a_month_is_reported_once_it_is_over(people, own):
    year, month, _day = to_jalali(dt.date.today())
    with pytest.raises(DomainError) as error:
        file(people["yazd-unit"], own, year=year, month=month)
    assert error.value.code == "month_not_over"
    for bad_month in (0, 13):
        with pytest.raises(DomainError):
            file(people["yazd-unit"], own, month=bad_month)
    with pytest.raises(DomainError) as error:
        file(people["yazd-unit"], own, employees=-1)
    assert error.value.code == "negative"
    assert not MonthlyReport.objects.exists()


def test_the_report_of_esfand_is_due_in_farvardin():
    assert to_jalali(report_due_on(1400, 12)) == (1401, 1, 10)
    assert to_jalali(report_due_on(1401, 6)) == (1401, 7, 10)
