"""The clusters' pages: the registry, a cluster's page (members, associated non-members, its
development plan's timeline and next stage, its action plans by year), the forms that call
the services, and the lists behind the clusters' report figures."""

from collections import defaultdict

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shahrak.accounts.access import get_scoped_or_404, provinces_for, scoped
from shahrak.accounts.choices import Action
from shahrak.accounts.history import history_for
from shahrak.core.jalali import jalali_year_of
from shahrak.core.pages import edit_page, form_page, list_page, post_action, record_page
from shahrak.core.tables import download

from . import services
from .choices import STAGE_ORDER, ActionCategory, ActionStatus, PlanStage, next_stage
from .filtersets import ActionPlanFilterSet, ClusterFilterSet, MemberFilterSet, PlanFilterSet
from .forms import (
    ActionPlanForm,
    AssociateForm,
    ClusterForm,
    LeaveForm,
    MemberForm,
    PlanStartForm,
    StepForm,
    StudyForm,
)
from .models import ActionPlan, Cluster, DevelopmentPlan, Membership, PlanStep, StaffCluster
from .services import STAFF
from .tables import ActionPlanTable, ClusterTable, MemberTable, PlanTable

FORM_TEMPLATE = "clusters/form.html"


def clusters_for(user):
    """The clusters `user` sees, with their current members counted and their latest plan's
    stage."""
    latest = DevelopmentPlan.objects.filter(
        cluster=OuterRef("pk"), archived_at__isnull=True
    ).order_by("-started_on", "-pk")
    return (
        Cluster.objects.restrict(user, Action.VIEW)
        .filter(archived_at__isnull=True)
        .select_related("province", "agent")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__left_on__isnull=True, memberships__archived_at__isnull=True),
            ),
            plan_stage=Subquery(latest.values("stage")[:1]),
        )
        .order_by("sort_key", "pk")
    )


def _with_stage_labels(records):
    for cluster in records:
        cluster.stage_label = PlanStage(cluster.plan_stage).label if cluster.plan_stage else ""
    return records


class _LabelledClusterTable(ClusterTable):
    def values(self):
        _with_stage_labels(self.records)
        return super().values()


# --- the registry ----------------------------------------------------------------------------
@scoped(Cluster, Action.VIEW)
def cluster_list(request):
    filterset = ClusterFilterSet(request.GET, clusters_for(request.user), request=request)
    return list_page(
        request,
        filterset=filterset,
        table_class=_LabelledClusterTable,
        template="clusters/cluster_list.html",
        title=_("Clusters"),
        filename="clusters",
    )


@scoped(Cluster, Action.CHANGE, methods=("GET", "POST"), listing=False)
def cluster_create(request):
    form = ClusterForm(request.POST or None, actor=request.user)

    def save(form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        return services.cluster_create(actor=request.user, **data)

    return form_page(
        request,
        form,
        save,
        context={"title": _("New cluster")},
        success=lambda cluster: cluster.get_absolute_url(),
        template=FORM_TEMPLATE,
    )


@scoped(Cluster, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def cluster_edit(request, pk):
    cluster = get_scoped_or_404(Cluster, request.user, Action.CHANGE, pk=pk)
    form = ClusterForm(request.POST or None, instance=cluster, actor=request.user)
    return edit_page(
        request,
        cluster,
        form,
        lambda record, **kw: services.cluster_update(cluster=record, **kw),
    )


def _is_staff(user, cluster) -> bool:
    return provinces_for(user, Action.CHANGE, STAFF).filter(pk=cluster.province_id).exists()


@scoped(Cluster, Action.VIEW, lookup="pk")
def cluster_detail(request, pk):
    cluster = get_scoped_or_404(
        Cluster.objects.select_related("province", "agent"), request.user, Action.VIEW, pk=pk
    )
    return cluster_page(request, cluster)


def _next(plan):
    stage = next_stage(plan.stage) if plan is not None else None
    return PlanStage(stage) if stage else None


def cluster_page(request, cluster, *, bound=None, status=200):
    user = request.user
    may_change = Cluster.objects.restrict(user, Action.CHANGE).filter(pk=cluster.pk).exists()
    memberships = (
        Membership.objects.restrict(user, Action.VIEW)
        .filter(cluster=cluster, archived_at__isnull=True)
        .select_related("unit__county")
        .order_by("left_on", "unit__sort_key", "pk")
    )
    plans = list(
        DevelopmentPlan.objects.restrict(user, Action.VIEW)
        .filter(cluster=cluster, archived_at__isnull=True)
        .order_by("-started_on", "-pk")
    )
    plan = plans[0] if plans else None
    timeline = []
    if plan is not None:
        reached = {
            step.stage: step
            for step in PlanStep.objects.restrict(user, Action.VIEW).filter(
                plan=plan, archived_at__isnull=True
            )
        }
        timeline = [
            {"stage": PlanStage(stage), "step": reached.get(stage), "current": stage == plan.stage}
            for stage in STAGE_ORDER
        ]
    years = (
        ActionPlan.objects.restrict(user, Action.VIEW)
        .filter(cluster=cluster, archived_at__isnull=True)
        .values("year")
        .annotate(
            count=Count("pk"),
            done=Count("pk", filter=Q(status=ActionStatus.DONE)),
            cost=Sum("cost_rial"),
            subsidy=Sum("subsidy_rial"),
        )
        .order_by("-year")
    )
    context = {
        "cluster": cluster,
        "may_change": may_change,
        "may_add_members": may_change and _is_staff(user, cluster),
        "current": [m for m in memberships if m.left_on is None],
        "former": [m for m in memberships if m.left_on is not None],
        "associates": cluster.associates.filter(archived_at__isnull=True),
        "plan": plan,
        "earlier_plans": plans[1:],
        "timeline": timeline,
        "next_stage": _next(plan),
        "years": years,
        "history": history_for(user, cluster),
    }
    return record_page(
        request,
        "clusters/cluster_detail.html",
        context,
        {"leave_form": LeaveForm},
        bound=bound,
        status=status,
    )


# --- members and associated non-members ------------------------------------------------------
@scoped(StaffCluster, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def member_add(request, pk):
    # The staff's alone (models.StaffCluster): the agent answers as for any other record.
    cluster = get_scoped_or_404(Cluster, request.user, Action.CHANGE, pk=pk)
    if not StaffCluster.objects.restrict(request.user, Action.CHANGE).filter(pk=pk).exists():
        raise Http404
    form = MemberForm(request.POST or None, actor=request.user, cluster=cluster)
    return form_page(
        request,
        form,
        lambda f: services.member_add(actor=request.user, cluster=cluster, **f.cleaned_data),
        context={"title": _("Add a member unit"), "back": cluster},
        success=lambda membership: cluster.get_absolute_url(),
        template=FORM_TEMPLATE,
    )


@scoped(Membership, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def member_leave(request, pk):
    membership = get_scoped_or_404(
        Membership.objects.select_related("cluster", "unit"), request.user, Action.CHANGE, pk=pk
    )
    return post_action(
        request,
        membership.cluster,
        LeaveForm,
        lambda cluster, data: services.member_leave(
            actor=request.user, membership=membership, left_on=data["left_on"]
        ),
        page=cluster_page,
        done=_("The unit left the cluster; its membership is kept."),
        confirm=lambda cluster, data: (
            _("Does %(unit)s leave the cluster?") % {"unit": membership.unit.name},
            _("Its membership is kept with the date it left."),
            _("It leaves"),
        ),
    )


@scoped(Cluster, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def associate_add(request, pk):
    cluster = get_scoped_or_404(Cluster, request.user, Action.CHANGE, pk=pk)
    form = AssociateForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda f: services.associate_add(actor=request.user, cluster=cluster, **f.cleaned_data),
        context={"title": _("Add an associated non-member"), "back": cluster},
        success=lambda associate: cluster.get_absolute_url(),
        template=FORM_TEMPLATE,
    )


# --- the development plan ----------------------------------------------------------------------
@scoped(Cluster, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def plan_start(request, pk):
    cluster = get_scoped_or_404(Cluster, request.user, Action.CHANGE, pk=pk)
    form = PlanStartForm(request.POST or None, initial={"started_on": timezone.localdate()})
    return form_page(
        request,
        form,
        lambda f: services.plan_start(actor=request.user, cluster=cluster, **f.cleaned_data),
        context={"title": _("Start a development plan"), "back": cluster},
        success=lambda plan: cluster.get_absolute_url(),
        template=FORM_TEMPLATE,
    )


@scoped(DevelopmentPlan, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def plan_step(request, pk):
    """The plan's next stage (the only one offered: the stages go in order)."""
    plan = get_scoped_or_404(
        DevelopmentPlan.objects.select_related("cluster"), request.user, Action.CHANGE, pk=pk
    )
    stage = next_stage(plan.stage)
    if stage is None:
        raise Http404
    form = StepForm(
        request.POST or None,
        request.FILES or None,
        stage=stage,
        initial={"on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        lambda f: services.plan_advance(actor=request.user, plan=plan, **f.cleaned_data),
        context={
            "title": _("Next stage: %(stage)s") % {"stage": PlanStage(stage).label},
            "back": plan.cluster,
            "multipart": True,
        },
        success=lambda step: plan.cluster.get_absolute_url(),
        template=FORM_TEMPLATE,
    )


@scoped(DevelopmentPlan, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def study_attach(request, pk):
    plan = get_scoped_or_404(
        DevelopmentPlan.objects.select_related("cluster"), request.user, Action.CHANGE, pk=pk
    )
    form = StudyForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda f: services.plan_study_attach(actor=request.user, plan=plan, **f.cleaned_data),
        context={"title": _("The diagnostic study"), "back": plan.cluster, "multipart": True},
        success=lambda step: plan.cluster.get_absolute_url(),
        template=FORM_TEMPLATE,
    )


CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


@scoped(PlanStep, Action.VIEW, lookup="pk")
def study_download(request, pk):
    step = get_scoped_or_404(PlanStep, request.user, Action.VIEW, pk=pk)
    if not step.document:
        raise Http404
    extension = step.document.name.rsplit(".", 1)[-1].lower()
    with step.document.open("rb") as handle:
        content = handle.read()
    return download(
        content,
        f"diagnostic-study-{step.plan_id}.{extension}",
        CONTENT_TYPES.get(extension, "application/octet-stream"),
    )


# --- action plans ------------------------------------------------------------------------------
@scoped(Cluster, Action.VIEW, lookup="pk")
def action_list(request, pk):
    """A cluster's action plans of a Jalali year, by category, with their cost and subsidy."""
    cluster = get_scoped_or_404(Cluster, request.user, Action.VIEW, pk=pk)
    plans = ActionPlan.objects.restrict(request.user, Action.VIEW).filter(
        cluster=cluster, archived_at__isnull=True
    )
    years = sorted(set(plans.values_list("year", flat=True)), reverse=True)
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    if not year:
        year = years[0] if years else jalali_year_of(timezone.localdate())
    rows = list(plans.filter(year=year).select_related("application").order_by("starts_on", "pk"))
    by_category = defaultdict(lambda: {"count": 0, "cost": 0, "subsidy": 0})
    for row in rows:
        totals = by_category[row.category]
        totals["count"] += 1
        totals["cost"] += row.cost_rial
        totals["subsidy"] += row.subsidy_rial
    summary = [
        {"label": category.label, **by_category[category.value]}
        for category in ActionCategory
        if category.value in by_category
    ]
    return render(
        request,
        "clusters/action_list.html",
        {
            "cluster": cluster,
            "year": year,
            "years": years,
            "rows": rows,
            "summary": summary,
            "total_cost": sum(r.cost_rial for r in rows),
            "total_subsidy": sum(r.subsidy_rial for r in rows),
        },
    )


@scoped(Cluster, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def action_add(request, pk):
    cluster = get_scoped_or_404(Cluster, request.user, Action.CHANGE, pk=pk)
    form = ActionPlanForm(request.POST or None, actor=request.user, cluster=cluster)

    def save(form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        return services.action_plan_add(actor=request.user, cluster=cluster, **data)

    return form_page(
        request,
        form,
        save,
        context={"title": _("New action plan"), "back": cluster},
        success=lambda action: action.get_absolute_url(),
        template=FORM_TEMPLATE,
    )


@scoped(ActionPlan, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def action_edit(request, pk):
    action = get_scoped_or_404(
        ActionPlan.objects.select_related("cluster"), request.user, Action.CHANGE, pk=pk
    )
    form = ActionPlanForm(
        request.POST or None, instance=action, actor=request.user, cluster=action.cluster
    )
    return edit_page(
        request,
        action,
        form,
        lambda record, **kw: services.action_plan_update(action_plan=record, **kw),
    )


# --- the lists behind the report figures ------------------------------------------------------
@scoped(DevelopmentPlan, Action.VIEW)
def plan_list(request):
    plans = (
        DevelopmentPlan.objects.restrict(request.user, Action.VIEW)
        .filter(archived_at__isnull=True)
        .select_related("cluster__province")
        .order_by("cluster__sort_key", "-started_on", "pk")
    )
    return list_page(
        request,
        filterset=PlanFilterSet(request.GET, plans, request=request),
        table_class=PlanTable,
        template="clusters/list.html",
        title=_("Cluster development plans"),
        filename="cluster-plans",
    )


@scoped(ActionPlan, Action.VIEW)
def action_plan_list(request):
    actions = (
        ActionPlan.objects.restrict(request.user, Action.VIEW)
        .filter(archived_at__isnull=True)
        .select_related("cluster__province")
        .order_by("-starts_on", "pk")
    )
    return list_page(
        request,
        filterset=ActionPlanFilterSet(request.GET, actions, request=request),
        table_class=ActionPlanTable,
        template="clusters/list.html",
        title=_("Action plans of clusters"),
        filename="cluster-action-plans",
    )


@scoped(Membership, Action.VIEW)
def member_list(request):
    members = (
        Membership.objects.restrict(request.user, Action.VIEW)
        .filter(archived_at__isnull=True)
        .select_related("cluster__province", "unit")
        .order_by("cluster__sort_key", "unit__sort_key", "pk")
    )
    return list_page(
        request,
        filterset=MemberFilterSet(request.GET, members, request=request),
        table_class=MemberTable,
        template="clusters/list.html",
        title=_("Members of clusters"),
        filename="cluster-members",
    )
