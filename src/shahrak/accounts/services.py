"""Writes about people: invitations, edits, deactivation, unlocking, roles.

Each checks that the actor manages the users concerned, runs in one transaction, and
raises DomainError with a message the UI shows.
"""

from axes.utils import reset as axes_reset
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from shahrak.core.errors import DomainError, NotAllowed
from shahrak.core.models import save_versioned
from shahrak.core.text import normalize_fa
from shahrak.core.validators import normalize_mobile

from .choices import Action
from .models import AuditEntry, Membership, User
from .policy import NATIONAL_ROLES, OBJECT_ROLES, ROLES_A_MANAGER_GRANTS, access_for, forget_access
from .scoping import OBJECT_LINKS


def _require_manages(actor, province_id) -> None:
    if not access_for(actor).can(Action.MANAGE_USERS, province_id):
        raise NotAllowed(_("You may manage only the users of your own province."))


def _require_manages_user(actor, user: User) -> None:
    """The actor manages every province the user works in (no reaching into others')."""
    access = access_for(actor)
    if access.superuser:
        return
    provinces = {m.province_id for m in user.memberships.filter(archived_at__isnull=True)}
    if not provinces or None in provinces:
        raise NotAllowed(_("Only a system administrator may change this user."))
    if not all(access.can(Action.MANAGE_USERS, p) for p in provinces):
        raise NotAllowed(
            _("This user also works in another province; only both managers together may do this.")
        )


def _check_grantable(actor, role: str, province) -> None:
    if role in NATIONAL_ROLES or province is None:
        if not access_for(actor).superuser:
            raise NotAllowed(_("Only a system administrator may grant national roles."))
        return
    if role not in ROLES_A_MANAGER_GRANTS and not access_for(actor).superuser:
        raise NotAllowed(_("A provincial manager cannot grant this role."))
    _require_manages(actor, province.pk)


def _check_new_grant(actor, role: str, province) -> None:
    """A new role: a national one holds everywhere (no province), any other in one province."""
    if role in NATIONAL_ROLES:
        if not access_for(actor).superuser:
            raise NotAllowed(_("Only a system administrator may grant national roles."))
        if province is not None:
            raise DomainError(
                _("A national role holds in every province: leave the province empty."),
                code="national_role_in_province",
                field="province",
            )
    elif province is None:
        raise DomainError(
            _("Choose the province in which this role holds."),
            code="province_required",
            field="province",
        )
    _check_grantable(actor, role, province)


@transaction.atomic
def user_invite(
    *,
    actor,
    username,
    first_name,
    last_name,
    mobile,
    email,
    role,
    province,
    linked=None,
    request=None,
) -> User:
    """Create a user with a role in a province and email them a link to set a password. A
    role that reaches records through objects of its own is given one: `linked` (a unit
    representative: the unit they represent)."""
    _check_new_grant(actor, role, province)
    link = OBJECT_LINKS.get(OBJECT_ROLES.get(role, ""))
    if link is not None and linked is None:
        raise DomainError(link.missing, code="object_required", field=OBJECT_ROLES[role])
    username = normalize_fa(username).lower()
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This username is taken."), code="username_taken", field="username")
    mobile = normalize_mobile(mobile) if mobile else None
    if mobile and User.objects.filter(mobile=mobile).exists():
        raise DomainError(
            _("Another user has this mobile number."), code="mobile_taken", field="mobile"
        )
    user = User(
        username=username,
        first_name=normalize_fa(first_name),
        last_name=normalize_fa(last_name),
        mobile=mobile,
        email=email,
    )
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, role=role, province=province, granted_by=actor)
    file_history_under(user, province)
    if link is not None:
        forget_access(user)
        link.link(actor=actor, obj=linked, user=user)
    if email:
        transaction.on_commit(lambda: send_invitation(user, request))
    return user


def file_history_under(user: User, province) -> None:
    """A new user's creation was logged before they had a province: file it under the one
    they joined, so that province's managers see it in their activity log."""
    if province is not None:
        AuditEntry.objects.get_for_object(user).filter(province=None).update(province=province)


def send_invitation(user: User, request=None) -> None:
    """Email the link with which a new user sets their password (Django's reset token)."""
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    link = request.build_absolute_uri(path) if request else path
    body = render_to_string("accounts/email/invitation.txt", {"user": user, "link": link})
    send_mail(_("Your Shahrak account"), body, None, [user.email])


@transaction.atomic
def user_update(*, actor, user: User, expected_version: int, **fields) -> User:
    _require_manages_user(actor, user)
    if "mobile" in fields:
        fields["mobile"] = normalize_mobile(fields["mobile"]) if fields["mobile"] else None
        if (
            fields["mobile"]
            and User.objects.exclude(pk=user.pk).filter(mobile=fields["mobile"]).exists()
        ):
            raise DomainError(
                _("Another user has this mobile number."), code="mobile_taken", field="mobile"
            )
    for name in ("first_name", "last_name"):
        if name in fields:
            fields[name] = normalize_fa(fields[name])
    for name, value in fields.items():
        setattr(user, name, value)
    save_versioned(user, expected_version=expected_version, update_fields=list(fields))
    return user


@transaction.atomic
def user_deactivate(*, actor, user: User) -> None:
    """Deactivate (archive) a user: they can no longer sign in; their records and history stay."""
    if user.pk == actor.pk:
        raise DomainError(_("You cannot deactivate your own account."), code="self_deactivate")
    _require_manages_user(actor, user)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])


@transaction.atomic
def user_reactivate(*, actor, user: User) -> None:
    _require_manages_user(actor, user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])


def user_unlock(*, actor, user: User) -> int:
    """Lift a sign-in lock (after too many wrong passwords) before it runs out."""
    _require_manages_user(actor, user)
    return axes_reset(username=user.username)


@transaction.atomic
def membership_grant(*, actor, user: User, role: str, province) -> Membership:
    _check_new_grant(actor, role, province)
    if Membership.objects.filter(
        user=user, role=role, province=province, archived_at__isnull=True
    ).exists():
        raise DomainError(_("The user already has this role here."), code="duplicate_role")
    membership = Membership.objects.create(
        user=user, role=role, province=province, granted_by=actor
    )
    forget_access(user)
    return membership


@transaction.atomic
def membership_archive(*, actor, membership: Membership) -> None:
    """Take a role away (the membership is archived, never deleted)."""
    _check_grantable(actor, membership.role, membership.province)
    membership.archive(actor=actor)
    forget_access(membership.user)
