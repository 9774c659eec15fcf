"""The units app's background tasks (django-tasks; run by `shahrak db_worker`). Each is a
thin call into `import_runs`, which records on the run what happened."""

from django_tasks import task

from . import import_runs


@task()
def check_import(run_id: int) -> None:
    import_runs.import_run_check(run_id)


@task()
def apply_import(run_id: int) -> None:
    import_runs.import_run_apply(run_id)
