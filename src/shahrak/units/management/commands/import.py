from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from shahrak.accounts.policy import SYSTEM
from shahrak.units.imports import import_units


class Command(BaseCommand):
    help = (
        "Import records from a spreadsheet: `shahrak import units FILE [--dry-run] --as USER`"
        " (or --as-system for a scripted load)."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["units"], help="what the file holds")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        # Who imports: a person, whose provinces bound the import and whose name the history
        # shows, or (said explicitly) the system, for scripted loads.
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument(
            "--as",
            dest="username",
            help="the user the changes are made as: checked and recorded as theirs",
        )
        who.add_argument(
            "--as-system",
            action="store_true",
            help="a scripted load: every province, recorded in the history as the system",
        )

    def handle(self, *args, what, file, dry_run, username, as_system, **options):
        translation.activate("fa")
        if as_system:
            actor = SYSTEM
        else:
            try:
                actor = get_user_model().objects.get(username=username, is_active=True)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"no active user {username!r}") from error
        if not file.exists():
            raise CommandError(f"{file}: no such file")

        def progress(rows, total):
            return tqdm(
                rows, desc="rows", unit="row", total=total, file=self.stderr._out, disable=None
            )

        report = import_units(
            file.read_bytes(), file.name, actor=actor, apply=not dry_run, progress=progress
        )
        for problem in report.problems:
            where = f"{problem.sheet} سطر {problem.row}" if problem.row else problem.sheet
            column = f" ستون «{problem.column}»" if problem.column else ""
            value = f" مقدار «{problem.value}»" if problem.value else ""
            self.stdout.write(f"{where}{column}{value}: {problem.message}")
        summary = (
            f"{report.rows} rows: {report.created} new, {report.updated} changed, "
            f"{report.unchanged} unchanged, {report.status_changes} status changes, "
            f"{report.exports_added} exports"
        )
        if not report.ok:
            raise CommandError(f"{len(report.problems)} problems; nothing was written. {summary}")
        verb = "checked (dry run, nothing written)" if dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"{file.name} {verb}: {summary}"))
