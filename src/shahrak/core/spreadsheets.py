"""Spreadsheets as imports read them: columns, cells and sheets, the same for every import
(units, monthly reports…). Headers may be Persian or English; digits Persian, Arabic or ASCII;
dates Jalali (1401/06/31 or ۱۴۰۱/۰۶/۳۱). Formula cells and unsafe workbooks are refused
(`core.xlsx.inspect_xlsx`). Each app declares its own `Column`s and reads them through
`parse_cell`."""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from python_calamine import CalamineWorkbook

from .jalali import JalaliError, parse_jalali_date
from .text import normalize_fa, search_key, to_ascii_digits
from .xlsx import UnsafeSpreadsheet, inspect_xlsx


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


# --- a template workbook --------------------------------------------------------------------
HELP_SHEET = "راهنما"


def write_template(sheet_name: str, columns: list[Column], notes: list[str] = ()) -> bytes:
    """An import's template: a right-to-left sheet with the columns' Persian headers (bold,
    frozen; digit columns kept as text, as Excel would drop leading zeros), and a help sheet
    with `notes` and each column's Persian and English header, whether it is required and what
    it holds. (The units import writes a richer one of its own: an example row, drop-downs.)"""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from .tables import as_text

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name
    sheet.sheet_view.rightToLeft = True
    sheet.append([column.header_fa for column in columns])
    for index, column in enumerate(columns, 1):
        sheet.cell(1, index).font = Font(bold=True)
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = 18
        if column.kind == "digits":
            dimension.number_format = "@"  # the column's cells are text by default
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.sheet_view.rightToLeft = True
    for note in notes:
        help_sheet.append([note])
    if notes:
        help_sheet.append([])
    help_sheet.append(["ستون", "Column", "الزامی", "توضیح"])
    for cell in help_sheet[help_sheet.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        help_sheet.append([column.header_fa, column.header_en,
                           "بله" if column.required else "خیر", str(column.meaning)])  # fmt: skip
    for each in book.worksheets:  # text stays text, never a formula
        for row in each.iter_rows():
            for cell in row:
                as_text(cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
