"""A report: every metric for a scope and a Jalali period, with the same period last year."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shahrak.accounts.access import require_access
from shahrak.accounts.choices import Action
from shahrak.accounts.policy import EVERYWHERE, access_for
from shahrak.core.errors import DomainError, StaleEditError
from shahrak.core.forms import id_param
from shahrak.core.jalali import JalaliError, JalaliPeriod, format_jalali, jalali_year_of
from shahrak.core.metrics import Scope, sharing
from shahrak.core.models import save_versioned
from shahrak.core.text import join_fa, to_fa_digits
from shahrak.places.models import Province

from .registry import metrics


def resolve_scope(user, *, province=None, county=None, park=None) -> tuple[Scope, dict]:
    """The scope a user asked for (province code, county or park id); one they may not see
    answers 404, as if it did not exist."""
    from shahrak.parks.models import Park
    from shahrak.places.models import County

    visible = access_for(user)
    if park:
        found = (
            Park.objects.restrict(user)
            .select_related("county__province")
            .filter(pk=id_param(park) or 0)
            .first()
        )
        if found is None:
            raise Http404
        scope = Scope(park=found.pk, province_code=found.county.province.code)
        return scope, {"level": "park", "code": str(found.pk), "name_fa": found.name,
                       "name_en": found.name}  # fmt: skip
    if county:
        found = County.objects.select_related("province").filter(pk=id_param(county) or 0).first()
        if found is None or not visible.can(Action.VIEW, found.province_id):
            raise Http404
        scope = Scope(county=found.pk, province_code=found.province.code)
        return scope, {"level": "county", "code": found.code,
                       "name_fa": f"شهرستان {found.name_fa}", "name_en": found.name_en}  # fmt: skip
    if not province:
        return _everything_visible(visible)
    found = Province.objects.filter(code=province).first()
    if found is None or not visible.can(Action.VIEW, found.pk):
        raise Http404
    description = {
        "level": "province",
        "code": found.code,
        "name_fa": found.name_fa,
        "name_en": found.name_en,
    }
    return Scope(province=found.pk, province_code=found.code), description


def _everything_visible(visible) -> tuple[Scope, dict]:
    """No scope asked: the whole country for those who see it; else what the user sees, named
    as it is (a provincial manager's "everything" is their province, not "کل کشور")."""
    provinces = visible.provinces(Action.VIEW)
    if provinces is EVERYWHERE:
        return Scope(), {"level": "nation", "code": None, "name_fa": "کل کشور", "name_en": "Iran"}
    seen = list(Province.objects.filter(pk__in=provinces).order_by("sort_key"))
    name_fa = join_fa([p.name_fa for p in seen])
    name_en = ", ".join(p.name_en for p in seen)
    # What one province's manager sees is that province: its press wording applies, and its
    # figures link to its records, as when it is asked by name.
    scope = Scope(province=seen[0].pk, province_code=seen[0].code) if len(seen) == 1 else Scope()
    return scope, {"level": "nation", "code": None,
                     "name_fa": name_fa or "سوابق در دسترس شما",
                     "name_en": name_en or "Records you may see"}  # fmt: skip


# The years a report may speak of: from the start of the records (its "since the start"
# and "last year" stay inside the calendar), and before a year nobody will ask.
REPORT_YEARS = (1300, 1499)


def _year_shown(year: int) -> str:
    return to_fa_digits(year) if (get_language() or "fa").startswith("fa") else str(year)


def parse_period(key: str) -> JalaliPeriod:
    first, last = REPORT_YEARS
    try:
        period = JalaliPeriod.parse(key)
    except JalaliError as error:
        raise DomainError(str(error), code="invalid_period", field="period") from error
    except (ValueError, OverflowError):  # a year beyond the calendar's
        period = None
    if period is None or not (first <= period.first[0] and period.last[0] <= last):
        raise DomainError(
            _("Period: a report's years lie between %(first)s and %(last)s.")
            % {"first": _year_shown(first), "last": _year_shown(last)},
            code="invalid_period", field="period",
        )  # fmt: skip
    return period


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _change_pct(value, previous):
    if isinstance(value, dict) or value is None or not previous:
        return None
    return round(float((Decimal(str(value)) - Decimal(str(previous))) / Decimal(str(previous)))
                 * 100, 1)  # fmt: skip


# "Since the start": before any record Shahrak holds.
RECORDS_BEGIN = (1300, 1, 1)


def effective_period(period: JalaliPeriod, today: dt.date) -> JalaliPeriod:
    """A period not over yet is cut at today, so that it is compared with the same stretch
    of last year, not with the whole of it."""
    return period.to_date(today) if period.start <= today < period.end else period


def _records_url(user, metric, scope: Scope, period: JalaliPeriod) -> str | None:
    """The list of the records behind a figure, if the user may open that list (asked of
    its route's access declaration): a figure never links where its reader may not go."""
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    from shahrak.accounts.access import declaration_of, has_any_access

    url = metric.records(scope, period) if metric.records else None
    if url is None:
        return None
    try:
        declaration = declaration_of(resolve(urlsplit(url).path).func)
    except Resolver404:
        return None
    if declaration is None:
        return None
    if declaration.kind == "scoped" and not has_any_access(
        user, declaration.model, declaration.action
    ):
        return None
    return url


def build_report(
    user, *, scope: Scope, scope_description: dict, period: JalaliPeriod, today=None
) -> dict:
    """Every metric for the scope and period, each with the same period last year, and for
    flows also the year to date and the total since the start of the records."""
    today = today or timezone.localdate()
    asked, period = period, effective_period(period, today)
    previous_period = period.same_period_last_year()
    year_to_date = JalaliPeriod.year_to(period.end)
    since_start = JalaliPeriod(RECORDS_BEGIN, period.last, "range")
    stock_periods = [period, previous_period]
    flow_periods = [*stock_periods, year_to_date, since_start]
    result = {}
    with sharing():
        computed = {
            key: metric.values(
                user, scope, flow_periods if metric.kind == "flow" else stock_periods
            )
            for key, metric in metrics().items()
        }
    for key, metric in metrics().items():
        values = [_plain(value) for value in computed[key]]
        value, previous = values[:2]
        result[key] = {
            "value": value,
            "unit": metric.unit,
            "kind": metric.kind,
            "label_fa": metric.label_fa,
            "label_en": metric.label_en,
            "previous": previous,
            "change_pct": _change_pct(value, previous),
            "year_to_date": values[2] if metric.kind == "flow" else None,
            "cumulative": values[3] if metric.kind == "flow" else None,
            "records_url": _records_url(user, metric, scope, period),
            # A flow's year to date and total since the start open their records too.
            "year_to_date_records_url": _records_url(user, metric, scope, year_to_date)
            if metric.kind == "flow" else None,
            "cumulative_records_url": _records_url(user, metric, scope, since_start)
            if metric.kind == "flow" else None,
        }  # fmt: skip
        if metric.is_breakdown:
            keys = {k for found in values for k in found}
            result[key]["names"] = metric.names(sorted(keys))
            result[key]["by"] = metric.by or None
    cut = period != asked
    until_fa = format_jalali(period.end)
    return {
        "scope": scope_description,
        "period": {
            "key": asked.key,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": f"{asked.label} تا {until_fa}" if cut else asked.label,
            "previous": previous_period.key,
            "until": period.end.isoformat() if cut else None,
            "year_to_date": {
                "key": year_to_date.key,
                "start": year_to_date.start.isoformat(),
                "label": f"از ابتدای سال {to_fa_digits(year_to_date.first[0])} تا {until_fa}",
            },
            "since_start": {"key": since_start.key, "label": f"از آغاز تا {until_fa}"},
        },
        "metrics": result,
    }


# --- the trend: the figures by year or half-year up to the period asked -----------------------
TREND_METRICS = ("units.operational", "exports.usd")
TREND_YEARS_BEFORE = 5  # the period's own years and the five before them
TREND_MAX_YEARS = 11  # a long range shows its last eleven years


def trend_periods(period: JalaliPeriod, today: dt.date, *, by_half=False):
    """The years (or halves) a trend of `period` draws, each cut at the period's end or at
    today, whichever is sooner: [(the whole year or half, the stretch counted), …]. A cut
    one is *partial*: its figures are not those of a whole year and must be drawn so."""
    until = min(period.end, today)
    last_year = jalali_year_of(until)
    first_year = max(period.first[0] - TREND_YEARS_BEFORE, last_year - TREND_MAX_YEARS + 1)
    years = range(min(first_year, last_year), last_year + 1)
    whole = (
        [JalaliPeriod.half(year, half) for year in years for half in (1, 2)]
        if by_half
        else [JalaliPeriod.year(year) for year in years]
    )
    return [(each, each.to_date(until)) for each in whole if each.start <= until]


def _trend_label(whole: JalaliPeriod) -> str:
    return whole.key.replace("-H", "-")


def build_trend(user, scope: Scope, period: JalaliPeriod, *, by_half=False, today=None) -> dict:
    """Units in operation and exports by Jalali year or half, up to the end of `period` (or
    today): one query per metric. Years before the first record in the scope are left out
    (they would read as a rise from nothing); a year not over is marked `partial`."""
    today = today or timezone.localdate()
    found = trend_periods(period, today, by_half=by_half)
    registry = metrics()
    counted = [cut for _whole, cut in found]
    with sharing():
        series = {
            key: [float(value or 0) for value in registry[key].values(user, scope, counted)]
            for key in TREND_METRICS
        }
    first = next(
        (i for i in range(len(found)) if any(values[i] for values in series.values())),
        len(found) - 1,
    )
    found = found[first:]
    series = {key: values[first:] for key, values in series.items()}
    persian = (get_language() or "fa").startswith("fa")
    labels, partial, note = [], [], ""
    for whole, cut in found:
        label = _trend_label(whole)
        if cut == whole:
            labels.append(label)
            partial.append(False)
            continue
        named = whole.label if persian else whole.label_en
        if cut.end == today:
            until = _("(to date)")
            note = _(
                "A hatched bar and a dashed line mark %(period)s, which is not over: it is "
                "counted until today, not for the whole of it."
            ) % {"period": named}
        else:
            shown = format_jalali(cut.end, persian=False)
            until = _("(to %(date)s)") % {"date": shown}
            note = _(
                "A hatched bar and a dashed line mark %(period)s, counted only until %(date)s "
                "(the end of the period asked), not for the whole of it."
            ) % {"period": named, "date": format_jalali(cut.end, persian=persian)}
        labels.append([label, until])
        partial.append(True)
    return {
        "years": [_trend_label(whole) for whole, _cut in found],
        "labels": labels,
        "partial": partial,
        "note": note,
        **{key.replace(".", "_"): values for key, values in series.items()},
    }


# --- the press paragraph's wording ----------------------------------------------------------
def press_wording(province_code: str | None) -> dict[str, str | None]:
    """Sentence key → wording (None: left out) where a manager replaced the default: the
    province's own wording, else the national one."""
    from .models import PressSentence

    rows = (
        PressSentence.objects.active()
        .filter(Q(province=None) | Q(province__code=province_code or ""))
        .order_by()  # sorted below; the model's ordering would join the provinces again
    )
    found = {}
    for row in sorted(rows, key=lambda row: row.province_id is not None):  # province wins
        found[row.key] = None if row.omitted else row.text
    return found


def _tidy(text: str) -> str:
    # Prose keeps its marks (ٔ, ؤ): only the Arabic-keyboard letters and spacing are fixed.
    return " ".join(text.replace("ي", "ی").replace("ك", "ک").split())


def _require_editor(actor, province) -> None:
    from .models import EDITORS

    require_access(
        actor, Action.CHANGE, province.pk if province else None, roles=EDITORS,
        message=_("Only a manager of the province may change its press sentences."),
    )  # fmt: skip


@transaction.atomic
def press_sentence_save(*, actor, key: str, province, text: str, omitted: bool = False,
                        expected_version: int | None = None):  # fmt: skip
    """Replace the wording of sentence `key` for `province` (None: the whole country).
    `expected_version` is the version the editor saw (None: they saw no wording of their own)."""
    from .models import PressSentence
    from .press import SENTENCE_KEYS, TemplateError, check_template

    sentence = SENTENCE_KEYS.get(key)
    if sentence is None:
        raise DomainError(_("No such sentence."), code="unknown_sentence", field="key")
    _require_editor(actor, province)
    text = _tidy(text)
    if not omitted:
        try:
            check_template(sentence, text)
        except TemplateError as error:
            raise DomainError(str(error), code="invalid_template", field="text") from error
    current = (
        # No ordering: ordering by province would outer-join it, which PostgreSQL cannot lock.
        PressSentence.objects.active().select_for_update()
        .filter(key=key, province=province).order_by("pk").first()
    )  # fmt: skip
    if current is None:
        if expected_version is not None:
            raise StaleEditError()
        return PressSentence.objects.create(key=key, province=province, text=text, omitted=omitted)
    if expected_version is None:
        expected_version = -1  # they edited the default while someone saved a wording: refuse
    current.text, current.omitted = text, omitted
    save_versioned(current, expected_version=expected_version, update_fields=["text", "omitted"])
    return current


@transaction.atomic
def press_sentence_restore_default(*, actor, key: str, province) -> None:
    """Go back to the default wording: the province's own is archived (kept, audited)."""
    from .models import PressSentence

    _require_editor(actor, province)
    for row in PressSentence.objects.active().filter(key=key, province=province):
        row.archive(actor=actor)
