"""The revival work views: cases by stage and age, a case's page with its timeline and the
forms of its next steps, the watch list (a case opened from it in one step), the funnel, and
the units' monthly reports (filed by the unit, reviewed by the staff)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shahrak.accounts.access import (
    get_scoped_or_404,
    provinces_for,
    provincial,
    scoped,
    url_if_reachable,
)
from shahrak.accounts.choices import Action
from shahrak.accounts.history import history_for
from shahrak.accounts.policy import EVERYWHERE, access_for
from shahrak.core.errors import DomainError
from shahrak.core.forms import apply_domain_error, errors_text
from shahrak.core.jalali import format_jalali, jalali_year_of
from shahrak.core.pages import (
    edit_page,
    export_refused,
    form_page,
    list_page,
    own_ids,
    post_action,
)
from shahrak.core.period_picker import asked_period, quick_periods
from shahrak.core.tables import download, xlsx_response
from shahrak.core.text import isolate
from shahrak.core.uploads import CONTENT_TYPES
from shahrak.units.choices import IdleReason
from shahrak.units.models import Unit

from . import selectors, services
from .choices import OPEN_STAGES, CaseStage, IdentifiedBy, ReportStatus
from .filtersets import CaseFilterSet, ReportFilterSet
from .forms import (
    ActionForm,
    ActionFormSet,
    ArchiveForm,
    AttachmentForm,
    CaseOpenForm,
    CloseForm,
    DiagnosisForm,
    PlanForm,
    ProgressForm,
    ReportForm,
    RestartForm,
    ReviewForm,
    RevivalSettingsForm,
    UtilityReadingForm,
    VisitForm,
    units_filed_by,
)
from .models import (
    KEPT_BY_MANAGERS,
    Diagnosis,
    DiagnosisAttachment,
    MonthlyReport,
    MonthlyReportImportRun,
    PlanAction,
    ProvinceRevivalSettings,
    RevivalCase,
    UtilityReading,
)
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
        stage__in=OPEN_STAGES,  # a restarted or closed case's actions are not chased
    )
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
        if refused := export_refused(request, filterset.qs.count()):
            return refused
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
    # The step forms share field names (on, summary, note): each has its own ids.
    return {
        "steps": selectors.next_steps(case),
        "diagnosis_form": own_ids(
            forms.get("diagnose") or DiagnosisForm(case=case, actor=request.user), "diagnosis"
        ),
        "plan_form": own_ids(forms.get("plan") or PlanForm(), "plan"),
        "action_formset": forms.get("actions")
        or ActionFormSet(prefix="actions", form_kwargs=_payer_kwargs(request, case)),
        "visit_form": own_ids(forms.get("visit") or VisitForm(), "visit"),
        "restart_form": own_ids(forms.get("restart") or RestartForm(), "restart"),
        "close_form": own_ids(forms.get("close") or CloseForm(), "close"),
        # Shown once per action, its fields inside their labels: no ids at all.
        "progress_form": ProgressForm(auto_id=False),
        # Its prefix already makes its ids its own ("id_new-action-title").
        "action_form": forms.get("action")
        or ActionForm(prefix="new-action", **_payer_kwargs(request, case)),
    }


def _payer_kwargs(request, case) -> dict:
    """An action form offers the programs and applications the user may see for the case."""
    return {"case": case, "actor": request.user}


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
    actions = (
        list(plan.actions.filter(archived_at__isnull=True).select_related("program", "application"))
        if plan
        else []
    )
    for action in actions:
        action.overdue = case.is_open and action.is_overdue(today)
    diagnoses = list(
        case.diagnoses.filter(archived_at__isnull=True)
        .select_related("diagnosed_by")
        .prefetch_related("findings")
    )
    # Each diagnosis with its attachments (as the user may see them) and its upload form, the
    # one just refused shown again with its errors.
    attachments = {}
    visible = DiagnosisAttachment.objects.restrict(request.user, Action.VIEW).filter(
        diagnosis__case=case, archived_at__isnull=True
    )
    for attachment in visible.select_related("uploaded_by").order_by("pk"):
        attachments.setdefault(attachment.diagnosis_id, []).append(attachment)
    bound_for, bound_form = (forms or {}).get("attachment", (None, None))
    for diagnosis in diagnoses:
        diagnosis.attachment_list = attachments.get(diagnosis.pk, [])
        diagnosis.attachment_form = (
            bound_form if diagnosis.pk == bound_for else AttachmentForm(prefix=f"d{diagnosis.pk}")
        )
    context = {
        "case": case,
        "timeline": selectors.case_timeline(case),
        "chain": selectors.case_chain(case),
        "reasons": [r.get_reason_display() for r in case.reasons.all()],
        "diagnoses": diagnoses,
        "attachable": case.stage != CaseStage.CLOSED,
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

    def __init__(self, data, form_kwargs):
        self.plan = PlanForm(data)
        self.actions = ActionFormSet(data, prefix="actions", form_kwargs=form_kwargs)

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
    forms = _PlanForms(request.POST, _payer_kwargs(request, case))
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


@scoped(RevivalCase, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def action_add(request, pk):
    """Add an action to the case's improvement plan, from the case's page."""

    def run(case, form):
        plan = _plan_of(case)
        if plan is None:
            raise DomainError(
                _("This case has no improvement plan yet: record the plan first."),
                code="no_plan",
            )
        return services.plan_action_add(actor=request.user, plan=plan, **form.data_for_service())

    return _step(
        request, pk, "action",
        lambda case: ActionForm(request.POST, prefix="new-action", **_payer_kwargs(request, case)),
        run,
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


@scoped(Diagnosis, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def attachment_add(request, pk):
    """Attach a file to a diagnosis, from its case's page; refused (a renamed program, a
    file too large…): the case's page again, the error beside the file field."""
    diagnosis = get_scoped_or_404(
        Diagnosis.objects.select_related("case__unit__county__province"),
        request.user,
        Action.CHANGE,
        pk=pk,
    )
    case = diagnosis.case
    form = AttachmentForm(request.POST, request.FILES, prefix=f"d{diagnosis.pk}")
    status = 200
    if form.is_valid():
        try:
            services.diagnosis_attachment_add(
                actor=request.user, diagnosis=diagnosis, upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
            status = getattr(error, "status", 400)
            case.refresh_from_db()
        else:
            messages.success(request, _("The file was attached."))
            return redirect(case)
    messages.error(request, _("Nothing was saved: correct what is marked in the form below."))
    return _case_page(request, case, forms={"attachment": (diagnosis.pk, form)}, status=status)


@scoped(DiagnosisAttachment, Action.VIEW, lookup="pk")
def attachment_download(request, pk):
    """An attached file, as it was uploaded (to whoever may read the case)."""
    attachment = get_scoped_or_404(DiagnosisAttachment, request.user, Action.VIEW, pk=pk)
    try:
        with attachment.file.open("rb") as stored:
            content = stored.read()
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    extension = attachment.file.name.rsplit(".", 1)[-1].lower()
    return download(
        content, attachment.filename, CONTENT_TYPES.get(extension, "application/octet-stream")
    )


@scoped(DiagnosisAttachment, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def attachment_archive(request, pk):
    """Take an attachment off the case's page (archived, never deleted), after a confirmation."""
    attachment = get_scoped_or_404(
        DiagnosisAttachment.objects.select_related("diagnosis__case__unit__county__province"),
        request.user,
        Action.CHANGE,
        pk=pk,
    )
    return post_action(
        request, attachment, ArchiveForm,
        lambda attachment, _data: services.diagnosis_attachment_archive(
            actor=request.user, attachment=attachment
        ),
        page=lambda request, attachment, status=200, **_kw: _case_page(
            request, attachment.diagnosis.case, status=status
        ),
        done=_("The attachment was archived."),
        confirm=lambda attachment, _data: (
            _("Archive “%(name)s”?") % {"name": attachment.filename},
            _("It is no longer listed on the case's page; its file and history are kept."),
            _("Archive"),
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
        if refused := export_refused(request, len(rows)):
            return refused
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
            "settings_links": settings_links(request.user, chosen),
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


# --- utility readings -----------------------------------------------------------------------
@scoped(Unit, Action.VIEW, lookup="pk")
def utility_readings(request, pk):
    """A unit's monthly utility readings (the last 24), and the form to record one for the
    staff of its province."""
    unit = get_scoped_or_404(
        Unit.objects.select_related("county__province"), request.user, Action.VIEW, pk=pk
    )
    return _utility_page(request, unit)


def _utility_page(request, unit, form=None, status=200):
    readings = (
        UtilityReading.objects.restrict(request.user, Action.VIEW)
        .filter(unit=unit, archived_at__isnull=True)
        .select_related("recorded_by")
        .order_by("-year", "-month")[:24]
    )
    context = {
        "unit": unit,
        "readings": readings,
        "form": form or UtilityReadingForm(),
        "title": _("Utility use of %(unit)s") % {"unit": isolate(unit)},
    }
    return render(request, "revival/utility_readings.html", context, status=status)


@scoped(Unit, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def utility_add(request, pk):
    """Record (or correct) a month's utility readings; refused: the page again, the form as
    it was filled in with its errors."""
    unit = get_scoped_or_404(
        Unit.objects.select_related("county__province"), request.user, Action.CHANGE, pk=pk
    )
    form = UtilityReadingForm(request.POST)
    status = 200
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.utility_reading_record(actor=request.user, unit=unit, **data)
        except DomainError as error:
            apply_domain_error(form, error)
            status = getattr(error, "status", 400)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("revival:utility-readings", args=[unit.pk]))
    messages.error(request, _("Nothing was saved: correct what is marked in the form below."))
    return _utility_page(request, unit, form=form, status=status)


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


# --- a province's revival settings ---------------------------------------------------------------
def _managed_settings(user, province) -> ProvinceRevivalSettings | None:
    """The province's settings record if `user` manages it (created with the defaults in force
    when it has none yet: the page edits a saved, versioned record); None otherwise."""
    from shahrak.core.errors import NotAllowed

    try:
        return services.revival_settings_ensure(actor=user, province=province)
    except NotAllowed:
        return None


@scoped(ProvinceRevivalSettings, Action.CHANGE, lookup="pk", methods=("GET", "POST"))
def revival_settings(request, pk):
    """A province's watch rules and restart rule, for its manager: a versioned edit (refused if
    someone saved them since the page opened), every change in the audit trail. Another
    province's settings answer 404, as settings that do not exist."""
    record = get_scoped_or_404(
        ProvinceRevivalSettings.objects.select_related("province"),
        request.user,
        Action.CHANGE,
        pk=pk,
    )
    form = RevivalSettingsForm(request.POST or None, instance=record)
    return edit_page(
        request,
        record,
        form,
        lambda *, actor, record, expected_version, **changed: services.revival_settings_update(
            actor=actor, province=record.province, expected_version=expected_version, **changed
        ),
    )


def settings_links(user, chosen: str) -> list[tuple]:
    """(province, URL) of the revival settings pages `user` may open, for the watch list: the
    provinces they manage (the chosen one only, when one is chosen, or when they manage the
    whole country)."""
    managed = provinces_for(user, Action.CHANGE, KEPT_BY_MANAGERS[Action.CHANGE])
    if chosen:
        managed = managed.filter(code=chosen)
    elif access_for(user).provinces(Action.CHANGE, KEPT_BY_MANAGERS[Action.CHANGE]) is EVERYWHERE:
        managed = managed.filter(revival_settings__isnull=False)
    links = []
    for province in managed:
        record = _managed_settings(user, province)
        url = url_if_reachable(user, "revival:settings", record.pk) if record else ""
        if url:
            links.append((province, url))
    return links


# --- monthly reports from a spreadsheet -----------------------------------------------------------
@scoped(MonthlyReportImportRun, Action.CHANGE, listing=False)
def report_import_template(request):
    """The monthly reports template, for those who may import them (linked from the import
    page)."""
    from .imports import write_template

    return download(write_template(), "shahrak-monthly-reports-template.xlsx")


@scoped(MonthlyReportImportRun, Action.CHANGE, methods=("GET", "POST"), listing=False)
def report_import(request):
    """Upload → the file is stored and a run is queued (the units import's way); its page
    shows the check's progress and then the preview. The user's recent runs are listed."""
    from shahrak.units.forms import ImportForm

    from . import import_runs

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = import_runs.report_import_create(actor=request.user, upload=form.cleaned_data["file"])
        return redirect(run)
    runs = MonthlyReportImportRun.objects.restrict(request.user, Action.CHANGE).filter(
        created_by=request.user
    )[:10]
    return render(request, "revival/report_import.html", {"form": form, "runs": runs})


@scoped(MonthlyReportImportRun, Action.CHANGE, lookup="pk")
def report_import_run(request, pk):
    """A run's page; polled by htmx every 2 s while the worker checks or files the reports."""
    from . import import_runs

    run = get_scoped_or_404(MonthlyReportImportRun, request.user, Action.CHANGE, pk=pk)
    notice = import_runs.report_import_refresh(run)
    report = import_runs.report_from_json(run.report)
    context = {
        "run": run,
        "report": report,
        "notice": notice,
        "mine": run.created_by_id == request.user.pk,
        "imported_url": reverse("revival:report-list") + "?status=submitted",
    }
    if request.htmx:
        return render(request, "revival/includes/report_import_run.html", context)
    return render(request, "revival/report_import_run.html", context)


@scoped(MonthlyReportImportRun, Action.CHANGE, lookup="pk", methods=("POST",))
@require_POST
def report_import_confirm(request, pk):
    """Confirm a checked run: the worker files its reports (all or nothing)."""
    from . import import_runs

    run = get_scoped_or_404(MonthlyReportImportRun, request.user, Action.CHANGE, pk=pk)
    try:
        import_runs.report_import_confirm(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(run)
