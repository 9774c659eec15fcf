"""What the database itself holds, whoever writes: a program's rate within 30–70 %, a budget
never reserved + paid above its amount, an application's money within its approval."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from shahrak.support.models import Application, Program, ProgramBudget
from tests.harness import SAMPLES

pytestmark = pytest.mark.django_db


def refused_by_database(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def program(**fields):
    defaults = {"title": "آزمون", "family": "market", "rate_min_pct": Decimal(30),
                "rate_max_pct": Decimal(70), "cap_per_unit_rial": 0,
                "opens_on": dt.date(2021, 3, 21)}  # fmt: skip
    return Program.objects.create(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("low", "high"), [("29.99", "50"), ("30", "70.01"), ("60", "40"), ("0", "100")]
)
def test_a_programs_rate_outside_30_to_70_is_refused_by_the_database(low, high):
    refused_by_database(lambda: program(rate_min_pct=Decimal(low), rate_max_pct=Decimal(high)))


def test_the_widest_and_a_single_rate_are_accepted():
    assert program(rate_min_pct=Decimal(30), rate_max_pct=Decimal(70)).pk
    assert program(rate_min_pct=Decimal("45.5"), rate_max_pct=Decimal("45.5")).pk


def test_a_budget_is_never_over_committed_in_the_database(people):
    budget = SAMPLES[ProgramBudget]("bushehr")  # 100,000 million; 4,000 reserved, 1,000 paid
    rows = ProgramBudget.objects.filter(pk=budget.pk)
    refused_by_database(lambda: rows.update(reserved_rial=99_000 * 10**6 + 1))
    refused_by_database(lambda: rows.update(paid_rial=96_000 * 10**6 + 1))
    refused_by_database(lambda: rows.update(amount_rial=5_000 * 10**6 - 1))
    refused_by_database(lambda: rows.update(reserved_rial=-1))
    rows.update(reserved_rial=99_000 * 10**6)  # exactly full is allowed
    refused_by_database(
        lambda: ProgramBudget.objects.create(
            program=budget.program, province=budget.province, year=1400, amount_rial=1
        )
    )


def test_an_applications_money_stays_within_its_approval(people):
    application = SAMPLES[Application]("bushehr")  # approved 5,000 million, 1,000 paid
    rows = Application.objects.filter(pk=application.pk)
    refused_by_database(lambda: rows.update(committed_rial=5_000 * 10**6 + 1))
    refused_by_database(lambda: rows.update(paid_rial=5_000 * 10**6 + 1))
    refused_by_database(lambda: rows.update(subsidy_rial=5_000 * 10**6 + 1))
    refused_by_database(lambda: rows.update(approved_rate_pct=Decimal("70.5")))
    refused_by_database(lambda: rows.update(eligible_cost_rial=10**10 + 1))


def test_records_say_what_they_are(people):
    with translation.override("fa"):
        budget = SAMPLES[ProgramBudget]("bushehr")
        assert str(budget) == "اعتبار sample-bushehr در بوشهر، سال 1400"
        application = SAMPLES[Application]("bushehr")
        assert str(application) == f"sample-bushehr — sample-bushehr (درخواست {application.pk})"
