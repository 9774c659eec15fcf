from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrak.core.numbers import million_toman_shown
from shahrak.core.tables import Column, Table


def _rates(program) -> str:
    low, high = program.rate_min_pct.normalize(), program.rate_max_pct.normalize()
    return f"{low:f}" if low == high else f"{low:f}–{high:f}"


class ProgramTable(Table):
    columns = [
        Column("title", _("Title"), lambda p: p.title, link=True),
        Column("family", _("Family"), lambda p: p.get_family_display()),
        Column("flagship", _("Flagship"), lambda p: _("Yes") if p.flagship else ""),
        Column("province", _("Province"),
               lambda p: p.province.name if p.province else _("National")),
        Column("rate", _("Subsidy rate (%)"), _rates),
        Column("cap", _("Cap per unit and year (million toman)"),
               lambda p: million_toman_shown(p.cap_per_unit_rial)),
        Column("opens_on", _("Open from"), lambda p: p.opens_on),
        Column("closes_on", _("Open until"), lambda p: p.closes_on),
    ]  # fmt: skip


def _waiting_days(application) -> int | None:
    at = getattr(application, "last_step_at", None)
    return None if at is None else (timezone.now() - at).days


def _money(rial):
    return None if rial is None else million_toman_shown(rial)


class ApplicationTable(Table):
    columns = [
        Column("number", _("application"), lambda a: a.pk, link=True),
        Column("unit", _("Unit"), lambda a: a.unit.name),
        Column("program", _("program"), lambda a: a.program.title),
        Column("status", _("Stage"), lambda a: a.get_status_display()),
        Column("requested", _("Estimated cost (million toman)"),
               lambda a: _money(a.requested_cost_rial)),
        Column("approved", _("Approved amount (million toman)"),
               lambda a: _money(a.approved_amount_rial)),
        Column("paid", _("Paid (million toman)"), lambda a: _money(a.paid_rial)),
        Column("last_step", _("Last step"), lambda a: getattr(a, "last_step_at", None)),
        Column("waiting", _("Days in this stage"), _waiting_days),
    ]  # fmt: skip
