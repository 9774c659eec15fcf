from auditlog.models import AbstractLogEntry, LogEntryManager
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shahrak.core.models import BusinessModel
from shahrak.core.validators import validate_mobile

from .choices import Action, Role
from .policy import NATIONAL_ROLES
from .scoping import ScopedQuerySet, ScopeRule, province_id_of

# Who may see and manage people: user lists and memberships are not for experts.
PEOPLE_ROLES = {
    Action.VIEW: frozenset({Role.MANAGER, Role.AUDITOR, Role.HQ}),
    Action.VIEW_HISTORY: frozenset({Role.MANAGER, Role.AUDITOR, Role.HQ}),
    Action.CHANGE: frozenset({Role.MANAGER}),
    Action.MANAGE_USERS: frozenset({Role.MANAGER}),
}


class ShahrakUserManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in to Shahrak: by username or by mobile number."""

    mobile = models.CharField(
        _("mobile number"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_mobile],
        help_text=_("11 digits starting with 09; it can be used to sign in."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ShahrakUserManager()
    # A user belongs to the provinces of their memberships.
    scope = ScopeRule(province="memberships__province", many=True, roles=PEOPLE_ROLES)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:user-detail", args=[self.pk])

    def scope_province_id(self) -> int | None:
        """For the audit trail: the province of the user's first membership."""
        membership = self.memberships.exclude(province=None).order_by("pk").first()
        return membership.province_id if membership else None


class Membership(BusinessModel):
    """A role a user holds, in a province (or nationally, for headquarters and administrators)."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    province = models.ForeignKey(
        "places.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("province"),
    )
    granted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(province="province", roles=PEOPLE_ROLES)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(NATIONAL_ROLES), province__isnull=True)
                    | (~Q(role__in=sorted(NATIONAL_ROLES)) & Q(province__isnull=False))
                ),
                name="membership_province_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "province"],
                condition=Q(archived_at__isnull=True),
                name="membership_unique_active",
            ),
        ]

    def __str__(self) -> str:
        where = self.province.name if self.province_id else _("the whole country")
        return f"{self.user} — {self.get_role_display()} — {where}"


class AuditEntryManager(LogEntryManager.from_queryset(ScopedQuerySet)):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        # Each entry carries the province of its record, so the activity log is scoped.
        kwargs.setdefault("province_id", province_id_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, *args, **kwargs):
        kwargs.setdefault("province_id", province_id_of(instance))
        return super().log_m2m_changes(changed_queryset, instance, *args, **kwargs)


class AuditEntry(AbstractLogEntry):
    """One change to business data: who, when, from which address, field by field."""

    province = models.ForeignKey(
        "places.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )

    objects = AuditEntryManager()
    scope = ScopeRule(
        province="province",
        roles={
            Action.VIEW: frozenset({Role.MANAGER, Role.AUDITOR, Role.HQ}),
            Action.VIEW_HISTORY: frozenset({Role.MANAGER, Role.AUDITOR, Role.HQ}),
        },
    )

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["province", "-timestamp"], name="audit_province_time")]
