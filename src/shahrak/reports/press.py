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
from string import Formatter

from django.utils.translation import gettext_lazy as _

from shahrak.core.numbers import SCALES_FA, format_number
from shahrak.core.text import fa_digits_outside_latin, join_fa
from shahrak.units.countries import PERSIAN_GULF, country_name, persian_gulf_countries

NOTABLE_CHANGE_PCT = 5
EXACT_BELOW = 20


@dataclass
class Figure:
    text: str  # the quantified figure in Persian
    url: str | None = None
    # A clause around the figure ("، که {figure} از آن‌ها در … بوده است"): the figure alone is
    # linked; an empty Figure ("") leaves the clause out.
    before: str = ""
    after: str = ""
    # A second figure of the same clause, each linked («قریب ۵۰۰ مورد در سال ۱۴۰۰ و بیش از ۱۴۰
    # مورد در شش ماهه نخست ۱۴۰۱»): rendered after this one with its own before and after.
    then: "Figure | None" = None


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
    return join_fa(names)


def _change(metric) -> str:
    change = metric.get("change_pct")
    if change is None or abs(change) < NOTABLE_CHANGE_PCT:
        return ""
    word = "افزایش" if change > 0 else "کاهش"
    amount = format_number(abs(Decimal(str(change))), 0)
    return f"؛ این رقم نسبت به دورهٔ مشابه سال قبل {amount} درصد {word} داشته است"


# --- the sentences ------------------------------------------------------------------------
# A sentence is a template with {placeholders}; its figures are computed here from the report
# (so a template can arrange words but never state a figure of its own). A manager may
# replace a template for their province (PressSentence); these are the defaults.
@dataclass(frozen=True)
class Sentence:
    key: str
    title: str  # what the sentence is about, for the editing page
    default: str
    placeholders: dict  # name → what it holds (shown to the editor)
    required: tuple  # placeholders the sentence cannot do without
    figures: object  # (report) → {name: Figure} or None when there is nothing to say


COMMON = {
    "where": _("The province or area of the report"),
    "period": _("The period of the report (e.g. “the year 1400”)"),
}


def _units(report):
    m = report["metrics"]
    units, parks = m["units.operational"], m["parks.with_operational_units"]
    if not units["value"]:
        return None
    return {
        "units": Figure(quantify(units["value"], unit_word="واحد تولیدی"), units["records_url"]),
        "parks": Figure(format_number(parks["value"]), parks["records_url"]),
        "change": Figure(_change(units)),
    }


def _sme_share(report):
    share = report["metrics"]["units.sme_share_in_parks_pct"]
    if not share["value"]:
        return None
    return {"share": Figure(quantify(share["value"], unit_word="درصد"), share["records_url"])}


def _exports(report):
    m = report["metrics"]
    exports = m["exports.usd"]
    if not exports["value"]:
        return None
    return {
        "exports": Figure(
            quantify(exports["value"], unit_word="دلار", scale=True), exports["records_url"]
        ),
        "destinations": Figure(_destinations(m["exports.usd_by_destination"]["value"])),
        "change": Figure(_change(exports)),
    }


def _restarted(report):
    restarted = report["metrics"]["units.restarted"]
    if not restarted["cumulative"]:
        return None
    in_period = Figure(quantify(restarted["value"], unit_word="واحد"), restarted["records_url"])
    clause = (
        Figure(
            in_period.text,
            in_period.url,
            before=" که ",
            after=f" از آن‌ها در {report['period']['label']} بوده است",
        )
        if restarted["value"]
        else Figure("")
    )  # nothing restarted within the period: the clause is left out, not "۰ واحد"
    return {
        "restarted": in_period,
        "restarted_in_period": clause,
        "restarted_year": Figure(quantify(restarted["year_to_date"], unit_word="واحد"),
                                 restarted["year_to_date_records_url"]),
        "restarted_total": Figure(quantify(restarted["cumulative"], unit_word="واحد صنعتی"),
                                  restarted["cumulative_records_url"]),
        "until": Figure(report["period"]["since_start"]["label"].removeprefix("از آغاز تا ")),
    }  # fmt: skip


def _revival(report):
    """The revival program in the second report's words: identified in the period, restarted
    in it, and how many of those restarts fell in the period's own year (when that is only a
    part of the period)."""
    m = report["metrics"]
    found, restarted = m.get("idle.identified"), m.get("idle.restarted_by_case")
    if not found or not (found["value"] or restarted["value"]):
        return None
    this_year = ""
    period = report["period"]
    if restarted["value"] and period["year_to_date"]["start"] > period["start"]:
        this_year = " که {} مورد آن {} بوده است".format(
            quantify(restarted["year_to_date"]), period["year_to_date"]["label"]
        )
    label = period["label"]  # «از ۱۴۰۰/۰۱/۰۱ تا …» for a stretch, «سال ۱۴۰۰» for a year
    return {
        "when": Figure(label if label.startswith("از ") else f"در {label}"),
        # Identified units are stated exactly, as the report does (۱۷۷).
        "identified": Figure(format_number(found["value"]) + " واحد صنعتی",
                             found["records_url"]),
        "restarted": Figure(quantify(restarted["value"], unit_word="واحد صنعتی"),
                            restarted["records_url"]),
        "this_year": Figure(this_year),
    }  # fmt: skip


def _clusters(report):
    """Clusters in the second report's words: a development handed over to a local body in
    the period, the plans in progress at its end, and the action plans of the period, with
    «روند افزایشی نسبت به دورهٔ مشابه سال قبل» only when they grew against it."""
    m = report["metrics"]
    progress, handed, actions = (
        m.get("clusters.plans_in_progress"),
        m.get("clusters.handed_over"),
        m.get("clusters.action_plans"),
    )
    if not actions or not (progress["value"] or handed["value"] or actions["value"]):
        return None
    label = report["period"]["label"]
    when = label if label.startswith("از ") else f"در {label}"
    handed_over = Figure("")
    if handed["value"]:
        count = "یک خوشه" if handed["value"] == 1 else f"{quantify(handed['value'])} خوشه"
        whose = "آن" if handed["value"] == 1 else "آن‌ها"
        handed_over = Figure(
            count, handed["records_url"], before="، توسعهٔ ",
            after=f" به پایان رسیده و ادامهٔ {whose} به تشکل محلی واگذار شده است",
        )  # fmt: skip
    change = actions.get("change_pct")
    trend = (
        "، که روند افزایشی نسبت به دورهٔ مشابه سال قبل را نشان می‌دهد"
        if change is not None and change >= NOTABLE_CHANGE_PCT
        else ""
    )
    return {
        "handed_over": handed_over,
        "in_progress": Figure(quantify(progress["value"]), progress["records_url"]),
        "when": Figure(when),
        # Stated exactly, as the report does (۵۳, ۳۷).
        "action_plans": Figure(format_number(actions["value"]), actions["records_url"]),
        "trend": Figure(trend),
    }


def _infrastructure(report):
    spend = report["metrics"]["infra.spend_rial"]
    if not spend["value"]:
        return None
    toman = Decimal(spend["value"]) / 10
    return {"spend": Figure(quantify(toman, unit_word="تومان", scale=True), spend["records_url"])}


def _power(report):
    power = report["metrics"]["infra.power_mw_added"]
    if not power["value"]:
        return None
    return {"power": Figure(quantify(power["value"], unit_word="مگاوات"), power["records_url"])}


def _in_period_and_year_before(report, key: str, before_key: str, word: str) -> Figure:
    """«قریب ۵۰۰ {word} در سال ۱۴۰۰ و بیش از ۱۴۰ {word} در شش ماهه نخست ۱۴۰۱»: the whole year
    before (when the period is a part of the year after it: a year, or a stretch reaching
    back into that year, is told alone), then the period's own figure; each linked. An
    empty Figure when the period's figure is zero."""
    m, period = report["metrics"], report["period"]
    figure, before = m[key], m.get(before_key)
    if not figure["value"]:
        return Figure("")
    label = period["label"]
    found = Figure(
        quantify(figure["value"], unit_word=word), figure["records_url"],
        after=f" {label}" if label.startswith("از ") else f" در {label}",
    )  # fmt: skip
    part_of_a_year = not period["key"].isdigit() and (
        period["start"] >= period["year_to_date"]["start"]
    )
    if before is not None and before["value"] and part_of_a_year:
        year = fa_digits_outside_latin(int(period["year_to_date"]["key"][:4]) - 1)
        found.before = " و "
        found = Figure(
            quantify(before["value"], unit_word=word), before["records_url"],
            after=f" در سال {year}", then=found,
        )  # fmt: skip
    return found


def _exhibitions(report):
    m = report["metrics"]
    total = m.get("exhibitions.supports_total")
    if not total or not total["value"]:
        return None
    supports = _in_period_and_year_before(
        report, "exhibitions.supports", "exhibitions.supports_year_before", "مورد"
    )
    if supports.text:
        supports.before = " که " + supports.before
        last = supports
        while last.then is not None:
            last = last.then
        last.after += " بوده است"
    return {
        "total": Figure(quantify(total["value"], unit_word="مورد"), total["records_url"]),
        "until": Figure(report["period"]["since_start"]["label"].removeprefix("از آغاز تا ")),
        "supports": supports,
    }


def _services(report):
    count = report["metrics"].get("services.count")
    if not count or not count["value"]:
        return None
    return {
        "services": _in_period_and_year_before(
            report, "services.count", "services.count_year_before", "خدمت"
        )
    }


def _rate_text(rate) -> str:
    rate = Decimal(str(rate))
    return format_number(rate, 0 if rate == rate.to_integral_value() else 1)


def _support(report):
    """The support programs in the reports' words: «بیش از ۲۰ برنامه حمایتی … که ۳۰ تا ۷۰
    درصد هزینه‌ها …» — the programs open at the period's end, their families and the range of
    their rates, all from the records."""
    from django.utils.translation import override

    m = report["metrics"]
    active = m.get("programs.active")
    if not active or not active["value"]:
        return None
    low, high = m["programs.rate_min_pct"]["value"], m["programs.rate_max_pct"]["value"]
    from shahrak.support.choices import ProgramFamily

    counted = m["programs.by_family"]["value"]
    with override("fa"):  # the paragraph is Persian whatever the reader's language
        families = join_fa([str(family.label) for family in ProgramFamily
                            if counted.get(family.value)])  # fmt: skip
    low_text, high_text = _rate_text(low), _rate_text(high)
    rates = low_text if low_text == high_text else f"{low_text} تا {high_text}"
    label = report["period"]["label"]
    return {
        "when": Figure(label if label.startswith("از ") else f"در {label}"),
        "programs": Figure(quantify(active["value"], unit_word="برنامهٔ حمایتی"),
                           active["records_url"]),
        "families": Figure(families),
        "rates": Figure(rates, m["programs.rate_min_pct"]["records_url"]),
    }  # fmt: skip


CHANGE = _(
    "The comparison with the same period of the year before, when the change is 5 % or more "
    "(otherwise empty)"
)
SENTENCES = [
    Sentence(
        "units", "واحدهای در حال بهره‌برداری",
        "در شهرک‌ها و نواحی صنعتی {where}، {units} به بهره‌برداری رسیده است که در {parks} "
        "شهرک و ناحیهٔ صنعتی مشغول فعالیت هستند{change}.",
        {"units": _("Units in operation (e.g. “more than 570 production units”)"),
         "parks": _("Parks and zones with units in operation"), "change": CHANGE},
        ("units",), _units,
    ),
    Sentence(
        "sme_share", "سهم صنایع کوچک و متوسط مستقر در شهرک‌ها",
        "{share} صنایع کوچک و متوسط {where} در شهرک‌های صنعتی مستقر هستند.",
        {"share": _("Share of small and medium industries located in parks "
                    "(e.g. “more than 90 percent”)")},
        ("share",), _sme_share,
    ),
    Sentence(
        "exports", "صادرات",
        "صادرات این واحدها در {period} به {exports} رسیده است که کشورهای هدف آن "
        "{destinations} هستند{change}.",
        {"exports": _("Value of exports (e.g. “more than 70 million dollars”)"),
         "destinations": _("The main destination countries"), "change": CHANGE},
        ("exports",), _exports,
    ),
    Sentence(
        "restarted", "واحدهای راه‌اندازی‌شدهٔ دوباره",
        "از آغاز تا {until}، {restarted_total} راکد در {where} دوباره راه‌اندازی شده و به "
        "چرخهٔ تولید بازگشته‌اند{restarted_in_period}.",
        {"restarted": _("Units restarted within the period (may be zero)"),
         "restarted_in_period": _("The clause “of which … in the period”, when a unit was "
                                  "restarted within the period (otherwise empty)"),
         "restarted_year": _("Units restarted from the start of the year to the end of the "
                             "period"),
         "restarted_total": _("Units restarted from the start of the records to the end of "
                              "the period"),
         "until": _("The last day of the period")},
        ("restarted_total",), _restarted,
    ),
    Sentence(
        "revival", "احیای واحدهای غیرفعال",
        "{when}، {identified} غیرفعال در {where} شناسایی شد و با انجام عارضه‌یابی‌ها و "
        "اجرای طرح‌های بهبود و تلاش خود واحدها {restarted} دوباره راه‌اندازی شده و به چرخهٔ "
        "تولید بازگشته‌اند{this_year}.",
        {"when": "دورهٔ گزارش با «در» پیش از آن، مگر بازه‌ای که با «از» آغاز می‌شود",
         "identified": "واحدهای غیرفعال شناسایی‌شده در دوره (پرونده‌های احیا)",
         "restarted": "واحدهای راه‌اندازی‌شده با پرونده در دوره (مثلاً «قریب ۶۰ واحد صنعتی»)",
         "this_year": "بخشی از راه‌اندازی‌ها که در سال پایان دوره بوده است، وقتی دوره بیش از "
                      "آن سال است (وگرنه خالی)"},
        ("identified",), _revival,
    ),
    Sentence(
        "clusters", "توسعهٔ خوشه‌های صنعتی",
        "{when}، {in_progress} طرح توسعهٔ خوشه‌ای در {where} در حال اجراست{handed_over} و "
        "{action_plans} برنامهٔ عمل حمایتی برای خوشه‌های در حال اجرا و پایان‌یافته انجام "
        "شده است{trend}.",
        {"handed_over": "خوشه‌هایی که توسعهٔ آن‌ها در دوره به پایان رسید و به تشکل محلی "
                        "واگذار شد، با جملهٔ کامل آن (وگرنه خالی)",
         "in_progress": "طرح‌های توسعهٔ خوشه‌ای در حال اجرا در پایان دوره",
         "when": "دورهٔ گزارش با «در» پیش از آن، مگر بازه‌ای که با «از» آغاز می‌شود",
         "action_plans": "برنامه‌های عمل خوشه‌ها که در دوره آغاز شده است (لغوشده‌ها نه)",
         "trend": "«روند افزایشی نسبت به دورهٔ مشابه سال قبل» وقتی برنامه‌های عمل ۵ درصد یا "
                  "بیشتر افزایش داشته است (وگرنه خالی)"},
        ("action_plans",), _clusters,
    ),
    Sentence(
        "infrastructure", "هزینهٔ زیرساخت‌ها",
        "در {period} مبلغ {spend} برای تکمیل زیرساخت‌های شهرک‌ها و نواحی صنعتی هزینه شده است.",
        {"spend": _("Spent on infrastructure projects within the period "
                    "(e.g. “95 billion toman”)")},
        ("spend",), _infrastructure,
    ),
    Sentence(
        "power", "ظرفیت برق افزوده",
        "در این مدت {power} به ظرفیت برق صنعت افزوده شده است.",
        {"power": _("Power capacity added (MW)")},
        ("power",), _power,
    ),
    Sentence(
        "exhibitions", "حمایت از حضور در نمایشگاه‌ها",
        "تا {until}، {total} حمایت از حضور واحدهای صنعتی {where} در نمایشگاه‌های داخلی و "
        "خارجی انجام شده است{supports}.",
        {"total": "حمایت‌های ثبت‌شده از آغاز سوابق تا پایان دوره (مثلاً «بیش از ۳ هزار مورد»)",
         "until": "آخرین روز دوره",
         "supports": "عبارت «که … در سال پیش و … در دوره بوده است» (سال پیش تنها وقتی دوره "
                     "بخشی از سال است)؛ خالی اگر در دوره حمایتی نبوده است"},
        ("total",), _exhibitions,
    ),
    Sentence(
        "services", "کلینیک‌ها و خدمات توسعهٔ کسب‌وکار",
        "در زمینهٔ کلینیک‌های سیار صنعتی، شناسایی نیازهای فناوری، عارضه‌یابی و طرح‌های بهبود و "
        "خدمات توسعهٔ کسب‌وکار، {services} برای واحدهای صنعتی {where} انجام شده است.",
        {"services": "خدمات دوره با نام دوره، و پیش از آن خدمات سال پیش وقتی دوره بخشی از "
                     "سال است (مثلاً «بیش از ۱۰۰ خدمت در سال ۱۴۰۰ و بیش از ۶۰ خدمت در شش "
                     "ماهه نخست ۱۴۰۱»)"},
        ("services",), _services,
    ),
    Sentence(
        "support", "برنامه‌های حمایتی",
        "{when}، {programs} در زمینه‌های {families} در {where} اجرا شده است که {rates} درصد "
        "هزینه‌های آن‌ها به‌صورت یارانه پرداخت می‌شود.",
        {"when": "دورهٔ گزارش با «در» پیش از آن، مگر بازه‌ای که با «از» آغاز می‌شود",
         "programs": "برنامه‌های حمایتی فعال در پایان دوره (مثلاً «بیش از ۲۰ برنامهٔ حمایتی»)",
         "families": "خانواده‌های این برنامه‌ها (توسعهٔ بازار، توسعهٔ کارآفرینی، …)",
         "rates": "بازهٔ نرخ یارانهٔ این برنامه‌ها (مثلاً «۳۰ تا ۷۰»)"},
        ("programs",), _support,
    ),
]  # fmt: skip
SENTENCE_KEYS = {sentence.key: sentence for sentence in SENTENCES}


def template_fields(text: str) -> list[str]:
    """The placeholders of a template; TemplateError if it is not a plain-name template."""
    try:
        parsed = list(Formatter().parse(text))
    except ValueError as error:
        raise TemplateError("آکولادها ({ و }) جفت نیستند؛ هر جای‌نشان مانند {units} است.") from error
    fields = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise TemplateError(f"«{{{name}}}» جای‌نشان درستی نیست؛ تنها نام ساده مانند {{units}}.")
        fields.append(name)
    return fields


class TemplateError(ValueError):
    pass


def check_template(sentence: Sentence, text: str) -> None:
    """Refuse a template with unknown or missing placeholders, or with a figure of its own
    (figures come from the records only): TemplateError, in Persian."""
    fields = template_fields(text)
    if any(char.isdigit() for char in text):
        raise TemplateError("رقمی در متن ننویسید؛ رقم‌ها تنها از جای‌نشان‌ها و از سوابق می‌آیند.")
    allowed = {**COMMON, **sentence.placeholders}
    if unknown := [name for name in fields if name not in allowed]:
        names = "، ".join(f"{{{name}}}" for name in allowed)
        raise TemplateError(
            f"جای‌نشان «{{{unknown[0]}}}» در این جمله شناخته نیست؛ جای‌نشان‌های مجاز: {names}."
        )
    if missing := [name for name in sentence.required if name not in fields]:
        raise TemplateError(f"این جمله بدون «{{{missing[0]}}}» رقمی از سوابق نمی‌گوید.")


def _render(text: str, values: dict, link, escape) -> str:
    out = []
    for literal, name, _spec, _conversion in Formatter().parse(text):
        out.append(escape(literal))
        figure = values[name] if name is not None else None
        while figure is not None and figure.text:
            out.append(escape(figure.before) + link(figure) + escape(figure.after))
            figure = figure.then
    return "".join(out)


def sentences(report: dict, link=lambda figure: figure.text, escape=str, templates=None):
    """The paragraph's sentences; `link` may wrap each figure (e.g. in an HTML link) and
    `escape` the template's own words; `templates` (key → text or None to leave the sentence
    out) replace the defaults."""
    where = fa_digits_outside_latin(report["scope"]["name_fa"])  # «شهرک صنعتی بوشهر ۱»
    where = f"استان {where}" if report["scope"]["level"] == "province" else where
    common = {"where": Figure(where), "period": Figure(report["period"]["label"])}
    templates = templates or {}
    out = []
    for sentence in SENTENCES:
        text = templates.get(sentence.key, sentence.default)
        figures = sentence.figures(report) if text else None
        if figures:
            out.append(_render(text, {**common, **figures}, link, escape))
    return out


def paragraph(report: dict, templates=None) -> str:
    return " ".join(sentences(report, templates=templates))


def paragraph_html(report: dict, templates=None):
    """The paragraph as HTML: the wording's own words escaped, each figure linked to the
    records behind it."""
    from django.utils.html import escape, format_html
    from django.utils.safestring import mark_safe

    def link(figure):
        if figure.url:
            return str(format_html('<a href="{}">{}</a>', figure.url, figure.text))
        return str(escape(figure.text))

    written = sentences(report, link=link, escape=lambda text: str(escape(text)),
                        templates=templates)  # fmt: skip
    return mark_safe(" ".join(written))  # every piece was escaped or built by format_html
