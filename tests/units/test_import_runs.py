"""Imports run in the background (issue 11, point 2): no request reads a spreadsheet; the
run's page polls the worker's progress, shows the preview, and after confirmation the import
(all or nothing) lands the uploader on the units it wrote. Runs are scoped and audited, and a
worker that fails or is not running is explained in Persian, never with a 5xx.

Tasks run at once here (the immediate backend, tests/settings.py), except where a test keeps
them queued (the dummy backend) or runs the real database worker."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from shahrak.accounts.models import AuditEntry
from shahrak.units import import_runs
from shahrak.units.models import ExportRecord, ImportRun, Unit
from tests.units.test_import import legal_id, row, upload, xlsx

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
QUEUED_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def manager(people):
    from tests.harness import sample_park

    sample_park("bushehr")
    return people["bushehr-manager"]


def persian(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def good_rows(count: int, start: int = 2000):
    return [row(**{"شناسه ملی": legal_id(start + i), "نام واحد": f"پس‌زمینه {i:02d}"})
            for i in range(count)]  # fmt: skip


def test_upload_poll_preview_confirm_poll_lands_on_the_units(client, manager, settings):
    settings.TASKS = QUEUED_ONLY  # the worker has not run yet: the page must wait for it
    client.force_login(manager)
    answer = upload(client, xlsx(good_rows(3)))
    assert answer.status_code == 302
    run = ImportRun.objects.get()
    assert answer["Location"] == f"/units/import/{run.pk}/"
    assert run.status == ImportRun.Status.WAITING and run.created_by == manager

    page = client.get(answer["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and 'hx-trigger="every 2s"' in body
    assert f'hx-get="/units/import/{run.pk}/"' in body and "<progress" in body
    assert "/confirm/" not in body

    import_runs.import_run_check(run.pk)  # what the worker does
    poll = client.get(answer["Location"], **HTMX)
    body = poll.content.decode()
    assert poll.status_code == 200 and "<html" not in body  # only the part is swapped
    assert "every 2s" not in body  # checked: polling stops
    assert poll.context["report"].ok and poll.context["report"].rows == 3
    assert f'action="/units/import/{run.pk}/confirm/"' in body
    assert not Unit.objects.exists()

    confirmed = client.post(f"/units/import/{run.pk}/confirm/")
    assert confirmed["Location"] == f"/units/import/{run.pk}/"
    waiting = client.get(confirmed["Location"], **HTMX)
    assert "every 2s" in waiting.content.decode() and not Unit.objects.exists()

    import_runs.import_run_apply(run.pk)
    landed = client.get(confirmed["Location"], **HTMX)
    assert landed.status_code == 204
    units = client.get(landed["HX-Redirect"])
    assert sorted(u.name for u in units.context["page"]) == [f"پس‌زمینه {i:02d}" for i in range(3)]
    said = [str(m) for m in units.context["messages"]]
    assert any("۳ تازه" in line for line in said), said
    # Later visits show the run (the uploader was taken to the units once).
    again = client.get(confirmed["Location"])
    assert again.status_code == 200 and again.context["run"].status == ImportRun.Status.IMPORTED


def test_the_page_shows_rows_checked_of_the_total(client, manager, settings):
    settings.TASKS = QUEUED_ONLY
    client.force_login(manager)
    upload(client, xlsx(good_rows(2)))
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.CHECKING, rows_total=1234, rows_checked=567,
        progress_at=timezone.now(),
    )  # fmt: skip
    body = client.get(f"/units/import/{run.pk}/", **HTMX).content.decode()
    assert "۵۶۷ از ۱٬۲۳۴ سطر" in body or "۵۶۷ از ۱۲۳۴ سطر" in body, body
    assert 'max="1234" value="567"' in body


def test_the_worker_counts_the_rows_it_checks(manager, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TASKS = QUEUED_ONLY
    rows = good_rows(7)
    rows.insert(3, row(**{"شناسه ملی": "1"}))  # a bad row is checked and counted too
    run = import_runs.import_run_create(
        actor=manager, upload=SimpleUploadedFile("u.xlsx", xlsx(rows))
    )
    import_runs.import_run_check(run.pk)
    run.refresh_from_db()
    assert (run.rows_total, run.rows_checked) == (8, 8)
    assert run.status == ImportRun.Status.REFUSED
    assert not import_runs.stored_file(run).exists()  # a refused file is not kept


def test_a_file_with_problems_shows_them_and_offers_no_confirmation(client, manager):
    client.force_login(manager)
    page = upload(client, xlsx([row(**{"تعداد کارکنان": -1})]), follow=True)
    body = page.content.decode()
    assert page.context["run"].status == ImportRun.Status.REFUSED
    assert "تعداد کارکنان" in body and "/confirm/" not in body
    # The way to send the corrected file is on the page: it leads to the upload form.
    link = re.search(r'<a class="button primary" href="([^"]+)">([^<]+)</a>', body)
    assert link and "پرونده" in link.group(2)
    assert client.get(link.group(1)).context["form"].fields.keys() >= {"file"}
    run = page.context["run"]
    refused = client.post(f"/units/import/{run.pk}/confirm/", follow=True)
    assert refused.status_code == 200 and not Unit.objects.exists()
    assert any(persian(str(m)) for m in refused.context["messages"])


def test_a_failing_check_shows_its_message_never_a_500(client, manager, monkeypatch):
    def explode(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(import_runs, "import_units", explode)
    client.force_login(manager)
    page = upload(client, xlsx(good_rows(1)), follow=True)
    assert page.status_code == 200
    run = page.context["run"]
    assert run.status == ImportRun.Status.FAILED
    body = page.content.decode()
    assert "بررسی این پرونده با خطا متوقف شد" in body and "every 2s" not in body
    assert not import_runs.stored_file(run).exists()


def test_a_failing_import_writes_nothing_and_says_so(client, manager, monkeypatch):
    from shahrak.core import bulk

    client.force_login(manager)
    rows = good_rows(4)
    page = upload(client, xlsx(rows), follow=True)
    run = page.context["run"]
    assert run.status == ImportRun.Status.READY
    written = []

    def fail_on_exports(model, fields, values):  # after the units were inserted
        if model is ExportRecord:
            written.append(Unit.objects.count())
            raise RuntimeError("disk full")
        return original(model, fields, values)

    original = bulk.insert_rows
    monkeypatch.setattr("shahrak.units.imports.insert_rows", fail_on_exports)
    client.post(f"/units/import/{run.pk}/confirm/")
    page = client.get(f"/units/import/{run.pk}/")
    assert written == [4]  # the units were written inside the transaction…
    assert not Unit.objects.exists()  # …and rolled back with it
    assert page.status_code == 200 and page.context["run"].status == ImportRun.Status.FAILED
    assert "ثبت این پرونده با خطا متوقف شد و چیزی ثبت نشد" in page.content.decode()


def test_a_worker_that_does_not_come_is_explained(client, manager, settings):
    settings.TASKS = QUEUED_ONLY
    client.force_login(manager)
    upload(client, xlsx(good_rows(1)))
    run = ImportRun.objects.get()
    fresh = client.get(f"/units/import/{run.pk}/").content.decode()
    assert "db_worker" not in fresh  # a few seconds' wait is normal
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(minutes=3))
    page = client.get(f"/units/import/{run.pk}/", **HTMX)
    body = page.content.decode()
    assert page.status_code == 200 and "db_worker" in body and "مدیر سامانه" in body
    assert "every 2s" in body  # still waiting: the worker may yet come


def test_a_worker_that_stopped_answering_is_explained(client, manager, settings):
    settings.TASKS = QUEUED_ONLY
    client.force_login(manager)
    upload(client, xlsx(good_rows(1)))
    run = ImportRun.objects.get()
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.CHECKING,
                                               progress_at=long_ago)  # fmt: skip
    body = client.get(f"/units/import/{run.pk}/", **HTMX).content.decode()
    assert "از کار افتاده" in body


# --- who sees which runs -----------------------------------------------------------------------
def test_runs_are_seen_only_in_their_province_by_its_staff(client, manager, people):
    client.force_login(manager)
    run = upload(client, xlsx(good_rows(1)), follow=True).context["run"]
    assert run.province.code == "bushehr"
    for username, status in [("bushehr-expert", 200), ("yazd-manager", 404), ("yazd-expert", 404),
                             ("bushehr-unit", 404), ("auditor", 404), ("hq", 404),
                             ("admin", 200)]:  # fmt: skip
        client.force_login(people[username])
        assert client.get(f"/units/import/{run.pk}/").status_code == status, username
        answer = client.post(f"/units/import/{run.pk}/confirm/")
        assert answer.status_code == (302 if status == 200 else 404), username
    assert not Unit.objects.exists()  # nobody but the uploader confirmed it


def test_the_import_page_lists_only_ones_own_runs(client, manager, people):
    client.force_login(manager)
    upload(client, xlsx(good_rows(1)), name="مال-مدیر.xlsx")
    client.force_login(people["bushehr-expert"])
    upload(client, xlsx(good_rows(1, start=3000)), name="مال-کارشناس.xlsx")
    client.force_login(people["yazd-manager"])
    upload(client, xlsx(good_rows(1, start=4000)), name="مال-یزد.xlsx")
    client.force_login(manager)
    listed = [run.filename for run in client.get("/units/import/").context["runs"]]
    assert listed == ["مال-مدیر.xlsx"]


def test_a_run_is_in_the_audit_trail_of_its_province(client, manager):
    client.force_login(manager)
    run = upload(client, xlsx(good_rows(2)), follow=True).context["run"]
    client.post(f"/units/import/{run.pk}/confirm/")
    entries = AuditEntry.objects.get_for_object(run).order_by("timestamp", "pk")
    statuses = [entry.changes.get("status", [None, None])[1] for entry in entries]
    assert statuses[0] in ("waiting", "در انتظار بررسی")
    assert len(entries) >= 4  # uploaded, checked, confirmed, imported
    assert {entry.actor_id for entry in entries} == {manager.pk}
    assert {entry.province_id for entry in entries} == {run.province_id}
    assert not any("rows_checked" in entry.changes or "report" in entry.changes
                   for entry in entries)  # fmt: skip


# --- the real worker ---------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_check_and_the_import(client, people, settings):
    from django_tasks_db.models import DBTaskResult

    from tests.harness import sample_park

    sample_park("bushehr")
    manager = people["bushehr-manager"]
    settings.TASKS = DATABASE
    client.force_login(manager)
    upload(client, xlsx(good_rows(2)))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.WAITING
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # queued in the database
    call_command("db_worker", batch=True, verbosity=0, interval=0)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.READY, run.message
    client.post(f"/units/import/{run.pk}/confirm/")
    assert not Unit.objects.exists()
    call_command("db_worker", batch=True, verbosity=0, interval=0)
    landed = client.get(f"/units/import/{run.pk}/")
    assert landed.status_code == 302 and Unit.objects.count() == 2
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_a_task_the_worker_failed_is_shown_as_failed(client, people, settings):
    from django_tasks_db.models import DBTaskResult

    from tests.harness import sample_park

    sample_park("bushehr")
    settings.TASKS = DATABASE
    client.force_login(people["bushehr-manager"])
    upload(client, xlsx(good_rows(1)))
    run = ImportRun.objects.get()
    # The worker was killed mid-task, or failed before the run could say so.
    DBTaskResult.objects.filter(id=run.task_id).update(status="FAILED")
    page = client.get(f"/units/import/{run.pk}/", **HTMX)
    assert page.status_code == 200 and "every 2s" not in page.content.decode()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and persian(run.message)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("big.csv", b"a,b\n" + b"1,2\n" * (2_700_000), "مگابایت"),  # 10.3 MB
        ("units.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xlsx"),
        ("units.xlsx", b"not a zip at all", "xlsx"),
    ],
)
def test_a_file_refused_on_sight_is_neither_stored_nor_queued(
    client, manager, settings, tmp_path, name, content, words
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(manager)
    answer = upload(client, content, name=name)
    assert answer.status_code == 200
    errors = answer.context["form"].errors["file"]
    assert words in " ".join(errors) and persian(" ".join(errors))
    assert not ImportRun.objects.exists()
    assert not list(tmp_path.rglob("*.upload"))
