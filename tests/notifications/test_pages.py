"""The notifications pages: a person's own list (newest first, unread marked), the unread
count in the top bar of every page, opening one (read, then its record) and marking all
read; nobody reaches another's."""

import re

import pytest

from shahrak.notifications.models import Notification
from shahrak.notifications.services import notify
from shahrak.units.models import Unit
from tests.harness import SAMPLES

pytestmark = pytest.mark.django_db


def _count_in_top_bar(response) -> str | None:
    """The unread count shown beside «اعلان‌ها» in the top bar (None: no count shown)."""
    bar = response.content.decode().split('<main id="content">')[0]
    found = re.search(r'class="badge unread-count"[^>]*>([^<]*)<', bar)
    return found.group(1) if found else None


def test_the_top_bar_counts_unread_and_the_count_drops_when_read(client, people):
    expert = people["bushehr-expert"]
    unit = SAMPLES[Unit]("bushehr")
    notify(recipients=[expert], verb="x", text="نخست", target=unit)
    notify(recipients=[expert], verb="x", text="دوم")
    client.force_login(expert)
    assert _count_in_top_bar(client.get("/")) == "۲"
    first = Notification.objects.get(text="نخست")
    response = client.post("/notifications/open/", {"id": first.pk})
    assert response.status_code == 302 and response["Location"] == f"/units/{unit.pk}/"
    assert _count_in_top_bar(client.get(response["Location"])) == "۱"
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert _count_in_top_bar(client.get("/notifications/")) is None
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_list_is_newest_first_with_unread_marked(client, people):
    expert = people["bushehr-expert"]
    for text in ("قدیمی", "میانی", "تازه"):
        notify(recipients=[expert], verb="x", text=text)
    Notification.objects.filter(text="میانی").update(read_at="2026-01-01T00:00:00Z")
    client.force_login(expert)
    body = client.get("/notifications/").content.decode()
    items = re.findall(r'<li class="(read|unread)">.*?<bdi>([^<]*)</bdi>', body, re.S)
    assert items == [("unread", "تازه"), ("read", "میانی"), ("unread", "قدیمی")]


def test_nobody_sees_or_opens_another_persons_notifications(client, people):
    mine, theirs = people["bushehr-expert"], people["bushehr-manager"]
    notify(recipients=[theirs], verb="x", text="برای مدیر")
    note = Notification.objects.get()
    client.force_login(mine)
    assert "برای مدیر" not in client.get("/notifications/").content.decode()
    assert client.post("/notifications/open/", {"id": note.pk}).status_code == 404
    assert client.post("/notifications/open/", {"id": 10**6}).status_code == 404
    client.post("/notifications/read-all/")
    note.refresh_from_db()
    assert note.read_at is None  # theirs stays unread


def test_a_record_out_of_reach_is_not_opened(client, people):
    """A notification about a record the person may not (or no longer) see leads back to the
    list, never to a 404."""
    rep = people["bushehr-unit"]
    notify(recipients=[rep], verb="x", text="واحد یزد", target=SAMPLES[Unit]("yazd"))
    client.force_login(rep)
    response = client.post("/notifications/open/", {"id": Notification.objects.get().pk})
    assert response["Location"] == "/notifications/"


def test_strangers_are_sent_to_sign_in(client, people):
    response = client.get("/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
