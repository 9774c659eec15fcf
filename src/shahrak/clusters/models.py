"""Industrial clusters: the registry, their members, development plans and action plans."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.choices import Action, Role
from shahrak.accounts.scoping import ScopedQuerySet, ScopeRule
from shahrak.core.jalali import format_jalali
from shahrak.core.models import BusinessModel, NaturallySorted, NaturalSortField, RialField
from shahrak.units.models import isic_validator

from .choices import IN_PROGRESS_STAGES, ActionCategory, ActionStatus, AssociateRole, PlanStage

DEFAULT_RADIUS_KM = 100
# Records of a cluster reach its province's staff and the cluster's development agent.
CLUSTER_SCOPE = ScopeRule(province="cluster__province", cluster="cluster")


class Cluster(NaturallySorted, BusinessModel):
    """A set of industrial units in one area (within `radius_km` of the centre) that share a
    common product and common problems, helped under a cluster development plan."""

    name = models.CharField(_("name"), max_length=200)
    sort_key = NaturalSortField(source="name", db_index=True)
    isic_code = models.CharField(_("ISIC code"), max_length=4, validators=[isic_validator])
    product = models.CharField(_("common product"), max_length=200)
    province = models.ForeignKey(
        "places.Province",
        on_delete=models.PROTECT,
        related_name="clusters",
        verbose_name=_("province"),
    )
    centre_latitude = models.DecimalField(
        _("centre latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    centre_longitude = models.DecimalField(
        _("centre longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    radius_km = models.PositiveSmallIntegerField(
        _("radius (km)"),
        default=DEFAULT_RADIUS_KM,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agent_clusters",
        verbose_name=_("development agent"),
    )
    # The governing association, once one exists (set by the plan's hand-over).
    association_name = models.CharField(_("governing association"), max_length=200, blank=True)
    association_registration_no = models.CharField(
        _("association's registration number"), max_length=50, blank=True
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="province", cluster="")

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["sort_key", "pk"]
        indexes = [models.Index(fields=["province", "isic_code"], name="cluster_province_isic")]
        constraints = [
            models.CheckConstraint(
                condition=Q(radius_km__gte=1, radius_km__lte=500), name="cluster_radius_sane"
            ),
            models.CheckConstraint(
                condition=Q(centre_latitude__gte=-90, centre_latitude__lte=90)
                & Q(centre_longitude__gte=-180, centre_longitude__lte=180),
                name="cluster_centre_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clusters:cluster-detail", args=[self.pk])


class StaffCluster(Cluster):
    """A cluster as its province's staff keep it. The route that adds member units names this
    proxy: that is the staff's alone (they see the whole registry), so a cluster's
    development agent, who keeps the rest of their clusters, never reaches it."""

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(
        province="province",
        roles={Action.CHANGE: frozenset({Role.MANAGER, Role.EXPERT, Role.SYSADMIN})},
    )

    class Meta:
        proxy = True
        verbose_name = _("cluster (staff's changes)")
        verbose_name_plural = _("clusters (staff's changes)")


class Membership(BusinessModel):
    """A unit's membership of a cluster: from the day it joined to the day it left (kept)."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("cluster")
    )
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="cluster_memberships",
        verbose_name=_("unit"),
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # The great-circle distance from the cluster's centre when the unit joined.
    distance_km = models.DecimalField(
        _("distance from the centre (km)"), max_digits=7, decimal_places=2, editable=False
    )

    objects = ScopedQuerySet.as_manager()
    scope = CLUSTER_SCOPE

    class Meta:
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        ordering = ["cluster", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "unit"],
                condition=Q(left_on__isnull=True, archived_at__isnull=True),
                name="cluster_member_once",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="cluster_member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return _("%(unit)s in %(cluster)s from %(date)s") % {
            "unit": self.unit,
            "cluster": self.cluster,
            "date": format_jalali(self.joined_on, persian=False),
        }

    def get_absolute_url(self) -> str:
        return self.cluster.get_absolute_url()


class Associate(BusinessModel):
    """A non-member associated with a cluster: a supplier, a service provider…"""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="associates", verbose_name=_("cluster")
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=AssociateRole.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = CLUSTER_SCOPE

    class Meta:
        verbose_name = _("associated non-member")
        verbose_name_plural = _("associated non-members")
        ordering = ["cluster", "role", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.cluster} — {self.name} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return self.cluster.get_absolute_url()


class DevelopmentPlan(BusinessModel):
    """A cluster's development plan, from identification to the hand-over and its end; each
    stage reached is a dated `PlanStep`."""

    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("cluster"),
    )
    started_on = models.DateField(_("started on"))
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=PlanStage.choices,
        default=PlanStage.IDENTIFICATION,
        editable=False,
    )
    # The hand-over: when, and to which association (its name and registration number).
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True, editable=False)
    association_name = models.CharField(
        _("receiving association"), max_length=200, blank=True, editable=False
    )
    association_registration_no = models.CharField(
        _("association's registration number"), max_length=50, blank=True, editable=False
    )
    finished_on = models.DateField(_("finished on"), null=True, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = CLUSTER_SCOPE

    class Meta:
        verbose_name = _("cluster development plan")
        verbose_name_plural = _("cluster development plans")
        ordering = ["cluster", "-started_on", "-pk"]
        indexes = [
            models.Index(fields=["started_on", "finished_on"], name="cluster_plan_dates"),
            models.Index(fields=["handed_over_on"], name="cluster_plan_handover"),
        ]
        constraints = [
            # One plan at work per cluster (the services say so first, in words).
            models.UniqueConstraint(
                fields=["cluster"],
                condition=Q(stage__in=IN_PROGRESS_STAGES, archived_at__isnull=True),
                name="cluster_one_plan_in_progress",
            ),
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(finished_on__gte=models.F("started_on")),
                name="cluster_plan_finishes_after_start",
            ),
            models.CheckConstraint(
                condition=Q(stage=PlanStage.FINISHED, finished_on__isnull=False)
                | (~Q(stage=PlanStage.FINISHED) & Q(finished_on__isnull=True)),
                name="cluster_plan_finished_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("Development plan of %(cluster)s from %(date)s") % {
            "cluster": self.cluster,
            "date": format_jalali(self.started_on, persian=False),
        }

    @property
    def in_progress(self) -> bool:
        return self.stage in IN_PROGRESS_STAGES

    def get_absolute_url(self) -> str:
        return self.cluster.get_absolute_url()


def document_path(step, filename: str) -> str:
    return f"clusters/plans/{step.plan_id}/{filename}"


class PlanStep(BusinessModel):
    """A stage a plan reached, on a date (the plan's timeline); the diagnostic study's step
    carries the study's document (a PDF or an image, checked by content and size)."""

    plan = models.ForeignKey(
        DevelopmentPlan, on_delete=models.PROTECT, related_name="steps", verbose_name=_("plan")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=PlanStage.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=1000, blank=True)
    document = models.FileField(
        _("document"), upload_to=document_path, max_length=300, blank=True, editable=False
    )
    document_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    document_size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="plan__cluster__province", cluster="plan__cluster")

    class Meta:
        verbose_name = _("plan stage")
        verbose_name_plural = _("plan stages")
        ordering = ["plan", "on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "stage"],
                condition=Q(archived_at__isnull=True),
                name="cluster_plan_stage_once",
            )
        ]

    def __str__(self) -> str:
        return _("%(plan)s — %(stage)s on %(date)s") % {
            "plan": self.plan,
            "stage": self.get_stage_display(),
            "date": format_jalali(self.on, persian=False),
        }

    def get_absolute_url(self) -> str:
        return self.plan.cluster.get_absolute_url()


class ActionPlan(BusinessModel):
    """An action plan (برنامه عمل) of a cluster in a Jalali year: a joint action, its cost and
    the subsidy that pays part of it (a support-program application, where one does)."""

    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        related_name="action_plans",
        verbose_name=_("cluster"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1380), MaxValueValidator(1500)]
    )
    title = models.CharField(_("title"), max_length=300)
    category = models.CharField(_("category"), max_length=20, choices=ActionCategory.choices)
    cost_rial = RialField(_("cost"), default=0, validators=[MinValueValidator(0)])
    subsidy_rial = RialField(_("subsidy"), default=0, validators=[MinValueValidator(0)])
    application = models.ForeignKey(
        "support.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cluster_action_plans",
        verbose_name=_("support application paying the subsidy"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = CLUSTER_SCOPE

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["cluster", "year", "starts_on", "pk"]
        indexes = [models.Index(fields=["starts_on", "status"], name="cluster_action_starts")]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_rial__gte=0, subsidy_rial__gte=0)
                & Q(subsidy_rial__lte=models.F("cost_rial")),
                name="cluster_action_money_sane",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="cluster_action_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} — {self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("clusters:action-list", args=[self.cluster_id]) + f"?year={self.year}"
