"""A province's revival settings on a page of their own (issue 12, point 5: the watch rules
are configurable per province): its manager opens it from the watch list and edits it as a
versioned record, every change in the audit trail; nobody else sees the link, and another
province's settings answer 404."""

import pytest

from shahrak.accounts.models import AuditEntry
from shahrak.places.models import Province
from shahrak.revival.models import ProvinceRevivalSettings

pytestmark = pytest.mark.django_db


def _form(record, **changes):
    data = {
        "missed_months": record.missed_months, "drop_pct": record.drop_pct,
        "recent_months": record.recent_months, "utility_months": record.utility_months,
        "utility_pct": record.utility_pct, "version": record.version,
        **({"diagnosis_before_restart": "on"} if record.diagnosis_before_restart else {}),
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_manager_follows_the_link_from_the_watch_list_and_saves_the_rules(client, people):
    manager = people["yazd-manager"]
    yazd = Province.objects.get(code="yazd")
    client.force_login(manager)
    watch = client.get("/revival/watch/").content.decode()
    record = ProvinceRevivalSettings.objects.get(province=yazd)  # made with the defaults
    url = f"/revival/settings/{record.pk}/"
    assert f'href="{url}"' in watch  # the link on the watch list leads to the page
    page = client.get(url)
    assert page.status_code == 200
    assert (record.missed_months, record.drop_pct) == (2, 40)  # the defaults in force
    answer = client.post(url, _form(record, missed_months="۳", drop_pct="25",
                                    diagnosis_before_restart=None))  # fmt: skip
    assert answer.status_code == 302, answer.context["form"].errors if answer.context else ""
    record.refresh_from_db()
    assert (record.missed_months, record.drop_pct, record.diagnosis_before_restart) == (
        3, 25, False,
    )  # fmt: skip
    assert record.version == 2
    changed = AuditEntry.objects.get_for_object(record).order_by("timestamp", "pk").last()
    assert changed.actor_id == manager.pk and "missed_months" in changed.changes


def test_a_stale_edit_is_refused_and_saves_nothing(client, people):
    yazd = Province.objects.get(code="yazd")
    client.force_login(people["yazd-manager"])
    client.get("/revival/watch/")
    record = ProvinceRevivalSettings.objects.get(province=yazd)
    url = record.get_absolute_url()
    opened = _form(record, missed_months="5")
    client.post(url, _form(record, drop_pct="30"))  # someone saved since the form opened
    answer = client.post(url, opened)
    assert answer.status_code in (200, 409)
    record.refresh_from_db()
    assert (record.missed_months, record.drop_pct) == (2, 30)


def test_an_out_of_range_rule_is_refused_on_the_form(client, people):
    yazd = Province.objects.get(code="yazd")
    client.force_login(people["yazd-manager"])
    client.get("/revival/watch/")
    record = ProvinceRevivalSettings.objects.get(province=yazd)
    url = record.get_absolute_url()
    answer = client.post(url, _form(record, drop_pct="150"))
    assert answer.status_code == 200 and answer.context["form"].errors["drop_pct"]
    record.refresh_from_db()
    assert record.drop_pct == 40


@pytest.mark.parametrize("username", ["yazd-expert", "bushehr-manager", "auditor", "hq"])
def test_others_see_no_link_and_reach_no_page(client, people, username):
    yazd = Province.objects.get(code="yazd")
    client.force_login(people["yazd-manager"])
    client.get("/revival/watch/")  # the record exists: only access decides
    url = ProvinceRevivalSettings.objects.get(province=yazd).get_absolute_url()
    client.force_login(people[username])
    watch = client.get("/revival/watch/?province=yazd")
    if watch.status_code == 200:
        assert "/revival/settings/" not in watch.content.decode()
    assert client.get(url).status_code == 404
    assert client.post(url, {"missed_months": "9", "version": "1"}).status_code == 404
    assert ProvinceRevivalSettings.objects.get(province=yazd).missed_months == 2


def test_another_provinces_settings_answer_as_settings_that_do_not_exist(client, people):
    client.force_login(people["bushehr-manager"])
    client.get("/revival/watch/")
    bushehr = ProvinceRevivalSettings.objects.get(province__code="bushehr")
    client.force_login(people["yazd-manager"])
    watch = client.get("/revival/watch/").content.decode()
    assert bushehr.get_absolute_url() not in watch
    assert client.get(bushehr.get_absolute_url()).status_code == 404
    assert client.get("/revival/settings/999999/").status_code == 404
    answer = client.post(bushehr.get_absolute_url(), {"missed_months": "9", "version": "1"})
    assert answer.status_code == 404
    bushehr.refresh_from_db()
    assert bushehr.missed_months == 2 and bushehr.version == 1
