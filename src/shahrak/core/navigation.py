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
    # "app_label.Model" and an action: shown only to users who may do that to some records.
    requires: tuple[str, str] | None = None

    def visible_to(self, user) -> bool:
        if self.requires is None:
            return True
        from django.apps import apps

        from shahrak.accounts.access import has_any_access

        model_name, action = self.requires
        return has_any_access(user, apps.get_model(model_name), action)

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
    Area("parks", _("Industrial parks"), "parks:park-list", ("parks.Park", "view")),
    Area(
        "projects",
        _("Infrastructure projects"),
        "parks:project-list",
        ("parks.InfrastructureProject", "view"),
    ),
    Area("plots", _("Land plots"), "parks:plot-list", ("parks.Plot", "view")),
    Area("units", _("Industrial units"), "units:unit-list", ("units.Unit", "view")),
    Area("revival", _("Idle-unit revival")),
    Area("support", _("Support programs")),
    Area("clusters", _("Clusters")),
    Area("reports", _("Reports"), "reports:dashboard"),
    Area("users", _("Users"), "accounts:user-list", ("accounts.User", "view")),
    Area("activity", _("Activity log"), "accounts:activity", ("accounts.AuditEntry", "view")),
)
