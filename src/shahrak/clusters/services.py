"""Writes about clusters. Each function runs in one transaction and refuses with a
DomainError whose message the user reads; every record written is audited (apps.py).

- A cluster is registered by its province's staff (managers, experts); it and everything on
  it are kept by that staff and by the cluster's development agent (a user holding the
  cluster-agent role in the province); only the staff name or change the agent, and only
  they add member units (they see the whole registry; the agent records members leaving).
- The 100 km rule: a member lies within the cluster's radius of its centre, by the
  great-circle distance (geo.py); a unit without a location cannot be checked, so it is
  refused; changing the centre or the radius is refused while it would leave a current
  member outside. A member leaves on a date (its membership is kept).
- A development plan moves through its stages one at a time, in order (choices.STAGE_ORDER),
  each dated not before the one before and not in the future; the diagnostic study's
  document (a PDF or an image, checked by content and size) is attached to its stage; the
  hand-over names the receiving association, which becomes the cluster's association.
- An action plan belongs to a cluster and a Jalali year (it starts in that year); its subsidy
  is at most its cost, and a support application that pays it is one the user may see, of
  a unit that is a member of the cluster.
"""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shahrak.accounts.access import require_access
from shahrak.accounts.choices import Action, Role
from shahrak.accounts.models import Membership as RoleMembership
from shahrak.core.errors import DomainError, NotAllowed
from shahrak.core.jalali import format_jalali, jalali_year_of
from shahrak.core.models import save_versioned
from shahrak.core.numbers import format_number
from shahrak.core.text import normalize_fa
from shahrak.core.uploads import validate_upload

from .choices import (
    DOCUMENT_FILE_KINDS,
    DOCUMENT_MAX_BYTES,
    IN_PROGRESS_STAGES,
    ActionCategory,
    ActionStatus,
    AssociateRole,
    PlanStage,
    next_stage,
)
from .geo import distance_km
from .models import ActionPlan, Associate, Cluster, DevelopmentPlan, Membership, PlanStep

STAFF = frozenset({Role.MANAGER, Role.EXPERT, Role.SYSADMIN})


# --- shared checks ---------------------------------------------------------------------------
def _require_staff(actor, province_id: int) -> None:
    require_access(
        actor,
        Action.CHANGE,
        province_id,
        _("Clusters are registered by the staff of their province."),
        roles=STAFF,
    )


def _require_keeper(actor, cluster: Cluster) -> None:
    """The province's staff or the cluster's development agent."""
    if not Cluster.objects.restrict(actor, Action.CHANGE).filter(pk=cluster.pk).exists():
        raise NotAllowed(_("Your role does not allow this in this province."))


def _locked(cluster: Cluster) -> Cluster:
    return Cluster.objects.select_for_update().get(pk=cluster.pk)


def _text(value) -> str:
    return normalize_fa(value or "").strip()


def _not_in_future(on: dt.date, field: str = "on") -> None:
    if on > timezone.localdate():
        raise DomainError(_("This date is in the future."), code="future_date", field=field)


def _require_agent(agent, province_id: int) -> None:
    if agent is None:
        return
    holds = RoleMembership.objects.filter(
        user=agent, role=Role.CLUSTER_AGENT, province_id=province_id, archived_at__isnull=True
    )
    if not agent.is_active or not holds.exists():
        raise DomainError(
            _("The development agent must hold the cluster-agent role in the cluster's province."),
            code="agent_role",
            field="agent",
        )


def _shown_distance(distance: float, radius: int) -> str:
    """The distance as the message states it: whole km, or with one decimal where whole km
    would not show it beyond the radius."""
    if round(distance) > radius:
        return format_number(distance)
    return format_number(distance, 1)


def _within_radius(cluster: Cluster, unit, field: str = "unit") -> float:
    """The unit's distance from the cluster's centre; refused if it has no location or lies
    outside the radius."""
    if unit.latitude is None or unit.longitude is None:
        raise DomainError(
            _(
                "This unit has no location (latitude and longitude) in the registry, so its "
                "distance from the cluster's centre cannot be checked. Record its location first."
            ),
            code="unit_without_location",
            field=field,
        )
    distance = distance_km(
        cluster.centre_latitude, cluster.centre_longitude, unit.latitude, unit.longitude
    )
    if distance > cluster.radius_km:
        raise DomainError(
            _("This unit is %(distance)s km from the cluster's centre; at most %(radius)s km.")
            % {
                "distance": _shown_distance(distance, cluster.radius_km),
                "radius": format_number(cluster.radius_km),
            },
            code="outside_radius",
            field=field,
        )
    return distance


def _check_isic(code: str) -> str:
    code = (code or "").strip()
    if len(code) != 4 or not code.isdigit():
        raise DomainError(
            _("An ISIC Rev.4 class has 4 digits."), code="invalid_isic", field="isic_code"
        )
    return code


def _check_centre(latitude, longitude) -> None:
    if latitude is None or longitude is None:
        raise DomainError(
            _("Give the centre's latitude and longitude."), code="centre", field="centre_latitude"
        )
    if not (-90 <= latitude <= 90) or not (-180 <= longitude <= 180):
        raise DomainError(
            _("The centre is not a point on the Earth."), code="centre", field="centre_latitude"
        )


def _check_radius(radius_km) -> int:
    if radius_km is None or not 1 <= int(radius_km) <= 500:
        raise DomainError(
            _("The radius is between 1 and 500 km."), code="radius", field="radius_km"
        )
    return int(radius_km)


# --- a cluster --------------------------------------------------------------------------------
@transaction.atomic
def cluster_create(
    *,
    actor,
    province,
    name: str,
    isic_code: str,
    product: str,
    centre_latitude,
    centre_longitude,
    radius_km: int = 100,
    agent=None,
    note: str = "",
    is_demo: bool = False,
) -> Cluster:
    _require_staff(actor, province.pk)
    name = _text(name)
    if not name:
        raise DomainError(_("Give the cluster a name."), code="name", field="name")
    if not _text(product):
        raise DomainError(_("Name the common product."), code="product", field="product")
    _check_centre(centre_latitude, centre_longitude)
    _require_agent(agent, province.pk)
    return Cluster.objects.create(
        province=province,
        name=name,
        isic_code=_check_isic(isic_code),
        product=_text(product),
        centre_latitude=centre_latitude,
        centre_longitude=centre_longitude,
        radius_km=_check_radius(radius_km),
        agent=agent,
        note=_text(note),
        is_demo=is_demo,
    )


CLUSTER_FIELDS = (
    "name",
    "isic_code",
    "product",
    "centre_latitude",
    "centre_longitude",
    "radius_km",
    "agent",
    "note",
)


@transaction.atomic
def cluster_update(*, actor, cluster: Cluster, expected_version: int, **changes) -> Cluster:
    """Change a cluster's description; the agent is named by the staff only; a new centre or
    radius must keep every current member within the radius."""
    _require_keeper(actor, cluster)
    cluster = _locked(cluster)
    unknown = set(changes) - set(CLUSTER_FIELDS)
    if unknown:
        raise ValueError(f"not cluster fields: {sorted(unknown)}")
    if "agent" in changes and changes["agent"] != cluster.agent:
        _require_staff(actor, cluster.province_id)
        _require_agent(changes["agent"], cluster.province_id)
    for field in ("name", "product", "note"):
        if field in changes:
            changes[field] = _text(changes[field])
    if "name" in changes and not changes["name"]:
        raise DomainError(_("Give the cluster a name."), code="name", field="name")
    if "isic_code" in changes:
        changes["isic_code"] = _check_isic(changes["isic_code"])
    if "radius_km" in changes:
        changes["radius_km"] = _check_radius(changes["radius_km"])
    for field, value in changes.items():
        setattr(cluster, field, value)
    _check_centre(cluster.centre_latitude, cluster.centre_longitude)
    for membership in current_members(cluster).select_related("unit"):
        distance = _within_radius(cluster, membership.unit, field="radius_km")
        membership.distance_km = round(distance, 2)
        membership.save(update_fields=["distance_km", "updated_at"])
    save_versioned(cluster, expected_version=expected_version, update_fields=list(changes))
    return cluster


def current_members(cluster: Cluster):
    return Membership.objects.filter(
        cluster=cluster, left_on__isnull=True, archived_at__isnull=True
    )


# --- members and associated non-members ------------------------------------------------------
@transaction.atomic
def member_add(*, actor, cluster: Cluster, unit, joined_on: dt.date) -> Membership:
    """A unit of the registry joins the cluster (within its radius: the 100 km rule)."""
    from shahrak.units.models import Unit

    _require_keeper(actor, cluster)
    # The staff see the whole registry; the agent sees only the clusters' members.
    require_access(
        actor,
        Action.CHANGE,
        cluster.province_id,
        _("Member units are added by the staff of the cluster's province."),
        roles=STAFF,
    )
    cluster = _locked(cluster)
    # A unit the actor cannot see is refused as one that does not exist.
    if not Unit.objects.restrict(actor, Action.VIEW).active().filter(pk=unit.pk).exists():
        raise DomainError(_("Choose a unit of the registry."), code="unit", field="unit")
    _not_in_future(joined_on, "joined_on")
    if current_members(cluster).filter(unit=unit).exists():
        raise DomainError(
            _("This unit is already a member of the cluster."), code="already_member", field="unit"
        )
    distance = _within_radius(cluster, unit)
    return Membership.objects.create(
        cluster=cluster, unit=unit, joined_on=joined_on, distance_km=round(distance, 2)
    )


@transaction.atomic
def member_leave(*, actor, membership: Membership, left_on: dt.date) -> Membership:
    """A member leaves the cluster on a date; its membership is kept."""
    _require_keeper(actor, membership.cluster)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise DomainError(
            _("This unit already left the cluster on %(date)s.")
            % {"date": format_jalali(membership.left_on)},
            code="already_left",
        )
    _not_in_future(left_on, "left_on")
    if left_on < membership.joined_on:
        raise DomainError(
            _("A unit leaves after it joined (%(date)s).")
            % {"date": format_jalali(membership.joined_on)},
            code="left_before_joining",
            field="left_on",
        )
    membership.left_on = left_on
    membership.version += 1
    membership.save(update_fields=["left_on", "version", "updated_at"])
    return membership


@transaction.atomic
def associate_add(*, actor, cluster: Cluster, name: str, role: str, note: str = "") -> Associate:
    """A non-member associated with the cluster (a supplier, a service provider…)."""
    _require_keeper(actor, cluster)
    name = _text(name)
    if not name:
        raise DomainError(_("Give the name."), code="name", field="name")
    if role not in AssociateRole.values:
        raise DomainError(_("Choose the role."), code="role", field="role")
    return Associate.objects.create(cluster=cluster, name=name, role=role, note=_text(note))


# --- the development plan ----------------------------------------------------------------------
@transaction.atomic
def plan_start(*, actor, cluster: Cluster, started_on: dt.date, note: str = "") -> DevelopmentPlan:
    """A development plan starts with the cluster's identification (one plan at work at once)."""
    _require_keeper(actor, cluster)
    cluster = _locked(cluster)
    _not_in_future(started_on, "started_on")
    at_work = DevelopmentPlan.objects.filter(
        cluster=cluster, stage__in=IN_PROGRESS_STAGES, archived_at__isnull=True
    )
    if at_work.exists():
        raise DomainError(
            _("This cluster already has a development plan in progress."),
            code="plan_in_progress",
        )
    plan = DevelopmentPlan.objects.create(cluster=cluster, started_on=started_on, note=_text(note))
    PlanStep.objects.create(
        plan=plan, stage=PlanStage.IDENTIFICATION, on=started_on, recorded_by=actor
    )
    return plan


def _attach(step: PlanStep, upload) -> None:
    try:
        extension = validate_upload(upload, kinds=DOCUMENT_FILE_KINDS, max_bytes=DOCUMENT_MAX_BYTES)
    except ValidationError as error:
        raise DomainError(error.messages[0], code=error.code or "file", field="document") from error
    step.document_name = str(upload.name).replace("\\", "/").rsplit("/", 1)[-1][:255]
    step.document_size = upload.size
    upload.seek(0)
    step.document.save(f"{secrets.token_hex(16)}.{extension}", upload, save=False)


@transaction.atomic
def plan_advance(
    *,
    actor,
    plan: DevelopmentPlan,
    stage: str,
    on: dt.date,
    note: str = "",
    document=None,
    association_name: str = "",
    association_registration_no: str = "",
) -> PlanStep:
    """The plan reaches its next stage on a date (stages in order, none skipped)."""
    _require_keeper(actor, plan.cluster)
    plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    expected = next_stage(plan.stage)
    if expected is None:
        raise DomainError(
            _("This plan is finished (%(date)s); nothing more can change it.")
            % {"date": format_jalali(plan.finished_on)},
            code="plan_finished",
        )
    if stage != expected:
        raise DomainError(
            _("The stages go in order: after «%(current)s» comes «%(next)s».")
            % {
                "current": PlanStage(plan.stage).label,
                "next": PlanStage(expected).label,
            },
            code="stage_order",
            field="stage",
        )
    _not_in_future(on)
    last = plan.steps.filter(archived_at__isnull=True).order_by("-on").first()
    earliest = last.on if last else plan.started_on
    if on < earliest:
        raise DomainError(
            _("This stage is dated before the plan's previous stage (%(date)s).")
            % {"date": format_jalali(earliest)},
            code="stage_before_previous",
            field="on",
        )
    fields = ["stage"]
    if stage == PlanStage.HANDOVER:
        name, number = _text(association_name), _text(association_registration_no)
        if not name or not number:
            raise DomainError(
                _("Name the receiving association and its registration number."),
                code="association",
                field="association_name",
            )
        plan.handed_over_on = on
        plan.association_name = name
        plan.association_registration_no = number
        fields += ["handed_over_on", "association_name", "association_registration_no"]
        cluster = _locked(plan.cluster)
        cluster.association_name = name
        cluster.association_registration_no = number
        cluster.version += 1
        cluster.save(
            update_fields=[
                "association_name",
                "association_registration_no",
                "version",
                "updated_at",
            ]
        )
    if stage == PlanStage.FINISHED:
        plan.finished_on = on
        fields.append("finished_on")
    step = PlanStep(plan=plan, stage=stage, on=on, note=_text(note), recorded_by=actor)
    if document is not None:
        if stage != PlanStage.DIAGNOSTIC:
            raise DomainError(
                _("A document is attached to the diagnostic study."),
                code="document_stage",
                field="document",
            )
        _attach(step, document)
    try:
        step.save()
    except Exception:
        if step.document:
            step.document.delete(save=False)
        raise
    plan.stage = stage
    plan.version += 1
    plan.save(update_fields=[*fields, "version", "updated_at"])
    return step


@transaction.atomic
def plan_study_attach(*, actor, plan: DevelopmentPlan, document) -> PlanStep:
    """Attach (or replace) the diagnostic study's document on the plan's diagnostic stage."""
    _require_keeper(actor, plan.cluster)
    step = (
        PlanStep.objects.select_for_update()
        .filter(plan=plan, stage=PlanStage.DIAGNOSTIC, archived_at__isnull=True)
        .first()
    )
    if step is None:
        raise DomainError(
            _("The plan has not reached its diagnostic study yet."), code="no_diagnostic"
        )
    _attach(step, document)
    step.version += 1
    step.save(update_fields=["document", "document_name", "document_size", "version", "updated_at"])
    return step


# --- action plans -----------------------------------------------------------------------------
ACTION_FIELDS = (
    "year",
    "title",
    "category",
    "cost_rial",
    "subsidy_rial",
    "application",
    "status",
    "starts_on",
    "ends_on",
)


def _check_action(actor, action: ActionPlan) -> None:
    if not _text(action.title):
        raise DomainError(_("Give the action plan a title."), code="title", field="title")
    if action.category not in ActionCategory.values:
        raise DomainError(_("Choose the category."), code="category", field="category")
    if action.status not in ActionStatus.values:
        raise DomainError(_("Choose the status."), code="status", field="status")
    if action.cost_rial is None or action.cost_rial < 0:
        raise DomainError(_("The cost cannot be negative."), code="cost", field="cost_rial")
    subsidy = action.subsidy_rial or 0
    if subsidy < 0 or subsidy > action.cost_rial:
        raise DomainError(
            _("The subsidy is between zero and the cost."), code="subsidy", field="subsidy_rial"
        )
    if action.starts_on is None or jalali_year_of(action.starts_on) != action.year:
        raise DomainError(
            _("An action plan of %(year)s starts in that year.")
            % {"year": format_number(action.year, persian=True)},
            code="year",
            field="starts_on",
        )
    if action.ends_on is not None and action.ends_on < action.starts_on:
        raise DomainError(
            _("The end is not before the start."), code="ends_before_start", field="ends_on"
        )
    if action.status == ActionStatus.DONE and action.ends_on is None:
        raise DomainError(
            _("Give the date a finished action plan ended."), code="done_date", field="ends_on"
        )
    if action.application_id is not None:
        from shahrak.support.models import Application

        visible = Application.objects.restrict(actor, Action.VIEW).filter(pk=action.application_id)
        if not visible.exists():
            raise DomainError(
                _("Choose a support application."), code="application", field="application"
            )
        members = Membership.objects.filter(cluster_id=action.cluster_id, archived_at__isnull=True)
        if not visible.filter(unit__in=members.values("unit")).exists():
            raise DomainError(
                _("The support application must be one of a member of the cluster."),
                code="application_member",
                field="application",
            )


@transaction.atomic
def action_plan_add(*, actor, cluster: Cluster, is_demo: bool = False, **fields) -> ActionPlan:
    _require_keeper(actor, cluster)
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"not action plan fields: {sorted(unknown)}")
    fields["title"] = _text(fields.get("title"))
    fields.setdefault("subsidy_rial", 0)
    action = ActionPlan(cluster=cluster, is_demo=is_demo, **fields)
    _check_action(actor, action)
    action.save()
    return action


@transaction.atomic
def action_plan_update(
    *, actor, action_plan: ActionPlan, expected_version: int, **changes
) -> ActionPlan:
    _require_keeper(actor, action_plan.cluster)
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"not action plan fields: {sorted(unknown)}")
    action = ActionPlan.objects.select_for_update().get(pk=action_plan.pk)
    if "title" in changes:
        changes["title"] = _text(changes["title"])
    for field, value in changes.items():
        setattr(action, field, value)
    _check_action(actor, action)
    save_versioned(action, expected_version=expected_version, update_fields=list(changes))
    return action


# --- a discovered candidate becomes a cluster ------------------------------------------------
@transaction.atomic
def candidate_register(
    *,
    actor,
    isic_code: str,
    centre_national_id: str,
    name: str,
    province: str | None = None,
    radius_km: int = 100,
    min_units: int = 10,
    joined_on: dt.date | None = None,
) -> Cluster:
    """Register a discovered candidate as a cluster in one step: centred on the candidate's
    centre unit, of its class and product, with its units as members from `joined_on`
    (today). Discovery is run again as the actor with the same parameters (`province` as
    the page had it), so the members are those it finds now; a candidate it no longer finds
    is refused."""
    from shahrak.places.models import Province
    from shahrak.units.models import Unit

    from .selectors import discover_for

    gone = DomainError(
        _("This candidate is no longer among the discovered ones; run discovery again."),
        code="candidate_gone",
    )
    centre = (
        Unit.objects.restrict(actor, Action.VIEW)
        .active()
        .filter(national_id=centre_national_id)
        .values_list("county__province_id", "latitude", "longitude")
        .first()
    )
    if centre is None:
        raise gone
    province_id, latitude, longitude = centre
    _require_staff(actor, province_id)
    found = discover_for(actor, province=province, radius_km=radius_km, min_units=min_units)
    candidate = next(
        (
            c
            for c in found.candidates
            if c.isic == isic_code and c.centre.national_id == centre_national_id
        ),
        None,
    )
    if candidate is None:
        raise gone
    cluster = cluster_create(
        actor=actor,
        province=Province.objects.get(pk=province_id),
        name=name,
        isic_code=isic_code,
        product=found.product_of(candidate) or isic_code,
        centre_latitude=latitude,
        centre_longitude=longitude,
        radius_km=radius_km,
    )
    joined_on = joined_on or timezone.localdate()
    for unit in Unit.objects.filter(national_id__in=candidate.member_ids).order_by("pk"):
        member_add(actor=actor, cluster=cluster, unit=unit, joined_on=joined_on)
    return cluster
