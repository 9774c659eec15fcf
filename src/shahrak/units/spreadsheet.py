"""Units in spreadsheets: the columns, and writing them back (reading cells and files is
`core.spreadsheets`, shared with the other imports).

The same columns are written by the export and read by the import, so a list exported,
edited in Excel and imported again round-trips. Headers may be Persian or English; digits
Persian or ASCII; dates Jalali (1401/06/31 or ۱۴۰۱/۰۶/۳۱).
"""

import datetime as dt
import io
from decimal import Decimal
from functools import lru_cache, partial

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from shahrak.core.jalali import format_jalali
from shahrak.core.spreadsheets import (  # noqa: F401 (the units import reads them from here)
    MAX_COLUMNS,
    MAX_ROWS,
    CellError,
    Column,
    Sheet,
    _text,
    cached_key,
    choice_labels,
    choice_words,
    parse_cell,
    read_workbook,
)
from shahrak.core.tables import as_text, sheet_cell
from shahrak.core.text import fa_digits_outside_latin, join_fa, search_key, to_fa_digits

from .choices import TRANSITIONS, IdleReason, Sector, UnitStatus
from .countries import country_name

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


def status_label(value: str) -> str:
    """A status code as the file and the messages write it: its Persian label."""
    from django.utils import translation

    with translation.override("fa"):
        return str(UnitStatus(value).label)


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
