"""A report's PDF carries its Persian words and figures; its XLSX reopens with numbers."""

import shutil
import subprocess

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from shahrak.reports.registry import metrics
from tests.harness import demo_for_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks", "units"})


def found(word: str, text: str) -> bool:
    """PDF extractors may emit right-to-left runs in visual order: accept either order."""
    return word in text or word[::-1] in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="make test installs poppler-utils")
def test_pdf_has_the_persian_words_and_figures(demo, tmp_path):
    from shahrak.reports.formatting import format_value

    path = tmp_path / "report.pdf"
    call_command("report", "--province", "bushehr", "--period", "1400", "--format", "pdf",
                 "--output", str(path))  # fmt: skip
    assert path.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    for word in ["بوشهر", "صادرات", "واحدهای", "بهره‌برداری", "مگاوات", "۱۴۰۰", "چین", "روسیه"]:
        assert found(word.replace("\u200c", ""), text.replace("\u200c", "")), word
    exports = format_value(70_400_003, "usd").split()[0]  # ۷۰٫۴
    assert found(exports, text)
    # Every number and name in Persian digits, park names too («شهرک صنعتی بوشهر ۲»).
    assert not [line for line in text.splitlines() if any(c in "0123456789" for c in line)]
    assert found("۲", text) and "بوشهر 2" not in text


def test_xlsx_reopens_with_numeric_cells(demo, tmp_path):
    path = tmp_path / "report.xlsx"
    call_command("report", "--province", "bushehr", "--period", "1400", "--format", "xlsx",
                 "--output", str(path))  # fmt: skip
    sheet = load_workbook(path)["شاخص‌ها"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    operational, exports = (metrics()[key].label_fa for key in ("units.operational", "exports.usd"))
    assert isinstance(values[operational], int) and values[operational] > 570
    assert isinstance(values[exports], int | float)
