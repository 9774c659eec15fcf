"""Writes about parks, plots and infrastructure projects, with their rules.

Each function takes the acting user, checks the rule, runs in one transaction and raises
DomainError with the message users see (and the field it concerns) when the rule says no.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shahrak.accounts.access import require_access
from shahrak.accounts.choices import Action
from shahrak.core.errors import DomainError
from shahrak.core.jalali import format_jalali
from shahrak.core.models import save_versioned
from shahrak.core.numbers import localized
from shahrak.core.text import normalize_fa

from .choices import DELIVERED, PlotStatus, ProjectStatus
from .models import InfrastructureProject, Park, ParkSection, Plot, PlotEvent, ProgressReport

# Which plot status may follow which.
PLOT_TRANSITIONS = {
    PlotStatus.READY: {PlotStatus.ALLOCATED},
    PlotStatus.ALLOCATED: {PlotStatus.UNDER_CONSTRUCTION, PlotStatus.RETURNED},
    PlotStatus.UNDER_CONSTRUCTION: {PlotStatus.OPERATIONAL, PlotStatus.RETURNED},
    PlotStatus.OPERATIONAL: {PlotStatus.RETURNED},
    PlotStatus.RETURNED: {PlotStatus.READY},
}


def plot_next_statuses(current: str) -> list[PlotStatus]:
    """The statuses a plot may go to from `current`, in the choices' order: what the status
    form offers (the service refuses any other)."""
    allowed = PLOT_TRANSITIONS.get(current, set())
    return [status for status in PlotStatus if status in allowed]


def _province_of_park(park: Park) -> int:
    return park.county.province_id


def _check_park_fields(fields: dict) -> None:
    gross, industrial = fields.get("gross_area_ha"), fields.get("industrial_area_ha")
    if gross is not None and industrial is not None and industrial > gross:
        raise DomainError(
            _("The industrial land cannot be larger than the gross area."),
            code="industrial_area_exceeds_gross",
            field="industrial_area_ha",
        )


@transaction.atomic
def park_create(*, actor, county, **fields) -> Park:
    require_access(
        actor,
        Action.CHANGE,
        county.province_id,
        _("You may add parks only in the counties of your own province."),
    )
    _check_park_fields(fields)
    fields["name"] = normalize_fa(fields["name"])
    if Park.objects.filter(county=county, name=fields["name"]).exists():
        raise DomainError(
            _("A park with this name already exists in this county."),
            code="duplicate_park",
            field="name",
        )
    return Park.objects.create(county=county, **fields)


@transaction.atomic
def park_update(*, actor, park: Park, expected_version: int, **fields) -> Park:
    require_access(actor, Action.CHANGE, _province_of_park(park))
    county = fields.get("county", park.county)
    require_access(
        actor,
        Action.CHANGE,
        county.province_id,
        _("You may move a park only to a county of your own province."),
    )
    merged = {
        "gross_area_ha": fields.get("gross_area_ha", park.gross_area_ha),
        "industrial_area_ha": fields.get("industrial_area_ha", park.industrial_area_ha),
    }
    _check_park_fields(merged)
    if "name" in fields:
        fields["name"] = normalize_fa(fields["name"])
    for name, value in fields.items():
        setattr(park, name, value)
    save_versioned(park, expected_version=expected_version, update_fields=list(fields))
    return park


@transaction.atomic
def section_create(*, actor, park: Park, name: str, area_ha, opened_on=None) -> ParkSection:
    require_access(actor, Action.CHANGE, _province_of_park(park))
    return ParkSection.objects.create(
        park=park, name=normalize_fa(name), area_ha=area_ha, opened_on=opened_on
    )


# --- plots -------------------------------------------------------------------------------
@transaction.atomic
def plot_create(
    *, actor, park: Park, number: str, area_m2, use, section=None, on: dt.date, allottee=""
) -> Plot:
    """A new plot, ready for allocation from `on`."""
    require_access(actor, Action.CHANGE, _province_of_park(park))
    if section is not None and section.park_id != park.pk:
        raise DomainError(
            _("This section belongs to another park."),
            code="section_of_other_park",
            field="section",
        )
    number = normalize_fa(number)
    if Plot.objects.filter(park=park, number=number).exists():
        raise DomainError(
            _("This park already has a plot with this number."),
            code="duplicate_plot",
            field="number",
        )
    plot = Plot.objects.create(
        park=park, number=number, area_m2=area_m2, use=use, section=section, allottee=allottee
    )
    PlotEvent.objects.create(plot=plot, status=PlotStatus.READY, on=on)
    return plot


@transaction.atomic
def plot_change_status(*, actor, plot: Plot, status: str, on: dt.date, note="", allottee=None):
    require_access(actor, Action.CHANGE, plot.park.county.province_id)
    plot = Plot.objects.select_for_update().get(pk=plot.pk)
    if status not in PLOT_TRANSITIONS[plot.status]:
        if status == PlotStatus.ALLOCATED and plot.status != PlotStatus.READY:
            raise DomainError(
                _("This plot is already allocated (%(status)s); it cannot be allocated again.")
                % {"status": plot.get_status_display()},
                code="plot_already_allocated",
                field="status",
            )
        raise DomainError(
            _("A plot cannot go from “%(old)s” to “%(new)s”.")
            % {"old": plot.get_status_display(), "new": PlotStatus(status).label},
            code="illegal_plot_transition",
            field="status",
        )
    last = plot.events.order_by("-on", "-pk").first()
    if last and on < last.on:
        raise DomainError(
            _("The date must not be before the plot's last change (%(date)s).")
            % {"date": format_jalali(last.on)},
            code="date_before_last_change",
            field="on",
        )
    PlotEvent.objects.create(plot=plot, status=status, on=on, note=note)
    plot.status = status
    fields = ["status", "updated_at"]
    if allottee is not None:
        plot.allottee = normalize_fa(allottee)
        fields.append("allottee")
    elif status in (PlotStatus.RETURNED, PlotStatus.READY):
        plot.allottee = ""
        fields.append("allottee")
    plot.save(update_fields=fields)
    return plot


def plot_allocate(*, actor, plot: Plot, allottee: str, on: dt.date) -> Plot:
    if not normalize_fa(allottee):
        raise DomainError(
            _("Name who the plot is allocated to."), code="allottee_required", field="allottee"
        )
    return plot_change_status(
        actor=actor, plot=plot, status=PlotStatus.ALLOCATED, on=on, allottee=allottee
    )


# --- infrastructure projects --------------------------------------------------------------
def _check_project_fields(project: InfrastructureProject) -> None:
    start, end, target = project.planned_start, project.planned_end, project.target_delivery
    if start and end and end < start:
        raise DomainError(
            _("The planned end must not be before the planned start."),
            code="end_before_start",
            field="planned_end",
        )
    if start and target and target < start:
        raise DomainError(
            _("The target delivery must not be before the planned start."),
            code="target_before_start",
            field="target_delivery",
        )
    if project.section_id and project.section.park_id != project.park_id:
        raise DomainError(
            _("This section belongs to another park."),
            code="section_of_other_park",
            field="section",
        )
    if project.capacity is not None and not project.capacity_unit:
        raise DomainError(
            _("Give the unit of the capacity (MW, m³ per day, km …)."),
            code="capacity_unit_required",
            field="capacity_unit",
        )


@transaction.atomic
def project_create(*, actor, park: Park, **fields) -> InfrastructureProject:
    require_access(actor, Action.CHANGE, _province_of_park(park))
    fields["title"] = normalize_fa(fields["title"])
    project = InfrastructureProject(park=park, **fields)
    _check_project_fields(project)
    project.save()
    return project


@transaction.atomic
def project_update(*, actor, project, expected_version: int, **fields) -> InfrastructureProject:
    require_access(actor, Action.CHANGE, _province_of_park(project.park))
    if "park" in fields:
        require_access(actor, Action.CHANGE, _province_of_park(fields["park"]))
    if "title" in fields:
        fields["title"] = normalize_fa(fields["title"])
    for name, value in fields.items():
        setattr(project, name, value)
    _check_project_fields(project)
    save_versioned(project, expected_version=expected_version, update_fields=list(fields))
    return project


def _refuse_closed(project) -> None:
    if not project.takes_reports:
        raise DomainError(
            _("This project is %(status)s: it takes no more reports.")
            % {"status": project.get_status_display()},
            code="project_closed",
        )


@transaction.atomic
def progress_report_add(
    *, actor, project, on: dt.date, progress_pct, spent_to_date_rial=None, note=""
) -> ProgressReport:
    """Record physical progress (and cumulative spend) as of a date."""
    require_access(actor, Action.CHANGE, _province_of_park(project.park))
    project = InfrastructureProject.objects.select_for_update().get(pk=project.pk)
    _refuse_closed(project)
    progress_pct = Decimal(progress_pct)
    if not Decimal(0) <= progress_pct <= Decimal(100):
        raise DomainError(
            _("Physical progress is a percentage between 0 and 100."),
            code="progress_out_of_range",
            field="progress_pct",
        )
    if on > timezone.localdate():
        raise DomainError(
            _("Progress cannot be reported for a future date."),
            code="future_report",
            field="on",
        )
    if project.temporarily_delivered_on and progress_pct < 100:
        raise DomainError(
            _("The project was delivered at 100 %; a later report cannot show less."),
            code="progress_after_delivery",
            field="progress_pct",
        )
    if project.temporarily_delivered_on:
        # Delivered at 100 %: a later report can only say that more money was spent (final
        # payments); another bare 100 % adds nothing and is refused.
        latest = project.reports.order_by("-on", "-pk").first()
        before = latest.spent_to_date_rial if latest else None
        if spent_to_date_rial is None or (before is not None and spent_to_date_rial <= before):
            raise DomainError(
                _(
                    "The project was delivered at 100 %: a report after delivery records "
                    "more money spent to date, nothing else."
                ),
                code="nothing_new_after_delivery",
                field="spent_to_date_rial",
            )
    earlier = project.reports.filter(on__lte=on).order_by("-on", "-pk").first()
    later = project.reports.filter(on__gt=on).order_by("on", "pk").first()
    if earlier and progress_pct < earlier.progress_pct:
        raise DomainError(
            _("Progress cannot go down: on %(date)s it was already %(pct)s %%.")
            % {"date": format_jalali(earlier.on), "pct": localized(earlier.progress_pct)},
            code="progress_decreased",
            field="progress_pct",
        )
    if later and progress_pct > later.progress_pct:
        raise DomainError(
            _("A later report (%(date)s) shows less progress (%(pct)s %%).")
            % {"date": format_jalali(later.on), "pct": localized(later.progress_pct)},
            code="progress_above_later_report",
            field="progress_pct",
        )
    if spent_to_date_rial is not None and (
        earlier and earlier.spent_to_date_rial and spent_to_date_rial < earlier.spent_to_date_rial
    ):
        raise DomainError(
            _("Money spent to date cannot be less than in the earlier report."),
            code="spend_decreased",
            field="spent_to_date_rial",
        )
    report = ProgressReport.objects.create(
        project=project,
        on=on,
        progress_pct=progress_pct,
        spent_to_date_rial=spent_to_date_rial,
        note=normalize_fa(note),
    )
    _refresh_project_from_reports(project)
    return report


def _refresh_project_from_reports(project) -> None:
    latest = project.reports.order_by("-on", "-pk").first()
    latest_spend = project.reports.exclude(spent_to_date_rial=None).order_by("-on", "-pk").first()
    project.progress_pct = latest.progress_pct if latest else Decimal(0)
    project.spent_rial = latest_spend.spent_to_date_rial if latest_spend else 0
    if project.status == ProjectStatus.PLANNED and project.progress_pct > 0:
        project.status = ProjectStatus.IN_PROGRESS
    project.save(update_fields=["progress_pct", "spent_rial", "status", "updated_at"])


@transaction.atomic
def project_deliver_temporarily(*, actor, project, on: dt.date) -> InfrastructureProject:
    """Temporary delivery (تحویل موقت): only at 100 % physical progress."""
    require_access(actor, Action.CHANGE, _province_of_park(project.park))
    project = InfrastructureProject.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.IN_PROGRESS:
        raise DomainError(
            _("Only a project in progress can be temporarily delivered (it is %(status)s).")
            % {"status": project.get_status_display()},
            code="not_in_progress",
        )
    if project.progress_pct < 100:
        raise DomainError(
            _("Temporary delivery needs 100 %% physical progress; the project is at %(pct)s %%.")
            % {"pct": localized(project.progress_pct)},
            code="delivery_before_complete",
        )
    last = project.reports.order_by("-on", "-pk").first()
    if last and on < last.on:
        raise DomainError(
            _("Delivery cannot be dated before the last progress report (%(date)s).")
            % {"date": format_jalali(last.on)},
            code="delivery_before_report",
            field="on",
        )
    project.status = ProjectStatus.TEMPORARILY_DELIVERED
    project.temporarily_delivered_on = on
    project.save(update_fields=["status", "temporarily_delivered_on", "updated_at"])
    return project


@transaction.atomic
def project_deliver_finally(*, actor, project, on: dt.date) -> InfrastructureProject:
    """Final delivery (تحویل قطعی): after the temporary delivery."""
    require_access(actor, Action.CHANGE, _province_of_park(project.park))
    project = InfrastructureProject.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.TEMPORARILY_DELIVERED:
        raise DomainError(
            _("Final delivery comes after the temporary delivery."),
            code="not_temporarily_delivered",
        )
    if on < project.temporarily_delivered_on:
        raise DomainError(
            _("Final delivery cannot be dated before the temporary delivery (%(date)s).")
            % {"date": format_jalali(project.temporarily_delivered_on)},
            code="final_before_temporary",
            field="on",
        )
    project.status = ProjectStatus.FINALLY_DELIVERED
    project.finally_delivered_on = on
    project.save(update_fields=["status", "finally_delivered_on", "updated_at"])
    return project


@transaction.atomic
def project_cancel(*, actor, project) -> InfrastructureProject:
    require_access(actor, Action.CHANGE, _province_of_park(project.park))
    if project.status in DELIVERED:
        raise DomainError(_("A delivered project cannot be cancelled."), code="already_delivered")
    project.status = ProjectStatus.CANCELLED
    project.save(update_fields=["status", "updated_at"])
    return project
