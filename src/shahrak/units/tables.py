from django.utils.translation import gettext_lazy as _

from shahrak.core.tables import Column, Table


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
