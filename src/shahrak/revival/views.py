"""The revival work views: cases by stage and age, a case's page with its timeline and the
forms of its next steps, the watch list (a case opened from it in one step), the funnel, and
the units' monthly reports (filed by the unit, reviewed by the staff)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shahrak.accounts.access import get_scoped_or_404, provinces_for, provincial, scoped
from shahrak.accounts.choices import Action
from shahrak.accounts.history import history_for
from shahrak.core.errors import DomainError
from shahrak.core.forms import apply_domain_error, errors_text
from shahrak.core.jalali import format_jalali, jalali_year_of
from shahrak.core.pages import form_page, list_page, post_action
from shahrak.core.period_picker import asked_period, quick_periods
from shahrak.core.tables import xlsx_response
from shahrak.core.text import isolate
from shahrak.units.choices import IdleReason
from shahrak.units.models import Unit

from . import selectors, services
from .choices import OPEN_STAGES, CaseStage, IdentifiedBy, ReportStatus
from .filtersets import CaseFilterSet, ReportFilterSet
from .forms import (
    ActionFormSet,
    CaseOpenForm,
    CloseForm,
    DiagnosisForm,
    PlanForm,
    ProgressForm,
    ReportForm,
    RestartForm,
    ReviewForm,
    VisitForm,
    units_filed_by,
)
from .models import MonthlyReport, PlanAction, RevivalCase
from .tables import CaseTable, ReportTable, WatchTable

STAGE_ORDER = Case(
    *[When(stage=stage, then=Value(i)) for i, stage in enumerate(CaseStage.values)],
    output_field=IntegerField(),
)


# --- cases --------------------------------------------------------------------------------
def _cases_for(user):
    today = timezone.localdate()
    overdue = Q(
        plan__actions__archived_at__isnull=True,
        plan__actions__done_on__isnull=True,
        plan__actions__due_on__lt=today,
    ) & ~Q(stage=CaseStage.CLOSED)
    return (
        RevivalCase.objects.restrict(user, Action.VIEW)
        .select_related("unit__county__province", "unit__park")
        .annotate(
            overdue_count=Count("plan__actions", filter=overdue),
            stage_order=STAGE_ORDER,
        )
        .order_by("stage_order", "opened_on", "pk")
    )


def _with_age(records, today):
    """Days since identification (computed here: the same on SQLite and PostgreSQL)."""
    for case in records:
        case.age_days = (today - case.opened_on).days
    return records


@scoped(RevivalCase, Action.VIEW)
def case_list(request):
    """Cases by stage (the order of the work) and age (oldest first), overdue actions
    counted; the filters of the revival figures' links."""
    filterset = CaseFilterSet(request.GET, _cases_for(request.user), request=request)
    today = timezone.localdate()
    if request.GET.get("export") == "xlsx":
        records = _with_age(list(filterset.qs), today)
        return xlsx_response(CaseTable(records), filename="revival-cases", title=_("Revival cases"))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    _with_age(page.object_list, today)
    by_stage = dict(
        filterset.qs.order_by().values_list("stage").annotate(count=Count("pk", distinct=True))
    )
    # The case waiting longest at each stage: the one to chase first.
    oldest = {
        stage: filterset.qs.filter(stage=stage).order_by("opened_on", "pk").first()
        for stage in by_stage
    }
    return render(
        request,
        "revival/case_list.html",
        {
            "filter": filterset,
            "page": page,
            "table": CaseTable(page),
            "title": _("Revival cases"),
            "by_stage": [
                (stage, by_stage.get(stage.value, 0), oldest.get(stage.value))
                for stage in CaseStage
            ],
        },
    )


def _steps_context(request, case, forms=None):
    """The forms of the case's next steps, each bound when it was just posted with errors."""
    forms = forms or {}
    return {
        "steps": selectors.next_steps(case),
        "diagnosis_form": forms.get("diagnose") or DiagnosisForm(case=case, actor=request.user),
        "plan_form": forms.get("plan") or PlanForm(),
        "action_formset": forms.get("actions") or ActionFormSet(prefix="actions"),
        "visit_form": forms.get("visit") or VisitForm(),
        "restart_form": forms.get("restart") or RestartForm(),
        "close_form": forms.get("close") or CloseForm(),
        "progress_form": ProgressForm(),
    }


def _plan_of(case):
    from .models import ImprovementPlan

    return ImprovementPlan.objects.filter(case=case, archived_at__isnull=True).first()


@scoped(RevivalCase, Action.VIEW, lookup="pk")
def case_detail(request, pk):
    case = get_scoped_or_404(
        RevivalCase.objects.select_related("unit__county__province", "unit__park", "assigned_to"),
        request.user,
        Action.VIEW,
        pk=pk,
    )
    return _case_page(request, case)


def _case_page(request, case, forms=None, status=200):
    today = timezone.localdate()
    plan = _plan_of(case)
    actions = list(plan.actions.filter(archived_at__isnull=True)) if plan else []
    for action in actions:
        action.overdue = action.is_overdue(today) and case.stage != CaseStage.CLOSED
    diagnoses = case.diagnoses.filter(archived_at__isnull=True).prefetch_related("findings")
    context = {
        "case": case,
        "timeline": selectors.case_timeline(case),
        "chain": selectors.case_chain(case),
        "reasons": [r.get_reason_display() for r in case.reasons.all()],
        "diagnoses": diagnoses.select_related("diagnosed_by"),
        "plan": plan,
        "actions": actions,
        "visits": case.visits.filter(archived_at__isnull=True).select_related("visited_by"),
        "age_days": (today - case.opened_on).days if case.is_open else None,
        "history": history_for(request.user, case),
        **_steps_context(request, case, forms),
    }
    return render(request, "revival/case_detail.html", context, status=status)


def _step(request, pk, name, make_form, run):
    """A step of a case posted from its page: done → back to the case with a message;
    refused → the case's page again, the form as it was filled in with its errors (200 for a
    form that does not validate, the refusal's own status for a service's refusal)."""
    case = get_scoped_or_404(
        RevivalCase.objects.select_related("unit__county__province"),
        request.user,
        Action.CHANGE,
        pk=pk,
    )
    if request.method != "POST":
        return redirect(case)
    form = make_form(case)
    status = 200
    if form.is_valid():
        try:
            run(case, form)
        except DomainError as error:
            apply_domain_error(form, error)
            status = getattr(error, "status", 400)
            case.refresh_from_db()
        else:
            messages.success(request, _("Saved."))
            return redirect(case)
    messages.error(request, _("Nothing was saved: correct what is marked in the form below."))
    return _case_page(request, case, forms={name: form}, status=status)


@scoped(RevivalCase, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def case_diagnose(request, pk):
    def run(case, form):
        data = form.cleaned_data
        services.case_diagnose(
            actor=request.user, case=case, on=data["on"], diagnosed_by=data["diagnosed_by"],
            findings=form.findings(), summary=data["summary"],
        )  # fmt: skip

    return _step(
        request, pk, "diagnose",
        lambda case: DiagnosisForm(request.POST, case=case, actor=request.user), run,
    )  # fmt: skip


class _PlanForms:
    """The plan's form and its actions' formset, valid together."""

    def __init__(self, data):
        self.plan = PlanForm(data)
        self.actions = ActionFormSet(data, prefix="actions")

    def is_valid(self):
        return all([self.plan.is_valid(), self.actions.is_valid()])


@scoped(RevivalCase, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def case_plan(request, pk):
    case = get_scoped_or_404(
        RevivalCase.objects.select_related("unit__county__province"),
        request.user,
        Action.CHANGE,
        pk=pk,
    )
    if request.method != "POST":
        return redirect(case)
    forms = _PlanForms(request.POST)
    status = 200
    if forms.is_valid():
        actions = [
            form.data_for_service()
            for form in forms.actions
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            services.case_plan(
                actor=request.user, case=case, on=forms.plan.cleaned_data["on"],
                actions=actions, summary=forms.plan.cleaned_data["summary"],
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(forms.plan, error)
            status = getattr(error, "status", 400)
            case.refresh_from_db()
        else:
            messages.success(request, _("Saved."))
            return redirect(case)
    messages.error(request, _("Nothing was saved: correct what is marked in the form below."))
    return _case_page(request, case, {"plan": forms.plan, "actions": forms.actions}, status=status)


@scoped(RevivalCase, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def visit_add(request, pk):
    return _step(
        request, pk, "visit", lambda case: VisitForm(request.POST),
        lambda case, form: services.followup_visit_add(
            actor=request.user, case=case, **form.cleaned_data
        ),
    )  # fmt: skip


@scoped(RevivalCase, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def case_restart(request, pk):
    return _step(
        request, pk, "restart", lambda case: RestartForm(request.POST),
        lambda case, form: services.case_restart(
            actor=request.user, case=case, **form.cleaned_data
        ),
    )  # fmt: skip


@scoped(RevivalCase, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def case_close(request, pk):
    return _step(
        request, pk, "close", lambda case: CloseForm(request.POST),
        lambda case, form: services.case_close(actor=request.user, case=case, **form.cleaned_data),
    )  # fmt: skip


@scoped(PlanAction, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def action_progress(request, pk):
    action = get_scoped_or_404(
        PlanAction.objects.select_related("plan__case__unit__county"),
        request.user,
        Action.CHANGE,
        pk=pk,
    )
    return post_action(
        request, action, ProgressForm,
        lambda action, data: services.plan_action_progress(
            actor=request.user, action=action, **data
        ),
        # Refused: the case's page again, the refusal said above it (one progress form per
        # action row: which row was meant is the message's to say).
        page=lambda request, action, status=200, **_kw: _case_page(
            request, action.plan.case, status=status
        ),
    )  # fmt: skip


@scoped(Unit, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def case_open(request, pk):
    """Open a unit's revival case (from its page, or in one step from the watch list)."""
    unit = get_scoped_or_404(
        Unit.objects.select_related("county__province"), request.user, Action.CHANGE, pk=pk
    )
    form = CaseOpenForm(request.POST or None, unit=unit, initial=_open_initial(request))
    return form_page(
        request,
        form,
        lambda f: services.case_open(actor=request.user, unit=unit, **f.cleaned_data),
        context={
            "title": _("Open a revival case for %(unit)s") % {"unit": isolate(unit)},
            "back": unit,
        },
        success=lambda case: case.get_absolute_url(),
    )


def _open_initial(request) -> dict:
    how = request.GET.get("how")
    return {"identified_by": how} if how in IdentifiedBy.values else {}


# --- the watch list -------------------------------------------------------------------------
class _Row:
    def __init__(self, unit, flags):
        self.unit, self.flags = unit, flags

    def get_absolute_url(self):
        return self.unit.get_absolute_url()


def _asked_date(request, name):
    """A Jalali date (or the ISO date of a report figure's link); today when absent."""
    from shahrak.core.jalali import JalaliError

    from .filtersets import parse_date

    text = request.GET.get(name) or ""
    if not text:
        return timezone.localdate(), None
    try:
        return parse_date(text), None
    except (JalaliError, ValueError) as error:
        return timezone.localdate(), str(error)


@provincial
def watch_list(request):
    """Units possibly going idle on a date (today by default), each flag saying which rule
    fired; staff open a case from here in one step."""
    on, error = _asked_date(request, "on")
    provinces = provinces_for(request.user, Action.VIEW)
    chosen = request.GET.get("province") or ""
    units = Unit.objects.restrict(request.user, Action.VIEW)
    if chosen:
        units = units.filter(county__province__code=chosen)
    # A report figure's scope: a county or a park.
    for name, field in (("county", "county"), ("park", "park")):
        if request.GET.get(name, "").isdigit():
            units = units.filter(**{field: int(request.GET[name])})
    flagged = selectors.watch_list(units, on)
    found = {
        unit.pk: unit
        for unit in Unit.objects.filter(pk__in=[w.unit_id for w in flagged]).select_related(
            "county", "park"
        )
    }
    rows = [_Row(found[w.unit_id], w.flags) for w in flagged]
    rows.sort(key=lambda row: (row.unit.sort_key, row.unit.pk))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(WatchTable(rows), filename="watch-list", title=_("Watch list"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "revival/watch_list.html",
        {
            "page": page,
            "rows": page.object_list,
            "count": len(rows),
            "on_date": on,
            "on_text": format_jalali(on),
            "error": error,
            "provinces": provinces,
            "chosen": chosen,
            "scope_hidden": [
                (name, request.GET[name])
                for name in ("county", "park")
                if request.GET.get(name, "").isdigit()
            ],
            "reasons": IdleReason.choices,
            "today_text": format_jalali(timezone.localdate(), persian=False),
            "title": _("Watch list"),
        },
    )


# --- the funnel -----------------------------------------------------------------------------
@provincial
def funnel(request):
    """The cases identified in a period and a scope, and how far they got."""
    this_year = jalali_year_of(timezone.localdate())
    period, error, picker = asked_period(request, this_year)
    chosen = request.GET.get("province") or ""
    cases = RevivalCase.objects.restrict(request.user, Action.VIEW).filter(
        opened_on__gte=period.start, opened_on__lte=period.end, archived_at__isnull=True
    )
    if chosen:
        cases = cases.filter(unit__county__province__code=chosen)
    counts = selectors.funnel(cases)
    base = {"opened_from": format_jalali(period.start, persian=False),
            "opened_to": format_jalali(period.end, persian=False)}  # fmt: skip
    if chosen:
        base["province"] = chosen
    labels = {
        "identified": _("Identified"),
        "diagnosed": _("Diagnosed"),
        "planned": _("Improvement plan"),
        "restarted": _("Restarted"),
        "closed": _("Closed for good"),
    }
    top = counts["identified"] or 1
    steps = []
    for step in selectors.FUNNEL:
        query = {**base, **({} if step == "identified" else {"reached": step})}
        steps.append({
            "key": step, "label": labels[step], "count": counts[step],
            "pct": round(100 * counts[step] / top), "width": max(2, 100 * counts[step] // top),
            "url": f"{reverse('revival:case-list')}?{urlencode(query)}",
        })  # fmt: skip
    return render(
        request,
        "revival/funnel.html",
        {
            "steps": steps,
            "period": period,
            "picker": picker,
            "error": error,
            "provinces": provinces_for(request.user, Action.VIEW),
            "chosen": chosen,
            "quick_periods": quick_periods(this_year),
            "title": _("Revival funnel"),
        },
    )


# --- monthly reports ------------------------------------------------------------------------
@scoped(MonthlyReport, Action.VIEW)
def report_list(request):
    reports = (
        MonthlyReport.objects.restrict(request.user, Action.VIEW)
        .select_related("unit__county")
        .order_by("-year", "-month", "unit__sort_key", "pk")
    )
    filterset = ReportFilterSet(request.GET, reports, request=request)
    waiting = filterset.qs.filter(status=ReportStatus.SUBMITTED)
    return list_page(
        request,
        filterset=filterset,
        table_class=ReportTable,
        template="revival/report_list.html",
        title=_("Monthly reports of units"),
        filename="monthly-reports",
        extra={
            "waiting": waiting.count(),
            "waiting_oldest": waiting.order_by("filed_at", "pk").first(),
        },
    )


@scoped(MonthlyReport, Action.VIEW, lookup="pk")
def report_detail(request, pk):
    report = get_scoped_or_404(
        MonthlyReport.objects.select_related("unit__county__province", "filed_by", "reviewed_by"),
        request.user,
        Action.VIEW,
        pk=pk,
    )
    return _report_page(request, report)


def _report_page(request, report, review_form=None, status=200):
    if review_form is not None:
        messages.error(request, _("Nothing was saved: correct what is marked in the form below."))
    correct_query = urlencode({"unit": report.unit_id, "year": report.year, "month": report.month})
    return render(
        request,
        "revival/report_detail.html",
        {
            "report": report,
            "review_form": review_form
            or ReviewForm(unit=report.unit, initial={"report": report.pk}),
            "correct_query": correct_query,
            "history": history_for(request.user, report),
        },
        status=status,
    )


@scoped(MonthlyReport, Action.CHANGE, methods=("GET", "POST"))
def report_file(request):
    """A unit's report for a month: saved as a draft, or submitted for review. Opened with
    `?unit=&year=&month=` it shows that month's report to correct (a draft or a returned one)."""
    units = units_filed_by(request.user)
    asked = request.GET if request.method == "GET" else request.POST
    unit = units.filter(pk=asked.get("unit") if str(asked.get("unit", "")).isdigit() else 0).first()
    existing = None
    if unit and str(asked.get("year", "")).isdigit() and str(asked.get("month", "")).isdigit():
        existing = MonthlyReport.objects.filter(
            unit=unit, year=int(asked["year"]), month=int(asked["month"]), archived_at__isnull=True
        ).first()
    initial = ReportForm.initial_for(existing, unit)
    if existing is None and str(asked.get("year", "")).isdigit():  # a month due, from home
        initial.update(year=int(asked["year"]), month=int(asked.get("month") or 0) or None)
    form = ReportForm(request.POST or None, units=units, initial=initial)
    submit = request.POST.get("submit") == "1"

    def save(form):
        data = form.cleaned_data
        call = services.monthly_report_file if submit else services.monthly_report_save
        return call(actor=request.user, unit=data["unit"], year=data["year"],
                    month=data["month"], **form.figures())  # fmt: skip

    return form_page(
        request,
        form,
        save,
        context={
            "title": _("Monthly report of a unit"),
            "existing": existing,
            "back": unit,
        },
        success=lambda report: report.get_absolute_url(),
        template="revival/report_form.html",
    )


@scoped(Unit, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def report_review(request, pk):
    """Accept a unit's submitted report, or return it with a reason (the staff's). Refused:
    the report's page again, the review as it was filled in."""
    unit = get_scoped_or_404(
        Unit.objects.select_related("county"), request.user, Action.CHANGE, pk=pk
    )
    form = ReviewForm(request.POST, unit=unit)
    if not form.is_valid():
        report = form.cleaned_data.get("report") if hasattr(form, "cleaned_data") else None
        if report is None:
            for line in errors_text(form):
                messages.error(request, line)
            return redirect(unit)
        return _report_page(request, report, review_form=form)
    data = form.cleaned_data
    report = data["report"]
    try:
        if data["decision"] == "accept":
            services.monthly_report_accept(actor=request.user, report=report)
        else:
            services.monthly_report_return(actor=request.user, report=report, reason=data["reason"])
    except DomainError as error:
        apply_domain_error(form, error)
        report.refresh_from_db()
        return _report_page(request, report, review_form=form, status=getattr(error, "status", 400))
    messages.success(request, _("Saved."))
    return redirect(report)


# Used by the unit's page and the home page (see units/views.py and home/views.py).
def unit_revival(user, unit) -> dict:
    """A unit's cases and its latest monthly reports, as `user` may see them."""
    cases = RevivalCase.objects.restrict(user, Action.VIEW).filter(unit=unit)
    reports = MonthlyReport.objects.restrict(user, Action.VIEW).filter(unit=unit)
    return {
        "revival_cases": cases.order_by("-opened_on", "-pk"),
        "monthly_reports": reports.order_by("-year", "-month")[:12],
        "has_open_case": cases.filter(stage__in=OPEN_STAGES).exists(),
        "reports_url": f"{reverse('revival:report-list')}?{urlencode({'unit': unit.pk})}",
        "submitted": ReportStatus.SUBMITTED,
    }
