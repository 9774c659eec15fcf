from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from shahrak.accounts.access import signed_in
from shahrak.accounts.choices import Action
from shahrak.accounts.policy import access_for
from shahrak.units.selectors import units_represented_by

from .navigation import areas_for


@signed_in
def home(request):
    """Each user's work: the units they represent (with status, history and exports), and
    the areas they may open."""
    areas = [area for area in areas_for(request) if area.key != "home"]
    units = units_represented_by(request.user)
    _with_reports_due(units)
    represents_none = not units and "unit" in access_for(request.user).object_kinds(Action.VIEW)
    return render(
        request,
        "home/home.html",
        {"areas": areas, "units": units, "represents_none": represents_none,
         "clusters": _clusters_of(request.user), "support_work": _support_work(request.user)},
    )  # fmt: skip


def _clusters_of(user) -> list:
    """The clusters whose development agent the user is (their work), from the clusters app."""
    if "cluster" not in access_for(user).object_kinds(Action.VIEW):
        return []
    from shahrak.clusters.choices import PlanStage
    from shahrak.clusters.views import clusters_for

    clusters = list(clusters_for(user).filter(agent=user))
    for cluster in clusters:
        cluster.stage_label = PlanStage(cluster.plan_stage).label if cluster.plan_stage else ""
    return clusters


def _support_work(user) -> list[dict]:
    """The support applications waiting on the user (an expert's assigned reviews, a
    manager's decisions), each kind with the address of its list."""
    from shahrak.support.selectors import work_waiting

    work = work_waiting(user)
    for kind in work:
        kind["query"] = urlencode({"mine": kind["kind"]})
    return work


def _with_reports_due(units) -> None:
    """Each represented unit's monthly reports due and not filed, and those returned for
    correction (each with the address of its form), from the revival app."""
    from shahrak.revival.selectors import reports_due

    if not units:
        return
    due, returned = reports_due([unit.pk for unit in units], timezone.localdate())
    by_unit: dict[int, list] = {}
    for report in returned:
        by_unit.setdefault(report.unit_id, []).append(report)
    for unit in units:
        unit.reports_due = [
            {"year": year, "month": month,
             "query": urlencode({"unit": unit.pk, "year": year, "month": month})}
            for year, month in due.get(unit.pk, [])
        ]  # fmt: skip
        unit.reports_returned = by_unit.get(unit.pk, [])
