"""Figures as Persian readers see them, by unit."""

from decimal import Decimal

from shahrak.core.numbers import format_magnitude, format_number, format_toman

UNIT_WORDS = {"mw": "مگاوات", "hectare": "هکتار", "count": "", "percent": "٪"}


def format_value(value, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return "، ".join(f"{key}: {format_value(v, unit)}" for key, v in value.items())
    if unit == "rial":
        return format_toman(int(value))
    if unit == "usd":
        return format_magnitude(Decimal(str(value)), "usd")
    number = Decimal(str(value))
    decimals = 0 if number == number.to_integral_value() else 1
    text = format_number(number, decimals)
    word = UNIT_WORDS.get(unit, unit)
    if unit == "percent":
        return f"{text}{word}"
    return f"{text} {word}".strip()


def format_change(change_pct) -> str:
    if change_pct is None:
        return ""
    arrow = "▲" if change_pct > 0 else ("▼" if change_pct < 0 else "■")
    return f"{arrow} {format_number(abs(Decimal(str(change_pct))), 1)}٪"
