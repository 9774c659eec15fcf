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
        Column("budget_here", _("Budget this year in your province"),
               lambda p: {True: _("Yes"), False: _("No")}.get(getattr(p, "budget_here", None),
                                                              "")),
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
        Column("expert", _("assigned expert"), lambda a: str(a.assigned_to or "")),
    ]  # fmt: skip


# --- exhibitions and services ------------------------------------------------------------------
def _country(exhibition) -> str:
    from shahrak.units.countries import country_name

    return country_name(exhibition.country)


class ExhibitionTable(Table):
    columns = [
        Column("name", _("Name"), lambda e: e.name, link=True),
        Column("reach", _("Domestic or foreign"), lambda e: e.get_reach_display()),
        Column("city", _("City"), lambda e: e.city),
        Column("country", _("Country"), _country),
        Column("starts_on", _("Starts on"), lambda e: e.starts_on),
        Column("ends_on", _("Ends on"), lambda e: e.ends_on),
        Column("organiser", _("Organiser"), lambda e: e.organiser),
    ]  # fmt: skip


class ExhibitionSupportTable(Table):
    columns = [
        Column("unit", _("Unit"), lambda s: s.unit.name, link=True),
        Column("exhibition", _("exhibition"), lambda s: s.exhibition.name),
        Column("reach", _("Domestic or foreign"), lambda s: s.exhibition.get_reach_display()),
        Column("on", _("Date"), lambda s: s.on),
        Column("kind", _("kind of support"), lambda s: s.get_kind_display()),
        Column("area", _("Booth area (m²)"), lambda s: s.booth_area_m2),
        Column("subsidy", _("Subsidy (million toman)"), lambda s: _money(s.subsidy_rial)),
    ]  # fmt: skip


def _units(record) -> str:
    return "، ".join(unit.name for unit in record.units.all())


class ServiceRecordTable(Table):
    columns = [
        Column("on", _("Date"), lambda r: r.on, link=True),
        Column("kind", _("kind of service"), lambda r: r.kind.name),
        Column("units", _("units"), _units),
        Column("provider", _("provider"), lambda r: r.provider),
        Column("cost", _("Cost (million toman)"), lambda r: _money(r.cost_rial)),
        Column("park", _("Park"), lambda r: r.park.name if r.park else ""),
    ]  # fmt: skip
