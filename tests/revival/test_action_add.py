"""An action added to a case's improvement plan straight from the case's page: the staff
type the cost in million toman (stored in rial), the owner, the due date (Jalali) and the
payer; refused input comes back on the page with its field marked; overdue actions stand
out; a unit's representative sees no form and cannot post one."""

import re

import pytest
from django.utils import timezone

from shahrak.core.jalali import format_jalali
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.revival import services
from shahrak.revival.models import PlanAction
from tests.form_checks import field_error

from .factories import UnitFactory

pytestmark = pytest.mark.django_db

MARKET = [{"area": "market", "severity": "high", "text": "بازار از دست رفته"}]


@pytest.fixture
def case(people):
    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert, name="واحد طرح‌دار")
    unit.representatives.add(people["yazd-unit"])
    case = services.case_open(actor=expert, unit=unit, opened_on=jd("1400/03/01"),
                              identified_by="field_survey", reasons=["market"])  # fmt: skip
    services.case_diagnose(actor=expert, case=case, on=jd("1400/04/01"), diagnosed_by=expert,
                           findings=MARKET)  # fmt: skip
    services.case_plan(actor=expert, case=case, on=jd("1400/05/01"),
                       actions=[{"title": "نمایشگاه", "owner_kind": "company",
                                 "due_on": jd("1400/06/01"), "cost_rial": 0}])  # fmt: skip
    return case


def _action(**changes):
    data = {"title": "وام سرمایه در گردش", "owner_kind": "bank", "owner_name": "بانک صنعت و معدن",
            "due_on": "۱۴۰۰/۱۰/۱۵", "cost_rial": "۱۲٫۵", "paid_by": "تبصرهٔ ۱۸"}  # fmt: skip
    return {f"new-action-{name}": value for name, value in {**data, **changes}.items()}


def test_staff_add_an_action_from_the_case_page_cost_typed_in_toman_stored_in_rial(
    client, people, case
):
    client.force_login(people["yazd-expert"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert f'action="/revival/cases/{case.pk}/actions/"' in page
    response = client.post(f"/revival/cases/{case.pk}/actions/", _action())
    assert response.status_code == 302
    added = PlanAction.objects.get(title="وام سرمایه در گردش")
    # 12.5 million toman = 12,500,000 toman = 125,000,000 rial
    assert added.cost_rial == 125_000_000
    assert (added.owner_kind, added.owner_name, added.paid_by) == (
        "bank", "بانک صنعت و معدن", "تبصرۀ 18"  # normalised: ASCII digits, the ezafe as «ۀ»
    )  # fmt: skip
    assert added.due_on == jd("1400/10/15") and added.plan == case.plan
    page = client.get(case.get_absolute_url()).content.decode()
    assert "وام سرمایه در گردش" in page and "۱۴۰۰/۱۰/۱۵" in page and "۱۲٫۵" in page


def test_an_action_due_before_its_plan_is_refused_on_its_field_and_nothing_is_saved(
    client, people, case
):
    client.force_login(people["yazd-expert"])
    response = client.post(f"/revival/cases/{case.pk}/actions/", _action(due_on="1400/04/20"))
    assert response.status_code == 400
    body = response.content.decode()
    assert field_error(body, "موعد")
    assert "وام سرمایه در گردش" in body  # what was typed is kept
    assert not PlanAction.objects.filter(title="وام سرمایه در گردش").exists()


def test_input_the_form_cannot_read_comes_back_with_its_fields_marked(client, people, case):
    client.force_login(people["yazd-expert"])
    response = client.post(
        f"/revival/cases/{case.pk}/actions/",
        _action(title="", due_on="1400/13/40", cost_rial="-5"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert field_error(body, "اقدام") and field_error(body, "موعد")
    assert field_error(body, "هزینه (میلیون تومان)")
    assert PlanAction.objects.count() == 1


def test_a_representative_sees_no_form_and_cannot_post_one(client, people, case):
    client.force_login(people["yazd-unit"])
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    assert f"/revival/cases/{case.pk}/actions/" not in page.content.decode()
    assert client.post(f"/revival/cases/{case.pk}/actions/", _action()).status_code == 404
    assert PlanAction.objects.count() == 1


def test_another_province_cannot_add_to_the_case(client, people, case):
    client.force_login(people["bushehr-manager"])
    assert client.post(f"/revival/cases/{case.pk}/actions/", _action()).status_code == 404


def test_no_action_is_added_to_a_closed_case_and_the_form_is_gone(client, people, case):
    expert = people["yazd-expert"]
    services.case_close(actor=expert, case=case, on=jd("1400/07/01"))
    client.force_login(expert)
    page = client.get(case.get_absolute_url()).content.decode()
    assert f"/revival/cases/{case.pk}/actions/" not in page
    response = client.post(f"/revival/cases/{case.pk}/actions/", _action())
    assert response.status_code == 400 and PlanAction.objects.count() == 1


def test_overdue_actions_stand_out_and_done_ones_do_not(client, people, case):
    expert = people["yazd-expert"]
    today = timezone.localdate()
    done = services.plan_action_add(actor=expert, plan=case.plan, title="آموزش",
                                    owner_kind="unit", due_on=jd("1400/06/10"))  # fmt: skip
    services.plan_action_progress(actor=expert, action=done, progress_pct=100, on=today)
    client.force_login(expert)
    body = client.get(case.get_absolute_url()).content.decode()
    rows = re.findall(r'<tr( class="overdue")?>\s*<td class="card-title">(.*?)</td>', body)
    marked = {re.sub(r"<[^>]+>", "", title).strip(): bool(overdue) for overdue, title in rows}
    # «نمایشگاه» was due 1400/06/01 and is not done: overdue; «آموزش» is done.
    assert marked == {"نمایشگاه": True, "آموزش": False}
    assert body.count('<span class="badge danger">عقب‌افتاده</span>') == 1
    assert format_jalali(jd("1400/06/01")) in body
