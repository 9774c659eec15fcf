"""Abstract bases every business record builds on: versioned, archived (never deleted)."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import StaleEditError


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
