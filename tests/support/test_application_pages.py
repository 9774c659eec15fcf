"""The applications' pages: the list by stage and age, an application's page with its
timeline, and the notification of a step leading to it."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from shahrak.notifications.models import Notification
from shahrak.support.models import ApplicationDocument, ApplicationStep
from tests.support.helpers import (
    MILLION,
    PDF,
    approved,
    draft,
    make_budget,
    make_program,
    make_unit,
)

pytestmark = pytest.mark.django_db


def _numbers(response) -> list[str]:
    body = response.content.decode()
    return re.findall(r'<a href="/support/applications/\d+/">([^<]*)</a>', body)


@pytest.fixture
def two(people, rep, expert, manager):
    program = make_program(manager)
    make_budget(manager, program, 10_000 * MILLION)
    unit = make_unit(expert, rep)
    old = draft(rep, unit, program)
    ApplicationStep.objects.filter(application=old).update(
        at=timezone.now() - dt.timedelta(days=40)
    )
    fresh = approved(rep, expert, manager, unit, program, 1_000 * MILLION, 40)
    return old, fresh


def test_the_list_shows_stage_and_age_and_filters_them(client, people, two):
    old, fresh = two
    client.force_login(people["bushehr-expert"])
    listed = client.get("/support/applications/")
    assert sorted(_numbers(listed)) == sorted([_fa(old.pk), _fa(fresh.pk)])
    body = listed.content.decode()
    assert "پیش‌نویس" in body and "تأیید" in body
    assert _numbers(client.get("/support/applications/?status=draft")) == [_fa(old.pk)]
    assert _numbers(client.get("/support/applications/?waiting_days=30")) == [_fa(old.pk)]


def _fa(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def test_only_the_units_side_and_the_provinces_staff_see_them(client, people, two):
    client.force_login(people["yazd-manager"])
    assert _numbers(client.get("/support/applications/")) == []
    assert client.get(f"/support/applications/{two[1].pk}/").status_code == 404
    client.force_login(people["bushehr-unit"])
    assert len(_numbers(client.get("/support/applications/"))) == 2


def test_the_application_page_shows_its_timeline(client, people, two):
    _old, fresh = two
    client.force_login(people["bushehr-unit"])
    body = client.get(f"/support/applications/{fresh.pk}/").content.decode()
    timeline = body.split("<h2>")[1]
    for stage in ("پیش‌نویس", "فرستاده‌شده", "در دست بررسی", "تأییدشده"):
        assert stage in timeline, stage
    assert "۴۰ میلیون تومان" in body  # 40 % of 1,000 million rial = 400 million rial


def test_the_approval_notification_leads_to_the_application(client, people, two):
    _old, fresh = two
    client.force_login(people["bushehr-unit"])
    note = Notification.objects.get(recipient=people["bushehr-unit"], verb="application.approved")
    response = client.post("/notifications/open/", {"id": note.pk})
    assert response["Location"] == f"/support/applications/{fresh.pk}/"


def test_the_application_page_links_its_documents_to_whoever_may_read_it(client, people, two):
    _old, fresh = two
    document = ApplicationDocument.objects.get(application=fresh)  # the quote, as submitted
    url = f"/support/documents/{document.pk}/"
    for username in ("bushehr-expert", "bushehr-manager", "bushehr-unit"):
        client.force_login(people[username])
        body = client.get(f"/support/applications/{fresh.pk}/").content.decode()
        assert f'<a href="{url}" download><bdi>quote.pdf</bdi></a>' in body, username
        response = client.get(url)
        assert response.status_code == 200, username
        assert response["Content-Type"] == "application/pdf"
        assert "quote.pdf" in response["Content-Disposition"]
        assert response.content == PDF
    client.force_login(people["yazd-manager"])  # may not see the application: nor its files
    assert client.get(url).status_code == 404
