"""The revival case's rules: the order of its steps, one open case per unit, the unit's
timeline changed with the case in one transaction, and nothing partly saved on a refusal."""

import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction

from shahrak.accounts.models import AuditEntry
from shahrak.core.errors import DomainError, NotAllowed
from shahrak.core.jalali import JalaliPeriod
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.core.metrics import Scope
from shahrak.places.models import Province
from shahrak.revival import services
from shahrak.revival.models import (
    CaseReason,
    Diagnosis,
    Finding,
    FollowUpVisit,
    ImprovementPlan,
    PlanAction,
    ProvinceRevivalSettings,
    RevivalCase,
)
from shahrak.revival.selectors import case_chain, case_timeline, overdue_actions
from shahrak.units import services as unit_services
from shahrak.units.metrics import METRICS
from shahrak.units.models import UnitStatusEvent, UnitStatusInterval

from .factories import UnitFactory

pytestmark = pytest.mark.django_db
PERSIAN = re.compile(r"[\u0600-\u06FF]")
FINDINGS = [
    {"area": "finance", "severity": "high", "text": "بدهی بانکی سررسید گذشته"},
    {"area": "market", "severity": "medium", "text": "از دست رفتن خریدار اصلی"},
]
ACTIONS = [
    {"title": "استمهال بدهی", "owner_kind": "bank", "owner_name": "بانک صنعت و معدن",
     "due_on": jd("1400/09/01"), "cost_rial": 0, "paid_by": ""},
    {"title": "بازاریابی در نمایشگاه", "owner_kind": "company", "due_on": jd("1400/08/01"),
     "cost_rial": 1_500_000_000, "paid_by": "برنامهٔ توسعهٔ بازار"},
]  # fmt: skip


@pytest.fixture
def expert(people):
    return people["yazd-expert"]


@pytest.fixture
def unit(expert):
    return UnitFactory(actor=expert)


def open_case(expert, unit, on="1400/03/01", **extra):
    fields = {"identified_by": "field_survey", "reasons": ["working_capital", "market"]}
    return services.case_open(actor=expert, unit=unit, opened_on=jd(on), **{**fields, **extra})


def diagnose(expert, case, on="1400/04/01"):
    return services.case_diagnose(actor=expert, case=case, on=jd(on), diagnosed_by=expert,
                                  findings=FINDINGS)  # fmt: skip


def plan(expert, case, on="1400/05/01"):
    return services.case_plan(actor=expert, case=case, on=jd(on), actions=ACTIONS)


def snapshot():
    """Everything a revival step may write: nothing of it may change on a refusal."""
    models = (RevivalCase, CaseReason, Diagnosis, Finding, ImprovementPlan, PlanAction,
              FollowUpVisit, UnitStatusEvent, UnitStatusInterval, AuditEntry)  # fmt: skip
    return {
        model.__name__: sorted(model._base_manager.values_list(*_fields(model))) for model in models
    }


def _fields(model):
    return [f.attname for f in model._meta.concrete_fields if f.attname != "updated_at"]


def refused(code, call, **kwargs):
    """The step is refused with `code`, a Persian message, and leaves everything as it was."""
    before = snapshot()
    with pytest.raises(DomainError) as error:
        call(**kwargs)
    assert error.value.code == code, error.value.message
    assert PERSIAN.search(str(error.value.message)), error.value.message
    assert snapshot() == before
    return error.value


def statuses(unit):
    return [(e.status, e.on) for e in unit.events.order_by("on", "pk")]


# --- opening --------------------------------------------------------------------------------
def test_opening_a_case_for_an_operating_unit_records_its_idle_event(expert, unit):
    case = open_case(expert, unit, jobs_at_stake=20)
    assert statuses(unit) == [("operational", jd("1399/01/10")), ("idle", jd("1400/03/01"))]
    unit.refresh_from_db()
    assert (unit.status, unit.status_since) == ("idle", jd("1400/03/01"))
    event = unit.events.get(status="idle")
    assert case.idle_event == event and event.reason == "working_capital"
    assert sorted(case.reasons.values_list("reason", flat=True)) == ["market", "working_capital"]
    assert (case.stage, case.jobs_at_stake, case.previous_case) == ("identified", 20, None)


def test_an_idle_unit_gets_a_case_without_a_second_event(expert, unit):
    unit_services.unit_change_status(actor=expert, unit=unit, status="idle",
                                     on=jd("1399/11/01"), reason="raw_materials")  # fmt: skip
    case = open_case(expert, unit, on="1400/02/15")
    assert statuses(unit) == [("operational", jd("1399/01/10")), ("idle", jd("1399/11/01"))]
    assert case.idle_event == unit.events.get(status="idle")
    assert case.jobs_at_stake == unit.employees  # by default, the unit's employees


def test_identification_is_not_before_the_unit_became_idle(expert, unit):
    unit_services.unit_change_status(actor=expert, unit=unit, status="idle",
                                     on=jd("1400/05/01"), reason="market")  # fmt: skip
    refused("identified_before_idle", open_case, expert=expert, unit=unit, on="1400/04/01")


def test_one_open_case_per_unit(expert, unit):
    first = open_case(expert, unit)
    refused("case_already_open", open_case, expert=expert, unit=unit, on="1400/06/01")
    # The database holds the rule too, whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        RevivalCase.objects.create(unit=unit, opened_on=jd("1400/07/01"),
                                   identified_by="unit_itself")  # fmt: skip
    assert list(RevivalCase.objects.filter(unit=unit)) == [first]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"reasons": []}, "idle_reason_required"),
        ({"reasons": ["no_such_reason"]}, "unknown_reason"),
        ({"identified_by": "rumour"}, "identified_by"),
        ({"on": "1410/01/01"}, "future_date"),
    ],
)
def test_a_case_needs_its_facts(expert, unit, kwargs, code):
    refused(code, open_case, expert=expert, unit=unit, **kwargs)


def test_units_not_in_operation_or_closed_get_no_case(expert):
    building = UnitFactory(actor=expert, operating_since=None)
    refused("unit_not_in_operation", open_case, expert=expert, unit=building)
    closed = UnitFactory(actor=expert)
    unit_services.unit_change_status(actor=expert, unit=closed, status="closed",
                                     on=jd("1399/06/01"))  # fmt: skip
    refused("unit_closed", open_case, expert=expert, unit=closed)


def test_an_idle_event_the_timeline_refuses_leaves_no_case(expert, unit):
    """The units service refuses an idle event dated before the unit's latest event: the
    case is not saved either (one transaction)."""
    unit_services.unit_change_status(actor=expert, unit=unit, status="idle", on=jd("1400/01/01"),
                                     reason="market")  # fmt: skip
    unit_services.unit_change_status(actor=expert, unit=unit, status="restarted",
                                     on=jd("1400/06/01"))  # fmt: skip
    before = snapshot()
    with pytest.raises(DomainError):
        open_case(expert, unit, on="1400/03/01")
    assert snapshot() == before


def test_only_the_provinces_staff_open_cases(people, unit):
    for username in ("bushehr-expert", "yazd-unit", "hq", "auditor", "yazd-agent"):
        refused("not_allowed", open_case, expert=people[username], unit=unit)


# --- the order of the steps -----------------------------------------------------------------
def test_the_whole_path_and_its_timeline(expert, unit):
    case = open_case(expert, unit)
    diagnosis = diagnose(expert, case)
    assert {(f.area, f.severity) for f in diagnosis.findings.all()} == {
        ("finance", "high"),
        ("market", "medium"),
    }
    the_plan = plan(expert, case)
    assert the_plan.actions.count() == 2
    action = the_plan.actions.get(owner_kind="company")
    services.plan_action_progress(actor=expert, action=action, progress_pct=100,
                                  on=jd("1400/07/20"))  # fmt: skip
    services.followup_visit_add(actor=expert, case=case, on=jd("1400/08/01"),
                                findings="خط تولید آمادهٔ راه‌اندازی است")  # fmt: skip
    case = services.case_restart(actor=expert, case=case, on=jd("1400/09/15"))
    assert (case.stage, case.restarted_on, case.jobs_restored) == (
        "restarted",
        jd("1400/09/15"),
        case.jobs_at_stake,
    )
    assert case.outcome_event.status == "restarted" and case.outcome_event.on == jd("1400/09/15")
    steps = [(step.kind, step.on) for step in case_timeline(case)]
    assert steps == [
        ("identified", jd("1400/03/01")),
        ("diagnosed", jd("1400/04/01")),
        ("planned", jd("1400/05/01")),
        ("action_done", jd("1400/07/20")),
        ("visit", jd("1400/08/01")),
        ("restarted", jd("1400/09/15")),
    ]


def test_every_step_is_in_the_cases_history(expert, unit):
    case = open_case(expert, unit)
    diagnose(expert, case)
    plan(expert, case)
    services.case_restart(actor=expert, case=case, on=jd("1400/06/01"))
    stages = [
        entry.changes_dict.get("stage", [None, None])[1]
        for entry in AuditEntry.objects.get_for_object(case).order_by("timestamp", "pk")
    ]
    assert [s for s in stages if s] == ["identified", "diagnosed", "planned", "restarted"]
    for model in (Diagnosis, Finding, ImprovementPlan, PlanAction, CaseReason):
        record = model._base_manager.first()
        assert AuditEntry.objects.get_for_object(record).exists(), model.__name__


def test_restart_before_diagnosis_is_refused_where_the_province_requires_one(expert, unit):
    case = open_case(expert, unit)
    refused("restart_needs_diagnosis", services.case_restart, actor=expert, case=case,
            on=jd("1400/06/01"))  # fmt: skip
    refused("plan_needs_diagnosis", plan, expert=expert, case=case)
    assert statuses(unit)[-1] == ("idle", jd("1400/03/01"))


def test_a_province_may_allow_a_restart_without_diagnosis(people, expert, unit):
    services.revival_settings_update(actor=people["yazd-manager"],
                                     province=Province.objects.get(code="yazd"),
                                     diagnosis_before_restart=False)  # fmt: skip
    case = open_case(expert, unit)
    services.case_restart(actor=expert, case=case, on=jd("1400/06/01"))
    assert statuses(unit)[-1] == ("restarted", jd("1400/06/01"))


def test_only_the_manager_changes_the_settings(people):
    yazd = Province.objects.get(code="yazd")
    for username in ("yazd-expert", "bushehr-manager", "yazd-unit"):
        with pytest.raises(NotAllowed):
            services.revival_settings_update(actor=people[username], province=yazd,
                                             diagnosis_before_restart=False)  # fmt: skip
    assert not ProvinceRevivalSettings.objects.exists()
    assert ProvinceRevivalSettings.for_province(yazd.pk).diagnosis_before_restart


@pytest.mark.parametrize(
    ("plan_on", "code"),
    [("1400/02/20", "date_before_identification"), ("1400/03/20", "plan_before_diagnosis")],
)
def test_a_plan_is_not_dated_before_identification_or_diagnosis(expert, unit, plan_on, code):
    case = open_case(expert, unit)
    diagnose(expert, case, on="1400/04/01")
    error = refused(code, plan, expert=expert, case=case, on=plan_on)
    assert "۱۴۰۰/۰۳/۰۱" in str(error.message) or "۱۴۰۰/۰۴/۰۱" in str(error.message)


def test_a_plans_actions_are_checked_all_before_any_is_saved(expert, unit):
    case = open_case(expert, unit)
    diagnose(expert, case)
    bad = [*ACTIONS, {**ACTIONS[0], "due_on": jd("1400/04/20")}]  # due before the plan
    refused("action_due_before_plan", services.case_plan, actor=expert, case=case,
            on=jd("1400/05/01"), actions=bad)  # fmt: skip
    refused("actions_required", services.case_plan, actor=expert, case=case,
            on=jd("1400/05/01"), actions=[])  # fmt: skip


def test_steps_out_of_order_are_refused(expert, unit):
    case = open_case(expert, unit)
    diagnose(expert, case)
    plan(expert, case)
    refused("case_already_planned", plan, expert=expert, case=case, on="1400/06/01")
    refused("diagnosis_after_plan", diagnose, expert=expert, case=case, on="1400/06/01")
    refused("outcome_before_last_step", services.case_restart, actor=expert, case=case,
            on=jd("1400/04/15"))  # fmt: skip
    services.case_close(actor=expert, case=case, on=jd("1400/10/01"))
    refused("case_already_closed", services.case_close, actor=expert, case=case,
            on=jd("1400/11/01"))  # fmt: skip
    refused("case_already_closed", services.case_restart, actor=expert, case=case,
            on=jd("1400/11/01"))  # fmt: skip
    refused("case_already_closed", diagnose, expert=expert, case=case, on="1400/11/01")
    assert statuses(unit)[-1] == ("closed", jd("1400/10/01"))


def test_a_restarted_case_is_final(expert, unit):
    case = open_case(expert, unit)
    diagnose(expert, case)
    services.case_restart(actor=expert, case=case, on=jd("1400/06/01"))
    refused("case_already_restarted", services.case_restart, actor=expert, case=case,
            on=jd("1400/07/01"))  # fmt: skip
    refused("case_already_restarted", services.case_close, actor=expert, case=case,
            on=jd("1400/07/01"))  # fmt: skip


def test_a_restart_the_timeline_refuses_leaves_the_case_open(expert, unit):
    """The unit was restarted on its own timeline, outside the case: the case's restart is
    refused by the units service and nothing of it is saved."""
    case = open_case(expert, unit)
    diagnose(expert, case)
    unit_services.unit_change_status(actor=expert, unit=unit, status="restarted",
                                     on=jd("1400/05/01"))  # fmt: skip
    before = snapshot()
    with pytest.raises(DomainError):
        services.case_restart(actor=expert, case=case, on=jd("1400/06/01"))
    assert snapshot() == before
    case.refresh_from_db()
    assert case.stage == "diagnosed"


def test_a_diagnosis_is_made_by_the_provinces_expert_or_manager(people, expert, unit):
    case = open_case(expert, unit)
    for username in ("bushehr-expert", "yazd-unit", "hq"):
        refused("not_a_diagnoser", services.case_diagnose, actor=expert, case=case,
                on=jd("1400/04/01"), diagnosed_by=people[username], findings=FINDINGS)  # fmt: skip
    refused("area_twice", services.case_diagnose, actor=expert, case=case, on=jd("1400/04/01"),
            diagnosed_by=expert, findings=[FINDINGS[0], FINDINGS[0]])  # fmt: skip
    refused("date_before_identification", diagnose, expert=expert, case=case, on="1400/02/01")
    services.case_diagnose(actor=expert, case=case, on=jd("1400/04/01"),
                           diagnosed_by=people["yazd-manager"], findings=FINDINGS)  # fmt: skip


# --- a restart in the figures ---------------------------------------------------------------
def metric(key):
    return next(m for m in METRICS if m.key == key)


def test_a_restart_on_a_case_puts_the_unit_back_in_operation_that_day(people, expert):
    hq = people["hq"]
    yazd = Scope(province=Province.objects.get(code="yazd").pk)
    others = [UnitFactory(actor=expert) for _ in range(3)]  # in operation throughout
    unit = UnitFactory(actor=expert)
    case = open_case(expert, unit)
    diagnose(expert, case)
    day = jd("1400/09/15")
    before, on_the_day = (JalaliPeriod.parse(f"{d}..{d}") for d in ("1400-09-14", "1400-09-15"))
    operational = metric("units.operational")
    assert operational.values(hq, yazd, [before, on_the_day]) == [len(others)] * 2
    services.case_restart(actor=expert, case=case, on=day)
    assert operational.values(hq, yazd, [before, on_the_day]) == [len(others), len(others) + 1]
    assert metric("units.restarted").value(hq, yazd, on_the_day) == 1
    assert metric("units.restarted").value(hq, yazd, before) == 0


# --- a unit idle again ----------------------------------------------------------------------
def test_a_unit_idle_again_gets_a_new_case_linked_to_the_old(expert, unit):
    first = open_case(expert, unit)
    diagnose(expert, first)
    services.case_restart(actor=expert, case=first, on=jd("1400/06/01"))
    second = open_case(expert, unit, on="1401/02/01", identified_by="early_warning")
    assert second.previous_case == first
    assert [s for s, _ in statuses(unit)] == ["operational", "idle", "restarted", "idle"]
    assert case_chain(first) == [first, second] == case_chain(second)


# --- actions --------------------------------------------------------------------------------
def test_action_progress_moves_forward_and_is_done_at_100(expert, unit):
    case = open_case(expert, unit)
    diagnose(expert, case)
    action = plan(expert, case).actions.get(owner_kind="bank")
    services.plan_action_progress(actor=expert, action=action, progress_pct=40,
                                  on=jd("1400/06/01"))  # fmt: skip
    refused("progress_backwards", services.plan_action_progress, actor=expert, action=action,
            progress_pct=30, on=jd("1400/06/02"))  # fmt: skip
    refused("progress_out_of_range", services.plan_action_progress, actor=expert,
            action=action, progress_pct=101, on=jd("1400/06/02"))  # fmt: skip
    refused("date_before_plan", services.plan_action_progress, actor=expert, action=action,
            progress_pct=50, on=jd("1400/04/02"))  # fmt: skip
    # Due 1400/09/01 and not done: overdue the day after, not on the day.
    assert list(overdue_actions(today=jd("1400/09/01"))) == [
        a for a in PlanAction.objects.filter(due_on__lt=jd("1400/09/01"))
    ]
    assert action in overdue_actions(today=jd("1400/09/02"))
    action = services.plan_action_progress(actor=expert, action=action, progress_pct=100,
                                           on=jd("1400/08/01"))  # fmt: skip
    assert action.done_on == jd("1400/08/01")
    assert action not in overdue_actions(today=jd("1400/09/02"))
    refused("action_done", services.plan_action_progress, actor=expert, action=action,
            progress_pct=100, on=jd("1400/08/02"))  # fmt: skip


def test_dates_of_steps_are_not_in_the_future(expert, unit):
    case = open_case(expert, unit)
    future = dt.date.today() + dt.timedelta(days=3)
    refused("future_date", services.case_diagnose, actor=expert, case=case, on=future,
            diagnosed_by=expert, findings=FINDINGS)  # fmt: skip


def test_a_restart_saved_over_someone_elses_change_leaves_no_event(expert, unit):
    """The case is saved after the unit's event: when the save is refused (someone else
    changed the case meanwhile), the event is rolled back with it."""
    case = open_case(expert, unit)
    diagnose(expert, case)
    case.refresh_from_db()
    stale = case.version - 1
    before = snapshot()
    with pytest.raises(DomainError) as error:
        services.case_restart(actor=expert, case=case, on=jd("1400/06/01"),
                              expected_version=stale)  # fmt: skip
    assert error.value.code == "stale_edit"
    assert snapshot() == before
    assert statuses(unit)[-1] == ("idle", jd("1400/03/01"))


def test_a_restart_already_on_the_timeline_is_taken_for_the_case(expert, unit):
    """The unit's restart was recorded on its page while the case was open: the case's
    restart on that date stands on that event, without a second one."""
    case = open_case(expert, unit)
    diagnose(expert, case)
    event = unit_services.unit_change_status(actor=expert, unit=unit, status="restarted",
                                             on=jd("1400/05/01"))  # fmt: skip
    case = services.case_restart(actor=expert, case=case, on=jd("1400/05/01"))
    assert case.outcome_event == event
    assert [s for s, _ in statuses(unit)] == ["operational", "idle", "restarted"]


def test_actions_are_added_to_a_plan_until_the_case_is_closed(expert, unit):
    case = open_case(expert, unit)
    diagnose(expert, case)
    the_plan = plan(expert, case)
    services.plan_action_add(actor=expert, plan=the_plan, title="تعمیر دیگ بخار",
                             owner_kind="unit", due_on=jd("1400/07/01"))  # fmt: skip
    assert the_plan.actions.count() == 3
    services.case_close(actor=expert, case=case, on=jd("1400/08/01"))
    refused("case_already_closed", services.plan_action_add, actor=expert, plan=the_plan,
            title="x", owner_kind="unit", due_on=jd("1400/09/01"))  # fmt: skip
    refused("case_already_closed", services.followup_visit_add, actor=expert, case=case,
            on=jd("1400/09/01"), findings="x")  # fmt: skip
