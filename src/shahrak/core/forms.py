"""Form fields every Shahrak form uses: Jalali dates and normalised Persian text."""

import re
from decimal import Decimal

from django import forms
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .jalali import JalaliError, format_jalali, parse_jalali_date
from .numbers import RIALS_PER_MILLION_TOMAN, localized, rial_to_million_toman
from .text import (
    fa_digits_outside_latin,
    normalize_fa,
    search_key,
    to_ascii_digits,
    to_fa_digits,
)

# The integers a query may carry (ids, filter values): the signed 64-bit range every database
# stores. A larger one would reach the database driver (SQLite: OverflowError) and is refused
# as invalid input instead.
QUERY_INT_MIN, QUERY_INT_MAX = -(2**63), 2**63 - 1


def id_param(value) -> int | None:
    """A record id given in a URL (`?county=12`, in any digits), or None when it is not one:
    empty, not a whole number, or beyond what a database holds."""
    text = to_ascii_digits(str(value or "")).strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= QUERY_INT_MAX else None


def _persian() -> bool:
    return (get_language() or "fa").startswith("fa")


_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


class JalaliDateInput(forms.TextInput):
    """A text box the Jalali date picker attaches to (data-jdp); shows the date in Jalali."""

    def __init__(self, attrs=None):
        base = {"data-jdp": "", "autocomplete": "off", "inputmode": "numeric", "dir": "ltr"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if value and not isinstance(value, str):
            return format_jalali(value)
        if value and (iso := _iso_date(value)) is not None:
            return format_jalali(iso)  # a report's link (2022-03-21) shown as ۱۴۰۱/۰۱/۰۱
        if value:
            try:  # a link's or a typed Jalali date (1401/1/1) as the pages write one
                return format_jalali(parse_jalali_date(value))
            except (JalaliError, ValueError, TypeError):
                return value  # not a date: shown as typed, beside its error
        return value


def _iso_date(text: str):
    """The Gregorian date of an ISO date as the report figures' links give it (2022-03-21),
    else None (a Jalali date such as 1401-01-01 is not one: its year is before 1700)."""
    import datetime as dt

    plain = to_ascii_digits(text).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", plain) or int(plain[:4]) < 1700:
        return None
    try:
        return dt.date.fromisoformat(plain)
    except ValueError:
        return None


class NumberTextInput(forms.TextInput):
    """Numbers in a text box: <input type=number> refuses Persian digits, which is what a
    Persian keyboard types. The field's cleaning accepts Persian, Arabic and ASCII digits."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "dir": "ltr", **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if not isinstance(value, str):
            return value
        # ۱۲٬۵۰۰٫۵ → 12500.5 (Persian thousands and decimal separators, any digits)
        value = to_ascii_digits(value).replace("٫", ".").replace("٬", "").replace(",", "")
        return value.strip()

    def format_value(self, value):
        """A stored number as the reader reads it: ۱۲٬۵۰۰٫۵ in the Persian UI (no trailing
        zeros); what the user typed (read as 12500.5) is shown back in the same digits,
        ۱۲۵۰۰٫۵ in the Persian UI."""
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return localized(value, max_decimals=12)
        if isinstance(value, str) and _persian():
            return to_fa_digits(_DECIMAL_POINT.sub("٫", value))
        return super().format_value(value)


class MillionTomanField(forms.Field):
    """Money typed in million toman (the unit is added to the label), cleaned to whole rials,
    as money is stored. The value it is given (a record's, in rial) is shown in million
    toman: ۱۸٬۳۳۳٫۳۳۳۳۳۳۳ for 183,333,333,333 rial, exactly, so that saving the form
    unchanged changes nothing."""

    widget = NumberTextInput
    default_error_messages = {
        "invalid": _("Enter an amount in million toman, such as 18,500 or 0.75."),
        "negative": _("The amount cannot be negative."),
        "too_precise": _("An amount in million toman has at most seven decimals (one rial)."),
    }

    def __init__(self, *, label=None, **kwargs):
        if label is not None:
            label = format_lazy("{} ({})", label, _("million toman"))
        super().__init__(label=label, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            amount = Decimal(str(value).strip())
        except ArithmeticError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        if not amount.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if amount < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        rial = amount * RIALS_PER_MILLION_TOMAN
        if rial != rial.to_integral_value():
            raise forms.ValidationError(self.error_messages["too_precise"], code="too_precise")
        return int(rial)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return rial_to_million_toman(value)
        return value


class JalaliDateField(forms.DateField):
    """Entered as ۱۴۰۱/۰۶/۳۱ or 1401/06/31; cleaned to a Gregorian `date`."""

    widget = JalaliDateInput
    default_error_messages = {"invalid": _("Enter a Jalali date such as 1401/06/31.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value
        try:
            return parse_jalali_date(str(value))
        except JalaliError as error:
            raise forms.ValidationError(str(error), code="invalid") from error


# The first option of a choice list: a required choice is never preselected, so a form left
# alone records nothing rather than the first item of the list (or a model's default).
CHOOSE = _("Choose…")
NO_CHOICE = "—"  # the empty option of an optional choice: "none"


def prompted(choices, *, required: bool = True):
    """`choices` (a list or a callable giving one) behind an empty first option: a prompt
    for a required choice, a dash for an optional one."""
    if callable(choices):
        return lambda: prompted(choices(), required=required)
    first = ("", CHOOSE if required else NO_CHOICE)
    return [first, *[choice for choice in choices if choice[0] not in ("", None)]]


def start_empty(field: forms.Field) -> forms.Field:
    """Make a choice field start on its empty option (the prompt when it is required)."""
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = CHOOSE if field.required else NO_CHOICE
    elif isinstance(field, forms.ChoiceField):
        field.choices = prompted(field.choices, required=field.required)
    field.initial = None
    field.show_hidden_initial = False
    return field


class DatalistInput(forms.TextInput):
    """A text box that suggests its field's choices as the user types (an <input list> with
    a <datalist> of the choices' labels): a long list, such as a province's units, is
    searched rather than scrolled."""

    template_name = "django/forms/widgets/datalist.html"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", **(attrs or {})})
        self.choices = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["list_id"] = f"{widget['attrs'].get('id') or name}-choices"
        widget["attrs"]["list"] = widget["list_id"]
        widget["labels"] = [label for key, label in self.choices if key not in ("", None)]
        return context


class SearchableModelChoiceField(forms.ModelChoiceField):
    """A choice among many records, typed with suggestions (`DatalistInput`): the text is
    matched to a record's label (any digits, ی/ي, spaces as typed); a record's id, as a link
    that fills the form in gives it, is accepted too."""

    widget = DatalistInput
    default_error_messages = {
        "invalid_choice": _("None of the suggestions is called that: type part of the name "
                            "and choose one of the suggestions."),
        "ambiguous": _("Several records are called that: choose one of the suggestions."),
    }  # fmt: skip

    def label_from_instance(self, obj):
        label = super().label_from_instance(obj)
        return fa_digits_outside_latin(label) if _persian() else label

    def prepare_value(self, value):
        if value in self.empty_values:
            return ""
        if isinstance(value, models.Model):
            return self.label_from_instance(value)
        record = self._by_id(value)
        return self.label_from_instance(record) if record is not None else value

    def _by_id(self, value):
        pk = id_param(value)
        return None if pk is None else self.queryset.filter(pk=pk).first()

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = search_key(str(value))
        found = [obj for obj in self.queryset if search_key(self.label_from_instance(obj)) == key]
        if len(found) > 1:
            raise forms.ValidationError(self.error_messages["ambiguous"], code="ambiguous")
        if not found:
            found = [record] if (record := self._by_id(value)) is not None else []
        if not found:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return found[0]

    def has_changed(self, initial, data):
        return self.prepare_value(initial) != (data or "")


STALE_PAGE = _(
    "This page is out of date: it did not say which version of the record you were "
    "editing. Nothing was saved: reload the page and make your change again."
)


class VersionField(forms.IntegerField):
    """The version of the record an edit form was opened at, sent back hidden. An edit
    posted without it (an old or altered page) is refused — never saved over whatever the
    record holds now; the form keeps what was typed."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": STALE_PAGE,
        "invalid": STALE_PAGE,
        "min_value": STALE_PAGE,
        "max_value": STALE_PAGE,
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", QUERY_INT_MAX)
        super().__init__(**kwargs)


class PersianCharField(forms.CharField):
    """A text field whose value is stored in normalised Persian (ی/ک, digits, spaces)."""

    def to_python(self, value):
        return normalize_fa(super().to_python(value))

    def prepare_value(self, value):
        # Shown with Persian digits (but in Latin words) where a Persian reader reads it;
        # posted back in any digits, it is stored with ASCII digits by to_python.
        if isinstance(value, str) and _persian():
            return fa_digits_outside_latin(value)
        return value


def persian_formfield(field: models.Field, **kwargs):
    """`formfield_callback` for model forms: Jalali dates and normalised text everywhere."""
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return field.formfield(form_class=JalaliDateField, **kwargs)
    if isinstance(field, models.CharField | models.TextField) and not field.choices:
        return field.formfield(form_class=PersianCharField, **kwargs)
    if field.choices or isinstance(field, models.ForeignKey):
        # A model's default is not a choice the user made: every choice starts empty.
        formfield = field.formfield(**kwargs)
        return start_empty(formfield) if formfield is not None else None
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        kwargs.setdefault("widget", NumberTextInput)
    return field.formfield(**kwargs)


class ShahrakModelForm(forms.ModelForm):
    """Base of every model form: Jalali date fields and normalised Persian text."""

    def __init_subclass__(cls, **kwargs):
        # Django reads formfield_callback from each form's own Meta; give every Meta ours.
        meta = getattr(cls, "Meta", None)
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(persian_formfield)
        super().__init_subclass__(**kwargs)


def errors_text(form) -> list[str]:
    """A form's errors as lines that name their field: «از تاریخ: …», with Persian digits
    outside Latin text on a Persian page."""
    lines = [
        f"{form.fields[name].label}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    ]
    return [fa_digits_outside_latin(line) for line in lines] if _persian() else lines


def apply_domain_error(form, error) -> None:
    """Show a service's refusal on the form: on its field when it names one."""
    field = getattr(error, "field", None)
    message = str(getattr(error, "message", error))
    form.add_error(field if field in form.fields else None, message)
