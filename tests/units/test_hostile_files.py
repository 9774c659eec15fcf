"""Hostile spreadsheets are refused before they are parsed, at the cost of a good file of
their size; a formula is found in the parsed cell however its XML is written."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shahrak.core import xlsx as guard
from shahrak.units.imports import import_units
from shahrak.units.models import Unit
from shahrak.units.spreadsheet import MAX_COLUMNS, MAX_ROWS, UNIT_COLUMNS
from tests.harness import sample_park
from tests.ids import legal_id
from tests.units.hostile import bomb, column_letters, rows_xml, xlsx

pytestmark = pytest.mark.django_db
HEADERS = [c.header_fa for c in UNIT_COLUMNS]
REPO = Path(__file__).resolve().parents[2]


def good_row(**overrides):
    values = {
        "نام واحد": "خرمای نمونه", "شناسه ملی": legal_id(555), "استان": "بوشهر",
        "شهرستان": "عسلویه", "شهرک یا ناحیه": "sample-bushehr", "کد آیسیک": "1030",
        "محصولات": "خرما", "بخش": "غذایی: فرآوری و بسته‌بندی خرما", "تعداد کارکنان": 12,
    }  # fmt: skip
    values.update(overrides)
    return [values.get(header) for header in HEADERS]


@pytest.fixture
def manager(people):
    sample_park("bushehr")
    return people["bushehr-manager"]


def refusal(report) -> str:
    assert not report.ok and not report.applied
    assert not Unit.objects.filter(name="خرمای نمونه").exists()
    return " ".join(problem.message for problem in report.problems)


def test_the_generated_sheet_imports_when_it_is_clean(manager):
    """The files below differ from this one only by what each test names."""
    report = import_units(xlsx(rows_xml([HEADERS, good_row()])), "u.xlsx", actor=manager)
    assert report.ok and report.created == 1, report.problems


EMPLOYEES = column_letters(HEADERS.index("تعداد کارکنان") + 1) + "2"


@pytest.mark.parametrize(
    "cell",
    [
        f'<c t="n" r="{EMPLOYEES}"><f>5+7</f><v>12</v></c>',
        f'<c s="0" t="n" r="{EMPLOYEES}"><f t="shared" si="0">5+7</f><v>12</v></c>',
        f"<c\n r = '{EMPLOYEES}'><f/><v>12</v></c>",
        f'<x:c xmlns:x="{guard.MAIN}" r="{EMPLOYEES}"><x:f>5+7</x:f><x:v>12</x:v></x:c>',
    ],
    ids=["r-after-t", "shared-formula", "empty-formula-odd-spacing", "namespace-prefix"],
)
def test_a_formula_is_refused_however_its_cell_is_written(manager, cell):
    content = xlsx(rows_xml([HEADERS, good_row()], raw={EMPLOYEES: cell}))
    report = import_units(content, "u.xlsx", actor=manager)
    assert "فرمول" in refusal(report)
    problem = next(p for p in report.problems if "فرمول" in p.message)
    assert (problem.row, problem.column) == (2, "تعداد کارکنان")


def test_a_sheet_that_inflates_a_thousandfold_is_refused(manager):
    content = bomb(8 * 1024 * 1024)
    assert len(content) * guard.MAX_RATIO < 8 * 1024 * 1024  # the ratio, not the size, is over
    assert "بیش از" in refusal(import_units(content, "u.xlsx", actor=manager))


@pytest.mark.parametrize(
    "far",
    [f"{column_letters(MAX_COLUMNS + 1)}2", f"A{MAX_ROWS + 2}", "XFD1048576"],
)
def test_a_cell_beyond_the_limits_is_refused_before_parsing(manager, far):
    row = far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    content = xlsx(
        rows_xml([HEADERS, good_row()]) + f'<row r="{row}"><c r="{far}"><v>1</v></c></row>'
    )
    assert "بیشتر" in refusal(import_units(content, "u.xlsx", actor=manager))


def test_cells_without_their_position_are_refused(manager):
    # Cells without r= take the next position: 100 of them in a row make 100 columns, and
    # nothing would bound how many.
    content = xlsx(rows_xml([HEADERS, good_row()]) + "<row>" + "<c><v>1</v></c>" * 100 + "</row>")
    assert "برگه" in refusal(import_units(content, "u.xlsx", actor=manager))


def test_too_many_parts_are_refused(manager):
    content = xlsx(rows_xml([HEADERS, good_row()]), extra_members=guard.MAX_MEMBERS)
    assert "بخش" in refusal(import_units(content, "u.xlsx", actor=manager))


READ = """
import os, resource, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024,) * 2)
import django
django.setup()
from shahrak.units.spreadsheet import CellError, read_workbook
try:
    read_workbook(open(sys.argv[1], "rb").read(), "xlsx")
except CellError as error:
    print("refused:", error)
else:
    print("read")
"""


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda: bomb(600 * 1024 * 1024), id="600MB-of-XML-in-0.7MB"),
        pytest.param(
            lambda: xlsx(
                '<row r="1"><c r="A1"><v>1</v></c></row>'
                '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
            ),
            id="A1-and-XFD1048576",
        ),
    ],
)
def test_a_bomb_is_refused_within_a_worker_sized_memory_limit(tmp_path, content):
    """Read in a process limited to 1.5 GB: before the checks, the first reached 4 GB and
    the second aborted the process (a 17-billion-cell grid)."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(content())
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(READ), str(path)], cwd=REPO, timeout=120,
        capture_output=True, text=True, env={"PYTHONPATH": f"{REPO}:{REPO / 'src'}",
                                             "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("refused:"), result.stdout


def test_a_flood_of_bad_rows_stops_after_a_bounded_number_of_problems(manager):
    from shahrak.units.imports import MAX_PROBLEMS
    from tests.persian import fa_digits

    bad = good_row(**{"شناسه ملی": "123", "تعداد کارکنان": "دوازده"})  # two bad cells a row
    rows = 5_000
    lines = [",".join(HEADERS)] + [",".join(str(v or "") for v in bad)] * rows
    report = import_units("\n".join(lines).encode(), "u.csv", actor=manager)
    assert not report.ok
    assert MAX_PROBLEMS <= len(report.problems) <= MAX_PROBLEMS + len(HEADERS) + 1
    checked = {problem.row for problem in report.problems if problem.row}
    assert report.unchecked_rows == rows - len(checked) > 0
    summary = report.problems[0]  # the file's own problems come first
    assert summary.row is None and fa_digits(report.unchecked_rows) in summary.message
