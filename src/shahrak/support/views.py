from django.db.models import Max
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from shahrak.accounts.access import get_scoped_or_404, scoped, url_if_reachable
from shahrak.accounts.choices import Action
from shahrak.accounts.history import history_for
from shahrak.core.forms import id_param
from shahrak.core.pages import edit_page, form_page, list_page
from shahrak.units.choices import Sector, SizeClass

from . import services
from .choices import DocumentKind
from .filtersets import ApplicationFilterSet, ProgramFilterSet
from .forms import BudgetForm, ProgramForm, budgetable_programs
from .models import (
    Application,
    ApplicationDocument,
    ApplicationStep,
    Payment,
    Program,
    ProgramBudget,
)
from .tables import ApplicationTable, ProgramTable


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
    """An application: what it asks for, where it stands, its timeline, documents and
    payments."""
    application = get_scoped_or_404(
        Application.objects.select_related(
            "unit__county__province", "program", "assigned_to", "budget", "created_by"
        ),
        request.user,
        Action.VIEW,
        pk=pk,
    )
    user = request.user
    return render(
        request,
        "support/application_detail.html",
        {
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
        },
    )
