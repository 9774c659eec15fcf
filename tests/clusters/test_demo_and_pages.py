"""On the demo: the issue's acceptance figures (Yazd 1401-H1 and 1400), the press sentence,
the figures' record lists, and the pages — the agent sees only their clusters, the staff
register a cluster, a unit 140 km away is refused on the form with its distance."""

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from shahrak.clusters.geo import distance_km
from shahrak.clusters.models import ActionPlan, Cluster, DevelopmentPlan
from shahrak.reports.press import sentences
from shahrak.units.models import Unit
from tests.harness import demo_for_module

pytestmark = pytest.mark.django_db
TREND = "روند افزایشی نسبت به دورهٔ مشابه سال قبل"
# Jalali periods written out by hand.
H1_1401 = (dt.date(2022, 3, 21), dt.date(2022, 9, 22))
H1_1400 = (dt.date(2021, 3, 21), dt.date(2021, 9, 22))
YEAR_1400 = (dt.date(2021, 3, 21), dt.date(2022, 3, 20))
SHAHRIVAR_1401 = (dt.date(2022, 8, 23), dt.date(2022, 9, 22))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks", "units", "clusters"})


def report(tmp_path, period, *args):
    output = tmp_path / "report.json"
    call_command("report", "--province", "yazd", "--period", period, *args,
                 "--format", "json", "--output", str(output))  # fmt: skip
    return json.loads(output.read_text(encoding="utf-8"))


def user(name):
    return get_user_model().objects.get(username=name)


def yazd_actions(period):
    return (
        ActionPlan.objects.filter(cluster__province__code="yazd", starts_on__range=period)
        .exclude(status="cancelled")
        .count()
    )


def test_yazd_1401_h1_as_the_issue_says(demo, tmp_path):
    found = report(tmp_path, "1401-H1")
    m = found["metrics"]
    assert m["clusters.plans_in_progress"]["value"] == 3
    assert m["clusters.handed_over"]["value"] == 1
    assert m["clusters.action_plans"]["value"] == 37 == yazd_actions(H1_1401)
    assert m["clusters.action_plans"]["previous"] == yazd_actions(H1_1400) < 37
    assert m["clusters.action_plans"]["change_pct"] > 0
    said = " ".join(sentences(found))
    assert TREND in said and "۳۷ برنامهٔ عمل" in said and "۳ طرح توسعهٔ خوشه‌ای" in said


def test_yazd_1400_as_the_issue_says(demo, tmp_path):
    found = report(tmp_path, "1400")
    assert found["metrics"]["clusters.action_plans"]["value"] == 53 == yazd_actions(YEAR_1400)
    # No action plan in 1399: no comparison, so no trend is claimed.
    assert TREND not in " ".join(sentences(found))


def test_meybod_zilou_was_handed_over_in_shahrivar_1401(demo):
    plan = DevelopmentPlan.objects.get(cluster__isic_code="1393", cluster__province__code="yazd")
    assert plan.stage == "finished"
    assert SHAHRIVAR_1401[0] <= plan.handed_over_on <= SHAHRIVAR_1401[1]
    assert plan.association_name == "انجمن صنفی زیلوبافان استان یزد"
    assert plan.cluster.agent.username == "yazd-agent"


def test_bushehr_members_lie_within_100_km(demo):
    clusters = Cluster.objects.filter(province__code="bushehr")
    assert {c.isic_code for c in clusters} == {"1030", "1020"}
    for cluster in clusters:
        members = Unit.objects.filter(cluster_memberships__cluster=cluster)
        assert members.exists()
        for unit in members:
            assert (
                distance_km(cluster.centre_latitude, cluster.centre_longitude, unit.latitude,
                            unit.longitude) <= 100
            )  # fmt: skip


def test_the_records_link_lists_the_37_action_plans(demo, client, tmp_path):
    client.force_login(user("yazd-manager"))
    url = report(tmp_path, "1401-H1")["metrics"]["clusters.action_plans"]["records_url"]
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 37


def test_the_agent_sees_only_their_clusters(demo, client):
    client.force_login(user("yazd-agent"))
    home = client.get("/")
    theirs = Cluster.objects.filter(agent__username="yazd-agent")
    assert theirs.count() == 4
    for cluster in theirs:
        assert cluster.get_absolute_url() in home.content.decode()
        page = client.get(cluster.get_absolute_url())
        assert page.status_code == 200
        # Members are added by the staff: the agent is told so instead of offered a link.
        assert f"/clusters/{cluster.pk}/members/add/" not in page.content.decode()
        assert "را کارشناسان و مدیران استان" in page.content.decode()
        assert client.get(f"/clusters/{cluster.pk}/members/add/").status_code in (403, 404)
        assert client.get(f"/clusters/{cluster.pk}/actions/").status_code == 200
    listed = client.get("/clusters/").context["page"].paginator.count
    assert listed == 4
    other = Cluster.objects.filter(province__code="bushehr").first()
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(f"/clusters/{other.pk}/actions/").status_code == 404


def test_staff_register_a_cluster_and_a_far_unit_is_refused_on_the_form(demo, client):
    client.force_login(user("yazd-expert"))
    response = client.post(
        "/clusters/new/",
        {"name": "خوشهٔ فولاد آزمون", "province": user("yazd-expert").memberships.get().province_id,
         "isic_code": "2410", "product": "فولاد", "centre_latitude": "32.2452",
         "centre_longitude": "54.0110", "radius_km": "100"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    cluster = Cluster.objects.get(isic_code="2410", province__code="yazd")
    # A steel unit of Khatam (30.06 N 54.37 E) is about 245 km south of Meybod.
    far = Unit.objects.filter(isic_code="2410", county__code="khatam", is_demo=True).first()
    assert far is not None
    page = client.post(
        f"/clusters/{cluster.pk}/members/add/", {"unit": far.pk, "joined_on": "1401/01/01"}
    )
    shown = page.content.decode()
    assert "فاصلهٔ این واحد از مرکز خوشه" in shown and "بیشینه ۱۰۰ کیلومتر" in shown
    assert not cluster.memberships.exists()
