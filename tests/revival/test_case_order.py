"""The order of a case's steps, as a property: for any sequence of steps, the services accept
exactly those a small model of the rules (written here, from the issue) accepts, and the
unit's timeline always agrees with the case."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shahrak.core.errors import DomainError
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.places.models import Province
from shahrak.revival import services
from shahrak.revival.models import ProvinceRevivalSettings

from .factories import UnitFactory

STEPS = ("diagnose", "plan", "restart", "close", "visit")
FINDING = {"area": "finance", "severity": "low", "text": "x"}


def expected(stage: str, step: str, diagnosis_required: bool) -> str | None:
    """The stage after `step`, or None if the step must be refused."""
    if stage == "closed":
        return None
    if stage == "restarted":
        return "restarted" if step == "visit" else None
    if step == "visit":
        return stage
    if step == "diagnose":
        return "diagnosed" if stage in ("identified", "diagnosed") else None
    if step == "plan":
        if stage == "diagnosed" or (stage == "identified" and not diagnosis_required):
            return "planned"
        return None
    if step == "restart":
        return None if stage == "identified" and diagnosis_required else "restarted"
    return "closed"  # close, from any open stage


UNIT_STATUS = {"identified": "idle", "diagnosed": "idle", "planned": "idle",
               "restarted": "restarted", "closed": "closed"}  # fmt: skip


def run(step, *, expert, case, on):
    if step == "diagnose":
        services.case_diagnose(
            actor=expert, case=case, on=on, diagnosed_by=expert, findings=[FINDING]
        )
    elif step == "plan":
        action = {"title": "x", "owner_kind": "unit", "due_on": on}
        services.case_plan(actor=expert, case=case, on=on, actions=[action])
    elif step == "restart":
        services.case_restart(actor=expert, case=case, on=on)
    elif step == "close":
        services.case_close(actor=expert, case=case, on=on)
    else:
        services.followup_visit_add(actor=expert, case=case, on=on, findings="x")


@pytest.mark.django_db
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(st.sampled_from(STEPS), min_size=1, max_size=6), diagnosis_required=st.booleans()
)
def test_services_follow_the_order_of_the_work(people, steps, diagnosis_required):
    expert = people["yazd-expert"]
    ProvinceRevivalSettings.objects.update_or_create(
        province=Province.objects.get(code="yazd"),
        defaults={"diagnosis_before_restart": diagnosis_required},
    )
    unit = UnitFactory(actor=expert)
    opened = jd("1400/01/15")
    case = services.case_open(actor=expert, unit=unit, opened_on=opened,
                              identified_by="utility_data", reasons=["raw_materials"])  # fmt: skip
    stage = "identified"
    for number, step in enumerate(steps, start=1):
        after = expected(stage, step, diagnosis_required)
        on = opened + dt.timedelta(days=10 * number)
        if after is None:
            with pytest.raises(DomainError):
                run(step, expert=expert, case=case, on=on)
        else:
            run(step, expert=expert, case=case, on=on)
            stage = after
        case.refresh_from_db()
        unit.refresh_from_db()
        assert case.stage == stage, (steps, step)
        assert unit.status == UNIT_STATUS[stage], (steps, step)
