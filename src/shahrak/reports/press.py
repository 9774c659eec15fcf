"""The press paragraph: Persian prose in the style of the province reports, written from a
report's figures, never stating more than the records support.

Rounding rules (a reporter's quantifiers), from the exact value v:
- the round numbers are multiples of 10 below 1,000, of 100 below 10,000, of 1,000 below
  100,000; money keeps two significant digits with its scale word (۷۰ میلیون, ۱۹۰ میلیارد);
- R is v rounded down to a round number: v = R → "R"; v > R → "بیش از R" (so "more than
  570" only when v ≥ 571);
- "قریب R⁺" (nearly) only when v is below the next round number R⁺ by at most 5 % and closer
  to it than to R (58 → "قریب ۶۰"); never for a value above the number it names;
- counts below 20 are stated exactly; a change against the same period last year is
  mentioned when it is 5 % or more.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from shahrak.core.numbers import SCALES_FA, format_number
from shahrak.units.countries import PERSIAN_GULF, country_name, persian_gulf_countries

NOTABLE_CHANGE_PCT = 5
EXACT_BELOW = 20


@dataclass
class Figure:
    text: str  # the quantified figure in Persian
    url: str | None = None


def _step(value: Decimal, money: bool) -> Decimal:
    if money or value >= 100_000:
        return Decimal(10) ** max(value.adjusted() - 1, 0)  # two significant digits
    return Decimal(10) if value < 1000 else Decimal(100) if value < 10_000 else Decimal(1000)


def quantify(value, *, unit_word: str = "", scale: bool = False) -> str:
    """'بیش از ۵۷۰' for 571–579, '۵۷۰' for 570, 'قریب ۶۰' for 57–59 …"""
    exact = Decimal(str(value))
    if exact < EXACT_BELOW and not scale:
        return _with_unit(format_number(exact), unit_word)
    step = _step(exact, scale)
    below = (exact / step).to_integral_value(rounding=ROUND_DOWN) * step
    above = below + step
    if below != exact and above - exact < exact - below and exact >= above * Decimal("0.95"):
        return "قریب " + _shown(above, unit_word, scale)
    prefix = "" if below == exact else "بیش از "
    return prefix + _shown(below, unit_word, scale)


def _shown(number: Decimal, unit_word: str, scale: bool) -> str:
    if scale:
        for factor, word in SCALES_FA:
            if number >= factor:
                scaled = (number / factor).normalize()
                digits = format_number(scaled, max(-scaled.as_tuple().exponent, 0))
                return _with_unit(f"{digits} {word}", unit_word)
    return _with_unit(format_number(number), unit_word)


def _with_unit(text: str, unit_word: str) -> str:
    return f"{text} {unit_word}".strip()


def _destinations(by_destination: dict) -> str:
    gulf = persian_gulf_countries()
    named = [code for code, value in by_destination.items()
             if value and code != PERSIAN_GULF and code not in gulf][:4]  # fmt: skip
    names = [country_name(code) for code in named]
    if by_destination.get(PERSIAN_GULF):
        names.append(country_name(PERSIAN_GULF))
    if len(names) < 2:
        return "".join(names)
    return "، ".join(names[:-1]) + " و " + names[-1]


def _change(metric) -> str:
    change = metric.get("change_pct")
    if change is None or abs(change) < NOTABLE_CHANGE_PCT:
        return ""
    word = "افزایش" if change > 0 else "کاهش"
    amount = format_number(abs(Decimal(str(change))), 0)
    return f" که نسبت به دورهٔ مشابه سال قبل {amount} درصد {word} داشته است"


def sentences(report: dict, link=lambda figure: figure.text) -> list[str]:
    """The paragraph's sentences; `link` may wrap each figure (e.g. in an HTML link)."""
    m = report["metrics"]
    where = report["scope"]["name_fa"]
    where = f"استان {where}" if report["scope"]["level"] == "province" else where
    period = report["period"]["label"]
    out = []
    units, parks = m["units.operational"], m["parks.with_operational_units"]
    if units["value"]:
        count = Figure(quantify(units["value"], unit_word="واحد تولیدی"), units["records_url"])
        out.append(
            f"در شهرک‌ها و نواحی صنعتی {where} {link(count)}"
            f" به بهره‌برداری رسیده است که در {link(Figure(format_number(parks['value'])))} "
            f"شهرک و ناحیهٔ صنعتی مشغول فعالیت هستند{_change(units)}."
        )
    share = m["units.sme_share_in_parks_pct"]
    if share["value"]:
        out.append(
            f"{link(Figure(quantify(share['value'], unit_word='درصد')))} صنایع کوچک و متوسط "
            f"{where} در شهرک‌های صنعتی مستقر هستند."
        )
    exports = m["exports.usd"]
    if exports["value"]:
        figure = Figure(quantify(exports["value"], unit_word="دلار", scale=True))
        destinations = _destinations(m["exports.usd_by_destination"]["value"])
        out.append(
            f"صادرات این واحدها در {period} به {link(figure)} رسیده است"
            + (f" که کشورهای هدف آن {destinations} هستند" if destinations else "")
            + f"{_change(exports)}."
        )
    spend, power = m["infra.spend_rial"], m["infra.power_mw_added"]
    if spend["value"]:
        toman = Decimal(spend["value"]) / 10
        money = Figure(quantify(toman, unit_word="تومان", scale=True), spend["records_url"])
        text = f"در {period} {link(money)} برای تکمیل زیرساخت‌های شهرک‌ها و نواحی صنعتی هزینه شده است"
        if power["value"]:
            added = Figure(quantify(power["value"], unit_word="مگاوات"), power["records_url"])
            text += f" و {link(added)} به ظرفیت برق صنعت افزوده شده است"
        out.append(text + ".")
    return out


def paragraph(report: dict) -> str:
    return " ".join(sentences(report))
