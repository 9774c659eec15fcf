"""A project page in a real browser: the progress chart draws from the app's own Chart.js."""

from decimal import Decimal
from urllib.parse import urlparse

import pytest

from tests.browser import sign_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_project_page_draws_its_progress_chart(page, live_server, people):
    from shahrak.core.jalali import parse_jalali_date as jd
    from shahrak.parks import services
    from tests.harness import sample_park

    expert = people["bushehr-expert"]
    project = services.project_create(
        actor=expert, park=sample_park("bushehr"), title="ایستگاه پمپاژ", kind="pumping_station"
    )
    for on, pct in [("1399/08/01", 25), ("1400/06/01", 50), ("1400/12/20", 70)]:
        services.progress_report_add(
            actor=expert, project=project, on=jd(on), progress_pct=Decimal(pct)
        )
    errors, hosts = watch(page)
    sign_in(page, live_server.url, "bushehr-expert")
    page.goto(f"{live_server.url}/parks/projects/{project.pk}/", wait_until="networkidle")
    drawn = page.evaluate(
        "() => { const c = document.getElementById('progress-chart');"
        " return !!(window.Chart && Chart.getChart(c) && c.width > 0); }"
    )
    assert drawn
    assert errors == []
    assert hosts == {urlparse(live_server.url).netloc}
    page.fill("#report-progress_pct", "۱۲۰")
    page.click("form[action$='/reports/'] button.primary")
    page.wait_for_load_state("networkidle")
    # Refused: the project's page again, the reason beside the field, the typed value kept.
    field = page.locator("form[action$='/reports/'] .has-error")
    assert "بین ۰ و ۱۰۰" in field.inner_text()
    assert page.locator("#report-progress_pct").input_value() == "۱۲۰"
