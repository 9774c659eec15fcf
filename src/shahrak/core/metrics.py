"""What a report metric is. Domain apps declare theirs in `<app>/metrics.py` as `METRICS`;
the reports app collects them (domain apps never import reports).

A metric is a named, documented query: a stable key, Persian and English labels, a unit,
a kind — "stock" (a value at the period's end) or "flow" (a sum within the period) — and a
function of (user, scope, period). The user's scoping applies inside: a figure is never
built on records the user cannot see.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scope:
    """Where a report looks: the nation, or one province, county or park (by primary key)."""

    province: int | None = None
    county: int | None = None
    park: int | None = None
    province_code: str | None = None  # for links to list pages, which filter by code

    def narrow(self, queryset, *, province: str, county: str, park: str | None = None):
        """Filter `queryset` to this scope, given the lookup paths of its records."""
        if self.park is not None:
            return queryset.filter(**{park: self.park}) if park else queryset.none()
        if self.county is not None:
            return queryset.filter(**{county: self.county})
        if self.province is not None:
            return queryset.filter(**{province: self.province})
        return queryset

    def records_url(self, url_name: str, **filters) -> str:
        """The list page of `url_name`, filtered to this scope and `filters`."""
        from urllib.parse import urlencode

        from django.urls import reverse

        return f"{reverse(url_name)}?{urlencode({**self.query(), **filters})}"

    def query(self) -> dict:
        """The scope as list-page filters (for links to the records behind a figure)."""
        query = {"province": self.province_code, "county": self.county, "park": self.park}
        return {key: value for key, value in query.items() if value}


@dataclass(frozen=True)
class Metric:
    key: str
    label_fa: str
    label_en: str
    unit: str  # count | rial | usd | mw | hectare | percent
    kind: str  # stock | flow
    compute: Callable  # (user, scope, period) → number, or {code: number}
    records: Callable | None = None  # (scope, period) → URL of the records behind it
    description: str = ""
    extra: dict = field(default_factory=dict)
