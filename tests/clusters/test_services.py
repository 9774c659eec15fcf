"""The clusters' rules, through the services: the 100 km rule (a unit 140 km away refused with
its distance, a unit without a location refused), the plan's stages in order, the study's
document checked, the hand-over naming the association, action plans in their year."""

import datetime as dt
import math
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shahrak.accounts.models import AuditEntry
from shahrak.clusters import services
from shahrak.clusters.geo import distance_km
from shahrak.clusters.models import Membership
from shahrak.core.errors import DomainError, NotAllowed
from shahrak.places.models import Province
from tests.revival.factories import UnitFactory

pytestmark = pytest.mark.django_db

CENTRE = (Decimal("32.245200"), Decimal("54.011000"))  # Meybod
# One degree of latitude on a sphere of the mean Earth radius (6371.0088 km): 2πR/360.
KM_PER_DEGREE_LAT = 2 * math.pi * 6371.0088 / 360


def unit_at(expert, km_north: float | None, **fields):
    unit = UnitFactory(actor=expert, **fields)
    if km_north is not None:
        unit.latitude = CENTRE[0] + Decimal(str(round(km_north / KM_PER_DEGREE_LAT, 6)))
        unit.longitude = CENTRE[1]
    else:
        unit.latitude = unit.longitude = None
    unit.save(update_fields=["latitude", "longitude"])
    return unit


@pytest.fixture
def expert(people):
    return people["yazd-expert"]


@pytest.fixture
def cluster(people, expert):
    return services.cluster_create(
        actor=expert, province=Province.objects.get(code="yazd"), name="خوشهٔ زیلوی آزمون",
        isic_code="1393", product="زیلو", centre_latitude=CENTRE[0],
        centre_longitude=CENTRE[1], agent=people["yazd-agent"],
    )  # fmt: skip


def test_distance_is_the_great_circle_on_the_mean_radius():
    # A quarter of a meridian, and one degree of longitude on the equator, by hand.
    assert distance_km(0, 0, 90, 0) == pytest.approx(math.pi * 6371.0088 / 2, rel=1e-12)
    assert distance_km(0, 10, 0, 11) == pytest.approx(KM_PER_DEGREE_LAT, rel=1e-12)
    # Tehran–Isfahan (35.6892 N 51.3890 E – 32.6539 N 51.6660 E): about 338 km.
    assert distance_km(35.6892, 51.3890, 32.6539, 51.6660) == pytest.approx(338.3, abs=0.5)


def test_a_unit_140_km_away_is_refused_with_its_distance(expert, cluster):
    far = unit_at(expert, 140.2)
    with pytest.raises(DomainError) as refused:
        services.member_add(actor=expert, cluster=cluster, unit=far, joined_on=dt.date(2022, 1, 1))
    assert refused.value.code == "outside_radius"
    assert str(refused.value) == "فاصلهٔ این واحد از مرکز خوشه ۱۴۰ کیلومتر است؛ بیشینه ۱۰۰ کیلومتر"
    assert not Membership.objects.filter(unit=far).exists()


def test_just_beyond_the_radius_states_the_decimal(expert, cluster):
    edge = unit_at(expert, 100.3)
    with pytest.raises(DomainError) as refused:
        services.member_add(actor=expert, cluster=cluster, unit=edge, joined_on=dt.date(2022, 1, 1))
    assert "۱۰۰٫۳ کیلومتر" in str(refused.value)


def test_a_unit_within_the_radius_joins_and_is_audited(expert, cluster):
    near = unit_at(expert, 99.5)
    membership = services.member_add(
        actor=expert, cluster=cluster, unit=near, joined_on=dt.date(2022, 1, 1)
    )
    assert membership.distance_km == Decimal("99.50")
    assert AuditEntry.objects.get_for_object(membership).exists()
    # A wider radius is configurable; a narrower one that leaves the member out is refused.
    with pytest.raises(DomainError) as refused:
        services.cluster_update(
            actor=expert, cluster=cluster, expected_version=cluster.version, radius_km=50
        )
    assert "بیشینه ۵۰ کیلومتر" in str(refused.value)


def test_a_unit_without_a_location_is_refused(expert, cluster):
    nowhere = unit_at(expert, None)
    with pytest.raises(DomainError) as refused:
        services.member_add(
            actor=expert, cluster=cluster, unit=nowhere, joined_on=dt.date(2022, 1, 1)
        )
    assert refused.value.code == "unit_without_location"


def test_leaving_keeps_the_membership(expert, cluster):
    near = unit_at(expert, 10)
    membership = services.member_add(
        actor=expert, cluster=cluster, unit=near, joined_on=dt.date(2022, 1, 1)
    )
    services.member_leave(actor=expert, membership=membership, left_on=dt.date(2022, 6, 1))
    membership.refresh_from_db()
    assert membership.left_on == dt.date(2022, 6, 1) and membership.archived_at is None
    # It may join again.
    services.member_add(actor=expert, cluster=cluster, unit=near, joined_on=dt.date(2022, 7, 1))
    assert Membership.objects.filter(unit=near).count() == 2


STAGES = ["diagnostic", "trust", "action_planning", "implementation", "handover", "finished"]


def test_stages_go_in_order_and_the_handover_names_the_association(expert, cluster):
    plan = services.plan_start(actor=expert, cluster=cluster, started_on=dt.date(2020, 1, 1))
    with pytest.raises(DomainError) as skipped:
        services.plan_advance(actor=expert, plan=plan, stage="trust", on=dt.date(2020, 2, 1))
    assert skipped.value.code == "stage_order"
    with pytest.raises(DomainError) as backwards:
        services.plan_advance(actor=expert, plan=plan, stage="diagnostic", on=dt.date(2019, 2, 1))
    assert backwards.value.code == "stage_before_previous"
    day = dt.date(2020, 2, 1)
    for stage in STAGES[:4]:
        services.plan_advance(actor=expert, plan=plan, stage=stage, on=day)
        day += dt.timedelta(days=60)
    with pytest.raises(DomainError) as nameless:
        services.plan_advance(actor=expert, plan=plan, stage="handover", on=day)
    assert nameless.value.code == "association"
    services.plan_advance(
        actor=expert, plan=plan, stage="handover", on=day,
        association_name="انجمن صنفی زیلوبافان استان یزد", association_registration_no="4127",
    )  # fmt: skip
    services.plan_advance(actor=expert, plan=plan, stage="finished", on=day)
    plan.refresh_from_db()
    cluster.refresh_from_db()
    assert (plan.stage, plan.handed_over_on, plan.finished_on) == ("finished", day, day)
    assert cluster.association_name == "انجمن صنفی زیلوبافان استان یزد"
    assert list(plan.steps.values_list("stage", flat=True).order_by("on", "pk")) == [
        "identification",
        *STAGES,
    ]
    with pytest.raises(DomainError):
        services.plan_advance(actor=expert, plan=plan, stage="finished", on=day)


def test_the_study_document_is_checked_by_content(expert, cluster):
    plan = services.plan_start(actor=expert, cluster=cluster, started_on=dt.date(2020, 1, 1))
    fake = SimpleUploadedFile("study.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(DomainError) as refused:
        services.plan_advance(
            actor=expert, plan=plan, stage="diagnostic", on=dt.date(2020, 2, 1), document=fake
        )
    assert refused.value.field == "document"
    real = SimpleUploadedFile("study.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    step = services.plan_advance(
        actor=expert, plan=plan, stage="diagnostic", on=dt.date(2020, 2, 1), document=real
    )
    assert step.document and step.document_name == "study.pdf"


def test_action_plans_start_in_their_year_and_subsidy_within_cost(expert, cluster):
    base = {"title": "نمایشگاه مشترک", "category": "marketing", "status": "planned",
            "cost_rial": 10**9}  # fmt: skip
    with pytest.raises(DomainError) as wrong_year:
        # 1401/01/01 is 2022-03-21: not in 1400.
        services.action_plan_add(
            actor=expert, cluster=cluster, year=1400, starts_on=dt.date(2022, 3, 21), **base
        )
    assert wrong_year.value.code == "year"
    with pytest.raises(DomainError) as too_much:
        services.action_plan_add(
            actor=expert, cluster=cluster, year=1400, starts_on=dt.date(2022, 3, 20),
            subsidy_rial=2 * 10**9, **base,
        )  # fmt: skip
    assert too_much.value.code == "subsidy"
    action = services.action_plan_add(
        actor=expert, cluster=cluster, year=1400, starts_on=dt.date(2022, 3, 20), **base
    )
    assert AuditEntry.objects.get_for_object(action).exists()


def test_the_agent_keeps_their_cluster_but_does_not_register_clusters(people, cluster):
    agent = people["yazd-agent"]
    plan = services.plan_start(actor=agent, cluster=cluster, started_on=dt.date(2020, 1, 1))
    assert plan.cluster == cluster
    with pytest.raises(NotAllowed):
        services.cluster_create(
            actor=agent, province=Province.objects.get(code="yazd"), name="x", isic_code="1393",
            product="زیلو", centre_latitude=CENTRE[0], centre_longitude=CENTRE[1],
        )  # fmt: skip
    with pytest.raises(NotAllowed):  # another province's staff
        services.plan_advance(
            actor=people["bushehr-expert"], plan=plan, stage="diagnostic", on=dt.date(2020, 2, 1)
        )


def test_the_agent_records_a_member_leaving_but_does_not_add_members(people, expert, cluster):
    agent = people["yazd-agent"]
    member = services.member_add(
        actor=expert, cluster=cluster, unit=unit_at(expert, 10), joined_on=dt.date(2022, 1, 1)
    )
    # The agent sees this unit (a member of their cluster), yet adding is the staff's.
    services.member_leave(actor=agent, membership=member, left_on=dt.date(2022, 6, 1))
    with pytest.raises(NotAllowed):
        services.member_add(
            actor=agent, cluster=cluster, unit=member.unit, joined_on=dt.date(2022, 7, 1)
        )
    assert Membership.objects.filter(cluster=cluster).count() == 1


def test_a_name_keeps_its_ezafe_and_the_list_finds_it_spelled_either_way(client, expert, cluster):
    # Typed «خوشهٔ» (heh + hamza): kept as the one letter «ۀ», shown as it was written.
    assert cluster.name == "خوشۀ زیلوی آزمون"
    client.force_login(expert)
    for typed in ("خوشه زیلوی", "خوشهٔ زیلوی", "خوشۀ زیلوی", "زیلوي"):
        listed = client.get("/clusters/", {"q": typed})
        assert [c.pk for c in listed.context["page"].object_list] == [cluster.pk], typed
    assert not client.get("/clusters/", {"q": "خوشه سفال"}).context["page"].object_list


def test_the_action_plan_form_says_why_in_words_on_the_field(client, expert, cluster):
    """A subsidy above the cost, an end before the start: the form shows the services'
    refusal on its field, never the database constraint's name."""
    client.force_login(expert)
    base = {"year": "1400", "title": "نمایشگاه مشترک", "category": "marketing",
            "status": "planned", "starts_on": "1400/06/01", "cost_rial": "100"}  # fmt: skip
    too_much = client.post(f"/clusters/{cluster.pk}/actions/new/", {**base, "subsidy_rial": "200"})
    shown = too_much.content.decode()
    assert "Constraint" not in shown and "cluster_action" not in shown
    assert "یارانه میان صفر و هزینه است" in shown
    assert too_much.context["form"].errors["subsidy_rial"]
    ends_early = client.post(
        f"/clusters/{cluster.pk}/actions/new/", {**base, "ends_on": "1400/05/31"}
    )
    shown = ends_early.content.decode()
    assert "Constraint" not in shown and "cluster_action" not in shown
    assert "پایان پیش از آغاز نیست" in shown
    assert ends_early.context["form"].errors["ends_on"]
    assert not cluster.action_plans.exists()
    # The same on the edit form of a plan that exists.
    services.action_plan_add(
        actor=expert, cluster=cluster, year=1400, title="نمایشگاه", category="marketing",
        status="planned", starts_on=dt.date(2021, 8, 23), cost_rial=10**6,
    )  # fmt: skip
    action = cluster.action_plans.get()
    edit = client.post(
        f"/clusters/action-plans/{action.pk}/edit/",
        {**base, "version": action.version, "subsidy_rial": "200", "ends_on": "1400/05/31"},
    )
    shown = edit.content.decode()
    assert "Constraint" not in shown and "یارانه میان صفر و هزینه است" in shown
    action.refresh_from_db()
    assert action.subsidy_rial == 0 and action.ends_on is None
