"""Industrial units, their status over time, and their exports."""

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.choices import Action, Role
from shahrak.accounts.scoping import ScopedQuerySet, ScopeRule
from shahrak.core.jalali import format_jalali
from shahrak.core.models import (
    BusinessModel,
    ImportRunBase,
    NaturallySorted,
    NaturalSortField,
)
from shahrak.core.text import search_key
from shahrak.core.validators import validate_legal_id, validate_mobile, validate_postal_code

from .choices import IdleReason, Sector, SizeClass, UnitStatus
from .countries import country_name

# The open end of the current status interval.
FOREVER = dt.date(9999, 12, 31)

isic_validator = RegexValidator(r"^\d{4}$", _("An ISIC Rev.4 class has 4 digits."), "invalid_isic")
# A unit's own records (its registration, status timeline and exports) are kept by the
# provincial staff; its representatives read them (what they file themselves, such as
# applications, are records of their own).
KEPT_BY_STAFF = {Action.CHANGE: frozenset({Role.MANAGER, Role.EXPERT, Role.SYSADMIN})}

business_id_validator = RegexValidator(
    r"^\d{12}$", _("The business ID has 12 digits."), "invalid_business_id"
)


def size_class_of(employees: int | None) -> str | None:
    if employees is None:
        return None
    limits = settings.SHAHRAK_SIZE_THRESHOLDS
    if employees < limits["micro"]:
        return SizeClass.MICRO
    if employees < limits["small"]:
        return SizeClass.SMALL
    if employees < limits["medium"]:
        return SizeClass.MEDIUM
    return SizeClass.LARGE


class Unit(NaturallySorted, BusinessModel):
    """An industrial (production) unit, inside a park or outside any park."""

    name = models.CharField(_("name"), max_length=250)
    national_id = models.CharField(
        _("legal-entity national ID"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_legal_id],
    )
    registration_number = models.CharField(_("registration number"), max_length=30, blank=True)
    manager_name = models.CharField(_("manager"), max_length=150, blank=True)
    mobile = models.CharField(
        _("mobile number"), max_length=11, blank=True, validators=[validate_mobile]
    )
    postal_code = models.CharField(
        _("postal code"), max_length=10, blank=True, validators=[validate_postal_code]
    )
    county = models.ForeignKey(
        "places.County", on_delete=models.PROTECT, related_name="units", verbose_name=_("county")
    )
    park = models.ForeignKey(
        "parks.Park",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("park"),
    )
    plot = models.ForeignKey(
        "parks.Plot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("plot"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    isic_code = models.CharField(_("ISIC code"), max_length=4, validators=[isic_validator])
    products = models.CharField(_("products"), max_length=500)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    employees = models.PositiveIntegerField(_("employees"), default=0)
    licence_number = models.CharField(_("operating licence number"), max_length=40, blank=True)
    licence_date = models.DateField(_("operating licence date"), null=True, blank=True)
    business_id = models.CharField(
        _("business ID"), max_length=12, blank=True, validators=[business_id_validator]
    )
    # The latest status event's status and date, kept here by the service that records events.
    status = models.CharField(
        _("status"), max_length=20, choices=UnitStatus.choices, editable=False, blank=True
    )
    status_since = models.DateField(_("status since"), null=True, blank=True, editable=False)
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="represented_units",
        verbose_name=_("representatives"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    search_text = models.TextField(editable=False, default="")
    sort_key = NaturalSortField(source="name")

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="county__province", unit="", roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("industrial unit")
        verbose_name_plural = _("industrial units")
        ordering = ["sort_key", "pk"]
        indexes = [
            # The unit list's order (by name, naturally) over 100,000 units.
            models.Index(fields=["sort_key", "id"], name="unit_sort_key"),
            models.Index(fields=["county", "status"], name="unit_county_status"),
            models.Index(fields=["park", "status"], name="unit_park_status"),
            models.Index(fields=["sector"], name="unit_sector"),
            models.Index(fields=["isic_code"], name="unit_isic"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_key(
            " ".join(filter(None, [self.name, self.national_id, self.products, self.manager_name]))
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("units:unit-detail", args=[self.pk])

    @property
    def size_class(self) -> str | None:
        return size_class_of(self.employees)

    def get_size_class_display(self) -> str:
        return SizeClass(self.size_class).label if self.size_class else ""


class UnitStatusEvent(BusinessModel):
    """A change of a unit's status on a date: the record of truth of its timeline."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="events", verbose_name=_("unit")
    )
    status = models.CharField(_("status"), max_length=20, choices=UnitStatus.choices)
    on = models.DateField(_("date"))
    reason = models.CharField(
        _("reason (for idle)"), max_length=20, choices=IdleReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="unit__county__province", unit="unit", roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["unit", "on", "pk"]
        indexes = [models.Index(fields=["unit", "on"], name="unit_event_unit_on")]

    def __str__(self) -> str:
        # Digits stay ASCII in stored labels (the audit trail's); pages show them in Persian.
        return _("%(unit)s — status “%(status)s” from %(date)s") % {
            "unit": self.unit,
            "status": self.get_status_display(),
            "date": format_jalali(self.on, persian=False),
        }


class UnitStatusInterval(models.Model):
    """The timeline as intervals [valid_from, valid_to), derived from the events and rebuilt
    in the same transaction, so "units in operation on a date" is one indexed range query."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="intervals")
    province = models.ForeignKey("places.Province", on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey("places.County", on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT, null=True, related_name="+")
    sector = models.CharField(max_length=20, choices=Sector.choices)
    status = models.CharField(max_length=20, choices=UnitStatus.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(default=FOREVER)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="province", unit="unit")

    class Meta:
        # Both indexes hold every column the reports' counts and the watch list read (place,
        # sector, unit), so "units in operation on a date" is read from the index alone.
        indexes = [
            models.Index(
                fields=["province", "status", "valid_from", "valid_to", "sector", "park", "unit"],
                name="interval_province_status",
            ),
            models.Index(
                fields=["status", "valid_from", "valid_to", "province", "sector", "park", "unit"],
                name="interval_status",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gt=models.F("valid_from")), name="interval_not_empty"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.status} {self.valid_from}–{self.valid_to}"


class ExportRecord(BusinessModel):
    """Exports of a unit: a shipment, or a year's total dated at the year's end."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="exports", verbose_name=_("unit")
    )
    on = models.DateField(_("date"))
    destination = models.CharField(_("destination country"), max_length=2)
    product = models.CharField(_("product"), max_length=200)
    value_usd = models.DecimalField(
        _("value (USD)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="unit__county__province", unit="unit", roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["unit", "on"]
        indexes = [models.Index(fields=["on", "destination"], name="export_on_destination")]
        constraints = [
            models.CheckConstraint(condition=Q(value_usd__gte=0), name="export_value_positive")
        ]

    def __str__(self) -> str:
        persian = (get_language() or "fa").startswith("fa")
        return _("%(unit)s — export to %(country)s on %(date)s") % {
            "unit": self.unit,
            "country": country_name(self.destination, persian),
            "date": format_jalali(self.on, persian=False),
        }

    def get_absolute_url(self) -> str:
        return self.unit.get_absolute_url()  # exports are listed on their unit's page


class ImportRun(ImportRunBase):
    """One spreadsheet upload of units, checked and then imported by the background worker
    (`shahrak db_worker`), so that no request waits for a large file. The page of the run
    polls it: rows checked of the total, then the preview (or its problems), then — once its
    uploader confirms — the import, all or nothing. Scoped like the units it imports; the
    stored file is removed once the run is over. Its fields and steps are shared with the
    other imports (`core.models.ImportRunBase`, `core.import_runs`)."""

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="province", roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("units import")
        verbose_name_plural = _("units imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _("Import of %(file)s — %(status)s") % {
            "file": self.filename,
            "status": self.get_status_display(),
        }

    def get_absolute_url(self) -> str:
        return reverse("units:import-run", args=[self.pk])


class ExportTally(models.Model):
    """USD exported (in cents) and export records, by Jalali month, the exporting unit's county
    and the destination: what the export figures read for whole months instead of every
    record (units/tally.py). A derived table, never edited or shown as records: `export_add`
    and the units import keep it in the transaction that writes the exports, a unit moving
    to another county moves its sums, and `tally.rebuild` recounts it from the records (after
    writes that bypass the services: bulk loaders, `shahrak exports_tally`)."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    county = models.ForeignKey(
        "places.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    destination = models.CharField(_("destination country"), max_length=2)
    usd_cents = models.BigIntegerField(_("value (US cents)"), default=0)
    records = models.IntegerField(_("export records"), default=0)

    class Meta:
        verbose_name = _("sum of exports")
        verbose_name_plural = _("sums of exports")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "county", "destination"], name="export_tally_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}/{self.month} {self.county_id} {self.destination}: {self.usd_cents}"
