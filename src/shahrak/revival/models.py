"""Idle-unit revival: cases from identification to restart, and the units' monthly reports."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.choices import Action, Role
from shahrak.accounts.scoping import ScopedQuerySet, ScopeRule
from shahrak.core.jalali import format_jalali, to_gregorian
from shahrak.core.models import BusinessModel, ImportRunBase, RialField
from shahrak.units.choices import IdleReason

from .choices import (
    OPEN_STAGES,
    ActionOwner,
    CaseStage,
    FindingArea,
    IdentifiedBy,
    ReportStatus,
    Severity,
)

# A case and its diagnosis, plan and visits are the provincial staff's work; the unit's
# representatives read them.
KEPT_BY_STAFF = {Action.CHANGE: frozenset({Role.MANAGER, Role.EXPERT, Role.SYSADMIN})}
# Settings of a province are the manager's.
KEPT_BY_MANAGERS = {Action.CHANGE: frozenset({Role.MANAGER, Role.SYSADMIN})}
CASE_PROVINCE = "case__unit__county__province"


class ProvinceRevivalSettings(BusinessModel):
    """How a province runs its revival program and its watch list (defaults when absent)."""

    province = models.OneToOneField(
        "places.Province",
        on_delete=models.PROTECT,
        related_name="revival_settings",
        verbose_name=_("province"),
    )
    diagnosis_before_restart = models.BooleanField(
        _("a diagnosis is required before a restart"), default=True
    )
    # The watch list's rules (revival/watch.py).
    missed_months = models.PositiveSmallIntegerField(
        _("months of missed reports that flag a unit"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    drop_pct = models.PositiveSmallIntegerField(
        _("fall (%) in production or employees that flags a unit"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    recent_months = models.PositiveSmallIntegerField(
        _("recent months compared"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    # The utility-stop rule: power, gas or water use below `utility_pct` % of the unit's own
    # average of the 12 months before, in each of the last `utility_months` months.
    utility_months = models.PositiveSmallIntegerField(
        _("months of utility use near a stop that flag a unit"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    utility_pct = models.PositiveSmallIntegerField(
        _("utility use (% of the unit's own average) below which it counts as a stop"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="province", roles=KEPT_BY_MANAGERS)

    class Meta:
        verbose_name = _("revival settings of a province")
        verbose_name_plural = _("revival settings of provinces")
        constraints = [
            models.CheckConstraint(
                condition=Q(missed_months__gte=1, drop_pct__gte=1, drop_pct__lte=100),
                name="revival_settings_sane",
            ),
            models.CheckConstraint(
                condition=Q(utility_months__gte=1, utility_pct__gte=1, utility_pct__lte=100),
                name="revival_settings_utility_sane",
            ),
        ]

    def __str__(self) -> str:
        return _("Revival settings of %(province)s") % {"province": self.province}

    def get_absolute_url(self) -> str:
        return reverse("revival:settings", args=[self.pk])

    @classmethod
    def for_province(cls, province_id: int) -> "ProvinceRevivalSettings":
        """The province's settings, or the defaults (unsaved) if it has none."""
        found = cls.objects.filter(province_id=province_id, archived_at__isnull=True).first()
        return found or cls(province_id=province_id)


class RevivalCase(BusinessModel):
    """The work on one idle unit, from its identification to its restart (or closure)."""

    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="revival_cases",
        verbose_name=_("unit"),
    )
    opened_on = models.DateField(_("identified on"))
    identified_by = models.CharField(
        _("identified by"), max_length=20, choices=IdentifiedBy.choices
    )
    jobs_at_stake = models.PositiveIntegerField(_("jobs at stake"), default=0)
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=CaseStage.choices,
        default=CaseStage.IDENTIFIED,
        editable=False,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revival_cases",
        verbose_name=_("assigned expert"),
    )
    # The case of the unit's earlier idle spell, when it restarted and went idle again.
    previous_case = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="next_case",
        verbose_name=_("previous case"),
    )
    # The unit's timeline events the case stands on: its idle event (recorded by the case or
    # already there), and the restart or closure the case recorded.
    idle_event = models.ForeignKey(
        "units.UnitStatusEvent",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("idle event"),
    )
    outcome_event = models.ForeignKey(
        "units.UnitStatusEvent",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("outcome event"),
    )
    # Copies of the outcome event's date, for the figures' indexes: written only by
    # `case_restart` / `case_close` (selectors.outcome_disagreements finds any that disagree).
    restarted_on = models.DateField(_("restarted on"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    jobs_restored = models.PositiveIntegerField(
        _("jobs restored"), null=True, blank=True, editable=False
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="unit__county__province", unit="unit", roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("revival case")
        verbose_name_plural = _("revival cases")
        ordering = ["-opened_on", "-pk"]
        indexes = [
            models.Index(fields=["opened_on"], name="revival_case_opened"),
            models.Index(fields=["stage", "opened_on"], name="revival_case_stage"),
            models.Index(fields=["restarted_on"], name="revival_case_restarted"),
        ]
        constraints = [
            # One open case per unit (the services say so first, in words).
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(stage__in=OPEN_STAGES, archived_at__isnull=True),
                name="revival_one_open_case_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(restarted_on__isnull=True) | Q(restarted_on__gte=models.F("opened_on")),
                name="revival_restart_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="revival_closure_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(stage=CaseStage.RESTARTED, restarted_on__isnull=False)
                | (~Q(stage=CaseStage.RESTARTED) & Q(restarted_on__isnull=True)),
                name="revival_restarted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(stage=CaseStage.CLOSED, closed_on__isnull=False)
                | (~Q(stage=CaseStage.CLOSED) & Q(closed_on__isnull=True)),
                name="revival_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("Revival of %(unit)s from %(date)s") % {
            "unit": self.unit,
            "date": format_jalali(self.opened_on, persian=False),
        }

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    def get_absolute_url(self) -> str:
        return reverse("revival:case-detail", args=[self.pk])


class CaseReason(models.Model):
    """A reason a case's unit became idle, from the managed list of idle reasons."""

    case = models.ForeignKey(
        RevivalCase, on_delete=models.CASCADE, related_name="reasons", verbose_name=_("case")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=IdleReason.choices)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province=CASE_PROVINCE, unit="case__unit", roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("idle reason of a case")
        verbose_name_plural = _("idle reasons of cases")
        ordering = ["case", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reason"], name="revival_reason_once")
        ]

    def __str__(self) -> str:
        return f"{self.case} — {self.get_reason_display()}"


class Diagnosis(BusinessModel):
    """A diagnosis (عارضه‌یابی) of the unit's problems by an expert or consultant."""

    case = models.ForeignKey(
        RevivalCase, on_delete=models.PROTECT, related_name="diagnoses", verbose_name=_("case")
    )
    on = models.DateField(_("date"))
    diagnosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("expert or consultant"),
    )
    summary = models.TextField(_("summary"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province=CASE_PROVINCE, unit="case__unit", roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        ordering = ["case", "on", "pk"]

    def __str__(self) -> str:
        return _("Diagnosis of %(unit)s on %(date)s") % {
            "unit": self.case.unit,
            "date": format_jalali(self.on, persian=False),
        }


class Finding(BusinessModel):
    """What a diagnosis found in one area, and how serious it is."""

    diagnosis = models.ForeignKey(
        Diagnosis, on_delete=models.PROTECT, related_name="findings", verbose_name=_("diagnosis")
    )
    area = models.CharField(_("area"), max_length=20, choices=FindingArea.choices)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    text = models.TextField(_("findings"))

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(
        province="diagnosis__case__unit__county__province",
        unit="diagnosis__case__unit",
        roles=KEPT_BY_STAFF,
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["diagnosis", "area"]
        constraints = [
            models.UniqueConstraint(fields=["diagnosis", "area"], name="revival_finding_area_once")
        ]

    def __str__(self) -> str:
        return f"{self.diagnosis} — {self.get_area_display()} ({self.get_severity_display()})"


def attachment_path(attachment, filename: str) -> str:
    return f"revival/diagnoses/{attachment.diagnosis_id}/{filename}"


class DiagnosisAttachment(BusinessModel):
    """A file attached to a diagnosis (the consultant's report, photos of the unit): a PDF or
    an image, checked by its content and size when it is attached (core.uploads). Archived,
    never deleted."""

    diagnosis = models.ForeignKey(
        Diagnosis,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("diagnosis"),
    )
    title = models.CharField(_("what it is"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300, editable=False)
    filename = models.CharField(_("file name"), max_length=255, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("attached by"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(
        province="diagnosis__case__unit__county__province",
        unit="diagnosis__case__unit",
        roles=KEPT_BY_STAFF,
    )

    class Meta:
        verbose_name = _("attachment of a diagnosis")
        verbose_name_plural = _("attachments of diagnoses")
        ordering = ["diagnosis", "pk"]

    def __str__(self) -> str:
        return f"{self.diagnosis} — {self.filename}"

    def get_absolute_url(self) -> str:
        return self.diagnosis.case.get_absolute_url()  # listed on their case's page


class ImprovementPlan(BusinessModel):
    """The improvement plan (طرح بهبود) of a case: the actions that should bring it back."""

    case = models.OneToOneField(
        RevivalCase, on_delete=models.PROTECT, related_name="plan", verbose_name=_("case")
    )
    on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province=CASE_PROVINCE, unit="case__unit", roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        ordering = ["case"]

    def __str__(self) -> str:
        return _("Improvement plan of %(unit)s of %(date)s") % {
            "unit": self.case.unit,
            "date": format_jalali(self.on, persian=False),
        }


class PlanAction(BusinessModel):
    """One action of an improvement plan: who does it, by when, at what cost, paid by whom."""

    plan = models.ForeignKey(
        ImprovementPlan, on_delete=models.PROTECT, related_name="actions", verbose_name=_("plan")
    )
    title = models.CharField(_("action"), max_length=300)
    owner_kind = models.CharField(_("carried out by"), max_length=20, choices=ActionOwner.choices)
    owner_name = models.CharField(_("name of the bank or body"), max_length=200, blank=True)
    due_on = models.DateField(_("due date"))
    cost_rial = RialField(_("cost"), default=0, validators=[MinValueValidator(0)])
    # Who pays: in words, and where a support program pays it, the program and the unit's
    # application to it (the application is of the case's unit and of that program: services).
    paid_by = models.CharField(_("paid by"), max_length=200, blank=True)
    program = models.ForeignKey(
        "support.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revival_actions",
        verbose_name=_("support program"),
    )
    application = models.ForeignKey(
        "support.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revival_actions",
        verbose_name=_("support application"),
    )
    progress_pct = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(
        province="plan__case__unit__county__province", unit="plan__case__unit", roles=KEPT_BY_STAFF
    )

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["plan", "due_on", "pk"]
        indexes = [models.Index(fields=["done_on", "due_on"], name="revival_action_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_pct__lte=100), name="revival_action_progress_0_100"
            ),
            models.CheckConstraint(condition=Q(cost_rial__gte=0), name="revival_action_cost"),
            # Done exactly when the progress is complete.
            models.CheckConstraint(
                condition=Q(progress_pct=100, done_on__isnull=False)
                | (Q(progress_pct__lt=100) & Q(done_on__isnull=True)),
                name="revival_action_done_when_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.case.unit} — {self.title}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.done_on is None and self.due_on < today

    def get_absolute_url(self) -> str:
        return self.plan.case.get_absolute_url()  # actions are shown on their case's page


class FollowUpVisit(BusinessModel):
    """A visit to the unit to follow its case (before or after the restart)."""

    case = models.ForeignKey(
        RevivalCase, on_delete=models.PROTECT, related_name="visits", verbose_name=_("case")
    )
    on = models.DateField(_("date"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("visited by"),
    )
    findings = models.TextField(_("findings"))

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province=CASE_PROVINCE, unit="case__unit", roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["case", "on", "pk"]

    def __str__(self) -> str:
        return _("Follow-up visit to %(unit)s on %(date)s") % {
            "unit": self.case.unit,
            "date": format_jalali(self.on, persian=False),
        }


def report_due_on(year: int, month: int) -> dt.date:
    """A month's report is due by the 10th of the following (Jalali) month."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return to_gregorian(year, month, 10)


class MonthlyReport(BusinessModel):
    """A unit's activity in one Jalali month, filed by the unit (or for it) and reviewed by an
    expert, who accepts it or returns it with a reason."""

    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="monthly_reports",
        verbose_name=_("unit"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1380), MaxValueValidator(1500)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    production_volume = models.DecimalField(
        _("production volume"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    production_measure = models.CharField(_("unit of measure"), max_length=30, blank=True)
    sales_rial = RialField(_("sales"), default=0, validators=[MinValueValidator(0)])
    employees = models.PositiveIntegerField(_("employees"))
    exports_rial = RialField(_("exports"), default=0, validators=[MinValueValidator(0)])
    energy_kwh = models.PositiveBigIntegerField(_("energy use (kWh)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        editable=False,
    )
    return_reason = models.CharField(_("reason for return"), max_length=1000, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True, editable=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("filed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    # Unit representatives file their units' reports (the review is the staff's: services).
    scope = ScopeRule(province="unit__county__province", unit="unit")

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["unit", "year", "month"]
        indexes = [
            models.Index(fields=["year", "month", "status"], name="revival_report_month"),
            # What the watch list and the on-time figure read of every report of a stretch of
            # months, so that they read the index alone (not millions of rows of the table);
            # it begins as revival_report_month does, so the planner takes it for those reads.
            # (Not a partial index: SQLite would read each row to check its condition.)
            models.Index(
                fields=[
                    "year",
                    "month",
                    "status",
                    "archived_at",
                    "unit",
                    "filed_at",
                    "production_volume",
                    "employees",
                ],
                name="revival_report_figures",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "month"],
                condition=Q(archived_at__isnull=True),
                name="revival_report_once_a_month",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="revival_report_month_1_12"
            ),
            models.CheckConstraint(
                condition=Q(production_volume__gte=0, sales_rial__gte=0, exports_rial__gte=0),
                name="revival_report_figures_positive",
            ),
        ]

    def __str__(self) -> str:
        return _("%(unit)s — report of %(year)s/%(month)02d") % {
            "unit": self.unit,
            "year": self.year,
            "month": self.month,
        }

    @property
    def due_on(self) -> dt.date:
        return report_due_on(self.year, self.month)

    def archive(self, *, actor) -> None:
        """Archived, the report leaves the counts of reports filed (revival/tally.py)."""
        from . import tally

        with tally.following(self):
            super().archive(actor=actor)

    def restore(self, *, actor) -> None:
        from . import tally

        with tally.following(self):
            super().restore(actor=actor)

    def get_absolute_url(self) -> str:
        return reverse("revival:report-detail", args=[self.pk])


class ReportTally(models.Model):
    """Monthly reports filed, and of them filed on time, by month and by the place of their
    unit (county and park): what the on-time figure (`reports.filed_pct`) reads instead of
    every report. A derived table, never edited or shown as records: the report services keep
    it in the same transaction as the report they write (revival/tally.py), a unit moving to
    another county or park moves its counts, and `tally.rebuild` recounts it from the reports
    (after writes that bypass the services: bulk loaders, `shahrak revival tally`)."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    county = models.ForeignKey(
        "places.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    park = models.ForeignKey(
        "parks.Park",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("park"),
    )
    filed = models.PositiveIntegerField(_("reports filed"), default=0)
    on_time = models.PositiveIntegerField(_("reports filed on time"), default=0)

    class Meta:
        verbose_name = _("count of monthly reports")
        verbose_name_plural = _("counts of monthly reports")
        indexes = [models.Index(fields=["year", "month"], name="revival_tally_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "county", "park"],
                condition=Q(park__isnull=False),
                name="revival_tally_once_in_park",
            ),
            models.UniqueConstraint(
                fields=["year", "month", "county"],
                condition=Q(park__isnull=True),
                name="revival_tally_once_outside_parks",
            ),
            models.CheckConstraint(
                condition=Q(on_time__lte=models.F("filed")), name="revival_tally_on_time_filed"
            ),
        ]

    def __str__(self) -> str:
        place = f"{self.county_id}/{self.park_id or '-'}"
        return f"{self.year}/{self.month:02d} {place}: {self.on_time}/{self.filed}"


class DropCandidates(models.Model):
    """The units whose filed reports of the `2 × recent_months` months up to `as_of` show a
    fall of about `drop_pct` % or more (the watch list's drop candidates for the whole
    country, `selectors._candidates`), kept once found: a function of those reports alone.
    A derived table, never edited: a report written through the services (or archived)
    deletes the sets whose months hold it, in the same transaction (`tally.following`), and
    `tally.rebuild` empties it after writes that bypass them."""

    as_of = models.PositiveIntegerField(_("month"))  # month number (watch.month_number)
    recent_months = models.PositiveSmallIntegerField(_("recent months compared"))
    drop_pct = models.PositiveSmallIntegerField(_("fall (%)"))
    units = models.TextField(_("units"), blank=True)  # their ids, space-separated
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("drop candidates")
        verbose_name_plural = _("drop candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["as_of", "recent_months", "drop_pct"], name="revival_drops_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.as_of} ({self.recent_months}, {self.drop_pct}%)"


class FiledUnits(models.Model):
    """The units with a filed report (submitted, accepted or returned, not archived) for one
    of the `months` months up to `as_of`: the units the watch list's missed-reports rule does
    not flag there, for the whole country (`selectors._filed_units`), kept once found: a
    function of those reports alone. A derived table, never edited: a report written through
    the services (or archived) deletes the sets whose months hold it, in the same transaction
    (`tally.following`), and `tally.rebuild` empties it after writes that bypass them."""

    as_of = models.PositiveIntegerField(_("month"))  # month number (watch.month_number)
    months = models.PositiveSmallIntegerField(_("months"))
    units = models.BinaryField(_("units"), blank=True)  # their ids, packed (selectors._pack)
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("units that filed")
        verbose_name_plural = _("units that filed")
        constraints = [
            models.UniqueConstraint(fields=["as_of", "months"], name="revival_filed_units_once")
        ]

    def __str__(self) -> str:
        return f"{self.as_of} ({self.months})"


class UtilityReading(BusinessModel):
    """A unit's metered use of electricity, gas and water in one Jalali month (from the
    utility companies' bills or the unit's meters), recorded by the provincial staff; the
    watch list's utility-stop rule reads them."""

    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="utility_readings",
        verbose_name=_("unit"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1380), MaxValueValidator(1500)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    electricity_kwh = models.PositiveBigIntegerField(_("electricity (kWh)"), null=True, blank=True)
    gas_m3 = models.PositiveBigIntegerField(_("gas (m³)"), null=True, blank=True)
    water_m3 = models.PositiveBigIntegerField(_("water (m³)"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="unit__county__province", unit="unit", roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("utility reading")
        verbose_name_plural = _("utility readings")
        ordering = ["unit", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "month"],
                condition=Q(archived_at__isnull=True),
                name="revival_utility_once_a_month",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="revival_utility_month_1_12"
            ),
            models.CheckConstraint(
                condition=Q(electricity_kwh__isnull=False)
                | Q(gas_m3__isnull=False)
                | Q(water_m3__isnull=False),
                name="revival_utility_some_reading",
            ),
        ]

    def __str__(self) -> str:
        return _("%(unit)s — utility use of %(year)s/%(month)02d") % {
            "unit": self.unit,
            "year": self.year,
            "month": self.month,
        }

    def get_absolute_url(self) -> str:
        return self.unit.get_absolute_url()  # listed on the unit's page


class MonthlyReportImportRun(ImportRunBase):
    """One spreadsheet of monthly reports, checked and then filed by the background worker,
    as units are imported (`core.import_runs`, `revival.import_runs`). Kept in the province
    of its uploader and scoped like the units import: the province's staff see it, only its
    uploader confirms it."""

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="province", roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("monthly reports import")
        verbose_name_plural = _("monthly reports imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _("Import of %(file)s — %(status)s") % {
            "file": self.filename,
            "status": self.get_status_display(),
        }

    def get_absolute_url(self) -> str:
        return reverse("revival:report-import-run", args=[self.pk])
