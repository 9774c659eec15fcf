import json

from django.core.management.base import BaseCommand, CommandError

from shahrak.places.models import Province
from shahrak.revival.backtest import backtest
from shahrak.revival.selectors import histories_for_backtest
from shahrak.revival.watch import WatchRules, month_number


class Command(BaseCommand):
    help = (
        "Idle-unit revival tools: `shahrak revival backtest --province yazd --from 1398 "
        "--to 1401` replays the watch list's rules over the recorded history and reports how "
        "many units that became idle were flagged in advance, how far ahead, and how many "
        "flags were not followed by idling. `shahrak revival tally` recounts the monthly "
        "reports filed and filed on time by month and place from the reports (after reports "
        "were written in bulk, past the services that keep those counts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["backtest", "tally"])
        parser.add_argument("--province", help="province code, e.g. yazd (backtest)")
        parser.add_argument("--from", dest="first", type=int, help="Jalali year (backtest)")
        parser.add_argument("--to", dest="last", type=int, help="Jalali year (backtest)")
        parser.add_argument("--horizon", type=int, default=6, help="months a flag looks ahead")
        parser.add_argument("--missed-months", type=int, help="override the province's rule")
        parser.add_argument("--drop-pct", type=int, help="override the province's rule")
        parser.add_argument("--recent-months", type=int, help="override the province's rule")
        parser.add_argument("--utility-months", type=int, help="override the province's rule")
        parser.add_argument("--utility-pct", type=int, help="override the province's rule")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, what, province, first, last, horizon, format, **options):
        from shahrak.revival.models import ProvinceRevivalSettings

        if what == "tally":
            from shahrak.revival import tally

            self.stdout.write(f"{tally.rebuild()} rows of counts written")
            return
        if not province or first is None or last is None:
            raise CommandError("backtest needs --province, --from and --to")

        try:
            found = Province.objects.get(code=province)
        except Province.DoesNotExist as error:
            raise CommandError(f"no province {province!r}") from error
        if last < first or horizon < 1:
            raise CommandError("--to must not be before --from; --horizon is at least 1")
        base = WatchRules.of(ProvinceRevivalSettings.for_province(found.pk))
        try:
            rules = WatchRules(
                options.get("missed_months") or base.missed_months,
                options.get("drop_pct") or base.drop_pct,
                options.get("recent_months") or base.recent_months,
                options.get("utility_months") or base.utility_months,
                options.get("utility_pct") or base.utility_pct,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        start, end = month_number(first, 1), month_number(last, 12)
        result = backtest(histories_for_backtest(found, start, end), start, end, rules, horizon)
        figures = {
            "province": found.code,
            "from": first,
            "to": last,
            "rules": {"missed_months": rules.missed_months, "drop_pct": rules.drop_pct,
                      "recent_months": rules.recent_months,
                      "utility_months": rules.utility_months, "utility_pct": rules.utility_pct,
                      "horizon_months": horizon},
            "checks": result.checks,
            "became_idle": result.became_idle,
            "flagged_in_advance": result.caught,
            "recall": result.recall,
            "median_lead_months": result.median_lead,
            "flag_episodes": result.episodes,
            "episodes_followed_by_idling": result.right_episodes,
            "precision": result.precision,
            "episodes_too_recent_to_judge": result.too_recent,
            "episodes_by_rule": dict(sorted(result.by_rule.items())),
        }  # fmt: skip
        if format == "json":
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        for key, value in figures.items():
            if isinstance(value, float):
                value = f"{value:.2f}"
            self.stdout.write(f"{key:32} {value}")
