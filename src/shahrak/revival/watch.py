"""The watch list's rules: which units are possibly going idle, judged from their monthly
reports against their own history. Pure functions of the figures (no database), so that the
page, the backtest and the tests apply the very same rules.

Months are counted as one integer, `year * 12 + month - 1` (Jalali), so "the month before"
is `m - 1` across a year's end. The rules, each configurable per province
(`ProvinceRevivalSettings`):

- **missed reports**: no report filed for the last `missed_months` months running (the
  months whose reports are due by the date of the check; months before the unit was expected
  to report do not count: before its current spell of operation, or before monthly
  reporting began, `REPORTING_START`);
- **production drop** / **employees drop**: the average of the last `recent_months` reported
  months is lower by at least `drop_pct` % than BOTH the average of the `recent_months`
  before them and the average of the same months a year earlier — a seasonal dip that last
  year shared is not a decline. When a unit has no reports for last year's months, the
  comparison with its recent months decides alone; with no reports in either window, or in
  the latest one, nothing is compared (the missed-reports rule speaks then);
- **utility stop** (`utility_months`, default 2; `utility_pct`, default 20): the unit's
  metered use of electricity, gas or water (its `UtilityReading`s) was below `utility_pct` %
  of its own average of the 12 months before, in EACH of the last `utility_months` months
  (the months whose reports are due by the date). Each utility is judged on its own; a month
  without a reading of it is not a stop (no reading says nothing), and the average needs at
  least `UTILITY_BASELINE_MIN` (3) readings of those 12 months and must be above zero.

Each flag says which rule fired and with which figures.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from shahrak.core.jalali import month_number, month_of, to_gregorian, to_jalali

MISSED = "missed_reports"
PRODUCTION_DROP = "production_drop"
EMPLOYEES_DROP = "employees_drop"
UTILITY_STOP = "utility_stop"
RULES = (MISSED, PRODUCTION_DROP, EMPLOYEES_DROP, UTILITY_STOP)
UTILITIES = ("electricity_kwh", "gas_m3", "water_m3")
UTILITY_BASELINE_MONTHS = 12
UTILITY_BASELINE_MIN = 3  # readings of the baseline months needed to judge a stop
DUE_DAY = 10  # a month's report is due by the 10th of the following month


# The first month units report for: monthly reporting began with Farvardin 1398 (the first
# year of the report form; the demo's reports start there too). Months before it are not
# "missed" by any unit, however long it has operated.
REPORTING_START = month_number(1398, 1)


def last_due_month(on: dt.date) -> int:
    """The latest month whose report is due by `on` (due by the 10th of the month after)."""
    year, month, day = to_jalali(on)
    current = month_number(year, month)
    return current - 1 if day >= DUE_DAY else current - 2


def due_date(number: int) -> dt.date:
    year, month = month_of(number + 1)
    return to_gregorian(year, month, DUE_DAY)


@dataclass(frozen=True)
class WatchRules:
    missed_months: int = 2
    drop_pct: int = 40
    recent_months: int = 3
    utility_months: int = 2
    utility_pct: int = 20

    def __post_init__(self):
        if self.missed_months < 1 or self.recent_months < 1 or not 0 < self.drop_pct <= 100:
            raise ValueError("watch rules out of range")
        if self.utility_months < 1 or not 0 < self.utility_pct <= 100:
            raise ValueError("watch rules out of range")

    @classmethod
    def of(cls, settings) -> "WatchRules":
        """The rules of a province (from its ProvinceRevivalSettings)."""
        return cls(
            settings.missed_months,
            settings.drop_pct,
            settings.recent_months,
            settings.utility_months,
            settings.utility_pct,
        )


@dataclass(frozen=True)
class Figures:
    """What a unit reported for one month (only filed reports count)."""

    production: Decimal
    employees: int


@dataclass(frozen=True)
class Usage:
    """A unit's metered use in one month (None: not read)."""

    electricity_kwh: int | None = None
    gas_m3: int | None = None
    water_m3: int | None = None


@dataclass(frozen=True)
class Flag:
    rule: str  # one of RULES
    month: int  # the month of the check (month_number)
    detail: dict = field(default_factory=dict, compare=False)

    @property
    def message(self) -> str:
        if self.rule == MISSED:
            return _("No report for %(months)s months running.") % self.detail
        if self.rule == UTILITY_STOP:
            names = {"electricity_kwh": _("Electricity"), "gas_m3": _("Gas"),
                     "water_m3": _("Water")}  # fmt: skip
            kinds = [
                _("%(name)s (at most %(pct)s%%)") % {"name": names[kind], "pct": pct}
                for kind, pct in self.detail["stopped"]
            ]
            return _(
                "%(what)s use in each of the last %(months)s months was below %(limit)s%% of "
                "the unit's average of the 12 months before."
            ) % {
                "what": get_text_list(kinds, _("and")),
                "months": self.detail["months"],
                "limit": self.detail["limit"],
            }
        what = _("Production") if self.rule == PRODUCTION_DROP else _("Employees")
        return _("%(what)s fell %(pct)s%% against the unit's own history.") % {
            "what": what,
            "pct": self.detail["pct"],
        }


def _average(values: list) -> Decimal | None:
    return Decimal(sum(values)) / len(values) if values else None


def _window(reports: Mapping[int, Figures], last: int, length: int, name: str) -> list:
    return [getattr(reports[m], name) for m in range(last - length + 1, last + 1) if m in reports]


def _fall_pct(now: Decimal, before: Decimal | None) -> Decimal | None:
    """How much `now` is below `before`, in percent (None: nothing to compare with)."""
    if before is None or before <= 0:
        return None
    return (before - now) * 100 / before


def drop_flags(reports: Mapping[int, Figures], as_of: int, rules: WatchRules) -> list[Flag]:
    flags = []
    length = rules.recent_months
    for rule, name in ((PRODUCTION_DROP, "production"), (EMPLOYEES_DROP, "employees")):
        latest = _average(_window(reports, as_of, length, name))
        if latest is None:
            continue
        recent = _fall_pct(latest, _average(_window(reports, as_of - length, length, name)))
        last_year = _fall_pct(latest, _average(_window(reports, as_of - 12, length, name)))
        if recent is None:
            continue
        falls = [recent] if last_year is None else [recent, last_year]
        if all(fall >= rules.drop_pct for fall in falls):
            pct = int(min(falls))
            flags.append(Flag(rule, as_of, {"pct": pct, "recent": recent, "last_year": last_year}))
    return flags


def utility_flags(usage: Mapping[int, Usage], as_of: int, rules: WatchRules) -> list[Flag]:
    """The utility-stop rule at the month `as_of` (see the module's docstring): one flag
    naming each utility that stopped, with its highest month's share of its own average."""
    stopped = []
    recent = range(as_of - rules.utility_months + 1, as_of + 1)
    first_base = recent.start - UTILITY_BASELINE_MONTHS
    for kind in UTILITIES:
        values = [getattr(usage[m], kind) if m in usage else None for m in recent]
        if any(value is None for value in values):
            continue
        base = [getattr(usage[m], kind) for m in range(first_base, recent.start) if m in usage]
        base = [value for value in base if value is not None]
        average = _average(base)
        if len(base) < UTILITY_BASELINE_MIN or not average or average <= 0:
            continue
        shares = [Decimal(value) * 100 / average for value in values]
        if all(share < rules.utility_pct for share in shares):
            stopped.append((kind, int(max(shares))))
    if not stopped:
        return []
    detail = {"stopped": stopped, "months": rules.utility_months, "limit": rules.utility_pct}
    return [Flag(UTILITY_STOP, as_of, detail)]


def missed_months(reported: Iterable[int], as_of: int, since: int | None = None) -> int:
    """How many months running, up to `as_of`, have no report: counted back to the later of
    `since` (when the unit was expected to report, if given) and `REPORTING_START`."""
    first = REPORTING_START if since is None else max(since, REPORTING_START)
    filed = set(reported)
    count, month = 0, as_of
    while month >= first and month not in filed:
        count += 1
        month -= 1
    return count


def flags_for(
    reports: Mapping[int, Figures],
    as_of: int,
    rules: WatchRules,
    since: int | None = None,
    usage: Mapping[int, Usage] | None = None,
) -> list[Flag]:
    """The rules that fire for one unit at the month `as_of`, given its filed reports by
    month (months before `since`, when the unit was not yet expected to report, and before
    `REPORTING_START` are not counted as missed) and its utility readings by month (`usage`,
    if any)."""
    flags = []
    missing = missed_months(reports.keys(), as_of, since)
    if missing >= rules.missed_months:
        flags.append(Flag(MISSED, as_of, {"months": missing}))
    flags += drop_flags(reports, as_of, rules)
    if usage:
        flags += utility_flags(usage, as_of, rules)
    return flags
