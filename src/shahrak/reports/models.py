from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.choices import Action, Role
from shahrak.accounts.scoping import ScopedQuerySet, ScopeRule
from shahrak.core.models import BusinessModel

# Press sentences are a manager's words: experts and others read the paragraph, not these.
EDITORS = frozenset({Role.MANAGER, Role.SYSADMIN})


class PressSentence(BusinessModel):
    """A manager's wording of one sentence of the press paragraph (see reports/press.py for
    the sentences, their placeholders and defaults). With no province it replaces the default
    for the whole country; with one, for that province. Replaced wording is archived, not
    deleted, and every change is audited."""

    key = models.CharField(_("sentence"), max_length=40)
    province = models.ForeignKey(
        "places.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    text = models.TextField(_("wording"), max_length=1000, blank=True)
    omitted = models.BooleanField(_("leave this sentence out"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="province", roles={Action.VIEW: EDITORS, Action.CHANGE: EDITORS})

    class Meta:
        verbose_name = _("press sentence")
        verbose_name_plural = _("press sentences")
        ordering = ["key", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "province"],
                condition=Q(archived_at=None),
                name="press_sentence_one_per_province",
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(archived_at=None, province=None),
                name="press_sentence_one_national",
            ),
        ]

    def __str__(self) -> str:
        from .press import SENTENCE_KEYS

        sentence = SENTENCE_KEYS.get(self.key)
        title = sentence.title if sentence else self.key
        return f"{title} — {self.province or _('whole country')}"
