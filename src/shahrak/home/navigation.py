"""The areas of Shahrak, as the menu shows them.

An area is shown to a user who may reach its page, as the page's route declares
(`shahrak.accounts.access.may_reach`): the menu never offers a page that answers 403.
An area whose `url_name` is None is not built yet: the menu shows it, disabled, so users
see where the system is going without a link to an empty page.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.access import may_reach


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    url_name: str | None = None

    def visible_to(self, user, cache: dict | None = None) -> bool:
        return self.url_name is None or may_reach(user, self.url_name, cache=cache)

    @property
    def url(self) -> str | None:
        return reverse(self.url_name) if self.url_name else None


AREAS = (
    Area("home", _("Home"), "home:home"),
    Area("places", _("Provinces and counties"), "places:province-list"),
    Area("parks", _("Industrial parks"), "parks:park-list"),
    Area("projects", _("Infrastructure projects"), "parks:project-list"),
    Area("plots", _("Land plots"), "parks:plot-list"),
    Area("units", _("Industrial units"), "units:unit-list"),
    Area("revival", _("Idle-unit revival"), "revival:case-list"),
    Area("watch", _("Watch list"), "revival:watch-list"),
    Area("monthly_reports", _("Monthly reports of units"), "revival:report-list"),
    Area("support", _("Support programs"), "support:program-list"),
    Area("applications", _("Support applications"), "support:application-list"),
    Area("exhibitions", _("Exhibition supports"), "support:exhibition-support-list"),
    Area("exhibition_registry", _("Exhibitions"), "support:exhibition-list"),
    Area("services", _("Services to units"), "support:service-list"),
    Area("budgets", _("Support budgets"), "support:budget-report"),
    Area("clusters", _("Clusters"), "clusters:cluster-list"),
    Area("reports", _("Reports"), "reports:dashboard"),
    Area("users", _("Users"), "accounts:user-list"),
    Area("activity", _("Activity log"), "accounts:activity"),
)


def areas_for(request) -> list[Area]:
    """The areas the request's user may open (and those not built yet), in menu order."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    cache = request.__dict__.setdefault("_shahrak_reach", {})
    return [area for area in AREAS if area.visible_to(user, cache)]
