"""The exports' sums by month, county and destination (units/tally.py), kept by the
services, equal a sum made here on the export records themselves after any sequence of
exports added, imported, archived, restored and units moved; and the export figures read
from them equal the figures summed on the records, for every scope and period (whole
months, days at the edges, both)."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from shahrak.core.errors import DomainError
from shahrak.core.jalali import JalaliPeriod, to_gregorian, to_jalali
from shahrak.core.metrics import Scope
from shahrak.places.models import County, Province
from shahrak.units import metrics, services, tally
from shahrak.units.imports import import_units
from shahrak.units.models import ExportRecord, ExportTally
from shahrak.units.spreadsheet import EXPORT_COLUMNS, EXPORTS_SHEET, UNIT_COLUMNS, UNITS_SHEET
from tests.harness import sample_park
from tests.ids import legal_id

pytestmark = pytest.mark.django_db
# Days around the turn of the Jalali months 1400/11, 1400/12 and 1401/01 (Esfand 1400 has 29
# days), written out by hand.
DAYS = [(1400, 10, 30), (1400, 11, 1), (1400, 11, 17), (1400, 11, 30), (1400, 12, 1),
        (1400, 12, 29), (1401, 1, 1), (1401, 1, 2), (1401, 1, 31)]  # fmt: skip
VALUES = [Decimal("0"), Decimal("0.01"), Decimal("19.99"), Decimal("1000"),
          Decimal("123456.78")]  # fmt: skip
DESTINATIONS = ["AE", "IQ", "RU"]


def recounted() -> dict:
    """(year, month, county, destination) → (cents, records), from every record, anew."""
    found = {}
    for record in ExportRecord.objects.select_related("unit"):
        year, month, _day = to_jalali(record.on)
        key = (year, month, record.unit.county_id, record.destination)
        cents, count = found.get(key, (0, 0))
        found[key] = (cents + int(record.value_usd * 100), count + 1)
    return found


def kept() -> dict:
    rows = ExportTally.objects.all()
    assert all(row.usd_cents == 0 for row in rows if row.records == 0)
    return {
        (row.year, row.month, row.county_id, row.destination): (row.usd_cents, row.records)
        for row in rows
        if row.records
    }


def new_unit(actor, park, n=0):
    return services.unit_create(
        actor=actor, county=park.county, park=park, name=f"واحد {n}", isic_code="1393",
        products="زیلو", sector="textiles_zilou", national_id=legal_id(700 + n),
    )  # fmt: skip


def workbook(exports) -> bytes:
    """A workbook of exports only (national ID, Jalali date, country, product, USD)."""
    book = Workbook()
    book.active.title = UNITS_SHEET
    book.active.append([column.header_fa for column in UNIT_COLUMNS])
    sheet = book.create_sheet(EXPORTS_SHEET)
    sheet.append([column.header_fa for column in EXPORT_COLUMNS])
    for line in exports:
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def periods():
    """Whole years and months, stretches with edges inside months, a single day."""
    return [
        JalaliPeriod.parse("1400"), JalaliPeriod.parse("1401"), JalaliPeriod.parse("1400-12"),
        JalaliPeriod.parse("1400-11-01..1401-01-01"), JalaliPeriod.parse("1400-10-15..1401-01-01"),
        JalaliPeriod.parse("1400-11-02..1400-12-29"), JalaliPeriod.parse("1400-11-17..1400-11-17"),
        JalaliPeriod.parse("1300-01-01..1401-12-29"),
    ]  # fmt: skip


step = st.tuples(
    st.sampled_from(["add", "add", "import", "move", "archive", "restore"]),
    st.integers(0, 2),  # which unit
    st.integers(0, len(DAYS) - 1),  # which day
    st.integers(0, len(VALUES) - 1),  # what value
    st.integers(0, len(DESTINATIONS) - 1),  # where to (an export)
    st.integers(0, 3),  # where to (a move)
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(steps=st.lists(step, min_size=1, max_size=20))
def test_the_sums_kept_equal_a_sum_of_the_records(people, steps):
    admin, expert = people["admin"], people["yazd-expert"]
    with transaction.atomic():
        park = sample_park("yazd")
        units = [new_unit(expert, park, n) for n in range(3)]
        yazd_other = County.objects.filter(province__code="yazd").exclude(pk=park.county_id)[0]
        bushehr = sample_park("bushehr")
        places = [(park.county, park), (yazd_other, None), (bushehr.county, bushehr),
                  (bushehr.county, None)]  # fmt: skip
        for kind, which, day, value, destination, where in steps:
            unit = units[which]
            unit.refresh_from_db()
            on = to_gregorian(*DAYS[day])
            try:
                if kind == "add":
                    services.export_add(actor=admin, unit=unit, on=on, product="زیلو",
                                        destination=DESTINATIONS[destination],
                                        value_usd=VALUES[value])  # fmt: skip
                elif kind == "import":
                    year, month, d = DAYS[day]
                    report = import_units(
                        workbook([
                            [unit.national_id, f"{year}/{month:02}/{d:02}",
                             DESTINATIONS[destination], "زیلو", VALUES[value]],
                            [units[0].national_id, "1400/11/05", "AE", "پارچه", Decimal("7.5")],
                        ]), "exports.xlsx", actor=admin, apply=True,
                    )  # fmt: skip
                    assert report.applied, report.problems
                elif kind == "move":
                    county, place = places[where]
                    services.unit_update(actor=admin, unit=unit, county=county, park=place,
                                         expected_version=unit.version)  # fmt: skip
                elif kind in ("archive", "restore"):
                    record = ExportRecord.objects.filter(unit=unit).order_by("pk").first()
                    if record is not None:
                        getattr(record, kind)(actor=admin)
            except DomainError:
                pass  # refused: nothing written
        assert kept() == recounted()
        # The figures read from the sums are the figures summed on the records.
        yazd, bushehr_province = (Province.objects.get(code=c) for c in ("yazd", "bushehr"))
        scopes = [Scope(), Scope(province=yazd.pk, province_code="yazd"),
                  Scope(province=bushehr_province.pk, province_code="bushehr"),
                  Scope(province=yazd.pk, county=park.county_id),
                  Scope(province=yazd.pk, county=yazd_other.pk)]  # fmt: skip
        asked = periods()
        for user in (people["yazd-manager"], people["hq"], admin, people["bushehr-manager"]):
            provinces = tally.whole_provinces(user)
            assert provinces is not None
            for scope in scopes:
                records = metrics._exports(user, scope)
                assert metrics.tallied_export_grid(
                    user, scope, provinces, asked
                ) == metrics.export_grid(records, asked)
        # And the sums recounted from the records are the sums kept.
        tally.rebuild()
        assert kept() == recounted()
        transaction.set_rollback(True)


def test_the_figures_are_the_records_sums_to_the_cent(people):
    """Whole months from the sums, edge days from the records: every cent is there once."""
    manager = people["yazd-manager"]
    park = sample_park("yazd")
    unit = new_unit(manager, park)
    for day, value in [((1400, 11, 30), "0.10"), ((1400, 12, 1), "0.20"),
                       ((1400, 12, 29), "0.30"), ((1401, 1, 1), "0.40"),
                       ((1401, 1, 2), "1000000.05")]:  # fmt: skip
        services.export_add(actor=manager, unit=unit, on=to_gregorian(*day), destination="IQ",
                            product="زیلو", value_usd=Decimal(value))  # fmt: skip
    scope = Scope(province=park.county.province_id, province_code="yazd")
    figures = metrics._from_exports(metrics.exports_total)
    asked = [JalaliPeriod.parse("1400-12"), JalaliPeriod.parse("1400-11-30..1401-01-01"),
             JalaliPeriod.parse("1401-01-02..1401-01-02"), JalaliPeriod.parse("1400")]  # fmt: skip
    found = figures(manager, scope, asked)
    assert found == [Decimal("0.50"), Decimal("1.00"), Decimal("1000000.05"), Decimal("0.60")]
    # A unit's representative is summed on the records they see (here: none of them).
    assert tally.whole_provinces(people["yazd-unit"]) is None
    assert figures(people["yazd-unit"], scope, asked) == [Decimal(0)] * 4
    assert tally.whole_provinces(people["nobody"]) == frozenset()
    assert figures(people["nobody"], scope, asked) == [Decimal(0)] * 4


def test_a_value_is_kept_to_the_cent(people):
    manager = people["yazd-manager"]
    park = sample_park("yazd")
    unit = new_unit(manager, park)
    record = services.export_add(actor=manager, unit=unit, on=to_gregorian(1400, 10, 11),
                                 destination="IQ", product="زیلو", value_usd="10.005")  # fmt: skip
    record.refresh_from_db()
    assert record.value_usd == Decimal("10.01")
    assert kept() == recounted() == {(1400, 10, park.county_id, "IQ"): (1001, 1)}


def test_the_tally_command_recounts(people):
    manager = people["yazd-manager"]
    park = sample_park("yazd")
    unit = new_unit(manager, park)
    services.export_add(actor=manager, unit=unit, on=to_gregorian(1400, 12, 20),
                        destination="OM", product="زیلو", value_usd=Decimal("12.34"))  # fmt: skip
    ExportTally.objects.all().delete()  # as after a bulk load
    call_command("exports_tally", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert kept() == recounted() == {(1400, 12, park.county_id, "OM"): (1234, 1)}
