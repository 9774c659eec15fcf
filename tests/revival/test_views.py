"""The revival pages as the roles use them: the case list by stage and age with overdue
actions, a case's page offering only its next legal step, each step posted from it, a case
opened from a unit's page and in one step from the watch list, the funnel, the monthly
reports filed by a unit and reviewed by the staff, the unit's page and the home page."""

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.core.jalali import to_jalali
from shahrak.revival import services
from shahrak.revival.models import MonthlyReport, RevivalCase
from shahrak.revival.selectors import overdue_actions
from shahrak.units.models import Unit
from tests.form_checks import id_faults
from tests.harness import SAMPLES

from .factories import UnitFactory

pytestmark = pytest.mark.django_db

MARKET = [{"area": "market", "severity": "high", "text": "بازار از دست رفته"}]


def _open(expert, unit, on="1400/03/01", how="field_survey"):
    return services.case_open(actor=expert, unit=unit, opened_on=jd(on), identified_by=how,
                              reasons=["market"])  # fmt: skip


def _planned(expert, unit, due="1400/06/01"):
    case = _open(expert, unit)
    services.case_diagnose(actor=expert, case=case, on=jd("1400/04/01"), diagnosed_by=expert,
                           findings=MARKET)  # fmt: skip
    services.case_plan(actor=expert, case=case, on=jd("1400/05/01"),
                       actions=[{"title": "نمایشگاه", "owner_kind": "company",
                                 "due_on": jd(due), "cost_rial": 50_000_000}])  # fmt: skip
    return case


@pytest.fixture
def yazd(people):
    return {"expert": people["yazd-expert"], "manager": people["yazd-manager"]}


# --- the case list ---------------------------------------------------------------------------
def test_cases_are_listed_by_stage_then_oldest_first_with_overdue_actions(client, people, yazd):
    expert = yazd["expert"]
    young = _open(expert, UnitFactory(actor=expert, name="جوان"), on="1401/01/01")
    old = _open(expert, UnitFactory(actor=expert, name="کهنه"), on="1400/01/15")
    planned = _planned(expert, UnitFactory(actor=expert, name="برنامه‌دار"), due="1400/06/01")
    client.force_login(expert)
    page = client.get("/revival/cases/")
    rows = [record for record, _cells in page.context["table"].rows()]
    assert rows == [old, young, planned]  # identified (oldest first), then planned
    today = timezone.localdate()
    assert rows[0].age_days == (today - jd("1400/01/15")).days
    assert [r.overdue_count for r in rows] == [0, 0, 1]  # the plan's action was due 1400/06/01
    body = page.content.decode()
    assert body.count('class="has-overdue"') == 1 and '<span class="badge danger">۱</span>' in body
    only_overdue = client.get("/revival/cases/", {"overdue": "true"}).context["table"]
    assert [r for r, _c in only_overdue.rows()] == [planned]


def test_a_restarted_or_closed_cases_actions_are_not_overdue(client, people, yazd, represented):
    expert = yazd["expert"]
    # Three plans whose action was due 1400/06/01 and is not done; two cases then end.
    restarted = _planned(expert, represented)
    closed = _planned(expert, UnitFactory(actor=expert, name="بسته"))
    still = _planned(expert, UnitFactory(actor=expert, name="باز"))
    services.case_restart(actor=expert, case=restarted, on=jd("1400/08/24"))
    services.case_close(actor=expert, case=closed, on=jd("1400/08/24"))
    assert list(overdue_actions(today=timezone.localdate())) == [still.plan.actions.get()]
    client.force_login(expert)
    rows = [r for r, _cells in client.get("/revival/cases/").context["table"].rows()]
    assert {r: r.overdue_count for r in rows} == {restarted: 0, closed: 0, still: 1}
    listed = client.get("/revival/cases/?overdue=true").context["table"].rows()
    assert [r for r, _cells in listed] == [still]
    listed = client.get("/revival/cases/?overdue=false").context["table"].rows()
    assert {r for r, _cells in listed} == {restarted, closed}
    for case, marked in ((restarted, False), (closed, False), (still, True)):
        body = client.get(case.get_absolute_url()).content.decode()
        assert ('class="overdue"' in body) is marked
    # The unit's representative sees their restarted case with nothing overdue.
    client.force_login(people["yazd-unit"])
    page = client.get("/revival/cases/")
    assert [(r, r.overdue_count) for r, _c in page.context["table"].rows()] == [(restarted, 0)]
    assert "has-overdue" not in page.content.decode()


def test_case_list_filters_take_jalali_dates_and_export_the_same_rows(client, people, yazd):
    expert = yazd["expert"]
    early = _open(expert, UnitFactory(actor=expert, name="زود"), on="1399/12/29")
    inside = _open(expert, UnitFactory(actor=expert, name="درون"), on="1400/01/01")
    client.force_login(people["auditor"])
    query = {"opened_from": "۱۴۰۰/۰۱/۰۱", "opened_to": "1400/12/29"}
    page = client.get("/revival/cases/", query)
    assert [r for r, _c in page.context["table"].rows()] == [inside]
    assert "شناسایی از" in page.content.decode()  # the applied hidden filter is said
    opened = client.get("/revival/cases/", {"open_on": "1400/01/01"}).context["table"]
    assert {r for r, _c in opened.rows()} == {early, inside}
    sheet = load_workbook(io.BytesIO(client.get("/revival/cases/", {**query, "export": "xlsx"})
                                     .content)).active  # fmt: skip
    rows = list(sheet.values)
    assert rows[0][0] == "واحد" and [row[0] for row in rows[1:]] == ["درون"]
    assert rows[1][2] == "۱۴۰۰/۰۱/۰۱"  # the Persian workbook reads as the page


def test_restarted_filter_lists_the_cases_restarted_in_a_period(client, people, yazd):
    expert = yazd["expert"]
    case = _planned(expert, UnitFactory(actor=expert))
    services.case_restart(actor=expert, case=case, on=jd("1400/08/01"))
    _open(expert, UnitFactory(actor=expert))
    client.force_login(expert)
    query = {"restarted_from": "1400/07/01", "restarted_to": "1400/12/29"}
    table = client.get("/revival/cases/", query).context["table"]
    assert [r for r, _c in table.rows()] == [case]
    table = client.get("/revival/cases/", {"restarted_from": "1400/09/01"}).context["table"]
    assert list(table.rows()) == []


# --- a case's page and its steps ---------------------------------------------------------
def _forms(page) -> set[str]:
    body = page.content.decode()
    return {step for step in ("diagnose", "plan", "restart", "close", "visit")
            if f'class="form step-{step}"' in body}  # fmt: skip


def test_case_page_offers_only_the_next_legal_steps_to_the_staff(client, people, yazd):
    expert = yazd["expert"]
    case = _open(expert, UnitFactory(actor=expert))
    client.force_login(expert)
    page = client.get(f"/revival/cases/{case.pk}/")
    # Yazd requires a diagnosis first: no plan and no restart yet.
    assert _forms(page) == {"diagnose", "close", "visit"}
    assert [step.kind for step in page.context["timeline"]] == ["identified"]
    for name in ("hq", "auditor", "bushehr-expert"):
        client.force_login(people[name])
        page = client.get(f"/revival/cases/{case.pk}/")
        assert page.status_code == (404 if name == "bushehr-expert" else 200)
        if page.status_code == 200:
            assert _forms(page) == set()  # read only


def test_diagnosis_with_findings_per_area_then_a_plan_then_the_restart(client, people, yazd):
    expert = yazd["expert"]
    unit = UnitFactory(actor=expert, employees=30)
    case = _open(expert, unit)
    client.force_login(expert)
    response = client.post(f"/revival/cases/{case.pk}/diagnose/", {
        "on": "۱۴۰۰/۰۴/۰۱", "diagnosed_by": expert.pk, "summary": "کمبود سرمایه",
        "severity_finance": "critical", "text_finance": "بدهی بانکی",
        "severity_market": "medium", "text_market": "رقابت",
    })  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == "diagnosed"
    findings = {(f.area, f.severity) for f in case.diagnoses.get().findings.all()}
    assert findings == {("finance", "critical"), ("market", "medium")}
    page = client.get(f"/revival/cases/{case.pk}/")
    assert _forms(page) == {"diagnose", "plan", "restart", "close", "visit"}
    # The findings' column is their area of the unit's work (حوزه), not a land area (مساحت).
    card = page.content.decode().split('class="card diagnosis"')[1].split("</thead>")[0]
    assert re.findall(r"<th>([^<]*)</th>", card) == ["حوزه", "شدت", "یافته‌ها"]
    response = client.post(f"/revival/cases/{case.pk}/plan/", {
        "on": "1400/05/01", "summary": "",
        "actions-TOTAL_FORMS": "2", "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "1", "actions-MAX_NUM_FORMS": "1000",
        "actions-0-title": "وام سرمایه در گردش", "actions-0-owner_kind": "bank",
        "actions-0-owner_name": "بانک صنعت و معدن", "actions-0-due_on": "1400/09/01",
        "actions-0-cost_rial": "۲٬۵۰۰", "actions-0-paid_by": "تبصره ۱۸",
    })  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    action = case.plan.actions.get()
    assert case.stage == "planned" and action.owner_kind == "bank"
    assert action.cost_rial == 2_500 * 10_000_000  # 2,500 million toman in rial
    page = client.get(f"/revival/cases/{case.pk}/")
    assert "۲٬۵۰۰ میلیون تومان" in page.content.decode()
    assert _forms(page) == {"restart", "close", "visit"}
    response = client.post(f"/revival/cases/{case.pk}/restart/",
                           {"on": "1400/10/01", "jobs_restored": "25"})  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    unit.refresh_from_db()
    assert (case.stage, case.restarted_on, case.jobs_restored) == (
        "restarted",
        jd("1400/10/01"),
        25,
    )
    assert (unit.status, unit.status_since) == ("restarted", jd("1400/10/01"))
    page = client.get(f"/revival/cases/{case.pk}/")
    kinds = [step.kind for step in page.context["timeline"]]
    assert kinds == ["identified", "diagnosed", "planned", "restarted"]
    assert _forms(page) == {"visit"}


def test_each_step_form_of_a_case_page_has_its_own_ids(client, people, yazd):
    """The step forms share field names (on, summary, note): each has its own ids, so a
    label leads to its own form's field, also on a page shown again after a refusal."""
    expert = yazd["expert"]
    case = _open(expert, UnitFactory(actor=expert))
    services.case_diagnose(actor=expert, case=case, on=jd("1400/04/01"), diagnosed_by=expert,
                           findings=MARKET)  # fmt: skip
    planned = _planned(expert, UnitFactory(actor=expert))
    services.plan_action_add(actor=expert, plan=planned.plan, title="آموزش", owner_kind="unit",
                             due_on=jd("1400/08/01"))  # fmt: skip
    client.force_login(expert)
    page = client.get(f"/revival/cases/{case.pk}/")
    assert _forms(page) == {"diagnose", "plan", "restart", "close", "visit"}
    assert id_faults(page.content.decode()) == []
    assert id_faults(client.get(f"/revival/cases/{planned.pk}/").content.decode()) == []
    refused = client.post(f"/revival/cases/{case.pk}/plan/", {"on": "1400/02/01"})
    assert refused.status_code in (200, 400) and id_faults(refused.content.decode()) == []


def test_a_refused_step_saves_nothing_and_says_why_on_the_form(client, people, yazd):
    expert = yazd["expert"]
    case = _open(expert, UnitFactory(actor=expert), on="1400/03/01")
    client.force_login(expert)
    # A diagnosis dated before the identification: refused by the service.
    response = client.post(f"/revival/cases/{case.pk}/diagnose/", {
        "on": "1400/02/01", "diagnosed_by": expert.pk,
        "severity_finance": "high", "text_finance": "بدهی",
    })  # fmt: skip
    assert response.status_code == 400  # the service's refusal, on the form as filled in
    assert "پیش از شناسایی" in str(response.context["diagnosis_form"].errors["on"])
    assert response.context["diagnosis_form"]["text_finance"].value() == "بدهی"
    # A severity without findings: refused by the form.
    response = client.post(f"/revival/cases/{case.pk}/diagnose/", {
        "on": "1400/04/01", "diagnosed_by": expert.pk, "severity_finance": "high",
    })  # fmt: skip
    assert (
        response.status_code == 200 and "text_finance" in response.context["diagnosis_form"].errors
    )
    # A restart without a diagnosis, posted anyway.
    client.post(f"/revival/cases/{case.pk}/restart/", {"on": "1400/05/01"})
    case.refresh_from_db()
    assert case.stage == "identified" and not case.diagnoses.exists()


def test_action_progress_and_a_follow_up_visit(client, people, yazd):
    expert = yazd["expert"]
    case = _planned(expert, UnitFactory(actor=expert), due="1400/06/01")
    action = case.plan.actions.get()
    client.force_login(expert)
    client.post(
        f"/revival/actions/{action.pk}/progress/", {"progress_pct": "۱۰۰", "on": "1400/07/01"}
    )
    client.post(f"/revival/cases/{case.pk}/visits/", {"on": "1400/07/02", "findings": "دوباره کار"})
    action.refresh_from_db()
    assert (action.progress_pct, action.done_on) == (100, jd("1400/07/01"))
    page = client.get(f"/revival/cases/{case.pk}/")
    assert [s.kind for s in page.context["timeline"]][-2:] == ["action_done", "visit"]
    assert 'class="overdue"' not in page.content.decode()  # done: no longer overdue


def test_the_units_representative_reads_their_case_and_nothing_else(client, people, yazd):
    expert = yazd["expert"]
    own = SAMPLES[Unit]("yazd")  # represented by yazd-unit
    from shahrak.units import services as unit_services

    unit_services.unit_change_status(actor=expert, unit=own, status="operational",
                                     on=jd("1398/01/01"))  # fmt: skip
    mine = _open(expert, own)
    other = _open(expert, UnitFactory(actor=expert))
    client.force_login(people["yazd-unit"])
    listed = [r for r, _c in client.get("/revival/cases/").context["table"].rows()]
    assert listed == [mine]
    assert client.get(f"/revival/cases/{other.pk}/").status_code == 404
    page = client.get(f"/revival/cases/{mine.pk}/")
    assert page.status_code == 200 and _forms(page) == set()
    assert client.post(f"/revival/cases/{mine.pk}/diagnose/", {}).status_code == 404
    assert client.get("/revival/watch/").status_code == 403
    assert client.get("/revival/funnel/").status_code == 403


# --- opening a case ---------------------------------------------------------------------------
def test_a_case_is_opened_from_the_units_page(client, people, yazd):
    expert = yazd["expert"]
    unit = UnitFactory(actor=expert)
    client.force_login(expert)
    page = client.get(f"/units/{unit.pk}/").content.decode()
    assert f"/revival/units/{unit.pk}/open/" in page
    response = client.post(f"/revival/units/{unit.pk}/open/", {
        "opened_on": "1400/03/01", "identified_by": "clinic_visit",
        "reasons": ["raw_materials", "equipment"], "jobs_at_stake": "",
    })  # fmt: skip
    case = RevivalCase.objects.get(unit=unit)
    assert response["Location"] == f"/revival/cases/{case.pk}/"
    assert sorted(case.reasons.values_list("reason", flat=True)) == ["equipment", "raw_materials"]
    assert case.jobs_at_stake == unit.employees
    unit.refresh_from_db()
    assert (unit.status, unit.status_since) == ("idle", jd("1400/03/01"))
    page = client.get(f"/units/{unit.pk}/").content.decode()
    assert f"/revival/units/{unit.pk}/open/" not in page  # one open case per unit
    assert f"/revival/cases/{case.pk}/" in page
    client.force_login(people["hq"])  # reads, opens nothing
    assert (
        f"/revival/units/{unit.pk}/open/" not in client.get(f"/units/{unit.pk}/").content.decode()
    )


def _month_before(months: int):
    """(year, month) `months` months before the current Jalali month."""
    year, month, _day = to_jalali(timezone.localdate())
    number = year * 12 + month - 1 - months
    return number // 12, number % 12 + 1


def test_watch_list_says_which_rule_fired_and_opens_a_case_in_one_step(client, people, yazd):
    expert = yazd["expert"]
    steady = UnitFactory(actor=expert, name="پیوسته")
    silent = UnitFactory(actor=expert, name="خاموش")
    for months_ago in range(2, 16):
        year, month = _month_before(months_ago)
        services.monthly_report_file(actor=expert, unit=steady, year=year, month=month,
                                     production_volume=100, employees=14)  # fmt: skip
        if months_ago > 5:  # silent stopped reporting three months before last
            services.monthly_report_file(actor=expert, unit=silent, year=year, month=month,
                                         production_volume=100, employees=14)  # fmt: skip
    client.force_login(expert)
    page = client.get("/revival/watch/")
    rows = page.context["rows"]
    assert [row.unit for row in rows] == [silent]
    assert [flag.rule for flag in rows[0].flags] == ["missed_reports"]
    body = page.content.decode()
    assert "ماه پیاپی بی‌گزارش" in body
    assert f'action="/revival/units/{silent.pk}/open/"' in body
    sheet = load_workbook(io.BytesIO(client.get("/revival/watch/?export=xlsx").content)).active
    assert [row[0] for row in list(sheet.values)[1:]] == ["خاموش"]
    # One step: the row's form as the page has it, with a reason chosen.
    today = timezone.localdate()
    from shahrak.core.jalali import format_jalali

    response = client.post(f"/revival/units/{silent.pk}/open/", {
        "identified_by": "early_warning", "opened_on": format_jalali(today, persian=False),
        "note": rows[0].flags[0].message, "reasons": "market",
    })  # fmt: skip
    case = RevivalCase.objects.get(unit=silent)
    assert response["Location"] == case.get_absolute_url()
    assert case.identified_by == "early_warning" and "بی‌گزارش" in case.note
    assert client.get("/revival/watch/").context["rows"] == []  # it has its case now
    client.force_login(people["auditor"])  # sees the list, opens nothing
    assert "/open/" not in client.get("/revival/watch/").content.decode()


def test_a_case_opened_from_the_watch_list_without_a_reason_asks_for_one(client, yazd):
    expert = yazd["expert"]
    unit = UnitFactory(actor=expert)
    client.force_login(expert)
    # The row's select left on its prompt posts an empty reason.
    page = client.post(f"/revival/units/{unit.pk}/open/", {
        "identified_by": "early_warning", "opened_on": "1400/03/01", "note": "بی‌گزارش",
        "reasons": "",
    })  # fmt: skip
    assert page.status_code == 200 and not RevivalCase.objects.filter(unit=unit).exists()
    assert page.context["form"].errors["reasons"] == ["دست‌کم یک علت را انتخاب کنید."]
    assert "معتبر" not in page.content.decode()
    # A reason that is not in the list is still refused as invalid.
    page = client.post(f"/revival/units/{unit.pk}/open/", {
        "identified_by": "early_warning", "opened_on": "1400/03/01", "reasons": ["", "x"],
    })  # fmt: skip
    assert "reasons" in page.context["form"].errors
    assert page.context["form"].errors["reasons"] != ["دست‌کم یک علت را انتخاب کنید."]


# --- the funnel -----------------------------------------------------------------------------
def test_funnel_counts_the_periods_cases_and_links_to_them(client, people, yazd):
    expert = yazd["expert"]
    _open(expert, UnitFactory(actor=expert), on="1400/02/01")
    _planned(expert, UnitFactory(actor=expert))
    restarted = _planned(expert, UnitFactory(actor=expert))
    services.case_restart(actor=expert, case=restarted, on=jd("1400/08/01"))
    closed = _open(expert, UnitFactory(actor=expert), on="1400/03/01")
    services.case_close(actor=expert, case=closed, on=jd("1400/04/01"))
    _open(expert, UnitFactory(actor=expert), on="1401/02/01")  # another year
    client.force_login(people["yazd-manager"])
    page = client.get("/revival/funnel/", {"period": "1400", "province": "yazd"})
    counts = {step["key"]: step["count"] for step in page.context["steps"]}
    assert counts == {"identified": 4, "diagnosed": 2, "planned": 2, "restarted": 1, "closed": 1}
    diagnosed = next(step for step in page.context["steps"] if step["key"] == "diagnosed")
    listed = client.get(diagnosed["url"]).context["table"]
    assert len(list(listed.rows())) == 2
    page = client.get("/revival/funnel/", {"year": "1401", "part": "H1"})
    assert page.context["steps"][0]["count"] == 1
    client.force_login(people["bushehr-manager"])  # Yazd's cases are not Bushehr's
    page = client.get("/revival/funnel/", {"period": "1400"})
    assert page.context["steps"][0]["count"] == 0


# --- monthly reports ------------------------------------------------------------------------
@pytest.fixture
def represented(people):
    expert = people["yazd-expert"]
    unit = SAMPLES[Unit]("yazd")
    from shahrak.units import services as unit_services

    unit_services.unit_change_status(actor=expert, unit=unit, status="operational",
                                     on=jd("1398/01/01"))  # fmt: skip
    return unit


def test_representative_files_the_staff_return_and_home_shows_it(client, people, represented):
    rep = people["yazd-unit"]
    client.force_login(rep)
    year, month = _month_before(2)
    response = client.post("/revival/reports/file/", {
        "unit": represented.pk, "year": year, "month": month, "production_volume": "۱۲۰٫۵",
        "production_measure": "تن", "employees": "۱۲", "sales_rial": "۳۵۰", "submit": "1",
    })  # fmt: skip
    report = MonthlyReport.objects.get(unit=represented, year=year, month=month)
    assert response["Location"] == f"/revival/reports/{report.pk}/"
    assert report.status == "submitted" and report.sales_rial == 350 * 10_000_000
    page = client.get(report.get_absolute_url()).content.decode()
    assert "/reports/review/" not in page  # the representative does not review
    assert client.post(f"/revival/units/{represented.pk}/reports/review/",
                       {"report": report.pk, "decision": "accept"}).status_code == 404  # fmt: skip
    client.force_login(people["yazd-expert"])
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'action="/revival/units/{represented.pk}/reports/review/"' in page
    client.post(f"/revival/units/{represented.pk}/reports/review/",
                {"report": report.pk, "decision": "return", "reason": "فروش نادرست"})  # fmt: skip
    report.refresh_from_db()
    assert report.status == "returned" and report.return_reason == "فروش نادرست"
    client.force_login(rep)
    home = client.get("/").content.decode()
    assert "فروش نادرست" in home and report.get_absolute_url() in home
    # The returned report opens in the form to correct it.
    form = client.get("/revival/reports/file/", {"unit": represented.pk, "year": year,
                                                 "month": month}).context["form"]  # fmt: skip
    assert form.initial["production_measure"] == "تن"


def test_home_page_lists_the_months_due_and_not_filed(client, people, represented):
    client.force_login(people["yazd-unit"])
    home = client.get("/")
    due = home.context["units"][0].reports_due
    year, month = _month_before(1 if to_jalali(timezone.localdate())[2] >= 10 else 2)
    assert (due[0]["year"], due[0]["month"]) == (year, month)  # the latest month due
    assert len(due) == 12
    services.monthly_report_file(actor=people["yazd-unit"], unit=represented, year=year,
                                 month=month, production_volume=1, employees=1)  # fmt: skip
    due = client.get("/").context["units"][0].reports_due
    assert (year, month) not in {(d["year"], d["month"]) for d in due} and len(due) == 11
    older = due[0]  # its link opens the form on that very month
    form = client.get("/revival/reports/file/?" + older["query"]).context["form"]
    assert (form.initial["unit"], form.initial["year"], form.initial["month"]) == (
        represented.pk,
        older["year"],
        older["month"],
    )


def test_representative_lists_only_their_units_reports(client, people, represented):
    expert = people["yazd-expert"]
    other = UnitFactory(actor=expert)
    for unit in (represented, other):
        services.monthly_report_file(actor=expert, unit=unit, year=1400, month=2,
                                     production_volume=1, employees=1)  # fmt: skip
    client.force_login(people["yazd-unit"])
    listed = [r.unit for r, _c in client.get("/revival/reports/").context["table"].rows()]
    assert listed == [represented]
    choices = client.get("/revival/reports/file/").context["form"].fields["unit"].queryset
    assert list(choices) == [represented]
    refused = client.post("/revival/reports/file/", {
        "unit": other.pk, "year": 1400, "month": 3, "production_volume": "1", "employees": "1",
    })  # fmt: skip
    assert "unit" in refused.context["form"].errors
    assert not MonthlyReport.objects.filter(unit=other, month=3).exists()


def test_report_list_filters_late_reports(client, people, represented):
    expert = people["yazd-expert"]
    services.monthly_report_file(actor=expert, unit=represented, year=1400, month=2,
                                 production_volume=1, employees=1)  # fmt: skip
    on_time = UnitFactory(actor=expert)
    report = services.monthly_report_file(actor=expert, unit=on_time, year=1400, month=2,
                                          production_volume=1, employees=1)  # fmt: skip
    MonthlyReport.objects.filter(pk=report.pk).update(
        filed_at=timezone.make_aware(timezone.datetime(2021, 5, 25, 10))  # 1400/03/04
    )
    client.force_login(expert)
    late = client.get("/revival/reports/", {"late": "true"}).context["table"]
    assert [r.unit for r, _c in late.rows()] == [represented]  # filed years after its month
    in_time = client.get("/revival/reports/", {"late": "false"}).context["table"]
    assert [r.unit for r, _c in in_time.rows()] == [on_time]


def test_report_list_year_is_typed_and_shown_in_persian_digits(client, people, represented):
    expert = people["yazd-expert"]
    for year in (1400, 1401):
        services.monthly_report_file(actor=expert, unit=represented, year=year, month=2,
                                     production_volume=1, employees=1)  # fmt: skip
    client.force_login(expert)
    page = client.get("/revival/reports/", {"year": "۱۴۰۰"})
    assert [r.year for r, _c in page.context["table"].rows()] == [1400]
    box = re.search(r'<input[^>]*name="year"[^>]*>', page.content.decode()).group(0)
    assert 'value="۱۴۰۰"' in box and 'type="text"' in box and "max=" not in box


def test_units_page_shows_its_cases_and_monthly_reports(client, people, represented):
    expert = people["yazd-expert"]
    case = _open(expert, represented)
    report = services.monthly_report_file(actor=expert, unit=represented, year=1400, month=1,
                                          production_volume=3, employees=2)  # fmt: skip
    for name in ("yazd-unit", "yazd-expert", "auditor"):
        client.force_login(people[name])
        page = client.get(f"/units/{represented.pk}/").content.decode()
        assert case.get_absolute_url() in page and report.get_absolute_url() in page


# --- the menu and the cost of the lists --------------------------------------------------------
def test_menu_offers_the_revival_pages_each_role_may_open(client, people):
    def menu(name):
        client.force_login(people[name])
        return {area.url_name for area in client.get("/").context["nav_areas"] if area.url_name}

    revival = {"revival:case-list", "revival:watch-list", "revival:report-list"}
    assert revival <= menu("yazd-expert") and revival <= menu("hq")
    assert menu("yazd-unit") & revival == {"revival:case-list", "revival:report-list"}
    assert menu("yazd-agent") & revival == set()


def test_lists_cost_the_same_queries_for_more_rows(client, people, yazd):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    expert = yazd["expert"]

    def counted(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add(n):
        for _i in range(n):
            unit = UnitFactory(actor=expert)
            _planned(expert, unit)
            services.monthly_report_file(actor=expert, unit=unit, year=1400, month=1,
                                         production_volume=1, employees=1)  # fmt: skip

    add(2)
    client.force_login(expert)
    few = {url: counted(url) for url in ("/revival/cases/", "/revival/reports/")}
    add(6)
    assert {url: counted(url) for url in few} == few


def test_lists_lead_to_the_case_and_the_report_waiting_longest(client, people, yazd,
                                                                represented):  # fmt: skip
    expert = yazd["expert"]
    _open(expert, UnitFactory(actor=expert), on="1401/01/01")
    oldest = _open(expert, UnitFactory(actor=expert), on="1400/01/10")
    planned = _planned(expert, UnitFactory(actor=expert))
    client.force_login(expert)
    stages = client.get("/revival/cases/").content.decode().split('class="filters"')[0]
    assert oldest.get_absolute_url() in stages and planned.get_absolute_url() in stages
    first = services.monthly_report_file(actor=expert, unit=represented, year=1400, month=1,
                                         production_volume=1, employees=1)  # fmt: skip
    services.monthly_report_file(actor=expert, unit=represented, year=1400, month=2,
                                 production_volume=1, employees=1)  # fmt: skip
    page = client.get("/revival/reports/")
    notice = page.content.decode().split('class="notice waiting"')[1].split("</p>")[0]
    assert "۲ گزارش در انتظار بررسی" in notice and first.get_absolute_url() in notice
    # A return without its reason: refused, the report's page shows the review as filled in.
    response = client.post(f"/revival/units/{represented.pk}/reports/review/",
                           {"report": first.pk, "decision": "return", "reason": ""})  # fmt: skip
    assert response.status_code == 400
    assert "علت بازگرداندن" in str(response.context["review_form"].errors)
    first.refresh_from_db()
    assert first.status == "submitted"


def test_lists_take_the_report_figures_links(client, people, yazd, represented):
    """The revival figures link with ISO dates (`opened_from=2021-03-21`), a stretch of
    months (`month_from=1400-02`) and the scope's park: the lists read them all."""
    expert = yazd["expert"]
    inside = _open(expert, UnitFactory(actor=expert), on="1400/01/01")  # 2021-03-21
    _open(expert, UnitFactory(actor=expert), on="1399/12/29")
    diagnosed = _planned(expert, UnitFactory(actor=expert))  # diagnosed 1400/04/01
    client.force_login(expert)
    table = client.get("/revival/cases/", {"opened_from": "2021-03-21",
                                           "opened_to": "2021-03-21"}).context["table"]  # fmt: skip
    assert [r for r, _c in table.rows()] == [inside]
    query = {"diagnosed_from": "2021-06-01", "diagnosed_to": "2021-07-01"}
    table = client.get("/revival/cases/", query).context["table"]
    assert [r for r, _c in table.rows()] == [diagnosed]  # 1400/04/01 is 2021-06-22
    other_park = client.get("/revival/cases/", {"park": 0}).context["table"]
    assert list(other_park.rows()) == []
    for month in (1, 2, 3, 4):
        services.monthly_report_file(actor=expert, unit=represented, year=1400, month=month,
                                     production_volume=1, employees=1)  # fmt: skip
    table = client.get("/revival/reports/", {"month_from": "1400-02",
                                             "month_to": "1400-03"}).context["table"]  # fmt: skip
    assert sorted(r.month for r, _c in table.rows()) == [2, 3]
    # The stretch is said as the table writes a month (۱۴۰۰/۰۲), not as the link (1400-02).
    said = client.get("/revival/reports/", {"month_from": "1400-02", "month_to": "۱۴۰۰/۳"})
    applied = re.search(r'<p class="muted applied">(.*?)</p>', said.content.decode(), re.S)[1]
    assert "۱۴۰۰/۰۲" in applied and "۱۴۰۰/۰۳" in applied and "-" not in applied
    assert sorted(r.month for r, _c in said.context["table"].rows()) == [2, 3]
    page = client.get("/revival/watch/", {"on": "2021-03-21"})
    assert page.context["on_date"] == jd("1400/01/01") and page.context["error"] is None
