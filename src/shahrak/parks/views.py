from django.db.models import Count, Sum
from django.forms import Form
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shahrak.accounts.access import get_scoped_or_404, scoped
from shahrak.accounts.choices import Action
from shahrak.accounts.history import history_for
from shahrak.core.jalali import format_jalali
from shahrak.core.pages import edit_page, form_page, list_page, post_action, record_page
from shahrak.core.text import isolate

from . import metrics, services
from .choices import PlotStatus
from .filtersets import ParkFilterSet, PlotFilterSet, ProjectFilterSet
from .forms import (
    DeliveryForm,
    ParkForm,
    PlotForm,
    PlotStatusForm,
    ProgressReportForm,
    ProjectForm,
    SectionForm,
)
from .maps import county_map
from .models import HECTARE_M2, InfrastructureProject, Park, Plot
from .tables import ParkTable, PlotTable, ProjectSpendTable, ProjectTable


@scoped(Park, Action.VIEW)
def park_list(request):
    parks = (
        Park.objects.restrict(request.user, Action.VIEW)
        .select_related("county__province")
        .annotate(
            plot_count=Count("plots", distinct=True), project_count=Count("projects", distinct=True)
        )
        .order_by("county__province__sort_key", "sort_key", "pk")
    )
    return list_page(
        request,
        filterset=ParkFilterSet(request.GET, parks, request=request),
        table_class=ParkTable,
        template="parks/park_list.html",
        title=_("Industrial parks and zones"),
        filename="parks",
    )


@scoped(Park, Action.VIEW, lookup="pk")
def park_detail(request, pk):
    park = get_scoped_or_404(
        Park.objects.select_related("county__province"), request.user, Action.VIEW, pk=pk
    )
    today = timezone.localdate()
    plots = park.plots.all()
    by_status = {
        row["status"]: row
        for row in plots.values("status").annotate(count=Count("pk"), area=Sum("area_m2"))
    }
    plot_summary = [
        {
            "status": status,
            "count": by_status.get(status.value, {}).get("count", 0),
            "hectares": (by_status.get(status.value, {}).get("area") or 0) / HECTARE_M2,
        }
        for status in PlotStatus
    ]
    projects = park.projects.select_related("section").order_by("status", "sort_key")
    return render(
        request,
        "parks/park_detail.html",
        {
            "park": park,
            "sections": park.sections.all(),
            "plot_summary": plot_summary,
            "ready_ha": metrics.hectares_ready_at(plots, today),
            "projects": projects,
            "spent_rial": sum(p.spent_rial for p in projects),
            "units_by_status": _units_by_status(park),
            "map": county_map(park),
            "history": history_for(request.user, park),
        },
    )


def _units_by_status(park) -> list[dict]:
    """Units in the park by status (the units app's records, through their reverse relation,
    so parks does not import units)."""
    labels = dict(park.units.model._meta.get_field("status").flatchoices)
    rows = park.units.values("status").annotate(count=Count("pk")).order_by("status")
    return [{"label": labels.get(row["status"], "—"), "count": row["count"]} for row in rows]


@scoped(Park, Action.CHANGE, methods=("GET", "POST"), listing=False)
def park_create(request):
    form = ParkForm(request.POST or None, actor=request.user)
    return form_page(
        request,
        form,
        lambda f: services.park_create(actor=request.user, **f.cleaned_data),
        context={"title": _("New park or zone")},
        success=lambda park: park.get_absolute_url(),
    )


@scoped(Park, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def park_edit(request, pk):
    park = get_scoped_or_404(Park, request.user, Action.CHANGE, pk=pk)
    form = ParkForm(request.POST or None, instance=park, actor=request.user)
    return edit_page(
        request, park, form, lambda record, **kw: services.park_update(park=record, **kw)
    )


@scoped(Park, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def section_create(request, pk):
    park = get_scoped_or_404(Park, request.user, Action.CHANGE, pk=pk)
    form = SectionForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda f: services.section_create(actor=request.user, park=park, **f.cleaned_data),
        context={"title": _("New section of %(name)s") % {"name": isolate(park)}, "back": park},
        success=lambda section: park.get_absolute_url(),
    )


# --- plots -------------------------------------------------------------------------------
@scoped(Plot, Action.VIEW)
def plot_list(request):
    plots = (
        Plot.objects.restrict(request.user, Action.VIEW)
        .select_related("park")
        .order_by("park__sort_key", "park", "sort_key")
    )
    filterset = PlotFilterSet(request.GET, plots, request=request)
    area = filterset.qs.aggregate(total=Sum("area_m2"))["total"] or 0
    return list_page(
        request,
        filterset=filterset,
        table_class=PlotTable,
        template="parks/plot_list.html",
        title=_("Land plots"),
        filename="plots",
        extra={"hectares": area / HECTARE_M2},
    )


@scoped(Plot, Action.VIEW, lookup="pk")
def plot_detail(request, pk):
    """A plot: its facts, its status over time, the units registered on it, its history; for
    those who may change it, the way to allocate it or change its status."""
    plot = get_scoped_or_404(
        Plot.objects.select_related("park__county__province", "section"),
        request.user,
        Action.VIEW,
        pk=pk,
    )
    return render(
        request,
        "parks/plot_detail.html",
        {
            "plot": plot,
            "events": plot.events.order_by("on", "pk"),
            "units": plot.units.restrict(request.user, Action.VIEW).order_by("sort_key", "pk"),
            "can_change": Plot.objects.restrict(request.user, Action.CHANGE).filter(pk=pk).exists(),
            "history": history_for(request.user, plot),
        },
    )


@scoped(Park, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def plot_create(request, pk):
    park = get_scoped_or_404(Park, request.user, Action.CHANGE, pk=pk)
    form = PlotForm(request.POST or None, park=park)
    return form_page(
        request,
        form,
        lambda f: services.plot_create(actor=request.user, park=park, **f.cleaned_data),
        context={"title": _("New plot in %(name)s") % {"name": isolate(park)}, "back": park},
        success=lambda plot: park.get_absolute_url(),
    )


@scoped(Plot, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def plot_status(request, pk):
    plot = get_scoped_or_404(
        Plot.objects.select_related("park"), request.user, Action.CHANGE, pk=pk
    )
    form = PlotStatusForm(request.POST or None, plot=plot)

    def save(form):
        data = form.cleaned_data
        if data["status"] == PlotStatus.ALLOCATED:
            return services.plot_allocate(
                actor=request.user, plot=plot, allottee=data["allottee"], on=data["on"]
            )
        return services.plot_change_status(
            actor=request.user, plot=plot, status=data["status"], on=data["on"], note=data["note"]
        )

    return form_page(
        request,
        form,
        save,
        context={
            "title": _("Plot %(number)s of %(park)s")
            % {"number": isolate(plot.number), "park": isolate(plot.park)},
            "back": plot,
            "events": plot.events.order_by("on", "pk"),
        },
        success=lambda plot: plot.get_absolute_url(),
    )


# --- projects ----------------------------------------------------------------------------
@scoped(InfrastructureProject, Action.VIEW)
def project_list(request):
    projects = (
        InfrastructureProject.objects.restrict(request.user, Action.VIEW)
        .select_related("park")
        .order_by("park__sort_key", "park", "sort_key")
    )
    filterset = ProjectFilterSet(request.GET, projects, request=request)
    # What a report's figure reads, totalled over what is listed: the spend between the
    # list's dates, and the power capacity (MW) of projects adding power.
    totals = {}
    if filterset.spending_window:
        totals["spent_rial"] = filterset.qs.aggregate(total=Sum("spent_in_period"))["total"] or 0
    if filterset.form.is_valid() and filterset.form.cleaned_data.get("power"):
        totals["capacity_mw"] = filterset.qs.aggregate(total=Sum("capacity"))["total"] or 0
    return list_page(
        request,
        filterset=filterset,
        table_class=ProjectSpendTable if filterset.spending_window else ProjectTable,
        template="parks/project_list.html",
        title=_("Infrastructure projects"),
        filename="infrastructure-projects",
        extra={"totals": totals},
    )


@scoped(InfrastructureProject, Action.VIEW, lookup="pk")
def project_detail(request, pk):
    project = get_scoped_or_404(
        InfrastructureProject.objects.select_related("park__county__province", "section"),
        request.user,
        Action.VIEW,
        pk=pk,
    )
    return project_page(request, project)


def project_page(request, project, *, bound=None, status=200):
    """The project's page; `bound` holds a form just posted from it and refused (see
    `core.pages.post_action`)."""
    reports = list(project.reports.order_by("on", "pk"))
    context = {
        "project": project,
        "reports": reports,
        "chart": {
            "labels": [report.on.isoformat() for report in reports],
            "jalali": [format_jalali(report.on, persian=False) for report in reports],
            "values": [float(report.progress_pct) for report in reports],
        },
        "history": history_for(request.user, project),
    }
    delivered = project.temporarily_delivered_on is not None
    forms = {
        "report_form": lambda: ProgressReportForm(delivered=delivered),
        "delivery_form": DeliveryForm,
    }
    return record_page(
        request, "parks/project_detail.html", context, forms, bound=bound, status=status
    )


@scoped(Park, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def project_create(request, pk):
    park = get_scoped_or_404(Park, request.user, Action.CHANGE, pk=pk)
    form = ProjectForm(request.POST or None, park=park)
    return form_page(
        request,
        form,
        lambda f: services.project_create(
            actor=request.user,
            park=park,
            **{k: v for k, v in f.cleaned_data.items() if k != "version"},
        ),
        context={"title": _("New project in %(name)s") % {"name": isolate(park)}, "back": park},
        success=lambda project: project.get_absolute_url(),
    )


@scoped(InfrastructureProject, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def project_edit(request, pk):
    project = get_scoped_or_404(InfrastructureProject, request.user, Action.CHANGE, pk=pk)
    form = ProjectForm(request.POST or None, instance=project, park=project.park)
    return edit_page(
        request, project, form, lambda record, **kw: services.project_update(project=record, **kw)
    )


@scoped(InfrastructureProject, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def report_add(request, pk):
    project = get_scoped_or_404(InfrastructureProject, request.user, Action.CHANGE, pk=pk)
    delivered = project.temporarily_delivered_on is not None
    return post_action(
        request,
        project,
        lambda data: ProgressReportForm(data, delivered=delivered),
        lambda project, data: services.progress_report_add(
            actor=request.user, project=project, **data
        ),
        page=project_page,
        slot="report_form",
    )


@scoped(InfrastructureProject, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def project_deliver(request, pk):
    final = request.POST.get("stage") == "final"
    deliver = services.project_deliver_finally if final else services.project_deliver_temporarily
    return post_action(
        request,
        get_scoped_or_404(InfrastructureProject, request.user, Action.CHANGE, pk=pk),
        DeliveryForm,
        lambda project, data: deliver(actor=request.user, project=project, on=data["on"]),
        page=project_page,
        slot="delivery_form",
    )


@scoped(InfrastructureProject, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def project_cancel(request, pk):
    return post_action(
        request,
        get_scoped_or_404(InfrastructureProject, request.user, Action.CHANGE, pk=pk),
        Form,  # a button: nothing to fill in
        lambda project, _data: services.project_cancel(actor=request.user, project=project),
        page=project_page,
        confirm=lambda project, _data: (
            _("Cancel the project %(title)s?") % {"title": isolate(project)},
            _(
                "A cancelled project takes no more progress reports or deliveries, and it "
                "cannot be reopened. It stays in the lists and the history."
            ),
            _("Yes, cancel the project"),
        ),
    )
