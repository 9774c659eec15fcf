"""A unit representative applies for their unit through the pages: a draft with an invoice
attached, submitted with a button; a file that is not a PDF or image, or another's unit, is
refused with nothing saved; withdrawing before any payment."""

import re

import pytest
from django.utils import timezone

from shahrak.core.jalali import jalali_year_of
from shahrak.notifications.models import Notification
from shahrak.support.models import Application, ApplicationDocument
from tests.support.helpers import MILLION, make_budget, make_program, make_unit, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(manager):
    program = make_program(manager, required_documents=["invoice"])
    make_budget(manager, program, 10_000 * MILLION, year=_this_year())
    return program


def _this_year():
    return jalali_year_of(timezone.localdate())


@pytest.fixture
def unit(expert, rep):
    return make_unit(expert, rep)


def _apply(client, program, unit, upload, **extra):
    return client.post("/support/applications/new/", {
        "unit": unit.pk, "program": program.pk, "description": "غرفه در نمایشگاه",
        "requested_cost_rial": "۱۰۰", "kind": "invoice", "file": upload, **extra,
    })  # fmt: skip


def test_a_representative_applies_with_an_invoice_and_submits(client, rep, program, unit):
    client.force_login(rep)
    detail = client.get(f"/support/programs/{program.pk}/").content.decode()
    assert f'href="/support/applications/new/?program={program.pk}"' in detail
    response = _apply(client, program, unit, pdf("factor.pdf"))
    application = Application.objects.get()
    assert response["Location"] == f"/support/applications/{application.pk}/"
    assert (application.unit, application.status) == (unit, "draft")
    assert application.requested_cost_rial == 100 * 10 * MILLION
    document = ApplicationDocument.objects.get()
    assert (document.kind, document.filename) == ("invoice", "factor.pdf")
    page = client.get(response["Location"]).content.decode()
    assert "factor.pdf" in page
    assert f'action="/support/applications/{application.pk}/submit/"' in page
    client.post(f"/support/applications/{application.pk}/submit/", {"confirm": "True"})
    application.refresh_from_db()
    assert application.status == "submitted"
    assert Notification.objects.filter(verb="application.submitted").exists()  # the experts
    page = client.get(response["Location"]).content.decode()
    assert "/submit/" not in page  # submitted: no longer offered


def test_a_file_that_is_not_a_pdf_or_image_is_refused_and_nothing_saved(client, rep, program, unit):
    client.force_login(rep)
    fake = pdf("factor.pdf", content=b"MZ\x90\x00 not a pdf at all")
    response = _apply(client, program, unit, fake)
    assert response.status_code == 200
    assert not Application.objects.exists() and not ApplicationDocument.objects.exists()
    assert '<span class="field-error">' in response.content.decode()


def test_a_representative_cannot_apply_for_another_unit(client, people, rep, expert, program):
    other = make_unit(expert, None, name="واحد دیگر")  # nobody represents it
    client.force_login(rep)
    form = client.get("/support/applications/new/").content.decode()
    assert "واحد دیگر" not in form
    response = _apply(client, program, other, pdf())
    assert response.status_code == 200 and not Application.objects.exists()


def test_strangers_to_applications_are_not_offered_the_form(client, people, program):
    for username in ("hq", "auditor", "yazd-agent", "nobody"):
        client.force_login(people[username])
        assert client.get("/support/applications/new/").status_code == 403
        body = client.get(f"/support/programs/{program.pk}/").content.decode()
        assert "/support/applications/new/" not in body


def test_withdrawing_a_draft(client, rep, program, unit):
    client.force_login(rep)
    _apply(client, program, unit, pdf())
    application = Application.objects.get()
    client.post(f"/support/applications/{application.pk}/withdraw/", {"reason": "منصرف شدیم"})
    application.refresh_from_db()
    assert (application.status, application.reason) == ("withdrawn", "منصرف شدیم")
    assert Application.objects.filter(status="withdrawn").count() == 1
    page = client.get(f"/support/applications/{application.pk}/").content.decode()
    assert "/withdraw/" not in page and f"/applications/{application.pk}/documents/" not in page


def test_only_the_unit_is_offered_the_withdrawal_of_a_submitted_application(
    client, people, rep, expert, program, unit
):
    client.force_login(rep)
    _apply(client, program, unit, pdf())
    application = Application.objects.get()
    client.post(f"/support/applications/{application.pk}/submit/", {"confirm": "True"})
    withdraw = f'action="/support/applications/{application.pk}/withdraw/"'
    assert withdraw in client.get(f"/support/applications/{application.pk}/").content.decode()
    for username in ("bushehr-expert", "bushehr-manager"):
        client.force_login(people[username])
        page = client.get(f"/support/applications/{application.pk}/").content.decode()
        assert withdraw not in page, username
        client.post(f"/support/applications/{application.pk}/withdraw/", {})
        application.refresh_from_db()
        assert application.status == "submitted", username


def test_the_catalogue_says_whether_a_program_has_a_budget_this_year_here(
    client, rep, manager, unit
):
    old = make_program(manager, title="برنامهٔ بی‌اعتبار امسال", required_documents=[])
    make_budget(manager, old, 10_000 * MILLION, year=1400)  # only a past year's budget
    client.force_login(rep)
    detail = client.get(f"/support/programs/{old.pk}/").content.decode()
    assert "/support/applications/new/" not in detail
    assert "اعتباری ندارد" in detail
    listing = client.get("/support/programs/")
    assert "اعتبار امسال در استان شما" in listing.content.decode()
    make_budget(manager, old, 10_000 * MILLION, year=_this_year())
    detail = client.get(f"/support/programs/{old.pk}/").content.decode()
    assert f'href="/support/applications/new/?program={old.pk}"' in detail
    assert "اعتباری ندارد" not in detail
    # The staff: their province's budget.
    client.force_login(manager)
    detail = client.get(f"/support/programs/{old.pk}/").content.decode()
    assert "در استان شما اعتبار دارد" in detail
    assert client.get("/support/programs/").status_code == 200


def test_submitting_to_a_program_without_a_budget_in_the_province_is_refused(
    client, rep, manager, unit
):
    bare = make_program(manager, title="برنامهٔ بی‌اعتبار", required_documents=[])
    client.force_login(rep)
    _apply(client, bare, unit, pdf())
    application = Application.objects.get()
    done = client.post(
        f"/support/applications/{application.pk}/submit/", {"confirm": "True"}, follow=True
    )
    application.refresh_from_db()
    assert application.status == "draft"
    said = " ".join(str(m) for m in done.context["messages"])
    assert "اعتباری ندارد" in said and "بوشهر" in said


def test_the_draft_page_says_which_steps_the_applicant_is_told_of(client, rep, program, unit):
    client.force_login(rep)
    _apply(client, program, unit, pdf())
    application = Application.objects.get()
    page = client.get(f"/support/applications/{application.pk}/").content.decode()
    form = page[page.index(f'action="/support/applications/{application.pk}/submit/"') :]
    form = form[: form.index("</form>")]
    assert "از هر گام" not in form  # only some steps tell the applicant (issue 13, point 4)
    for step in ("تأیید", "اصلاح", "رد", "پرداخت"):
        assert step in form, step


def test_a_refused_form_says_the_attached_file_must_be_attached_again(client, rep, program, unit):
    client.force_login(rep)
    response = _apply(client, program, unit, pdf(), description="")  # refused: no description
    assert response.status_code == 200 and not Application.objects.exists()
    file_errors = response.context["form"].errors["file"]
    assert any("دوباره پیوست" in error for error in file_errors)
    # The kind of document is required once a file is attached, and said to be.
    response = _apply(client, program, unit, pdf(), kind="")
    assert not Application.objects.exists()
    errors = response.context["form"].errors
    assert "kind" in errors and any("دوباره پیوست" in error for error in errors["file"])
    assert response.context["form"].fields["kind"].required
    # Nothing attached: nothing to attach again.
    response = _apply(client, program, unit, "", description="")
    assert "file" not in response.context["form"].errors


def test_submitting_without_the_required_document_is_refused_in_words(client, rep, manager, unit):
    needs_quote = make_program(manager, title="برنامهٔ دیگر", required_documents=["proforma"])
    make_budget(manager, needs_quote, 10_000 * MILLION, year=_this_year())
    client.force_login(rep)
    _apply(client, needs_quote, unit, pdf())  # an invoice, not the quotation it requires
    application = Application.objects.get()
    url = f"/support/applications/{application.pk}/submit/"
    assert client.post(url).status_code == 200  # a bare POST (no confirmation) submits nothing
    response = client.post(url, {"confirm": "True"})
    assert response.status_code == 400
    assert "پیش‌فاکتور" in response.content.decode()  # the missing document, named
    application.refresh_from_db()
    assert application.status == "draft"


def test_the_form_offers_the_programs_in_persian_alphabetical_order(client, rep, manager, unit):
    from tests.support.test_program_pages import PERSIAN_ORDER

    for title in reversed(PERSIAN_ORDER):
        make_program(manager, title=title)
    client.force_login(rep)
    form = client.get("/support/applications/new/").content.decode()
    offered = re.search(r'<select name="program".*?</select>', form, re.S).group(0)
    assert re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', offered) == PERSIAN_ORDER
