"""Two managers approving at the same moment cannot both take the last of a budget: the second
approval waits for the first's row lock on the budget, then sees what it reserved.

Run on PostgreSQL (`--db=postgres`), where each thread has its own connection and the
approvals really overlap; on SQLite writers are serialised by the database itself (see
docs/support.md) and the test is skipped."""

import threading
import time

import pytest
from django.db import connection, connections

from shahrak.accounts.models import User
from shahrak.core.errors import DomainError
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.support import services
from shahrak.support.models import Application, ProgramBudget

from .helpers import MILLION, make_budget, make_program, make_unit, under_review

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; run with --db=postgres")


def test_two_simultaneous_approvals_cannot_both_take_the_last_of_a_budget(
    postgres_only, monkeypatch, people, manager, expert, rep
):
    program = make_program(manager)
    budget = make_budget(manager, program, 1_000 * MILLION)
    # Two applications of 50 % of 1,200 million (600 each): the budget holds only one.
    waiting = [
        under_review(rep, expert, make_unit(expert, rep), program, 1_200 * MILLION)
        for _ in range(2)
    ]
    # Widen the race: each approval pauses after it has read the budget and the unit's cap
    # and before it writes, so without a lock both would read "1,000 left".
    cap_used = services.cap_used

    def slow_cap_used(**kwargs):
        found = cap_used(**kwargs)
        time.sleep(0.5)
        return found

    monkeypatch.setattr(services, "cap_used", slow_cap_used)
    start = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def approve(application: Application) -> None:
        try:
            approver = User.objects.get(pk=manager.pk)  # this thread's own connection
            start.wait()
            services.application_approve(
                actor=approver, application=application, approved_cost_rial=1_200 * MILLION,
                approved_rate_pct=50, on=jd("1400/06/01"),
            )  # fmt: skip
            outcomes[application.pk] = "approved"
        except DomainError as error:
            outcomes[application.pk] = error.code
        except Exception as error:  # any other failure is the finding
            outcomes[application.pk] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(a,)) for a in waiting]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    elapsed = time.monotonic() - began

    assert sorted(outcomes.values()) == ["approved", "budget_exceeded"], outcomes
    budget = ProgramBudget.objects.get(pk=budget.pk)
    assert (budget.reserved_rial, budget.paid_rial) == (600 * MILLION, 0)
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == ["approved", "under_review"]
    # They really overlapped: the second waited for the first's lock (two pauses, one after
    # the other), rather than running alone.
    assert elapsed >= 1.0, elapsed
