"""Files attached to a diagnosis: a PDF or an image, checked by content (not by name) and
size, uploaded from the case's page by the province's staff only, read and downloaded by
whoever may read the case, archived (never deleted), and in the audit trail."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shahrak.accounts.models import AuditEntry
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.revival import services
from shahrak.revival.models import DiagnosisAttachment
from tests.form_checks import field_error
from tests.harness import SAMPLES

from .factories import UnitFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
FILE_LABEL = "پرونده"  # the upload field's label


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def diagnosis(people):
    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert, name="واحد با پیوست")
    unit.representatives.add(people["yazd-unit"])
    case = services.case_open(actor=expert, unit=unit, opened_on=jd("1400/03/01"),
                              identified_by="field_survey", reasons=["market"])  # fmt: skip
    return services.case_diagnose(
        actor=expert, case=case, on=jd("1400/04/01"), diagnosed_by=expert,
        findings=[{"area": "market", "severity": "high", "text": "بازار از دست رفته"}],
    )  # fmt: skip


def _post(client, diagnosis, name, content, title=""):
    prefix = f"d{diagnosis.pk}"
    return client.post(
        f"/revival/diagnoses/{diagnosis.pk}/attachments/",
        {f"{prefix}-title": title, f"{prefix}-file": SimpleUploadedFile(name, content)},
    )


def test_staff_attach_a_pdf_from_the_case_page_and_it_is_listed_audited_and_downloaded(
    client, people, diagnosis
):
    client.force_login(people["yazd-expert"])
    page = client.get(diagnosis.case.get_absolute_url()).content.decode()
    assert f'action="/revival/diagnoses/{diagnosis.pk}/attachments/"' in page
    assert 'enctype="multipart/form-data"' in page
    response = _post(client, diagnosis, "گزارش مشاور.pdf", PDF, title="گزارش عارضه‌یابی")
    assert response.status_code == 302
    attachment = DiagnosisAttachment.objects.get(diagnosis=diagnosis)
    assert (attachment.filename, attachment.size) == ("گزارش مشاور.pdf", len(PDF))
    created = AuditEntry.objects.get_for_object(attachment).filter(action=AuditEntry.Action.CREATE)
    assert created.exists()
    page = client.get(diagnosis.case.get_absolute_url()).content.decode()
    assert "گزارش مشاور.pdf" in page and "گزارش عارضه‌یابی" in page
    got = client.get(f"/revival/attachments/{attachment.pk}/")
    assert got.status_code == 200 and got.content == PDF
    assert got["Content-Type"] == "application/pdf"
    assert "attachment" in got["Content-Disposition"]


def test_an_image_is_accepted(client, people, diagnosis):
    client.force_login(people["yazd-expert"])
    assert _post(client, diagnosis, "photo.png", PNG).status_code == 302
    got = client.get(f"/revival/attachments/{DiagnosisAttachment.objects.get().pk}/")
    assert got["Content-Type"] == "image/png" and got.content == PNG


def test_a_program_renamed_pdf_is_refused_on_the_file_field(client, people, diagnosis):
    client.force_login(people["yazd-expert"])
    response = _post(client, diagnosis, "report.pdf", EXE)
    assert response.status_code == 400
    body = response.content.decode()
    assert field_error(body, FILE_LABEL)
    assert "محتوای پرونده" in body  # its content, not its name, was judged
    assert not DiagnosisAttachment.objects.exists()


def test_an_exe_by_its_own_name_is_refused(client, people, diagnosis):
    client.force_login(people["yazd-expert"])
    response = _post(client, diagnosis, "setup.exe", EXE)
    assert response.status_code == 400 and field_error(response.content.decode(), FILE_LABEL)
    assert not DiagnosisAttachment.objects.exists()


def test_a_file_too_large_is_refused_with_a_persian_message_on_its_field(client, people, diagnosis):
    client.force_login(people["yazd-expert"])
    big = PDF + b"0" * (5 * 1024 * 1024)
    response = _post(client, diagnosis, "big.pdf", big)
    assert response.status_code == 400
    body = response.content.decode()
    assert field_error(body, FILE_LABEL)
    error = next(part for part in body.split('<span class="field-error">')[1:] if "مگابایت" in part)
    assert "۵" in error.split("</span>")[0]  # the largest accepted, in Persian digits
    assert not DiagnosisAttachment.objects.exists()


def test_a_representative_downloads_but_does_not_upload(client, people, diagnosis):
    expert = people["yazd-expert"]
    attachment = services.diagnosis_attachment_add(
        actor=expert, diagnosis=diagnosis, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    client.force_login(people["yazd-unit"])
    page = client.get(diagnosis.case.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "a.pdf" in body and "/attachments/" in body  # listed, with its download link
    assert f"/revival/diagnoses/{diagnosis.pk}/attachments/" not in body  # no upload form
    assert f"/revival/attachments/{attachment.pk}/archive/" not in body
    assert client.get(f"/revival/attachments/{attachment.pk}/").content == PDF
    assert _post(client, diagnosis, "b.pdf", PDF).status_code == 404
    archive = client.post(f"/revival/attachments/{attachment.pk}/archive/", {"confirmed": "yes"})
    assert archive.status_code == 404
    assert DiagnosisAttachment.objects.filter(archived_at__isnull=True).count() == 1


def test_another_provinces_attachment_is_not_found(client, people, diagnosis):
    attachment = services.diagnosis_attachment_add(
        actor=people["yazd-expert"], diagnosis=diagnosis, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    for username in ("bushehr-expert", "bushehr-manager", "bushehr-unit"):
        client.force_login(people[username])
        assert client.get(f"/revival/attachments/{attachment.pk}/").status_code == 404
        assert _post(client, diagnosis, "b.pdf", PDF).status_code == 404
    assert DiagnosisAttachment.objects.count() == 1


def test_an_attachment_is_archived_after_a_confirmation_never_deleted(client, people, diagnosis):
    attachment = services.diagnosis_attachment_add(
        actor=people["yazd-expert"], diagnosis=diagnosis, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    client.force_login(people["yazd-manager"])
    url = f"/revival/attachments/{attachment.pk}/archive/"
    asking = client.post(url)
    assert asking.status_code == 200 and 'name="confirmed" value="yes"' in asking.content.decode()
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    attachment.refresh_from_db()
    assert attachment.archived_at is not None and attachment.archived_by == people["yazd-manager"]
    page = client.get(diagnosis.case.get_absolute_url()).content.decode()
    assert "a.pdf" not in page
    assert AuditEntry.objects.get_for_object(attachment).count() == 2  # created, archived


def test_nothing_is_attached_to_a_closed_case(people, diagnosis):
    from shahrak.core.errors import DomainError

    expert = people["yazd-expert"]
    services.case_close(actor=expert, case=diagnosis.case, on=jd("1400/05/01"))
    with pytest.raises(DomainError):
        services.diagnosis_attachment_add(
            actor=expert, diagnosis=diagnosis, upload=SimpleUploadedFile("a.pdf", PDF)
        )


def test_the_sample_attachment_downloads(client, people):
    sample = SAMPLES[DiagnosisAttachment]("yazd")
    client.force_login(people["yazd-expert"])
    assert client.get(f"/revival/attachments/{sample.pk}/").status_code == 200
