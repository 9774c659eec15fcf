from django.utils.translation import gettext_lazy as _

from shahrak.core.numbers import million_toman_shown
from shahrak.core.tables import Column, Table


class ParkTable(Table):
    columns = [
        Column("name", _("Name"), lambda p: p.name, link=True),
        Column("kind", _("Kind"), lambda p: p.get_kind_display()),
        Column("province", _("Province"), lambda p: p.county.province.name),
        Column("county", _("County"), lambda p: p.county.name),
        Column("status", _("Status"), lambda p: p.get_status_display()),
        Column("gross_area_ha", _("Gross area (ha)"), lambda p: p.gross_area_ha),
        Column("industrial_area_ha", _("Industrial land (ha)"), lambda p: p.industrial_area_ha),
        Column("plots", _("Plots"), lambda p: p.plot_count),
        Column("projects", _("Projects"), lambda p: p.project_count),
    ]


class PlotTable(Table):
    columns = [
        Column("park", _("Park"), lambda p: p.park.name),
        Column("number", _("Plot number"), lambda p: p.number, link=True),
        Column("area_m2", _("Area (m²)"), lambda p: p.area_m2),
        Column("use", _("Use"), lambda p: p.get_use_display()),
        Column("status", _("Status"), lambda p: p.get_status_display()),
        Column("allottee", _("Allocated to"), lambda p: p.allottee),
    ]


class ProjectTable(Table):
    columns = [
        Column("title", _("Title"), lambda p: p.title, link=True),
        Column("park", _("Park"), lambda p: p.park.name),
        Column("kind", _("Kind"), lambda p: p.get_kind_display()),
        Column("status", _("Status"), lambda p: p.get_status_display()),
        Column("progress_pct", _("Physical progress (%)"), lambda p: p.progress_pct),
        Column("spent", _("Spent (million toman)"), lambda p: million_toman_shown(p.spent_rial)),
        Column("target_delivery", _("Target delivery"), lambda p: p.target_delivery),
    ]


class ProjectSpendTable(ProjectTable):
    """The projects money was spent on between two dates, with that spend (what a report's
    "spent on infrastructure" sums)."""

    columns = [
        *ProjectTable.columns[:4],
        Column(
            "spent_in_period", _("Spent between these dates (million toman)"),
            lambda p: million_toman_shown(p.spent_in_period),
        ),
        *ProjectTable.columns[4:],
    ]  # fmt: skip
