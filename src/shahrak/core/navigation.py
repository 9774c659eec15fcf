"""The areas of Shahrak, as the navigation shows them.

An area whose `url_name` is None is not built yet: the menu shows it, disabled, so users
see where the system is going without a link to an empty page.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    url_name: str | None = None

    @property
    def url(self) -> str | None:
        if not self.url_name:
            return None
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


AREAS = (
    Area("home", _("Home"), "core:home"),
    Area("places", _("Provinces and counties"), "places:province-list"),
    Area("parks", _("Industrial parks")),
    Area("units", _("Industrial units")),
    Area("revival", _("Idle-unit revival")),
    Area("support", _("Support programs")),
    Area("clusters", _("Clusters")),
    Area("reports", _("Reports")),
)
