"""A report as a workbook: one sheet per table, numbers as numbers."""

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook

SHEET_NAME_LIMIT = 31  # Excel's


def _number(value):
    return None if value is None else float(Decimal(str(value)))


def report_xlsx(report) -> bytes:
    book = Workbook(write_only=True)
    figures = book.create_sheet("شاخص‌ها")
    figures.sheet_view.rightToLeft = True
    period = report["period"]
    figures.append([f"{report['scope']['name_fa']} — {period['label']}"])
    figures.append(["کلید", "شاخص", "مقدار", "واحد", "دورهٔ مشابه سال قبل", "تغییر (٪)",
                    period["year_to_date"]["label"], period["since_start"]["label"]])  # fmt: skip
    for key, item in report["metrics"].items():
        if isinstance(item["value"], dict):
            continue
        figures.append([key, item["label_fa"], item["value"], item["unit"], item["previous"],
                        item["change_pct"], item["year_to_date"], item["cumulative"]])  # fmt: skip
    for item in report["metrics"].values():
        if not isinstance(item["value"], dict):
            continue
        sheet = book.create_sheet(item["label_fa"][:SHEET_NAME_LIMIT])
        sheet.sheet_view.rightToLeft = True
        sheet.append(["کد", "نام", "مقدار", "دورهٔ مشابه سال قبل"])
        previous = item["previous"] or {}
        for code, value in item["value"].items():
            sheet.append([code, item["names"].get(code, code), _number(value),
                          _number(previous.get(code))])  # fmt: skip
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
