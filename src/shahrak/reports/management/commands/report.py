import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import translation

from shahrak.core.errors import DomainError
from shahrak.reports.services import build_report, parse_period, resolve_scope


class Command(BaseCommand):
    help = "A report's figures for a province (or the nation) and a Jalali period."

    def add_arguments(self, parser):
        parser.add_argument("--province", help="province code, e.g. bushehr (none: national)")
        parser.add_argument("--period", required=True, help="1401, 1401-H1, 1401-Q2, 1401-06 …")
        parser.add_argument("--format", choices=["json", "table", "xlsx", "pdf"], default="json")
        parser.add_argument("--output", help="write to this file instead of the screen")
        parser.add_argument(
            "--as", dest="username", help="whose view of the records (default: an administrator)"
        )

    def handle(self, *args, province, period, format, output, username, **options):
        translation.activate("fa")
        User = get_user_model()
        user = (
            User.objects.filter(username=username, is_active=True).first()
            if username
            else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError("no such active user (give one with --as)")
        try:
            scope, described = resolve_scope(user, province=province)
            report = build_report(
                user, scope=scope, scope_description=described, period=parse_period(period)
            )
        except Http404 as error:
            raise CommandError(f"{province}: no such province for {user.username}") from error
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        if format in ("xlsx", "pdf"):
            if not output:
                raise CommandError(f"--format {format} needs --output FILE")
            from shahrak.reports.exports import report_xlsx
            from shahrak.reports.pdf import report_pdf

            content = report_xlsx(report) if format == "xlsx" else report_pdf(report)
            with open(output, "wb") as handle:
                handle.write(content)
            return
        text = (
            json.dumps(report, ensure_ascii=False, indent=2) if format == "json" else _table(report)
        )
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)


def _table(report) -> str:
    lines = [f"{report['scope']['name_fa']} — {report['period']['label']}"]
    for key, metric in report["metrics"].items():
        value = metric["value"]
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v:,}" for k, v in value.items())
        elif isinstance(value, int | float):
            value = f"{value:,}"
        change = f" ({metric['change_pct']:+.1f} %)" if metric["change_pct"] is not None else ""
        lines.append(f"{key:32} {value} {metric['unit']}{change}")
    return "\n".join(lines)
