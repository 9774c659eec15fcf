"""Writes about idle-unit revival: a case from identification to its outcome, and the units'
monthly reports. Each function runs in one transaction and refuses with a DomainError whose
message the user reads; the unit's status timeline is changed only through the units
services (`unit_change_status`), inside the same transaction.

The order of a case: identified → (diagnosed) → (planned) → restarted | closed for good.
- `case_open`: one open case per unit; an operating unit gets its "idle" event dated at the
  identification; a unit already idle on its timeline gets the case and no second event; a
  unit that restarted through a case and went idle again gets a new case linked to the old.
- `case_diagnose`: while identified or diagnosed (more diagnoses may follow, not after the plan).
- `case_plan`: one plan per case, after a diagnosis (or straight from identification where
  the province does not require a diagnosis), dated not before identification or diagnosis.
- `case_restart` / `case_close`: from any open stage (a restart needs a diagnosis where the
  province requires one), dated not before the case's last step; the unit's "restarted" or
  "closed" event is recorded with the same date.
"""

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shahrak.accounts.access import require_access
from shahrak.accounts.choices import Action, Role
from shahrak.accounts.models import Membership
from shahrak.accounts.policy import access_for
from shahrak.accounts.scoping import OBJECT_SCOPES
from shahrak.core.errors import DomainError, NotAllowed
from shahrak.core.jalali import format_jalali, month_length, to_gregorian
from shahrak.core.models import save_versioned
from shahrak.core.text import normalize_fa
from shahrak.core.uploads import DOCUMENT_KINDS, DOCUMENT_MAX_BYTES, validate_upload
from shahrak.units import services as unit_services
from shahrak.units.choices import IdleReason, UnitStatus
from shahrak.units.models import Unit

from . import tally
from .choices import (
    OPEN_STAGES,
    ActionOwner,
    CaseStage,
    FindingArea,
    IdentifiedBy,
    ReportStatus,
    Severity,
)
from .models import (
    KEPT_BY_MANAGERS,
    KEPT_BY_STAFF,
    CaseReason,
    Diagnosis,
    DiagnosisAttachment,
    Finding,
    FollowUpVisit,
    ImprovementPlan,
    MonthlyReport,
    PlanAction,
    ProvinceRevivalSettings,
    RevivalCase,
    UtilityReading,
)

STAFF = KEPT_BY_STAFF[Action.CHANGE]
# Who may make a diagnosis: the province's experts and managers (consultants are named on it).
DIAGNOSERS = (Role.EXPERT, Role.MANAGER)


# --- shared checks ---------------------------------------------------------------------------
def _require_staff(actor, province_id: int) -> None:
    require_access(
        actor,
        Action.CHANGE,
        province_id,
        _("Revival cases are kept by the staff of the unit's province."),
        roles=STAFF,
    )


def _not_in_future(on: dt.date, field: str = "on") -> None:
    if on > timezone.localdate():
        raise DomainError(_("This date is in the future."), code="future_date", field=field)


def _not_before(on: dt.date, earliest: dt.date, message: str, code: str, field: str = "on"):
    if on < earliest:
        raise DomainError(message % {"date": format_jalali(earliest)}, code=code, field=field)


def _locked(case: RevivalCase) -> RevivalCase:
    """The case read again under a row lock: two people cannot move it at once."""
    return (
        RevivalCase.objects.select_for_update(of=("self",))
        .select_related("unit__county")
        .get(pk=case.pk)
    )


def _save(record, fields: list[str], expected_version: int | None) -> None:
    if expected_version is None:
        record.version += 1
        record.save(update_fields=[*fields, "version", "updated_at"])
    else:
        save_versioned(record, expected_version=expected_version, update_fields=fields)


def _refuse_finished(case: RevivalCase) -> None:
    if case.stage == CaseStage.RESTARTED:
        raise DomainError(
            _("This case ended with the unit's restart on %(date)s; nothing more can change it.")
            % {"date": format_jalali(case.restarted_on)},
            code="case_already_restarted",
        )
    if case.stage == CaseStage.CLOSED:
        raise DomainError(
            _("This case is already closed (%(date)s).") % {"date": format_jalali(case.closed_on)},
            code="case_already_closed",
        )


def _last_step_on(case: RevivalCase) -> dt.date:
    """The date of the case's latest step so far (identification, diagnoses, plan)."""
    diagnoses = case.diagnoses.filter(archived_at__isnull=True)
    dates = [case.opened_on, *diagnoses.values_list("on", flat=True)]
    plan = ImprovementPlan.objects.filter(case=case).first()
    if plan is not None:
        dates.append(plan.on)
    return max(dates)


def _text(value: str) -> str:
    return normalize_fa(value or "").strip()


# --- a case -----------------------------------------------------------------------------------
@transaction.atomic
def case_open(
    *,
    actor,
    unit: Unit,
    opened_on: dt.date,
    identified_by: str,
    reasons: list[str],
    jobs_at_stake: int | None = None,
    assigned_to=None,
    note: str = "",
) -> RevivalCase:
    """Open the revival case of a unit identified as idle on `opened_on`."""
    _require_staff(actor, unit.county.province_id)
    unit = Unit.objects.select_for_update(of=("self",)).select_related("county").get(pk=unit.pk)
    if identified_by not in IdentifiedBy.values:
        raise DomainError(
            _("Say how the unit was identified."), code="identified_by", field="identified_by"
        )
    reasons = list(dict.fromkeys(reasons or []))
    if not reasons:
        raise DomainError(
            _("Give at least one reason the unit became idle."),
            code="idle_reason_required",
            field="reasons",
        )
    if any(reason not in IdleReason.values for reason in reasons):
        raise DomainError(
            _("Choose the reasons from the list of idle reasons."),
            code="unknown_reason",
            field="reasons",
        )
    if jobs_at_stake is not None and jobs_at_stake < 0:
        raise DomainError(
            _("Jobs at stake cannot be negative."), code="negative_jobs", field="jobs_at_stake"
        )
    _not_in_future(opened_on, "opened_on")
    already = unit.revival_cases.filter(stage__in=OPEN_STAGES, archived_at__isnull=True).first()
    if already is not None:
        raise DomainError(
            _("This unit already has an open revival case, identified on %(date)s.")
            % {"date": format_jalali(already.opened_on)},
            code="case_already_open",
            field="unit",
        )
    last = unit.events.order_by("-on", "-pk").first()
    if last is None or last.status == UnitStatus.UNDER_CONSTRUCTION:
        raise DomainError(
            _("Only a unit that has been in operation can have a revival case."),
            code="unit_not_in_operation",
            field="unit",
        )
    if last.status == UnitStatus.CLOSED:
        raise DomainError(
            _("This unit is closed for good (since %(date)s).") % {"date": format_jalali(last.on)},
            code="unit_closed",
            field="unit",
        )
    if last.status == UnitStatus.IDLE:
        # Already idle on its timeline: the case stands on that event, without a second one.
        _not_before(
            opened_on,
            last.on,
            _("The unit became idle on %(date)s: it cannot have been identified before that."),
            "identified_before_idle",
            "opened_on",
        )
        idle_event = last
    else:
        idle_event = unit_services.unit_change_status(
            actor=actor,
            unit=unit,
            status=UnitStatus.IDLE,
            on=opened_on,
            reason=reasons[0],
            note=_("Identified as idle (revival case)"),
        )
    previous = (
        unit.revival_cases.filter(
            stage=CaseStage.RESTARTED, archived_at__isnull=True, next_case__isnull=True
        )
        .order_by("-restarted_on", "-pk")
        .first()
    )
    case = RevivalCase.objects.create(
        unit=unit,
        opened_on=opened_on,
        identified_by=identified_by,
        jobs_at_stake=unit.employees if jobs_at_stake is None else jobs_at_stake,
        assigned_to=assigned_to,
        previous_case=previous,
        idle_event=idle_event,
        note=_text(note),
    )
    for reason in reasons:
        CaseReason.objects.create(case=case, reason=reason)
    return case


def _check_diagnoser(user, province_id: int) -> None:
    holds = Membership.objects.filter(
        user=user,
        user__is_active=True,
        role__in=DIAGNOSERS,
        province_id=province_id,
        archived_at__isnull=True,
    )
    if user is None or not holds.exists():
        raise DomainError(
            _("A diagnosis is made by an expert or manager of the unit's province."),
            code="not_a_diagnoser",
            field="diagnosed_by",
        )


@transaction.atomic
def case_diagnose(
    *,
    actor,
    case: RevivalCase,
    on: dt.date,
    diagnosed_by,
    findings: list[dict],
    summary: str = "",
    expected_version: int | None = None,
) -> Diagnosis:
    """Record a diagnosis: findings by area (finance, production, market, management,
    technology), each with its severity."""
    _require_staff(actor, case.unit.county.province_id)
    case = _locked(case)
    _refuse_finished(case)
    if case.stage == CaseStage.PLANNED:
        raise DomainError(
            _("This case already has its improvement plan: a diagnosis comes before the plan."),
            code="diagnosis_after_plan",
        )
    _not_before(
        on,
        case.opened_on,
        _("A diagnosis cannot be dated before the unit was identified as idle (%(date)s)."),
        "date_before_identification",
    )
    _not_in_future(on)
    _check_diagnoser(diagnosed_by, case.unit.county.province_id)
    if not findings:
        raise DomainError(
            _("Record the findings of at least one area."),
            code="findings_required",
            field="findings",
        )
    areas = [finding.get("area") for finding in findings]
    if len(set(areas)) != len(areas):
        raise DomainError(
            _("Each area has one finding in a diagnosis."), code="area_twice", field="findings"
        )
    for finding in findings:
        if finding.get("area") not in FindingArea.values:
            raise DomainError(_("Choose the area of each finding."), code="area", field="findings")
        if finding.get("severity") not in Severity.values:
            raise DomainError(
                _("Choose the severity of each finding."), code="severity", field="findings"
            )
        if not _text(finding.get("text", "")):
            raise DomainError(
                _("Describe what was found in each area."), code="finding_text", field="findings"
            )
    diagnosis = Diagnosis.objects.create(
        case=case, on=on, diagnosed_by=diagnosed_by, summary=_text(summary)
    )
    for finding in findings:
        Finding.objects.create(
            diagnosis=diagnosis,
            area=finding["area"],
            severity=finding["severity"],
            text=_text(finding["text"]),
        )
    case.stage = CaseStage.DIAGNOSED
    _save(case, ["stage"], expected_version)
    return diagnosis


@transaction.atomic
def diagnosis_attachment_add(
    *, actor, diagnosis: Diagnosis, upload, title: str = ""
) -> DiagnosisAttachment:
    """Attach a file to a diagnosis (a PDF or a PNG/JPEG image, checked by its content and
    size, as an application's documents are), while the case is not closed."""
    case = diagnosis.case
    _require_staff(actor, case.unit.county.province_id)
    _refuse_closed(_locked(case))
    if diagnosis.archived_at is not None:
        raise DomainError(_("This diagnosis was archived."), code="diagnosis_archived")
    if upload is None:
        raise DomainError(_("Choose the file to attach."), code="file_required", field="file")
    try:
        extension = validate_upload(upload, kinds=DOCUMENT_KINDS, max_bytes=DOCUMENT_MAX_BYTES)
    except ValidationError as error:
        raise DomainError(error.messages[0], code=error.code or "file", field="file") from error
    name = str(upload.name).replace("\\", "/").rsplit("/", 1)[-1][:255]
    attachment = DiagnosisAttachment(
        diagnosis=diagnosis, title=_text(title)[:200], filename=name, size=upload.size,
        uploaded_by=actor,
    )  # fmt: skip
    upload.seek(0)
    attachment.file.save(f"{secrets.token_hex(16)}.{extension}", upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def diagnosis_attachment_archive(*, actor, attachment: DiagnosisAttachment) -> DiagnosisAttachment:
    """Take an attachment off the case's page (archived: its file and history are kept)."""
    _require_staff(actor, attachment.diagnosis.case.unit.county.province_id)
    attachment = DiagnosisAttachment.objects.select_for_update().get(pk=attachment.pk)
    if attachment.archived_at is not None:
        raise DomainError(_("This attachment is already archived."), code="already_archived")
    attachment.archive(actor=actor)
    return attachment


def _checked_payer(case: RevivalCase, program, application) -> tuple:
    """The support program and application that pay an action, if named: a program of the
    case's province or a national one, and an application of the case's unit to it (the
    program is the application's when only the application is named)."""
    if application is not None:
        if application.unit_id != case.unit_id:
            raise DomainError(
                _("The application that pays an action must be one of this unit's."),
                code="application_of_another_unit",
                field="application",
            )
        if program is not None and application.program_id != program.pk:
            raise DomainError(
                _("This application is to another program than the one named."),
                code="application_of_another_program",
                field="application",
            )
        program = program or application.program
    if program is not None and program.province_id not in (None, case.unit.county.province_id):
        raise DomainError(
            _("Choose a program of the unit's province or a national one."),
            code="program_of_another_province",
            field="program",
        )
    return program, application


def _checked_action(plan_on: dt.date, action: dict, case: RevivalCase) -> dict:
    title = _text(action.get("title", ""))
    if not title:
        raise DomainError(_("Name each action of the plan."), code="action_title", field="title")
    if action.get("owner_kind") not in ActionOwner.values:
        raise DomainError(
            _("Say who carries out each action."), code="action_owner", field="owner_kind"
        )
    due_on = action.get("due_on")
    if not isinstance(due_on, dt.date):
        raise DomainError(_("Give each action its due date."), code="action_due", field="due_on")
    _not_before(
        due_on,
        plan_on,
        _("An action cannot be due before its plan's date (%(date)s)."),
        "action_due_before_plan",
        "due_on",
    )
    cost = action.get("cost_rial", 0) or 0
    if int(cost) < 0:
        raise DomainError(_("A cost cannot be negative."), code="negative_cost", field="cost_rial")
    program, application = _checked_payer(case, action.get("program"), action.get("application"))
    return {
        "title": title,
        "owner_kind": action["owner_kind"],
        "owner_name": _text(action.get("owner_name", "")),
        "due_on": due_on,
        "cost_rial": int(cost),
        "paid_by": _text(action.get("paid_by", "")),
        "program": program,
        "application": application,
    }


@transaction.atomic
def case_plan(
    *,
    actor,
    case: RevivalCase,
    on: dt.date,
    actions: list[dict],
    summary: str = "",
    expected_version: int | None = None,
) -> ImprovementPlan:
    """Record the case's improvement plan and its actions (owner, due date, cost, payer)."""
    _require_staff(actor, case.unit.county.province_id)
    case = _locked(case)
    _refuse_finished(case)
    if case.stage == CaseStage.PLANNED:
        raise DomainError(
            _("This case already has its improvement plan: add actions to it instead."),
            code="case_already_planned",
        )
    rules = ProvinceRevivalSettings.for_province(case.unit.county.province_id)
    if case.stage == CaseStage.IDENTIFIED and rules.diagnosis_before_restart:
        raise DomainError(
            _("Diagnose the unit first: in this province the plan follows a diagnosis."),
            code="plan_needs_diagnosis",
        )
    _not_before(
        on,
        case.opened_on,
        _("A plan cannot be dated before the unit was identified as idle (%(date)s)."),
        "date_before_identification",
    )
    _not_before(
        on,
        _last_step_on(case),
        _("A plan cannot be dated before the case's diagnosis (%(date)s)."),
        "plan_before_diagnosis",
    )
    _not_in_future(on)
    if not actions:
        raise DomainError(
            _("A plan has at least one action."), code="actions_required", field="actions"
        )
    checked = [_checked_action(on, action, case) for action in actions]
    plan = ImprovementPlan.objects.create(case=case, on=on, summary=_text(summary))
    for fields in checked:
        PlanAction.objects.create(plan=plan, **fields)
    case.stage = CaseStage.PLANNED
    _save(case, ["stage"], expected_version)
    return plan


def _refuse_closed(case: RevivalCase) -> None:
    if case.stage == CaseStage.CLOSED:
        _refuse_finished(case)


@transaction.atomic
def plan_action_add(*, actor, plan: ImprovementPlan, **action) -> PlanAction:
    """Add an action to a plan (while the case is not closed)."""
    _require_staff(actor, plan.case.unit.county.province_id)
    case = _locked(plan.case)
    _refuse_closed(case)
    return PlanAction.objects.create(plan=plan, **_checked_action(plan.on, action, case))


@transaction.atomic
def plan_action_progress(
    *,
    actor,
    action: PlanAction,
    progress_pct: int,
    on: dt.date,
    expected_version: int | None = None,
) -> PlanAction:
    """Record an action's progress as of `on`; at 100 % it is done on that date."""
    case = action.plan.case
    _require_staff(actor, case.unit.county.province_id)
    _refuse_closed(_locked(case))
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    if action.done_on is not None:
        raise DomainError(
            _("This action was done on %(date)s.") % {"date": format_jalali(action.done_on)},
            code="action_done",
        )
    try:
        progress = Decimal(progress_pct)
    except (InvalidOperation, TypeError, ValueError):
        progress = Decimal(-1)
    if progress != progress.to_integral_value() or not 0 <= progress <= 100:
        raise DomainError(
            _("Progress is a whole percentage from 0 to 100."),
            code="progress_out_of_range",
            field="progress_pct",
        )
    if progress < action.progress_pct:
        raise DomainError(
            _("Progress cannot go back (it was %(pct)s%%).") % {"pct": action.progress_pct},
            code="progress_backwards",
            field="progress_pct",
        )
    _not_before(
        on,
        action.plan.on,
        _("Progress cannot be dated before the plan (%(date)s)."),
        "date_before_plan",
    )
    _not_in_future(on)
    action.progress_pct = int(progress)
    action.done_on = on if progress == 100 else None
    _save(action, ["progress_pct", "done_on"], expected_version)
    return action


@transaction.atomic
def followup_visit_add(
    *, actor, case: RevivalCase, on: dt.date, findings: str, visited_by=None
) -> FollowUpVisit:
    """Record a follow-up visit (before the restart, or after it to see the unit holds)."""
    _require_staff(actor, case.unit.county.province_id)
    case = _locked(case)
    _refuse_closed(case)
    _not_before(
        on,
        case.opened_on,
        _("A visit cannot be dated before the unit was identified as idle (%(date)s)."),
        "date_before_identification",
    )
    _not_in_future(on)
    if not _text(findings):
        raise DomainError(
            _("Say what the visit found."), code="findings_required", field="findings"
        )
    return FollowUpVisit.objects.create(
        case=case, on=on, findings=_text(findings), visited_by=visited_by or actor
    )


def _check_outcome_date(case: RevivalCase, on: dt.date) -> None:
    _not_before(
        on,
        _last_step_on(case),
        _("The outcome cannot be dated before the case's last step (%(date)s)."),
        "outcome_before_last_step",
    )
    _not_in_future(on)


def _outcome_event(actor, case: RevivalCase, status: str, on: dt.date, note: str):
    """The unit's event for the case's outcome: recorded now through the units services, or,
    when the unit's timeline already shows that outcome on that very date (recorded on the
    unit's page since the case was opened), that event, without a second one."""
    last = case.unit.events.filter(archived_at__isnull=True).order_by("-on", "-pk").first()
    if (
        last is not None
        and last.status == status
        and last.on == on
        and last.on >= case.opened_on
        and last.pk != case.idle_event_id
    ):
        return last
    return unit_services.unit_change_status(
        actor=actor, unit=case.unit, status=status, on=on, note=note
    )


@transaction.atomic
def case_restart(
    *,
    actor,
    case: RevivalCase,
    on: dt.date,
    jobs_restored: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> RevivalCase:
    """The unit restarted on `on`: the case ends, and the unit's "restarted" event is recorded
    with the same date."""
    _require_staff(actor, case.unit.county.province_id)
    case = _locked(case)
    _refuse_finished(case)
    rules = ProvinceRevivalSettings.for_province(case.unit.county.province_id)
    if (
        rules.diagnosis_before_restart
        and not case.diagnoses.filter(archived_at__isnull=True).exists()
    ):
        raise DomainError(
            _("This province requires a diagnosis before a restart: record the diagnosis first."),
            code="restart_needs_diagnosis",
        )
    _check_outcome_date(case, on)
    if jobs_restored is not None and jobs_restored < 0:
        raise DomainError(
            _("Jobs restored cannot be negative."), code="negative_jobs", field="jobs_restored"
        )
    event = _outcome_event(
        actor, case, UnitStatus.RESTARTED, on, _text(note) or _("Restarted (revival case)")
    )
    case.stage = CaseStage.RESTARTED
    case.outcome_event = event
    case.restarted_on = event.on  # a copy of the event's date (selectors.outcome_disagreements)
    case.jobs_restored = case.jobs_at_stake if jobs_restored is None else jobs_restored
    _save(case, ["stage", "restarted_on", "outcome_event", "jobs_restored"], expected_version)
    return case


@transaction.atomic
def case_close(
    *,
    actor,
    case: RevivalCase,
    on: dt.date,
    note: str = "",
    expected_version: int | None = None,
) -> RevivalCase:
    """The unit is closed for good: the case ends, and the unit's "closed" event is recorded
    with the same date."""
    _require_staff(actor, case.unit.county.province_id)
    case = _locked(case)
    _refuse_finished(case)
    _check_outcome_date(case, on)
    event = _outcome_event(
        actor, case, UnitStatus.CLOSED, on, _text(note) or _("Closed for good (revival case)")
    )
    case.stage = CaseStage.CLOSED
    case.outcome_event = event
    case.closed_on = event.on  # a copy of the event's date (selectors.outcome_disagreements)
    fields = ["stage", "closed_on", "outcome_event"]
    if _text(note):
        case.note = "\n".join(filter(None, [case.note, _text(note)]))[:1000]
        fields.append("note")
    _save(case, fields, expected_version)
    return case


def _require_manager(actor, province) -> None:
    require_access(
        actor,
        Action.CHANGE,
        province.pk,
        _("Only the province's manager changes its revival settings."),
        roles=KEPT_BY_MANAGERS[Action.CHANGE],
    )


@transaction.atomic
def revival_settings_ensure(*, actor, province) -> ProvinceRevivalSettings:
    """The province's settings record, created with the defaults already in force when it has
    none (so that its page can be opened and edited as a versioned record); its manager's."""
    _require_manager(actor, province)
    found = ProvinceRevivalSettings.objects.filter(province=province).first()
    if found is None:
        found = ProvinceRevivalSettings.objects.create(province=province)
    return found


@transaction.atomic
def revival_settings_update(
    *, actor, province, expected_version: int | None = None, **fields
) -> ProvinceRevivalSettings:
    """Change how a province runs its revival program (its manager's decision). With
    `expected_version` (the settings page), refused if someone saved them since."""
    _require_manager(actor, province)
    found = ProvinceRevivalSettings.objects.select_for_update().filter(province=province).first()
    found = found or ProvinceRevivalSettings(province=province)
    for name, value in fields.items():
        if name not in ("diagnosis_before_restart", "missed_months", "drop_pct", "recent_months",
                        "utility_months", "utility_pct"):  # fmt: skip
            raise DomainError(_("Unknown setting."), code="unknown_setting", field=name)
        setattr(found, name, value)
    try:
        found.full_clean(exclude=["province"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], code="invalid_setting", field=name) from error
    if expected_version is not None and found.pk:
        save_versioned(found, expected_version=expected_version, update_fields=list(fields))
    else:
        found.save()
    return found


# --- monthly reports ----------------------------------------------------------------------
def _require_files_for(actor, unit: Unit) -> None:
    """The unit's representatives, and the staff of its province, file its reports."""
    access = access_for(actor)
    if unit.county.province_id in access.provinces(Action.CHANGE):
        return
    own = OBJECT_SCOPES.get("unit") if "unit" in access.object_kinds(Action.CHANGE) else None
    if own is not None and own(actor).filter(pk=unit.pk).exists():
        return
    raise NotAllowed(_("You may file reports only for your own units or your province's."))


def _require_reviewer(actor, unit: Unit) -> None:
    require_access(
        actor,
        Action.CHANGE,
        unit.county.province_id,
        _("Reports are reviewed by the staff of the unit's province."),
        roles=STAFF,
    )


def _month_over(year: int, month: int) -> None:
    if not (isinstance(month, int) and 1 <= month <= 12 and isinstance(year, int)):
        raise DomainError(_("Choose a month from 1 to 12."), code="month", field="month")
    if not 1380 <= year <= 1500:
        raise DomainError(_("Choose a year from 1380 on."), code="year", field="year")
    if to_gregorian(year, month, month_length(year, month)) >= timezone.localdate():
        raise DomainError(
            _("A month's report is filed once the month is over."),
            code="month_not_over",
            field="month",
        )


FIGURES = ("production_volume", "production_measure", "sales_rial", "employees",
           "exports_rial", "energy_kwh")  # fmt: skip


@transaction.atomic
def monthly_report_save(
    *, actor, unit: Unit, year: int, month: int, expected_version: int | None = None, **figures
) -> MonthlyReport:
    """Write a month's figures as a draft (or correct a draft or a returned report)."""
    _require_files_for(actor, unit)
    _month_over(year, month)
    unknown = set(figures) - set(FIGURES)
    if unknown:
        raise DomainError(_("Unknown figure."), code="unknown_figure", field=sorted(unknown)[0])
    for name in ("production_volume", "sales_rial", "employees", "exports_rial", "energy_kwh"):
        value = figures.get(name)
        if value is not None and Decimal(value) < 0:
            raise DomainError(_("A figure cannot be negative."), code="negative", field=name)
    if figures.get("production_volume") is None or figures.get("employees") is None:
        raise DomainError(
            _("Give at least the production volume and the number of employees."),
            code="figures_required",
            field="production_volume",
        )
    report = (
        MonthlyReport.objects.select_for_update()
        .filter(unit=unit, year=year, month=month, archived_at__isnull=True)
        .first()
    )
    if report is None:
        return MonthlyReport.objects.create(unit=unit, year=year, month=month, **figures)
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        raise DomainError(
            _("This month's report has been submitted (%(status)s): it can no longer be changed.")
            % {"status": report.get_status_display()},
            code="report_already_filed",
        )
    with tally.following(report):  # (a returned report's figures are read by the watch list)
        for name, value in figures.items():
            setattr(report, name, value)
        _save(report, list(figures), expected_version)
    return report


@transaction.atomic
def monthly_report_submit(*, actor, report: MonthlyReport) -> MonthlyReport:
    """Send a draft (or a corrected returned report) for review."""
    _require_files_for(actor, report.unit)
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise DomainError(_("This report has already been submitted."), code="report_already_filed")
    with tally.following(report):
        report.status = ReportStatus.SUBMITTED
        report.filed_at = timezone.now()
        report.filed_by = actor
        _save(report, ["status", "filed_at", "filed_by"], None)
    return report


@transaction.atomic
def monthly_report_file(*, actor, unit: Unit, year: int, month: int, **figures) -> MonthlyReport:
    """Write a month's figures and submit them at once."""
    report = monthly_report_save(actor=actor, unit=unit, year=year, month=month, **figures)
    return monthly_report_submit(actor=actor, report=report)


def _submitted(report: MonthlyReport) -> MonthlyReport:
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise DomainError(
            _("Only a submitted report is reviewed (this one is “%(status)s”).")
            % {"status": report.get_status_display()},
            code="report_not_submitted",
        )
    return report


@transaction.atomic
def monthly_report_accept(*, actor, report: MonthlyReport) -> MonthlyReport:
    _require_reviewer(actor, report.unit)
    report = _submitted(report)
    with tally.following(report):  # (filed either way: the counts stay as they are)
        report.status = ReportStatus.ACCEPTED
        report.return_reason = ""
        report.reviewed_at, report.reviewed_by = timezone.now(), actor
        _save(report, ["status", "return_reason", "reviewed_at", "reviewed_by"], None)
    return report


@transaction.atomic
def monthly_report_return(*, actor, report: MonthlyReport, reason: str) -> MonthlyReport:
    """Send a report back to the unit, saying what to correct."""
    _require_reviewer(actor, report.unit)
    if not _text(reason):
        raise DomainError(
            _("Say why the report is returned."), code="return_reason_required", field="reason"
        )
    report = _submitted(report)
    with tally.following(report):  # (a returned report's month is still filed)
        report.status = ReportStatus.RETURNED
        report.return_reason = _text(reason)[:1000]
        report.reviewed_at, report.reviewed_by = timezone.now(), actor
        _save(report, ["status", "return_reason", "reviewed_at", "reviewed_by"], None)
    return report


# --- utility readings ---------------------------------------------------------------------
UTILITIES = ("electricity_kwh", "gas_m3", "water_m3")


@transaction.atomic
def utility_reading_record(
    *, actor, unit: Unit, year: int, month: int, **readings
) -> UtilityReading:
    """Record a unit's metered use of electricity, gas and water in a month (or correct the
    month's reading: the change is in the audit trail). The staff of the unit's province."""
    _require_staff(actor, unit.county.province_id)
    _month_over(year, month)
    unknown = set(readings) - set(UTILITIES)
    if unknown:
        raise DomainError(_("Unknown figure."), code="unknown_figure", field=sorted(unknown)[0])
    for name, value in readings.items():
        if value is not None and int(value) < 0:
            raise DomainError(_("A figure cannot be negative."), code="negative", field=name)
    values = {name: readings.get(name) for name in UTILITIES}
    if all(value is None for value in values.values()):
        raise DomainError(
            _("Give at least one reading: electricity, gas or water."),
            code="reading_required",
            field="electricity_kwh",
        )
    reading = (
        UtilityReading.objects.select_for_update()
        .filter(unit=unit, year=year, month=month, archived_at__isnull=True)
        .first()
    )
    if reading is None:
        return UtilityReading.objects.create(
            unit=unit, year=year, month=month, recorded_by=actor, **values
        )
    for name, value in values.items():
        setattr(reading, name, value)
    reading.recorded_by = actor
    _save(reading, [*UTILITIES, "recorded_by"], None)
    return reading
