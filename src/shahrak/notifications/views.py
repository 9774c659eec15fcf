"""A person's own notifications: the list (newest first, unread marked), opening one (it is
then read, and leads to its record) and marking all read. Nobody reaches another's: a
notification is named by its id in the posted form, and one that is not the user's answers
404 exactly as one that does not exist."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shahrak.accounts.access import declaration_of, signed_in
from shahrak.core.forms import id_param

from . import services
from .models import Notification


@signed_in
def notification_list(request):
    notifications = Notification.objects.for_user(request.user).order_by("-created_at", "-pk")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "title": _("Notifications")},
    )


def record_url(user, notification: Notification) -> str:
    """Where a notification leads: its link, or its record's page, when the user may reach
    it (as the route's declaration says); else "" (the record is gone or out of reach)."""
    url = notification.url
    if not url and notification.target_type_id:
        target = notification.target  # None when the record is gone
        url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
    if not url:
        return ""
    try:
        match = resolve(url.split("?", 1)[0])
    except Resolver404:
        return ""
    declaration = declaration_of(match.func)
    return url if declaration is not None and declaration.allows(user, match.kwargs) else ""


@signed_in(methods=("POST",))
@require_POST
def notification_open(request):
    """Open one of the user's notifications: it is marked read and the user is taken to its
    record (or back to the list when it has none they may see)."""
    number = id_param(request.POST.get("id"))
    if number is None:
        return redirect("notifications:list")
    notification = Notification.objects.for_user(request.user).filter(pk=number).first()
    if notification is None:
        raise Http404
    services.notification_read(user=request.user, notification=notification)
    url = record_url(request.user, notification)
    if not url:
        messages.info(request, _("This notification has no page to open."))
        return redirect("notifications:list")
    return redirect(url)


@signed_in(methods=("POST",))
@require_POST
def notifications_read_all(request):
    count = services.notifications_read_all(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(reverse("notifications:list"))
