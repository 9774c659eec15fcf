import datetime as dt

from django.db.models import Count, Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.access import provinces_for, signed_in
from shahrak.accounts.choices import Action, Role
from shahrak.accounts.policy import EVERYWHERE, access_for
from shahrak.core.jalali import format_jalali, jalali_year_of
from shahrak.units.selectors import units_represented_by

from .navigation import areas_for


@signed_in
def home(request):
    """Each user's work: the units they represent (with status, history and exports); a
    province's staff their support applications, revival work and clusters; headquarters
    the country by province; an auditor the latest changes of their scope; and the areas
    they may open. Every figure is a count through `restrict(user)` whose link opens the
    list filtered to the same records."""
    areas = [area for area in areas_for(request) if area.key != "home"]
    units = units_represented_by(request.user)
    _with_reports_due(units)
    represents_none = not units and "unit" in access_for(request.user).object_kinds(Action.VIEW)
    return render(
        request,
        "home/home.html",
        {"areas": areas, "units": units, "represents_none": represents_none,
         "clusters": _clusters_of(request.user), "support_work": _support_work(request.user),
         "revival_work": _revival_work(request.user),
         "province_clusters": _province_clusters(request.user),
         "national": _national(request.user), "audit": _audit(request.user)},
    )  # fmt: skip


def _staff_provinces(user):
    """The provinces where the user is on the staff (a manager or an expert): a province's
    work is theirs. National roles and the system's administrators are not staff here."""
    provinces = access_for(user).provinces(Action.CHANGE, frozenset({Role.MANAGER, Role.EXPERT}))
    return provinces if provinces and provinces is not EVERYWHERE else frozenset()


def _link(url_name: str, **query) -> str:
    return f"{reverse(url_name)}?{urlencode(query)}" if query else reverse(url_name)


def _revival_work(user) -> dict | None:
    """A provincial staff member's revival work, each figure a count of the records its
    link lists: monthly reports waiting for review, open cases by stage, cases with
    overdue plan actions; the watch list as a link only (it reads every unit's reports)."""
    if not _staff_provinces(user):
        return None
    from shahrak.revival.choices import OPEN_STAGES, CaseStage, ReportStatus
    from shahrak.revival.models import MonthlyReport, PlanAction, RevivalCase
    from shahrak.revival.selectors import overdue_actions

    cases = RevivalCase.objects.restrict(user, Action.VIEW)
    by_stage = dict(
        cases.filter(stage__in=OPEN_STAGES).order_by().values_list("stage").annotate(n=Count("pk"))
    )
    overdue = overdue_actions(
        PlanAction.objects.filter(plan__case=OuterRef("pk")), today=timezone.localdate()
    )
    waiting = MonthlyReport.objects.restrict(user, Action.VIEW).filter(
        status=ReportStatus.SUBMITTED
    )
    return {
        "reports_waiting": waiting.count(),
        "reports_url": _link("revival:report-list", status=ReportStatus.SUBMITTED),
        "stages": [
            {
                "label": CaseStage(stage).label,
                "count": by_stage.get(stage, 0),
                "url": _link("revival:case-list", stage=stage),
            }
            for stage in OPEN_STAGES
        ],
        "overdue": cases.filter(Exists(overdue)).count(),
        "overdue_url": _link("revival:case-list", overdue="true"),
        "cases_url": reverse("revival:case-list"),
        "watch_url": reverse("revival:watch-list"),
    }


def _province_clusters(user) -> dict | None:
    """A provincial staff member's clusters: how many, by the stage of a plan in progress,
    and the action plans running this Jalali year."""
    if not _staff_provinces(user):
        return None
    from shahrak.clusters.choices import IN_PROGRESS_STAGES, ActionStatus, PlanStage
    from shahrak.clusters.models import ActionPlan, Cluster, DevelopmentPlan

    clusters = Cluster.objects.restrict(user, Action.VIEW).filter(archived_at__isnull=True)
    plans = DevelopmentPlan.objects.filter(archived_at__isnull=True)
    stages = []
    for stage in IN_PROGRESS_STAGES:
        count = clusters.filter(pk__in=plans.filter(stage=stage).values("cluster")).count()
        if count:
            url = _link("clusters:cluster-list", stage=stage)
            stages.append({"label": PlanStage(stage).label, "count": count, "url": url})
    year = jalali_year_of(timezone.localdate())
    running = ActionPlan.objects.restrict(user, Action.VIEW).filter(
        archived_at__isnull=True, year=year, status=ActionStatus.RUNNING
    )
    return {
        "count": clusters.count(),
        "url": reverse("clusters:cluster-list"),
        "stages": stages,
        "year": year,
        "running": running.count(),
        "running_url": _link("clusters:action-plan-list", year=year, status=ActionStatus.RUNNING),
    }


def _national(user) -> dict | None:
    """Headquarters' view of the country (read only): the national dashboard of this Jalali
    year and the last, and by province (those with any) the open revival cases, the
    applications waiting and the clusters, each linked to its list filtered by the
    province."""
    if access_for(user).provinces(Action.VIEW, frozenset({Role.HQ})) is not EVERYWHERE:
        return None
    from shahrak.clusters.models import Cluster
    from shahrak.revival.models import RevivalCase
    from shahrak.revival.selectors import open_at
    from shahrak.support.choices import ApplicationStatus
    from shahrak.support.models import Application

    today = timezone.localdate()
    year = jalali_year_of(today)
    on = format_jalali(today, persian=False)
    province = "unit__county__province"
    open_cases = _by(
        RevivalCase.objects.restrict(user, Action.VIEW).filter(open_at(today)), province
    )
    applications = Application.objects.restrict(user, Action.VIEW)
    submitted = _by(applications.filter(status=ApplicationStatus.SUBMITTED), province)
    reviewed = _by(applications.filter(status=ApplicationStatus.UNDER_REVIEW), province)
    clusters = _by(
        Cluster.objects.restrict(user, Action.VIEW).filter(archived_at__isnull=True), "province"
    )
    columns = [
        (_("Open revival cases"), open_cases,
         lambda code: _link("revival:case-list", province=code, open_on=on)),
        (_("Applications submitted"), submitted,
         lambda code: _link("support:application-list", province=code,
                            status=ApplicationStatus.SUBMITTED)),
        (_("Applications under review"), reviewed,
         lambda code: _link("support:application-list", province=code,
                            status=ApplicationStatus.UNDER_REVIEW)),
        (_("Clusters"), clusters, lambda code: _link("clusters:cluster-list", province=code)),
    ]  # fmt: skip
    # The provinces with something to count (a row of zeros for each of the others would
    # bury the few that have work under thirty lines).
    rows = [
        {"province": place,
         "cells": [(counts.get(place.pk, 0), url(place.code), label)
                   for label, counts, url in columns]}
        for place in provinces_for(user, Action.VIEW)
        if any(place.pk in counts for _label, counts, _url in columns)
    ]  # fmt: skip
    return {
        "periods": [
            {"year": year, "url": _link("reports:dashboard", period=year)},
            {"year": year - 1, "url": _link("reports:dashboard", period=year - 1)},
        ],
        "columns": [label for label, _counts, _url in columns],
        "rows": rows,
        "totals": [
            (sum(row["cells"][i][0] for row in rows), label)
            for i, (label, _counts, _url) in enumerate(columns)
        ],
    }


def _by(queryset, path: str) -> dict[int, int]:
    """Province id → how many records of `queryset` (one grouped query)."""
    return dict(queryset.order_by().values_list(path).annotate(n=Count("pk", distinct=True)))


def _audit(user) -> dict | None:
    """An auditor's scope: the latest changes recorded (the activity log's first lines) and
    how many in the last seven days, linked to the full log."""
    if not access_for(user).provinces(Action.VIEW_HISTORY, frozenset({Role.AUDITOR})):
        return None
    from shahrak.accounts.history import action_label, label_records
    from shahrak.accounts.models import AuditEntry

    entries = AuditEntry.objects.restrict(user, Action.VIEW)
    latest = list(
        entries.select_related("actor", "content_type", "province").order_by("-timestamp", "-pk")[
            :10
        ]
    )
    for entry in latest:
        entry.label = action_label(entry)
    label_records(latest)
    since = timezone.localdate() - dt.timedelta(days=6)
    return {
        "latest": latest,
        "url": reverse("accounts:activity"),
        "week": entries.filter(timestamp__date__gte=since).count(),
        "week_url": _link("accounts:activity", since=format_jalali(since, persian=False)),
    }


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
