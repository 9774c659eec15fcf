"""The cluster lists a report's figure opens carry ISO dates and `true` in their links; the
filter form shows them as a Persian reader reads them: Jalali dates in Persian digits, a
yes/no filter as «بله»/«خیر», never 2022-03-21 or True."""

import re

import pytest

pytestmark = pytest.mark.django_db

# 2022-03-21 is 1401/01/01 and 2022-09-22 is 1401/06/31 (Nowruz 1401 fell on 21 March 2022;
# the first six Jalali months have 31 days: 186 days later).


def box(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)[0]
    return re.search(r'value="([^"]*)"', tag)[1]


def applied(html: str) -> str:
    return re.search(r'<p class="muted applied">(.*?)</p>', html, re.S)[1]


@pytest.mark.parametrize(
    "url, name, shown",
    [
        ("/clusters/action-plans/?starts_from=2022-03-21&carried_out=true", "starts_from",
         "۱۴۰۱/۰۱/۰۱"),
        ("/clusters/members/?on=2022-09-22", "on", "۱۴۰۱/۰۶/۳۱"),
        ("/clusters/plans/?finished_from=2022-09-22", "finished_from", "۱۴۰۱/۰۶/۳۱"),
        ("/clusters/members/?on=1401/6/31", "on", "۱۴۰۱/۰۶/۳۱"),  # a Jalali link as well
        ("/clusters/members/?on=1401/13/01", "on", "1401/13/01"),  # no date: as typed
    ],
)  # fmt: skip
def test_a_reports_iso_date_is_shown_in_jalali(people, client, url, name, shown):
    client.force_login(people["yazd-expert"])
    page = client.get(url)
    assert page.status_code == 200
    assert box(page.content.decode(), name) == shown


def test_a_yes_no_filter_a_link_applied_reads_in_persian(people, client):
    client.force_login(people["yazd-expert"])
    html = client.get("/clusters/action-plans/?carried_out=true").content.decode()
    said = applied(html)
    assert "True" not in said and "بله" in said
