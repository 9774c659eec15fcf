from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from shahrak.accounts.access import provinces_for, provincial
from shahrak.accounts.choices import Action
from shahrak.accounts.policy import EVERYWHERE, access_for
from shahrak.core.errors import DomainError
from shahrak.core.forms import errors_text
from shahrak.core.jalali import JalaliPeriod, format_jalali, jalali_year_of
from shahrak.core.metrics import Scope
from shahrak.core.tables import download
from shahrak.places.models import Province
from shahrak.units.countries import country_name

from .exports import report_xlsx
from .formatting import breakdown_rows, figure_rows, format_value
from .forms import PeriodForm
from .registry import metrics
from .services import (
    build_report,
    build_trend,
    effective_period,
    parse_period,
    press_wording,
    resolve_scope,
)

COMPARED_METRICS = ("units.operational", "exports.usd", "infra.spend_rial")  # the columns
COMPARED_BREAKDOWNS = ("units.operational_by_province", "exports.usd_by_province")


@provincial
def dashboard(request):
    this_year = jalali_year_of(timezone.localdate())
    province = request.GET.get("province") or None
    period, error, picker = _asked_period(request, this_year)
    scope, described = resolve_scope(request.user, province=province)
    report = build_report(request.user, scope=scope, scope_description=described, period=period)
    if request.GET.get("export") == "xlsx":
        return _xlsx(request.user, scope, report)
    if request.GET.get("export") == "pdf":
        from .pdf import report_pdf

        pdf = report_pdf(report, build_trend(request.user, scope, period))
        stem = _file_stem(request.user, scope, report)
        return download(pdf, f"{stem}.pdf", "application/pdf")
    persian = _persian()
    cards = figure_rows(report, persian)
    return render(
        request,
        "reports/dashboard.html",
        {
            "report": report,
            "nothing_recorded": _nothing_recorded(cards),
            "scope_name": report["scope"]["name_fa" if persian else "name_en"],
            "period_label": report["period"]["label"] if persian else _period_label_en(period),
            "cards": cards,
            "by_destination": _destination_rows(report, persian),
            "by_sector": breakdown_rows(report, "units.operational_by_sector", persian=persian),
            "by_park": breakdown_rows(report, "units.operational_by_park", persian=persian),
            "year_to_date_differs": report["period"]["year_to_date"]["start"]
            != report["period"]["start"],
            "provinces": provinces_for(request.user, Action.VIEW),
            "chosen": province,
            "picker": picker,
            "quick_periods": _quick_periods(this_year),
            "comparison": None
            if province
            else _comparison(request.user, report, effective_period(period, timezone.localdate())),
            "error": error,
            "trend_query": _trend_query(province, period),
        },
    )


def _nothing_recorded(cards) -> str | None:
    """Why every card reads zero, when they all do: "period" when records exist only
    outside the period and the same period of the year before, "scope" when the province
    (or what the user may see) has none up to the period's end; None when a figure is
    not zero."""
    figures = ("value", "previous", "year_to_date")
    if any(card.get(name) for card in cards for name in figures):
        return None
    return "period" if any(card.get("cumulative") for card in cards) else "scope"


def _trend_query(province, period) -> str:
    """The trend's own query: the dashboard's province and period (by key)."""
    return urlencode({key: value for key, value in
                      (("province", province), ("period", period.key)) if value})  # fmt: skip


@provincial
def trend(request):
    """The trend chart by Jalali year or half up to the end of the period asked, loaded by
    the dashboard after its figures (it reads years of records, so they need not wait)."""
    province = request.GET.get("province") or None
    scope, _described = resolve_scope(request.user, province=province)
    period, _error, _picker = _asked_period(request, jalali_year_of(timezone.localdate()))
    by_half = request.GET.get("by") == "half"
    trend = build_trend(request.user, scope, period, by_half=by_half)
    # Nothing recorded: say so, rather than draw a chart of zeros.
    empty = not any(trend["units_operational"]) and not any(trend["exports_usd"])
    return render(
        request,
        "reports/trend.html",
        {"trend": trend, "empty": empty, "by_half": by_half,
         "query": _trend_query(province, period)},
    )  # fmt: skip


@provincial
def press(request):
    """The press paragraph, each figure linked to the records behind it."""
    from .press import paragraph_html

    period, error, _picker = _asked_period(request, jalali_year_of(timezone.localdate()))
    if error:
        raise DomainError(error, code="invalid_period", field="period")
    scope, described = resolve_scope(request.user, province=request.GET.get("province") or None)
    report = build_report(request.user, scope=scope, scope_description=described, period=period)
    html = paragraph_html(report, press_wording(scope.province_code))
    return render(request, "reports/press.html", {"report": report, "paragraph": html})


def _asked_period(request, this_year):
    """The period asked for: the picker's year and part, or its two dates, else a period key
    (`?period=1401-H1`, as links and the API give it), else this year. Returns the period,
    the reason a request was refused (shown; this year is used instead), and the picker set
    to the period in effect."""
    form = PeriodForm(request.GET, this_year=this_year)
    error = None
    key = request.GET.get("period")
    if form.is_valid():
        key = form.period_key() or key
    else:
        error = " ".join(errors_text(form))
    try:
        period = parse_period(key or str(this_year))
    except DomainError as refused:
        error, period = str(refused.message), JalaliPeriod.year(this_year)
    picker = PeriodForm(initial=PeriodForm.initial_for(period), this_year=this_year)
    return period, error, picker


def _destination_rows(report, persian: bool) -> list[dict]:
    rows = breakdown_rows(report, "exports.usd_by_destination", persian=persian)
    if not persian:  # the report names countries in Persian, for the press paragraph
        for row in rows:
            row["name"] = country_name(row["key"], persian=False)
    return rows


def _persian() -> bool:
    return (get_language() or "fa").startswith("fa")


def _period_label_en(asked: JalaliPeriod) -> str:
    """The English of the report's period label («سال ۱۴۰۵ تا ۱۴۰۵/۰۹/۰۵»)."""
    period = effective_period(asked, timezone.localdate())
    if period == asked:
        return asked.label_en
    return f"{asked.label_en} until {format_jalali(period.end, persian=False)}"


def _quick_periods(year):
    persian = _persian()
    keys = [str(year), f"{year}-H1", str(year - 1), f"{year - 1}-H1", f"{year - 1}-H2"]
    return [
        {"key": key, "label": period.label if persian else period.label_en}
        for key, period in ((key, JalaliPeriod.parse(key)) for key in keys)
    ]


def _comparison(user, report, period):
    """Provinces side by side (for those who see more than one): cut from the report's
    breakdowns by province, plus infrastructure spending (small tables) per province."""
    provinces = list(provinces_for(user, Action.VIEW))
    if len(provinces) < 2:
        return None
    registry = metrics()
    spend = registry["infra.spend_rial"]
    columns = [report["metrics"][key] for key in COMPARED_BREAKDOWNS]
    rows = []
    for province in provinces:
        values = [column["value"].get(province.code, 0) for column in columns]
        scope = Scope(province=province.pk, province_code=province.code)
        values.append(spend.value(user, scope, period))
        if not any(values):
            continue
        units = [*(column["unit"] for column in columns), spend.unit]
        rows.append(
            {
                "province": province,
                "values": [
                    format_value(v, u, _persian()) for v, u in zip(values, units, strict=True)
                ],
            }
        )
    labels = [
        registry[key].label_fa if _persian() else registry[key].label_en for key in COMPARED_METRICS
    ]
    return {"labels": labels, "rows": rows}


def _file_stem(user, scope, report) -> str:
    """The downloaded report's name: the place and the period it shows. Without a province
    asked, the place is what the user sees (a Bushehr manager's report is Bushehr's, not
    Iran's): "iran" only for those who see the whole country."""
    described = report["scope"]
    if described["level"] == "park":
        where = f"{scope.province_code}-park-{described['code']}"
    elif described["code"]:
        where = described["code"]
    else:
        provinces = access_for(user).provinces(Action.VIEW)
        codes = (
            []
            if provinces is EVERYWHERE
            else Province.objects.filter(pk__in=provinces)
            .order_by("sort_key")
            .values_list("code", flat=True)
        )
        where = "-".join(codes) or "iran"
    period = report["period"]["key"].replace("..", "_")
    return f"shahrak-{where}-{period}"


def _xlsx(user, scope, report):
    return download(report_xlsx(report), f"{_file_stem(user, scope, report)}.xlsx")
