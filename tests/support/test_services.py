"""An application from draft to payment, the money it reserves and releases, who is told, and
every invalid step refused with a Persian message and nothing partly saved."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from shahrak.accounts.models import AuditEntry
from shahrak.core.errors import DomainError
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.notifications.models import Notification
from shahrak.places.models import Province
from shahrak.support import services
from shahrak.support.models import Application, Program
from tests.harness import sample_park

from .helpers import (
    MILLION,
    PDF,
    PERSIAN,
    PNG,
    approved,
    draft,
    executed,
    make_budget,
    make_program,
    make_unit,
    pdf,
    snapshot,
    submitted,
    under_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(manager):
    return make_program(manager)


@pytest.fixture
def budget(manager, program):
    return make_budget(manager, program, 1_000 * MILLION)


@pytest.fixture
def unit(expert, rep):
    return make_unit(expert, rep)


def refused(code, call, media_root=None, **kwargs):
    """The step is refused with `code`, a Persian message, and leaves everything as it was."""
    before = snapshot(media_root)
    with pytest.raises(DomainError) as error:
        call(**kwargs)
    assert error.value.code == code, error.value.message
    assert PERSIAN.search(str(error.value.message)), error.value.message
    assert snapshot(media_root) == before
    return error.value


def told(person):
    return list(Notification.objects.filter(recipient=person).values_list("verb", flat=True))


def budget_state(budget):
    budget.refresh_from_db()
    return budget.reserved_rial, budget.paid_rial


# --- the whole way ------------------------------------------------------------------------
def test_an_application_from_draft_to_closure(rep, expert, manager, unit, program, budget):
    application = draft(rep, unit, program)
    assert application.status == "draft"
    services.application_document_add(
        actor=rep, application=application, kind="proforma", upload=pdf("quote.pdf")
    )
    services.application_submit(actor=rep, application=application)
    assert told(expert) == ["application.submitted"]  # no expert assigned yet: the province's
    services.application_assign(actor=manager, application=application, expert=expert)
    assert told(expert) == ["application.assigned", "application.submitted"]
    services.application_review(actor=expert, application=application, note="هزینه‌ها معقول است")
    assert told(manager) == ["application.reviewed"]
    # 50 % of 800 million: 400 million reserved against the 1,000 million budget of 1400.
    services.application_approve(actor=manager, application=application,
                                 approved_cost_rial=800 * MILLION, approved_rate_pct=50,
                                 on=jd("1400/06/01"))  # fmt: skip
    assert budget_state(budget) == (400 * MILLION, 0)
    assert told(rep) == ["application.approved"]
    services.application_document_add(actor=rep, application=application, kind="invoice",
                                      upload=pdf())  # fmt: skip
    # It cost 700 million: 50 % of it is 350 million; the other 50 million go back.
    services.application_execute(actor=expert, application=application,
                                 actual_cost_rial=700 * MILLION, on=jd("1400/08/01"))  # fmt: skip
    application.refresh_from_db()
    assert (application.status, application.subsidy_rial) == ("executed", 350 * MILLION)
    assert budget_state(budget) == (350 * MILLION, 0)
    # Two staged payments.
    services.application_pay(actor=manager, application=application, amount_rial=200 * MILLION,
                             on=jd("1400/09/01"))  # fmt: skip
    assert budget_state(budget) == (150 * MILLION, 200 * MILLION)
    services.application_pay(actor=manager, application=application, amount_rial=150 * MILLION,
                             on=jd("1400/10/01"))  # fmt: skip
    assert budget_state(budget) == (0, 350 * MILLION)
    assert told(rep) == ["application.paid", "application.paid", "application.approved"]
    services.application_close(actor=manager, application=application, on=jd("1400/10/02"))
    application.refresh_from_db()
    assert application.status == "closed"
    assert list(application.steps.values_list("status", flat=True)) == [
        "draft", "submitted", "under_review", "under_review", "approved", "executed", "paid",
        "paid", "closed",
    ]  # fmt: skip
    # Each step is in the application's history, status by status.
    changes = [
        entry.changes.get("status")
        for entry in AuditEntry.objects.get_for_object(application).order_by("pk")
    ]
    assert [change[1] for change in changes if change] == [
        "draft", "submitted", "under_review", "approved", "executed", "paid", "closed"
    ]  # fmt: skip


def test_a_partly_paid_application_closes_and_releases_the_rest(
    rep, expert, manager, unit, program, budget
):
    application = executed(rep, expert, manager, unit, program, 600 * MILLION, 40, 600 * MILLION)
    services.application_pay(actor=manager, application=application, amount_rial=100 * MILLION)
    assert budget_state(budget) == (140 * MILLION, 100 * MILLION)  # 40 % of 600 = 240
    services.application_close(actor=manager, application=application)
    assert budget_state(budget) == (0, 100 * MILLION)


def test_the_approved_amount_is_cut_to_the_units_remaining_cap(
    rep, expert, manager, unit, program, manager_budget_large
):
    # A cap of 2,000 million: 60 % of 3,000 million (1,800) fits; of the next 1,000
    # million at 50 % (500) only the 200 million left under the cap are approved.
    first = approved(rep, expert, manager, unit, program, 3_000 * MILLION, 60)
    assert first.approved_amount_rial == 1_800 * MILLION
    second = approved(rep, expert, manager, unit, program, 1_000 * MILLION, 50)
    assert second.approved_amount_rial == 200 * MILLION
    third = under_review(rep, expert, unit, program)
    refused("cap_reached", services.application_approve, actor=manager, application=third,
            approved_cost_rial=100 * MILLION, approved_rate_pct=30,
            on=jd("1400/06/01"))  # fmt: skip
    # Another year has its own cap.
    make_budget(manager, program, 10_000 * MILLION, year=1401)
    services.application_approve(actor=manager, application=third, approved_cost_rial=MILLION * 100,
                                 approved_rate_pct=30, on=jd("1401/02/01"))  # fmt: skip
    third.refresh_from_db()
    assert (third.budget.year, third.approved_amount_rial) == (1401, 30 * MILLION)


@pytest.fixture
def manager_budget_large(manager, program):
    return make_budget(manager, program, 10_000 * MILLION)


@pytest.mark.parametrize("how", ["withdraw", "reject"])
def test_withdrawal_and_rejection_release_the_reservation(
    rep, expert, manager, unit, program, budget, how
):
    application = approved(rep, expert, manager, unit, program, 1_000 * MILLION, 50)
    assert budget_state(budget) == (500 * MILLION, 0)
    if how == "withdraw":
        services.application_withdraw(actor=rep, application=application, reason="منصرف شدیم")
        assert told(expert)[0] == "application.withdrawn"
    else:
        services.application_reject(actor=manager, application=application, reason="تکراری")
        assert told(rep)[0] == "application.rejected"
    assert budget_state(budget) == (0, 0)
    application.refresh_from_db()
    assert application.committed_rial == 0


def test_a_returned_application_is_corrected_and_submitted_again(
    rep, expert, manager, unit, program, budget
):
    application = under_review(rep, expert, unit, program)
    services.application_return(actor=expert, application=application, reason="پیش‌فاکتور ناخواناست")
    assert told(rep) == ["application.returned"]
    assert "پیش‌فاکتور ناخواناست" in Notification.objects.get(recipient=rep).text
    services.application_submit(actor=rep, application=application)
    # The assigned expert is told of the new submission.
    assert told(expert)[0] == "application.submitted"


def test_budgets_hold_exactly_what_applications_commit(
    rep, expert, manager, unit, program, budget, people
):
    other = make_unit(expert, rep)
    a = executed(rep, expert, manager, unit, program, 500 * MILLION, 50, 400 * MILLION)
    services.application_pay(actor=manager, application=a, amount_rial=50 * MILLION)
    approved(rep, expert, manager, other, program, 600 * MILLION, 30)
    c = approved(rep, expert, manager, other, program, 200 * MILLION, 40)
    services.application_withdraw(actor=rep, application=c)
    budget.refresh_from_db()
    held = Application.objects.filter(budget=budget).aggregate(total=Sum("committed_rial"))
    # 200 (a's subsidy: 50 % of 400) + 180 (30 % of 600) + 0 (withdrawn)
    assert budget.reserved_rial + budget.paid_rial == held["total"] == 380 * MILLION
    assert budget.paid_rial == 50 * MILLION


# --- refusals -------------------------------------------------------------------------------
def test_payment_before_execution_is_refused(rep, expert, manager, unit, program, budget):
    application = approved(rep, expert, manager, unit, program, 1_000 * MILLION, 50)
    refused("pay_before_execution", services.application_pay, actor=manager,
            application=application, amount_rial=100 * MILLION)  # fmt: skip


def test_paying_more_than_the_subsidy_is_refused(rep, expert, manager, unit, program, budget):
    application = executed(rep, expert, manager, unit, program, 500 * MILLION, 50, 500 * MILLION)
    services.application_pay(actor=manager, application=application, amount_rial=200 * MILLION)
    refused("paid_above_subsidy", services.application_pay, actor=manager,
            application=application, amount_rial=50 * MILLION + 1)  # fmt: skip


def test_an_approval_above_the_remaining_budget_is_refused(
    rep, expert, manager, unit, program, budget
):
    other = make_unit(expert, rep)
    approved(rep, expert, manager, unit, program, 1_000 * MILLION, 60)  # 600 of 1,000 taken
    application = under_review(rep, expert, other, program)
    error = refused("budget_exceeded", services.application_approve, actor=manager,
                    application=application, approved_cost_rial=1_000 * MILLION,
                    approved_rate_pct=41, on=jd("1400/06/01"))  # fmt: skip
    assert "(۴۰ میلیون تومان)" in str(error.message)  # what is left: 400 million rial
    # Exactly what is left still fits.
    services.application_approve(actor=manager, application=application,
                                 approved_cost_rial=1_000 * MILLION, approved_rate_pct=40,
                                 on=jd("1400/06/01"))  # fmt: skip
    assert budget_state(budget) == (1_000 * MILLION, 0)


def test_an_approval_without_a_budget_for_the_year_is_refused(
    rep, expert, manager, unit, program, budget
):
    application = under_review(rep, expert, unit, program)
    refused("no_budget", services.application_approve, actor=manager, application=application,
            approved_cost_rial=100 * MILLION, approved_rate_pct=50,
            on=jd("1399/06/01"))  # fmt: skip


@pytest.mark.parametrize("rate", ["29.99", "60.01", "70", "0", "-50", "abc"])
def test_a_rate_outside_the_programs_range_is_refused(
    rep, expert, manager, unit, program, budget, rate
):
    application = under_review(rep, expert, unit, program)
    refused("rate_out_of_range", services.application_approve, actor=manager,
            application=application, approved_cost_rial=100 * MILLION,
            approved_rate_pct=rate, on=jd("1400/06/01"))  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"employees": 200}, "ineligible_size"),  # a large unit
        ({"sector": "textiles_zilou", "isic_code": "1393"}, "ineligible_sector"),
    ],
)
def test_an_ineligible_unit_cannot_apply(rep, expert, program, budget, fields, code):
    unit = make_unit(expert, rep, **fields)
    refused(code, draft, actor=rep, unit=unit, program=program)


def test_a_unit_outside_any_park_cannot_apply_to_an_in_park_program(rep, expert, program):
    unit = make_unit(expert, rep)
    unit.park = None
    unit.save(update_fields=["park"])
    refused("ineligible_outside_park", draft, actor=rep, unit=unit, program=program)


def test_a_unit_of_another_province_cannot_apply(people, program):
    from tests.revival.factories import UnitFactory

    yazd_unit = UnitFactory(actor=people["yazd-expert"], province="yazd", sector="food_dates",
                            isic_code="1030")  # fmt: skip
    yazd_unit.representatives.add(people["yazd-unit"])
    refused("ineligible_province", draft, actor=people["yazd-unit"], unit=yazd_unit,
            program=program)  # fmt: skip


def test_a_national_program_limited_to_some_provinces(people, manager, expert, rep):
    admin = people["admin"]
    national = services.program_create(
        actor=admin, title="صندوق ملی", family="financial", rate_min_pct=30, rate_max_pct=70,
        cap_per_unit_rial=10**9, opens_on=jd("1399/01/01"),
    )  # fmt: skip
    national.eligible_provinces.set([Province.objects.get(code="yazd")])
    unit = make_unit(expert, rep)
    refused("ineligible_province", draft, actor=rep, unit=unit, program=national)
    national.eligible_provinces.set([])
    assert draft(rep, unit, national).status == "draft"


def test_a_closed_program_takes_no_applications(rep, expert, manager):
    program = make_program(manager, closes_on=jd("1399/12/29"))
    unit = make_unit(expert, rep)
    refused("program_closed", draft, actor=rep, unit=unit, program=program)


def test_a_representative_cannot_apply_for_anothers_unit(people, rep, expert, program, budget):
    not_theirs = make_unit(expert)  # in their province, represented by nobody
    error = refused("not_allowed", draft, actor=rep, unit=not_theirs, program=program)
    assert "نمایندگی" in str(error.message)
    # Nor act on another's application.
    theirs = draft(expert, not_theirs, program)
    refused("not_allowed", services.application_submit, actor=rep, application=theirs)
    refused("not_allowed", services.application_withdraw, actor=rep, application=theirs)
    # Staff of another province cannot register one for them either.
    refused("not_allowed", draft, actor=people["yazd-expert"], unit=not_theirs, program=program)


def test_a_representative_cannot_review_approve_or_pay(rep, expert, manager, unit, program, budget):
    application = under_review(rep, expert, unit, program)
    refused("not_allowed", services.application_approve, actor=rep, application=application,
            approved_cost_rial=MILLION, approved_rate_pct=50)  # fmt: skip
    refused("not_allowed", services.application_return, actor=rep, application=application,
            reason="x")  # fmt: skip


def test_an_expert_does_not_approve_or_pay(rep, expert, manager, unit, program, budget):
    application = under_review(rep, expert, unit, program)
    refused("not_allowed", services.application_approve, actor=expert, application=application,
            approved_cost_rial=100 * MILLION, approved_rate_pct=50)  # fmt: skip
    application = executed(rep, expert, manager, unit, program, 100 * MILLION, 50, 100 * MILLION)
    refused("not_allowed", services.application_pay, actor=expert, application=application,
            amount_rial=MILLION)  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("invoice.docx", b"PK\x03\x04 a word file", "file_type"),
        ("invoice.pdf", b"MZ\x90\x00 an executable", "file_content"),
        ("invoice.png", PDF, "file_content"),
        ("invoice.pdf", PDF + b"\x00" * (5 * 1024 * 1024), "file_too_large"),
    ],
)
def test_a_document_that_is_not_a_pdf_or_image_or_is_too_large_is_refused(
    rep, unit, program, media_root, name, content, code
):
    application = draft(rep, unit, program)
    refused(code, services.application_document_add, media_root=media_root, actor=rep,
            application=application, kind="invoice", upload=pdf(name, content))  # fmt: skip


def test_pdf_and_images_are_stored_with_their_names(rep, unit, program, media_root):
    application = draft(rep, unit, program)
    for name, content in (("فاکتور.pdf", PDF), ("scan.png", PNG)):
        document = services.application_document_add(
            actor=rep, application=application, kind="invoice", upload=pdf(name, content)
        )
        assert document.filename == name and document.size == len(content)
        with document.file.open("rb") as stored:
            assert stored.read() == content
        assert str(media_root) in document.file.path


def test_submission_needs_the_required_documents(rep, unit, program, budget):
    application = draft(rep, unit, program)
    error = refused("documents_missing", services.application_submit, actor=rep,
                    application=application)  # fmt: skip
    assert "پیش‌فاکتور" in str(error.message)


def test_execution_needs_invoices(rep, expert, manager, unit, program, budget):
    application = approved(rep, expert, manager, unit, program, 100 * MILLION, 50)
    refused("invoices_missing", services.application_execute, actor=expert,
            application=application, actual_cost_rial=100 * MILLION)  # fmt: skip


def test_no_withdrawal_after_a_payment(rep, expert, manager, unit, program, budget):
    application = executed(rep, expert, manager, unit, program, 100 * MILLION, 50, 100 * MILLION)
    services.application_pay(actor=manager, application=application, amount_rial=MILLION)
    refused("withdraw_after_payment", services.application_withdraw, actor=rep,
            application=application)  # fmt: skip
    refused("wrong_status", services.application_reject, actor=manager, application=application,
            reason="دیر است")  # fmt: skip


def test_the_staff_cannot_withdraw_a_submitted_application(
    rep, expert, manager, unit, program, budget
):
    """Withdrawing is the unit's act: the staff return or reject instead."""
    application = under_review(rep, expert, unit, program, 100 * MILLION)
    for staff in (expert, manager):
        refused("not_allowed", services.application_withdraw, actor=staff,
                application=application)  # fmt: skip
    # A draft registered by the expert for the unit: the expert may still withdraw it, but
    # not the unit's draft, nor their own once it is submitted.
    mine = draft(expert, unit, program)
    theirs = draft(rep, unit, program)
    refused("not_allowed", services.application_withdraw, actor=expert, application=theirs)
    services.application_withdraw(actor=expert, application=mine)
    assert Application.objects.get(pk=mine.pk).status == "withdrawn"
    services.application_withdraw(actor=rep, application=application)
    assert Application.objects.get(pk=application.pk).status == "withdrawn"


def test_steps_out_of_order_are_refused(rep, expert, manager, unit, program, budget):
    application = draft(rep, unit, program)
    refused("wrong_status", services.application_assign, actor=manager, application=application,
            expert=expert)  # fmt: skip
    refused("wrong_status", services.application_execute, actor=expert, application=application,
            actual_cost_rial=MILLION)  # fmt: skip
    refused("wrong_status", services.application_close, actor=manager, application=application)
    application = submitted(rep, unit, program)
    refused("wrong_status", services.application_approve, actor=manager, application=application,
            approved_cost_rial=MILLION, approved_rate_pct=50)  # fmt: skip
    refused("wrong_status", services.application_submit, actor=rep, application=application)


def test_only_the_provinces_experts_are_assigned(people, rep, manager, unit, program, budget):
    application = submitted(rep, unit, program)
    for person in (people["yazd-expert"], rep, people["hq"]):
        refused("not_an_expert", services.application_assign, actor=manager,
                application=application, expert=person)  # fmt: skip


def test_a_budget_cannot_be_cut_below_what_is_committed(
    rep, expert, manager, unit, program, budget
):
    approved(rep, expert, manager, unit, program, 1_000 * MILLION, 50)
    refused("budget_below_committed", make_budget, manager=manager, program=program,
            amount_rial=500 * MILLION - 1)  # fmt: skip
    assert make_budget(manager, program, 500 * MILLION).amount_rial == 500 * MILLION


def test_a_program_rate_outside_30_to_70_is_refused(manager):
    for low, high in ((25, 50), (30, 75), (60, 40)):
        refused("rate_out_of_range", make_program, manager=manager, rate_min_pct=Decimal(low),
                rate_max_pct=Decimal(high))  # fmt: skip


def test_programs_are_kept_by_their_provinces_manager(people):
    yazd = people["yazd-manager"]
    for actor in (yazd, people["bushehr-expert"], people["hq"]):
        refused("not_allowed", make_program, manager=actor)
    # A national program is the administrators'.
    refused("not_allowed", services.program_create, actor=people["bushehr-manager"],
            title="ملی", family="market", rate_min_pct=30, rate_max_pct=70,
            cap_per_unit_rial=1, opens_on=jd("1400/01/01"))  # fmt: skip


def test_the_applicant_is_emailed_only_of_steps_that_happened(
    settings, mailoutbox, django_capture_on_commit_callbacks, rep, expert, manager, unit, program
):
    settings.SHAHRAK_EMAIL_NOTIFICATIONS = True
    rep.email = "rep@example.com"
    rep.save()
    make_budget(manager, program, 1_000 * MILLION, year=1401)  # submitted: it has a budget
    application = under_review(rep, expert, unit, program)
    # No budget for 1400: refused, so the approval is never announced.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.application_approve(actor=manager, application=application,
                                     approved_cost_rial=MILLION, approved_rate_pct=50,
                                     on=jd("1400/06/01"))  # fmt: skip
    assert mailoutbox == []
    make_budget(manager, program, 1_000 * MILLION)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(actor=manager, application=application,
                                     approved_cost_rial=MILLION, approved_rate_pct=50,
                                     on=jd("1400/06/01"))  # fmt: skip
    assert [mail.to for mail in mailoutbox] == [["rep@example.com"]]
    assert Notification.objects.get(recipient=rep, verb="application.approved").emailed_at


def test_in_park_program_accepts_the_sample_park(rep, expert, program):
    unit = make_unit(expert, rep)
    assert unit.park == sample_park("bushehr")
    assert draft(rep, unit, program).status == "draft"


def test_an_application_made_while_open_is_decided_after_the_program_closes(
    rep, expert, manager, unit, program, budget
):
    application = under_review(rep, expert, unit, program)
    services.application_return(actor=expert, application=application, reason="مبلغ را بنویسید")
    Program.objects.filter(pk=program.pk).update(closes_on=jd("1400/06/30"))
    program.refresh_from_db()
    # Corrected and sent back after the program closed: it is still decided on.
    services.application_submit(actor=rep, application=application)
    services.application_assign(actor=manager, application=application, expert=expert)
    services.application_approve(actor=manager, application=application,
                                 approved_cost_rial=100 * MILLION, approved_rate_pct=30,
                                 on=jd("1400/07/15"))  # fmt: skip
    assert budget_state(budget) == (30 * MILLION, 0)
    # A new application is not taken.
    refused("program_closed", draft, actor=rep, unit=unit, program=program)


def test_an_application_is_reviewed_by_its_assigned_expert(
    rep, expert, manager, unit, program, budget
):
    from shahrak.accounts.models import Membership, User

    other = User.objects.create_user(username="bushehr-expert-2")
    Membership.objects.create(user=other, role="expert",
                              province=Province.objects.get(code="bushehr"))  # fmt: skip
    application = under_review(rep, expert, unit, program)
    refused("not_allowed", services.application_review, actor=other, application=application,
            note="نظر دیگر")  # fmt: skip
    services.application_review(actor=manager, application=application, note="نظر مدیر")
