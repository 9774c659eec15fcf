"""Export destinations: ISO 3166-1 countries (pycountry), with Persian names, and the
"Persian Gulf countries" group the reports speak of."""

import gettext
from functools import cache

import pycountry
from django.conf import settings

PERSIAN_GULF = "persian-gulf"
# Where pycountry's Persian catalogue has a form our readers would not use.
PERSIAN_NAMES = {
    "RU": "روسیه",
    "UA": "اوکراین",
    "IN": "هند",
    "TR": "ترکیه",
    "DE": "آلمان",
    "US": "آمریکا",
    "GB": "بریتانیا",
}


def persian_gulf_countries() -> frozenset[str]:
    return frozenset(settings.SHAHRAK_PERSIAN_GULF_COUNTRIES)


def is_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=(code or "").upper()) is not None


@cache
def _fa():
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fa"])


def country_name(code: str, persian: bool = True) -> str:
    if code == PERSIAN_GULF:
        return "کشورهای حوزهٔ خلیج فارس" if persian else "Persian Gulf countries"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    if not persian:
        return getattr(country, "common_name", country.name)
    return PERSIAN_NAMES.get(code) or _fa().gettext(country.name)


def country_choices():
    """(code, name) of every country, named and sorted in the page's language."""
    from django.utils.translation import get_language

    from shahrak.core.text import fa_sort_key

    persian = (get_language() or "fa").startswith("fa")
    pairs = [(c.alpha_2, country_name(c.alpha_2, persian)) for c in pycountry.countries]
    return sorted(pairs, key=lambda pair: fa_sort_key(pair[1]) if persian else pair[1])
