"""Audit entries as people read them: field names, and values shown as in the rest of the UI
(Jalali dates, yes/no, choice labels, names of related records)."""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shahrak.core.numbers import localized
from shahrak.core.templatetags.fa import jdate, jdatetime

from .audit import UNTRACKED_FIELDS
from .choices import Action
from .models import AuditEntry

ACTION_LABELS = {
    AuditEntry.Action.CREATE: gettext_lazy("Created"),
    AuditEntry.Action.UPDATE: gettext_lazy("Changed"),
    AuditEntry.Action.DELETE: gettext_lazy("Deleted"),
}


@dataclass
class Change:
    field: str
    before: str
    after: str


def action_label(entry) -> str:
    return str(ACTION_LABELS.get(entry.action, ACTION_LABELS[AuditEntry.Action.UPDATE]))


def field_changes(entry) -> list[Change]:
    model = entry.content_type.model_class()
    changes = []
    for name, pair in (entry.changes or {}).items():
        if name in UNTRACKED_FIELDS:  # recorded before the field was left out
            continue
        field = _field(model, name)
        label = str(capfirst(getattr(field, "verbose_name", name)))
        if isinstance(pair, dict) and pair.get("type") == "m2m":
            # Many-to-many: the related records added (after) or removed (before).
            names = "، ".join(str(name) for name in pair.get("objects", [])) or "—"
            added = pair.get("operation") == "add"
            changes.append(Change(label, "—" if added else names, names if added else "—"))
            continue
        # [before, after] for fields.
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        before, after = shown(field, before), shown(field, after)
        if before != after:  # a new record's empty fields ("—" to "—") say nothing
            changes.append(Change(label, before, after))
    return changes


# What auditlog wrote for records of models that had no label of their own.
_DJANGO_DEFAULT_REPR = re.compile(r"\w+ object \(\S+\)")


def label_records(entries) -> None:
    """Give each entry `record`: the label of its record as a person reads it. Entries
    written before the record's model had a label of its own read it from the record today
    (one query per kind of record)."""
    unlabelled = defaultdict(list)
    for entry in entries:
        entry.record = entry.object_repr
        if _DJANGO_DEFAULT_REPR.fullmatch(entry.object_repr or ""):
            unlabelled[entry.content_type].append(entry)
    for content_type, waiting in unlabelled.items():
        model = content_type.model_class()
        found = {}
        if model is not None:  # what the labels name comes in the same query
            keys = [model._meta.pk.to_python(entry.object_pk) for entry in waiting]
            found = model._base_manager.select_related().in_bulk(keys)
        for entry in waiting:
            record = found.get(model._meta.pk.to_python(entry.object_pk)) if found else None
            entry.record = (
                str(record)
                if record is not None
                else _("record %(number)s") % {"number": entry.object_pk}
            )


def _field(model, name):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def shown(field, value) -> str:
    """A stored value as the UI shows it."""
    if value in (None, "None", ""):
        return "—"
    if field is None or not hasattr(field, "verbose_name"):  # unknown, or a reverse relation
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(field, "shown"):  # a field that says how it reads (money: core.models.RialField)
        try:
            return field.shown(value)
        except (ValueError, ArithmeticError):
            return str(value)
    if isinstance(field, models.BooleanField):
        return _("Yes") if value in (True, "True", "true", 1) else _("No")
    if isinstance(field, models.DateTimeField):
        moment = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
        if moment is None:
            return str(value)
        if timezone.is_naive(moment):  # stored in UTC
            moment = timezone.make_aware(moment, dt.UTC)
        return jdatetime(moment)
    if isinstance(field, models.DateField):
        day = value if isinstance(value, dt.date) else parse_date(str(value))
        return jdate(day) if day else str(value)
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        try:
            return localized(value, max_decimals=getattr(field, "decimal_places", 0) or 0)
        except (ValueError, ArithmeticError):
            return str(value)
    return str(value)


def history_for(user, record) -> list | None:
    """The record's audit entries, newest first, with field-by-field changes; None when the
    user may not see history (the page then shows no history section)."""
    model = type(record)
    if not model.objects.restrict(user, Action.VIEW_HISTORY).filter(pk=record.pk).exists():
        return None
    entries = list(
        AuditEntry.objects.get_for_object(record)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
    for entry in entries:
        entry.label = action_label(entry)
        entry.field_changes = field_changes(entry)
    return entries
