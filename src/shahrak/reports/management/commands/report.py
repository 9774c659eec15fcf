import json

from django.core.management.base import BaseCommand, CommandError

from shahrak.reports.management.common import add_report_arguments, resolve_for
from shahrak.reports.services import build_report, build_trend


class Command(BaseCommand):
    help = "A report's figures for a province (or the nation) and a Jalali period."

    def add_arguments(self, parser):
        add_report_arguments(parser)
        parser.add_argument("--format", choices=["json", "table", "xlsx", "pdf"], default="json")
        parser.add_argument("--output", help="write to this file instead of the screen")

    def handle(self, *args, province, period, format, output, username, **options):
        user, scope, described, asked = resolve_for(
            province=province, period=period, username=username
        )
        report = build_report(user, scope=scope, scope_description=described, period=asked)
        if format in ("xlsx", "pdf"):
            if not output:
                raise CommandError(f"--format {format} needs --output FILE")
            from shahrak.reports.exports import report_xlsx
            from shahrak.reports.pdf import report_pdf

            content = (
                report_xlsx(report)
                if format == "xlsx"
                else report_pdf(report, build_trend(user, scope, asked))
            )
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
            names = metric.get("names", {})
            value = ", ".join(f"{names.get(k, k)}: {v:,}" for k, v in value.items())
        elif isinstance(value, int | float):
            value = f"{value:,}"
        change = f" ({metric['change_pct']:+.1f} %)" if metric["change_pct"] is not None else ""
        lines.append(f"{key:32} {value} {metric['unit']}{change}")
    return "\n".join(lines)
