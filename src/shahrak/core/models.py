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


class ImportRunBase(TimeStampedModel):
    """One spreadsheet upload, checked and then imported by the background worker
    (`shahrak db_worker`, see `core.import_runs`), so that no request waits for a large file.
    The page of the run polls it: rows checked of the total, then the preview (or its
    problems), then — once its uploader confirms — the import, all or nothing. Each import
    (units, monthly reports…) has its own concrete model, scoped like the records it writes;
    the stored file is removed once the run is over."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting to be checked")
        CHECKING = "checking", _("being checked")
        READY = "ready", _("checked, waiting for confirmation")
        REFUSED = "refused", _("has problems, nothing written")
        CONFIRMED = "confirmed", _("confirmed, waiting to be imported")
        IMPORTING = "importing", _("being imported")
        IMPORTED = "imported", _("imported")
        FAILED = "failed", _("stopped by an error, nothing written")

    # The run is over in these: its file is gone and the page stops polling.
    FINISHED = frozenset({Status.REFUSED, Status.IMPORTED, Status.FAILED})
    # The worker has yet to pick the run up in these.
    QUEUED = frozenset({Status.WAITING, Status.CONFIRMED})
    # The worker's bookkeeping: not in the audit trail.
    WORKER_FIELDS = ("stored_name", "rows_total", "rows_checked", "progress_at", "task_id",
                     "report", "announced")  # fmt: skip

    province = models.ForeignKey(
        "places.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("province"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("uploaded by"),
    )  # fmt: skip
    filename = models.CharField(_("file"), max_length=255)
    stored_name = models.CharField(max_length=80, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.WAITING
    )
    rows_total = models.PositiveIntegerField(default=0, editable=False)
    rows_checked = models.PositiveIntegerField(default=0, editable=False)
    # When the worker last said it was alive on this run (a stalled worker is told apart).
    progress_at = models.DateTimeField(null=True, blank=True, editable=False)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    report = models.JSONField(null=True, blank=True, editable=False)
    message = models.TextField(_("message"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The uploader was taken to the imported units (once; later visits show the run).
    announced = models.BooleanField(default=False, editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def is_working(self) -> bool:
        """Queued or in the worker's hands: its page polls it."""
        return self.status not in self.FINISHED and self.status != self.Status.READY

    @property
    def is_writing(self) -> bool:
        """Being imported, every row checked again: the writes are under way."""
        return self.status == self.Status.IMPORTING and self.rows_checked >= self.rows_total
