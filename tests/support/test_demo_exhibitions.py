"""The demo's exhibitions and services tell the Yazd report's story (issue 13's acceptance):
more than 3,000 exhibition supports since records began, about 500 in 1400 and more than 140
in 1401-H1; more than 100 services in 1400 and more than 60 in 1401-H1. Every support and
service is for units in operation on its date."""

import json

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from shahrak.support.models import ExhibitionSupport, ServiceRecord
from shahrak.units.choices import IN_OPERATION
from shahrak.units.models import UnitStatusInterval
from tests.harness import demo_for_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks", "units", "support"})


def report(tmp_path, province, period):
    output = tmp_path / "report.json"
    call_command("report", "--province", province, "--period", period, "--format", "json",
                 "--output", str(output))  # fmt: skip
    return {key: item["value"] for key, item in
            json.loads(output.read_text(encoding="utf-8"))["metrics"].items()}  # fmt: skip


def test_yazd_figures_of_the_reports(demo, tmp_path):
    half = report(tmp_path, "yazd", "1401-H1")
    assert half["exhibitions.supports"] > 140
    assert half["exhibitions.supports_total"] > 3000
    assert half["services.count"] > 60
    year = report(tmp_path, "yazd", "1400")
    assert 450 <= year["exhibitions.supports"] <= 550
    assert year["services.count"] > 100
    # Service records alone, without the revival app's diagnoses and plans.
    assert (
        ServiceRecord.objects.filter(
            province__code="yazd", on__range=("2021-03-21", "2022-03-20")
        ).count()
        > 100
    )
    assert (
        ServiceRecord.objects.filter(
            province__code="yazd", on__range=("2022-03-21", "2022-09-22")
        ).count()
        > 60
    )


def test_bushehr_has_a_smaller_set(demo, tmp_path):
    year = report(tmp_path, "bushehr", "1400")
    assert 0 < year["exhibitions.supports"] < 100
    assert 0 < year["services.count"] < 100


def _operating(unit_path: str):
    return Exists(UnitStatusInterval.objects.filter(
        unit=OuterRef(unit_path), status__in=IN_OPERATION, valid_from__lte=OuterRef("on"),
        valid_to__gt=OuterRef("on"),
    ))  # fmt: skip


def test_every_unit_was_in_operation_on_the_date(demo):
    assert ExhibitionSupport.objects.filter(is_demo=True).count() > 3000
    assert not ExhibitionSupport.objects.filter(~_operating("unit")).exists()
    records = ServiceRecord.objects.filter(is_demo=True)
    assert records.exists()
    late = ServiceRecord.units.through.objects.filter(
        ~Exists(UnitStatusInterval.objects.filter(
            unit=OuterRef("unit"), status__in=IN_OPERATION,
            valid_from__lte=OuterRef("servicerecord__on"),
            valid_to__gt=OuterRef("servicerecord__on"),
        ))
    )  # fmt: skip
    assert not late.exists()


def test_a_second_load_changes_nothing(demo):
    import io
    import random

    from shahrak.core.demo_loader import DemoContext
    from shahrak.support.demo import exhibitions_and_services

    before = (ExhibitionSupport.objects.count(), ServiceRecord.objects.count())
    exhibitions_and_services(DemoContext("support", 1, random.Random(1), io.StringIO()))
    assert (ExhibitionSupport.objects.count(), ServiceRecord.objects.count()) == before


def test_press_sentences_speak_as_the_report(demo, tmp_path):
    """The year before and the half, each quantified from the figures the report gives."""
    import io

    from shahrak.core.text import to_fa_digits
    from shahrak.reports.press import quantify

    half = report(tmp_path, "yazd", "1401-H1")
    out = io.StringIO()
    call_command("press", "--province", "yazd", "--period", "1401-H1", stdout=out)
    text = out.getvalue()
    total = quantify(half["exhibitions.supports_total"], unit_word="مورد")
    before = quantify(half["exhibitions.supports_year_before"], unit_word="مورد")
    now = quantify(half["exhibitions.supports"], unit_word="مورد")
    assert (f"تا ۱۴۰۱/۰۶/۳۱، {total} حمایت از حضور واحدهای صنعتی استان یزد در نمایشگاه‌های "
            f"داخلی و خارجی انجام شده است که {before} در سال ۱۴۰۰ و {now} در شش ماهه نخست "
            "۱۴۰۱ بوده است.") in text  # fmt: skip
    services = quantify(half["services.count"], unit_word="خدمت")
    last_year = quantify(half["services.count_year_before"], unit_word="خدمت")
    assert f"{last_year} در سال ۱۴۰۰ و {services} در شش ماهه نخست ۱۴۰۱" in text
    assert to_fa_digits(1400) in text


def test_a_fair_is_held_once_a_year_and_its_units_are_of_its_sectors(demo):
    from collections import Counter

    from shahrak.support.demo import DOMESTIC_FAIRS, FOREIGN_FAIRS
    from shahrak.support.models import Exhibition

    fairs = Exhibition.objects.filter(is_demo=True)
    held = Counter(fairs.values_list("province", "name", "city"))
    assert held and max(held.values()) == 1  # a name carries its year: once a year
    takes = {(f[0], f[1]): f[-1] for f in DOMESTIC_FAIRS + FOREIGN_FAIRS}
    supports = ExhibitionSupport.objects.filter(is_demo=True).values_list(
        "exhibition__name", "exhibition__city", "unit__sector"
    )
    themed = [(name.rsplit(" ", 1)[0], city, sector) for name, city, sector in supports
              if takes[(name.rsplit(" ", 1)[0], city)] is not None]  # fmt: skip
    assert themed
    matching = sum(sector in takes[(name, city)] for name, city, sector in themed)
    # Any unit only where none of the fair's sectors was in operation that day.
    assert matching >= 0.95 * len(themed), (matching, len(themed))
