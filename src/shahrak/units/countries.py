"""Export destinations: ISO 3166-1 countries with their Persian names, and the "Persian Gulf
countries" group the reports speak of."""

from functools import lru_cache

import pycountry
from django.conf import settings

PERSIAN_GULF = "persian-gulf"
# Exports leave Iran: it is never an export destination.
HOME = "IR"

# The Persian name of every ISO 3166-1 country, as Persian readers write it (pycountry's
# Persian catalogue is incomplete and in places wrong: it calls Sint Maarten German and
# leaves parts of names in English).
NAMES_FA = {
    "AD": "آندورا",
    "AE": "امارات متحده عربی",
    "AF": "افغانستان",
    "AG": "آنتیگوا و باربودا",
    "AI": "آنگویلا",
    "AL": "آلبانی",
    "AM": "ارمنستان",
    "AO": "آنگولا",
    "AQ": "جنوبگان",
    "AR": "آرژانتین",
    "AS": "ساموآی آمریکا",
    "AT": "اتریش",
    "AU": "استرالیا",
    "AW": "آروبا",
    "AX": "جزایر آلند",
    "AZ": "جمهوری آذربایجان",
    "BA": "بوسنی و هرزگوین",
    "BB": "باربادوس",
    "BD": "بنگلادش",
    "BE": "بلژیک",
    "BF": "بورکینافاسو",
    "BG": "بلغارستان",
    "BH": "بحرین",
    "BI": "بوروندی",
    "BJ": "بنین",
    "BL": "سن بارتلمی",
    "BM": "برمودا",
    "BN": "برونئی",
    "BO": "بولیوی",
    "BQ": "بونیر، سینت اوستاتیوس و سابا",
    "BR": "برزیل",
    "BS": "باهاما",
    "BT": "بوتان",
    "BV": "جزیرهٔ بووه",
    "BW": "بوتسوانا",
    "BY": "بلاروس",
    "BZ": "بلیز",
    "CA": "کانادا",
    "CC": "جزایر کوکوس (کیلینگ)",
    "CD": "جمهوری دموکراتیک کنگو",
    "CF": "جمهوری آفریقای مرکزی",
    "CG": "جمهوری کنگو",
    "CH": "سوئیس",
    "CI": "ساحل عاج",
    "CK": "جزایر کوک",
    "CL": "شیلی",
    "CM": "کامرون",
    "CN": "چین",
    "CO": "کلمبیا",
    "CR": "کاستاریکا",
    "CU": "کوبا",
    "CV": "کیپ‌ورد",
    "CW": "کوراسائو",
    "CX": "جزیرهٔ کریسمس",
    "CY": "قبرس",
    "CZ": "جمهوری چک",
    "DE": "آلمان",
    "DJ": "جیبوتی",
    "DK": "دانمارک",
    "DM": "دومینیکا",
    "DO": "جمهوری دومینیکن",
    "DZ": "الجزایر",
    "EC": "اکوادور",
    "EE": "استونی",
    "EG": "مصر",
    "EH": "صحرای غربی",
    "ER": "اریتره",
    "ES": "اسپانیا",
    "ET": "اتیوپی",
    "FI": "فنلاند",
    "FJ": "فیجی",
    "FK": "جزایر فالکلند",
    "FM": "ایالات فدرال میکرونزی",
    "FO": "جزایر فارو",
    "FR": "فرانسه",
    "GA": "گابن",
    "GB": "بریتانیا",
    "GD": "گرنادا",
    "GE": "گرجستان",
    "GF": "گویان فرانسه",
    "GG": "گرنزی",
    "GH": "غنا",
    "GI": "جبل‌الطارق",
    "GL": "گرینلند",
    "GM": "گامبیا",
    "GN": "گینه",
    "GP": "گوادلوپ",
    "GQ": "گینهٔ استوایی",
    "GR": "یونان",
    "GS": "جورجیای جنوبی و جزایر ساندویچ جنوبی",
    "GT": "گواتمالا",
    "GU": "گوام",
    "GW": "گینهٔ بیسائو",
    "GY": "گویان",
    "HK": "هنگ‌کنگ",
    "HM": "جزیرهٔ هرد و جزایر مک‌دونالد",
    "HN": "هندوراس",
    "HR": "کرواسی",
    "HT": "هائیتی",
    "HU": "مجارستان",
    "ID": "اندونزی",
    "IE": "ایرلند",
    "IL": "اسرائیل",
    "IM": "جزیرهٔ من",
    "IN": "هند",
    "IO": "قلمرو بریتانیا در اقیانوس هند",
    "IQ": "عراق",
    "IR": "ایران",
    "IS": "ایسلند",
    "IT": "ایتالیا",
    "JE": "جرزی",
    "JM": "جامائیکا",
    "JO": "اردن",
    "JP": "ژاپن",
    "KE": "کنیا",
    "KG": "قرقیزستان",
    "KH": "کامبوج",
    "KI": "کیریباتی",
    "KM": "کومور",
    "KN": "سنت کیتس و نویس",
    "KP": "کرهٔ شمالی",
    "KR": "کرهٔ جنوبی",
    "KW": "کویت",
    "KY": "جزایر کیمن",
    "KZ": "قزاقستان",
    "LA": "لائوس",
    "LB": "لبنان",
    "LC": "سنت لوسیا",
    "LI": "لیختن‌اشتاین",
    "LK": "سری‌لانکا",
    "LR": "لیبریا",
    "LS": "لسوتو",
    "LT": "لیتوانی",
    "LU": "لوکزامبورگ",
    "LV": "لتونی",
    "LY": "لیبی",
    "MA": "مراکش",
    "MC": "موناکو",
    "MD": "مولداوی",
    "ME": "مونته‌نگرو",
    "MF": "سن مارتن (بخش فرانسوی)",
    "MG": "ماداگاسکار",
    "MH": "جزایر مارشال",
    "MK": "مقدونیهٔ شمالی",
    "ML": "مالی",
    "MM": "میانمار",
    "MN": "مغولستان",
    "MO": "ماکائو",
    "MP": "جزایر ماریانای شمالی",
    "MQ": "مارتینیک",
    "MR": "موریتانی",
    "MS": "مونتسرات",
    "MT": "مالت",
    "MU": "موریس",
    "MV": "مالدیو",
    "MW": "مالاوی",
    "MX": "مکزیک",
    "MY": "مالزی",
    "MZ": "موزامبیک",
    "NA": "نامیبیا",
    "NC": "کالدونیای جدید",
    "NE": "نیجر",
    "NF": "جزیرهٔ نورفولک",
    "NG": "نیجریه",
    "NI": "نیکاراگوئه",
    "NL": "هلند",
    "NO": "نروژ",
    "NP": "نپال",
    "NR": "نائورو",
    "NU": "نیووی",
    "NZ": "نیوزیلند",
    "OM": "عمان",
    "PA": "پاناما",
    "PE": "پرو",
    "PF": "پلی‌نزی فرانسه",
    "PG": "پاپوآ گینهٔ نو",
    "PH": "فیلیپین",
    "PK": "پاکستان",
    "PL": "لهستان",
    "PM": "سن پیر و میکلون",
    "PN": "جزایر پیت‌کرن",
    "PR": "پورتوریکو",
    "PS": "فلسطین",
    "PT": "پرتغال",
    "PW": "پالائو",
    "PY": "پاراگوئه",
    "QA": "قطر",
    "RE": "رئونیون",
    "RO": "رومانی",
    "RS": "صربستان",
    "RU": "روسیه",
    "RW": "رواندا",
    "SA": "عربستان سعودی",
    "SB": "جزایر سلیمان",
    "SC": "سیشل",
    "SD": "سودان",
    "SE": "سوئد",
    "SG": "سنگاپور",
    "SH": "سنت هلنا، اسنشن و تریستان دا کونا",
    "SI": "اسلوونی",
    "SJ": "سوالبارد و یان ماین",
    "SK": "اسلواکی",
    "SL": "سیرالئون",
    "SM": "سان مارینو",
    "SN": "سنگال",
    "SO": "سومالی",
    "SR": "سورینام",
    "SS": "سودان جنوبی",
    "ST": "سائوتومه و پرینسیپ",
    "SV": "السالوادور",
    "SX": "سینت مارتن (بخش هلندی)",
    "SY": "سوریه",
    "SZ": "اسواتینی",
    "TC": "جزایر تورکس و کایکوس",
    "TD": "چاد",
    "TF": "سرزمین‌های جنوبی فرانسه",
    "TG": "توگو",
    "TH": "تایلند",
    "TJ": "تاجیکستان",
    "TK": "توکلائو",
    "TL": "تیمور شرقی",
    "TM": "ترکمنستان",
    "TN": "تونس",
    "TO": "تونگا",
    "TR": "ترکیه",
    "TT": "ترینیداد و توباگو",
    "TV": "تووالو",
    "TW": "تایوان",
    "TZ": "تانزانیا",
    "UA": "اوکراین",
    "UG": "اوگاندا",
    "UM": "جزایر کوچک حاشیه‌ای ایالات متحده",
    "US": "ایالات متحدهٔ آمریکا",
    "UY": "اروگوئه",
    "UZ": "ازبکستان",
    "VA": "واتیکان",
    "VC": "سنت وینسنت و گرنادین",
    "VE": "ونزوئلا",
    "VG": "جزایر ویرجین بریتانیا",
    "VI": "جزایر ویرجین ایالات متحده",
    "VN": "ویتنام",
    "VU": "وانواتو",
    "WF": "والیس و فوتونا",
    "WS": "ساموآ",
    "YE": "یمن",
    "YT": "مایوت",
    "ZA": "آفریقای جنوبی",
    "ZM": "زامبیا",
    "ZW": "زیمبابوه",
}

# English names where ISO's are official or inverted ("Virgin Islands, British").
NAMES_EN = {
    "CD": "Democratic Republic of the Congo",
    "FM": "Micronesia",
    "PS": "Palestine",
    "RU": "Russia",
    "BN": "Brunei",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
}


def persian_gulf_countries() -> frozenset[str]:
    return frozenset(settings.SHAHRAK_PERSIAN_GULF_COUNTRIES)


def is_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=(code or "").upper()) is not None


def is_export_destination(code: str) -> bool:
    return is_country(code) and code.upper() != HOME


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    from shahrak.core.text import search_key

    codes = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for name in (code, country.name, country_name(code, False), country_name(code)):
            codes[search_key(name)] = code
    return codes


def country_code(text: str) -> str | None:
    """The ISO code of a country written as its code (OM), its Persian name (عمان) or its
    English name (Oman), as a workbook Shahrak wrote names it; None when none matches."""
    from shahrak.core.text import search_key

    return _codes_by_name().get(search_key(text))


def country_name(code: str, persian: bool = True) -> str:
    if code == PERSIAN_GULF:
        return "کشورهای حوزهٔ خلیج فارس" if persian else "Persian Gulf countries"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    if not persian:
        return NAMES_EN.get(country.alpha_2) or getattr(country, "common_name", country.name)
    return NAMES_FA.get(country.alpha_2, code)


def country_choices():
    """(code, name) of every export destination, named and sorted in the page's language."""
    from django.utils.translation import get_language

    from shahrak.core.text import fa_sort_key

    persian = (get_language() or "fa").startswith("fa")
    pairs = [
        (c.alpha_2, country_name(c.alpha_2, persian))
        for c in pycountry.countries
        if c.alpha_2 != HOME
    ]
    return sorted(pairs, key=lambda pair: fa_sort_key(pair[1]) if persian else pair[1])
