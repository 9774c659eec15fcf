"""A report's PDF carries its Persian words and figures; its XLSX reopens with numbers."""

import shutil
import subprocess

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from shahrak.reports.registry import metrics
from tests.harness import demo_for_module
from tests.reports.figures import YEAR_1400, exports_usd, millions, units_in_operation

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks", "units"})


def found(word: str, text: str) -> bool:
    """PDF extractors may emit right-to-left runs in visual order: accept either order."""
    return word in text or word[::-1] in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="make test installs poppler-utils")
def test_pdf_has_the_persian_words_and_figures(demo, tmp_path):
    path = tmp_path / "report.pdf"
    call_command("report", "--province", "bushehr", "--period", "1400", "--format", "pdf",
                 "--output", str(path))  # fmt: skip
    assert path.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    for word in ["بوشهر", "صادرات", "واحدهای", "بهره‌برداری", "مگاوات", "۱۴۰۰", "چین", "روسیه"]:
        assert found(word.replace("\u200c", ""), text.replace("\u200c", "")), word
    assert found(millions(exports_usd("bushehr", YEAR_1400)), text)  # e.g. ۷۰٫۴ (million)
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
    counted = len(units_in_operation("bushehr", YEAR_1400[1]))
    assert isinstance(values[operational], int) and values[operational] == counted
    assert isinstance(values[exports], int | float)
    assert values[exports] == exports_usd("bushehr", YEAR_1400)


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def _classed(page, name):
    return [
        box for box in _boxes(page._page_box)
        if getattr(box, "element", None) is not None
        and name in (box.element.get("class") or "").split()
        and type(box).__name__ in {"BlockBox", "TableRowBox"}
    ]  # fmt: skip


def test_the_yearly_chart_stands_on_its_axis(demo):
    """Laid out by WeasyPrint: each bar's foot is on the axis, bars are as tall as their
    values against the tallest (CHART_MM), each stands above its year, and the year counted
    only to 1401/06/31 is marked partial."""
    from django.contrib.auth import get_user_model
    from weasyprint import HTML

    from shahrak.core.jalali import JalaliPeriod
    from shahrak.reports.pdf import CHART_MM, report_pdf_html
    from shahrak.reports.services import build_report, build_trend, resolve_scope

    admin = get_user_model().objects.get(username="admin")
    scope, described = resolve_scope(admin, province="bushehr")
    period = JalaliPeriod.parse("1401-H1")
    report = build_report(admin, scope=scope, scope_description=described, period=period)
    trend = build_trend(admin, scope, period)
    document = HTML(string=report_pdf_html(report, trend)).render()
    page = next(page for page in document.pages if _classed(page, "plot"))
    (plot,), (axis,) = _classed(page, "plot"), _classed(page, "axis")
    bars = _classed(page, "column")
    values = trend["units_operational"]
    assert len(bars) == len(plot.children) == len(axis.children) == len(values) == 6
    px_per_mm = 96 / 25.4
    for bar, cell, label, value in zip(bars, plot.children, axis.children, values, strict=True):
        foot = bar.border_box_y() + bar.border_height()
        axis_line = cell.border_box_y() + cell.border_height() - cell.border_bottom_width
        assert abs(foot - axis_line) < 0.5  # on the axis, not under it
        assert label.border_box_y() >= axis_line  # the year is under the axis
        assert abs(bar.border_height() - CHART_MM * px_per_mm * value / max(values)) < 0.5
        middle = bar.border_box_x() + bar.border_width() / 2
        assert label.border_box_x() < middle < label.border_box_x() + label.border_width()
    # Right to left: the first year stands at the right; the last, 1401 to 1401/06/31, is
    # partial.
    assert bars[0].border_box_x() > bars[-1].border_box_x()
    assert [("partial" in bar.element.get("class")) for bar in bars] == [False] * 5 + [True]
    assert "۱۴۰۱/۰۶/۳۱" in "".join(axis.children[-1].element.itertext()).translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    )


def _attachment(response) -> str:
    assert response.status_code == 200
    return response["Content-Disposition"].split("filename=")[1].strip('"')


@pytest.mark.parametrize(
    ("username", "asked", "expected"),
    [
        # No province asked: the report is of what the user sees, and named so.
        ("bushehr-manager", {"period": "1400-H1"}, "shahrak-bushehr-1400-H1"),
        ("auditor", {"period": "1401"}, "shahrak-bushehr-yazd-1401"),
        ("hq", {"period": "1401"}, "shahrak-iran-1401"),
        ("hq", {"province": "yazd", "year": "1400", "part": "H2"}, "shahrak-yazd-1400-H2"),
    ],
)
def test_a_downloaded_report_is_named_by_the_place_and_period_it_shows(
    demo, client, username, asked, expected
):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    shown = client.get("/reports/", asked)
    assert shown.status_code == 200
    assert _attachment(client.get("/reports/", {**asked, "export": "xlsx"})) == f"{expected}.xlsx"
    if username == "bushehr-manager":
        assert _attachment(client.get("/reports/", {**asked, "export": "pdf"})) == (
            f"{expected}.pdf"
        )
