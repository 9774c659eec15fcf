"""Text typed into Shahrak is written as text in every workbook it produces: a name beginning
with "=", "+", "-" or "@" comes back from the file as the same text in a text cell, never a
live formula (openpyxl makes a formula of any text beginning with "=")."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from shahrak.units import services
from shahrak.units.models import ExportRecord, Unit
from tests.harness import sample_park
from tests.ids import legal_id

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://x","click")',
    "+98-917-000",
    "-2+3",
    "@SUM(A1:A9)",
    "=1+1",
    "#N/A",
]


# As the Persian workbooks write them: Persian digits outside Latin text, as the pages show.
HOSTILE_FA = [
    '=HYPERLINK("http://x","click")',
    "+۹۸-۹۱۷-۰۰۰",
    "-۲+۳",
    "@SUM(A1:A9)",
    "=۱+۱",
    "#N/A",
]


def text_cells(content: bytes) -> dict[str, str]:
    """Every text in the workbook → its cell's data type ("s" text, "f" formula, "e" error)."""
    book = load_workbook(io.BytesIO(content))
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    found[cell.value] = cell.data_type
    return found


def assert_written_as_text(content: bytes, values=HOSTILE):
    found = text_cells(content)
    for value in values:
        assert found.get(value) == "s", (value, found.get(value), sorted(found)[:20])


@pytest.fixture
def manager(people):
    return people["bushehr-manager"]


@pytest.fixture
def hostile_units(manager):
    park = sample_park("bushehr")
    units = []
    for serial, text in enumerate(HOSTILE):
        unit = services.unit_create(
            actor=manager, county=park.county, park=park, name=text, manager_name=text,
            national_id=legal_id(30_000 + serial), isic_code="1030", products=text,
            sector="food_dates", employees=3,
        )  # fmt: skip
        services.export_add(actor=manager, unit=unit, on=dt.date(2022, 3, 1), destination="AE",
                            product=text, value_usd=100)  # fmt: skip
        units.append(unit)
    assert set(Unit.objects.values_list("name", flat=True)) >= set(HOSTILE)
    return units


def test_units_download_writes_names_as_text(client, manager, hostile_units):
    client.force_login(manager)
    response = client.get("/units/", {"export": "xlsx"})
    assert response.status_code == 200
    assert_written_as_text(response.content, HOSTILE_FA)


def test_list_export_writes_text_as_text(client, manager, hostile_units):
    client.force_login(manager)
    assert ExportRecord.objects.filter(product__in=HOSTILE).count() == len(HOSTILE)
    response = client.get("/units/exports/", {"export": "xlsx"})
    assert response.status_code == 200
    assert_written_as_text(response.content, HOSTILE_FA)


def test_report_workbook_writes_names_as_text():
    from shahrak.reports.exports import report_xlsx

    # Without digits: the report writes a name's digits in Persian.
    hostile = ['=HYPERLINK("http://x","click")', "+x+y", "-x+y", "@SUM(A:A)", "=x"]
    report = {
        "scope": {"name_fa": hostile[0]},
        "period": {"label": "سال", "year_to_date": {"label": "ytd"},
                   "since_start": {"label": "all"}},
        "metrics": {
            "a": {"value": 1, "label_fa": hostile[1], "unit": hostile[2], "previous": None,
                  "change_pct": None, "year_to_date": None, "cumulative": None},
            "b": {"value": {"x": 1, "y": 2}, "label_fa": "بر پایهٔ شهرک", "unit": "count",
                  "previous": None, "names": {"x": hostile[3], "y": hostile[4]}},
        },
    }  # fmt: skip
    found = text_cells(report_xlsx(report))
    assert found[f"{hostile[0]} — سال"] == "s"
    for value in hostile[1:]:
        assert found.get(value) == "s", (value, found.get(value))
