"""What every list's FilterSet shares: a list whose filters cannot all be applied lists
nothing (the form says why, beside the field), and the fields that read Persian input."""

import datetime as dt

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField

from .forms import QUERY_INT_MAX, QUERY_INT_MIN, JalaliDateField


class JalaliDateFilter(django_filters.DateFilter):
    field_class = JalaliDateField


# The largest difference from UTC any clock keeps (UTC+14, the Line Islands).
MAX_UTC_OFFSET = dt.timedelta(hours=14)


class UtcIsoDateTimeField(IsoDateTimeField):
    """A moment in ISO 8601, given to the database in UTC: an offset no clock uses
    (`-22:04`, which PostgreSQL refuses) or a moment beyond the calendar is invalid input."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        offset = moment.utcoffset()
        try:
            if offset is not None and abs(offset) > MAX_UTC_OFFSET:
                raise ValueError
            return moment.astimezone(dt.UTC)
        except (ValueError, OverflowError) as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class StrictFilterSet(django_filters.FilterSet):
    """A list whose filters cannot all be applied shows nothing (the form says why), never
    the unfiltered records as if they were the answer. A number beyond what the database
    holds (`?county=99999999999999999999`) or a moment with an impossible offset is such a
    filter: refused by the form (a 400 in the API), never sent to the database."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.NumberFilter):
                filter_.extra.setdefault("min_value", QUERY_INT_MIN)
                filter_.extra.setdefault("max_value", QUERY_INT_MAX)
            if isinstance(filter_, django_filters.IsoDateTimeFilter):
                filter_.field_class = UtcIsoDateTimeField

    @property
    def form(self):
        """The filter form without the drop-downs that offer nothing but «همه» (a unit's
        representative sees no province or county to choose): a filter with no real choice
        is not shown. One given in the query is kept, to be validated."""
        form = super().form
        if not getattr(self, "_pruned", False):
            self._pruned = True
            for name, field in list(form.fields.items()):
                if not isinstance(field, forms.ChoiceField) or field.widget.is_hidden:
                    continue
                if name in self.data:
                    continue
                if not any(value not in ("", None) for value, _label in field.choices):
                    del form.fields[name]
        return form

    def filter_queryset(self, queryset):
        if self.is_bound and not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)


# The letters `text.search_key` folds, folded on the database's side too, so that a search for
# «خوشه» finds «خوشۀ» and «فراوری» finds «فرآوری» in text stored as typed.
_FOLDS = (("\u200c", " "), ("ۀ", "ه"), ("آ", "ا"), ("ئ", "ی"), ("ء", ""))


def folded_search(text: str, *fields: str):
    """A condition: any of `fields` contains `text`, both sides with spelling variants folded
    as `search_key` folds them (case-insensitively for Latin letters)."""
    from functools import reduce
    from operator import or_

    from django.db.models import F, Q, TextField, Value
    from django.db.models.functions import Lower, Replace
    from django.db.models.lookups import Contains

    from .text import search_key

    key = search_key(text)

    def folded(field):
        text = TextField()  # char and text columns alike
        expression = Lower(F(field), output_field=text)
        for letter, plain in _FOLDS:
            expression = Replace(expression, Value(letter), Value(plain), output_field=text)
        return expression

    return reduce(or_, (Q(Contains(folded(field), key)) for field in fields))
