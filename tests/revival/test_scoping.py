"""Who reaches which revival records: unit representatives their own units' cases (to read)
and reports (to read and file), the provincial staff their province's, headquarters all."""

import pytest

from shahrak.accounts.choices import Action
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.revival import services
from shahrak.revival.models import (
    Diagnosis,
    MonthlyReport,
    PlanAction,
    ProvinceRevivalSettings,
    RevivalCase,
)
from shahrak.units.models import Unit
from tests.harness import SAMPLES

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people):
    """Per province: the sample unit (represented by its province's unit representative)
    and another unit; each with a planned case and a filed report."""
    found = {}
    for code in ("bushehr", "yazd"):
        expert = people[f"{code}-expert"]
        own = SAMPLES[Unit](code)
        unit_services_operate(expert, own)
        other = UnitFactory(actor=expert, province=code)
        for unit in (own, other):
            case = services.case_open(actor=expert, unit=unit, opened_on=jd("1400/03/01"),
                                      identified_by="clinic_visit", reasons=["market"])  # fmt: skip
            services.case_diagnose(actor=expert, case=case, on=jd("1400/04/01"),
                                   diagnosed_by=expert,
                                   findings=[{"area": "market", "severity": "high",
                                              "text": "بازار"}])  # fmt: skip
            services.case_plan(actor=expert, case=case, on=jd("1400/05/01"),
                               actions=[{"title": "نمایشگاه", "owner_kind": "company",
                                         "due_on": jd("1400/06/01")}])  # fmt: skip
            services.monthly_report_file(actor=expert, unit=unit, year=1400, month=1,
                                         production_volume=5, employees=3)  # fmt: skip
        found[code] = {"own": own, "other": other}
    return found


def unit_services_operate(expert, unit):
    from shahrak.units import services as unit_services

    unit_services.unit_change_status(actor=expert, unit=unit, status="operational",
                                     on=jd("1398/01/01"))  # fmt: skip


UNIT_PATH = {RevivalCase: "unit", Diagnosis: "case__unit", PlanAction: "plan__case__unit",
             MonthlyReport: "unit"}  # fmt: skip


def reached(user, model, action):
    path = UNIT_PATH[model]
    return set(model.objects.restrict(user, action).values_list(f"{path}__name", flat=True))


def names(world, *keys):
    return {world[code][which].name for code, which in keys}


@pytest.mark.parametrize("model", [RevivalCase, Diagnosis, PlanAction, MonthlyReport])
def test_who_sees_which_records(people, world, model):
    every = names(world, *[(c, w) for c in ("bushehr", "yazd") for w in ("own", "other")])
    yazd = names(world, ("yazd", "own"), ("yazd", "other"))
    assert reached(people["yazd-unit"], model, Action.VIEW) == names(world, ("yazd", "own"))
    assert reached(people["bushehr-unit"], model, Action.VIEW) == names(world, ("bushehr", "own"))
    assert reached(people["yazd-expert"], model, Action.VIEW) == yazd
    assert reached(people["yazd-manager"], model, Action.CHANGE) == yazd
    assert reached(people["hq"], model, Action.VIEW) == every
    assert reached(people["hq"], model, Action.CHANGE) == set()
    assert reached(people["auditor"], model, Action.VIEW) == every
    assert reached(people["yazd-agent"], model, Action.VIEW) == set()
    assert reached(people["nobody"], model, Action.VIEW) == set()


@pytest.mark.parametrize("model", [RevivalCase, Diagnosis, PlanAction])
def test_representatives_read_their_cases_but_do_not_change_them(people, world, model):
    assert reached(people["yazd-unit"], model, Action.CHANGE) == set()


def test_representatives_file_their_own_reports(people, world):
    assert reached(people["yazd-unit"], MonthlyReport, Action.CHANGE) == names(
        world, ("yazd", "own")
    )


def test_settings_are_the_managers(people, world):
    from shahrak.places.models import Province

    for code in ("bushehr", "yazd"):
        ProvinceRevivalSettings.objects.create(province=Province.objects.get(code=code))
    changes = ProvinceRevivalSettings.objects.restrict
    assert {s.province.code for s in changes(people["yazd-manager"], Action.CHANGE)} == {"yazd"}
    assert not changes(people["yazd-expert"], Action.CHANGE).exists()
    assert {s.province.code for s in changes(people["yazd-expert"], Action.VIEW)} == {"yazd"}
