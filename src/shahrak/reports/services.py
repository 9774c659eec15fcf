"""A report: every metric for a scope and a Jalali period, with the same period last year."""

from decimal import Decimal

from django.http import Http404

from shahrak.accounts.choices import Action
from shahrak.accounts.policy import access_for
from shahrak.core.errors import DomainError
from shahrak.core.jalali import JalaliError, JalaliPeriod
from shahrak.core.metrics import Scope
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
            .filter(pk=park if str(park).isdigit() else 0)
            .first()
        )
        if found is None:
            raise Http404
        scope = Scope(park=found.pk, province_code=found.county.province.code)
        return scope, {"level": "park", "code": str(found.pk), "name_fa": found.name,
                       "name_en": found.name}  # fmt: skip
    if county:
        found = (
            County.objects.select_related("province")
            .filter(pk=county if str(county).isdigit() else 0)
            .first()
        )
        if found is None or not visible.can(Action.VIEW, found.province_id):
            raise Http404
        scope = Scope(county=found.pk, province_code=found.province.code)
        return scope, {"level": "county", "code": found.code,
                       "name_fa": f"شهرستان {found.name_fa}", "name_en": found.name_en}  # fmt: skip
    if not province:
        return Scope(), {"level": "nation", "code": None, "name_fa": "کل کشور", "name_en": "Iran"}
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


def parse_period(key: str) -> JalaliPeriod:
    try:
        return JalaliPeriod.parse(key)
    except JalaliError as error:
        raise DomainError(str(error), code="invalid_period", field="period") from error


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


def build_report(user, *, scope: Scope, scope_description: dict, period: JalaliPeriod) -> dict:
    previous_period = period.same_period_last_year()
    result = {}
    for key, metric in metrics().items():
        value = _plain(metric.compute(user, scope, period))
        previous = _plain(metric.compute(user, scope, previous_period))
        result[key] = {
            "value": value,
            "unit": metric.unit,
            "kind": metric.kind,
            "label_fa": metric.label_fa,
            "label_en": metric.label_en,
            "previous": previous,
            "change_pct": _change_pct(value, previous),
            "records_url": metric.records(scope, period) if metric.records else None,
        }
    return {
        "scope": scope_description,
        "period": {
            "key": period.key,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.label,
            "previous": previous_period.key,
        },
        "metrics": result,
    }
