from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shahrak.core.errors import DomainError
from shahrak.core.pages import confirmation, post_action, record_page
from shahrak.core.text import isolate

from . import services
from .access import get_scoped_or_404, public, scoped, signed_in
from .choices import Action
from .filtersets import AuditEntryFilterSet
from .forms import (
    InviteForm,
    LoginForm,
    RoleForm,
    UserEditForm,
    UserFilterForm,
)
from .history import action_label, field_changes, history_for, label_records
from .models import AuditEntry, Membership, User
from .policy import OBJECT_ROLES
from .scoping import OBJECT_LINKS
from .selectors import locked_until, locked_usernames

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
    ),
    methods=("GET", "POST"),
)
logout = public(auth_views.LogoutView.as_view(), methods=("POST",))
password_change = signed_in(
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("accounts:password-change-done"),
    ),
    methods=("GET", "POST"),
)
password_change_done = signed_in(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)
password_reset = public(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password-reset-done"),
    ),
    methods=("GET", "POST"),
)
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password-reset-complete"),
    ),
    methods=("GET", "POST"),
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


def locked_out(request, original_response=None, credentials=None):
    """What a locked-out sign-in attempt sees (django-axes calls this)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked.html", {"cooloff_minutes": minutes}, status=429)


def _show_domain_error(request, form, error: DomainError) -> None:
    if form is not None and error.field and error.field in form.fields:
        form.add_error(error.field, str(error.message))
    elif form is not None:
        form.add_error(None, str(error.message))
    else:
        messages.error(request, str(error.message))


@scoped(User, Action.VIEW)
def user_list(request):
    form = UserFilterForm(request.GET or None)
    users = User.objects.restrict(request.user, Action.VIEW).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(archived_at__isnull=True).select_related("province"),
        )
    )
    if form.is_valid():
        if text := form.cleaned_data["q"]:
            users = users.filter(
                Q(username__icontains=text)
                | Q(first_name__icontains=text)
                | Q(last_name__icontains=text)
                | Q(mobile__contains=text)
            )
        if role := form.cleaned_data["role"]:
            users = users.filter(
                pk__in=Membership.objects.filter(role=role, archived_at__isnull=True).values("user")
            )
        if status := form.cleaned_data["status"]:
            users = users.filter(is_active=status == "active")
    page = Paginator(users.order_by("username"), 50).get_page(request.GET.get("page"))
    locks = locked_usernames(user.username for user in page)
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": page, "locks": locks},
    )


@scoped(User, Action.VIEW, lookup="pk")
def user_detail(request, pk):
    person = get_scoped_or_404(User, request.user, Action.VIEW, pk=pk)
    return user_page(request, person)


def user_page(request, person, *, bound=None, status=200):
    """The person's page; `bound` holds a form just posted from it and refused (see
    `core.pages.post_action`)."""
    memberships = person.memberships.select_related("province", "granted_by").order_by(
        "archived_at", "role"
    )
    context = {
        "person": person,
        "memberships": memberships,
        "locked_until": locked_until(person.username),
        # The objects through which the person reaches records (a representative's
        # units), those the viewer may see.
        "held": [
            (link.held_label, list(link.held(person).restrict(request.user, Action.VIEW)))
            for link in OBJECT_LINKS.values()
        ],
        "history": history_for(request.user, person),
    }
    forms = {"role_form": lambda: RoleForm(actor=request.user)}
    return record_page(
        request, "accounts/user_detail.html", context, forms, bound=bound, status=status
    )


@scoped(User, Action.MANAGE_USERS, methods=("GET", "POST"), listing=False)
def user_invite(request):
    # A link may fill in the role, the province and the object (a unit's page: "invite a
    # representative of this unit").
    prefilled = {key: value for key, value in request.GET.items() if key in INVITE_PREFILLED}
    form = InviteForm(request.POST or None, actor=request.user, initial=prefilled)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(actor=request.user, request=request, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            _show_domain_error(request, form, _as_domain_error(error))
        else:
            messages.success(request, _("The user was created and invited."))
            return redirect("accounts:user-detail", pk=user.pk)
    return render(request, "accounts/user_invite.html", {"form": form})


INVITE_PREFILLED = {"role", "province", *OBJECT_ROLES.values()}


def _as_domain_error(error) -> DomainError:
    if isinstance(error, DomainError):
        return error
    return DomainError(" ".join(error.messages), code=getattr(error, "code", None) or "invalid")


@scoped(User, Action.MANAGE_USERS, lookup="pk", methods=("GET", "POST"))
def user_edit(request, pk):
    person = get_scoped_or_404(User, request.user, Action.MANAGE_USERS, pk=pk)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "mobile": person.mobile or "",
        "email": person.email,
        "version": person.version,
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.user_update(actor=request.user, user=person, expected_version=version, **data)
        except (DomainError, ValidationError) as error:
            _show_domain_error(request, form, _as_domain_error(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:user-detail", pk=person.pk)
    return render(request, "accounts/user_edit.html", {"form": form, "person": person})


def _user_action(service, done_message, confirm=None):
    @require_POST
    def view(request, pk):
        person = get_scoped_or_404(User, request.user, Action.MANAGE_USERS, pk=pk)
        if confirm is not None:
            question, consequence, label = confirm(person)
            asking = confirmation(
                request, person, question=question, consequence=consequence, confirm_label=label
            )
            if asking is not None:
                return asking
        try:
            service(actor=request.user, user=person)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, done_message())
        return redirect("accounts:user-detail", pk=person.pk)

    return scoped(User, Action.MANAGE_USERS, lookup="pk", methods=("POST",))(view)


user_deactivate = _user_action(
    services.user_deactivate,
    lambda: _("The user was deactivated."),
    confirm=lambda person: (
        _("Deactivate %(name)s?") % {"name": isolate(person)},
        _(
            "%(name)s will no longer be able to sign in. Their roles and history stay, and "
            "they can be reactivated later."
        )
        % {"name": isolate(person)},
        _("Yes, deactivate"),
    ),
)
user_reactivate = _user_action(services.user_reactivate, lambda: _("The user was reactivated."))
user_unlock = _user_action(services.user_unlock, lambda: _("The sign-in lock was lifted."))


@scoped(User, Action.MANAGE_USERS, lookup="pk", methods=("POST",))
@require_POST
def membership_add(request, pk):
    person = get_scoped_or_404(User, request.user, Action.MANAGE_USERS, pk=pk)
    return post_action(
        request,
        person,
        lambda data: RoleForm(data, actor=request.user),
        lambda person, data: services.membership_grant(actor=request.user, user=person, **data),
        page=user_page,
        slot="role_form",
        done=_("The role was granted."),
    )


@scoped(Membership, Action.MANAGE_USERS, lookup="pk", methods=("POST",))
@require_POST
def membership_archive(request, pk):
    membership = get_scoped_or_404(Membership, request.user, Action.MANAGE_USERS, pk=pk)
    asking = confirmation(
        request,
        membership.user,
        question=_("Take away the role «%(role)s» from %(name)s?")
        % {"role": membership.get_role_display(), "name": isolate(membership.user)},
        consequence=_(
            "They will no longer have what this role allows. The role stays in the history."
        ),
        confirm_label=_("Yes, take it away"),
    )
    if asking is not None:
        return asking
    try:
        services.membership_archive(actor=request.user, membership=membership)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The role was taken away; it stays in the history."))
    return redirect("accounts:user-detail", pk=membership.user_id)


@scoped(AuditEntry, Action.VIEW)
def activity(request):
    entries = AuditEntry.objects.restrict(request.user, Action.VIEW).select_related(
        "actor", "content_type", "province"
    )
    filterset = AuditEntryFilterSet(request.GET, entries)
    entries = filterset.qs
    page = Paginator(entries.order_by("-timestamp", "-pk"), 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.label = action_label(entry)
        entry.field_changes = field_changes(entry)
    label_records(page)
    return render(request, "accounts/activity.html", {"filter": filterset, "page": page})
