from django.utils.translation import gettext_lazy as _

from shahrak.core.tables import Column, Table


def _age(case) -> int | None:
    """Days since identification, for a case still open (its age on the list)."""
    return getattr(case, "age_days", None) if case.is_open else None


class CaseTable(Table):
    columns = [
        Column("unit", _("Unit"), lambda c: c.unit.name, link=True),
        Column("county", _("County"), lambda c: c.unit.county.name),
        Column("opened_on", _("Identified on"), lambda c: c.opened_on),
        Column("how", _("Identified by"), lambda c: c.get_identified_by_display()),
        Column("stage", _("Stage"), lambda c: c.get_stage_display()),
        Column("age", _("Days open"), _age),
        Column("overdue", _("Overdue actions"), lambda c: getattr(c, "overdue_count", 0)),
        Column("jobs", _("Jobs at stake"), lambda c: c.jobs_at_stake),
        Column("outcome_on", _("Outcome on"), lambda c: c.restarted_on or c.closed_on),
    ]


class ReportTable(Table):
    columns = [
        Column("unit", _("Unit"), lambda r: r.unit.name, link=True),
        Column("month", _("Month"), lambda r: f"{r.year}/{r.month:02d}"),
        Column("status", _("Status"), lambda r: r.get_status_display()),
        Column("production", _("Production volume"), lambda r: r.production_volume),
        Column("measure", _("Unit of measure"), lambda r: r.production_measure),
        Column("employees", _("Employees"), lambda r: r.employees),
        Column("sales", _("Sales (million toman)"), lambda r: _million_toman(r.sales_rial)),
        Column("exports", _("Exports (million toman)"), lambda r: _million_toman(r.exports_rial)),
        Column("due_on", _("Due by"), lambda r: r.due_on),
        Column("filed_at", _("Filed at"), lambda r: r.filed_at),
    ]


def _million_toman(rial):
    from shahrak.core.numbers import million_toman_shown

    return million_toman_shown(rial) if rial is not None else None


class WatchTable(Table):
    """The watch list: one row per flagged unit, each flag saying which rule fired."""

    columns = [
        Column("unit", _("Unit"), lambda w: w.unit.name, link=True),
        Column("county", _("County"), lambda w: w.unit.county.name),
        Column("park", _("Park"), lambda w: w.unit.park.name if w.unit.park_id else "—"),
        Column("employees", _("Employees"), lambda w: w.unit.employees),
        Column("flags", _("Why it is flagged"), lambda w: " ".join(f.message for f in w.flags)),
    ]
