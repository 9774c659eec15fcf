"""Infrastructure and land figures for reports, as aggregate queries.

Each function takes querysets the caller has already scoped (restrict(user) and filtered to
a province, county or park), so a figure never includes records the user cannot see.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from shahrak.core.jalali import JalaliPeriod
from shahrak.core.metrics import Metric

from .choices import POWER_KINDS, POWER_MW, CapacityUnit, PlotStatus, ProjectStatus
from .models import HECTARE_M2, PlotEvent, ProgressReport


def _latest_report(field: str, **on_filter):
    return Subquery(
        ProgressReport.objects.filter(project=OuterRef("pk"), **on_filter)
        .exclude(**{f"{field}__isnull": True})
        .order_by("-on", "-pk")
        .values(field)[:1]
    )


def spent_until(projects, date: dt.date) -> int:
    """Money spent on these projects up to and including `date` (rial)."""
    total = projects.annotate(
        spent=Coalesce(_latest_report("spent_to_date_rial", on__lte=date), Value(0))
    ).aggregate(total=Sum("spent"))["total"]
    return int(total or 0)


def with_spend_between(projects, start: dt.date | None, end: dt.date):
    """The projects annotated with `spent_in_period`: money spent on each from `start` to
    `end`, both included (None: since the start of the records) — the spend reported by
    `end` less that reported before `start`."""
    spent = {"spent_by_end": Coalesce(_latest_report("spent_to_date_rial", on__lte=end), Value(0))}
    if start is None or start == dt.date.min:  # nothing is reported before the first day
        return projects.annotate(**spent, spent_in_period=F("spent_by_end"))
    before = start - dt.timedelta(days=1)
    spent["spent_before"] = Coalesce(_latest_report("spent_to_date_rial", on__lte=before), Value(0))
    return projects.annotate(**spent).annotate(
        spent_in_period=F("spent_by_end") - F("spent_before")
    )


def spend_rial(projects, period: JalaliPeriod) -> int:
    """Money spent on these projects within the period (rial)."""
    total = with_spend_between(projects, period.start, period.end).aggregate(
        total=Sum("spent_in_period")
    )["total"]
    return int(total or 0)


def delivered_in(projects, period: JalaliPeriod):
    """Projects temporarily delivered within the period."""
    return projects.filter(temporarily_delivered_on__range=(period.start, period.end))


def adding_power(projects):
    """The projects whose capacity counts as power added: substations and networks in MW."""
    return projects.filter(kind__in=POWER_KINDS, capacity_unit=CapacityUnit.MW)


def projects_delivered(projects, period: JalaliPeriod) -> int:
    return delivered_in(projects, period).count()


def power_mw_added(projects, period: JalaliPeriod) -> Decimal:
    """MW of power capacity put into service (temporarily delivered) within the period."""
    total = adding_power(delivered_in(projects, period)).aggregate(total=Sum("capacity"))["total"]
    return total or Decimal(0)


def progress_as_of(projects, date: dt.date):
    """The projects annotated with `progress_then`: their physical progress (%) on `date`."""
    return projects.annotate(
        progress_then=Coalesce(
            _latest_report("progress_pct", on__lte=date),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=5, decimal_places=2),
        )
    )


def in_progress_at(projects, date: dt.date):
    """Projects under way on `date` (reported on by then, not yet delivered nor cancelled),
    annotated with their progress then."""
    reported = ProgressReport.objects.filter(on__lte=date).values("project")
    return (
        progress_as_of(projects.filter(pk__in=reported), date)
        .filter(Q(temporarily_delivered_on__isnull=True) | Q(temporarily_delivered_on__gt=date))
        .exclude(status=ProjectStatus.CANCELLED)
    )


def plots_with_status_at(plots, date: dt.date):
    """The plots annotated with `status_then`: their status on `date` (None before they exist)."""
    return plots.annotate(
        status_then=Subquery(
            PlotEvent.objects.filter(plot=OuterRef("pk"), on__lte=date)
            .order_by("-on", "-pk")
            .values("status")[:1]
        )
    )


def hectares_ready_at(plots, date: dt.date) -> Decimal:
    """Land ready for allocation on `date`, in hectares."""
    total = (
        plots_with_status_at(plots, date)
        .filter(status_then=PlotStatus.READY)
        .aggregate(total=Sum("area_m2"))["total"]
    )
    return (total or Decimal(0)) / HECTARE_M2


# --- report metrics ----------------------------------------------------------------------
def _projects(user, scope):
    from .models import InfrastructureProject

    return scope.narrow(
        InfrastructureProject.objects.restrict(user), province="park__county__province",
        county="park__county", park="park",
    )  # fmt: skip


def _plots(user, scope):
    from .models import Plot

    return scope.narrow(
        Plot.objects.restrict(user), province="park__county__province", county="park__county",
        park="park",
    )  # fmt: skip


def _spending_url(scope, period):
    """The projects money was spent on within the period (the list totals the spend)."""
    return scope.records_url("parks:project-list", spent_from=period.start.isoformat(),
                             spent_to=period.end.isoformat())  # fmt: skip


def _delivered_url(scope, period, **filters):
    """The projects temporarily delivered within the period."""
    return scope.records_url("parks:project-list", delivered_from=period.start.isoformat(),
                             delivered_to=period.end.isoformat(), **filters)  # fmt: skip


METRICS = [
    Metric(
        "infra.spend_rial", "هزینهٔ طرح‌های زیرساختی", "Spent on infrastructure", "rial", "flow",
        lambda user, scope, period: spend_rial(_projects(user, scope), period),
        records=_spending_url,
        description="Money spent on infrastructure projects within the period (cumulative spend "
        "reported at the period's end minus that before its start).",
    ),
    Metric(
        "infra.power_mw_added", "ظرفیت برق افزوده", "Power capacity added", "mw", "flow",
        lambda user, scope, period: power_mw_added(_projects(user, scope), period),
        records=lambda scope, period: _delivered_url(scope, period, power=POWER_MW),
        description="MW of power substations and networks temporarily delivered in the period.",
    ),
    Metric(
        "infra.projects_delivered", "طرح‌های تحویل‌شده", "Projects delivered", "count", "flow",
        lambda user, scope, period: projects_delivered(_projects(user, scope), period),
        records=_delivered_url,
        description="Infrastructure projects temporarily delivered within the period.",
    ),
    Metric(
        "land.ready_for_allocation_ha", "زمین آمادهٔ واگذاری", "Land ready for allocation",
        "hectare", "stock",
        lambda user, scope, period: hectares_ready_at(_plots(user, scope), period.end),
        records=lambda scope, period: scope.records_url(
            "parks:plot-list", ready_on=period.end.isoformat()
        ),
        description="Hectares of plots ready for allocation on the period's last day.",
    ),
]  # fmt: skip
