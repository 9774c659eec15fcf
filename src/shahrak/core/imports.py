"""What every spreadsheet import shares: the report (problems by sheet, row and column, as
written in the file, in Persian), finding the header row, reading the data rows cell by cell,
and refusing a file by its kind and size before it is read. Each app's importer
(`units.imports`, `revival.imports`) checks its rows against its records and writes them all
or nothing; `core.import_runs` runs it in the background."""

import datetime as dt
from dataclasses import dataclass, field

from .jalali import format_jalali
from .spreadsheets import CellError, Column, Sheet, parse_cell
from .text import search_key, to_fa_digits

MAX_BYTES = 10 * 1024 * 1024
# Checking stops after this many problems (a file of 230,000 bad rows would otherwise list
# 400,000 of them in a 68 MB page); the report says how many rows were left unchecked.
MAX_PROBLEMS = 200


@dataclass
class Problem:
    sheet: str
    row: int | None  # as numbered in the spreadsheet (1 = first row)
    column: str
    value: str
    message: str


@dataclass
class ImportReport:
    filename: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False
    unchecked_rows: int = 0  # data rows left unchecked once MAX_PROBLEMS were found
    # Rows (as numbered in the sheet) that were the template's example, left as it was.
    example_rows: list[int] = field(default_factory=list)
    # When the writes ran (start, end): the units list shows what was written in between.
    applied_between: tuple[dt.datetime, dt.datetime] | None = None
    # (sheet, header) → the column's position in its sheet, to list problems in sheet order.
    positions: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, sheet, row, column, value, message):
        self.problems.append(Problem(sheet, row, str(column), shown(value), str(message)))

    def sort_problems(self) -> None:
        """Problems as the file reads: sheet by sheet, row by row, column by column (right
        to left in the sheet); those of the whole file or sheet first."""
        sheets = list(dict.fromkeys(problem.sheet for problem in self.problems))
        self.problems.sort(
            key=lambda p: (
                sheets.index(p.sheet) if p.row is not None else -1,
                p.row or 0,
                self.positions.get((p.sheet, p.column), -1),
            )
        )


def shown(value) -> str:
    """A cell's value as its row shows it in a message: as it was written in the file."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return format_jalali(value, persian=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def header_map(sheet: Sheet, columns: list[Column], report, required=True):
    """Find the header row (the first non-empty one) and map its cells to columns."""
    index = next(
        (i for i, row in enumerate(sheet.rows) if any(c not in (None, "") for c in row)), None
    )
    if index is None:
        report.problem(sheet.name, None, "", "", "برگه خالی است.")
        return None, None
    if index in sheet.merged_rows:
        report.problem(sheet.name, index + 1, "", "",
                       "سطر عنوان خانه‌های ادغام‌شده دارد؛ یک سطر عنوان ساده بگذارید.")  # fmt: skip
        return None, None
    mapping, unknown = {}, []
    for position, header in enumerate(sheet.rows[index]):
        key = search_key(str(header or ""))
        if not key:
            continue
        column = next((c for c in columns if key in c.headers), None)
        if column is None:
            unknown.append(str(header))
            report.positions[(sheet.name, str(header))] = position
        else:
            mapping[position] = column
            report.positions[(sheet.name, column.header_fa)] = position
    if not mapping:
        report.problem(
            sheet.name, index + 1, "", "",
            "سطر عنوان پیدا نشد: سطر اول باید نام ستون‌ها باشد (الگو را دریافت کنید).",
        )  # fmt: skip
        return None, None
    for header in unknown:
        report.problem(sheet.name, index + 1, header, header, "این ستون شناخته نشد.")
    missing = [c.header_fa for c in columns if c.required and c not in mapping.values()]
    if missing and required:
        report.problem(sheet.name, index + 1, "", "",
                       "ستون‌های لازم نیستند: " + "، ".join(missing))  # fmt: skip
    return index, mapping


def data_rows(sheet: Sheet, header_index: int, mapping: dict, report, is_example=None):
    """(row number, {key: value}, a cell was bad, the cells as written) of the data rows,
    with each bad cell reported. A row `is_example(cells, mapping)` calls the template's
    example left as it was is skipped (and noted in the report)."""
    gap = None  # the first empty row since the last row with data
    positions = {column.key: position for position, column in mapping.items()}
    for index in range(header_index + 1, len(sheet.rows)):
        if len(report.problems) >= MAX_PROBLEMS:
            report.unchecked_rows += sum(
                1 for cells in sheet.rows[index:] if any(c not in (None, "") for c in cells)
            )
            return
        cells = sheet.rows[index]
        if all(cell in (None, "") for cell in cells):
            gap = index if gap is None else gap
            continue  # empty rows after the data are ignored; between rows they are not
        if gap is not None:
            message = "سطر خالی میان داده‌ها: سطرهای خالی را حذف کنید تا داده‌ای جا نماند."
            report.problem(sheet.name, gap + 1, "", "", message)
            gap = None
        if is_example is not None and is_example(cells, mapping):
            report.example_rows.append(index + 1)
            continue
        values, bad = {}, False
        for position, column in mapping.items():
            raw = cells[position] if position < len(cells) else None
            try:
                if (index, position) in sheet.formula_cells:
                    raise CellError("این خانه فرمول دارد؛ مقدار را به‌جای فرمول وارد کنید.")
                values[column.key] = parse_cell(column, raw)
            except CellError as error:
                report.problem(sheet.name, index + 1, column.header_fa, raw, error)
                bad = True
        yield index + 1, values, bad, Written(cells, positions)


class Written:
    """A row's cells as written in the file, by column key (what messages quote)."""

    __slots__ = ("cells", "positions")

    def __init__(self, cells: list, positions: dict[str, int]):
        self.cells, self.positions = cells, positions

    def get(self, key):
        position = self.positions.get(key)
        return self.cells[position] if position is not None and position < len(self.cells) else None

    def __getitem__(self, key):
        return self.get(key)


def with_progress(rows, progress, total: int):
    """`progress(rows, total)` wraps the rows being checked (a bar on the command line, the
    run's counters for the background worker); `total` counts the sheet's non-empty rows."""
    return progress(rows, total) if progress else rows


def kind_of(content: bytes, filename: str, report) -> str | None:
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shahrak.core.uploads import validate_upload

    try:
        return validate_upload(
            SimpleUploadedFile(filename, content), kinds={"xlsx", "csv"}, max_bytes=MAX_BYTES
        )
    except ValidationError as error:
        from django.utils import translation

        with translation.override("fa"):
            report.problem(filename, None, "", "", " ".join(error.messages))
        return None


def note_unchecked(report, filename: str) -> None:
    """Say, as a problem of the whole file, that checking stopped after MAX_PROBLEMS."""
    if report.unchecked_rows:
        report.problem(
            filename, None, "", "",
            f"بررسی پس از {to_fa_digits(len(report.problems))} مشکل متوقف شد و "
            f"{to_fa_digits(report.unchecked_rows)} سطر دیگر بررسی نشد؛ این مشکل‌ها را درست "
            "کنید و پرونده را دوباره بفرستید.",
        )  # fmt: skip


def non_empty_rows(sheet: Sheet, header_index: int) -> int:
    """The sheet's rows below the header with anything in them (the progress bar's total)."""
    return sum(
        1 for cells in sheet.rows[header_index + 1 :] if any(c not in (None, "") for c in cells)
    )
