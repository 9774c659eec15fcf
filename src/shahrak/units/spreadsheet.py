"""Units in spreadsheets: the columns, reading XLSX/CSV files, and writing them back.

The same columns are written by the export and read by the import, so a list exported,
edited in Excel and imported again round-trips. Headers may be Persian or English; digits
Persian or ASCII; dates Jalali (1401/06/31 or ۱۴۰۱/۰۶/۳۱).
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache, partial

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font
from python_calamine import CalamineWorkbook

from shahrak.core.jalali import JalaliError, format_jalali, parse_jalali_date
from shahrak.core.tables import as_text, sheet_cell
from shahrak.core.text import (
    fa_digits_outside_latin,
    join_fa,
    normalize_fa,
    search_key,
    to_ascii_digits,
    to_fa_digits,
)
from shahrak.core.xlsx import UnsafeSpreadsheet, inspect_xlsx

from .choices import TRANSITIONS, IdleReason, Sector, UnitStatus
from .countries import country_name


class CellError(ValueError):
    """A cell's value is wrong; the message (Persian) says what is expected."""


@dataclass(frozen=True)
class Column:
    key: str
    header_fa: str
    header_en: str
    kind: str = "text"  # text | digits | isic | int | decimal | date | choice
    required: bool = False
    choices: type | None = None
    width: int = 11  # for "digits": pad numbers Excel stored without leading zeros
    meaning: str = ""
    aliases: tuple[tuple[str, str], ...] = ()  # for "choice": (other word, value)

    @property
    def headers(self) -> set[str]:
        return {search_key(self.header_fa), search_key(self.header_en), search_key(self.key)}


# Other words people write for a unit's status (the glossary's): accepted by the import and
# listed on the template's help sheet beside each status's own label.
STATUS_ALIASES = (
    ("فعال", UnitStatus.OPERATIONAL),
    ("به بهره‌برداری رسیده", UnitStatus.OPERATIONAL),
    ("غیرفعال", UnitStatus.IDLE),
    ("راه‌اندازی دوباره", UnitStatus.RESTARTED),
    ("تعطیل شده", UnitStatus.CLOSED),
)

UNIT_COLUMNS = [
    Column("name", "نام واحد", "Name", required=True, meaning=_("The unit's registered name")),
    Column("national_id", "شناسه ملی", "National ID", "digits", required=True, width=11,
           meaning=_("11-digit legal-entity national ID with its check digit")),
    Column("registration_number", "شماره ثبت", "Registration number"),
    Column("manager_name", "مدیرعامل", "Manager"),
    Column("mobile", "تلفن همراه", "Mobile", "digits", width=0,
           meaning=_("09xxxxxxxxx; Persian digits are accepted")),
    Column("postal_code", "کد پستی", "Postal code", "digits", width=10),
    Column("province", "استان", "Province", required=True,
           meaning=_("Province name in Persian or its code, e.g. bushehr")),
    Column("county", "شهرستان", "County", required=True),
    Column("park", "شهرک یا ناحیه", "Park", meaning=_("Empty for a unit outside any park")),
    Column("plot", "شماره قطعه", "Plot number"),
    Column("latitude", "عرض جغرافیایی", "Latitude", "decimal"),
    Column("longitude", "طول جغرافیایی", "Longitude", "decimal"),
    Column("isic_code", "کد آیسیک", "ISIC code", "isic", required=True, width=4,
           meaning=_("ISIC Rev.4 class, 4 digits")),
    Column("products", "محصولات", "Products", required=True),
    Column("sector", "بخش", "Sector", "choice", required=True, choices=Sector),
    Column("employees", "تعداد کارکنان", "Employees", "int", required=True),
    Column("licence_number", "شماره پروانه بهره‌برداری", "Operating licence number"),
    Column("licence_date", "تاریخ پروانه بهره‌برداری", "Operating licence date", "date"),
    Column("business_id", "شناسه کسب و کار", "Business ID", "digits", width=12),
    Column("status", "وضعیت", "Status", "choice", choices=UnitStatus, aliases=STATUS_ALIASES),
    Column("status_date", "تاریخ وضعیت", "Status date", "date",
           meaning=_("Jalali date from which the status holds")),
    Column("idle_reason", "علت رکود", "Idle reason", "choice", choices=IdleReason,
           meaning=_("Needed only when a unit newly becomes idle")),
]  # fmt: skip
EXPORT_COLUMNS = [
    Column("national_id", "شناسه ملی", "National ID", "digits", required=True, width=11),
    Column("on", "تاریخ", "Date", "date", required=True),
    Column("destination", "کشور مقصد", "Destination", required=True,
           meaning=_("The country's Persian name or its ISO 3166 two-letter code, e.g. OM")),
    Column("product", "محصول", "Product", required=True),
    Column("value_usd", "ارزش (دلار)", "Value (USD)", "decimal", required=True),
]  # fmt: skip
UNITS_SHEET, EXPORTS_SHEET = "واحدها", "صادرات"
EXPORTS_SHEET_NAMES = {search_key(EXPORTS_SHEET), "exports"}


# --- cell parsing --------------------------------------------------------------------------
@lru_cache(maxsize=200_000)
def _normalized(text: str) -> str:
    if text.isascii():
        return " ".join(text.split())
    return normalize_fa(text)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _normalized(str(value))


cached_key = lru_cache(maxsize=200_000)(search_key)


@lru_cache(maxsize=64)
def _choice_lookup(choices, aliases=()) -> dict[str, str]:
    """What people write for each choice (code, Persian or English label, or one of the
    column's other words) → its code."""
    from django.utils import translation

    lookup = {}
    for language in ("en", "fa"):
        with translation.override(language):
            for choice in choices:
                lookup[search_key(str(choice.label))] = choice.value
    for choice in choices:
        lookup[search_key(choice.value)] = choice.value
    for word, value in aliases:
        lookup[search_key(word)] = str(value)
    return lookup


def choice_labels(column: Column) -> list[str]:
    """The Persian labels of a choice column, in order: what its drop-down offers."""
    from django.utils import translation

    with translation.override("fa"):
        return [str(choice.label) for choice in column.choices]


def choice_words(column: Column) -> str:
    """Every Persian word the import accepts in a choice column: each label, with its other
    words in brackets — «در حال بهره‌برداری (یا فعال، به بهره‌برداری رسیده)». Labels are
    separated by «؛», as some hold a comma themselves."""
    words = []
    for choice, label in zip(column.choices, choice_labels(column), strict=True):
        others = [word for word, value in column.aliases if value == choice.value]
        words.append(f"{label} (یا {'، '.join(others)})" if others else label)
    return "؛ ".join(words)


def status_label(value: str) -> str:
    """A status code as the file and the messages write it: its Persian label."""
    from django.utils import translation

    with translation.override("fa"):
        return str(UnitStatus(value).label)


# ISIC Rev.4 classes never begin with "00": a number Excel stored without its leading zero
# (0111 → 111) has three digits; fewer is not a class.
def _isic(value, text: str) -> str:
    digits = to_ascii_digits(text)
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if numeric and len(digits) == 3 and digits.isdigit():
        digits = "0" + digits  # Excel dropped the leading zero of 01xx–09xx
    if len(digits) != 4 or not digits.isdigit():
        raise CellError("کد آیسیک (ISIC Rev.4) چهار رقم است، مانند ۱۰۳۰.")
    return digits


@lru_cache(maxsize=20_000)
def _jalali(text: str) -> dt.date:
    return parse_jalali_date(text)


def parse_cell(column: Column, value):
    """The cell's value for `column`, or CellError. Empty cells give None."""
    if value is None or value == "":
        if column.required:
            raise CellError("این خانه نباید خالی باشد.")
        return None
    # Fast paths for the cells most files are made of (100,000-row imports).
    kind = column.kind
    if kind == "int" and type(value) is float and value >= 0 and value.is_integer():
        return int(value)
    if type(value) is str:
        if kind == "text" and not value.startswith("="):
            return _normalized(value)
        if kind == "digits" and value.isascii() and value.isdigit():
            return value.zfill(column.width) if column.width else value
    if isinstance(value, str) and value.startswith("="):
        raise CellError("این خانه فرمول دارد؛ مقدار را به‌جای فرمول وارد کنید.")
    text = _text(value)
    if text == "":
        if column.required:
            raise CellError("این خانه نباید خالی باشد.")
        return None
    if column.kind == "text":
        return text
    if column.kind == "isic":
        return _isic(value, text)
    if column.kind == "digits":
        digits = re.sub(r"[\s\-]", "", to_ascii_digits(text))
        if not digits.isdigit():
            raise CellError("فقط رقم پذیرفته می‌شود.")
        return digits.zfill(column.width) if column.width else digits
    if column.kind in ("int", "decimal"):
        number_text = to_ascii_digits(text).replace("٫", ".").replace("٬", "").replace(",", "")
        try:
            number = Decimal(number_text)
        except InvalidOperation as error:
            raise CellError("این خانه باید عدد باشد، نه متن.") from error
        if number < 0:
            raise CellError("عدد منفی پذیرفته نیست.")
        if column.kind == "int":
            if number != number.to_integral_value():
                raise CellError("این خانه باید عدد صحیح باشد.")
            return int(number)
        return number
    if column.kind == "date":
        if isinstance(value, dt.datetime | dt.date):  # a Gregorian date Excel recognised
            return value.date() if isinstance(value, dt.datetime) else value
        try:
            return _jalali(text)
        except JalaliError as error:
            raise CellError(str(error)) from error
    if column.kind == "choice":
        found = _choice_lookup(column.choices, column.aliases).get(cached_key(text))
        if found is not None:
            return found
        raise CellError(f"مقدار شناخته نشد؛ یکی از این‌ها: {choice_words(column)}")
    raise AssertionError(column.kind)


# --- reading files --------------------------------------------------------------------------
@dataclass
class Sheet:
    name: str
    rows: list[list]  # cell values, row by row, from the first row of the sheet
    formula_cells: set[tuple[int, int]]  # (row index, column index), 0-based
    merged_rows: set[int]  # 0-based rows touched by merged cells


# A sheet larger than this is refused before it is parsed (a reader builds the whole grid
# from A1 to the farthest cell). The units sheet has 22 columns; 100,000 units are 9 MB.
MAX_ROWS = 200_000
MAX_COLUMNS = 64


def read_workbook(content: bytes, kind: str) -> list[Sheet]:
    if kind == "csv":
        return [_read_csv(content)]
    try:
        inspection = inspect_xlsx(content, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    except UnsafeSpreadsheet as error:
        from django.utils import translation

        with translation.override("fa"):
            raise CellError(str(error)) from error
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    sheets = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        merged = set()
        for (first, _column), (last, _last_column) in sheet.merged_cell_ranges or ():
            merged.update(range(first, last + 1))
        rows = sheet.to_python(skip_empty_area=False)
        sheets.append(Sheet(name, rows, inspection.formulas.get(name, set()), merged))
    return sheets


def _read_csv(content: bytes) -> Sheet:
    for encoding in ("utf-8-sig", "cp1256"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CellError("پرونده CSV با کدگذاری UTF-8 یا windows-1256 خوانده نشد.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:  # one column, or empty
        dialect = csv.excel
    return Sheet("csv", list(csv.reader(io.StringIO(text), dialect)), set(), set())


# --- writing files ------------------------------------------------------------------------
def unit_row(unit) -> list:
    """A unit as a spreadsheet row, in UNIT_COLUMNS order (what the import reads back)."""
    return [
        unit.name, unit.national_id, unit.registration_number, unit.manager_name, unit.mobile,
        unit.postal_code, unit.county.province.name_fa, unit.county.name_fa,
        unit.park.name if unit.park_id else "", unit.plot.number if unit.plot_id else "",
        unit.latitude, unit.longitude, unit.isic_code, unit.products,
        Sector(unit.sector).label, unit.employees, unit.licence_number, unit.licence_date,
        unit.business_id, UnitStatus(unit.status).label if unit.status else "", unit.status_since,
        "",  # the idle reason is asked only for a new idle status
    ]  # fmt: skip


def export_row(record, persian: bool = True) -> list:
    return [record.unit.national_id, record.on, country_name(record.destination, persian),
            record.product, record.value_usd]  # fmt: skip


def _cell(sheet, value, bold=False, persian=False):
    if isinstance(value, dt.date):
        value = format_jalali(value, persian=persian)
    elif isinstance(value, Decimal):
        value = float(value)
    elif value is not None and not isinstance(value, int | float):
        value = fa_digits_outside_latin(value) if persian else str(value)
    cell = sheet_cell(sheet, value if value != "" else None, bold=bold)
    if isinstance(value, str) and value.isdigit():
        cell.number_format = "@"  # IDs stay text: Excel would drop leading zeros
    return cell


def write_workbook(units, exports=(), *, persian: bool = True) -> bytes:
    """Units (and their exports) as an XLSX in the import's columns, right to left. The
    Persian workbook reads as the pages do: countries by their Persian names, Persian digits
    outside Latin text (the import reads both back)."""
    book = Workbook(write_only=True)
    for title, columns, rows, row_of in [
        (UNITS_SHEET, UNIT_COLUMNS, units, unit_row),
        (EXPORTS_SHEET, EXPORT_COLUMNS, exports, partial(export_row, persian=persian)),
    ]:
        sheet = book.create_sheet(title)
        sheet.sheet_view.rightToLeft = True
        sheet.append([_cell(sheet, column.header_fa, bold=True) for column in columns])
        for row in rows:
            sheet.append([_cell(sheet, value, persian=persian) for value in row_of(row)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the template -----------------------------------------------------------------------------
HELP_SHEET, LISTS_SHEET = "راهنما", "فهرست‌ها"
# The row under the header of the template's units sheet: it shows how cells are written, and
# the import ignores it as long as it is left exactly as it is. Its national ID deliberately
# fails the check digit, so that an example half-edited into a real row is refused.
EXAMPLE = {
    "name": "واحد نمونه (این سطر را با واحد خود جایگزین کنید)", "national_id": "10380284791",
    "registration_number": "12345", "manager_name": "علی احمدی", "mobile": "09171234567",
    "postal_code": "7514763111", "province": "بوشهر", "county": "بوشهر", "isic_code": "1030",
    "products": "خرمای بسته‌بندی", "sector": Sector.FOOD_DATES, "employees": 12,
    "status": UnitStatus.OPERATIONAL, "status_date": "1401/06/31",
}  # fmt: skip
EXAMPLE_ROW = 2  # as numbered in Excel
HELP_NOTES = [
    "سطر {row} برگهٔ «{sheet}» نمونه است: اگر دست‌نخورده بماند، هنگام ورود نادیده گرفته "
    "می‌شود. آن را با واحد خود جایگزین کنید یا پاک کنید؛ شناسهٔ ملی نمونه عمداً نادرست است.",
    "ستون‌های وضعیت، بخش و علت رکود فهرست کشویی دارند؛ واژه‌های دیگری که پذیرفته می‌شوند "
    "در ستون «توضیح» آمده‌اند.",
    "تاریخ‌ها شمسی‌اند، مانند ۱۴۰۱/۰۶/۳۱؛ رقم‌ها فارسی یا انگلیسی.",
]


def new_unit_statuses_note() -> str:
    """What the help sheet says of a new unit's status: the status drop-down lists every
    status (a row may update a unit already in the system), but a new unit starts only in
    some (the services' own table)."""
    from django.utils import translation

    with translation.override("fa"):
        starts = [f"«{status.label}»" for status in UnitStatus if status in TRANSITIONS[None]]
        later = [f"«{status.label}»" for status in UnitStatus if status not in TRANSITIONS[None]]
    return (
        "وضعیت واحد تازه (شناسهٔ ملی‌ای که هنوز در سامانه نیست) فقط "
        + " یا ".join(filter(None, ["، ".join(starts[:-1]), starts[-1]]))
        + " است؛ "
        + join_fa(later)
        + " فقط برای واحدی است که در سامانه هست."
    )


def example_values() -> dict:
    """The example row by column key, as written in the template (labels in Persian)."""
    from django.utils import translation

    with translation.override("fa"):
        return {
            key: str(value.label) if isinstance(value, Sector | UnitStatus) else value
            for key, value in EXAMPLE.items()
        }


def is_example_row(cells: list, mapping: dict[int, Column]) -> bool:
    """True for the template's example row left exactly as it was (every cell the same)."""
    example = _example_texts()
    for position in range(max(len(cells), max(mapping) + 1)):  # a data row differs early
        column = mapping.get(position)
        cell = cells[position] if position < len(cells) else None
        if _text(cell) != (example.get(column.key, "") if column else ""):
            return False
    return set(example) <= {column.key for column in mapping.values()}


@lru_cache(maxsize=1)
def _example_texts() -> dict[str, str]:
    return {key: _text(value) for key, value in example_values().items()}


def write_template() -> bytes:
    """The import template: the units sheet with its example row and drop-down lists on the
    choice columns, the exports sheet, a help sheet, and the lists the drop-downs read."""
    from django.utils import translation
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    units = book.active
    units.title = UNITS_SHEET
    exports = book.create_sheet(EXPORTS_SHEET)
    help_sheet = book.create_sheet(HELP_SHEET)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    example = example_values()
    for sheet, columns in ((units, UNIT_COLUMNS), (exports, EXPORT_COLUMNS)):
        sheet.sheet_view.rightToLeft = True
        sheet.append([column.header_fa for column in columns])
        for index in range(1, len(columns) + 1):
            sheet.cell(1, index).font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(index)].width = 18
        sheet.freeze_panes = "A2"
    units.append([example.get(column.key) for column in UNIT_COLUMNS])
    for index, column in enumerate(UNIT_COLUMNS, 1):
        if column.kind in ("digits", "isic"):  # IDs stay text: Excel would drop leading zeros
            units.cell(EXAMPLE_ROW, index).number_format = "@"
    # Drop-downs read their lists from the hidden sheet (a list written into the validation
    # itself is limited to 255 characters, less than the sectors' labels).
    choice_columns = [(i, c) for i, c in enumerate(UNIT_COLUMNS, 1) if c.kind == "choice"]
    for list_index, (index, column) in enumerate(choice_columns, 1):
        labels = choice_labels(column)
        letter = get_column_letter(list_index)
        lists.cell(1, list_index, column.header_fa)
        for row, label in enumerate(labels, 2):
            lists.cell(row, list_index, label)
        validation = DataValidation(
            type="list",
            formula1=f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}",
            allow_blank=True,
            # A warning, not a refusal: the other words the help sheet lists are accepted too.
            errorStyle="warning",
            showErrorMessage=True,
            errorTitle=column.header_fa,
            error="این مقدار در فهرست نیست؛ واژه‌های پذیرفته در برگهٔ «راهنما» آمده‌اند.",
        )
        target = get_column_letter(index)
        validation.add(f"{target}{EXAMPLE_ROW}:{target}1048576")
        units.add_data_validation(validation)
    help_sheet.sheet_view.rightToLeft = True
    for note in HELP_NOTES:
        help_sheet.append([note.format(row=to_fa_digits(EXAMPLE_ROW), sheet=UNITS_SHEET)])
    help_sheet.append([new_unit_statuses_note()])
    help_sheet.append([])
    help_sheet.append(["ستون", "Column", "الزامی", "توضیح"])
    for cell in help_sheet[help_sheet.max_row]:
        cell.font = Font(bold=True)
    with translation.override("fa"):
        for column in UNIT_COLUMNS + EXPORT_COLUMNS:
            allowed = choice_words(column) if column.choices else ""
            meaning = " — ".join(filter(None, [str(column.meaning), allowed]))
            help_sheet.append(
                [column.header_fa, column.header_en, "بله" if column.required else "خیر", meaning]
            )
    for sheet in book.worksheets:  # text stays text, never a formula
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
