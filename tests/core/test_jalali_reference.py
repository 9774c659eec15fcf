"""Our Jalali calendar (jdatetime) against two independent implementations, every day of the
Jalali years 1300–1500: persiantools, and ICU's Persian calendar through Node's Intl."""

import datetime as dt
import shutil
import subprocess

import pytest
from persiantools.jdatetime import JalaliDate

from shahrak.core.jalali import JalaliPeriod, to_gregorian, to_jalali

FIRST = JalaliDate(1300, 1, 1).to_gregorian()
LAST = JalaliDate(1501, 1, 1).to_gregorian() - dt.timedelta(days=1)


def every_day():
    day = FIRST
    while day <= LAST:
        yield day
        day += dt.timedelta(days=1)


def test_every_day_against_persiantools():
    mismatches = []
    for day in every_day():
        reference = JalaliDate.to_jalali(day)
        expected = (reference.year, reference.month, reference.day)
        if to_jalali(day) != expected or to_gregorian(*expected) != day:
            mismatches.append((day, expected, to_jalali(day)))
    assert mismatches == []
    assert (LAST - FIRST).days + 1 > 73_000


def test_period_boundaries_against_persiantools():
    """Each period starts where persiantools says its first day falls and ends the day
    before the next period's first day."""

    def first_day(year, month):
        if month == 13:
            year, month = year + 1, 1
        return JalaliDate(year, month, 1).to_gregorian()

    one = dt.timedelta(days=1)
    for year in range(1300, 1501):
        cases = [(JalaliPeriod.year(year), 1, 13)]
        cases += [(JalaliPeriod.half(year, i), 6 * i - 5, 6 * i + 1) for i in (1, 2)]
        cases += [(JalaliPeriod.quarter(year, i), 3 * i - 2, 3 * i + 1) for i in range(1, 5)]
        cases += [(JalaliPeriod.month(year, m), m, m + 1) for m in range(1, 13)]
        for period, first_month, next_month in cases:
            assert period.start == first_day(year, first_month), period.key
            assert period.end == first_day(year, next_month) - one, period.key


NODE_SCRIPT = """
const f = new Intl.DateTimeFormat("en-u-ca-persian-nu-latn",
  {year: "numeric", month: "numeric", day: "numeric", timeZone: "UTC"});
const [from, to] = process.argv.slice(1).map(s => Date.parse(s + "T00:00:00Z"));
const out = [];
for (let t = from; t <= to; t += 86400000) {
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map(x => [x.type, x.value]));
  out.push(`${p.year} ${p.month} ${p.day}`);
}
process.stdout.write(out.join("\\n"));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is a prerequisite of make")
def test_every_day_against_icu():
    result = subprocess.run(
        ["node", "-e", NODE_SCRIPT, FIRST.isoformat(), LAST.isoformat()],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.split("\n")
    assert len(lines) == (LAST - FIRST).days + 1
    mismatches = []
    for day, line in zip(every_day(), lines, strict=True):
        expected = tuple(int(part) for part in line.split())
        if to_jalali(day) != expected:
            mismatches.append((day, expected, to_jalali(day)))
    assert mismatches == []
