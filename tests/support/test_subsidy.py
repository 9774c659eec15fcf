"""The subsidy rule, property-based: a subsidy is never above the rate of the eligible cost, the
approved amount, the unit's cap for the year or the program's budget — for the rule itself and
for whatever sequence of applications the services are given."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shahrak.core.errors import DomainError
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.support import services
from shahrak.support.models import Application, ProgramBudget

from .helpers import MILLION, make_budget, make_program, make_unit, pdf, under_review

rates = st.decimals(min_value=30, max_value=70, places=2)
rials = st.integers(min_value=0, max_value=10**13)


@given(rate=rates, cost=rials, approved=rials, cap=st.integers(-(10**12), 10**13))
def test_the_subsidy_never_exceeds_any_of_its_bounds(rate, cost, approved, cap):
    subsidy = services.subsidy_due(
        rate_pct=rate, eligible_cost_rial=cost, approved_amount_rial=approved,
        remaining_cap_rial=cap,
    )  # fmt: skip
    assert isinstance(subsidy, int) and subsidy >= 0
    assert subsidy * 100 <= rate * cost  # exactly, in rationals: never a rial above the rate
    assert subsidy <= approved
    assert subsidy <= max(cap, 0)
    # And it is the largest whole rial within all of them (nothing is lost but a fraction).
    assert (subsidy + 1) * 100 > rate * cost or subsidy + 1 > approved or subsidy + 1 > cap


@given(rate=rates, cost=rials, cap=st.integers(-(10**12), 10**13))
def test_an_approval_reserves_no_more_than_the_rate_and_the_cap(rate, cost, cap):
    amount = services.approvable_amount(rate_pct=rate, cost_rial=cost, remaining_cap_rial=cap)
    assert amount >= 0 and amount * 100 <= rate * cost and amount <= max(cap, 0)
    assert (amount + 1) * 100 > rate * cost or amount + 1 > cap


# Each application of a run: which unit, the cost approved, the rate, the actual cost, and the
# share of the subsidy paid.
applications = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.integers(1, 3_000),
        st.integers(30, 60),
        st.integers(1, 3_000),
        st.sampled_from([0, 0.5, 1]),
    ),
    min_size=1,
    max_size=4,
)


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    runs=applications,
    budget_million=st.integers(100, 3_000),
    cap_million=st.integers(100, 2_500),
)
def test_no_run_of_applications_breaks_the_rule(
    people, manager, expert, rep, runs, budget_million, cap_million
):
    with transaction.atomic():
        program = make_program(manager, cap_per_unit_rial=cap_million * MILLION,
                               required_documents=[])  # fmt: skip
        budget = make_budget(manager, program, budget_million * MILLION)
        units = [make_unit(expert, rep), make_unit(expert, rep)]
        for which, cost, rate, actual, share in runs:
            application = under_review(rep, expert, units[which], program, cost * MILLION)
            try:
                services.application_approve(
                    actor=manager, application=application, approved_cost_rial=cost * MILLION,
                    approved_rate_pct=rate, on=jd("1400/06/01"),
                )  # fmt: skip
            except DomainError as error:
                assert error.code in ("budget_exceeded", "cap_reached")
                continue
            services.application_document_add(actor=rep, application=application,
                                              kind="invoice", upload=pdf())  # fmt: skip
            services.application_execute(actor=expert, application=application,
                                         actual_cost_rial=actual * MILLION,
                                         on=jd("1400/08/01"))  # fmt: skip
            application.refresh_from_db()
            due = int(application.subsidy_rial * Decimal(str(share)))
            if due:
                services.application_pay(actor=manager, application=application, amount_rial=due)
        budget = ProgramBudget.objects.get(pk=budget.pk)
        assert budget.reserved_rial >= 0 and budget.paid_rial >= 0
        assert budget.reserved_rial + budget.paid_rial <= budget.amount_rial
        held = Application.objects.filter(budget=budget)
        total = held.aggregate(total=Sum("committed_rial"))["total"] or 0
        assert total == budget.reserved_rial + budget.paid_rial
        for unit in units:
            mine = held.filter(unit=unit).aggregate(total=Sum("committed_rial"))["total"] or 0
            assert mine <= cap_million * MILLION
        for application in held:
            assert application.approved_amount_rial * 100 <= (
                application.approved_rate_pct * application.approved_cost_rial
            )
            assert application.subsidy_rial <= application.approved_amount_rial
            assert application.subsidy_rial * 100 <= (
                application.approved_rate_pct * application.actual_cost_rial
            )
            assert application.paid_rial <= application.subsidy_rial
        transaction.set_rollback(True)
