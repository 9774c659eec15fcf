"""Writes about support programs: the catalogue, provincial budgets and applications from
draft to payment. Each function runs in one transaction and refuses with a DomainError whose
message the user reads; a refusal leaves nothing behind (no step, no notification, no money
moved). docs/support.md states the rules.

An application: draft → submitted → under review (an assigned expert) → approved (the
manager: cost and rate) | rejected | returned (→ submitted again) → executed (actual cost,
invoices) → paid (one or more staged payments) → closed; withdrawn at any point before a
payment.

Money: an approval reserves its amount against the program's budget for the province and
the Jalali year of the approval; execution releases what the subsidy does not need; a payment
moves its amount from reserved to paid; a rejection, withdrawal or closure releases what is
still reserved. Every change of a budget runs under a row lock on the budget
(`select_for_update`), taken after the application's own lock, so two approvals cannot both
take the last of a budget (on SQLite the whole write transaction is serialised instead).
"""

import datetime as dt
import secrets
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shahrak.accounts.access import require_access
from shahrak.accounts.choices import Action, Role
from shahrak.accounts.models import Membership, User
from shahrak.accounts.policy import access_for
from shahrak.accounts.scoping import OBJECT_SCOPES
from shahrak.core.errors import DomainError, NotAllowed
from shahrak.core.jalali import format_jalali, jalali_year_of
from shahrak.core.models import save_versioned
from shahrak.core.numbers import format_million_toman
from shahrak.core.text import normalize_fa
from shahrak.core.uploads import validate_upload
from shahrak.notifications.services import notify
from shahrak.units.choices import Sector, SizeClass
from shahrak.units.models import Unit

from .choices import (
    DOCUMENT_FILE_KINDS,
    FINAL,
    ApplicationStatus,
    DocumentKind,
    ProgramFamily,
)
from .models import (
    KEPT_BY_MANAGERS,
    KEPT_BY_STAFF,
    RATE_CEILING,
    RATE_FLOOR,
    Application,
    ApplicationDocument,
    ApplicationStep,
    Payment,
    Program,
    ProgramBudget,
)

S = ApplicationStatus
STAFF = KEPT_BY_STAFF[Action.CHANGE]
# Documents: a PDF or an image of at most this size.
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024


# --- the rule of the money -------------------------------------------------------------------
def share_of(rate_pct: Decimal, cost_rial: int) -> int:
    """rate % of a cost, in whole rials, rounded down (never a rial above the rate)."""
    return int((Decimal(rate_pct) * Decimal(cost_rial) / 100).to_integral_value(ROUND_FLOOR))


def approvable_amount(*, rate_pct: Decimal, cost_rial: int, remaining_cap_rial: int) -> int:
    """What an approval reserves: the rate of the approved cost, within the unit's cap."""
    return max(0, min(share_of(rate_pct, cost_rial), remaining_cap_rial))


def cap_cut(application: Application) -> int | None:
    """What an approval's amount would have been without the unit's cap when the cap limited
    it (the approved amount is then the cap that was left), else None."""
    if application.approved_on is None or application.approved_rate_pct is None:
        return None
    share = share_of(application.approved_rate_pct, application.approved_cost_rial or 0)
    return share if share > (application.approved_amount_rial or 0) else None


def subsidy_due(
    *,
    rate_pct: Decimal,
    eligible_cost_rial: int,
    approved_amount_rial: int,
    remaining_cap_rial: int,
) -> int:
    """Subsidy = min(rate × eligible actual cost, approved amount, the unit's remaining cap
    for the year)."""
    return max(
        0,
        min(share_of(rate_pct, eligible_cost_rial), approved_amount_rial, remaining_cap_rial),
    )


def cap_used(*, unit_id: int, program_id: int, year: int, excluding: int | None = None) -> int:
    """What the unit's applications to the program hold (reserved + paid) in a Jalali year."""
    held = Application.objects.filter(
        unit_id=unit_id, program_id=program_id, budget__year=year, archived_at__isnull=True
    )
    if excluding is not None:
        held = held.exclude(pk=excluding)
    return held.aggregate(total=Sum("committed_rial"))["total"] or 0


# --- shared checks ---------------------------------------------------------------------------
def _text(value) -> str:
    return normalize_fa(value or "").strip()


def _is_representative(actor, unit: Unit) -> bool:
    access = access_for(actor)
    own = OBJECT_SCOPES.get("unit") if "unit" in access.object_kinds(Action.CHANGE) else None
    return own is not None and own(actor).filter(pk=unit.pk).exists()


def _is_staff(actor, province_id: int) -> bool:
    return province_id in access_for(actor).provinces(Action.CHANGE, STAFF)


def _require_applicant_side(actor, unit: Unit) -> None:
    """A unit's representatives apply for it; the staff of its province may register an
    application for them."""
    if _is_staff(actor, unit.county.province_id) or _is_representative(actor, unit):
        return
    raise NotAllowed(
        _("You may apply only for the units you represent (or, as staff, your province's).")
    )


def may_withdraw(actor, application: Application) -> bool:
    """Whether withdrawing would be the actor's to do (its state aside): a representative of
    the unit, or the staff member who registered the application while it is still a draft."""
    if _is_representative(actor, application.unit):
        return True
    return application.status == S.DRAFT and application.created_by_id == getattr(actor, "pk", None)


def _require_staff(actor, province_id: int) -> None:
    require_access(
        actor,
        Action.CHANGE,
        province_id,
        _("Applications are reviewed by the staff of the unit's province."),
        roles=STAFF,
    )


def _require_manager(actor, province_id: int) -> None:
    require_access(
        actor,
        Action.APPROVE,
        province_id,
        _("Only the manager of the unit's province approves, rejects and pays subsidies."),
    )


def _date(on: dt.date | None, field: str = "on") -> dt.date:
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise DomainError(_("This date is in the future."), code="future_date", field=field)
    return on


def _locked(application: Application) -> Application:
    """The application read again under a row lock: two people cannot move it at once. Only
    its own row is locked (`of`): on PostgreSQL a joined SELECT … FOR UPDATE would also lock
    its unit, county and program, serialising every step of a county or a program."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("unit__county__province", "program")
        .get(pk=application.pk)
    )


def _locked_budget(budget_id: int) -> ProgramBudget:
    return ProgramBudget.objects.select_for_update().get(pk=budget_id)


def _expect(application: Application, *allowed: str) -> None:
    if application.status not in allowed:
        raise DomainError(
            _("This step is not possible while the application is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="wrong_status",
        )


def _step(application: Application, status: str, actor, note: str = "") -> None:
    application.status = status
    ApplicationStep.objects.create(
        application=application,
        status=status,
        by=actor if isinstance(actor, User) else None,
        note=note[:1000],
    )


def _save(application: Application, fields: list[str]) -> None:
    application.version += 1
    application.save(update_fields=[*fields, "status", "version", "updated_at"])


def _rial(value, field: str, *, positive: bool = True) -> int:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        amount = Decimal(-1)
    if amount != amount.to_integral_value() or amount < (1 if positive else 0):
        raise DomainError(
            _("Give the amount as a whole number of rials above zero.")
            if positive
            else _("An amount cannot be negative."),
            code="invalid_amount",
            field=field,
        )
    return int(amount)


def _rate(program: Program, value) -> Decimal:
    try:
        rate = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        rate = Decimal(-1)
    if not program.rate_min_pct <= rate <= program.rate_max_pct:
        raise DomainError(
            _("This program's subsidy rate is from %(low)s%% to %(high)s%%.")
            % {"low": _pct(program.rate_min_pct), "high": _pct(program.rate_max_pct)},
            code="rate_out_of_range",
            field="approved_rate_pct",
        )
    return rate


def _pct(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


# --- who is told -----------------------------------------------------------------------------
def _applicants(application: Application) -> list:
    return list(application.unit.representatives.filter(is_active=True))


def _staff_of(province_id: int, role: str) -> list:
    held = Membership.objects.filter(role=role, province_id=province_id, archived_at__isnull=True)
    return list(User.objects.filter(pk__in=held.values("user"), is_active=True))


def _reviewers(application: Application) -> list:
    if application.assigned_to_id:
        return [application.assigned_to]
    return _staff_of(application.unit.county.province_id, Role.EXPERT)


def _tell(recipients, verb: str, application: Application, text: str, actor) -> None:
    notify(
        recipients=recipients,
        verb=f"application.{verb}",
        target=application,
        text=text,
        actor=actor,
    )


def _label(application: Application) -> dict:
    return {"number": application.pk, "program": application.program.title}


# --- the catalogue ---------------------------------------------------------------------------
def _require_program_keeper(actor, province_id: int | None) -> None:
    require_access(
        actor,
        Action.CHANGE,
        province_id,
        _(
            "A province's programs are kept by its manager; national ones by the system "
            "administrators."
        ),
        roles=KEPT_BY_MANAGERS[Action.CHANGE],
    )


def _checked_program(fields: dict) -> dict:
    if not _text(fields.get("title")):
        raise DomainError(_("Give the program a title."), code="title_required", field="title")
    if fields.get("family") not in ProgramFamily.values:
        raise DomainError(_("Choose the program's family."), code="family", field="family")
    try:
        low, high = Decimal(fields.get("rate_min_pct")), Decimal(fields.get("rate_max_pct"))
    except (InvalidOperation, TypeError, ValueError):
        low = high = Decimal(-1)
    if not RATE_FLOOR <= low <= high <= RATE_CEILING:
        raise DomainError(
            _("A program's subsidy rate is a range within 30% to 70%, lowest first."),
            code="rate_out_of_range",
            field="rate_min_pct",
        )
    for name, allowed in (
        ("size_classes", SizeClass.values),
        ("sectors", Sector.values),
        ("required_documents", DocumentKind.values),
    ):
        if any(value not in allowed for value in fields.get(name) or []):
            raise DomainError(_("Choose from the list."), code="unknown_choice", field=name)
    for prefix in fields.get("isic_prefixes") or []:
        if not (isinstance(prefix, str) and prefix.isdigit() and 1 <= len(prefix) <= 4):
            raise DomainError(
                _("An ISIC code is 1 to 4 digits."), code="isic", field="isic_prefixes"
            )
    opens_on, closes_on = fields.get("opens_on"), fields.get("closes_on")
    if not isinstance(opens_on, dt.date):
        raise DomainError(
            _("Say from when the program is open."), code="opens_on", field="opens_on"
        )
    if closes_on is not None and closes_on < opens_on:
        raise DomainError(
            _("A program cannot close before it opens."), code="closes_before_opening",
            field="closes_on",
        )  # fmt: skip
    return {
        **fields,
        "title": _text(fields["title"]),
        "description": _text(fields.get("description")),
        "rate_min_pct": low,
        "rate_max_pct": high,
        "cap_per_unit_rial": _rial(fields.get("cap_per_unit_rial"), "cap_per_unit_rial",
                                   positive=False),
    }  # fmt: skip


PROGRAM_FIELDS = {"title", "description", "family", "flagship", "size_classes", "sectors",
                  "isic_prefixes", "in_park_only", "rate_min_pct", "rate_max_pct",
                  "cap_per_unit_rial", "opens_on", "closes_on", "required_documents"}  # fmt: skip


@transaction.atomic
def program_create(*, actor, province=None, eligible_provinces=(), **fields) -> Program:
    """A program of a province (its manager's) or a national one (province None)."""
    _require_program_keeper(actor, getattr(province, "pk", None))
    unknown = set(fields) - PROGRAM_FIELDS
    if unknown:
        raise DomainError(_("Unknown field."), code="unknown_field", field=sorted(unknown)[0])
    eligible = list(eligible_provinces or [])
    if province is not None and any(p.pk != province.pk for p in eligible):
        raise DomainError(
            _("A provincial program is for the units of its own province."),
            code="eligible_provinces",
            field="eligible_provinces",
        )
    program = Program.objects.create(province=province, **_checked_program(fields))
    if eligible:
        program.eligible_provinces.set(eligible)
    return program


@transaction.atomic
def program_update(
    *, actor, program: Program, expected_version: int, eligible_provinces=None, **fields
) -> Program:
    """Change a program of the catalogue (its province's manager; a national one, the
    administrators). Where it belongs (its province) is fixed once it exists."""
    _require_program_keeper(actor, program.province_id)
    unknown = set(fields) - PROGRAM_FIELDS
    if unknown:
        raise DomainError(_("Unknown field."), code="unknown_field", field=sorted(unknown)[0])
    current = {name: getattr(program, name) for name in PROGRAM_FIELDS}
    checked = _checked_program({**current, **fields})
    if (
        eligible_provinces is not None
        and program.province_id is not None
        and any(p.pk != program.province_id for p in eligible_provinces)
    ):
        raise DomainError(
            _("A provincial program is for the units of its own province."),
            code="eligible_provinces",
            field="eligible_provinces",
        )
    for name in fields:
        setattr(program, name, checked[name])
    save_versioned(program, expected_version=expected_version, update_fields=list(fields))
    if eligible_provinces is not None:
        program.eligible_provinces.set(list(eligible_provinces))
    return program


@transaction.atomic
def program_budget_set(
    *, actor, program: Program, province, year: int, amount_rial
) -> ProgramBudget:
    """Set a program's budget for a province and a Jalali year (the province's manager). It
    cannot go below what is already reserved and paid."""
    _require_program_keeper(actor, province.pk)
    if program.province_id is not None and program.province_id != province.pk:
        raise DomainError(
            _("A provincial program has a budget only in its own province."),
            code="budget_province",
            field="province",
        )
    if not (isinstance(year, int) and 1380 <= year <= 1500):
        raise DomainError(_("Choose a year from 1380 on."), code="year", field="year")
    amount = _rial(amount_rial, "amount_rial", positive=False)
    budget = (
        ProgramBudget.objects.select_for_update()
        .filter(program=program, province=province, year=year)
        .first()
    )
    if budget is None:
        return ProgramBudget.objects.create(
            program=program, province=province, year=year, amount_rial=amount
        )
    if amount < budget.reserved_rial + budget.paid_rial:
        raise DomainError(
            _("The budget cannot be less than what is already committed (%(committed)s).")
            % {"committed": format_million_toman(budget.reserved_rial + budget.paid_rial)},
            code="budget_below_committed",
            field="amount_rial",
        )
    budget.amount_rial = amount
    budget.version += 1
    budget.save(update_fields=["amount_rial", "version", "updated_at"])
    return budget


# --- eligibility -----------------------------------------------------------------------------
def eligibility_problem(program: Program, unit: Unit, on: dt.date | None) -> DomainError | None:
    """Why `unit` may not apply to `program` on `on` (None: it may). Without a date the
    program's open dates are not asked (an application made while it was open is decided on
    after it closes)."""
    if on is not None and (
        program.archived_at is not None
        or on < program.opens_on
        or (program.closes_on is not None and on > program.closes_on)
    ):
        return DomainError(
            _("This program is not open for applications on %(date)s.")
            % {"date": format_jalali(on)},
            code="program_closed",
            field="program",
        )
    province_id = unit.county.province_id
    if program.province_id is not None and program.province_id != province_id:
        return DomainError(
            _("This program is for the units of another province."),
            code="ineligible_province",
            field="program",
        )
    eligible = set(program.eligible_provinces.values_list("pk", flat=True))
    if eligible and province_id not in eligible:
        return DomainError(
            _("This program is not offered in the unit's province."),
            code="ineligible_province",
            field="program",
        )
    if program.size_classes and unit.size_class not in program.size_classes:
        return DomainError(
            _("This program is for units of another size (%(sizes)s); the unit is “%(size)s”.")
            % {
                "sizes": "، ".join(str(SizeClass(s).label) for s in program.size_classes),
                "size": unit.get_size_class_display(),
            },
            code="ineligible_size",
            field="program",
        )
    if program.sectors and unit.sector not in program.sectors:
        return DomainError(
            _("This program is not for the unit's sector (%(sector)s).")
            % {"sector": unit.get_sector_display()},
            code="ineligible_sector",
            field="program",
        )
    if program.isic_prefixes and not any(
        unit.isic_code.startswith(prefix) for prefix in program.isic_prefixes
    ):
        return DomainError(
            _("This program is not for the unit's activity (ISIC %(code)s).")
            % {"code": unit.isic_code},
            code="ineligible_isic",
            field="program",
        )
    if program.in_park_only and unit.park_id is None:
        return DomainError(
            _("This program is only for units inside an industrial park or zone."),
            code="ineligible_outside_park",
            field="program",
        )
    return None


def _require_eligible(program: Program, unit: Unit, on: dt.date | None) -> None:
    problem = eligibility_problem(program, unit, on)
    if problem is not None:
        raise problem


# --- an application --------------------------------------------------------------------------
@transaction.atomic
def application_create(
    *, actor, unit: Unit, program: Program, requested_cost_rial, description: str
) -> Application:
    """A draft application of `unit` to `program`, by one of its representatives (or the
    staff of its province for them)."""
    unit = Unit.objects.select_related("county").get(pk=unit.pk)
    _require_applicant_side(actor, unit)
    _require_eligible(program, unit, timezone.localdate())
    cost = _rial(requested_cost_rial, "requested_cost_rial")
    if not _text(description):
        raise DomainError(
            _("Say what the support is for."), code="description_required", field="description"
        )
    application = Application.objects.create(
        unit=unit,
        program=program,
        description=_text(description),
        requested_cost_rial=cost,
        created_by=actor,
    )
    _step(application, S.DRAFT, actor)
    return application


@transaction.atomic
def application_document_add(
    *, actor, application: Application, kind: str, upload
) -> ApplicationDocument:
    """Attach a document (a PDF or a PNG/JPEG image, checked by its content and size)."""
    application = _locked(application)
    _require_applicant_side(actor, application.unit)
    if application.status in FINAL:
        _expect(application)  # refused: nothing is attached to a finished application
    if kind not in DocumentKind.values:
        raise DomainError(_("Choose the kind of document."), code="document_kind", field="kind")
    try:
        extension = validate_upload(upload, kinds=DOCUMENT_FILE_KINDS, max_bytes=DOCUMENT_MAX_BYTES)
    except ValidationError as error:
        raise DomainError(error.messages[0], code=error.code or "file", field="file") from error
    name = str(upload.name).replace("\\", "/").rsplit("/", 1)[-1][:255]
    document = ApplicationDocument(
        application=application, kind=kind, filename=name, size=upload.size, uploaded_by=actor
    )
    upload.seek(0)
    document.file.save(f"{secrets.token_hex(16)}.{extension}", upload, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Send a draft (or a returned application, corrected) for review."""
    application = _locked(application)
    _require_applicant_side(actor, application.unit)
    _expect(application, S.DRAFT, S.RETURNED)
    # A first submission while the program is open; a returned one may come back after.
    first = application.status == S.DRAFT
    _require_eligible(
        application.program, application.unit, timezone.localdate() if first else None
    )
    province = application.unit.county.province
    if not ProgramBudget.objects.filter(
        program=application.program, province=province, amount_rial__gt=0
    ).exists():
        raise DomainError(
            _("This program has no budget in %(province)s: an application to it could not be "
              "approved. Choose a program with a budget in the province.")
            % {"province": province.name},
            code="no_budget",
        )  # fmt: skip
    attached = set(
        application.documents.filter(archived_at__isnull=True).values_list("kind", flat=True)
    )
    missing = [kind for kind in application.program.required_documents if kind not in attached]
    if missing:
        raise DomainError(
            _("Attach the documents the program requires: %(kinds)s.")
            % {"kinds": "، ".join(str(DocumentKind(kind).label) for kind in missing)},
            code="documents_missing",
            field="documents",
        )
    application.submitted_at = timezone.now()
    _step(application, S.SUBMITTED, actor)
    _save(application, ["submitted_at"])
    _tell(_reviewers(application), "submitted", application,
          _("Application %(number)s to “%(program)s” was submitted for review.")
          % _label(application), actor)  # fmt: skip
    return application


@transaction.atomic
def application_assign(*, actor, application: Application, expert) -> Application:
    """Give a submitted application to an expert of its province, who reviews it."""
    application = _locked(application)
    province_id = application.unit.county.province_id
    _require_staff(actor, province_id)
    _expect(application, S.SUBMITTED, S.UNDER_REVIEW)
    holds = Membership.objects.filter(
        user=expert,
        role__in=(Role.EXPERT, Role.MANAGER),
        province_id=province_id,
        archived_at__isnull=True,
        user__is_active=True,
    )
    if expert is None or not holds.exists():
        raise DomainError(
            _("Assign an expert or manager of the unit's province."),
            code="not_an_expert",
            field="expert",
        )
    application.assigned_to = expert
    _step(application, S.UNDER_REVIEW, actor, str(expert))
    _save(application, ["assigned_to"])
    _tell([expert], "assigned", application,
          _("Application %(number)s to “%(program)s” was assigned to you for review.")
          % _label(application), actor)  # fmt: skip
    return application


@transaction.atomic
def application_review(*, actor, application: Application, note: str) -> Application:
    """The expert's review of an application under review, for the manager to decide on."""
    application = _locked(application)
    province_id = application.unit.county.province_id
    _require_staff(actor, province_id)
    _expect(application, S.UNDER_REVIEW)
    if application.assigned_to_id not in (None, actor.pk) and not access_for(actor).can(
        Action.APPROVE, province_id
    ):
        raise NotAllowed(_("This application is assigned to another expert."))
    if not _text(note):
        raise DomainError(_("Write the review."), code="review_required", field="note")
    application.review_note = _text(note)
    _step(application, S.UNDER_REVIEW, actor, _text(note))
    _save(application, ["review_note"])
    _tell(_staff_of(province_id, Role.MANAGER), "reviewed", application,
          _("Application %(number)s to “%(program)s” was reviewed and awaits a decision.")
          % _label(application), actor)  # fmt: skip
    return application


@transaction.atomic
def application_return(*, actor, application: Application, reason: str) -> Application:
    """Send an application back to the unit for changes, saying what to change."""
    application = _locked(application)
    _require_staff(actor, application.unit.county.province_id)
    _expect(application, S.SUBMITTED, S.UNDER_REVIEW)
    if not _text(reason):
        raise DomainError(_("Say what should be changed."), code="reason_required", field="reason")
    application.reason = _text(reason)[:1000]
    _step(application, S.RETURNED, actor, application.reason)
    _save(application, ["reason"])
    _tell(_applicants(application), "returned", application,
          _("Application %(number)s to “%(program)s” was returned for changes: %(reason)s")
          % {**_label(application), "reason": application.reason}, actor)  # fmt: skip
    return application


@transaction.atomic
def application_approve(
    *,
    actor,
    application: Application,
    approved_cost_rial,
    approved_rate_pct,
    on: dt.date | None = None,
) -> Application:
    """The manager approves a cost at a rate: the amount (the rate of the cost, within the
    unit's remaining cap for the year) is reserved against the program's budget for the
    province and the Jalali year of the approval."""
    application = _locked(application)
    unit, program = application.unit, application.program
    province_id = unit.county.province_id
    _require_manager(actor, province_id)
    _expect(application, S.UNDER_REVIEW)
    on = _date(on)
    _require_eligible(program, unit, None)  # still eligible (the program may have closed since)
    cost = _rial(approved_cost_rial, "approved_cost_rial")
    if cost > application.requested_cost_rial:
        raise DomainError(
            _("The approved cost cannot be above the cost applied for (%(requested)s).")
            % {"requested": format_million_toman(application.requested_cost_rial)},
            code="above_requested_cost",
            field="approved_cost_rial",
        )
    rate = _rate(program, approved_rate_pct)
    year = jalali_year_of(on)
    budget_id = (
        ProgramBudget.objects.filter(program=program, province_id=province_id, year=year)
        .values_list("pk", flat=True)
        .first()
    )
    if budget_id is None:
        raise DomainError(
            _("This program has no budget in the province for %(year)s.") % {"year": year},
            code="no_budget",
        )
    # Locked until the transaction ends: another approval against it waits here, then
    # sees what this one reserved.
    budget = _locked_budget(budget_id)
    remaining_cap = program.cap_per_unit_rial - cap_used(
        unit_id=unit.pk, program_id=program.pk, year=year, excluding=application.pk
    )
    amount = approvable_amount(rate_pct=rate, cost_rial=cost, remaining_cap_rial=remaining_cap)
    if amount <= 0:
        raise DomainError(
            _("The unit has reached this program's cap for %(year)s.") % {"year": year},
            code="cap_reached",
        )
    if amount > budget.available_rial:
        raise DomainError(
            _("This approval (%(amount)s) is above what is left of the program's budget "
              "for %(year)s (%(left)s).")
            % {"amount": format_million_toman(amount), "year": year,
               "left": format_million_toman(budget.available_rial)},
            code="budget_exceeded",
        )  # fmt: skip
    ProgramBudget.objects.filter(pk=budget.pk).update(
        reserved_rial=F("reserved_rial") + amount, version=F("version") + 1
    )
    application.approved_on = on
    application.approved_cost_rial = cost
    application.approved_rate_pct = rate
    application.approved_amount_rial = amount
    application.budget = budget
    application.committed_rial = amount
    _step(application, S.APPROVED, actor)
    _save(application, ["approved_on", "approved_cost_rial", "approved_rate_pct",
                        "approved_amount_rial", "budget", "committed_rial"])  # fmt: skip
    _tell(_applicants(application), "approved", application,
          _("Application %(number)s to “%(program)s” was approved: a subsidy of up to "
            "%(amount)s.") % {**_label(application), "amount": format_million_toman(amount)},
          actor)  # fmt: skip
    return application


def _release(application: Application, amount: int) -> None:
    """Give `amount` of what the application reserved back to its budget."""
    if amount <= 0:
        return
    budget = _locked_budget(application.budget_id)
    ProgramBudget.objects.filter(pk=budget.pk).update(
        reserved_rial=F("reserved_rial") - amount, version=F("version") + 1
    )
    application.committed_rial -= amount


@transaction.atomic
def application_execute(
    *,
    actor,
    application: Application,
    actual_cost_rial,
    eligible_cost_rial=None,
    on: dt.date | None = None,
) -> Application:
    """The work is done: its actual cost (and how much of it is eligible; all, by default) is
    recorded with its invoices attached. The subsidy due is fixed now; what the approval
    reserved beyond it goes back to the budget."""
    application = _locked(application)
    _require_staff(actor, application.unit.county.province_id)
    _expect(application, S.APPROVED)
    on = _date(on)
    if on < application.approved_on:
        raise DomainError(
            _("The work cannot be recorded as done before its approval (%(date)s).")
            % {"date": format_jalali(application.approved_on)},
            code="executed_before_approval",
            field="on",
        )
    actual = _rial(actual_cost_rial, "actual_cost_rial")
    eligible = actual if eligible_cost_rial is None else _rial(
        eligible_cost_rial, "eligible_cost_rial", positive=False
    )  # fmt: skip
    if eligible > actual:
        raise DomainError(
            _("The eligible cost cannot be more than the actual cost."),
            code="eligible_above_actual",
            field="eligible_cost_rial",
        )
    if not application.documents.filter(
        kind=DocumentKind.INVOICE, archived_at__isnull=True
    ).exists():
        raise DomainError(
            _("Attach the invoices of the work first."), code="invoices_missing", field="documents"
        )
    program = application.program
    budget = _locked_budget(application.budget_id)
    remaining_cap = program.cap_per_unit_rial - cap_used(
        unit_id=application.unit_id, program_id=program.pk, year=budget.year,
        excluding=application.pk,
    )  # fmt: skip
    subsidy = subsidy_due(
        rate_pct=application.approved_rate_pct,
        eligible_cost_rial=eligible,
        approved_amount_rial=application.approved_amount_rial,
        remaining_cap_rial=remaining_cap,
    )
    _release(application, application.committed_rial - subsidy)
    application.executed_on = on
    application.actual_cost_rial = actual
    application.eligible_cost_rial = eligible
    application.subsidy_rial = subsidy
    _step(application, S.EXECUTED, actor)
    _save(application, ["executed_on", "actual_cost_rial", "eligible_cost_rial",
                        "subsidy_rial", "committed_rial"])  # fmt: skip
    return application


@transaction.atomic
def application_pay(
    *, actor, application: Application, amount_rial, on: dt.date | None = None, reference=""
) -> Payment:
    """Pay (part of) an executed application's subsidy: the amount moves from reserved to
    paid in the budget. Several staged payments may follow each other up to the subsidy."""
    application = _locked(application)
    _require_manager(actor, application.unit.county.province_id)
    if application.status not in (S.EXECUTED, S.PAID):
        raise DomainError(
            _("A subsidy is paid once the work is executed (the application is “%(status)s”).")
            % {"status": application.get_status_display()},
            code="pay_before_execution",
        )
    on = _date(on)
    if on < application.executed_on:
        raise DomainError(
            _("A payment cannot be dated before the execution (%(date)s).")
            % {"date": format_jalali(application.executed_on)},
            code="paid_before_execution",
            field="on",
        )
    amount = _rial(amount_rial, "amount_rial")
    budget = _locked_budget(application.budget_id)
    left = application.subsidy_rial - application.paid_rial
    if amount > left:
        raise DomainError(
            _("Only %(left)s of this subsidy is left to pay.")
            % {"left": format_million_toman(left)},
            code="paid_above_subsidy",
            field="amount_rial",
        )
    payment = Payment.objects.create(
        application=application,
        on=on,
        amount_rial=amount,
        reference=_text(reference)[:100],
        recorded_by=actor,
    )
    ProgramBudget.objects.filter(pk=budget.pk).update(
        reserved_rial=F("reserved_rial") - amount,
        paid_rial=F("paid_rial") + amount,
        version=F("version") + 1,
    )
    application.paid_rial += amount
    _step(application, S.PAID, actor, format_million_toman(amount))
    _save(application, ["paid_rial"])
    _tell(_applicants(application), "paid", application,
          _("%(amount)s of the subsidy of application %(number)s to “%(program)s” was paid.")
          % {**_label(application), "amount": format_million_toman(amount)}, actor)  # fmt: skip
    return payment


@transaction.atomic
def application_close(*, actor, application: Application, on: dt.date | None = None) -> Application:
    """Close a paid application (or an executed one with nothing to pay); what is left
    reserved goes back to the budget."""
    application = _locked(application)
    _require_manager(actor, application.unit.county.province_id)
    if not (
        application.status == S.PAID
        or (application.status == S.EXECUTED and application.subsidy_rial == 0)
    ):
        _expect(application, S.PAID)
    on = _date(on)
    _release(application, application.committed_rial - application.paid_rial)
    application.closed_on = on
    _step(application, S.CLOSED, actor)
    _save(application, ["closed_on", "committed_rial"])
    return application


@transaction.atomic
def application_reject(*, actor, application: Application, reason: str) -> Application:
    """The manager rejects an application (before any payment), saying why; an approval's
    reservation goes back to the budget."""
    application = _locked(application)
    _require_manager(actor, application.unit.county.province_id)
    _expect(application, S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.EXECUTED)
    if not _text(reason):
        raise DomainError(_("Say why it is rejected."), code="reason_required", field="reason")
    if application.committed_rial:
        _release(application, application.committed_rial)
    application.reason = _text(reason)[:1000]
    _step(application, S.REJECTED, actor, application.reason)
    _save(application, ["reason", "committed_rial"])
    _tell(_applicants(application), "rejected", application,
          _("Application %(number)s to “%(program)s” was rejected: %(reason)s")
          % {**_label(application), "reason": application.reason}, actor)  # fmt: skip
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    """The applicant withdraws an application at any point before a payment; an approval's
    reservation goes back to the budget. Withdrawing is the unit's act: the staff withdraw
    only a draft they registered for the unit (once it is submitted they return or reject
    it instead)."""
    application = _locked(application)
    _require_applicant_side(actor, application.unit)
    if not may_withdraw(actor, application):
        raise NotAllowed(
            _("Only the unit withdraws its application; the staff return or reject it instead.")
        )
    if application.paid_rial or application.status == S.PAID:
        raise DomainError(
            _("Part of this subsidy has been paid: the application can no longer be withdrawn."),
            code="withdraw_after_payment",
        )
    _expect(application, S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED, S.APPROVED,
            S.EXECUTED)  # fmt: skip
    if application.committed_rial:
        _release(application, application.committed_rial)
    application.reason = _text(reason)[:1000]
    _step(application, S.WITHDRAWN, actor, application.reason)
    _save(application, ["reason", "committed_rial"])
    told = _applicants(application)
    if application.assigned_to_id:
        told.append(application.assigned_to)
    _tell(told, "withdrawn", application,
          _("Application %(number)s to “%(program)s” was withdrawn.") % _label(application),
          actor)  # fmt: skip
    return application


# --- exhibitions and services ----------------------------------------------------------------
# Exhibitions are registered, and exhibition supports and service records kept, by the staff
# of a province (an exhibition: of the province that registered it; a support: of its unit's
# province; a service record: of its units' province). Changed with `expected_version`;
# archived, never deleted.
EXHIBITION_FIELDS = {"name", "reach", "city", "country", "starts_on", "ends_on", "organiser"}
SUPPORT_FIELDS = {"exhibition", "kind", "booth_area_m2", "subsidy_rial", "application"}
SERVICE_FIELDS = {"kind", "on", "provider", "cost_rial", "park", "team", "description"}


def _require_recorder(actor, province_id: int) -> None:
    require_access(
        actor,
        Action.CHANGE,
        province_id,
        _("Exhibitions and services are recorded by the staff of the province."),
        roles=STAFF,
    )


def _unknown(fields: dict, known: set) -> None:
    unknown = set(fields) - known
    if unknown:
        raise DomainError(_("Unknown field."), code="unknown_field", field=sorted(unknown)[0])


def _required_text(value, field: str) -> str:
    text = _text(value)
    if not text:
        raise DomainError(_("This field is required."), code="required", field=field)
    return text


def _checked_exhibition(fields: dict) -> dict:
    from shahrak.units.countries import HOME, is_country

    from .choices import ExhibitionReach

    checked = dict(fields)
    checked["name"] = _required_text(fields.get("name"), "name")
    checked["city"] = _required_text(fields.get("city"), "city")
    checked["organiser"] = _text(fields.get("organiser"))
    reach = fields.get("reach")
    if reach not in ExhibitionReach.values:
        raise DomainError(_("Choose domestic or foreign."), code="reach", field="reach")
    country = (fields.get("country") or "").strip().upper()
    if reach == ExhibitionReach.DOMESTIC:
        country = HOME
    elif not is_country(country) or country == HOME:
        raise DomainError(
            _("A foreign exhibition is held in another country: choose it."),
            code="country",
            field="country",
        )
    checked["country"] = country
    starts, ends = fields.get("starts_on"), fields.get("ends_on")
    if not isinstance(starts, dt.date):
        raise DomainError(_("This field is required."), code="required", field="starts_on")
    if not isinstance(ends, dt.date):
        ends = starts
    if ends < starts:
        raise DomainError(
            _("An exhibition cannot end before it starts."), code="dates", field="ends_on"
        )
    checked["ends_on"] = ends
    return checked


@transaction.atomic
def exhibition_create(*, actor, province, **fields):
    """Register an exhibition (the staff of `province`, which keeps it)."""
    from .models import Exhibition

    _require_recorder(actor, province.pk)
    _unknown(fields, EXHIBITION_FIELDS)
    return Exhibition.objects.create(province=province, **_checked_exhibition(fields))


@transaction.atomic
def exhibition_update(*, actor, exhibition, expected_version: int, **fields):
    """Change an exhibition; its supports move with its first day."""
    from .models import ExhibitionSupport

    _require_recorder(actor, exhibition.province_id)
    _unknown(fields, EXHIBITION_FIELDS)
    current = {name: getattr(exhibition, name) for name in EXHIBITION_FIELDS}
    checked = _checked_exhibition({**current, **fields})
    for name in EXHIBITION_FIELDS:
        setattr(exhibition, name, checked[name])
    save_versioned(exhibition, expected_version=expected_version, update_fields=EXHIBITION_FIELDS)
    for support in ExhibitionSupport.objects.filter(exhibition=exhibition).exclude(
        on=exhibition.starts_on
    ):
        support.on = exhibition.starts_on
        support.save(update_fields=["on", "updated_at"])
    return exhibition


def _checked_support(unit: Unit, fields: dict) -> dict:
    from .choices import COMMITTING, WITH_AREA, ExhibitionSupportKind

    checked = dict(fields)
    exhibition = fields.get("exhibition")
    if exhibition is None or exhibition.archived_at is not None:
        raise DomainError(_("Choose an exhibition."), code="exhibition", field="exhibition")
    kind = fields.get("kind")
    if kind not in ExhibitionSupportKind.values:
        raise DomainError(_("Choose the kind of support."), code="kind", field="kind")
    area = fields.get("booth_area_m2")
    if kind in WITH_AREA:
        try:
            area = Decimal(area).quantize(Decimal("0.01"))
        except (InvalidOperation, TypeError, ValueError):
            area = Decimal(0)
        if area <= 0:
            raise DomainError(
                _("Give the booth's area in square metres."),
                code="booth_area",
                field="booth_area_m2",
            )
    else:
        area = None
    checked["booth_area_m2"] = area
    application = fields.get("application")
    subsidy = fields.get("subsidy_rial")
    if application is not None:
        if application.unit_id != unit.pk or application.status not in COMMITTING:
            raise DomainError(
                _("Link an approved application of the same unit."),
                code="application",
                field="application",
            )
        if subsidy in (None, ""):
            subsidy = (
                application.subsidy_rial
                if application.subsidy_rial is not None
                else application.approved_amount_rial
            )
        if _rial(subsidy, "subsidy_rial", positive=False) > (application.approved_amount_rial or 0):
            raise DomainError(
                _("The subsidy cannot be above the application's approved amount (%(amount)s).")
                % {"amount": format_million_toman(application.approved_amount_rial or 0)},
                code="subsidy_above_approval",
                field="subsidy_rial",
            )
    checked["subsidy_rial"] = _rial(subsidy or 0, "subsidy_rial", positive=False)
    return checked


@transaction.atomic
def exhibition_support_record(*, actor, unit: Unit, **fields):
    """Record a unit's support at an exhibition (the staff of the unit's province), directly
    or linked to the approved application that pays it."""
    from .models import ExhibitionSupport

    _require_recorder(actor, unit.county.province_id)
    _unknown(fields, SUPPORT_FIELDS)
    if unit.archived_at is not None:
        raise DomainError(_("This unit is archived."), code="unit_archived", field="unit")
    checked = _checked_support(unit, fields)
    return ExhibitionSupport.objects.create(
        unit=unit, on=checked["exhibition"].starts_on, **checked
    )


@transaction.atomic
def exhibition_support_update(*, actor, support, expected_version: int, **fields):
    _require_recorder(actor, support.unit.county.province_id)
    _unknown(fields, SUPPORT_FIELDS)
    current = {name: getattr(support, name) for name in SUPPORT_FIELDS}
    checked = _checked_support(support.unit, {**current, **fields})
    for name in SUPPORT_FIELDS:
        setattr(support, name, checked[name])
    support.on = checked["exhibition"].starts_on
    save_versioned(
        support, expected_version=expected_version, update_fields={*SUPPORT_FIELDS, "on"}
    )
    return support


def _checked_service(province_id: int, fields: dict) -> dict:
    checked = dict(fields)
    kind = fields.get("kind")
    if kind is None or kind.archived_at is not None:
        raise DomainError(_("Choose the kind of service."), code="kind", field="kind")
    if not isinstance(fields.get("on"), dt.date):
        raise DomainError(_("This field is required."), code="required", field="on")
    checked["on"] = _date(fields["on"])
    checked["provider"] = _required_text(fields.get("provider"), "provider")
    checked["team"] = _text(fields.get("team"))
    checked["description"] = _text(fields.get("description"))
    checked["cost_rial"] = _rial(fields.get("cost_rial") or 0, "cost_rial", positive=False)
    park = fields.get("park")
    if park is not None and park.county.province_id != province_id:
        raise DomainError(
            _("Choose a park of the units' province."), code="park_province", field="park"
        )
    if kind.mobile_clinic and (park is None or not checked["team"]):
        raise DomainError(
            _("A mobile clinic's visit names the park it visited and its team."),
            code="mobile_clinic",
            field="park" if park is None else "team",
        )
    return checked


def _service_units(units) -> tuple[list, int]:
    units = list(units or [])
    if not units:
        raise DomainError(_("Choose at least one unit."), code="units", field="units")
    provinces = {unit.county.province_id for unit in units}
    if len(provinces) > 1:
        raise DomainError(
            _("A service record is for units of one province."), code="units", field="units"
        )
    if any(unit.archived_at is not None for unit in units):
        raise DomainError(_("This unit is archived."), code="unit_archived", field="units")
    return units, provinces.pop()


@transaction.atomic
def service_record_create(*, actor, units, **fields):
    """Record a service given to one or more units of a province (its staff)."""
    from shahrak.places.models import Province

    from .models import ServiceRecord

    units, province_id = _service_units(units)
    _require_recorder(actor, province_id)
    _unknown(fields, SERVICE_FIELDS)
    record = ServiceRecord.objects.create(
        province=Province.objects.get(pk=province_id), **_checked_service(province_id, fields)
    )
    record.units.set(units)
    return record


@transaction.atomic
def service_record_update(*, actor, record, expected_version: int, units=None, **fields):
    _require_recorder(actor, record.province_id)
    _unknown(fields, SERVICE_FIELDS)
    if units is not None:
        units, province_id = _service_units(units)
        if province_id != record.province_id:
            raise DomainError(
                _("A service record is for units of one province."), code="units", field="units"
            )
    current = {name: getattr(record, name) for name in SERVICE_FIELDS}
    checked = _checked_service(record.province_id, {**current, **fields})
    for name in SERVICE_FIELDS:
        setattr(record, name, checked[name])
    save_versioned(record, expected_version=expected_version, update_fields=SERVICE_FIELDS)
    if units is not None:
        record.units.set(units)
    return record


@transaction.atomic
def exhibition_archive(*, actor, exhibition):
    _require_recorder(actor, exhibition.province_id)
    exhibition.archive(actor=actor)
    return exhibition


@transaction.atomic
def exhibition_support_archive(*, actor, support):
    _require_recorder(actor, support.unit.county.province_id)
    support.archive(actor=actor)
    return support


@transaction.atomic
def service_record_archive(*, actor, record):
    _require_recorder(actor, record.province_id)
    record.archive(actor=actor)
    return record


def ensure_service_kinds() -> None:
    """The first service kinds, where they are missing (an emptied database, before the demo
    records services): the administrators' own kinds and edits are left as they are."""
    from .choices import FIRST_SERVICE_KINDS
    from .models import ServiceKind

    for position, (code, name, clinic) in enumerate(FIRST_SERVICE_KINDS, start=1):
        ServiceKind.objects.get_or_create(
            code=code, defaults={"name": name, "mobile_clinic": clinic, "position": position * 10}
        )
