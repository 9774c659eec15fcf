"""Lists as columns: the same columns render the HTML table and the Excel export, so an
export always has what the page shows (numbers as numbers, dates as Jalali text)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .jalali import format_jalali
from .text import fa_digits_outside_latin

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The most rows one Excel download holds. A workbook is written inside the web request, at
# about 1 ms a row; 10,000 rows stay well inside the worker's 30-second timeout. A longer list
# is narrowed by its filters first (the page says so instead of offering the download).
EXPORT_MAX_ROWS = 10_000


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable  # record → value (number, date, text)
    link: bool = False  # the record's page is linked from this column


class Table:
    columns: list[Column] = []

    def __init__(self, records):
        self.records = records

    def values(self):
        """(record, [value of each column]) for every record: what the export writes."""
        for record in self.records:
            yield record, [column.value(record) for column in self.columns]

    def rows(self):
        """(record, [(column, value), …]) for every record: what the page shows."""
        for record, values in self.values():
            yield record, list(zip(self.columns, values, strict=True))


def download(content: bytes, filename: str, content_type: str = XLSX_TYPE) -> HttpResponse:
    """A file the browser saves rather than shows (a Persian name sent as RFC 6266 says)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _cell_value(value, persian: bool = False):
    """A value as a cell holds it: numbers as numbers, dates as Jalali text, and in a Persian
    workbook Persian digits outside Latin text, as the page shows them."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return format_jalali(timezone.localtime(value), persian=persian)
    if isinstance(value, dt.date):
        return format_jalali(value, persian=persian)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float):
        return value
    return fa_digits_outside_latin(value) if persian else str(value)


def as_text(cell):
    """Text in `cell` is written as text: never a formula (openpyxl makes one of any text
    beginning with "=") nor an error code ("#N/A") — a name like «=HYPERLINK(…)» typed into
    a form stays a name in every workbook Shahrak writes."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def sheet_cell(sheet, value, *, bold: bool = False):
    """A cell for `sheet.append()` of a write-only sheet, its text kept as text."""
    cell = as_text(WriteOnlyCell(sheet, value=value))
    if bold:
        cell.font = Font(bold=True)
    return cell


def sheet_row(sheet, values, *, bold: bool = False) -> list:
    """Values as cells for `sheet.append()`, every text kept as text."""
    return [sheet_cell(sheet, value, bold=bold) for value in values]


def xlsx_response(table: Table, *, filename: str, title: str) -> HttpResponse:
    """The table as an XLSX download: one header row, right-to-left, numbers as numbers."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.sheet_view.rightToLeft = True
    sheet.append(sheet_row(sheet, [str(column.label) for column in table.columns], bold=True))
    persian = (get_language() or "fa").startswith("fa")
    for _record, values in table.values():
        sheet.append(sheet_row(sheet, [_cell_value(value, persian) for value in values]))
    buffer = BytesIO()
    workbook.save(buffer)
    return download(buffer.getvalue(), f"{filename}.xlsx")
