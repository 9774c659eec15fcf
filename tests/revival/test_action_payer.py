"""An improvement-plan action names the support program and the unit's application that pay
it: chosen among the records the user may see (another province's refused exactly as an id
nobody holds), the application of the case's unit and of the named program, both linked
from the case's page; the application's page lists the actions it pays."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from shahrak.core.errors import DomainError
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.places.models import Province
from shahrak.revival import services
from shahrak.revival.models import PlanAction
from shahrak.support.models import Application, Program
from tests.accounts.test_no_names_across_provinces import assert_same_refusal, unheld_id
from tests.form_checks import field_error
from tests.harness import SAMPLES

from .factories import UnitFactory

pytestmark = pytest.mark.django_db

MARKET = [{"area": "market", "severity": "high", "text": "بازار از دست رفته"}]


def _program(title, province=None):
    return Program.objects.create(
        title=title, province=province, family="market", rate_min_pct=Decimal(30),
        rate_max_pct=Decimal(70), cap_per_unit_rial=10**10, opens_on=dt.date(2021, 3, 21),
    )  # fmt: skip


def _application(unit, program, user):
    return Application.objects.create(
        unit=unit, program=program, description="نمایشگاه", requested_cost_rial=10**9,
        created_by=user,
    )  # fmt: skip


def _planned_case(people, code):
    expert = people[f"{code}-expert"]
    unit = UnitFactory(actor=expert, province=code, name=f"واحد {code}")
    unit.representatives.add(people[f"{code}-unit"])
    case = services.case_open(actor=expert, unit=unit, opened_on=jd("1400/03/01"),
                              identified_by="field_survey", reasons=["market"])  # fmt: skip
    services.case_diagnose(actor=expert, case=case, on=jd("1400/04/01"), diagnosed_by=expert,
                           findings=MARKET)  # fmt: skip
    services.case_plan(actor=expert, case=case, on=jd("1400/05/01"),
                       actions=[{"title": "نمایشگاه", "owner_kind": "company",
                                 "due_on": jd("1400/06/01")}])  # fmt: skip
    return case


@pytest.fixture
def yazd_case(people):
    return _planned_case(people, "yazd")


def _post_action(client, case, **changes):
    data = {"title": "حضور در نمایشگاه", "owner_kind": "company", "due_on": "1400/09/01",
            "cost_rial": "40", "paid_by": "", "program": "", "application": ""}  # fmt: skip
    data.update(changes)
    return client.post(
        f"/revival/cases/{case.pk}/actions/", {f"new-action-{k}": v for k, v in data.items()}
    )


def test_an_action_paid_by_a_program_and_application_is_linked_both_ways(client, people, yazd_case):
    yazd = Province.objects.get(code="yazd")
    program = _program("حمایت از حضور در نمایشگاه", yazd)
    application = _application(yazd_case.unit, program, people["yazd-expert"])
    client.force_login(people["yazd-expert"])
    page = client.get(yazd_case.get_absolute_url()).content.decode()
    assert f'<option value="{application.pk}">' in page and f'<option value="{program.pk}">' in page
    response = _post_action(client, yazd_case, program=program.pk, application=application.pk)
    assert response.status_code == 302
    action = PlanAction.objects.get(title="حضور در نمایشگاه")
    assert (action.program, action.application) == (program, application)
    page = client.get(yazd_case.get_absolute_url()).content.decode()
    assert f'href="{program.get_absolute_url()}"' in page
    assert f'href="{application.get_absolute_url()}"' in page
    # The application's page shows the action it pays, linked to its case.
    for username in ("yazd-expert", "yazd-unit", "auditor"):
        client.force_login(people[username])
        shown = client.get(application.get_absolute_url()).content.decode()
        assert "اقدام‌های احیا" in shown and "حضور در نمایشگاه" in shown, username
        assert f'href="{yazd_case.get_absolute_url()}"' in shown


def test_an_application_page_without_a_revival_action_has_no_such_block(client, people, yazd_case):
    application = _application(yazd_case.unit, _program("برنامه"), people["yazd-expert"])
    client.force_login(people["yazd-expert"])
    assert "اقدام‌های احیا" not in client.get(application.get_absolute_url()).content.decode()


def test_the_application_alone_names_its_program(client, people, yazd_case):
    program = _program("برنامهٔ ملی")  # national
    application = _application(yazd_case.unit, program, people["yazd-expert"])
    client.force_login(people["yazd-manager"])
    assert _post_action(client, yazd_case, application=application.pk).status_code == 302
    assert PlanAction.objects.get(title="حضور در نمایشگاه").program == program


def test_an_application_to_another_program_is_refused_with_a_clear_message(
    client, people, yazd_case
):
    named, other = _program("برنامهٔ الف"), _program("برنامهٔ ب")
    application = _application(yazd_case.unit, other, people["yazd-expert"])
    client.force_login(people["yazd-expert"])
    response = _post_action(client, yazd_case, program=named.pk, application=application.pk)
    assert response.status_code == 400
    body = response.content.decode()
    assert field_error(body, "درخواست واحد از آن برنامه")
    assert "برنامه‌ای جز برنامهٔ انتخاب‌شده" in body
    assert not PlanAction.objects.filter(title="حضور در نمایشگاه").exists()


def test_the_service_refuses_another_units_application_and_another_provinces_program(
    people, yazd_case
):
    expert = people["yazd-expert"]
    other_unit = UnitFactory(actor=expert, name="واحد دیگر")
    national = _program("برنامهٔ ملی")
    elsewhere = _application(other_unit, national, expert)
    bushehr_program = _program("برنامهٔ بوشهر", Province.objects.get(code="bushehr"))
    base = {"title": "اقدام", "owner_kind": "unit", "due_on": jd("1400/09/01")}
    with pytest.raises(DomainError) as refused:
        services.plan_action_add(actor=expert, plan=yazd_case.plan, application=elsewhere, **base)
    assert refused.value.code == "application_of_another_unit"
    assert refused.value.field == "application"
    with pytest.raises(DomainError) as refused:
        services.plan_action_add(actor=expert, plan=yazd_case.plan, program=bushehr_program, **base)
    assert refused.value.code == "program_of_another_province"
    assert PlanAction.objects.count() == 1


def _form_answer(response, name):
    form = response.context[name]
    forms = form.forms if hasattr(form, "forms") else [form]
    errors = [f"{field}: {' '.join(e)}" for f in forms for field, e in sorted(f.errors.items())]
    return response.status_code, "; ".join(errors)


@pytest.mark.parametrize("field", ["program", "application"])
def test_another_provinces_record_is_refused_as_an_unknown_id(client, people, field):
    """As tests/accounts/test_no_names_across_provinces.py does for every form: a Bushehr
    manager names a Yazd program (provincial) or application on a Bushehr case."""
    case = _planned_case(people, "bushehr")
    model = {"program": Program, "application": Application}[field]
    record = SAMPLES[model]("yazd")
    unknown = unheld_id(model)
    client.force_login(people["bushehr-manager"])
    out_of_scope = _form_answer(_post_action(client, case, **{field: record.pk}), "action_form")
    not_held = _form_answer(_post_action(client, case, **{field: unknown}), "action_form")
    assert_same_refusal(out_of_scope, not_held, record, unknown)
    assert out_of_scope[0] == 200 and field in out_of_scope[1]
    assert not PlanAction.objects.filter(title="حضور در نمایشگاه").exists()
    # The plan's own action rows offer the same choices.
    page = client.get(case.get_absolute_url()).content.decode()
    assert f'<option value="{record.pk}">' not in page


def test_the_plan_form_refuses_another_provinces_application_as_an_unknown_id(client, people):
    expert = people["bushehr-expert"]
    unit = UnitFactory(actor=expert, province="bushehr", name="واحد بی‌طرح")
    case = services.case_open(actor=expert, unit=unit, opened_on=jd("1400/03/01"),
                              identified_by="field_survey", reasons=["market"])  # fmt: skip
    services.case_diagnose(actor=expert, case=case, on=jd("1400/04/01"), diagnosed_by=expert,
                           findings=MARKET)  # fmt: skip
    record, unknown = SAMPLES[Application]("yazd"), unheld_id(Application)
    client.force_login(people["bushehr-manager"])

    def post(pk):
        data = {"on": "1400/05/01", "summary": "", "actions-TOTAL_FORMS": "1",
                "actions-INITIAL_FORMS": "0", "actions-MIN_NUM_FORMS": "1",
                "actions-MAX_NUM_FORMS": "1000", "actions-0-title": "اقدام",
                "actions-0-owner_kind": "unit", "actions-0-due_on": "1400/09/01",
                "actions-0-application": pk}  # fmt: skip
        return _form_answer(client.post(f"/revival/cases/{case.pk}/plan/", data), "action_formset")

    assert_same_refusal(post(record.pk), post(unknown), record, unknown)
    assert not PlanAction.objects.exists()


def test_the_payer_programs_are_offered_in_persian_alphabetical_order(client, people, yazd_case):
    from tests.support.test_program_pages import PERSIAN_ORDER

    yazd = Province.objects.get(code="yazd")
    for title in reversed(PERSIAN_ORDER):
        _program(title, yazd)
    client.force_login(people["yazd-expert"])
    page = client.get(yazd_case.get_absolute_url()).content.decode()
    offered = re.search(r'<select name="new-action-program".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', offered) == PERSIAN_ORDER
