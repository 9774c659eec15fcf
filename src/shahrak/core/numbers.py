"""Numbers and money as Persian readers expect them: ۱٬۵۰۰ — ۷۰ میلیون دلار — ۹۵ میلیارد تومان.

Money is stored as integer rials everywhere; 1 toman = 10 rials. People read and type it in
toman, never rial, and never a fraction of a toman:
- a figure in a report or sentence: `format_toman`, the scale word chosen by the amount
  («۹۵ میلیارد تومان», at most one decimal; below a million, whole toman);
- a quantity read across records, in lists, on record pages, in forms and in histories (an
  infrastructure project's cost and spending): one fixed unit, million toman
  (`format_million_toman`, at most one decimal: «۱۸٬۳۳۳٫۳ میلیون تومان»; typed in the same
  unit by `core.forms.MillionTomanField`).
"""

from decimal import ROUND_HALF_UP, Decimal

from .text import to_fa_digits

THOUSANDS_SEP_FA = "٬"  # U+066C
DECIMAL_SEP_FA = "٫"  # U+066B
RIALS_PER_TOMAN = 10
RIALS_PER_MILLION_TOMAN = 10**6 * RIALS_PER_TOMAN

# Persian magnitude words, largest first.
SCALES_FA = [
    (10**12, "هزار میلیارد"),
    (10**9, "میلیارد"),
    (10**6, "میلیون"),
]
UNIT_WORDS_FA = {"usd": "دلار", "toman": "تومان", "rial": "ریال"}
# The same in English: 70.4 million USD, 95 billion toman.
SCALES_EN = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million")]
UNIT_WORDS_EN = {"usd": "USD", "toman": "toman", "rial": "rial"}


def format_number(value, decimals: int = 0, persian: bool = True) -> str:
    """Group thousands; with `persian`, Persian digits and separators."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{number:,.{decimals}f}"
    if not persian:
        return text
    text = text.replace(",", "\0").replace(".", DECIMAL_SEP_FA).replace("\0", THOUSANDS_SEP_FA)
    return to_fa_digits(text)


def rial_to_toman(rial: int) -> Decimal:
    return Decimal(rial) / RIALS_PER_TOMAN


def toman_to_rial(toman) -> int:
    return int(Decimal(str(toman)) * RIALS_PER_TOMAN)


def format_magnitude(
    value, unit: str | None = None, max_decimals: int = 1, persian: bool = True
) -> str:
    """`70_000_000, "usd"` → '۷۰ میلیون دلار' (or '70 million USD' with `persian=False`);
    picks the largest scale word ≤ value."""
    value = Decimal(str(value))
    scales, words = (SCALES_FA, UNIT_WORDS_FA) if persian else (SCALES_EN, UNIT_WORDS_EN)
    scaled, word = value, ""
    for factor, scale_word in scales:
        if abs(value) >= factor:
            scaled, word = value / factor, scale_word
            break
    text = format_number(scaled, decimals=max_decimals, persian=persian)
    if max_decimals:  # 1.50 → 1.5, 95.0 → 95
        text = text.rstrip("۰" if persian else "0").rstrip(DECIMAL_SEP_FA if persian else ".")
    parts = [text, word, words.get(unit or "", unit or "")]
    return " ".join(part for part in parts if part)


def format_toman(rial: int, persian: bool = True) -> str:
    """A rial amount shown in toman with a scale word: 950_000_000_000 → '۹۵ میلیارد تومان';
    below a million toman, whole toman: 123_456_789 → '۱۲٬۳۴۵٬۶۷۹ تومان'."""
    toman = rial_to_toman(rial)
    if abs(toman) < SCALES_FA[-1][0]:
        return format_magnitude(toman, "toman", max_decimals=0, persian=persian)
    return format_magnitude(toman, "toman", persian=persian)


def rial_to_million_toman(rial: int) -> Decimal:
    """Exact: 183_333_333_333 rial → 18333.3333333 million toman."""
    return Decimal(rial) / RIALS_PER_MILLION_TOMAN


def million_toman_shown(rial: int) -> Decimal:
    """The amount in million toman as lists show it: at most one decimal (18333.3)."""
    return rial_to_million_toman(rial).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_million_toman(rial: int | None) -> str:
    """'۱۸٬۳۳۳٫۳ میلیون تومان' (Persian UI) or '18,333.3 million toman' (English UI)."""
    from django.utils.translation import gettext

    if rial is None:
        return ""
    # Translators: a money amount in million toman, e.g. «۱۸٬۳۳۳ میلیون تومان».
    return gettext("%(amount)s million toman") % {
        "amount": localized(million_toman_shown(rial), max_decimals=1)
    }


def localized(value, max_decimals: int = 2) -> str:
    """A number for a message: grouped, no trailing zeros, Persian digits in the Persian UI."""
    from django.utils.translation import get_language

    number = Decimal(str(value)).normalize()
    decimals = min(max(-number.as_tuple().exponent, 0), max_decimals)
    return format_number(number, decimals, persian=(get_language() or "fa").startswith("fa"))
