"""Monthly reports imported in the background, the units import's way: the steps are
`core.import_runs`'; this module names the revival import's run model, importer and tasks
(docs/revival.md, "Monthly reports from a spreadsheet")."""

from shahrak.accounts.audit import acting_as
from shahrak.core import import_runs as runs
from shahrak.units.import_runs import province_of

from .imports import ReportImportReport, import_reports
from .models import MonthlyReportImportRun


def _tasks():
    from . import tasks

    return tasks.check_report_import, tasks.apply_report_import


def _read(*args, **kwargs):
    return import_reports(*args, **kwargs)


KIND = runs.ImportKind(
    model=MonthlyReportImportRun, read=_read, report_class=ReportImportReport, tasks=_tasks,
    acting_as=acting_as, province_of=province_of,
)  # fmt: skip


def report_import_create(*, actor, upload) -> MonthlyReportImportRun:
    return runs.run_create(KIND, actor=actor, upload=upload)


def report_import_confirm(*, actor, run: MonthlyReportImportRun) -> MonthlyReportImportRun:
    return runs.run_confirm(KIND, actor=actor, run=run)


def report_import_check(run_id: int) -> None:
    runs.run_check(KIND, run_id)


def report_import_apply(run_id: int) -> None:
    runs.run_apply(KIND, run_id)


def report_import_refresh(run: MonthlyReportImportRun) -> str:
    return runs.run_refresh(KIND, run)


def report_from_json(data: dict | None) -> ReportImportReport | None:
    return runs.report_from_json(data, ReportImportReport)
