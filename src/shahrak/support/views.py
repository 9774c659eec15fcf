from decimal import Decimal

from django.contrib import messages
from django.db import transaction
from django.db.models import Avg, Count, F, Max, Prefetch, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from shahrak.accounts.access import get_scoped_or_404, provinces_for, scoped, url_if_reachable
from shahrak.accounts.choices import Action
from shahrak.accounts.history import history_for
from shahrak.accounts.policy import access_for
from shahrak.core.errors import DomainError
from shahrak.core.forms import errors_text, id_param
from shahrak.core.jalali import jalali_year_of
from shahrak.core.numbers import format_million_toman, localized
from shahrak.core.pages import edit_page, form_page, list_page, post_action, record_page
from shahrak.core.tables import download
from shahrak.core.text import fa_digits_outside_latin
from shahrak.core.uploads import CONTENT_TYPES
from shahrak.units.choices import Sector, SizeClass

from . import services
from .choices import FINAL, TRANSITIONS, DocumentKind
from .choices import ApplicationStatus as S
from .filtersets import (
    ApplicationFilterSet,
    ExhibitionFilterSet,
    ExhibitionSupportFilterSet,
    ProgramFilterSet,
    ServiceRecordFilterSet,
)
from .forms import (
    ApplicationForm,
    ApproveForm,
    ArchiveForm,
    AssignForm,
    BatchForm,
    BudgetForm,
    CloseForm,
    DocumentForm,
    ExecuteForm,
    ExhibitionForm,
    ExhibitionSupportForm,
    PaymentForm,
    ProgramForm,
    ReasonForm,
    ReviewForm,
    ServiceRecordForm,
    SubmitForm,
    WithdrawForm,
    budgetable_programs,
    programs_to_apply_to,
    reviewers_of,
    units_to_record_for,
    with_budget_here,
)
from .models import (
    KEPT_BY_STAFF,
    Application,
    ApplicationDocument,
    ApplicationStep,
    Exhibition,
    ExhibitionSupport,
    Payment,
    Program,
    ProgramBudget,
    ServiceRecord,
    StaffApplication,
)
from .tables import (
    ApplicationTable,
    ExhibitionSupportTable,
    ExhibitionTable,
    ProgramTable,
    ServiceRecordTable,
)

# Where a withdrawal may still come (before any payment).
WITHDRAWABLE = tuple(
    status for status, following in TRANSITIONS.items() if S.WITHDRAWN in following
)


# --- the program catalogue -------------------------------------------------------------------
@scoped(Program, Action.VIEW)
def program_list(request):
    # Those the user's province(s) may apply to this year first: the catalogue opens on what
    # one can act on, not on another province's flagships.
    programs = with_budget_here(
        Program.objects.restrict(request.user, Action.VIEW).select_related("province"),
        request.user,
    ).order_by(F("budget_here").desc(nulls_last=True), "-flagship", "sort_key", "pk")
    return list_page(
        request,
        filterset=ProgramFilterSet(request.GET, programs, request=request),
        table_class=ProgramTable,
        template="support/program_list.html",
        title=_("Support programs"),
        filename="support-programs",
    )


@scoped(Program, Action.VIEW, lookup="pk")
def program_detail(request, pk):
    """A program: what it subsidises, for whom, at which rate and up to how much; its budget
    per province and year for those who may see the budgets (the province's staff,
    headquarters, auditors)."""
    program = get_scoped_or_404(
        Program.objects.select_related("province"), request.user, Action.VIEW, pk=pk
    )
    budgets = (
        ProgramBudget.objects.restrict(request.user, Action.VIEW)
        .filter(program=program)
        .select_related("province")
        .order_by("province__sort_key", "province", "-year")
    )
    # Setting a budget is offered when the route lets the user in and the form offers this
    # program (its province's manager's, or a national one).
    budget_url = url_if_reachable(request.user, "support:budget-set")
    if budget_url and budgetable_programs(request.user).filter(pk=program.pk).exists():
        budget_url = f"{budget_url}?program={program.pk}"
    else:
        budget_url = ""
    # Whether it has a budget this year in the user's province (None: the user has none).
    budget_here = with_budget_here(Program.objects.filter(pk=program.pk), request.user).values_list(
        "budget_here", flat=True
    )[0]
    # Applying is offered when the route lets the user in, the program is open to them and
    # it has a budget this year in their province (else it could never be approved).
    apply_url = url_if_reachable(request.user, "support:application-create")
    if (
        apply_url
        and budget_here
        and programs_to_apply_to(request.user).filter(pk=program.pk).exists()
    ):
        apply_url = f"{apply_url}?program={program.pk}"
    else:
        apply_url = ""
    return render(
        request,
        "support/program_detail.html",
        {
            "program": program,
            "size_classes": [SizeClass(v).label for v in program.size_classes],
            "sectors": [Sector(v).label for v in program.sectors],
            "documents": [DocumentKind(v).label for v in program.required_documents],
            "eligible_provinces": program.eligible_provinces.by_name(),
            "budgets": budgets,
            "budget_url": budget_url,
            "apply_url": apply_url,
            "budget_here": budget_here,
            "this_year": jalali_year_of(timezone.localdate()),
            "history": history_for(request.user, program),
        },
    )


@scoped(Program, Action.CHANGE, methods=("GET", "POST"), listing=False)
def program_create(request):
    form = ProgramForm(request.POST or None, actor=request.user)

    def save(form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        return services.program_create(actor=request.user, **data)

    return form_page(
        request,
        form,
        save,
        context={"title": _("New support program")},
        success=lambda program: program.get_absolute_url(),
    )


@scoped(Program, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def program_edit(request, pk):
    program = get_scoped_or_404(Program, request.user, Action.CHANGE, pk=pk)
    form = ProgramForm(request.POST or None, instance=program, actor=request.user)
    return edit_page(
        request,
        program,
        form,
        lambda record, **kw: services.program_update(program=record, **kw),
    )


@scoped(ProgramBudget, Action.CHANGE, methods=("GET", "POST"), listing=False)
def budget_set(request):
    """Set a program's budget for a province and Jalali year (the province's manager)."""
    initial = {}
    if chosen := id_param(request.GET.get("program")):
        initial["program"] = budgetable_programs(request.user).filter(pk=chosen).first()
    form = BudgetForm(request.POST or None, actor=request.user, initial=initial)
    back = initial.get("program")
    return form_page(
        request,
        form,
        lambda f: services.program_budget_set(actor=request.user, **f.cleaned_data),
        context={"title": _("Set a program's budget"), "back": back},
        success=lambda budget: reverse("support:program-detail", args=[budget.program_id]),
    )


# --- applications ----------------------------------------------------------------------------
@scoped(Application, Action.VIEW)
def application_list(request):
    """Applications by stage and age (days since their last step)."""
    applications = (
        Application.objects.restrict(request.user, Action.VIEW)
        .select_related("unit", "program", "assigned_to")
        .annotate(last_step_at=Max("steps__at"))
        .order_by("last_step_at", "pk")
    )
    filterset = ApplicationFilterSet(request.GET, applications, request=request)
    # What a report's figures read from the approved ones listed: the committed total and
    # the mean approved rate (subsidy.committed_rial, subsidy.mean_rate_pct).
    summary = filterset.qs.filter(approved_on__isnull=False).aggregate(
        committed=Sum("committed_rial"), rate=Avg("approved_rate_pct"), n=Count("pk")
    )
    if summary["n"]:
        summary["rate"] = Decimal(summary["rate"]).quantize(Decimal("0.1"))
        summary["committed"] = summary["committed"] or 0
    return list_page(
        request,
        filterset=filterset,
        table_class=ApplicationTable,
        template="support/application_list.html",
        title=_("Support applications"),
        filename="support-applications",
        extra={
            **batch_context(request),
            "approved_summary": summary if summary["n"] else None,
        },
    )


@scoped(Application, Action.VIEW, lookup="pk")
def application_detail(request, pk):
    application = get_scoped_or_404(
        Application.objects.select_related(
            "unit__county__province", "program", "assigned_to", "budget", "created_by"
        ),
        request.user,
        Action.VIEW,
        pk=pk,
    )
    return application_page(request, application)


def application_page(request, application, *, bound=None, status=200):
    """An application: what it asks for, where it stands, its timeline, documents and
    payments; the forms of the next steps the user may take (see `core.pages.post_action`)."""
    user = request.user
    context = {
        "application": application,
        "steps": ApplicationStep.objects.restrict(user, Action.VIEW)
        .filter(application=application)
        .select_related("by")
        .order_by("at", "pk"),
        "documents": ApplicationDocument.objects.restrict(user, Action.VIEW)
        .filter(application=application, archived_at__isnull=True)
        .order_by("kind", "pk"),
        "payments": Payment.objects.restrict(user, Action.VIEW)
        .filter(application=application)
        .order_by("on", "pk"),
        "history": history_for(user, application),
        # The next steps the services allow from here (the route says who may take them).
        "submittable": (S.DRAFT, S.RETURNED),
        "withdrawable": ()
        if application.paid_rial or not services.may_withdraw(user, application)
        else WITHDRAWABLE,
        "finished": FINAL,
    }
    forms = {"withdraw_form": WithdrawForm}
    context["offered"] = steps_offered(user, application)
    context["left_to_pay"] = (application.subsidy_rial or 0) - application.paid_rial
    # rate × cost when the unit's remaining cap cut the approval down to less.
    context["uncapped"] = services.cap_cut(application)
    if context["offered"]["approve"]:
        context.update(_money_left(application))
    forms.update(step_forms(application))
    return record_page(
        request, "support/application_detail.html", context, forms, bound=bound, status=status
    )


@scoped(Application, Action.CHANGE, methods=("GET", "POST"))
def application_create(request):
    """A unit's representative applies for their unit (or the staff register it for them): a
    draft, with a first document (an invoice, a quotation…) if one is attached."""
    initial = {}
    if chosen := id_param(request.GET.get("program")):
        initial["program"] = programs_to_apply_to(request.user).filter(pk=chosen).first()
    form = ApplicationForm(
        request.POST or None, request.FILES or None, actor=request.user, initial=initial
    )

    @transaction.atomic
    def save(form):
        data = form.cleaned_data
        application = services.application_create(
            actor=request.user, unit=data["unit"], program=data["program"],
            requested_cost_rial=data["requested_cost_rial"], description=data["description"],
        )  # fmt: skip
        if data.get("file"):
            services.application_document_add(
                actor=request.user, application=application, kind=data["kind"],
                upload=data["file"],
            )  # fmt: skip
        return application

    return form_page(
        request,
        form,
        save,
        context={"title": _("New support application"), "multipart": True},
        success=lambda application: application.get_absolute_url(),
        template="support/application_form.html",
    )


@scoped(Application, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def document_add(request, pk):
    application = get_scoped_or_404(Application, request.user, Action.CHANGE, pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda f: services.application_document_add(
            actor=request.user, application=application, **f.cleaned_data
        ),
        context={"title": _("Attach a document"), "back": application},
        success=lambda document: application.get_absolute_url(),
        template="support/application_form.html",
    )


@scoped(ApplicationDocument, Action.VIEW, lookup="pk")
def document_download(request, pk):
    """An attached document, as it was uploaded (to whoever may read the application)."""
    document = get_scoped_or_404(ApplicationDocument, request.user, Action.VIEW, pk=pk)
    try:
        with document.file.open("rb") as stored:
            content = stored.read()
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    extension = document.file.name.rsplit(".", 1)[-1].lower()
    return download(
        content, document.filename, CONTENT_TYPES.get(extension, "application/octet-stream")
    )


@scoped(Application, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def application_submit(request, pk):
    return post_action(
        request,
        get_scoped_or_404(Application, request.user, Action.CHANGE, pk=pk),
        SubmitForm,
        lambda application, _data: services.application_submit(
            actor=request.user, application=application
        ),
        page=application_page,
        done=_("The application was submitted for review."),
    )


@scoped(Application, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def application_withdraw(request, pk):
    return post_action(
        request,
        get_scoped_or_404(Application, request.user, Action.CHANGE, pk=pk),
        WithdrawForm,
        lambda application, data: services.application_withdraw(
            actor=request.user, application=application, reason=data["reason"]
        ),
        page=application_page,
        slot="withdraw_form",
        done=_("The application was withdrawn."),
    )


# --- exhibitions and services ----------------------------------------------------------------
def _archive_question(record, _data):
    return (
        _("Archive %(name)s?") % {"name": record},
        _("It leaves the lists and the reports' figures; its history is kept."),
        _("Archive"),
    )


def _kept_record_routes(model, form_class, *, create, update, archive, page, new_title):
    """The create, edit and archive routes of a kind of record the province's staff keep
    (exhibitions, service records): `create(actor=, **data)`, `update(record, **changes)`
    (edit_page's), `archive(actor, record)`; `page` shows a record (with the archive form)."""

    @scoped(model, Action.CHANGE, methods=("GET", "POST"), listing=False)
    def create_view(request):
        form = form_class(request.POST or None, actor=request.user)

        def save(form):
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            return create(actor=request.user, **data)

        return form_page(
            request, form, save, context={"title": new_title},
            success=lambda record: record.get_absolute_url(),
        )  # fmt: skip

    @scoped(model, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
    def edit_view(request, pk):
        record = get_scoped_or_404(model, request.user, Action.CHANGE, pk=pk)
        form = form_class(request.POST or None, instance=record, actor=request.user)
        return edit_page(request, record, form, update)

    @scoped(model, Action.CHANGE, lookup="pk", methods=("POST",))
    @require_POST
    def archive_view(request, pk):
        return post_action(
            request,
            get_scoped_or_404(model, request.user, Action.CHANGE, pk=pk),
            ArchiveForm,
            lambda record, _data: archive(request.user, record),
            page=page,
            done=_("Archived."),
            confirm=_archive_question,
        )

    return create_view, edit_view, archive_view


@scoped(Exhibition, Action.VIEW)
def exhibition_list(request):
    exhibitions = (
        Exhibition.objects.restrict(request.user, Action.VIEW)
        .filter(archived_at__isnull=True)
        .order_by("-starts_on", "name", "pk")
    )
    return list_page(
        request,
        filterset=ExhibitionFilterSet(request.GET, exhibitions, request=request),
        table_class=ExhibitionTable,
        template="support/exhibition_list.html",
        title=_("Exhibitions"),
        filename="exhibitions",
    )


@scoped(Exhibition, Action.VIEW, lookup="pk")
def exhibition_detail(request, pk):
    exhibition = get_scoped_or_404(
        Exhibition.objects.select_related("province"), request.user, Action.VIEW, pk=pk
    )
    return exhibition_page(request, exhibition)


def exhibition_page(request, exhibition, *, bound=None, status=200):
    """An exhibition and the supports of it the user may see."""
    from shahrak.units.countries import country_name

    supports = (
        ExhibitionSupport.objects.restrict(request.user, Action.VIEW)
        .filter(exhibition=exhibition, archived_at__isnull=True)
        .select_related("unit")
        .order_by("unit__sort_key", "pk")
    )
    context = {
        "exhibition": exhibition,
        "country": country_name(exhibition.country),
        "supports": supports,
        "history": history_for(request.user, exhibition),
    }
    return record_page(
        request, "support/exhibition_detail.html", context, {"archive_form": ArchiveForm},
        bound=bound, status=status,
    )  # fmt: skip


exhibition_create, exhibition_edit, exhibition_archive = _kept_record_routes(
    Exhibition,
    ExhibitionForm,
    create=services.exhibition_create,
    update=lambda record, **kw: services.exhibition_update(exhibition=record, **kw),
    archive=lambda actor, record: services.exhibition_archive(actor=actor, exhibition=record),
    page=exhibition_page,
    new_title=_lazy("New exhibition"),
)


@scoped(ExhibitionSupport, Action.VIEW)
def exhibition_support_list(request):
    supports = (
        ExhibitionSupport.objects.restrict(request.user, Action.VIEW)
        .filter(archived_at__isnull=True)
        .select_related("unit", "exhibition")
        .order_by("-on", "-pk")
    )
    return list_page(
        request,
        filterset=ExhibitionSupportFilterSet(request.GET, supports, request=request),
        table_class=ExhibitionSupportTable,
        template="support/exhibition_support_list.html",
        title=_("Exhibition supports"),
        filename="exhibition-supports",
    )


@scoped(ExhibitionSupport, Action.VIEW, lookup="pk")
def exhibition_support_detail(request, pk):
    support = get_scoped_or_404(
        ExhibitionSupport.objects.select_related("unit", "exhibition", "application"),
        request.user, Action.VIEW, pk=pk,
    )  # fmt: skip
    return exhibition_support_page(request, support)


def exhibition_support_page(request, support, *, bound=None, status=200):
    application = support.application
    if application is not None and not (
        Application.objects.restrict(request.user, Action.VIEW).filter(pk=application.pk).exists()
    ):
        application = None  # not named to whom may not see it
    context = {
        "support": support,
        "application": application,
        "history": history_for(request.user, support),
    }
    return record_page(
        request, "support/exhibition_support_detail.html", context,
        {"archive_form": ArchiveForm}, bound=bound, status=status,
    )  # fmt: skip


@scoped(ExhibitionSupport, Action.CHANGE, methods=("GET", "POST"), listing=False)
def exhibition_support_create(request):
    initial = {}
    if chosen := id_param(request.GET.get("exhibition")):
        initial["exhibition"] = Exhibition.objects.filter(pk=chosen).first()
    if chosen := id_param(request.GET.get("unit")):
        initial["unit"] = units_to_record_for(request.user).filter(pk=chosen).first()
    form = ExhibitionSupportForm(request.POST or None, actor=request.user, initial=initial)

    def save(form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        return services.exhibition_support_record(actor=request.user, **data)

    return form_page(
        request, form, save, context={"title": _("New exhibition support")},
        success=lambda support: support.get_absolute_url(),
    )  # fmt: skip


@scoped(ExhibitionSupport, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def exhibition_support_edit(request, pk):
    support = get_scoped_or_404(
        ExhibitionSupport.objects.select_related("unit__county"), request.user, Action.CHANGE,
        pk=pk,
    )  # fmt: skip
    form = ExhibitionSupportForm(request.POST or None, instance=support, actor=request.user)
    return edit_page(
        request, support, form,
        lambda record, **kw: services.exhibition_support_update(support=record, **kw),
    )  # fmt: skip


@scoped(ExhibitionSupport, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def exhibition_support_archive(request, pk):
    return post_action(
        request,
        get_scoped_or_404(
            ExhibitionSupport.objects.select_related("unit__county"),
            request.user,
            Action.CHANGE,
            pk=pk,
        ),
        ArchiveForm,
        lambda support, _data: services.exhibition_support_archive(
            actor=request.user, support=support
        ),
        page=exhibition_support_page,
        done=_("Archived."),
        confirm=_archive_question,
    )


# The revival app's services counted by services.by_kind: their rows link here with
# `kind=<key>` and are shown by the revival case list (filter names there).
REVIVAL_SERVICES = {"diagnosis": "diagnosed", "improvement_plan": "planned"}


def _revival_services(request):
    """The revival case list for `?kind=diagnosis|improvement_plan` (None for other kinds)."""
    from urllib.parse import urlencode

    from django.shortcuts import redirect

    prefix = REVIVAL_SERVICES.get(request.GET.get("kind"))
    cases_url = url_if_reachable(request.user, "revival:case-list") if prefix else None
    if not cases_url:
        return None
    return redirect(f"{cases_url}?{urlencode(_revival_query(request, prefix))}")


def _revival_query(request, prefix: str) -> dict:
    """The revival case list's filters for the services list's place and dates."""
    query = {
        name: request.GET[name] for name in ("province", "county", "park") if request.GET.get(name)
    }
    for end in ("from", "to"):
        if request.GET.get(f"on_{end}"):
            query[f"{prefix}_{end}"] = request.GET[f"on_{end}"]
    return query


def _revival_counted(request) -> int | None:
    """The revival cases the links of the services list show (diagnosed, then planned, in
    its dates), as services.count adds them; None when a filter cannot be applied."""
    from shahrak.revival.filtersets import CaseFilterSet
    from shahrak.revival.models import RevivalCase

    total = 0
    for prefix in REVIVAL_SERVICES.values():
        cases = CaseFilterSet(
            _revival_query(request, prefix),
            RevivalCase.objects.restrict(request.user, Action.VIEW),
            request=request,
        )
        if not cases.is_valid():
            return None
        total += cases.qs.count()
    return total


@scoped(ServiceRecord, Action.VIEW)
def service_list(request):
    if (revival := _revival_services(request)) is not None:
        return revival
    from shahrak.units.models import Unit

    # The units column (and its Excel export) names only the units served the user may see:
    # a representative reads their own unit of a group service, not the others'.
    visible_units = Unit.objects.restrict(request.user, Action.VIEW).order_by("sort_key", "pk")
    records = (
        ServiceRecord.objects.restrict(request.user, Action.VIEW)
        .filter(archived_at__isnull=True)
        .select_related("kind", "park")
        .prefetch_related(Prefetch("units", queryset=visible_units))
        .order_by("-on", "-pk")
    )
    # The reports' services.count also counts the revival cases diagnosed or planned within
    # the dates: the page links to them (they are the revival app's records, not listed here).
    revival = []
    if not request.GET.get("kind") and (request.GET.get("on_from") or request.GET.get("on_to")):
        query = request.GET.copy()
        labels = {
            "diagnosis": _("Revival cases diagnosed in these dates"),
            "improvement_plan": _("Revival cases planned in these dates"),
        }
        for key, label in labels.items():
            query["kind"] = key
            revival.append((label, f"{reverse('support:service-list')}?{query.urlencode()}"))
        if not url_if_reachable(request.user, "revival:case-list"):
            revival = []
    filterset = ServiceRecordFilterSet(request.GET, records, request=request)
    # The figure clicked (services.count) adds the revival cases the links show: say the sum.
    counted = None
    if revival and filterset.is_valid() and (cases := _revival_counted(request)) is not None:
        listed = filterset.qs.count()
        counted = {"records": listed, "revival": cases, "total": listed + cases}
    return list_page(
        request,
        filterset=filterset,
        table_class=ServiceRecordTable,
        template="support/service_list.html",
        title=_("Services to units"),
        filename="services",
        extra={"revival_links": revival, "counted": counted},
    )


@scoped(ServiceRecord, Action.VIEW, lookup="pk")
def service_detail(request, pk):
    record = get_scoped_or_404(
        ServiceRecord.objects.select_related("kind", "park", "province"),
        request.user, Action.VIEW, pk=pk,
    )  # fmt: skip
    return service_page(request, record)


def service_page(request, record, *, bound=None, status=200):
    from shahrak.units.models import Unit

    # The units served the user may see (a representative: their own).
    units = (
        Unit.objects.restrict(request.user, Action.VIEW)
        .filter(service_records=record)
        .order_by("sort_key", "pk")
    )
    context = {"record": record, "units": units, "history": history_for(request.user, record)}
    return record_page(
        request, "support/service_detail.html", context, {"archive_form": ArchiveForm},
        bound=bound, status=status,
    )  # fmt: skip


service_create, service_edit, service_archive = _kept_record_routes(
    ServiceRecord,
    ServiceRecordForm,
    create=services.service_record_create,
    update=lambda record, **kw: services.service_record_update(record=record, **kw),
    archive=lambda actor, record: services.service_record_archive(actor=actor, record=record),
    page=service_page,
    new_title=_lazy("New service record"),
)


# --- the staff's steps on an application -----------------------------------------------------
# The states each step may be taken in (the services refuse the others, in words). The staff's
# steps are routes on `StaffApplication` (changed by the province's staff only), the money
# steps on `Application` with `Action.APPROVE` (the province's manager): a unit's
# representative reaches none of them.
STEP_STATES = {
    "assign": (S.SUBMITTED, S.UNDER_REVIEW),
    "review": (S.UNDER_REVIEW,),
    "return": (S.SUBMITTED, S.UNDER_REVIEW),
    "approve": (S.UNDER_REVIEW,),
    "reject": (S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.EXECUTED),
    "execute": (S.APPROVED,),
    "pay": (S.EXECUTED, S.PAID),
    "close": (S.PAID, S.EXECUTED),
}


def steps_offered(user, application) -> dict[str, bool]:
    """Which of the staff's steps the application's state allows now (the route says who)."""
    status = application.status
    offered = {name: status in states for name, states in STEP_STATES.items()}
    left = (application.subsidy_rial or 0) - application.paid_rial
    offered["pay"] = offered["pay"] and left > 0
    offered["close"] = status == S.PAID or (status == S.EXECUTED and application.subsidy_rial == 0)
    # The review is the assigned expert's (a manager may write it too).
    province_id = application.unit.county.province_id
    offered["review"] = offered["review"] and (
        application.assigned_to_id in (None, user.pk)
        or access_for(user).can(Action.APPROVE, province_id)
    )
    return offered


def _money_left(application) -> dict:
    """What the approval form shows: what is left of the program's budget in the province
    this year, and of the unit's cap (None when the user may not see the budget)."""
    year = jalali_year_of(timezone.localdate())
    program = application.program
    budget = (
        ProgramBudget.objects.filter(
            program=program, province_id=application.unit.county.province_id, year=year
        )
        .only("amount_rial", "reserved_rial", "paid_rial")
        .first()
    )
    used = services.cap_used(
        unit_id=application.unit_id, program_id=program.pk, year=year, excluding=application.pk
    )
    return {
        "year": year,
        "budget_left": None if budget is None else budget.available_rial,
        "cap_left": max(0, program.cap_per_unit_rial - used),
    }


@transaction.atomic
def _execute(actor, application, data):
    """Attach the invoice sent with the form (if any), then record the execution; a refusal
    keeps neither (nor the stored file)."""
    document = None
    if data.get("file"):
        document = services.application_document_add(
            actor=actor, application=application, kind=DocumentKind.INVOICE, upload=data["file"]
        )
    try:
        return services.application_execute(
            actor=actor, application=application, actual_cost_rial=data["actual_cost_rial"],
            eligible_cost_rial=data.get("eligible_cost_rial"), on=data.get("on"),
        )  # fmt: skip
    except DomainError:
        if document is not None:
            document.file.delete(save=False)
        raise


# Each step's form (its fields are the service's arguments) and what is said once it is done.
STEP_FORMS = {
    "assign": AssignForm, "review": ReviewForm, "return": ReasonForm, "approve": ApproveForm,
    "reject": ReasonForm, "execute": ExecuteForm, "pay": PaymentForm, "close": CloseForm,
}  # fmt: skip
STEP_DONE = {
    "assign": _("The application was assigned."),
    "review": _("The review was saved; the province's managers are told."),
    "return": _("The application was returned to the unit for changes."),
    "approve": _("The application was approved and its amount reserved."),
    "reject": _("The application was rejected."),
    "execute": _("The execution was recorded."),
    "pay": _("The payment was recorded."),
    "close": _("The application was closed."),
}


def _step_form(name, application, data=None, files=None):
    """A step's form, with ids of its own (two forms have a reason) and what it starts with."""
    options = {"auto_id": f"{name}_%s"}
    if name == "assign":
        options["province_id"] = application.unit.county.province_id
    elif name == "approve":
        options["initial"] = {"approved_cost_rial": application.requested_cost_rial}
    elif name == "pay":
        left = (application.subsidy_rial or 0) - application.paid_rial
        options["initial"] = {"on": timezone.localdate(), "amount_rial": left}
    return STEP_FORMS[name](data, files, **options)


def _run_step(name, actor, application, data):
    if name == "execute":
        return _execute(actor, application, data)
    arguments = {key: value for key, value in data.items() if key != "confirm"}
    service = getattr(services, f"application_{name}")
    return service(actor=actor, application=application, **arguments)


def step_forms(application) -> dict:
    """The blank forms of the steps, for the application's page."""
    return {
        f"{name}_form": (lambda name=name: _step_form(name, application)) for name in STEP_FORMS
    }


def _cap_said(application, uncapped: int) -> str:
    return _(
        "The amount was limited by the unit's remaining cap for the year: %(rate)s%% of the "
        "approved cost is %(share)s, but only %(left)s of the program's cap was left."
    ) % {
        "rate": localized(application.approved_rate_pct),
        "share": format_million_toman(uncapped),
        "left": format_million_toman(application.approved_amount_rial),
    }


def _take_step(request, pk, name, model, action):
    get_scoped_or_404(model, request.user, action, pk=pk)  # beyond reach: 404
    application = Application.objects.select_related(
        "unit__county__province", "program", "assigned_to", "budget", "created_by"
    ).get(pk=pk)
    # A step the page does not offer in this state has its refusal said above the page.
    shown = steps_offered(request.user, application)[name]

    def run(record, data):
        result = _run_step(name, request.user, record, data)
        if name == "approve" and (uncapped := services.cap_cut(result)) is not None:
            messages.warning(request, _cap_said(result, uncapped))
        return result

    return post_action(
        request,
        application,
        lambda data: _step_form(name, application, data, request.FILES or None),
        run,
        page=application_page,
        slot=f"{name}_form" if shown else None,
        done=STEP_DONE[name],
    )


def _step_route(name, model, action):
    """The POST route of one step: its access declared on `model` and `action`."""

    def view(request, pk):
        return _take_step(request, pk, name, model, action)

    view.__name__ = view.__qualname__ = f"application_{name}"
    view.__doc__ = f"The {name} step of an application (a form of its page)."
    return scoped(model, action, lookup="pk", methods=("POST",))(require_POST(view))


application_assign = _step_route("assign", StaffApplication, Action.CHANGE)
application_review = _step_route("review", StaffApplication, Action.CHANGE)
application_return = _step_route("return", StaffApplication, Action.CHANGE)
application_execute = _step_route("execute", StaffApplication, Action.CHANGE)
application_approve = _step_route("approve", Application, Action.APPROVE)
application_reject = _step_route("reject", Application, Action.APPROVE)
application_pay = _step_route("pay", Application, Action.APPROVE)
application_close = _step_route("close", Application, Action.APPROVE)


# --- batch actions on the list ---------------------------------------------------------------
def _batch_form(request, data=None):
    staff = provinces_for(request.user, Action.CHANGE, KEPT_BY_STAFF[Action.CHANGE])
    return BatchForm(
        data,
        applications=StaffApplication.objects.restrict(request.user, Action.CHANGE),
        experts=reviewers_of(staff),
        auto_id="batch_%s",
    )


def batch_context(request) -> dict:
    """The list's batch form, for those the batch route lets in."""
    if not url_if_reachable(request.user, "support:application-batch"):
        return {}
    return {"batch_form": _batch_form(request), "back": request.get_full_path()}


def _back_to_list(request):
    back = request.POST.get("back", "")
    listed = reverse("support:application-list")
    return redirect(back if back.startswith(listed) else listed)


@scoped(StaffApplication, Action.CHANGE, methods=("POST",), listing=False)
@require_POST
def application_batch(request):
    """One action on the applications chosen on the list: each through its service, all or
    nothing — the first refusal cancels the whole batch and names its application."""
    form = _batch_form(request, request.POST)
    if not form.is_valid():
        for line in errors_text(form):
            messages.error(request, line)
        return _back_to_list(request)
    data = form.cleaned_data
    chosen = sorted(data["applications"], key=lambda application: application.pk)
    try:
        with transaction.atomic():
            for application in chosen:
                try:
                    if data["action"] == BatchForm.ASSIGN:
                        services.application_assign(
                            actor=request.user, application=application, expert=data["expert"]
                        )
                    else:
                        services.application_reject(
                            actor=request.user, application=application, reason=data["reason"]
                        )
                except DomainError as error:
                    error.application = application
                    raise
    except DomainError as error:
        said = _("Application %(number)s: %(message)s Nothing was changed.") % {
            "number": error.application.pk,
            "message": error.message,
        }
        persian = (get_language() or "fa").startswith("fa")
        messages.error(request, fa_digits_outside_latin(said) if persian else said)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s application was done.", "%(count)s applications were done.", len(chosen)
            )
            % {"count": len(chosen)},
        )
    return _back_to_list(request)
