from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shahrak.accounts.access import get_scoped_or_404, scoped
from shahrak.accounts.choices import Action
from shahrak.accounts.history import history_for
from shahrak.accounts.models import User
from shahrak.core.errors import DomainError
from shahrak.core.numbers import localized
from shahrak.core.pages import (
    edit_page,
    export_refused,
    form_page,
    list_page,
    post_action,
    record_page,
)
from shahrak.core.tables import download
from shahrak.core.text import isolate

from . import import_runs, services
from .choices import UnitStatus
from .countries import country_name
from .filtersets import ExportFilterSet, UnitFilterSet
from .forms import (
    ExportForm,
    ImportForm,
    RepresentativeForm,
    RepresentativeRemoveForm,
    StatusForm,
    UnitCreateForm,
    UnitForm,
)
from .models import ExportRecord, ImportRun, Unit
from .spreadsheet import write_template, write_workbook
from .tables import ExportTable, UnitTable


@scoped(Unit, Action.VIEW)
def unit_list(request):
    units = (
        Unit.objects.restrict(request.user, Action.VIEW)
        .select_related("county__province", "park", "plot")
        .order_by("sort_key", "pk")
    )
    filterset = UnitFilterSet(request.GET, units, request=request)
    if request.GET.get("export") == "xlsx" and not filterset.errors:
        records = filterset.qs
        if refused := export_refused(request, records.count()):
            return refused
        exports = ExportRecord.objects.filter(unit__in=records).select_related("unit")
        persian = (get_language() or "fa").startswith("fa")
        return download(write_workbook(records, exports, persian=persian), "units.xlsx")
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "units/unit_list.html",
        {
            "filter": filterset,
            "page": page,
            "table": UnitTable(page),
            "title": _("Industrial units"),
        },
    )


@scoped(ExportRecord, Action.VIEW)
def export_list(request):
    """Export records, filtered; the total of what is listed is shown (a report's export
    figure links here and reads the same)."""
    exports = (
        ExportRecord.objects.restrict(request.user, Action.VIEW)
        .select_related("unit__park")
        .order_by("-on", "pk")
    )
    filterset = ExportFilterSet(request.GET, exports, request=request)
    total = filterset.qs.aggregate(total=Sum("value_usd"))["total"] or 0
    return list_page(
        request, filterset=filterset, table_class=ExportTable, template="units/export_list.html",
        title=_("Exports"), filename="exports", extra={"total": total},
    )  # fmt: skip


@scoped(Unit, Action.VIEW, lookup="pk")
def unit_detail(request, pk):
    unit = get_scoped_or_404(
        Unit.objects.select_related("county__province", "park", "plot"),
        request.user,
        Action.VIEW,
        pk=pk,
    )
    return unit_page(request, unit)


def unit_page(request, unit, *, bound=None, status=200):
    """The unit's page; `bound` holds a form just posted from it and refused (see
    `core.pages.post_action`)."""
    exports = list(unit.exports.order_by("-on"))
    for record in exports:
        record.country = country_name(record.destination)
    context = {
        "unit": unit,
        "events": unit.events.order_by("on", "pk"),
        "exports": exports,
        # Its representatives, those the user may see (people are for managers,
        # auditors and headquarters), and whom the user may link to it.
        "representatives": User.objects.restrict(request.user, Action.VIEW)
        .filter(represented_units=unit)
        .order_by("last_name", "first_name", "username"),
        "history": history_for(request.user, unit),
        **_revival_of(request.user, unit),
        **_supports_of(request.user, unit),
    }
    forms = {
        "status_form": lambda: StatusForm(unit=unit),
        "export_form": ExportForm,
        "representative_form": lambda: RepresentativeForm(unit=unit, actor=request.user),
    }
    return record_page(
        request, "units/unit_detail.html", context, forms, bound=bound, status=status
    )


def _revival_of(user, unit) -> dict:
    """The unit's revival cases and latest monthly reports, those the user may see (through
    the reverse relations: units does not import the revival app built on it)."""
    cases = unit.revival_cases.restrict(user, Action.VIEW).order_by("-opened_on", "-pk")
    reports = unit.monthly_reports.restrict(user, Action.VIEW).order_by("-year", "-month")
    open_stages = ("identified", "diagnosed", "planned")
    has_open_case = any(case.stage in open_stages for case in cases)
    return {
        "revival_cases": cases,
        # A case is opened for a unit in operation or idle, without an open case.
        "case_openable": not has_open_case
        and unit.status in (UnitStatus.OPERATIONAL, UnitStatus.RESTARTED, UnitStatus.IDLE),
        "monthly_reports": reports[:12],
        "reports_query": urlencode({"unit": unit.pk}),
    }


def _supports_of(user, unit) -> dict:
    """The unit's latest exhibition supports and services, those the user may see (through
    the reverse relations: units does not import the support app built on it)."""
    supports = (
        unit.exhibition_supports.restrict(user, Action.VIEW)
        .filter(archived_at__isnull=True)
        .select_related("exhibition")
        .order_by("-on", "-pk")
    )
    services = (
        unit.service_records.restrict(user, Action.VIEW)
        .filter(archived_at__isnull=True)
        .select_related("kind")
        .order_by("-on", "-pk")
    )
    return {
        "exhibition_supports": supports[:10],
        "service_records": services[:10],
        "unit_query": urlencode({"unit": unit.pk}),
    }


@scoped(Unit, Action.CHANGE, methods=("GET", "POST"), listing=False)
def unit_create(request):
    form = UnitCreateForm(request.POST or None, actor=request.user)

    def save(form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        return services.unit_create(actor=request.user, **data)

    return form_page(
        request,
        form,
        save,
        context={"title": _("New industrial unit")},
        success=lambda unit: unit.get_absolute_url(),
    )


@scoped(Unit, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def unit_edit(request, pk):
    unit = get_scoped_or_404(Unit, request.user, Action.CHANGE, pk=pk)
    form = UnitForm(request.POST or None, instance=unit, actor=request.user)
    return edit_page(
        request, unit, form, lambda record, **kw: services.unit_update(unit=record, **kw)
    )


@scoped(Unit, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def unit_status(request, pk):
    unit = get_scoped_or_404(Unit, request.user, Action.CHANGE, pk=pk)
    return post_action(
        request,
        unit,
        partial(StatusForm, unit=unit),
        lambda unit, data: services.unit_change_status(actor=request.user, unit=unit, **data),
        page=unit_page,
        slot="status_form",
    )


@scoped(Unit, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def export_add(request, pk):
    return post_action(
        request,
        get_scoped_or_404(Unit, request.user, Action.CHANGE, pk=pk),
        ExportForm,
        lambda unit, data: services.export_add(actor=request.user, unit=unit, **data),
        page=unit_page,
        slot="export_form",
    )


@scoped(Unit, Action.MANAGE_USERS, lookup="pk", methods=("POST",))
@require_POST
def representative_add(request, pk):
    """Link an existing unit representative of the unit's province to the unit."""
    unit = get_scoped_or_404(Unit, request.user, Action.MANAGE_USERS, pk=pk)
    return post_action(
        request,
        unit,
        lambda data: RepresentativeForm(data, unit=unit, actor=request.user),
        lambda unit, data: services.unit_representative_add(
            actor=request.user, unit=unit, user=data["user"]
        ),
        page=unit_page,
        slot="representative_form",
    )


@scoped(Unit, Action.MANAGE_USERS, lookup="pk", methods=("POST",))
@require_POST
def representative_remove(request, pk):
    """Unlink a representative from the unit (the user and their role stay)."""
    unit = get_scoped_or_404(Unit, request.user, Action.MANAGE_USERS, pk=pk)
    return post_action(
        request,
        unit,
        lambda data: RepresentativeRemoveForm(data, unit=unit),
        lambda unit, data: services.unit_representative_remove(
            actor=request.user, unit=unit, user=data["user"]
        ),
        page=unit_page,
        confirm=lambda unit, data: (
            _("Unlink %(name)s from %(unit)s?")
            % {"name": isolate(data["user"]), "unit": isolate(unit)},
            _(
                "%(name)s will no longer see this unit or report for it. The user and their "
                "role stay."
            )
            % {"name": isolate(data["user"])},
            _("Yes, unlink"),
        ),
    )


@scoped(Unit, Action.CHANGE, listing=False)
def import_template(request):
    """The spreadsheet template, for those who may import (linked from the import page)."""
    return download(write_template(), "shahrak-units-template.xlsx")


@scoped(Unit, Action.CHANGE, methods=("GET", "POST"), listing=False)
def import_upload(request):
    """Upload → the file is stored and a run is queued; its page shows the check's progress
    and then the preview. The user's recent runs are listed under the form."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = import_runs.import_run_create(actor=request.user, upload=form.cleaned_data["file"])
        return redirect(run)
    runs = ImportRun.objects.restrict(request.user, Action.CHANGE).filter(created_by=request.user)[
        :10
    ]
    return render(request, "units/import.html", {"form": form, "runs": runs})


def imported_units_url(report) -> str:
    """The unit list showing what an applied import wrote: the units created or changed by
    the importing user while its writes ran (the whole list when it wrote nothing)."""
    url = reverse("units:unit-list")
    if not (report.created or report.updated or report.status_changes):
        return url
    start, end = (timezone.localtime(moment).isoformat() for moment in report.applied_between)
    return f"{url}?{urlencode({'mine_from': start, 'mine_to': end})}"


def _to(request, url: str):
    """A redirect that htmx follows as a whole page (the run's part polls with htmx)."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@scoped(ImportRun, Action.CHANGE, lookup="pk")
def import_run(request, pk):
    """A run's page; polled by htmx every 2 s while the worker checks or imports the file.
    Once imported, its uploader lands on the units it wrote (once; later visits show the
    run)."""
    run = get_scoped_or_404(ImportRun, request.user, Action.CHANGE, pk=pk)
    notice = import_runs.import_run_refresh(run)
    report = import_runs.report_from_json(run.report)
    mine = run.created_by_id == request.user.pk
    if run.status == ImportRun.Status.IMPORTED and not run.announced and mine:
        ImportRun.objects.filter(pk=run.pk).update(announced=True)
        messages.success(
            request,
            _("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
            % {
                "created": localized(report.created),
                "updated": localized(report.updated),
                "unchanged": localized(report.unchanged),
            },
        )
        return _to(request, imported_units_url(report))
    context = {
        "run": run,
        "report": report,
        "notice": notice,
        "mine": mine,
        "imported_url": imported_units_url(report) if run.status == run.Status.IMPORTED else "",
    }
    if request.htmx:
        return render(request, "units/includes/import_run.html", context)
    return render(request, "units/import_run.html", context)


@scoped(ImportRun, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def import_confirm(request, pk):
    """Confirm a checked run: the worker imports it (all or nothing); its page follows."""
    run = get_scoped_or_404(ImportRun, request.user, Action.CHANGE, pk=pk)
    try:
        import_runs.import_run_confirm(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(run)
