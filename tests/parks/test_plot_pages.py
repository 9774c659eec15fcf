"""Land allocation is reachable by clicking: plot list → plot page → allocation form."""

import re

import pytest
from django.db import transaction
from django.utils import timezone

from shahrak.parks.choices import PlotStatus
from tests.harness import SAMPLES

pytestmark = pytest.mark.django_db


def _hrefs(response):
    return re.findall(r'href="([^"]+)"', response.content.decode())


def test_plot_rows_link_to_the_plot_page_and_it_to_the_allocation_form(client, people):
    from shahrak.parks.models import Plot

    plot = SAMPLES[Plot]("bushehr")
    client.force_login(people["bushehr-expert"])
    listing = client.get("/parks/plots/", {"park": plot.park_id})
    page_url = next(h for h in _hrefs(listing) if re.fullmatch(r"/parks/plots/\d+/", h))
    assert page_url == f"/parks/plots/{plot.pk}/"

    page = client.get(page_url)
    assert page.status_code == 200
    form_url = next(h for h in _hrefs(page) if h.endswith("/status/"))
    form = client.get(form_url)
    assert form.status_code == 200

    response = client.post(
        form_url, {"status": PlotStatus.ALLOCATED, "on": "۱۴۰۵/۰۱/۱۵", "allottee": "شرکت نمونه"}
    )
    assert response.status_code == 302 and response["Location"] == page_url
    plot.refresh_from_db()
    assert plot.status == PlotStatus.ALLOCATED and plot.allottee == "شرکت نمونه"
    body = client.get(page_url).content.decode()
    assert "شرکت نمونه" in body


def test_who_may_only_look_sees_the_plot_without_the_allocation_link(client, people):
    from shahrak.parks.models import Plot

    plot = SAMPLES[Plot]("bushehr")
    client.force_login(people["hq"])
    page = client.get(f"/parks/plots/{plot.pk}/")
    assert page.status_code == 200
    assert not any(h.endswith("/status/") for h in _hrefs(page))


def test_park_page_links_each_land_status_to_its_plots(client, people):
    from shahrak.parks.models import Plot

    plot = SAMPLES[Plot]("bushehr")
    client.force_login(people["bushehr-manager"])
    hrefs = _hrefs(client.get(plot.park.get_absolute_url()))
    link = next(h for h in hrefs if "status=ready" in h)
    listing = client.get(link.replace("&amp;", "&"))
    assert f"/parks/plots/{plot.pk}/" in _hrefs(listing)


def test_a_closed_project_offers_no_progress_form(client, people):
    from shahrak.parks.models import InfrastructureProject

    project = SAMPLES[InfrastructureProject]("bushehr")
    client.force_login(people["bushehr-manager"])
    assert f"/parks/projects/{project.pk}/reports/" in _hrefs_and_actions(client, project)
    project.status = "finally_delivered"
    project.save(update_fields=["status"])
    assert f"/parks/projects/{project.pk}/reports/" not in _hrefs_and_actions(client, project)


def _hrefs_and_actions(client, record):
    body = client.get(record.get_absolute_url()).content.decode()
    return re.findall(r'(?:href|action)="([^"]+)"', body)


def test_the_status_form_offers_only_the_statuses_a_plot_may_go_to(client, people):
    """A ready plot was offered «آمادهٔ واگذاری» again, then refused «… به «آمادهٔ واگذاری»»."""
    from shahrak.parks import services
    from shahrak.parks.models import Plot

    plot = SAMPLES[Plot]("bushehr")
    client.force_login(people["bushehr-expert"])
    for _step in range(3):
        plot.refresh_from_db()
        form = client.get(f"/parks/plots/{plot.pk}/status/").content.decode()
        select = re.search(r'<select name="status".*?</select>', form, re.S).group(0)
        offered = [value for value in re.findall(r'<option value="([^"]*)"', select) if value]
        assert plot.status not in offered and offered, (plot.status, offered)
        for status in offered:  # each one offered is taken
            with transaction.atomic():
                services.plot_change_status(
                    actor=people["bushehr-expert"], plot=plot, status=status,
                    on=timezone.localdate(), allottee="شرکت نمونه",
                )  # fmt: skip
                transaction.set_rollback(True)
        services.plot_change_status(
            actor=people["bushehr-expert"], plot=plot, status=offered[0],
            on=timezone.localdate(), allottee="شرکت نمونه",
        )  # fmt: skip
