"""A report as a workbook for people to read: Persian headers and unit names, one sheet of
figures and one per breakdown, numbers as numbers (money in whole rials) with number formats
that group their thousands."""

from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

from openpyxl import Workbook

from shahrak.core.tables import sheet_cell
from shahrak.core.text import fa_digits_outside_latin

SHEET_NAME_LIMIT = 31  # Excel's
# A metric's unit as the workbook names it, and how Excel shows its numbers.
UNIT_NAMES_FA = {
    "count": "تعداد",
    "rial": "ریال",
    "usd": "دلار",
    "mw": "مگاوات",
    "hectare": "هکتار",
    "percent": "درصد",
    "days": "روز",
}
NUMBER_FORMATS = {"count": "#,##0", "rial": "#,##0", "usd": "#,##0"}
DECIMAL_FORMAT = "#,##0.0"  # megawatts, hectares, percentages
CHANGE_FORMAT = "+0.0;-0.0;0.0"


def unit_name(unit: str) -> str:
    return UNIT_NAMES_FA.get(unit, unit)


def _number(value, unit: str):
    """A figure as the workbook holds it: rials and counts whole, others as they are."""
    if value is None:
        return None
    number = Decimal(str(value))
    if unit in ("rial", "count"):
        return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return int(number) if number == number.to_integral_value() else float(number)


def _row(sheet, values, formats=(), bold=False) -> list:
    """Cells of one row; numbers in the number format given for their column."""
    cells = []
    for index, value in enumerate(values):
        cell = sheet_cell(sheet, value, bold=bold)  # text stays text, never a formula
        if not bold and isinstance(value, int | float) and index < len(formats) and formats[index]:
            cell.number_format = formats[index]
        cells.append(cell)
    return cells


def _sheet(book, title: str, widths: list[int]):
    sheet = book.create_sheet(title[:SHEET_NAME_LIMIT])
    sheet.sheet_view.rightToLeft = True
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    return sheet


def report_xlsx(report) -> bytes:
    book = Workbook(write_only=True)
    period = report["period"]
    figures = _sheet(book, "شاخص‌ها", [44, 20, 10, 22, 12, 22, 22])
    title = fa_digits_outside_latin(f"{report['scope']['name_fa']} — {period['label']}")
    figures.append(_row(figures, [title], bold=True))
    headers = ["شاخص", "مقدار", "واحد", "دورهٔ مشابه سال قبل", "تغییر (٪)",
               period["year_to_date"]["label"], period["since_start"]["label"]]  # fmt: skip
    figures.append(_row(figures, headers, bold=True))
    for item in report["metrics"].values():
        if isinstance(item["value"], dict):
            continue
        unit = item["unit"]
        number = NUMBER_FORMATS.get(unit, DECIMAL_FORMAT)
        values = [
            item["label_fa"], _number(item["value"], unit), unit_name(unit),
            _number(item["previous"], unit), item["change_pct"],
            _number(item["year_to_date"], unit), _number(item["cumulative"], unit),
        ]  # fmt: skip
        formats = [None, number, None, number, CHANGE_FORMAT, number, number]
        figures.append(_row(figures, values, formats))
    for item in report["metrics"].values():
        if not isinstance(item["value"], dict):
            continue
        unit = item["unit"]
        number = NUMBER_FORMATS.get(unit, DECIMAL_FORMAT)
        sheet = _sheet(book, item["label_fa"], [44, 20, 22])
        headers = ["نام", f"مقدار ({unit_name(unit)})", f"دورهٔ مشابه سال قبل ({unit_name(unit)})"]
        sheet.append(_row(sheet, headers, bold=True))
        previous = item["previous"] or {}
        for code, value in item["value"].items():
            name = fa_digits_outside_latin(item["names"].get(code, code))
            values = [name, _number(value, unit), _number(previous.get(code), unit)]
            sheet.append(_row(sheet, values, [None, number, number]))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
