"""Spreadsheet imports run in the background, whatever they import: an upload is stored,
checked by the worker, shown as a preview, and — once its uploader confirms — imported by the
worker, all or nothing (docs/import-units.md: "In the background").

Each import declares an `ImportKind`: its run model (a concrete `core.models.ImportRunBase`,
scoped like the records it writes), the function that checks a file and, with `apply=True`,
writes it (`read(content, filename, *, actor, apply, progress) -> ImportReport`), its report
class, its two worker tasks, and how a run is kept in the actor's province and audited (the
accounts app's, which core does not import). Then:

    run_create(kind, actor=…, upload=…)   store the file, record the run, queue its check
    run_confirm(kind, actor=…, run=…)     queue the import of a run checked without problems
    run_check(kind, run_id) / run_apply(kind, run_id)   what the worker runs
    run_refresh(kind, run)                what a page says of a run that waits or failed

No request reads a whole spreadsheet; every file, small or large, takes the same way.
"""

import contextlib
import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .errors import DomainError
from .imports import ImportReport, Problem

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


@dataclass(frozen=True)
class ImportKind:
    model: type  # a concrete ImportRunBase
    read: Callable  # (content, filename, *, actor, apply, progress) -> ImportReport
    report_class: type[ImportReport]
    tasks: Callable[[], tuple]  # () -> (the check task, the apply task), each taking run_id
    acting_as: Callable  # actor -> context manager: the writes are audited as theirs
    province_of: Callable  # actor -> the province the run is kept in (None: the country)


def upload_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / IMPORT_DIR


def stored_file(run) -> Path:
    return upload_folder() / run.stored_name


def forget_old_uploads() -> None:
    """Remove stored uploads older than PREVIEW_KEPT_SECONDS (their runs then say so)."""
    cutoff = time.time() - PREVIEW_KEPT_SECONDS
    for old in upload_folder().glob("*.upload"):
        with contextlib.suppress(OSError):  # another process may have taken it meanwhile
            if old.stat().st_mtime < cutoff:
                old.unlink()


def run_create(kind: ImportKind, *, actor, upload):
    """Store the uploaded file and queue its check. Nothing is read here."""
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    forget_old_uploads()
    stored_name = f"{secrets.token_hex(16)}.upload"
    with (folder / stored_name).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    with kind.acting_as(actor):
        run = kind.model.objects.create(
            province_id=kind.province_of(actor),
            created_by=actor,
            filename=Path(upload.name).name[:255],
            stored_name=stored_name,
        )
    _enqueue(kind, run, "check")
    return run


def run_confirm(kind: ImportKind, *, actor, run):
    """Queue the import of a run checked without a problem; only its uploader confirms."""
    Status = kind.model.Status
    if run.created_by_id != actor.pk:
        raise DomainError(_("Only the person who uploaded this file can confirm its import."))
    with transaction.atomic():
        run = kind.model.objects.select_for_update().get(pk=run.pk)
        if run.status != Status.READY:
            raise DomainError(_("This file is not waiting for confirmation."))
        if not stored_file(run).exists():
            raise DomainError(_("That upload is no longer available; upload the file again."))
        run.status = Status.CONFIRMED
        run.confirmed_at = timezone.now()
        run.rows_checked = 0
        with kind.acting_as(actor):
            run.save(update_fields=["status", "confirmed_at", "rows_checked", "updated_at"])
    _enqueue(kind, run, "apply")
    run.refresh_from_db()
    return run


def _enqueue(kind: ImportKind, run, step: str) -> None:
    check, apply = kind.tasks()
    task = check if step == "check" else apply
    try:
        result = task.enqueue(run.pk)
    except Exception:  # the task store is unreachable: say so on the run, never a 500
        logger.exception("could not queue the %s of import run %s", step, run.pk)
        message = _("The file could not be queued for the worker.")
        _finish(kind, run, kind.model.Status.FAILED, message=message)
        return
    kind.model.objects.filter(pk=run.pk).update(task_id=str(result.id))


def _progress_for(kind: ImportKind, run_id: int):
    """A `progress(rows, total)` for the importer that writes the count on the run twice a
    second (without an audit entry: counters are not business data)."""

    def progress(rows, total):
        runs = kind.model.objects.filter(pk=run_id)
        runs.update(rows_total=total, rows_checked=0, progress_at=timezone.now())
        last, done = time.monotonic(), 0
        for done, row in enumerate(rows, 1):
            if time.monotonic() - last >= PROGRESS_EVERY:
                runs.update(rows_checked=done, progress_at=timezone.now())
                last = time.monotonic()
            yield row
        runs.update(rows_checked=total, progress_at=timezone.now())

    return progress


def _start(kind: ImportKind, run_id: int, expected: str, working: str):
    """Take the run from `expected` to `working`; None if it is not in `expected` (run twice,
    or finished meanwhile)."""
    taken = kind.model.objects.filter(pk=run_id, status=expected).update(
        status=working, progress_at=timezone.now()
    )
    return kind.model.objects.select_related("created_by").get(pk=run_id) if taken else None


def _finish(kind: ImportKind, run, status: str, *, report=None, message=""):
    run.status = status
    run.finished_at = timezone.now() if status in kind.model.FINISHED else None
    if report is not None:
        run.report = report_to_json(report)
    run.message = str(message)
    with kind.acting_as(run.created_by):
        run.save(update_fields=["status", "finished_at", "report", "message", "updated_at"])
    if status in kind.model.FINISHED:
        stored_file(run).unlink(missing_ok=True)


def _run_step(kind: ImportKind, run_id: int, *, apply: bool) -> None:
    Status = kind.model.Status
    expected, working = (
        (Status.CONFIRMED, Status.IMPORTING) if apply else (Status.WAITING, Status.CHECKING)
    )
    run = _start(kind, run_id, expected, working)
    if run is None:
        return
    try:
        content = stored_file(run).read_bytes()
    except OSError:
        gone = _("That upload is no longer available; upload the file again.")
        _finish(kind, run, Status.FAILED, message=gone)
        return
    try:
        with translation.override("fa"):
            report = kind.read(
                content, run.filename, actor=run.created_by, apply=apply,
                progress=_progress_for(kind, run.pk),
            )  # fmt: skip
    except BaseException:
        logger.exception("import run %s stopped", run.pk)
        with translation.override("fa"):
            _finish(kind, run, Status.FAILED, message=failure_message(apply))
        raise
    if apply:
        _finish(kind, run, Status.IMPORTED if report.applied else Status.REFUSED, report=report)
    else:
        _finish(kind, run, Status.READY if report.ok else Status.REFUSED, report=report)


def run_check(kind: ImportKind, run_id: int) -> None:
    """The worker's first step: check every row, write nothing, keep the report."""
    _run_step(kind, run_id, apply=False)


def run_apply(kind: ImportKind, run_id: int) -> None:
    """The worker's second step: check again and write, all or nothing."""
    _run_step(kind, run_id, apply=True)


def failure_message(apply: bool) -> str:
    if apply:
        return _("The import stopped with an error and nothing was written. Upload the file "
                 "again; if it happens again, tell the system administrator.")  # fmt: skip
    return _("Checking the file stopped with an error. Upload the file again; if it happens "
             "again, tell the system administrator.")  # fmt: skip


def run_refresh(kind: ImportKind, run) -> str:
    """What the page says of a run that is not moving: a failed task the run did not record
    (the worker was killed) is recorded; a run the worker has not picked up or stopped
    answering on is explained. Returns the message to show ("" when all is well)."""
    Status = kind.model.Status
    if run.is_finished or run.status == Status.READY:
        return ""
    if _task_failed(kind, run):
        with translation.override("fa"):
            applying = run.status in (Status.CONFIRMED, Status.IMPORTING)
            _finish(kind, run, Status.FAILED, message=failure_message(applying))
        return ""
    now = timezone.now()
    if run.status in kind.model.QUEUED:
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


def _task_failed(kind: ImportKind, run) -> bool:
    if not run.task_id:
        return False
    check, _apply = kind.tasks()
    try:
        result = check.get_backend().get_result(run.task_id)
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


def report_from_json(data: dict | None, report_class: type[ImportReport] = ImportReport):
    if not data:
        return None
    data = dict(data)
    problems = [Problem(**problem) for problem in data.pop("problems", [])]
    between = data.pop("applied_between", None)
    report = report_class(**data, problems=problems)
    if between:
        report.applied_between = tuple(dt.datetime.fromisoformat(m) for m in between)
    return report
