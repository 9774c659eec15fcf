"""Imports of units run in the background: an upload is stored, checked by the worker, shown
as a preview, and — once its uploader confirms — imported by the worker, all or nothing.

    import_run_create(actor=…, upload=…)   store the file, record the run, queue its check
    import_run_confirm(actor=…, run=…)     queue the import of a run checked without problems
    import_run_check(run_id) / import_run_apply(run_id)   what the worker runs (units.tasks)
    import_run_refresh(run)                 what a page says of a run that waits or failed

No request reads a whole spreadsheet: a 10 MB file of bad rows takes the worker half a
minute, which would outlive the web server's timeout (issue 11). Every file, small or large,
takes the same way, so there is one page and one record to follow (docs/import-units.md).
"""

import contextlib
import datetime as dt
import logging
import secrets
import time
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shahrak.accounts.audit import acting_as
from shahrak.accounts.choices import Action
from shahrak.accounts.policy import EVERYWHERE, access_for
from shahrak.core.errors import DomainError

from .imports import ImportReport, Problem, import_units
from .models import KEPT_BY_STAFF, ImportRun

logger = logging.getLogger(__name__)

IMPORT_DIR = "imports"
# A checked upload that nobody confirmed is dropped after this long.
PREVIEW_KEPT_SECONDS = 24 * 3600
# A run the worker has not picked up after this long: the worker is probably not running.
WORKER_PATIENCE = dt.timedelta(seconds=60)
# A run being checked or imported that has said nothing for this long: the worker stopped.
STALLED_AFTER = dt.timedelta(minutes=5)
# How often the worker writes its progress on a run (seconds).
PROGRESS_EVERY = 0.5

Status = ImportRun.Status


def upload_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / IMPORT_DIR


def stored_file(run: ImportRun) -> Path:
    return upload_folder() / run.stored_name


def forget_old_uploads() -> None:
    """Remove stored uploads older than PREVIEW_KEPT_SECONDS (their runs then say so)."""
    cutoff = time.time() - PREVIEW_KEPT_SECONDS
    for old in upload_folder().glob("*.upload"):
        with contextlib.suppress(OSError):  # another process may have taken it meanwhile
            if old.stat().st_mtime < cutoff:
                old.unlink()


def _province_of(actor):
    """The province the run is kept in: the actor's (the first, if they hold several); None
    for those who import for the whole country (only they see such runs)."""
    provinces = access_for(actor).provinces(Action.CHANGE, KEPT_BY_STAFF[Action.CHANGE])
    if provinces is EVERYWHERE or not provinces:
        return None
    return min(provinces)


def import_run_create(*, actor, upload) -> ImportRun:
    """Store the uploaded file and queue its check. Nothing is read here."""
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    forget_old_uploads()
    stored_name = f"{secrets.token_hex(16)}.upload"
    with (folder / stored_name).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    with acting_as(actor):
        run = ImportRun.objects.create(
            province_id=_province_of(actor),
            created_by=actor,
            filename=Path(upload.name).name[:255],
            stored_name=stored_name,
        )
    _enqueue(run, "check")
    return run


def import_run_confirm(*, actor, run: ImportRun) -> ImportRun:
    """Queue the import of a run checked without a problem; only its uploader confirms."""
    if run.created_by_id != actor.pk:
        raise DomainError(_("Only the person who uploaded this file can confirm its import."))
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != Status.READY:
            raise DomainError(_("This file is not waiting for confirmation."))
        if not stored_file(run).exists():
            raise DomainError(_("That upload is no longer available; upload the file again."))
        run.status = Status.CONFIRMED
        run.confirmed_at = timezone.now()
        run.rows_checked = 0
        with acting_as(actor):
            run.save(update_fields=["status", "confirmed_at", "rows_checked", "updated_at"])
    _enqueue(run, "apply")
    run.refresh_from_db()
    return run


def _enqueue(run: ImportRun, step: str) -> None:
    from . import tasks

    task = tasks.check_import if step == "check" else tasks.apply_import
    try:
        result = task.enqueue(run.pk)
    except Exception:  # the task store is unreachable: say so on the run, never a 500
        logger.exception("could not queue the %s of import run %s", step, run.pk)
        _finish(run, Status.FAILED, message=_("The file could not be queued for the worker."))
        return
    ImportRun.objects.filter(pk=run.pk).update(task_id=str(result.id))


def _progress_for(run_id: int):
    """A `progress(rows, total)` for import_units that writes the count on the run twice a
    second (without an audit entry: counters are not business data)."""

    def progress(rows, total):
        runs = ImportRun.objects.filter(pk=run_id)
        runs.update(rows_total=total, rows_checked=0, progress_at=timezone.now())
        last, done = time.monotonic(), 0
        for done, row in enumerate(rows, 1):
            if time.monotonic() - last >= PROGRESS_EVERY:
                runs.update(rows_checked=done, progress_at=timezone.now())
                last = time.monotonic()
            yield row
        runs.update(rows_checked=total, progress_at=timezone.now())

    return progress


def _start(run_id: int, expected: str, working: str) -> ImportRun | None:
    """Take the run from `expected` to `working`; None if it is not in `expected` (run twice,
    or finished meanwhile)."""
    taken = ImportRun.objects.filter(pk=run_id, status=expected).update(
        status=working, progress_at=timezone.now()
    )
    return ImportRun.objects.select_related("created_by").get(pk=run_id) if taken else None


def _finish(run: ImportRun, status: str, *, report: ImportReport | None = None, message=""):
    run.status = status
    run.finished_at = timezone.now() if status in ImportRun.FINISHED else None
    if report is not None:
        run.report = report_to_json(report)
    run.message = str(message)
    with acting_as(run.created_by):
        run.save(update_fields=["status", "finished_at", "report", "message", "updated_at"])
    if status in ImportRun.FINISHED:
        stored_file(run).unlink(missing_ok=True)


def _run_step(run_id: int, *, apply: bool) -> None:
    expected, working = (
        (Status.CONFIRMED, Status.IMPORTING) if apply else (Status.WAITING, Status.CHECKING)
    )
    run = _start(run_id, expected, working)
    if run is None:
        return
    try:
        content = stored_file(run).read_bytes()
    except OSError:
        gone = _("That upload is no longer available; upload the file again.")
        _finish(run, Status.FAILED, message=gone)
        return
    try:
        with translation.override("fa"):
            report = import_units(
                content, run.filename, actor=run.created_by, apply=apply,
                progress=_progress_for(run.pk),
            )  # fmt: skip
    except BaseException:
        logger.exception("import run %s stopped", run.pk)
        with translation.override("fa"):
            _finish(run, Status.FAILED, message=failure_message(apply))
        raise
    if apply:
        _finish(run, Status.IMPORTED if report.applied else Status.REFUSED, report=report)
    else:
        _finish(run, Status.READY if report.ok else Status.REFUSED, report=report)


def import_run_check(run_id: int) -> None:
    """The worker's first step: check every row, write nothing, keep the report."""
    _run_step(run_id, apply=False)


def import_run_apply(run_id: int) -> None:
    """The worker's second step: check again and write, all or nothing."""
    _run_step(run_id, apply=True)


def failure_message(apply: bool) -> str:
    if apply:
        return _("The import stopped with an error and nothing was written. Upload the file "
                 "again; if it happens again, tell the system administrator.")  # fmt: skip
    return _("Checking the file stopped with an error. Upload the file again; if it happens "
             "again, tell the system administrator.")  # fmt: skip


def import_run_refresh(run: ImportRun) -> str:
    """What the page says of a run that is not moving: a failed task the run did not record
    (the worker was killed) is recorded; a run the worker has not picked up or stopped
    answering on is explained. Returns the message to show ("" when all is well)."""
    if run.is_finished or run.status == Status.READY:
        return ""
    if _task_failed(run):
        with translation.override("fa"):
            applying = run.status in (Status.CONFIRMED, Status.IMPORTING)
            _finish(run, Status.FAILED, message=failure_message(applying))
        return ""
    now = timezone.now()
    if run.status in ImportRun.QUEUED:
        since = run.confirmed_at or run.created_at
        if now - since > WORKER_PATIENCE:
            return _("The background worker has not taken this file up yet. If this lasts, "
                     "tell the system administrator that “shahrak db_worker” is not running; "
                     "nothing has been written.")  # fmt: skip
        return ""
    if run.progress_at and now - run.progress_at > STALLED_AFTER:
        return _("The background worker has not reported on this file for a while; it may "
                 "have stopped. Nothing is written unless the import finishes. Tell the "
                 "system administrator.")  # fmt: skip
    return ""


def _task_failed(run: ImportRun) -> bool:
    from . import tasks

    if not run.task_id:
        return False
    try:
        result = tasks.check_import.get_backend().get_result(run.task_id)
    except Exception:  # a backend that keeps no results (the immediate one), or none found
        return False
    return str(result.status) == "FAILED"


# --- the report, kept on the run -------------------------------------------------------------
def report_to_json(report: ImportReport) -> dict:
    data = asdict(report)
    data.pop("positions")  # only used to sort the problems, which are sorted already
    if report.applied_between:
        data["applied_between"] = [moment.isoformat() for moment in report.applied_between]
    return data


def report_from_json(data: dict | None) -> ImportReport | None:
    if not data:
        return None
    data = dict(data)
    problems = [Problem(**problem) for problem in data.pop("problems", [])]
    between = data.pop("applied_between", None)
    report = ImportReport(**data, problems=problems)
    if between:
        report.applied_between = tuple(dt.datetime.fromisoformat(m) for m in between)
    return report
