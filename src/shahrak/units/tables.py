from django.utils.translation import gettext_lazy as _

from shahrak.core.tables import Column, Table

from .countries import country_name


class UnitTable(Table):
    columns = [
        Column("name", _("Name"), lambda u: u.name, link=True),
        Column("national_id", _("National ID"), lambda u: u.national_id),
        Column("park", _("Park"), lambda u: u.park.name if u.park_id else _("outside parks")),
        Column("county", _("County"), lambda u: u.county.name),
        Column("sector", _("Sector"), lambda u: u.get_sector_display()),
        Column("employees", _("Employees"), lambda u: u.employees),
        Column("status", _("Status"), lambda u: u.get_status_display()),
        Column("status_since", _("Since"), lambda u: u.status_since),
    ]


class ExportTable(Table):
    columns = [
        Column("on", _("Date"), lambda e: e.on),
        Column("unit", _("Unit"), lambda e: e.unit.name, link=True),
        Column("park", _("Park"), lambda e: e.unit.park.name if e.unit.park_id else "—"),
        Column("destination", _("Destination"), lambda e: country_name(e.destination)),
        Column("product", _("Product"), lambda e: e.product),
        Column("value_usd", _("Value (USD)"), lambda e: e.value_usd),
    ]
