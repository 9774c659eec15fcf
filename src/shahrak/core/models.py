"""Abstract bases every business record builds on: versioned, archived (never deleted)."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import StaleEditError
from .numbers import format_million_toman
from .text import SORT_KEY_LENGTH, natural_sort_key


def save_versioned(instance, *, expected_version: int, update_fields=None) -> None:
    """Save `instance` if nobody saved it since `expected_version` was read; else raise
    StaleEditError and save nothing. The model needs an integer `version` field."""
    with transaction.atomic():
        bumped = (
            type(instance)
            ._base_manager.filter(pk=instance.pk, version=expected_version)
            .update(version=F("version") + 1)
        )
        if not bumped:
            raise StaleEditError()
        instance.version = expected_version + 1
        if update_fields is not None:
            update_fields = {*update_fields, "version"}
            if any(f.name == "updated_at" for f in instance._meta.fields):
                update_fields.add("updated_at")
        instance.save(update_fields=update_fields)


class RialField(models.BigIntegerField):
    """Money, stored in whole rials; read and typed in million toman everywhere (pages,
    forms, histories: core.numbers.format_million_toman, core.forms.MillionTomanField)."""

    def formfield(self, **kwargs):
        from .forms import MillionTomanField

        # Not IntegerField's form field (whole rials): the user types million toman.
        return models.Field.formfield(self, **{"form_class": MillionTomanField, **kwargs})

    def shown(self, value) -> str:
        """A stored value (rial; as text in the audit trail) as people read it."""
        return format_million_toman(int(value))


class NaturalSortField(models.CharField):
    """The natural-order key of another field of the record (core.text.natural_sort_key:
    Persian alphabetical order, «…۲» before «…۱۰»): a derived column, set on every save and
    every bulk insert, so lists order by it in the database (index it where lists are long).
    A save with `update_fields` naming the source must name this field too (NaturallySorted
    does it)."""

    def __init__(self, *args, source: str = "name", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", SORT_KEY_LENGTH)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for option, default in (("max_length", SORT_KEY_LENGTH), ("editable", False)):
            if kwargs.get(option) == default:
                del kwargs[option]
        if kwargs.get("default") == "":
            del kwargs["default"]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = natural_sort_key(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class NaturallySorted(models.Model):
    """A record with NaturalSortFields: a save of some fields also saves their keys."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            keys = {
                field.name
                for field in self._meta.concrete_fields
                if isinstance(field, NaturalSortField) and field.source in update_fields
            }
            kwargs["update_fields"] = {*update_fields, *keys}
        super().save(*args, **kwargs)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class BusinessModel(TimeStampedModel):
    """A record of business data.

    - `version` grows by one on every save through `save_versioned`, so two people editing the
      same record cannot silently overwrite each other;
    - records are archived, never deleted, from the UI and the API;
    - changes are audited by the accounts app (each concrete model registers itself).
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archived by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def save_versioned(self, *, expected_version: int, update_fields=None) -> None:
        save_versioned(self, expected_version=expected_version, update_fields=update_fields)

    def archive(self, *, actor) -> None:
        if self.is_archived:
            return
        self.archived_at = timezone.now()
        self.archived_by = actor
        self.save(update_fields=["archived_at", "archived_by", "updated_at"])

    def restore(self, *, actor) -> None:
        self.archived_at = None
        self.archived_by = None
        self.save(update_fields=["archived_at", "archived_by", "updated_at"])


def fill_sort_keys(app_label: str, *model_names: str):
    """For a migration's RunPython: set the NaturalSortFields of the rows already there."""

    def run(apps, schema_editor):
        for model_name in model_names:
            model = apps.get_model(app_label, model_name)
            fields = [f for f in model._meta.concrete_fields if isinstance(f, NaturalSortField)]
            sources = sorted({field.source for field in fields})
            rows = list(model._base_manager.values_list("pk", *sources))
            for start in range(0, len(rows), 2000):
                batch = []
                for pk, *values in rows[start : start + 2000]:
                    record = model(pk=pk)
                    text = dict(zip(sources, values, strict=True))
                    for field in fields:
                        setattr(record, field.attname, natural_sort_key(text[field.source]))
                    batch.append(record)
                model._base_manager.bulk_update(batch, [field.name for field in fields])

    return run
