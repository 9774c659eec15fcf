"""Cluster figures for reports: development plans in progress, finished and handed over,
action plans carried out, and member units — aggregate queries on querysets scoped to the
asking user (`restrict(user)`) and to the report's scope.

Clusters are provincial records: a report of a county or a park has no cluster figure (None,
"not applicable", and no records link), not a zero that would read as "none here".
Each figure is documented in docs/reports.md and links to the list of the records it counts.
"""

from django.db.models import Count, Q

from shahrak.core.jalali import JalaliPeriod
from shahrak.core.metrics import Metric

from .choices import ActionStatus
from .filtersets import in_progress_at, member_at


def _provincial(scope) -> bool:
    return scope.county is None and scope.park is None


def _scoped(model, user, scope, path: str):
    records = model.objects.restrict(user).filter(archived_at__isnull=True)
    return scope.narrow(records, province=path, county=path)


def _within(field: str, period: JalaliPeriod) -> Q:
    return Q(**{f"{field}__range": (period.start, period.end)})


def _counts(queryset, conditions: list[Q], scope) -> list[int | None]:
    if not _provincial(scope):
        return [None] * len(conditions)
    found = queryset.aggregate(**{f"p{i}": Count("pk", filter=q) for i, q in enumerate(conditions)})
    return [found[f"p{i}"] for i in range(len(conditions))]


def _plans(user, scope):
    from .models import DevelopmentPlan

    return _scoped(DevelopmentPlan, user, scope, "cluster__province")


def plans_in_progress(user, scope, periods):
    return _counts(_plans(user, scope), [in_progress_at(p.end) for p in periods], scope)


def plans_finished(user, scope, periods):
    return _counts(_plans(user, scope), [_within("finished_on", p) for p in periods], scope)


def handed_over(user, scope, periods):
    return _counts(_plans(user, scope), [_within("handed_over_on", p) for p in periods], scope)


def action_plans(user, scope, periods):
    from .models import ActionPlan

    actions = _scoped(ActionPlan, user, scope, "cluster__province").exclude(
        status=ActionStatus.CANCELLED
    )
    return _counts(actions, [_within("starts_on", p) for p in periods], scope)


def members(user, scope, periods):
    from .models import Membership

    memberships = _scoped(Membership, user, scope, "cluster__province")
    return _counts(memberships, [member_at(p.end) for p in periods], scope)


# --- the records behind each figure ---------------------------------------------------------
def _records(route: str, **filters):
    def url(scope, period):
        from django.urls import NoReverseMatch

        if not _provincial(scope):
            return None
        try:
            return scope.records_url(
                route,
                **{name: getattr(period, attr).isoformat() for name, attr in filters.items()},
            )
        except NoReverseMatch:
            return None

    return url


def _action_plans_url(scope, period):
    url = _records("clusters:action-plan-list", starts_from="start", starts_to="end")(scope, period)
    return f"{url}&carried_out=true" if url else url


METRICS = [
    Metric(
        "clusters.plans_in_progress", "طرح‌های توسعهٔ خوشه‌ای در حال اجرا",
        "Cluster development plans in progress", "count", "stock",
        compute_many=plans_in_progress,
        records=_records("clusters:plan-list", in_progress_on="end"),
        description="Cluster development plans started by the period's end and not finished "
        "by then.",
    ),
    Metric(
        "clusters.plans_finished", "طرح‌های توسعهٔ خوشه‌ای پایان‌یافته",
        "Cluster development plans finished", "count", "flow",
        compute_many=plans_finished,
        records=_records("clusters:plan-list", finished_from="start", finished_to="end"),
        description="Cluster development plans that reached their last stage (finished) "
        "within the period.",
    ),
    Metric(
        "clusters.handed_over", "خوشه‌های واگذارشده به تشکل محلی",
        "Clusters handed over to a local body", "count", "flow", compute_many=handed_over,
        records=_records("clusters:plan-list", handed_over_from="start",
                         handed_over_to="end"),
        description="Cluster development plans handed over to a local association within "
        "the period.",
    ),
    Metric(
        "clusters.action_plans", "برنامه‌های عمل خوشه‌ها", "Action plans of clusters",
        "count", "flow", compute_many=action_plans, records=_action_plans_url,
        description="Action plans of clusters (running or finished) starting within the "
        "period, cancelled ones left out.",
    ),
    Metric(
        "clusters.members", "واحدهای عضو خوشه‌ها", "Member units of clusters", "count",
        "stock", compute_many=members,
        records=_records("clusters:member-list", on="end"),
        description="Memberships of units in clusters at the period's end: joined by then "
        "and not left by then.",
    ),
]  # fmt: skip
