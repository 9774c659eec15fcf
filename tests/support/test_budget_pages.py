"""The budget pages: budget against reserved and paid by Jalali year and half, the units that
reached a program's cap, applications by stage and age — each scoped (a province's manager
sees their province, headquarters all), each with its Excel export."""

import io
import re

import pytest
from openpyxl import load_workbook

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.support import services
from shahrak.support.models import Application, ProgramBudget

from .helpers import MILLION, approved, draft, executed, make_budget, make_program, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def money(people):
    """A Bushehr program with a 1400 budget: one application paid in both halves of 1400, one
    approved up to the unit's cap, a draft."""
    manager, expert, rep = (
        people["bushehr-manager"],
        people["bushehr-expert"],
        people["bushehr-unit"],
    )
    program = make_program(manager, required_documents=[], cap_per_unit_rial=300 * MILLION)
    budget = make_budget(manager, program, 5_000 * MILLION)
    units = [make_unit(expert, rep) for _ in range(3)]
    paid = executed(rep, expert, manager, units[0], program, 500 * MILLION, 50, 500 * MILLION,
                    on="1400/06/10")  # fmt: skip
    services.application_pay(actor=manager, application=paid, amount_rial=100 * MILLION,
                             on=jd("1400/06/20"))  # fmt: skip
    services.application_pay(actor=manager, application=paid, amount_rial=40 * MILLION,
                             on=jd("1400/09/01"))  # fmt: skip
    capped = approved(rep, expert, manager, units[1], program, 1_000 * MILLION, 30,
                      on="1400/08/01")  # fmt: skip
    draft(rep, units[2], program)
    return {"program": program, "budget": budget, "paid": paid, "capped": capped}


def _cells(response) -> list[str]:
    body = response.content.decode()
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]  # fmt: skip


def test_budget_use_by_half(client, people, money):
    client.force_login(people["bushehr-manager"])
    response = client.get("/support/budgets/", {"year": 1400, "export": "xlsx"})
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    budget = ProgramBudget.objects.get(pk=money["budget"].pk)
    paid, capped = money["paid"], money["capped"]
    # Million toman = rial / 10^7; each figure from the records made above.
    assert row["بودجه (میلیون تومان)"] == budget.amount_rial / 10**7
    assert row["پرداخت‌شده در نیمهٔ نخست (میلیون تومان)"] == 100 * MILLION / 10**7
    assert row["پرداخت‌شده در نیمهٔ دوم (میلیون تومان)"] == 40 * MILLION / 10**7
    assert row["تصویب‌شده در نیمهٔ نخست (میلیون تومان)"] == paid.approved_amount_rial / 10**7
    assert row["تصویب‌شده در نیمهٔ دوم (میلیون تومان)"] == capped.approved_amount_rial / 10**7
    reserved = (paid.subsidy_rial - 140 * MILLION) + capped.approved_amount_rial
    assert row["رزروشده (میلیون تومان)"] == reserved / 10**7
    assert row["مانده (میلیون تومان)"] == (budget.amount_rial - reserved - 140 * MILLION) / 10**7


def test_another_provinces_budgets_are_not_shown(client, people, money):
    client.force_login(people["yazd-manager"])
    response = client.get("/support/budgets/", {"program": money["program"].pk})
    assert response.status_code == 200
    assert money["program"].title not in response.content.decode()
    client.force_login(people["hq"])
    assert money["program"].title in client.get("/support/budgets/").content.decode()
    # A unit's representative sees no budget: the page is not theirs.
    client.force_login(people["bushehr-unit"])
    assert client.get("/support/budgets/").status_code == 403


def test_units_that_reached_their_cap(client, people, money):
    client.force_login(people["bushehr-manager"])
    capped = money["capped"]
    assert capped.committed_rial == money["program"].cap_per_unit_rial  # 30 % of 1,000 > 300
    response = client.get("/support/budgets/caps/", {"year": 1400})
    assert f'href="/units/{capped.unit_id}/"' in response.content.decode()
    assert f'href="/units/{money["paid"].unit_id}/"' not in response.content.decode()
    client.force_login(people["yazd-manager"])
    assert capped.unit.name not in client.get("/support/budgets/caps/").content.decode()
    client.force_login(people["bushehr-manager"])
    sheet = load_workbook(io.BytesIO(client.get("/support/budgets/caps/?export=xlsx").content))
    assert sheet.active.max_row == 2


def test_applications_by_stage_and_age(client, people, money):
    client.force_login(people["bushehr-manager"])
    response = client.get("/support/budgets/stages/")
    body = response.content.decode()
    expected = {}
    for application in Application.objects.all():
        expected[application.status] = expected.get(application.status, 0) + 1
    sheet = load_workbook(io.BytesIO(client.get("/support/budgets/stages/?export=xlsx").content))
    _header, *rows = [[cell.value for cell in row] for row in sheet.active.iter_rows()]
    totals = {row[0]: row[-1] for row in rows}
    labels = {"draft": "پیش‌نویس", "approved": "تأییدشده", "paid": "پرداخت‌شده"}
    for status, label in labels.items():
        assert totals[label] == expected[status]
    # Every step was taken today: all of them in the first age column, linked to their list.
    assert rows[0][1] == expected["draft"]
    link = re.search(r'href="(/support/applications/\?status=draft&amp;waiting_days=0'
                     r'&amp;waiting_under=7)"', body)  # fmt: skip
    assert link
    listed = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert len(set(re.findall(r'href="/support/applications/(\d+)/"', listed))) == 1
    client.force_login(people["yazd-manager"])
    sheet = load_workbook(io.BytesIO(client.get("/support/budgets/stages/?export=xlsx").content))
    assert all(row[-1].value == 0 for row in list(sheet.active.iter_rows())[1:])


def test_the_pages_are_reached_from_the_menu_and_the_program(client, people, money):
    client.force_login(people["bushehr-manager"])
    home = client.get("/").content.decode()
    assert 'href="/support/budgets/"' in home
    page = client.get(money["program"].get_absolute_url()).content.decode()
    assert f'href="/support/budgets/?program={money["program"].pk}"' in page
