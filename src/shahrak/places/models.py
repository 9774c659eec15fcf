"""Provinces and counties: the scope keys every other record reaches a province through."""

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shahrak.core.models import NaturallySorted, NaturalSortField


def _english() -> bool:
    return (get_language() or "fa").startswith("en")


class PlaceQuerySet(models.QuerySet):
    def by_name(self):
        """In the order of the names the reader sees: Persian alphabetical order (پ چ ژ گ in
        their places) in the Persian UI, the English names' order in the English UI; counties
        by their province first."""
        key = "name_en" if _english() else "sort_key"
        within = getattr(self.model, "within", None)
        return self.order_by(*([f"{within}__{key}"] if within else []), key)


class NamedPlace(NaturallySorted, models.Model):
    code = models.SlugField(_("code"), max_length=64)
    name_fa = models.CharField(_("Persian name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    # A place's centre (a province's capital, a county's seat); WGS 84 degrees.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    sort_key = NaturalSortField(source="name_fa")

    objects = PlaceQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_fa


class Province(NamedPlace):
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=5, unique=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["sort_key"]
        constraints = [models.UniqueConstraint(fields=["code"], name="province_code_unique")]

    def get_absolute_url(self) -> str:
        return reverse("places:province-detail", args=[self.code])


class County(NamedPlace):
    within = "province"  # listed by province, then by name
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="counties", verbose_name=_("province")
    )

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["province__sort_key", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="county_code_unique"),
        ]
