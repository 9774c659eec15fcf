"""What a report metric is. Domain apps declare theirs in `<app>/metrics.py` as `METRICS`;
the reports app collects them (domain apps never import reports).

A metric is a named, documented query: a stable key, Persian and English labels, a unit,
a kind — "stock" (a value at the period's end) or "flow" (a sum within the period) — and a
function of (user, scope, period). The user's scoping applies inside: a figure is never
built on records the user cannot see.
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps


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
    compute: Callable | None = None  # (user, scope, period) → number, or {code: number}
    records: Callable | None = None  # (scope, period) → URL of the records behind it
    description: str = ""
    # (user, scope, [period, …]) → [value, …]: several periods in one query (trends,
    # comparisons); a metric declares this, `compute`, or both.
    compute_many: Callable | None = None
    # For a breakdown (a mapping value): {key: Persian name} for the keys given.
    names: Callable | None = None
    by: str = ""  # the records list's filter a breakdown's keys go into (sector, park)

    def __post_init__(self):
        if self.compute is None and self.compute_many is None:
            raise ValueError(f"metric {self.key} has neither compute nor compute_many")

    @property
    def is_breakdown(self) -> bool:
        return self.names is not None

    def value(self, user, scope: Scope, period):
        if self.compute is not None:
            return self.compute(user, scope, period)
        return self.compute_many(user, scope, [period])[0]

    def values(self, user, scope: Scope, periods: list) -> list:
        """The metric for each of `periods` (repeated periods are computed once)."""
        distinct = list(dict.fromkeys(periods))
        if self.compute_many is not None and (len(distinct) > 1 or self.compute is None):
            found = dict(zip(distinct, self.compute_many(user, scope, distinct), strict=True))
        else:
            found = {period: self.compute(user, scope, period) for period in distinct}
        return [found[period] for period in periods]


# --- one query behind several metrics ---------------------------------------------------------
_MEMO: ContextVar[dict | None] = ContextVar("shahrak_metric_memo", default=None)


@contextmanager
def sharing():
    """Inside this block, a `@shared` query runs once per arguments: a report whose metrics
    are cut from the same query (units by sector, by park, in all) pays for it once. Outside
    it nothing is kept, so no figure outlives the request that computed it."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def shared(query):
    """Mark a function of hashable arguments (user, scope, periods…) as shareable."""

    @wraps(query)
    def run(*args):
        memo = _MEMO.get()
        if memo is None:
            return query(*args)
        key = (query, args)
        if key not in memo:
            memo[key] = query(*args)
        return memo[key]

    return run


def in_months(first: int, last: int):
    """Rows with `year` and `month` (Jalali) within the months `first..last` (month numbers,
    `core.jalali.month_number`): a range of years the index reads, the months checked on
    each row (an OR of year and month conditions, with the values bound as parameters, makes
    SQLite read the whole table); within one year, the index reads the months alone."""
    from django.db.models import F, Q
    from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

    from .jalali import month_of

    (first_year, first_month), (last_year, last_month) = month_of(first), month_of(last)
    if first_year == last_year:
        return Q(year=first_year, month__gte=first_month, month__lte=last_month)
    number = F("year") * 12 + F("month") - 1
    return Q(
        Q(year__gte=first_year, year__lte=last_year),
        GreaterThanOrEqual(number, first),
        LessThanOrEqual(number, last),
    )
