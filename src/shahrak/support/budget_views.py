"""The budget pages (issue 13, point 7): each program's budget per province and Jalali year
against what is reserved and paid, by half; the units that reached a program's cap; the
applications counted by stage and age; and the payments a report's figure links to. Each has
its Excel export (`core.tables.download`). A province's manager sees their province,
headquarters every province: every query goes through `restrict(user, …)`."""

from urllib.parse import urlencode

from django.db.models import Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shahrak.accounts.access import provincial, scoped
from shahrak.accounts.choices import Action
from shahrak.core.numbers import localized, million_toman_shown
from shahrak.core.pages import list_page
from shahrak.core.tables import Column, Table, xlsx_response

from .filtersets import BudgetFilterSet, CapFilterSet, PaymentFilterSet
from .models import Application, Payment, ProgramBudget
from .selectors import AGES, budget_use, caps_reached, stage_ages


def _money(rial):
    return million_toman_shown(rial or 0)


def _used_pct(budget) -> int | None:
    if not budget.amount_rial:
        return None
    return round(100 * (budget.reserved_rial + budget.paid_rial) / budget.amount_rial)


class BudgetUseTable(Table):
    columns = [
        Column("program", gettext_lazy("program"), lambda b: b.program.title, link=True),
        Column("province", gettext_lazy("Province"), lambda b: b.province.name),
        Column("year", gettext_lazy("Jalali year"), lambda b: str(b.year)),
        Column("amount", gettext_lazy("Budget (million toman)"), lambda b: _money(b.amount_rial)),
        Column("approved_h1", gettext_lazy("Approved in the first half (million toman)"),
               lambda b: _money(b.approved_h1)),
        Column("approved_h2", gettext_lazy("Approved in the second half (million toman)"),
               lambda b: _money(b.approved_h2)),
        Column("reserved", gettext_lazy("Reserved (million toman)"),
               lambda b: _money(b.reserved_rial)),
        Column("paid_h1", gettext_lazy("Paid in the first half (million toman)"),
               lambda b: _money(b.paid_h1)),
        Column("paid_h2", gettext_lazy("Paid in the second half (million toman)"),
               lambda b: _money(b.paid_h2)),
        Column("paid", gettext_lazy("Paid (million toman)"), lambda b: _money(b.paid_rial)),
        Column("left", gettext_lazy("Left (million toman)"), lambda b: _money(b.available_rial)),
        Column("used", gettext_lazy("Committed (% of the budget)"), _used_pct),
    ]  # fmt: skip


@scoped(ProgramBudget, Action.VIEW)
def budget_report(request):
    """Each program's budget per province and Jalali year: approved and paid in each half of
    the year, reserved, paid and left, and how much of it is committed."""
    budgets = ProgramBudget.objects.restrict(request.user, Action.VIEW).order_by(
        "-year", "program__sort_key", "province__sort_key", "pk"
    )
    filterset = BudgetFilterSet(request.GET, budgets, request=request)
    rows = budget_use(request.user, filterset.qs)
    for row in rows:
        row.get_absolute_url = row.program.get_absolute_url
    title = _("Support budgets")
    if request.GET.get("export") == "xlsx" and not filterset.errors:
        return xlsx_response(BudgetUseTable(rows), filename="support-budgets", title=title)
    totals = {
        name: sum(getattr(row, field) for row in rows)
        for name, field in (("amount", "amount_rial"), ("reserved", "reserved_rial"),
                            ("paid", "paid_rial"), ("left", "available_rial"))
    }  # fmt: skip
    return render(
        request,
        "support/budget_report.html",
        {"filter": filterset, "table": BudgetUseTable(rows), "title": title,
         "totals": totals, "tab": "budgets"},
    )  # fmt: skip


class CapTable(Table):
    columns = [
        Column("unit", gettext_lazy("Unit"), lambda c: c.unit_name, link=True),
        Column("province", gettext_lazy("Province"), lambda c: c.province),
        Column("program", gettext_lazy("program"), lambda c: c.program_title),
        Column("year", gettext_lazy("Jalali year"), lambda c: str(c.year)),
        Column("cap", gettext_lazy("Cap per unit and year (million toman)"),
               lambda c: _money(c.cap_rial)),
        Column("used", gettext_lazy("Committed (million toman)"), lambda c: _money(c.used_rial)),
    ]  # fmt: skip


@provincial
def cap_report(request):
    """Units that have committed a program's whole cap for a Jalali year (a page about a
    province's or the country's budgets: the applications behind it are those the user sees)."""
    filterset = CapFilterSet(request.GET, Application.objects.none(), request=request)
    rows = []
    if not (filterset.is_bound and not filterset.form.is_valid()):
        data = filterset.form.cleaned_data if filterset.is_bound else {}
        rows = caps_reached(
            request.user, year=data.get("year"), province=data.get("province"),
            program=data.get("program"),
        )  # fmt: skip
    title = _("Units that reached a program's cap")
    if request.GET.get("export") == "xlsx" and not filterset.errors:
        return xlsx_response(CapTable(rows), filename="support-caps-reached", title=title)
    return render(
        request,
        "support/budget_report.html",
        {"filter": filterset, "table": CapTable(rows), "title": title, "tab": "caps"},
    )


class StageAgeTable(Table):
    """Applications by stage (rows) and days since their last step (columns)."""

    def __init__(self, records):
        super().__init__(records)
        self.columns = [
            Column("stage", gettext_lazy("Stage"), lambda r: r["label"]),
            *[
                Column(f"age{i}", _age_label(low, high), lambda r, i=i: r["ages"][i])
                for i, (low, high) in enumerate(AGES)
            ],
            Column("total", gettext_lazy("All"), lambda r: r["total"]),
        ]


def _age_label(low, high) -> str:
    if high is None:
        return _("%(low)s days or more") % {"low": localized(low)}
    return _("%(low)s to %(high)s days") % {"low": localized(low), "high": localized(high)}


def _stage_links(rows, table) -> None:
    """Each count links to the applications it counts (stage, and days since the last step)."""
    base = reverse("support:application-list")
    labels = [str(column.label) for column in table.columns[1:]]
    for row in rows:
        links = []
        for low, high in AGES:
            query = {"status": row["status"], "waiting_days": low}
            if high is not None:
                query["waiting_under"] = high
            links.append(f"{base}?{urlencode(query)}")
        links.append(f"{base}?{urlencode({'status': row['status']})}")
        row["cells"] = list(zip(labels, [*row["ages"], row["total"]], links, strict=True))


@provincial
def stage_report(request):
    """Applications counted by stage and by age (whole days since their last step), of the
    provinces the user holds (counts, not records: a province's page)."""
    applications = Application.objects.restrict(request.user, Action.VIEW).filter(
        archived_at__isnull=True
    )
    rows = stage_ages(applications)
    title = _("Applications by stage and age")
    table = StageAgeTable(rows)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(table, filename="support-applications-by-stage", title=title)
    _stage_links(rows, table)
    return render(
        request,
        "support/stage_report.html",
        {
            "table": table,
            "rows": rows,
            "title": title,
            "tab": "stages",
            "stage_label": table.columns[0].label,
        },
    )


class PaymentTable(Table):
    columns = [
        Column("application", gettext_lazy("application"), lambda p: p.application_id,
               link=True),
        Column("unit", gettext_lazy("Unit"), lambda p: p.application.unit.name),
        Column("program", gettext_lazy("program"), lambda p: p.application.program.title),
        Column("on", gettext_lazy("Paid on"), lambda p: p.on),
        Column("amount", gettext_lazy("Amount (million toman)"), lambda p: _money(p.amount_rial)),
        Column("reference", gettext_lazy("Payment reference"), lambda p: p.reference),
    ]  # fmt: skip


@scoped(Payment, Action.VIEW)
def payment_list(request):
    """Subsidy payments, filtered; the total of what is listed is shown (a report's figure
    of subsidy paid links here and reads the same)."""
    payments = (
        Payment.objects.restrict(request.user, Action.VIEW)
        .filter(archived_at__isnull=True)
        .select_related("application__unit", "application__program")
        .order_by("-on", "-pk")
    )
    filterset = PaymentFilterSet(request.GET, payments, request=request)
    total = filterset.qs.aggregate(total=Sum("amount_rial"))["total"] or 0
    return list_page(
        request, filterset=filterset, table_class=PaymentTable,
        template="support/payment_list.html", title=_("Subsidy payments"),
        filename="support-payments", extra={"total": total, "tab": "payments"},
    )  # fmt: skip
