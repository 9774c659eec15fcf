"""Industrial parks and zones, their sections, land plots and infrastructure projects."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.scoping import ScopedQuerySet, ScopeRule
from shahrak.core.jalali import format_jalali
from shahrak.core.models import BusinessModel, NaturallySorted, NaturalSortField, RialField
from shahrak.core.text import search_key

from .choices import (
    CapacityUnit,
    ParkKind,
    ParkStatus,
    PlotStatus,
    PlotUse,
    ProjectKind,
    ProjectStatus,
)

HECTARE_M2 = Decimal(10_000)


class Park(NaturallySorted, BusinessModel):
    """An industrial park or zone, special economic zone or technology zone."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ParkKind.choices)
    county = models.ForeignKey(
        "places.County", on_delete=models.PROTECT, related_name="parks", verbose_name=_("county")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ParkStatus.choices, default=ParkStatus.OPERATIONAL
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    gross_area_ha = models.DecimalField(
        _("gross area (ha)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    industrial_area_ha = models.DecimalField(
        _("industrial land (ha)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    search_text = models.TextField(editable=False, default="")
    sort_key = NaturalSortField(source="name")

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="county__province")

    class Meta:
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        ordering = ["sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="park_name_unique_in_county"),
            models.CheckConstraint(
                condition=Q(industrial_area_ha__lte=models.F("gross_area_ha")),
                name="park_industrial_area_within_gross",
                # The park form checks the constraint before the service: said in words.
                violation_error_message=_(
                    "The industrial land cannot be larger than the gross area."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_key(f"{self.name} {self.get_kind_display()}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("parks:park-detail", args=[self.pk])


class ParkSection(BusinessModel):
    """A part of a park developed on its own, e.g. Borazjan's development section."""

    park = models.ForeignKey(
        Park, on_delete=models.PROTECT, related_name="sections", verbose_name=_("park")
    )
    name = models.CharField(_("name"), max_length=200)
    area_ha = models.DecimalField(
        _("area (ha)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    opened_on = models.DateField(_("put into operation on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="park__county__province")

    class Meta:
        verbose_name = _("park section")
        verbose_name_plural = _("park sections")
        constraints = [
            models.UniqueConstraint(fields=["park", "name"], name="section_name_unique_in_park")
        ]

    def __str__(self) -> str:
        return f"{self.park} — {self.name}"


class Plot(NaturallySorted, BusinessModel):
    """A land plot of a park. Its status over time is kept as PlotEvents."""

    park = models.ForeignKey(
        Park, on_delete=models.PROTECT, related_name="plots", verbose_name=_("park")
    )
    section = models.ForeignKey(
        ParkSection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plots",
        verbose_name=_("section"),
    )
    number = models.CharField(_("plot number"), max_length=30)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(1)]
    )
    use = models.CharField(_("use"), max_length=20, choices=PlotUse.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=PlotStatus.choices, default=PlotStatus.READY
    )
    # Who the plot is allocated to (an investor before their unit is registered).
    allottee = models.CharField(_("allocated to"), max_length=200, blank=True)
    sort_key = NaturalSortField(source="number")

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="park__county__province")

    class Meta:
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        ordering = ["park", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["park", "number"], name="plot_number_unique_in_park")
        ]

    def __str__(self) -> str:
        return f"{self.park} — {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("parks:plot-detail", args=[self.pk])

    @property
    def area_ha(self) -> Decimal:
        return self.area_m2 / HECTARE_M2


class PlotEvent(BusinessModel):
    """A plot's status from a date on; the latest event on or before a date is its status then."""

    plot = models.ForeignKey(
        Plot, on_delete=models.PROTECT, related_name="events", verbose_name=_("plot")
    )
    status = models.CharField(_("status"), max_length=20, choices=PlotStatus.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="plot__park__county__province")

    class Meta:
        verbose_name = _("plot status change")
        verbose_name_plural = _("plot status changes")
        ordering = ["plot", "on", "pk"]
        indexes = [models.Index(fields=["plot", "on"], name="plot_event_plot_on")]

    def __str__(self) -> str:
        # Digits stay ASCII in stored labels (the audit trail's); pages show them in Persian.
        return _("%(plot)s — “%(status)s” from %(date)s") % {
            "plot": self.plot,
            "status": self.get_status_display(),
            "date": format_jalali(self.on, persian=False),
        }


class InfrastructureProject(NaturallySorted, BusinessModel):
    park = models.ForeignKey(
        Park, on_delete=models.PROTECT, related_name="projects", verbose_name=_("park")
    )
    section = models.ForeignKey(
        ParkSection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("section"),
    )
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    capacity = models.DecimalField(
        _("capacity"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    capacity_unit = models.CharField(
        _("capacity unit"), max_length=10, choices=CapacityUnit.choices, blank=True
    )
    estimated_cost_rial = RialField(
        _("estimated cost"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    contractor = models.CharField(_("contractor"), max_length=200, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    target_delivery = models.DateField(_("target delivery"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=25, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    temporarily_delivered_on = models.DateField(
        _("temporarily delivered on"), null=True, blank=True, editable=False
    )
    finally_delivered_on = models.DateField(
        _("finally delivered on"), null=True, blank=True, editable=False
    )
    # The latest progress report's values, kept here by the service that records reports.
    progress_pct = models.DecimalField(
        _("physical progress (%)"), max_digits=5, decimal_places=2, default=0, editable=False
    )
    spent_rial = RialField(_("spent to date"), default=0, editable=False)
    sort_key = NaturalSortField(source="title")

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="park__county__province")

    class Meta:
        verbose_name = _("infrastructure project")
        verbose_name_plural = _("infrastructure projects")
        ordering = ["park", "sort_key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_pct__gte=0, progress_pct__lte=100),
                name="project_progress_0_100",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="project_dates_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "temporarily_delivered_on"], name="project_delivery"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("parks:project-detail", args=[self.pk])

    @property
    def takes_reports(self) -> bool:
        """Whether progress may still be reported (not finally delivered, not cancelled)."""
        return self.status not in (ProjectStatus.FINALLY_DELIVERED, ProjectStatus.CANCELLED)


class ProgressReport(BusinessModel):
    """Physical progress (and money spent so far) of a project as of a date."""

    project = models.ForeignKey(
        InfrastructureProject,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("project"),
    )
    on = models.DateField(_("date"))
    progress_pct = models.DecimalField(
        _("physical progress (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    spent_to_date_rial = RialField(
        _("spent to date"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="project__park__county__province")

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["project", "on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_pct__gte=0, progress_pct__lte=100),
                name="report_progress_0_100",
            ),
        ]
        indexes = [models.Index(fields=["project", "on"], name="report_project_on")]

    def __str__(self) -> str:
        return _("%(project)s — progress %(pct)s%% on %(date)s") % {
            "project": self.project,
            "pct": f"{Decimal(self.progress_pct).normalize():f}",
            "date": format_jalali(self.on, persian=False),
        }
