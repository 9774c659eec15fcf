"""Support programs and subsidies: the program catalogue, provincial budgets by Jalali year,
applications from draft to payment, their documents, steps and staged payments."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.choices import Action, Role
from shahrak.accounts.scoping import ScopedQuerySet, ScopeRule
from shahrak.core.jalali import format_jalali
from shahrak.core.models import BusinessModel, NaturallySorted, NaturalSortField, RialField

from .choices import (
    ApplicationStatus,
    DocumentKind,
    ExhibitionReach,
    ExhibitionSupportKind,
    ProgramFamily,
)

# The subsidy rate of every program lies within these (percent of the eligible cost).
RATE_FLOOR = Decimal(30)
RATE_CEILING = Decimal(70)
RATE_VALIDATORS = [MinValueValidator(RATE_FLOOR), MaxValueValidator(RATE_CEILING)]

# A province's programs and budgets are its manager's (national ones the administrators').
KEPT_BY_MANAGERS = {Action.CHANGE: frozenset({Role.MANAGER, Role.SYSADMIN})}
# Steps and payments are written by the provincial staff through the services; an
# application's unit representatives read them.
KEPT_BY_STAFF = {Action.CHANGE: frozenset({Role.MANAGER, Role.EXPERT, Role.SYSADMIN})}
APPLICATION_PROVINCE = "application__unit__county__province"


def rate_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=RATE_VALIDATORS, **kwargs
    )


class Program(NaturallySorted, BusinessModel):
    """A support program (برنامه حمایتی): what it subsidises, for whom, at which rate, up to
    how much per unit and year. National (no province) or run by one province."""

    title = models.CharField(_("title"), max_length=250)
    # The title's Persian alphabetical order (docs/numbers-and-names.md): lists order by it.
    sort_key = NaturalSortField(source="title")
    description = models.TextField(_("description"), blank=True)
    family = models.CharField(_("family"), max_length=20, choices=ProgramFamily.choices)
    flagship = models.BooleanField(_("flagship program"), default=False)
    province = models.ForeignKey(
        "places.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("province (empty: national)"),
    )
    # Eligibility; an empty list means "any".
    size_classes = models.JSONField(_("eligible size classes"), default=list, blank=True)
    sectors = models.JSONField(_("eligible sectors"), default=list, blank=True)
    # ISIC Rev.4 codes as units store them (4 digits), or their leading digits: "10" takes
    # every class of division 10, "1079" that class only.
    isic_prefixes = models.JSONField(_("eligible ISIC codes"), default=list, blank=True)
    in_park_only = models.BooleanField(_("only units inside a park"), default=False)
    eligible_provinces = models.ManyToManyField(
        "places.Province",
        blank=True,
        related_name="+",
        verbose_name=_("eligible provinces (empty: all)"),
    )
    rate_min_pct = rate_field(_("lowest subsidy rate (%)"))
    rate_max_pct = rate_field(_("highest subsidy rate (%)"))
    cap_per_unit_rial = RialField(
        _("cap per unit and Jalali year"), validators=[MinValueValidator(0)]
    )
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"), null=True, blank=True)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    # The catalogue is read by everyone signed in (a representative looks for a program to
    # apply to); a province's programs are changed by its manager.
    scope = ScopeRule(province="province", registry=True, roles=KEPT_BY_MANAGERS)

    class Meta:
        verbose_name = _("support program")
        verbose_name_plural = _("support programs")
        ordering = ["sort_key", "pk"]
        indexes = [models.Index(fields=["province", "opens_on"], name="support_program_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_min_pct__gte=RATE_FLOOR, rate_max_pct__lte=RATE_CEILING)
                & Q(rate_min_pct__lte=F("rate_max_pct")),
                name="support_program_rate_30_70",
            ),
            models.CheckConstraint(
                condition=Q(cap_per_unit_rial__gte=0), name="support_program_cap_positive"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=F("opens_on")),
                name="support_program_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_national(self) -> bool:
        return self.province_id is None

    def get_absolute_url(self) -> str:
        return reverse("support:program-detail", args=[self.pk])


class ProgramBudget(BusinessModel):
    """What a program may spend in one province in one Jalali year, and how much of it is
    reserved by approvals and paid. Never reserved + paid > amount (the database holds it)."""

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="budgets", verbose_name=_("program")
    )
    province = models.ForeignKey(
        "places.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    year = models.PositiveSmallIntegerField(
        _("Jalali year"), validators=[MinValueValidator(1380), MaxValueValidator(1500)]
    )
    amount_rial = RialField(_("budget"), validators=[MinValueValidator(0)])
    reserved_rial = RialField(_("reserved"), default=0, editable=False)
    paid_rial = RialField(_("paid"), default=0, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="province", roles=KEPT_BY_MANAGERS)

    class Meta:
        verbose_name = _("program budget")
        verbose_name_plural = _("program budgets")
        ordering = ["program", "province", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "province", "year"], name="support_budget_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(reserved_rial__gte=0, paid_rial__gte=0, amount_rial__gte=0),
                name="support_budget_positive",
            ),
            models.CheckConstraint(
                condition=Q(amount_rial__gte=F("reserved_rial") + F("paid_rial")),
                name="support_budget_never_over_committed",
            ),
        ]

    def __str__(self) -> str:
        return _("Budget of %(program)s in %(province)s, %(year)s") % {
            "program": self.program,
            "province": self.province,
            "year": self.year,
        }

    @property
    def available_rial(self) -> int:
        return self.amount_rial - self.reserved_rial - self.paid_rial


class Application(BusinessModel):
    """A unit's application to a program, from draft to payment (docs/support.md)."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="applications", verbose_name=_("unit")
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="applications", verbose_name=_("program")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        editable=False,
    )
    description = models.TextField(_("what the support is for"))
    requested_cost_rial = RialField(_("estimated cost"), validators=[MinValueValidator(1)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("registered by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="support_applications",
        verbose_name=_("assigned expert"),
    )
    review_note = models.TextField(_("expert's review"), blank=True, editable=False)
    # The approval: the cost accepted and its rate; the amount reserved against the budget.
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    approved_cost_rial = RialField(_("approved cost"), null=True, blank=True, editable=False)
    approved_rate_pct = rate_field(_("approved rate (%)"), null=True, blank=True, editable=False)
    approved_amount_rial = RialField(_("approved amount"), null=True, blank=True, editable=False)
    budget = models.ForeignKey(
        ProgramBudget,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="applications",
        verbose_name=_("budget"),
    )
    # The execution: what it cost, how much of that is eligible, and the subsidy due.
    executed_on = models.DateField(_("executed on"), null=True, blank=True, editable=False)
    actual_cost_rial = RialField(_("actual cost"), null=True, blank=True, editable=False)
    eligible_cost_rial = RialField(_("eligible cost"), null=True, blank=True, editable=False)
    subsidy_rial = RialField(_("subsidy"), null=True, blank=True, editable=False)
    # What the application holds against its budget and the unit's cap (reserved + paid).
    committed_rial = RialField(_("committed"), default=0, editable=False)
    paid_rial = RialField(_("paid"), default=0, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    # The reason of the last return, rejection or withdrawal (every one is in the steps).
    reason = models.CharField(_("reason"), max_length=1000, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    # A unit's representatives apply for it (its review and money are the staff's: services).
    scope = ScopeRule(province="unit__county__province", unit="unit")

    class Meta:
        verbose_name = _("support application")
        verbose_name_plural = _("support applications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="support_app_status"),
            models.Index(fields=["program", "unit", "status"], name="support_app_unit"),
            # The approval figures read a range of dates from this index alone.
            models.Index(
                fields=["approved_on", "archived_at", "committed_rial", "approved_rate_pct"],
                name="support_app_approved_cover",
            ),
            # The archived applications (few): the figure of submissions leaves them out.
            models.Index(
                fields=["archived_at"],
                condition=Q(archived_at__isnull=False),
                name="support_app_archived",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_rate_pct__isnull=True)
                | Q(approved_rate_pct__gte=RATE_FLOOR, approved_rate_pct__lte=RATE_CEILING),
                name="support_app_rate_30_70",
            ),
            models.CheckConstraint(
                condition=Q(paid_rial__gte=0, committed_rial__gte=F("paid_rial")),
                name="support_app_paid_within_committed",
            ),
            models.CheckConstraint(
                condition=Q(committed_rial=0)
                | Q(approved_amount_rial__gte=F("committed_rial"), budget__isnull=False),
                name="support_app_committed_within_approval",
            ),
            models.CheckConstraint(
                condition=Q(subsidy_rial__isnull=True)
                | Q(approved_amount_rial__gte=F("subsidy_rial"), subsidy_rial__gte=0),
                name="support_app_subsidy_within_approval",
            ),
            models.CheckConstraint(
                condition=Q(eligible_cost_rial__isnull=True)
                | Q(actual_cost_rial__gte=F("eligible_cost_rial"), eligible_cost_rial__gte=0),
                name="support_app_eligible_within_actual",
            ),
        ]

    def __str__(self) -> str:
        return _("%(unit)s — %(program)s (application %(number)s)") % {
            "unit": self.unit,
            "program": self.program,
            "number": self.pk,
        }

    @property
    def reserved_rial(self) -> int:
        return self.committed_rial - self.paid_rial

    def get_absolute_url(self) -> str:
        return reverse("support:application-detail", args=[self.pk])


class ApplicationStep(models.Model):
    """One step of an application's timeline: the status it reached, when, by whom, why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="steps", verbose_name=_("application")
    )
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province=APPLICATION_PROVINCE, unit="application__unit", roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["application", "at", "pk"]
        # The figure of applications submitted reads the submissions of a stretch of time
        # from this index alone (not every application's steps, row by row).
        indexes = [
            models.Index(fields=["status", "at", "application"], name="support_step_status_at"),
            # …and the submissions of given applications (returned, archived, a province's).
            models.Index(fields=["status", "application", "at"], name="support_step_status_app"),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_status_display()}"


def document_path(document, filename: str) -> str:
    return f"support/applications/{document.application_id}/{filename}"


class ApplicationDocument(BusinessModel):
    """A document attached to an application (an invoice, a quotation…): a PDF or an image,
    checked by its content and size when it is attached (core.uploads)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300, editable=False)
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
    # The unit's representatives attach their application's documents.
    scope = ScopeRule(province=APPLICATION_PROVINCE, unit="application__unit")

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_kind_display()}: {self.filename}"


class Payment(BusinessModel):
    """One (staged) payment of an application's subsidy."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("application"),
    )
    on = models.DateField(_("paid on"))
    amount_rial = RialField(_("amount"), validators=[MinValueValidator(1)])
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    # Money is paid by the province's manager (the services check the approval right).
    scope = ScopeRule(
        province=APPLICATION_PROVINCE, unit="application__unit", roles=KEPT_BY_MANAGERS
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["application", "on", "pk"]
        # The payments figure sums a range of dates from this index alone.
        indexes = [
            models.Index(
                fields=["on", "archived_at", "amount_rial"], name="support_payment_on_amount"
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_rial__gt=0), name="support_payment_positive")
        ]

    def __str__(self) -> str:
        return _("Payment of %(application)s on %(date)s") % {
            "application": self.application,
            "date": format_jalali(self.on, persian=False),
        }

    def get_absolute_url(self) -> str:
        return reverse("support:application-detail", args=[self.application_id])


# --- exhibitions and services (docs/support.md) ----------------------------------------------
HOME_COUNTRY = "IR"


class Exhibition(BusinessModel):
    """An exhibition (نمایشگاه) in Iran or abroad, in the registry every signed-in user reads;
    kept by the staff of the province that registered it."""

    name = models.CharField(_("name"), max_length=250)
    reach = models.CharField(
        _("domestic or foreign"), max_length=10, choices=ExhibitionReach.choices
    )
    city = models.CharField(_("city"), max_length=100)
    # ISO 3166-1 alpha-2 (units.countries): IR for a domestic one.
    country = models.CharField(_("country"), max_length=2, default=HOME_COUNTRY)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    organiser = models.CharField(_("organiser"), max_length=250, blank=True)
    province = models.ForeignKey(
        "places.Province",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by the province"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="province", registry=True, roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")
        ordering = ["-starts_on", "name", "pk"]
        indexes = [models.Index(fields=["starts_on"], name="support_exhibition_starts")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="support_exhibition_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(reach=ExhibitionReach.DOMESTIC, country=HOME_COUNTRY)
                | (Q(reach=ExhibitionReach.FOREIGN) & ~Q(country=HOME_COUNTRY)),
                name="support_exhibition_reach_country",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("support:exhibition-detail", args=[self.pk])


class ExhibitionSupport(BusinessModel):
    """A unit supported at an exhibition: a booth, its attendance or a place in a group
    pavilion, with the floor area and the subsidy. Recorded by the staff directly, or linked
    to the application (to an exhibition program) that approved it."""

    exhibition = models.ForeignKey(
        Exhibition, on_delete=models.PROTECT, related_name="supports",
        verbose_name=_("exhibition"),
    )  # fmt: skip
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="exhibition_supports",
        verbose_name=_("unit"),
    )  # fmt: skip
    kind = models.CharField(
        _("kind of support"), max_length=20, choices=ExhibitionSupportKind.choices
    )
    booth_area_m2 = models.DecimalField(
        _("booth area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )  # fmt: skip
    subsidy_rial = RialField(_("subsidy"), default=0, validators=[MinValueValidator(0)])
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True,
        related_name="exhibition_supports", verbose_name=_("approved by the application"),
    )  # fmt: skip
    # The exhibition's first day (set by the services): reports count a support on it.
    on = models.DateField(_("date"), editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    # The province's staff record them; the unit's representatives read them.
    scope = ScopeRule(province="unit__county__province", unit="unit", roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("exhibition support")
        verbose_name_plural = _("exhibition supports")
        ordering = ["-on", "-pk"]
        # The exhibition figures count the supports by day and exhibition from this index.
        indexes = [
            models.Index(fields=["on", "exhibition", "archived_at"], name="support_exh_support_day")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(subsidy_rial__gte=0), name="support_exh_support_subsidy_positive"
            ),
            models.CheckConstraint(
                condition=Q(booth_area_m2__isnull=True) | Q(booth_area_m2__gt=0),
                name="support_exh_support_area_positive",
            ),
        ]

    def __str__(self) -> str:
        return _("%(unit)s at %(exhibition)s") % {"unit": self.unit, "exhibition": self.exhibition}

    def get_absolute_url(self) -> str:
        return reverse("support:exhibition-support-detail", args=[self.pk])


class ServiceKind(BusinessModel):
    """A kind of service given to units (mobile clinic visit, technology needs
    identification, training, consulting…): a list the system administrators extend."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    # Visits of a mobile clinic (کلینیک سیار) name the park and the team.
    mobile_clinic = models.BooleanField(_("mobile clinic visit"), default=False)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=100)

    objects = ScopedQuerySet.as_manager()
    # Read by everyone signed in; changed by the system administrators.
    scope = ScopeRule(registry=True)

    class Meta:
        verbose_name = _("kind of service")
        verbose_name_plural = _("kinds of service")
        ordering = ["position", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class ServiceRecord(BusinessModel):
    """A dated service given to one or more units of a province: by whom, at what cost, and
    for a mobile clinic's visit the park and the team."""

    kind = models.ForeignKey(
        ServiceKind, on_delete=models.PROTECT, related_name="records",
        verbose_name=_("kind of service"),
    )  # fmt: skip
    on = models.DateField(_("date"))
    province = models.ForeignKey(
        "places.Province", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("province"),
    )  # fmt: skip
    units = models.ManyToManyField(
        "units.Unit", related_name="service_records", verbose_name=_("units")
    )
    provider = models.CharField(_("provider"), max_length=250)
    cost_rial = RialField(_("cost"), default=0, validators=[MinValueValidator(0)])
    park = models.ForeignKey(
        "parks.Park", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("park"),
    )  # fmt: skip
    team = models.CharField(_("team"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    # The province's staff record them; the representatives of a unit served read them.
    scope = ScopeRule(province="province", unit="units", many=True, roles=KEPT_BY_STAFF)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-on", "-pk"]
        indexes = [
            models.Index(fields=["province", "on"], name="support_service_on"),
            # The national figure counts the records by kind and date from this index alone.
            models.Index(fields=["kind", "on", "archived_at"], name="support_service_kind_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_rial__gte=0), name="support_service_cost_positive"
            )
        ]

    def __str__(self) -> str:
        return _("%(kind)s on %(date)s") % {
            "kind": self.kind,
            "date": format_jalali(self.on, persian=False),
        }

    def get_absolute_url(self) -> str:
        return reverse("support:service-detail", args=[self.pk])


class StaffApplication(Application):
    """An application as the provincial staff work on it. The routes of the staff's steps
    (assign, review, return, execute) name this proxy: its changes are the staff's alone, so a
    unit's representative, who files the application itself, never reaches them (the money
    steps name `Application` with `Action.APPROVE`, the manager's)."""

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="unit__county__province", roles=KEPT_BY_STAFF)

    class Meta:
        proxy = True
        verbose_name = _("support application (staff's steps)")
        verbose_name_plural = _("support applications (staff's steps)")
