"""Issue 13's acceptance on the demo: Bushehr in 1400 has more than 20 support programs, each
subsidising 30–70 %, an application at every stage and a budget close to its limit; Yazd has
60 flagship programs."""

import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Q

from shahrak.core.jalali import format_jalali
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.support.choices import ApplicationStatus
from shahrak.support.models import Application, Payment, Program, ProgramBudget
from tests.harness import demo_for_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks", "units", "support"})


def _report(province, period) -> dict:
    out = io.StringIO()
    call_command("report", "--province", province, "--period", period, "--format", "json",
                 stdout=out)  # fmt: skip
    return json.loads(out.getvalue())


def _open_at(day):
    return Q(opens_on__lte=day) & (Q(closes_on__isnull=True) | Q(closes_on__gte=day))


def test_bushehr_1400_has_more_than_20_programs_within_30_to_70(demo):
    metrics = _report("bushehr", "1400")["metrics"]
    assert metrics["programs.active"]["value"] > 20
    assert metrics["programs.rate_min_pct"]["value"] >= 30
    assert metrics["programs.rate_max_pct"]["value"] <= 70
    end = jd("1400/12/29")
    programs = Program.objects.filter(
        _open_at(end), Q(province__code="bushehr") | Q(province__isnull=True)
    )
    assert programs.count() == metrics["programs.active"]["value"]
    for program in programs:
        assert 30 <= program.rate_min_pct <= program.rate_max_pct <= 70, program
    families = {program.family for program in programs}
    assert {"market", "entrepreneurship", "industrial", "financial"} <= families
    assert programs.filter(title__contains="توسعه محصولات گلخانه").exists()


def test_bushehr_has_an_application_at_every_stage_and_a_budget_near_its_limit(demo):
    applications = Application.objects.filter(unit__county__province__code="bushehr")
    assert set(applications.values_list("status", flat=True)) == set(ApplicationStatus.values)
    paid = applications.get(status="paid")
    assert paid.payments.count() >= 2 and paid.paid_rial < paid.subsidy_rial
    for application in applications:
        # Each step was taken by a person, through the services.
        assert all(step.by_id for step in application.steps.all())
    budgets = ProgramBudget.objects.filter(province__code="bushehr", year=1400)
    near = [b for b in budgets if b.reserved_rial + b.paid_rial >= 0.9 * b.amount_rial > 0]
    assert near and all(b.reserved_rial + b.paid_rial <= b.amount_rial for b in near)
    metrics = _report("bushehr", "1400")["metrics"]
    assert (
        metrics["applications.approved"]["value"]
        == applications.filter(
            approved_on__year__in=(2021, 2022),
            approved_on__range=(jd("1400/01/01"), jd("1400/12/29")),
        ).count()
    )


@pytest.mark.parametrize("period", ["1400", "1401-H1"])
def test_yazd_has_60_flagship_programs(demo, period):
    assert _report("yazd", period)["metrics"]["programs.flagship"]["value"] == 60


def test_the_programs_offered_today_have_a_budget_this_year(demo):
    """Yazd's flagships and Bushehr's programs: applications are expected today, so each has
    a budget for the current Jalali year in its province (else none could be approved)."""
    from django.utils import timezone

    from shahrak.core.jalali import jalali_year_of

    year = jalali_year_of(timezone.localdate())
    provincial = Program.objects.filter(
        is_demo=True, province__code__in=("yazd", "bushehr"), archived_at__isnull=True
    )
    assert provincial.filter(province__code="yazd", flagship=True).count() >= 57
    without = provincial.exclude(
        pk__in=ProgramBudget.objects.filter(year=year, amount_rial__gt=0).values("program")
    )
    assert list(without.values_list("title", flat=True)) == []


def test_each_payment_has_a_tracking_number_of_its_day(demo):
    """«ح-» and the Jalali day it was paid, in both provinces (Yazd's are paid today): no
    placeholder of the loader's shows in the payments list."""
    payments = Payment.objects.filter(application__is_demo=True)
    provinces = set(payments.values_list("application__unit__county__province__code", flat=True))
    assert {"bushehr", "yazd"} <= provinces
    for payment in payments:
        assert payment.reference == f"ح-{format_jalali(payment.on, persian=False, sep='')}"
