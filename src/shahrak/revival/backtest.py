"""The watch list measured against history: replay the rules month by month over what units
reported, and compare the flags with the idling that followed.

- A check happens for every month `m` of the range, on the reports (and utility readings) of
  months up to `m`, for every unit in operation at the end of `m` (so a unit that went idle
  is no longer checked).
- **Recall**: of the units that became idle in the range (an idle event in month `i`), how
  many had been flagged at a check in the `horizon` months before (`i - horizon ≤ m < i`);
  the lead is `i - m` for the earliest such check.
- **Precision**: flags come in episodes (consecutive flagged checks of one unit); an episode
  starting at `s` was right if the unit became idle in `s < i ≤ s + horizon`. Episodes too
  recent to tell (`s + horizon` after the range's end) are left out of the precision.
"""

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .watch import WatchRules, flags_for


@dataclass(frozen=True)
class UnitHistory:
    reports: dict  # month number → Figures (filed reports only)
    operating: frozenset  # month numbers at whose end the unit was in operation
    became_idle: tuple = ()  # month numbers of its idle events
    since: int | None = None  # the first month it was expected to report
    usage: dict = field(default_factory=dict)  # month number → Usage (utility readings)


@dataclass
class BacktestResult:
    months: int = 0
    checks: int = 0
    became_idle: int = 0
    caught: int = 0
    leads: list = field(default_factory=list)  # months ahead, one per idling caught
    episodes: int = 0
    right_episodes: int = 0
    too_recent: int = 0
    by_rule: Counter = field(default_factory=Counter)  # episodes by the rule(s) first fired

    @property
    def recall(self) -> float | None:
        return self.caught / self.became_idle if self.became_idle else None

    @property
    def precision(self) -> float | None:
        return self.right_episodes / self.episodes if self.episodes else None

    @property
    def median_lead(self) -> float | None:
        return statistics.median(self.leads) if self.leads else None


def flagged_months(history: UnitHistory, first: int, last: int, rules: WatchRules) -> dict:
    """month → [Flag] for each check of `first..last` at which the unit was flagged."""
    found = {}
    for month in range(first, last + 1):
        if month not in history.operating:
            continue
        known = {m: f for m, f in history.reports.items() if m <= month}
        usage = {m: u for m, u in history.usage.items() if m <= month}
        flags = flags_for(known, month, rules, since=history.since, usage=usage)
        if flags:
            found[month] = flags
    return found


def backtest(
    histories: Iterable[UnitHistory], first: int, last: int, rules: WatchRules, horizon: int = 6
) -> BacktestResult:
    result = BacktestResult(months=last - first + 1)
    for history in histories:
        result.checks += sum(1 for m in range(first, last + 1) if m in history.operating)
        flagged = flagged_months(history, first, last, rules)
        for idle in history.became_idle:
            if not first <= idle <= last:
                continue
            result.became_idle += 1
            ahead = [m for m in flagged if idle - horizon <= m < idle]
            if ahead:
                result.caught += 1
                result.leads.append(idle - min(ahead))
        for start in sorted(flagged):
            if start - 1 in flagged:
                continue  # not the start of an episode
            if start + horizon > last:
                result.too_recent += 1
                continue
            result.episodes += 1
            result.by_rule["+".join(sorted({f.rule for f in flagged[start]}))] += 1
            if any(start < idle <= start + horizon for idle in history.became_idle):
                result.right_episodes += 1
    return result
