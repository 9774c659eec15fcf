from django.db import transaction
from django.db.models import Max
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shahrak.accounts.access import get_scoped_or_404, scoped, url_if_reachable
from shahrak.accounts.choices import Action
from shahrak.accounts.history import history_for
from shahrak.core.forms import id_param
from shahrak.core.pages import edit_page, form_page, list_page, post_action, record_page
from shahrak.units.choices import Sector, SizeClass

from . import services
from .choices import FINAL, TRANSITIONS, DocumentKind
from .choices import ApplicationStatus as S
from .filtersets import ApplicationFilterSet, ProgramFilterSet
from .forms import (
    ApplicationForm,
    BudgetForm,
    DocumentForm,
    ProgramForm,
    SubmitForm,
    WithdrawForm,
    budgetable_programs,
    programs_to_apply_to,
)
from .models import (
    Application,
    ApplicationDocument,
    ApplicationStep,
    Payment,
    Program,
    ProgramBudget,
)
from .tables import ApplicationTable, ProgramTable

# Where a withdrawal may still come (before any payment).
WITHDRAWABLE = tuple(
    status for status, following in TRANSITIONS.items() if S.WITHDRAWN in following
)


# --- the program catalogue -------------------------------------------------------------------
@scoped(Program, Action.VIEW)
def program_list(request):
    programs = (
        Program.objects.restrict(request.user, Action.VIEW)
        .select_related("province")
        .order_by("-flagship", "title", "pk")
    )
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
    # Applying is offered when the route lets the user in and the program is open to them.
    apply_url = url_if_reachable(request.user, "support:application-create")
    if apply_url and programs_to_apply_to(request.user).filter(pk=program.pk).exists():
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
        .select_related("unit", "program")
        .annotate(last_step_at=Max("steps__at"))
        .order_by("last_step_at", "pk")
    )
    return list_page(
        request,
        filterset=ApplicationFilterSet(request.GET, applications, request=request),
        table_class=ApplicationTable,
        template="support/application_list.html",
        title=_("Support applications"),
        filename="support-applications",
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
        "withdrawable": () if application.paid_rial else WITHDRAWABLE,
        "finished": FINAL,
    }
    forms = {"withdraw_form": WithdrawForm}
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
