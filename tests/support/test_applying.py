"""A unit representative applies for their unit through the pages: a draft with an invoice
attached, submitted with a button; a file that is not a PDF or image, or another's unit, is
refused with nothing saved; withdrawing before any payment."""

import pytest

from shahrak.notifications.models import Notification
from shahrak.support.models import Application, ApplicationDocument
from tests.support.helpers import MILLION, make_budget, make_program, make_unit, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(manager):
    program = make_program(manager, required_documents=["invoice"])
    make_budget(manager, program, 10_000 * MILLION)
    return program


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
    assert "/withdraw/" not in page and "/documents/" not in page


def test_submitting_without_the_required_document_is_refused_in_words(client, rep, manager, unit):
    needs_quote = make_program(manager, title="برنامهٔ دیگر", required_documents=["proforma"])
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
