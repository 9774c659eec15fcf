"""The staff's list of applications: filters by program, stage, expert and age, "my work" on
the list and the home page, batch actions (all or nothing) and the Excel export."""

import re
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from shahrak.core.jalali import jalali_year_of
from shahrak.core.text import to_fa_digits
from shahrak.support import services
from shahrak.support.models import Application
from tests.support.helpers import (
    MILLION,
    draft,
    make_budget,
    make_program,
    make_unit,
    snapshot,
    submitted,
    under_review,
)

pytestmark = pytest.mark.django_db
LIST = "/support/applications/"


@pytest.fixture
def program(manager):
    program = make_program(manager)
    make_budget(manager, program, 10_000 * MILLION, year=jalali_year_of(timezone.localdate()))
    return program


@pytest.fixture
def unit(expert, rep):
    return make_unit(expert, rep)


def _numbers(response) -> set[str]:
    return set(re.findall(r'<a href="/support/applications/(\d+)/">', response.content.decode()))


def _ids(*applications) -> set[str]:
    return {str(a.pk) for a in applications}


def test_the_list_filters_by_expert_program_and_my_work(
    client, people, rep, expert, manager, unit, program
):
    other = make_program(manager, title="حضور در نمایشگاه")
    make_budget(manager, other, 10_000 * MILLION, year=jalali_year_of(timezone.localdate()))
    mine = under_review(rep, expert, unit, program)
    managers = services.application_assign(
        actor=manager, application=submitted(rep, unit, program), expert=manager
    )
    elsewhere = submitted(rep, unit, other)
    client.force_login(expert)
    assert _numbers(client.get(LIST, {"expert": expert.pk})) == _ids(mine)
    assert _numbers(client.get(LIST, {"expert": manager.pk})) == _ids(managers)
    assert _numbers(client.get(LIST, {"program": other.pk})) == _ids(elsewhere)
    assert _numbers(client.get(LIST, {"mine": "assigned"})) == _ids(mine)
    assert _numbers(client.get(LIST, {"mine": "to_decide"})) == set()
    services.application_review(actor=expert, application=mine, note="قابل تأیید")
    client.force_login(manager)
    assert _numbers(client.get(LIST, {"mine": "to_decide"})) == _ids(mine)
    assert _numbers(client.get(LIST, {"mine": "assigned"})) == _ids(managers)


def test_the_home_page_shows_the_work_waiting(client, people, rep, expert, manager, unit, program):
    application = under_review(rep, expert, unit, program)
    client.force_login(expert)
    body = client.get("/").content.decode()
    section = body[body.index('id="my-work-title"') :]
    assert f"/support/applications/{application.pk}/" in section
    assert f"{LIST}?mine=assigned" in section
    client.force_login(manager)
    assert 'id="my-work-title"' not in client.get("/").content.decode()  # nothing reviewed yet
    services.application_review(actor=expert, application=application, note="قابل تأیید")
    body = client.get("/").content.decode()
    assert f"{LIST}?mine=to_decide" in body
    client.force_login(rep)
    assert 'id="my-work-title"' not in client.get("/").content.decode()


def test_a_batch_assigns_several_applications_to_one_expert(
    client, people, rep, expert, manager, unit, program
):
    first, second = submitted(rep, unit, program), submitted(rep, unit, program)
    client.force_login(manager)
    assert 'id="batch"' in client.get(LIST).content.decode()
    response = client.post(
        f"{LIST}batch/",
        {"applications": [first.pk, second.pk], "action": "assign", "expert": expert.pk,
         "back": f"{LIST}?status=submitted"},
    )  # fmt: skip
    assert response["Location"] == f"{LIST}?status=submitted"
    for application in (first, second):
        application.refresh_from_db()
        assert (application.status, application.assigned_to) == ("under_review", expert)


def test_a_batch_rejection_is_all_or_nothing_and_names_the_refused_application(
    client, people, rep, expert, manager, unit, program, media_root
):
    fine = submitted(rep, unit, program)
    still_draft = draft(rep, unit, program)  # a draft cannot be rejected
    client.force_login(manager)
    before = snapshot(media_root)
    response = client.post(
        f"{LIST}batch/",
        {"applications": [fine.pk, still_draft.pk], "action": "reject", "reason": "اعتبار نیست"},
        follow=True,
    )
    assert snapshot(media_root) == before
    said = " ".join(str(m) for m in response.context["messages"])
    assert to_fa_digits(str(still_draft.pk)) in said and "تغییر نکرد" in said
    assert Application.objects.get(pk=fine.pk).status == "submitted"


def test_a_batch_needs_the_expert_or_the_reason(client, people, rep, manager, unit, program):
    application = submitted(rep, unit, program)
    client.force_login(manager)
    response = client.post(
        f"{LIST}batch/", {"applications": [application.pk], "action": "reject"}, follow=True
    )
    assert "چرا" in " ".join(str(m) for m in response.context["messages"])
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_a_representative_has_no_batch(client, people, rep, expert, unit, program):
    application = submitted(rep, unit, program)
    client.force_login(rep)
    assert 'id="batch"' not in client.get(LIST).content.decode()
    response = client.post(
        f"{LIST}batch/", {"applications": [application.pk], "action": "reject", "reason": "نه"}
    )
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_the_excel_export_has_the_filtered_rows_and_their_expert(
    client, people, rep, expert, manager, unit, program
):
    mine = under_review(rep, expert, unit, program)
    submitted(rep, unit, program)
    client.force_login(manager)
    response = client.get(LIST, {"expert": expert.pk, "export": "xlsx"})
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert len(rows) == 2  # the header and the one application assigned to the expert
    assert rows[1][0] in (mine.pk, to_fa_digits(str(mine.pk)))
    assert "bushehr-expert" in rows[1]


def test_a_batch_refuses_another_provinces_application_as_one_that_does_not_exist(
    client, people, rep, manager, unit, program
):
    from tests.harness import SAMPLES

    yazd = SAMPLES[Application]("yazd")
    mine = submitted(rep, unit, program)
    client.force_login(manager)

    def said(pk):
        response = client.post(
            f"{LIST}batch/",
            {"applications": [mine.pk, pk], "action": "reject", "reason": "نه"},
            follow=True,
        )
        text = " ".join(str(m) for m in response.context["messages"])
        return text.replace(str(pk), "<id>").replace(to_fa_digits(str(pk)), "<id>")

    assert said(yazd.pk) == said(10_000_000) != ""  # refused in words, the same words
    assert yazd.unit.name not in said(yazd.pk)
    assert Application.objects.get(pk=mine.pk).status == "submitted"


def test_my_work_has_what_waits_to_be_assigned_and_to_be_paid_or_closed(
    client, people, rep, expert, manager, unit, program
):
    from tests.support.helpers import pdf

    waiting = submitted(rep, unit, program)
    to_pay = services.application_assign(
        actor=manager, application=submitted(rep, unit, program), expert=expert
    )
    services.application_approve(
        actor=manager, application=to_pay, approved_cost_rial=100 * MILLION, approved_rate_pct=40
    )
    services.application_document_add(actor=rep, application=to_pay, kind="invoice", upload=pdf())
    services.application_execute(actor=expert, application=to_pay, actual_cost_rial=100 * MILLION)
    client.force_login(expert)
    assert _numbers(client.get(LIST, {"mine": "to_assign"})) == _ids(waiting)
    assert _numbers(client.get(LIST, {"mine": "to_settle"})) == set()  # the manager's
    client.force_login(manager)
    assert _numbers(client.get(LIST, {"mine": "to_settle"})) == _ids(to_pay)
    body = client.get("/").content.decode()
    for kind in ("to_assign", "to_settle"):
        assert f"{LIST}?mine={kind}" in body
    client.force_login(rep)
    assert _numbers(client.get(LIST, {"mine": "to_assign"})) == set()


def test_a_representative_is_not_offered_the_staffs_filters(
    client, people, rep, expert, manager, unit, program
):
    application = under_review(rep, expert, unit, program)
    client.force_login(rep)
    shown = re.compile(r'<select[^>]*name="(mine|expert)"')
    body = client.get(LIST).content.decode()
    assert not shown.search(body) and "کارهای من" not in body
    assert _numbers(client.get(LIST)) == _ids(application)
    client.force_login(expert)
    body = client.get(LIST).content.decode()
    assert {"mine", "expert"} <= set(shown.findall(body)) and "کارهای من" in body
    assert _numbers(client.get(LIST, {"mine": "assigned"})) == _ids(application)
    assert _numbers(client.get(LIST, {"expert": expert.pk})) == _ids(application)
