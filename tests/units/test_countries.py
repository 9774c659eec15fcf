"""Export destinations: every country named in full Persian, Iran never among them."""

import io
import re
from decimal import Decimal

import pycountry
import pytest
from django.utils import translation
from openpyxl import Workbook

from shahrak.core.errors import DomainError
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.units import services
from shahrak.units.countries import country_choices, country_name
from shahrak.units.forms import ExportForm
from shahrak.units.imports import import_units
from shahrak.units.models import ExportRecord
from shahrak.units.spreadsheet import EXPORT_COLUMNS, EXPORTS_SHEET, UNIT_COLUMNS, UNITS_SHEET
from tests.harness import sample_park

LATIN = re.compile(r"[A-Za-z]")
ARABIC_KEYBOARD = set("يكة")  # Arabic yeh, kaf and teh marbuta instead of Persian letters


def test_every_country_has_a_whole_persian_name():
    names = {country.alpha_2: country_name(country.alpha_2) for country in pycountry.countries}
    for code, name in names.items():
        assert name and name != code, code
        assert not LATIN.search(name), (code, name)
        assert not ARABIC_KEYBOARD & set(name), (code, name)
        assert "," not in name and not name.endswith("،"), (code, name)  # no inverted ISO forms
    assert len(set(names.values())) == len(names)  # no two countries share a name
    # The ones the reviewers found wrong or half English.
    assert "هلند" in names["SX"] and "آلمان" not in names["SX"]
    assert "فرانس" in names["MF"]
    assert all(part in names["SH"] for part in ("سنت هلنا", "اسنشن", "تریستان دا کونا"))
    assert names["TR"] == "ترکیه"


def test_english_names_read_naturally():
    assert country_name("VG", persian=False) == "British Virgin Islands"
    assert country_name("RU", persian=False) == "Russia"
    assert country_name("IR", persian=False) == "Iran"


@pytest.mark.parametrize("language", ["fa", "en"])
def test_iran_is_not_offered_as_a_destination(language):
    with translation.override(language):
        offered = [code for code, _ in country_choices()]
        in_form = [code for code, _ in ExportForm().fields["destination"].choices]
    assert "IR" not in offered and "IR" not in in_form
    assert len(offered) == len(pycountry.countries) - 1


@pytest.mark.django_db
def test_iran_is_refused_by_the_service_and_the_page(client, people):
    expert = people["bushehr-expert"]
    park = sample_park("bushehr")
    unit = services.unit_create(
        actor=expert, county=park.county, park=park, name="خرمای نمونه", isic_code="1030",
        products="خرما", sector="food_dates", national_id="10380284790",
    )  # fmt: skip
    for code in ("IR", "ir"):
        with pytest.raises(DomainError) as refused:
            services.export_add(actor=expert, unit=unit, on=jd("1400/12/20"), destination=code,
                                product="خرما", value_usd=Decimal(100))  # fmt: skip
        assert refused.value.code == "home_country" and refused.value.field == "destination"
    client.force_login(expert)
    client.post(f"/units/{unit.pk}/exports/", {"on": "1400/12/20", "destination": "IR",
                                                "product": "خرما", "value_usd": "100"})  # fmt: skip
    assert not ExportRecord.objects.exists()

    # A spreadsheet row that names Iran is reported, and nothing is written.
    book = Workbook()
    book.active.title = UNITS_SHEET
    book.active.append([column.header_fa for column in UNIT_COLUMNS])
    exports = book.create_sheet(EXPORTS_SHEET)
    exports.append([column.header_fa for column in EXPORT_COLUMNS])
    exports.append(["10380284790", "۱۴۰۰/۱۲/۲۰", "IR", "خرما", 100])
    content = io.BytesIO()
    book.save(content)
    report = import_units(content.getvalue(), "exports.xlsx", actor=expert, apply=True)
    assert not report.applied
    assert [problem.value for problem in report.problems] == ["IR"], report.problems
    assert "ایران" in report.problems[0].message
    assert not ExportRecord.objects.exists()


@pytest.mark.django_db
def test_the_units_workbook_reads_as_the_page_and_imports_back(client, people):
    """The Persian workbook names countries as the unit page does (عمان, not OM) and writes
    Persian digits outside Latin text; importing it again changes nothing."""
    from openpyxl import load_workbook

    manager = people["bushehr-manager"]
    park = sample_park("bushehr")
    unit = services.unit_create(
        actor=manager, county=park.county, park=park, name="واحد نمایشی 5 Fab 2",
        isic_code="1030", products="خرما", sector="food_dates", national_id="10380284790",
    )  # fmt: skip
    services.export_add(actor=manager, unit=unit, on=jd("1400/12/20"), destination="OM",
                        product="خرما", value_usd=Decimal(100))  # fmt: skip
    client.force_login(manager)
    page = client.get(f"/units/{unit.pk}/").content.decode()
    assert "عمان" in page
    content = client.get("/units/?export=xlsx").content
    book = load_workbook(io.BytesIO(content))
    units = list(book[UNITS_SHEET].values)
    assert units[1][0] == "واحد نمایشی ۵ Fab 2"
    exports = list(book[EXPORTS_SHEET].values)
    assert exports[1][1:3] == ("۱۴۰۰/۱۲/۲۰", "عمان")
    report = import_units(content, "back.xlsx", actor=manager, apply=True)
    assert report.ok, report.problems
    assert report.created == report.updated == 0
    assert ExportRecord.objects.count() == 1
    # The import takes a country by its Persian or English name as well as by its code.
    for written in ("عمان", "Oman", "om"):
        book = Workbook()
        book.active.title = UNITS_SHEET
        book.active.append([column.header_fa for column in UNIT_COLUMNS])
        sheet = book.create_sheet(EXPORTS_SHEET)
        sheet.append([column.header_fa for column in EXPORT_COLUMNS])
        sheet.append(["10380284790", "۱۴۰۱/۰۱/۲۰", written, "خرما", 100])
        buffer = io.BytesIO()
        book.save(buffer)
        assert import_units(buffer.getvalue(), "x.xlsx", actor=manager).ok, written
