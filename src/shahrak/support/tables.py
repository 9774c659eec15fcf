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
