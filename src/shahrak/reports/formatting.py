"""Figures as readers see them, by unit: in Persian, or in English on English pages."""

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from shahrak.core.numbers import format_magnitude, format_number, format_toman

UNIT_WORDS = {"mw": "مگاوات", "hectare": "هکتار", "count": "", "percent": "٪", "days": "روز"}
UNIT_WORDS_EN = {"mw": "MW", "hectare": "ha", "count": "", "percent": "%", "days": "days"}


def format_value(value, unit: str, persian: bool = True) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ("، " if persian else ", ").join(
            f"{key}: {format_value(v, unit, persian)}" for key, v in value.items()
        )
    if unit == "rial":
        return format_toman(int(value), persian=persian)
    if unit == "usd":
        return format_magnitude(Decimal(str(value)), "usd", persian=persian)
    number = Decimal(str(value))
    decimals = 0 if number == number.to_integral_value() else 1
    text = format_number(number, decimals, persian=persian)
    word = (UNIT_WORDS if persian else UNIT_WORDS_EN).get(unit, unit)
    if unit == "percent":
        return f"{text}{word}"
    return f"{text} {word}".strip()


def change_direction(change_pct) -> str:
    """The CSS class of a change as shown (to one decimal): "up", "down", or "flat" when it
    reads ۰٫۰٪ (neither a rise nor a fall); "" when there is no change to show."""
    if change_pct is None:
        return ""
    shown = Decimal(str(change_pct)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return "up" if shown > 0 else ("down" if shown < 0 else "flat")


def format_change(change_pct, persian: bool = True) -> str:
    if change_pct is None:
        return ""
    arrow = {"up": "▲", "down": "▼", "flat": "■"}[change_direction(change_pct)]
    number = format_number(abs(Decimal(str(change_pct))), 1, persian=persian)
    return f"{arrow} {number}{'٪' if persian else '%'}"


def breakdown_rows(
    report: dict, key: str, limit: int | None = None, persian: bool = True
) -> list[dict]:
    """A breakdown metric (sector, park, destination → value) as named rows, largest first,
    with each row's share of the largest (for bars)."""
    metric = report["metrics"][key]
    items = [(k, v) for k, v in metric["value"].items() if v]
    largest = max((float(v) for _, v in items), default=0) or 1
    link = metric["records_url"] if metric.get("by") else None
    return [
        {"key": k, "name": metric["names"].get(k, k), "value": v,
         "shown": format_value(v, metric["unit"], persian),
         "width": round(100 * float(v) / largest, 1),
         "url": f"{link}&{urlencode({metric['by']: k})}" if link else None}
        for k, v in items[:limit]
    ]  # fmt: skip


# The figures the province reports lead with; the others follow in the registry's order.
LEADING = (
    "units.operational", "parks.with_operational_units", "units.sme_share_in_parks_pct",
    "exports.usd", "units.restarted", "units.became_idle",
)  # fmt: skip


def figure_rows(report: dict, persian: bool = True) -> list[dict]:
    """The report's single figures (not breakdowns) as shown: label, value, last year's, the
    change, and for flows the year to date and the total since the start; leading figures
    first."""
    rows = [
        {
            "key": key,
            **item,
            "label": item["label_fa"] if persian else item["label_en"],
            "shown": format_value(item["value"], item["unit"], persian),
            "previous_shown": format_value(item["previous"], item["unit"], persian),
            "year_to_date_shown": format_value(item["year_to_date"], item["unit"], persian),
            "cumulative_shown": format_value(item["cumulative"], item["unit"], persian),
            "change": format_change(item["change_pct"], persian),
            "direction": change_direction(item["change_pct"]),
        }
        for key, item in report["metrics"].items()
        if not isinstance(item["value"], dict)
    ]
    rank = {key: position for position, key in enumerate(LEADING)}
    return sorted(rows, key=lambda row: rank.get(row["key"], len(LEADING)))
