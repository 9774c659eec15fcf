"""Template filters for Persian display, available in every template (a builtin).

{{ value|num }}            ۱٬۵۰۰ (Persian digits when the page is Persian)
{{ value|num:1 }}          ۱٬۵۰۰٫۵
{{ date|jdate }}           ۱۴۰۱/۰۶/۳۱
{{ dt|jdatetime }}         ۱۴۰۱/۰۶/۳۱، ساعت ۱۴:۰۵
{{ rial|toman }}           ۹۵ میلیارد تومان (a report's figure: the scale word fits the amount)
{{ rial|million_toman }}   ۱۸٬۳۳۳٫۳ میلیون تومان (a project's money: one unit everywhere)
{{ text|fa_digits }}       digits of any text in Persian, but Latin words keep theirs
{{ name|bdi }}             <bdi>name</bdi>: user text isolated from the page around it
{{ name|isolate }}         the same as plain text (FSI name PDI), for <title> and attributes
{% comma %}               a list's separator in the page's language: «، » / ", "

Text users typed (names, titles, notes, products, history values) is isolated wherever a page
shows it, so that its direction (a Latin name in a Persian page, a stray U+202E) never leaks
into what follows it: `bdi` in the body (table cells get it from `cell`), `isolate` in the
page's <title>, and `core.text.isolate` in titles and messages built in Python. Both drop the
direction controls the text itself holds (records stored before normalize_fa dropped them).
"""

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from ..jalali import format_jalali
from ..numbers import format_million_toman, format_number, format_toman
from ..text import fa_digits_outside_latin, strip_bidi_controls
from ..text import isolate as isolate_text

register = template.Library()


def _persian() -> bool:
    return (get_language() or "fa").startswith("fa")


@register.filter(is_safe=True)  # only digits change: safe text stays safe
def fa_digits(value):
    if value is None:
        return ""
    return fa_digits_outside_latin(value) if _persian() else str(value)


@register.filter
def errors_fa(errors):
    """A field's errors as one line, with Persian digits as the rest of the page (Django's
    own messages put ASCII numbers in Persian text: «بزرگتر و یا مساوی 0»). Lists of
    errors rendered whole ({{ field.errors }}) do the same through
    templates/django/forms/errors/list/ul.html."""
    return " ".join(fa_digits(error) for error in errors)


@register.filter(is_safe=True)
def bdi(value):
    """User text in a <bdi> element, without direction controls of its own."""
    if value is None or value == "":
        return ""
    return mark_safe(f"<bdi>{strip_bidi_controls(conditional_escape(value))}</bdi>")


@register.filter
def isolate(value):
    """User text as plain isolated text (FSI … PDI), for <title> and attributes."""
    return isolate_text(value)


@register.simple_tag
def comma():
    """Between the items of a list («دشتستان، بوشهر» / "Dashtestan, Bushehr")."""
    return "، " if _persian() else ", "


@register.filter
def num(value, decimals=0):
    if value in (None, ""):
        return ""
    return format_number(value, decimals=int(decimals), persian=_persian())


@register.filter
def jdate(value):
    return format_jalali(value, persian=_persian())


@register.filter
def jdatetime(value):
    if not value:
        return ""
    local = timezone.localtime(value)
    # «۱۴۰۵/۰۹/۰۵، ساعت ۱۱:۵۱»: with only a space between them the date and the time run
    # together into one left-to-right number in a Persian line, the time read first.
    text = gettext("%(date)s at %(time)s") % {
        "date": format_jalali(local, persian=False),
        "time": f"{local:%H:%M}",
    }
    return fa_digits(text)


@register.filter
def filesize(size):
    """A file's size in the page's language and digits («۱٫۲ مگابایت»)."""
    from shahrak.core.uploads import file_size

    return "" if size in (None, "") else file_size(int(size))


@register.filter
def toman(rial):
    if rial in (None, ""):
        return ""
    return format_toman(int(rial), persian=_persian())


@register.filter
def million_toman(rial):
    if rial in (None, ""):
        return ""
    return format_million_toman(int(rial))


@register.filter
def cell(value):
    """Any table value as the Persian UI shows it: numbers grouped, dates Jalali, digits Persian."""
    import datetime as dt
    from decimal import Decimal

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return jdatetime(value)
    if isinstance(value, dt.date):
        return jdate(value)
    if isinstance(value, Decimal | float):
        # As many decimals as the value has (no trailing zeros), at most two: ۱۸٬۳۳۳٫۳
        exponent = Decimal(str(value)).normalize().as_tuple().exponent
        return num(value, min(max(-exponent, 0), 2))
    if isinstance(value, int):
        return num(value)
    return bdi(fa_digits(value))  # text (a name, a code) is isolated from its neighbours


@register.filter
def applied_hidden(form):
    """The hidden filters a link applied to a list (a report's "in operation on <date>"), as
    (label, value shown) pairs, so the reader sees why the list is what it is."""
    if not form.is_bound or not form.is_valid():
        return []
    applied = []
    for field in form.hidden_fields():
        value = form.cleaned_data.get(field.name)
        if value in (None, ""):
            continue
        names = dict(getattr(field.field, "choices", None) or [])
        if isinstance(value, bool):  # a yes/no filter, as the tables say it
            applied.append((field.label, gettext("Yes") if value else gettext("No")))
            continue
        try:
            shown = names.get(value) or cell(value)
        except ValueError:  # a date the Jalali calendar cannot show (before the year 622)
            shown = str(value)
        applied.append((field.label, shown))
    return applied


@register.simple_tag(takes_context=True)
def query_without_hidden(context, form):
    """The page's own query string less the hidden filters of `form` (and the page number):
    the "show all" link of a list that a report's link narrowed."""
    from django.template.defaulttags import querystring

    dropped = {field.html_name: None for field in form.hidden_fields()}
    return querystring(context, page=None, **dropped)
