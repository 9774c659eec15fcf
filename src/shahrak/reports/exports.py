"""A report as a workbook: one sheet per table, numbers as numbers."""

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook

from shahrak.units.countries import country_name


def report_xlsx(report) -> bytes:
    book = Workbook(write_only=True)
    figures = book.create_sheet("شاخص‌ها")
    figures.sheet_view.rightToLeft = True
    figures.append(["کلید", "شاخص", "مقدار", "واحد", "دورهٔ مشابه سال قبل", "تغییر (٪)"])
    for key, item in report["metrics"].items():
        if isinstance(item["value"], dict):
            continue
        figures.append([key, item["label_fa"], item["value"], item["unit"], item["previous"],
                        item["change_pct"]])  # fmt: skip
    destinations = book.create_sheet("صادرات به تفکیک مقصد")
    destinations.sheet_view.rightToLeft = True
    destinations.append(["کد", "مقصد", "ارزش (دلار)"])
    for code, value in report["metrics"]["exports.usd_by_destination"]["value"].items():
        destinations.append([code, country_name(code), float(Decimal(str(value)))])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
