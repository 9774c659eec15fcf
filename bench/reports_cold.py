"""Benchmark: the report cold and warm, on a database kept by `bench/reports.py --keep DIR`.

Usage: python bench/reports_cold.py DIR [PROVINCE]

The watch list keeps sets found over the filed reports (`revival.DropCandidates`,
`revival.FiledUnits`); a report written for their months forgets them, and the next report
finds them again. This empties them before each of three runs (cold), then times five runs
(warm), for the nation and one province; wall and CPU time in ms.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

import units_import as base  # noqa: E402


def main():
    folder = sys.argv[1]
    province = sys.argv[2] if len(sys.argv) > 2 else "east-azerbaijan"
    base.setup_django("sqlite", folder)
    from django.contrib.auth import get_user_model

    from shahrak.core.jalali import JalaliPeriod
    from shahrak.reports.services import build_report, resolve_scope
    from shahrak.revival.models import DropCandidates, FiledUnits

    admin = get_user_model().objects.get(username="bench")
    period = JalaliPeriod.parse("1401")

    def run(code):
        started, cpu = time.perf_counter(), time.process_time()
        scope, described = resolve_scope(admin, province=code)
        build_report(admin, scope=scope, scope_description=described, period=period)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        return round(wall * 1000), round(cpu * 1000)

    for code in (None, province):
        cold = []
        for _ in range(3):
            DropCandidates.objects.all().delete()
            FiledUnits.objects.all().delete()
            cold.append(run(code))
        warm = [run(code) for _ in range(5)]
        print(f"{code or 'nation'}: cold (wall, CPU) {cold}; warm {warm}, "
              f"median CPU {statistics.median(c for _, c in warm)} ms")  # fmt: skip


if __name__ == "__main__":
    main()
