"""The program catalogue's pages: the list with its filters and Excel export, a program's page
(its budgets only for the province's staff, headquarters and auditors), and a manager
creating, editing and budgeting their province's programs through the forms."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.places.models import Province
from shahrak.support import services
from shahrak.support.models import Program, ProgramBudget
from tests.support.helpers import MILLION, bushehr, make_budget, make_program

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    body = response.content.decode()
    return re.findall(r'class="card-title"><a href="/support/programs/\d+/"><bdi>([^<]*)<', body)


@pytest.fixture
def catalogue(people):
    manager, admin = people["bushehr-manager"], people["admin"]
    yazd = Province.objects.get(code="yazd")
    greenhouse = make_program(manager)  # market, Bushehr, open from 1399
    closed = make_program(manager, title="کلینیک کسب‌وکار", family="technology",
                          opens_on=jd("1399/01/01"), closes_on=jd("1399/12/29"))  # fmt: skip
    national = services.program_create(
        actor=admin, title="نمایشگاه‌های خارجی", family="market", flagship=True,
        rate_min_pct=Decimal(40), rate_max_pct=Decimal(70), cap_per_unit_rial=10**10,
        opens_on=jd("1400/01/01"), eligible_provinces=[yazd],
    )  # fmt: skip
    return {"greenhouse": greenhouse, "closed": closed, "national": national}


def test_the_list_filters_by_family_flagship_province_date_and_words(client, people, catalogue):
    client.force_login(people["bushehr-unit"])  # the catalogue is everyone's to read
    everything = _titles(client.get("/support/programs/"))
    assert sorted(everything) == sorted(p.title for p in catalogue.values())
    assert _titles(client.get("/support/programs/?family=technology")) == ["کلینیک کسب‌وکار"]
    assert _titles(client.get("/support/programs/?flagship=true")) == ["نمایشگاه‌های خارجی"]
    # A province's own programs and the national ones offered there.
    assert "نمایشگاه‌های خارجی" not in _titles(client.get("/support/programs/?province=bushehr"))
    assert _titles(client.get("/support/programs/?province=yazd")) == ["نمایشگاه‌های خارجی"]
    open_then = _titles(client.get("/support/programs/?open_on=۱۴۰۰/۰۶/۰۱"))
    # The title was typed «توسعهٔ» (heh + hamza): it keeps its ezafe, as the one letter «ۀ».
    assert sorted(open_then) == sorted(["توسعۀ بازار محصولات گلخانه‌ای", "نمایشگاه‌های خارجی"])
    assert _titles(client.get("/support/programs/?q=گلخانه")) == ["توسعۀ بازار محصولات گلخانه‌ای"]


def test_the_excel_export_has_the_listed_programs(client, people, catalogue):
    client.force_login(people["hq"])
    response = client.get("/support/programs/?family=market&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sorted(row[0] for row in rows[1:]) == sorted(
        ["توسعۀ بازار محصولات گلخانه‌ای", "نمایشگاه‌های خارجی"]
    )
    national = next(row for row in rows if row[0] == "نمایشگاه‌های خارجی")
    assert national[4] == "۴۰–۷۰" and national[5] == 1000  # 10^10 rial = 1,000 million toman


@pytest.mark.parametrize(
    ("username", "sees"),
    [("bushehr-manager", True), ("bushehr-expert", True), ("hq", True), ("auditor", True),
     ("bushehr-unit", False), ("yazd-manager", False), ("yazd-expert", False),
     ("nobody", False)],
)  # fmt: skip
def test_budgets_are_shown_to_the_provinces_staff_hq_and_auditors(client, people, username, sees):
    manager = people["bushehr-manager"]
    program = make_program(manager)
    make_budget(manager, program, 3_000 * MILLION)
    client.force_login(people[username])
    body = client.get(f"/support/programs/{program.pk}/").content.decode()
    assert "توسعۀ بازار محصولات گلخانه‌ای" in body  # the program itself: everyone
    assert ("۳۰۰ میلیون تومان" in body) is sees  # 3,000 million rial = 300 million toman


def test_a_manager_creates_edits_and_budgets_their_provinces_program(client, people):
    manager = people["bushehr-manager"]
    client.force_login(manager)
    page = client.get("/support/programs/").content.decode()
    assert 'href="/support/programs/new/"' in page
    form = client.get("/support/programs/new/").content.decode()
    assert "eligible_provinces" not in form  # a provincial program is for its own province
    response = client.post("/support/programs/new/", {
        "title": "توسعه صادرات خرما", "family": "market", "province": bushehr().pk,
        "rate_min_pct": "۳۰", "rate_max_pct": "۵۰", "cap_per_unit_rial": "۲۰۰",
        "opens_on": "۱۴۰۰/۰۱/۰۱", "size_classes": ["small"], "isic_prefixes": "۱۰۳۰، 11",
        "required_documents": ["proforma"],
    })  # fmt: skip
    program = Program.objects.get(title="توسعه صادرات خرما")
    assert response["Location"] == f"/support/programs/{program.pk}/"
    assert (program.province, program.cap_per_unit_rial) == (bushehr(), 200 * 10 * MILLION)
    assert (program.isic_prefixes, program.size_classes) == (["1030", "11"], ["small"])

    detail = client.get(f"/support/programs/{program.pk}/").content.decode()
    assert f'href="/support/programs/{program.pk}/edit/"' in detail
    assert f'href="/support/programs/budget/?program={program.pk}"' in detail
    edit = {"title": "توسعه صادرات خرما", "family": "market", "rate_min_pct": "30",
            "rate_max_pct": "80", "cap_per_unit_rial": "200", "opens_on": "1400/01/01",
            "version": program.version}  # fmt: skip
    refused = client.post(f"/support/programs/{program.pk}/edit/", edit)
    assert refused.status_code == 200 and "۳۰" in refused.content.decode()
    program.refresh_from_db()
    assert program.rate_max_pct == 50  # a rate above 70 % is refused, nothing saved
    client.post(f"/support/programs/{program.pk}/edit/", {**edit, "rate_max_pct": "60"})
    program.refresh_from_db()
    assert program.rate_max_pct == 60

    response = client.post("/support/programs/budget/", {
        "program": program.pk, "province": bushehr().pk, "year": "۱۴۰۰",
        "amount_rial": "۵۰۰",
    })  # fmt: skip
    assert response["Location"] == f"/support/programs/{program.pk}/"
    budget = ProgramBudget.objects.get(program=program)
    assert (budget.year, budget.amount_rial) == (1400, 500 * 10 * MILLION)


def test_a_budget_below_what_is_committed_is_refused_on_the_form(client, people):
    manager = people["bushehr-manager"]
    program = make_program(manager)
    budget = make_budget(manager, program, 3_000 * MILLION)
    ProgramBudget.objects.filter(pk=budget.pk).update(reserved_rial=2_000 * MILLION)
    client.force_login(manager)
    response = client.post("/support/programs/budget/", {
        "program": program.pk, "province": bushehr().pk, "year": "1400", "amount_rial": "100",
    })  # fmt: skip
    assert response.status_code == 200
    assert "۲۰۰ میلیون تومان" in response.content.decode()  # what is committed, in words
    budget.refresh_from_db()
    assert budget.amount_rial == 3_000 * MILLION


def test_another_provinces_manager_neither_edits_nor_budgets_it(client, people):
    program = make_program(people["bushehr-manager"])
    client.force_login(people["yazd-manager"])
    assert client.get(f"/support/programs/{program.pk}/edit/").status_code == 404
    detail = client.get(f"/support/programs/{program.pk}/").content.decode()
    assert "/edit/" not in detail and "/support/programs/budget/" not in detail
    form = client.get(f"/support/programs/budget/?program={program.pk}").content.decode()
    assert f'value="{program.pk}"' not in form  # not among the programs offered
    response = client.post("/support/programs/budget/", {
        "program": program.pk, "province": bushehr().pk, "year": "1400", "amount_rial": "100",
    })  # fmt: skip
    assert response.status_code == 200 and not ProgramBudget.objects.exists()


def test_the_budget_form_writes_the_year_as_a_year(client, people):
    client.force_login(people["bushehr-manager"])
    body = client.get("/support/programs/budget/").content.decode()
    year = re.search(r'name="year" value="([^"]*)"', body).group(1)
    assert re.fullmatch(r"[۰-۹]{4}", year), year  # ۱۴۰۵, not ۱٬۴۰۵


# In code-point order «پ», «ک», «گ» and «ی» come after «ل» and «م»; in Persian, not.
PERSIAN_ORDER = ["اشتغال روستایی", "بازاریابی دیجیتال", "پایش انرژی", "کارآفرینی زنان",
                 "گواهی کیفیت", "لجستیک صادرات", "مشاوره مالی", "یارانه سود"]  # fmt: skip


def test_the_catalogue_lists_programs_in_persian_alphabetical_order(client, people):
    manager = people["bushehr-manager"]
    for title in reversed(PERSIAN_ORDER):
        make_program(manager, title=title)
    client.force_login(manager)
    assert _titles(client.get("/support/programs/")) == PERSIAN_ORDER
    # And the budget form offers them in that order too.
    form = client.get("/support/programs/budget/").content.decode()
    offered = re.search(r'<select name="program".*?</select>', form, re.S).group(0)
    options = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', offered)
    assert options == PERSIAN_ORDER


def test_a_programs_sort_key_follows_its_title_when_it_is_renamed(people):
    manager = people["bushehr-manager"]
    renamed, other = make_program(manager, title="یارانه"), make_program(manager, title="لجستیک")
    assert list(Program.objects.values_list("pk", flat=True)) == [other.pk, renamed.pk]
    services.program_update(
        actor=manager, program=renamed, expected_version=renamed.version, title="پایش"
    )
    assert list(Program.objects.values_list("pk", flat=True)) == [renamed.pk, other.pk]
