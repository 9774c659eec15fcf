"""The staff's steps through the application's page: each form is offered to those who may
take the step in that state, a unit's representative reaches none of them, and a refused step
says why in Persian and saves nothing."""

import re

import pytest
from django.utils import timezone

from shahrak.core.jalali import format_jalali, jalali_year_of
from shahrak.notifications.models import Notification
from shahrak.support.models import Application, ApplicationDocument, Payment, ProgramBudget
from tests.support.helpers import (
    MILLION,
    PERSIAN,
    approved,
    make_budget,
    make_program,
    make_unit,
    pdf,
    snapshot,
    submitted,
    under_review,
)

pytestmark = pytest.mark.django_db
STEPS = ("assign", "review", "return", "approve", "reject", "execute", "pay", "close")


@pytest.fixture
def program(manager):
    return make_program(manager)


@pytest.fixture
def budget(manager, program):
    return make_budget(
        manager, program, 10_000 * MILLION, year=jalali_year_of(timezone.localdate())
    )


@pytest.fixture
def unit(expert, rep):
    return make_unit(expert, rep)


def _url(application, step):
    return f"/support/applications/{application.pk}/{step}/"


def _step_actions(body: str) -> set[str]:
    """The staff's steps whose forms the page offers."""
    return set(re.findall(r'action="/support/applications/\d+/(\w+)/"', body)) & set(STEPS)


def _page(client, application):
    return client.get(f"/support/applications/{application.pk}/").content.decode()


def _today():
    return format_jalali(timezone.localdate())


def test_an_application_goes_from_submission_to_closure_through_its_page(
    client, people, rep, expert, manager, unit, program, budget
):
    application = submitted(rep, unit, program, cost=3_000 * MILLION)
    client.force_login(expert)
    assert _step_actions(_page(client, application)) == {"assign", "return"}
    done = client.post(_url(application, "assign"), {"expert": expert.pk}, follow=True)
    assert PERSIAN.search(str(next(iter(done.context["messages"]))))
    assert (
        client.post(_url(application, "review"), {"note": "هزینه‌ها معقول است"}).status_code == 302
    )

    client.force_login(manager)
    assert _step_actions(_page(client, application)) == {"assign", "review", "return", "approve",
                                                         "reject"}  # fmt: skip
    # 300 million toman at 50 % → 150 million toman reserved (1,500 million rial).
    client.post(_url(application, "approve"),
                {"approved_cost_rial": "۳۰۰", "approved_rate_pct": "۵۰"})  # fmt: skip
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.approved_cost_rial == 3_000 * MILLION
    assert application.approved_amount_rial == 1_500 * MILLION
    assert ProgramBudget.objects.get(pk=budget.pk).reserved_rial == 1_500 * MILLION

    client.force_login(expert)
    assert _step_actions(_page(client, application)) == {"execute"}
    client.post(_url(application, "execute"),
                {"actual_cost_rial": "200", "on": _today(), "file": pdf("factor.pdf")})  # fmt: skip
    application.refresh_from_db()
    assert application.status == "executed" and application.subsidy_rial == 1_000 * MILLION
    assert ApplicationDocument.objects.filter(application=application, kind="invoice").exists()

    client.force_login(manager)
    assert _step_actions(_page(client, application)) == {"pay", "reject"}
    for amount in ("40", "60"):  # staged: 400 then 600 million rial
        client.post(_url(application, "pay"), {"amount_rial": amount, "on": _today()})
    application.refresh_from_db()
    assert application.paid_rial == 1_000 * MILLION and Payment.objects.count() == 2
    assert _step_actions(_page(client, application)) == {"close"}
    client.post(_url(application, "close"), {"confirm": "True"})
    application.refresh_from_db()
    assert application.status == "closed"
    assert _step_actions(_page(client, application)) == set()


def test_a_representative_sees_no_staff_form_and_reaches_no_staff_step(
    client, people, rep, expert, manager, unit, program, budget
):
    application = under_review(rep, expert, unit, program)
    client.force_login(rep)
    assert _step_actions(_page(client, application)) == set()
    before = snapshot()
    bodies = {"assign": {"expert": rep.pk}, "review": {"note": "خوب"}, "return": {"reason": "x"},
              "approve": {"approved_cost_rial": "100", "approved_rate_pct": "40"},
              "reject": {"reason": "نه"}, "execute": {"actual_cost_rial": "100"},
              "pay": {"amount_rial": "1", "on": _today()},
              "close": {"confirm": "True"}}  # fmt: skip
    for step in STEPS:
        assert client.post(_url(application, step), bodies[step]).status_code in (403, 404), step
    assert snapshot() == before
    # The same routes take the staff's steps.
    client.force_login(manager)
    assert client.post(_url(application, "reject"), bodies["reject"]).status_code == 302
    assert Application.objects.get(pk=application.pk).status == "rejected"


def test_an_expert_takes_no_money_step(client, people, rep, expert, manager, unit, program, budget):
    application = under_review(rep, expert, unit, program)
    client.force_login(expert)
    response = client.post(_url(application, "approve"),
                           {"approved_cost_rial": "100", "approved_rate_pct": "40"})  # fmt: skip
    assert response.status_code == 404
    assert Application.objects.get(pk=application.pk).status == "under_review"
    assert client.post(_url(application, "review"), {"note": "کامل است"}).status_code == 302
    assert Application.objects.get(pk=application.pk).review_note == "کامل است"


def test_the_approval_form_shows_what_is_left_of_the_budget_and_the_cap(
    client, people, rep, expert, manager, unit, program, budget
):
    application = under_review(rep, expert, unit, program)
    client.force_login(manager)
    body = _page(client, application)
    approve = body[body.index('/approve/"') :]
    approve = approve[: approve.index("</form>")]
    assert "۱٬۰۰۰ میلیون تومان" in approve  # the budget: 10,000 million rial
    assert "۲۰۰ میلیون تومان" in approve  # the unit's cap: 2,000 million rial
    assert "۳۰" in approve and "۶۰" in approve  # the program's rate range


def _refused(client, url, data, media_root):
    before = snapshot(media_root)
    response = client.post(url, data)
    assert snapshot(media_root) == before
    return response


def test_a_rate_outside_the_programs_range_is_refused_on_the_form(
    client, people, rep, expert, manager, unit, program, budget, media_root
):
    application = under_review(rep, expert, unit, program)
    client.force_login(manager)
    data = {"approved_cost_rial": "100", "approved_rate_pct": "65"}
    response = _refused(client, _url(application, "approve"), data, media_root)
    assert response.status_code == 400
    errors = response.context["approve_form"].errors["approved_rate_pct"]
    assert "نرخ" in errors[0] and "۶۰" in response.content.decode()
    assert 'value="65"' in response.content.decode() or "۶۵" in response.content.decode()


def test_an_approval_above_the_remaining_budget_is_refused_on_the_form(
    client, people, rep, expert, manager, unit, program, media_root
):
    make_budget(manager, program, 300 * MILLION, year=jalali_year_of(timezone.localdate()))
    application = under_review(rep, expert, unit, program)
    client.force_login(manager)
    # 50 % of 100 million toman = 50 million toman, above the 30 million toman budget.
    data = {"approved_cost_rial": "100", "approved_rate_pct": "50"}
    response = _refused(client, _url(application, "approve"), data, media_root)
    assert response.status_code == 400
    message = " ".join(response.context["approve_form"].non_field_errors())
    assert "اعتبار" in message and "۳۰ میلیون تومان" in message


def test_an_approval_cut_by_the_units_cap_says_so(
    client, people, rep, expert, manager, unit, program, budget
):
    # The cap is 2,000 million rial a year; a first approval holds 1,500 of it.
    approved(rep, expert, manager, unit, program, 3_000 * MILLION, 50, on=_today())
    application = under_review(rep, expert, unit, program, 2_000 * MILLION)
    client.force_login(manager)
    # 50 % of 200 million toman is 100 million toman; only 50 million toman of cap is left.
    data = {"approved_cost_rial": "200", "approved_rate_pct": "50"}
    done = client.post(_url(application, "approve"), data, follow=True)
    application.refresh_from_db()
    assert application.approved_amount_rial == 500 * MILLION
    said = " ".join(str(m) for m in done.context["messages"])
    assert "سقف" in said and "۱۰۰ میلیون تومان" in said and "۵۰ میلیون تومان" in said
    page = _page(client, application)
    line = page[page.index("۲۰۰ میلیون تومان × ") :]
    line = line[: line.index("</dd>")]
    assert "= ۱۰۰ میلیون تومان" in line and "سقف باقی‌ماندهٔ واحد" in line
    assert "۵۰ میلیون تومان" in line


def test_an_approved_cost_above_the_cost_applied_for_is_refused(
    client, people, rep, expert, manager, unit, program, budget, media_root
):
    application = under_review(rep, expert, unit, program, 1_000 * MILLION)
    client.force_login(manager)
    data = {"approved_cost_rial": "150", "approved_rate_pct": "50"}
    response = _refused(client, _url(application, "approve"), data, media_root)
    assert response.status_code == 400
    errors = response.context["approve_form"].errors["approved_cost_rial"]
    assert PERSIAN.search(errors[0]) and "۱۰۰ میلیون تومان" in errors[0]


def test_a_payment_before_execution_is_refused_with_its_reason(
    client, people, rep, expert, manager, unit, program, budget, media_root
):
    application = approved(rep, expert, manager, unit, program, 1_000 * MILLION, 40,
                           on=_today())  # fmt: skip
    client.force_login(manager)
    response = _refused(client, _url(application, "pay"),
                        {"amount_rial": "10", "on": _today()}, media_root)  # fmt: skip
    assert response.status_code == 400
    said = " ".join(str(m) for m in response.context["messages"])
    assert "پس از اجرای کار" in said


def test_an_execution_refused_keeps_neither_the_invoice_nor_its_file(
    client, people, rep, expert, manager, unit, program, budget, media_root
):
    application = approved(rep, expert, manager, unit, program, 1_000 * MILLION, 40,
                           on=_today())  # fmt: skip
    client.force_login(expert)
    # The eligible cost is above the actual cost: refused after the invoice was stored.
    response = _refused(client, _url(application, "execute"),
                        {"actual_cost_rial": "10", "eligible_cost_rial": "20", "on": _today(),
                         "file": pdf("factor.pdf")}, media_root)  # fmt: skip
    assert response.status_code == 400
    assert response.context["execute_form"].errors["eligible_cost_rial"]


def test_the_expert_is_told_of_an_assignment_made_on_the_page(
    client, people, rep, expert, manager, unit, program, budget
):
    application = submitted(rep, unit, program)
    client.force_login(manager)
    client.post(_url(application, "assign"), {"expert": expert.pk})
    assert Notification.objects.filter(recipient=expert, verb="application.assigned").exists()


def test_only_the_provinces_experts_and_managers_are_offered_for_assignment(
    client, people, rep, expert, manager, unit, program, budget
):
    application = submitted(rep, unit, program)
    client.force_login(manager)
    body = _page(client, application)
    form = body[body.index('/assign/"') :]
    form = form[: form.index("</form>")]
    offered = set(re.findall(r'<option value="(\d+)"', form))
    assert offered == {str(expert.pk), str(manager.pk)}
    # A Yazd expert is refused as an id nobody holds.
    yazd = client.post(_url(application, "assign"), {"expert": people["yazd-expert"].pk})
    unknown = client.post(_url(application, "assign"), {"expert": 999_999})
    assert yazd.status_code == unknown.status_code == 200
    assert yazd.context["assign_form"].errors == unknown.context["assign_form"].errors
    assert "yazd-expert" not in yazd.content.decode()
