"""Monthly reports imported from a spreadsheet, in the units import's way (docs/revival.md,
"Monthly reports from a spreadsheet"): every row checked first, problems by row and cell in
Persian, and only a file without a single problem written, all or nothing, in one
transaction. It runs in the background like the units import (`core.import_runs`, see
`revival.import_runs`).

A row is one unit's month: the unit by its national ID — only units the importing staff
member may change; any other (another province's) is refused exactly as an ID nobody holds —
the Jalali year and month (over), and the month's figures. Each row is filed through the
services (`monthly_report_file`): the report counts as filed by the importer at the moment
of the import. A report whose figures are those of the file is left as it is (so the same
file imported again changes nothing); a report already accepted, or submitted and waiting
for review, is not overwritten (a problem on its row); a draft or a returned report takes
the file's figures and is submitted.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shahrak.accounts.audit import acting_as
from shahrak.accounts.choices import Action
from shahrak.core.errors import DomainError
from shahrak.core.imports import (
    ImportReport,
    data_rows,
    header_map,
    kind_of,
    non_empty_rows,
    note_unchecked,
    with_progress,
)
from shahrak.core.jalali import MONTHS_FA, month_length, to_gregorian
from shahrak.core.spreadsheets import Column, read_workbook
from shahrak.core.text import search_key, to_ascii_digits, to_fa_digits
from shahrak.units.models import Unit

from . import services
from .choices import ReportStatus
from .models import MonthlyReport

REPORT_COLUMNS = [
    Column("national_id", "شناسه ملی", "National ID", "digits", required=True, width=11,
           meaning="شناسهٔ ملی ۱۱ رقمی واحد"),
    Column("year", "سال", "Year", "int", required=True, meaning="سال شمسی، مانند ۱۴۰۱"),
    Column("month", "ماه", "Month", required=True,
           meaning="شمارهٔ ماه (۱ تا ۱۲) یا نام آن، مانند مهر"),
    Column("production_volume", "تولید", "Production", "decimal", required=True,
           meaning="مقدار تولید در ماه"),
    Column("production_measure", "واحد اندازه‌گیری", "Unit of measure",
           meaning="مانند تن، متر مربع، عدد"),
    Column("sales_rial", "فروش (ریال)", "Sales (rial)", "int", meaning="به ریال؛ خالی یعنی صفر"),
    Column("employees", "کارکنان", "Employees", "int", required=True,
           meaning="شمار کارکنان در ماه"),
    Column("exports_rial", "صادرات (ریال)", "Exports (rial)", "int",
           meaning="به ریال؛ خالی یعنی صفر"),
    Column("energy_kwh", "مصرف انرژی (کیلووات‌ساعت)", "Energy (kWh)", "int",
           meaning="مصرف برق در ماه، اختیاری"),
]  # fmt: skip
HEADERS = {column.key: column.header_fa for column in REPORT_COLUMNS}
REPORTS_SHEET = "گزارش‌های ماهانه"
FIGURES = ("production_volume", "production_measure", "sales_rial", "employees",
           "exports_rial", "energy_kwh")  # fmt: skip
_MONTHS = {search_key(name): number for number, name in enumerate(MONTHS_FA, 1)}


@dataclass
class ReportImportReport(ImportReport):
    """The monthly reports import's report: the shared one and what it files."""

    created: int = 0  # months with no report before
    updated: int = 0  # drafts or returned reports that take the file's figures
    unchanged: int = 0  # reports already holding the file's figures


def month_of(value) -> int | None:
    """A month as written in a cell: 1–12 in any digits, or its Persian name."""
    text = to_ascii_digits(str(value if not isinstance(value, float) else int(value))).strip()
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return _MONTHS.get(search_key(text))


def _figures(values: dict) -> dict:
    return {
        "production_volume": values["production_volume"],
        "production_measure": values.get("production_measure") or "",
        "sales_rial": values.get("sales_rial") or 0,
        "employees": values["employees"],
        "exports_rial": values.get("exports_rial") or 0,
        "energy_kwh": values.get("energy_kwh"),
    }


def _same(report: MonthlyReport, figures: dict) -> bool:
    return (
        Decimal(report.production_volume) == Decimal(figures["production_volume"])
        and report.production_measure == figures["production_measure"]
        and report.sales_rial == figures["sales_rial"]
        and report.employees == figures["employees"]
        and report.exports_rial == figures["exports_rial"]
        and report.energy_kwh == figures["energy_kwh"]
    )


class _Planner:
    """Checks rows against the units the actor may change and the reports they have; plans
    the filings; files them only in apply()."""

    def __init__(self, actor, report: ReportImportReport):
        self.actor, self.report = actor, report
        self.units = {
            unit.national_id: unit
            for unit in Unit.objects.restrict(actor, Action.CHANGE)
            .exclude(national_id=None)
            .select_related("county")
        }
        self.seen: dict[tuple, int] = {}
        self.filings: list[tuple[Unit, int, int, dict]] = []
        self.today = timezone.localdate()

    def row(self, sheet, number, values, raw, cells_ok=True):
        def bad(key, message):
            self.report.problem(sheet, number, HEADERS[key], raw.get(key), message)

        unit = None
        national_id = values.get("national_id")
        if national_id is not None:
            unit = self.units.get(national_id)
            if unit is None:  # unknown, or out of the actor's reach: the same answer
                bad("national_id", "واحدی با این شناسه در واحدهایی که شما ثبت می‌کنید نیست.")
        month = None
        if values.get("month") is not None:
            month = month_of(values["month"])
            if month is None:
                bad("month", "ماه شناخته نشد؛ شمارهٔ ۱ تا ۱۲ یا نام ماه را بنویسید، مانند مهر.")
        year = values.get("year")
        if year is not None and not 1380 <= year <= 1500:
            bad("year", "سال شمسی را چهار رقمی بنویسید، از ۱۳۸۰ به بعد؛ مانند ۱۴۰۱.")
            year = None
        if year is not None and month is not None:
            last_day = to_gregorian(year, month, month_length(year, month))
            if last_day >= self.today:
                bad("month", "گزارش هر ماه پس از پایان آن ماه ثبت می‌شود.")
                month = None
        if unit is None or year is None or month is None or not cells_ok:
            return
        key = (unit.pk, year, month)
        if key in self.seen:
            first = to_fa_digits(self.seen[key])
            bad("month", f"گزارش همین واحد در همین ماه در سطر {first} هم آمده است.")
            return
        self.seen[key] = number
        figures = _figures(values)
        found = (
            MonthlyReport.objects.filter(unit=unit, year=year, month=month)
            .filter(archived_at__isnull=True)
            .first()
        )
        if found is not None and _same(found, figures) and found.status in (
            ReportStatus.SUBMITTED, ReportStatus.ACCEPTED,
        ):  # fmt: skip
            self.report.unchanged += 1
            return
        if found is not None and found.status == ReportStatus.RETURNED and _same(found, figures):
            bad("national_id", "گزارش این ماه بازگردانده شده است («"
                               f"{found.return_reason}»)؛ رقم‌های آن را اصلاح کنید.")  # fmt: skip
            return
        if found is not None and found.status == ReportStatus.ACCEPTED:
            bad("national_id", "گزارش این ماه پیش‌تر پذیرفته شده است و با پرونده جایگزین "
                               "نمی‌شود.")  # fmt: skip
            return
        if found is not None and found.status == ReportStatus.SUBMITTED:
            bad("national_id", "گزارش این ماه ثبت شده و در انتظار بررسی است؛ تا بررسی نشده "
                               "تغییر نمی‌کند.")  # fmt: skip
            return
        if found is None:
            self.report.created += 1
        else:
            self.report.updated += 1
        self.filings.append((unit, year, month, figures))

    @transaction.atomic
    def apply(self):
        with acting_as(self.actor):
            for unit, year, month, figures in self.filings:
                services.monthly_report_file(
                    actor=self.actor, unit=unit, year=year, month=month, **figures
                )


def import_reports(content: bytes, filename: str, *, actor, apply: bool = False, progress=None):
    """Check a file of monthly reports (and with `apply`, file them all or none)."""
    report = ReportImportReport(filename=filename)
    kind = kind_of(content, filename, report)
    if kind is None:
        return report
    try:
        sheets = read_workbook(content, kind)
    except Exception as error:
        report.problem(filename, None, "", "", f"پرونده خوانده نشد: {error}")
        return report
    named = {search_key(REPORTS_SHEET), "reports"}
    sheet = next((s for s in sheets if search_key(s.name) in named), sheets[0] if sheets else None)
    if sheet is None:
        report.problem(filename, None, "", "", "برگهٔ گزارش‌ها پیدا نشد.")
        return report
    planner = _Planner(actor, report)
    header, mapping = header_map(sheet, REPORT_COLUMNS, report)
    if mapping is not None and report.ok:
        rows = data_rows(sheet, header, mapping, report)
        for number, values, bad, raw in with_progress(
            rows, progress, non_empty_rows(sheet, header)
        ):
            report.rows += 1
            planner.row(sheet.name, number, values, raw, cells_ok=not bad)
    note_unchecked(report, filename)
    if apply and report.ok:
        started = timezone.now()
        try:
            planner.apply()
        except DomainError as error:  # a rule only the write could check: nothing is kept
            report.problem(filename, None, "", "", error.message)
        else:
            report.applied = True
            report.applied_between = (started, timezone.now())
    report.sort_problems()
    return report


TEMPLATE_NOTES = [
    "هر سطر گزارش یک ماهِ یک واحد است: شناسهٔ ملی واحد، سال و ماه شمسی، و رقم‌های آن ماه.",
    "فقط واحدهایی پذیرفته می‌شوند که ثبت اطلاعاتشان با شماست؛ گزارش ماهی که تمام نشده پذیرفته نیست.",
    "گزارش‌ها به نام واردکننده و در روز ورود ثبت (ارسال) می‌شوند و کارشناس آن‌ها را بررسی "
    "می‌کند. گزارش پذیرفته‌شده یا در انتظار بررسی جایگزین نمی‌شود.",
    "رقم‌ها فارسی، عربی یا انگلیسی؛ مبلغ‌ها به ریال.",
]


def write_template() -> bytes:
    """The monthly reports template (`core.spreadsheets.write_template`)."""
    from shahrak.core.spreadsheets import write_template as write

    return write(REPORTS_SHEET, REPORT_COLUMNS, TEMPLATE_NOTES)
