"""The revival app's background tasks (django-tasks; run by `shahrak db_worker`): the check
and the filing of a spreadsheet of monthly reports (`revival.import_runs`)."""

from django_tasks import task

from . import import_runs


@task()
def check_report_import(run_id: int) -> None:
    import_runs.report_import_check(run_id)


@task()
def apply_report_import(run_id: int) -> None:
    import_runs.report_import_apply(run_id)
