from django.shortcuts import render
from django.utils import timezone

from shahrak.accounts.access import provinces_for, provincial
from shahrak.accounts.choices import Action
from shahrak.core.errors import DomainError
from shahrak.core.forms import errors_text
from shahrak.core.jalali import JalaliPeriod, jalali_year_of
from shahrak.core.metrics import Scope
from shahrak.core.tables import download

from .exports import report_xlsx
from .formatting import breakdown_rows, figure_rows, format_value
from .forms import PeriodForm
from .registry import metrics
from .services import (
    build_report,
    effective_period,
    parse_period,
    press_wording,
    resolve_scope,
)

TREND_METRICS = ("units.operational", "exports.usd")
TREND_FROM = 1395
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
        return _xlsx(report)
    if request.GET.get("export") == "pdf":
        from .pdf import report_pdf

        pdf = report_pdf(report, _trend(request.user, scope, this_year))
        return download(pdf, f"{_file_stem(report)}.pdf", "application/pdf")
    cards = figure_rows(report)
    return render(
        request,
        "reports/dashboard.html",
        {
            "report": report,
            "cards": cards,
            "by_destination": breakdown_rows(report, "exports.usd_by_destination"),
            "by_sector": breakdown_rows(report, "units.operational_by_sector"),
            "by_park": breakdown_rows(report, "units.operational_by_park"),
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
        },
    )


@provincial
def trend(request):
    """The trend chart by Jalali year or half, loaded by the dashboard after its figures (it
    reads eleven years of records, so the figures need not wait for it)."""
    province = request.GET.get("province") or None
    scope, _described = resolve_scope(request.user, province=province)
    this_year = jalali_year_of(timezone.localdate())
    by_half = request.GET.get("by") == "half"
    trend = _trend(request.user, scope, this_year, by_half=by_half)
    # Nothing recorded: say so, rather than draw a chart of zeros.
    empty = not any(any(values) for key, values in trend.items() if key != "years")
    return render(
        request,
        "reports/trend.html",
        {"trend": trend, "empty": empty, "by_half": by_half, "province": province or ""},
    )


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


def _quick_periods(year):
    return [
        {"key": key, "label": JalaliPeriod.parse(key).label}
        for key in [str(year), f"{year}-H1", str(year - 1), f"{year - 1}-H1", f"{year - 1}-H2"]
    ]


def _trend(user, scope, this_year, *, by_half=False):
    """Units in operation and exports by Jalali year or half (the current one until today),
    for the chart: one query per metric."""
    today = timezone.localdate()
    years = range(TREND_FROM, this_year + 1)
    asked = (
        [JalaliPeriod.half(year, half) for year in years for half in (1, 2)]
        if by_half
        else [JalaliPeriod.year(year) for year in years]
    )
    asked = [period for period in asked if period.start <= today]
    periods = [effective_period(period, today) for period in asked]
    registry = metrics()
    series = {
        key: [float(value or 0) for value in registry[key].values(user, scope, periods)]
        for key in TREND_METRICS
    }
    return {
        "years": [period.key.replace("-H", "-") for period in asked],
        **{k.replace(".", "_"): v for k, v in series.items()},
    }


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
                "values": [format_value(v, u) for v, u in zip(values, units, strict=True)],
            }
        )
    labels = [registry[key].label_fa for key in COMPARED_METRICS]
    return {"labels": labels, "rows": rows}


def _file_stem(report) -> str:
    return f"shahrak-{report['scope']['code'] or 'iran'}-{report['period']['key']}"


def _xlsx(report):
    return download(report_xlsx(report), f"{_file_stem(report)}.xlsx")
