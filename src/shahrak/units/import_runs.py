"""Imports of units run in the background: an upload is stored, checked by the worker, shown
as a preview, and — once its uploader confirms — imported by the worker, all or nothing.

    import_run_create(actor=…, upload=…)   store the file, record the run, queue its check
    import_run_confirm(actor=…, run=…)     queue the import of a run checked without problems
    import_run_check(run_id) / import_run_apply(run_id)   what the worker runs (units.tasks)
    import_run_refresh(run)                 what a page says of a run that waits or failed

No request reads a whole spreadsheet: a 10 MB file of bad rows takes the worker half a
minute, which would outlive the web server's timeout (issue 11). Every file, small or large,
takes the same way, so there is one page and one record to follow (docs/import-units.md).
The steps are shared with the other imports (`core.import_runs`); this module names the
units' own: their run model, their importer and their tasks.
"""

from shahrak.accounts.audit import acting_as
from shahrak.accounts.choices import Action
from shahrak.accounts.policy import EVERYWHERE, access_for
from shahrak.core import import_runs as runs
from shahrak.core.import_runs import (  # noqa: F401 (read from here by the units' pages)
    IMPORT_DIR,
    PREVIEW_KEPT_SECONDS,
    PROGRESS_EVERY,
    STALLED_AFTER,
    WORKER_PATIENCE,
    failure_message,
    forget_old_uploads,
    report_to_json,
    stored_file,
    upload_folder,
)

from .imports import ImportReport, import_units
from .models import KEPT_BY_STAFF, ImportRun

Status = ImportRun.Status


def province_of(actor):
    """The province the run is kept in: the actor's (the first, if they hold several); None
    for those who import for the whole country (only they see such runs)."""
    provinces = access_for(actor).provinces(Action.CHANGE, KEPT_BY_STAFF[Action.CHANGE])
    if provinces is EVERYWHERE or not provinces:
        return None
    return min(provinces)


def _tasks():
    from . import tasks

    return tasks.check_import, tasks.apply_import


def _read(*args, **kwargs):
    return import_units(*args, **kwargs)  # looked up at each call (tests replace it)


KIND = runs.ImportKind(
    model=ImportRun, read=_read, report_class=ImportReport, tasks=_tasks,
    acting_as=acting_as, province_of=province_of,
)  # fmt: skip


def import_run_create(*, actor, upload) -> ImportRun:
    """Store the uploaded file and queue its check. Nothing is read here."""
    return runs.run_create(KIND, actor=actor, upload=upload)


def import_run_confirm(*, actor, run: ImportRun) -> ImportRun:
    """Queue the import of a run checked without a problem; only its uploader confirms."""
    return runs.run_confirm(KIND, actor=actor, run=run)


def import_run_check(run_id: int) -> None:
    """The worker's first step: check every row, write nothing, keep the report."""
    runs.run_check(KIND, run_id)


def import_run_apply(run_id: int) -> None:
    """The worker's second step: check again and write, all or nothing."""
    runs.run_apply(KIND, run_id)


def import_run_refresh(run: ImportRun) -> str:
    """What the page says of a run that is not moving ("" when all is well)."""
    return runs.run_refresh(KIND, run)


def report_from_json(data: dict | None) -> ImportReport | None:
    return runs.report_from_json(data, ImportReport)
