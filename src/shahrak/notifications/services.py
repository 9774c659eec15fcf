"""Notifications: one entry point, `notify(...)`, for every app that tells someone something.

    notify(recipients=[user, …], verb="application.approved", target=application,
           text=_("…"), url=application_url, actor=manager)

Each recipient gets an in-app notification, kept in the database in the caller's transaction
(a refused step leaves none behind), and — where email is configured
(`SHAHRAK_EMAIL_HOST`, see README) and the person has an address — an email sent once the
transaction commits. The actor is never told of their own step. Muting, more events and other
channels (a later issue) belong here, behind the same call.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


def email_configured() -> bool:
    return bool(getattr(settings, "SHAHRAK_EMAIL_NOTIFICATIONS", False))


def notify(
    *, recipients: Iterable, verb: str, text: str, target=None, url: str = "", actor=None
) -> list[Notification]:
    """Tell each recipient (once, whoever is named twice; never the actor) `text`."""
    seen, people = set(), []
    for person in recipients:
        if person is None or person.pk is None or person.pk in seen or not person.is_active:
            continue
        if actor is not None and person.pk == getattr(actor, "pk", None):
            continue
        seen.add(person.pk)
        people.append(person)
    if not people:
        return []
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    made = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            verb=verb,
            text=str(text)[:500],
            url=url,
            target_type=target_type,
            target_id=getattr(target, "pk", None),
        )
        for person in people
    )
    if email_configured():
        mailed = [(person.email, note) for person, note in zip(people, made, strict=True)]
        transaction.on_commit(lambda: _send(mailed))
    return made


def _send(mailed) -> None:
    sent = []
    for address, note in mailed:
        if not address:
            continue
        try:
            send_mail(note.text[:120], note.text, None, [address])
        except OSError:  # the mail server is down: the in-app notification stays
            logger.warning("notification %s: email to %s failed", note.pk, address)
            continue
        sent.append(note.pk)
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())


def notification_read(*, user, notification: Notification) -> None:
    """Mark one of the user's own notifications read."""
    Notification.objects.for_user(user).filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_read_all(*, user) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.for_user(user).unread().count()
