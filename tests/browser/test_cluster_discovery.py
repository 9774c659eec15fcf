"""Issue 14's browser journey: a manager finds a candidate cluster on the discovery page, with
its members drawn on the page's own map, turns it into a cluster in one step, records an action
plan for it, and the dashboard's figures for clusters change."""

from urllib.parse import urlparse

import pytest

from tests.browser import sign_in, watch
from tests.clusters.test_candidates import unit
from tests.persian import fa_digits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBERS, ACTIONS = "واحدهای عضو خوشه‌ها", "برنامه‌های عمل خوشه‌ها"


def figures(page, base) -> dict[str, str]:
    page.goto(f"{base}/reports/?province=yazd&period=1405", wait_until="networkidle")
    found = {}
    for card in page.locator(".figure").all():
        title = card.locator("h2").inner_text()
        if title in (MEMBERS, ACTIONS):
            found[title] = card.locator(".value").inner_text()
    return found


def test_a_manager_turns_a_candidate_into_a_cluster_and_records_an_action_plan(
    page, live_server, people
):
    from shahrak.clusters.models import ActionPlan, Cluster

    potters = [unit(people["yazd-expert"], 2 * k) for k in range(12)]
    errors, hosts = watch(page)
    sign_in(page, live_server.url, "yazd-manager")
    before = figures(page, live_server.url)
    assert before == {MEMBERS: "۰", ACTIONS: "۰"}

    page.locator("nav.sidenav").get_by_role("link", name="خوشه‌های صنعتی").click()
    page.get_by_role("link", name="خوشه‌های بالقوه").click()
    page.wait_for_url(f"{live_server.url}/clusters/candidates/")
    # Every member on the map, with its name on hover.
    points = page.locator("#map-candidate-1 circle title")
    assert points.count() == 12
    # Names are shown as the Persian page shows them: with Persian digits.
    assert {fa_digits(potter.name) for potter in potters} == {
        text.split(" — ")[0].split(". ", 1)[1] for text in points.all_text_contents()
    }
    card = page.locator("#candidate-1")
    assert "سفال" in card.locator("h2").inner_text()
    card.get_by_label("نام خوشه").fill("خوشهٔ سفال میبد")
    card.get_by_role("button", name="ثبت به‌عنوان خوشه").click()
    page.wait_for_url("**/clusters/*/")
    cluster = Cluster.objects.get(isic_code="2393")
    assert page.url == f"{live_server.url}{cluster.get_absolute_url()}"
    assert "این خوشهٔ بالقوه با اعضایش به‌عنوان خوشه ثبت شد." in page.inner_text(".messages")

    page.goto(f"{live_server.url}/clusters/{cluster.pk}/actions/new/")
    page.fill("#id_year", "1405")
    page.fill("#id_title", "دوره آموزش لعاب")
    page.select_option("#id_category", "training")
    page.select_option("#id_status", "running")
    page.fill("#id_starts_on", "1405/09/01")
    page.keyboard.press("Escape")
    page.fill("#id_cost_rial", "50")
    page.locator("main form button.primary").click()
    page.wait_for_load_state()
    assert ActionPlan.objects.filter(cluster=cluster, title="دوره آموزش لعاب").count() == 1, (
        page.inner_text("main")
    )

    assert figures(page, live_server.url) == {MEMBERS: "۱۲", ACTIONS: "۱"}
    assert errors == [] and hosts == {urlparse(live_server.url).netloc}
