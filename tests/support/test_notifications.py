"""notify(): the one entry point; in-app notifications kept in the database, each person once,
never the actor, emailed only where email is configured and only once the step commits."""

import pytest

from shahrak.notifications.models import Notification
from shahrak.notifications.services import (
    notification_read,
    notifications_read_all,
    notify,
    unread_count,
)
from shahrak.units.models import Unit
from tests.harness import SAMPLES

pytestmark = pytest.mark.django_db


def test_each_person_is_told_once_and_never_the_actor(people):
    unit = SAMPLES[Unit]("bushehr")
    expert, manager = people["bushehr-expert"], people["bushehr-manager"]
    made = notify(recipients=[expert, expert, manager, None], verb="unit.seen", target=unit,
                  text="واحد دیده شد", actor=manager)  # fmt: skip
    assert [n.recipient for n in made] == [expert]
    note = Notification.objects.get()
    assert (note.target, note.text, note.read_at) == (unit, "واحد دیده شد", None)


def test_unread_count_and_reading_are_ones_own(people):
    expert, other = people["bushehr-expert"], people["yazd-expert"]
    notify(recipients=[expert], verb="x", text="یک")
    notify(recipients=[expert, other], verb="x", text="دو")
    assert (unread_count(expert), unread_count(other)) == (2, 1)
    theirs = Notification.objects.get(recipient=other)
    notification_read(user=expert, notification=theirs)  # not theirs to read: nothing
    assert unread_count(other) == 1
    notification_read(user=other, notification=theirs)
    assert unread_count(other) == 0
    assert notifications_read_all(user=expert) == 2 and unread_count(expert) == 0
    assert not Notification.objects.for_user(None).exists()


def test_email_only_where_configured_and_after_the_commit(
    settings, mailoutbox, django_capture_on_commit_callbacks, people
):
    expert = people["bushehr-expert"]
    expert.email = "expert@example.com"
    expert.save()
    settings.SHAHRAK_EMAIL_NOTIFICATIONS = False
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[expert], verb="x", text="بی‌رایانامه")
    assert mailoutbox == []
    settings.SHAHRAK_EMAIL_NOTIFICATIONS = True
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        notify(recipients=[expert], verb="x", text="با رایانامه")
    assert mailoutbox == []  # not before the transaction commits
    for callback in waiting:
        callback()
    assert [(m.to, m.body) for m in mailoutbox] == [(["expert@example.com"], "با رایانامه")]
    assert Notification.objects.get(text="با رایانامه").emailed_at is not None
