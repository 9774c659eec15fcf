from django.utils.translation import gettext_lazy as _

from shahrak.core.numbers import million_toman_shown
from shahrak.core.tables import Column, Table


class ClusterTable(Table):
    columns = [
        Column("name", _("Name"), lambda c: c.name, link=True),
        Column("product", _("Common product"), lambda c: c.product),
        Column("isic_code", _("ISIC code"), lambda c: c.isic_code),
        Column("province", _("Province"), lambda c: c.province.name),
        Column("members", _("Members"), lambda c: getattr(c, "member_count", None)),
        Column("stage", _("Stage of its plan"), lambda c: getattr(c, "stage_label", "")),
        Column("agent", _("Development agent"),
               lambda c: (c.agent.get_full_name() or c.agent.username) if c.agent else ""),
    ]  # fmt: skip


class ActionPlanTable(Table):
    columns = [
        Column("title", _("Title"), lambda a: a.title, link=True),
        Column("cluster", _("cluster"), lambda a: a.cluster.name),
        Column("year", _("Jalali year"), lambda a: str(a.year)),
        Column("category", _("category"), lambda a: a.get_category_display()),
        Column("status", _("status"), lambda a: a.get_status_display()),
        Column("starts_on", _("starts on"), lambda a: a.starts_on),
        Column("ends_on", _("ends on"), lambda a: a.ends_on),
        Column("cost", _("Cost (million toman)"), lambda a: million_toman_shown(a.cost_rial)),
        Column("subsidy", _("Subsidy (million toman)"),
               lambda a: million_toman_shown(a.subsidy_rial)),
    ]  # fmt: skip


class PlanTable(Table):
    columns = [
        Column("cluster", _("cluster"), lambda p: p.cluster.name, link=True),
        Column("province", _("Province"), lambda p: p.cluster.province.name),
        Column("stage", _("Stage"), lambda p: p.get_stage_display()),
        Column("started_on", _("started on"), lambda p: p.started_on),
        Column("handed_over_on", _("handed over on"), lambda p: p.handed_over_on),
        Column("association", _("receiving association"), lambda p: p.association_name),
        Column("finished_on", _("finished on"), lambda p: p.finished_on),
    ]


class MemberTable(Table):
    columns = [
        Column("cluster", _("cluster"), lambda m: m.cluster.name, link=True),
        Column("unit", _("unit"), lambda m: m.unit.name),
        Column("national_id", _("national ID"), lambda m: m.unit.national_id),
        Column("joined_on", _("joined on"), lambda m: m.joined_on),
        Column("left_on", _("left on"), lambda m: m.left_on),
        Column("distance", _("distance from the centre (km)"), lambda m: m.distance_km),
    ]
