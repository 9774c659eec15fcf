"""An infrastructure project's money is read and typed in one unit, million toman, on every
page, form and history (stored in rial); its page and form read with Persian digits."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.parks import services
from shahrak.parks.models import InfrastructureProject
from tests.harness import sample_park

pytestmark = pytest.mark.django_db

RIAL_PER_MILLION_TOMAN = 10 * 10**6  # 10 rial a toman, a million toman


@pytest.fixture
def project(people):
    return services.project_create(
        actor=people["bushehr-expert"], park=sample_park("bushehr"), kind="power_substation",
        title="پست برق 50 مگاواتی", estimated_cost_rial=700_000_000_000,
    )  # fmt: skip


def value_of(html: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"',
                     html).group(1)  # fmt: skip


def test_cost_is_typed_in_million_toman_and_stored_in_rial(client, people, project):
    client.force_login(people["bushehr-expert"])
    form = client.get(f"/parks/projects/{project.pk}/edit/").content.decode()
    assert "هزینهٔ برآوردی (میلیون تومان)" in form
    assert value_of(form, "estimated_cost_rial") == "۷۰٬۰۰۰"  # 700 billion rial
    assert value_of(form, "title") == "پست برق ۵۰ مگاواتی"
    response = client.post(f"/parks/projects/{project.pk}/edit/", {
        "title": "پست برق ۵۰ مگاواتی", "kind": "power_substation",
        "estimated_cost_rial": "۷۲٬۵۰۰٫۵", "version": project.version,
    })  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    project.refresh_from_db()
    assert project.estimated_cost_rial == Decimal("72500.5") * RIAL_PER_MILLION_TOMAN
    assert project.title == "پست برق 50 مگاواتی"  # stored with ASCII digits


def test_an_unchanged_form_changes_nothing(client, people, project):
    odd = 183_333_333_333  # not a whole number of million toman
    project.estimated_cost_rial = odd
    project.save()
    client.force_login(people["bushehr-expert"])
    form = client.get(f"/parks/projects/{project.pk}/edit/").content.decode()
    shown = value_of(form, "estimated_cost_rial")
    assert shown == "۱۸٬۳۳۳٫۳۳۳۳۳۳۳"  # exactly, to the rial
    client.post(f"/parks/projects/{project.pk}/edit/", {
        "title": value_of(form, "title"), "kind": "power_substation", "estimated_cost_rial": shown,
        "version": project.version,
    })  # fmt: skip
    project.refresh_from_db()
    assert project.estimated_cost_rial == odd


def test_progress_reports_take_spending_in_million_toman(client, people, project):
    client.force_login(people["bushehr-expert"])
    page = client.get(f"/parks/projects/{project.pk}/").content.decode()
    assert "هزینه‌شده تاکنون (میلیون تومان)" in page
    typed = {"on": "۱۴۰۱/۰۲/۰۱", "progress_pct": "۳۰", "spent_to_date_rial": "۱۸٬۳۳۳٫۳۳۳۳"}
    client.post(f"/parks/projects/{project.pk}/reports/", typed)
    report = project.reports.get()
    assert report.spent_to_date_rial == Decimal("18333.3333") * RIAL_PER_MILLION_TOMAN


def test_money_reads_in_million_toman_on_pages_lists_and_history(client, people, project):
    services.progress_report_add(actor=people["bushehr-expert"], project=project,
                                 on=jd("1401/02/01"), progress_pct=Decimal(30),
                                 spent_to_date_rial=183_333_333_333)  # fmt: skip
    client.force_login(people["bushehr-manager"])
    page = client.get(f"/parks/projects/{project.pk}/").content.decode()
    assert "۷۰٬۰۰۰ میلیون تومان" in page  # the estimate
    assert page.count("۱۸٬۳۳۳٫۳ میلیون تومان") >= 3  # spent: facts, report table, history
    assert "ریال" not in page and "18333" not in page
    park = client.get(f"/parks/{project.park.pk}/").content.decode()
    assert park.count("۱۸٬۳۳۳٫۳ میلیون تومان") == 2  # the park's total and the project's row
    listing = client.get("/parks/projects/").content.decode()
    assert "۱۸٬۳۳۳٫۳<" in listing and "۱۸٬۳۳۳٫۳۳" not in listing
    sheet = load_workbook(io.BytesIO(client.get("/parks/projects/?export=xlsx").content)).active
    header, row = list(sheet.values)[:2]
    assert row[header.index("هزینه‌شده (میلیون تومان)")] == 18333.3


def test_page_titles_read_with_persian_digits(client, people, project):
    client.force_login(people["bushehr-manager"])
    page = client.get(f"/parks/projects/{project.pk}/").content.decode()
    # The title is isolated user text (between U+2068 and U+2069), the heading a <bdi>.
    assert "<title>\u2068پست برق ۵۰ مگاواتی\u2069 · " in page
    assert "<h1><bdi>پست برق ۵۰ مگاواتی</bdi></h1>" in page
    page = client.get(f"/parks/projects/{project.pk}/edit/").content.decode()
    assert "<title>ویرایش \u2068پست برق ۵۰ مگاواتی\u2069 · " in page


def test_a_project_saved_with_a_new_title_moves_in_the_list(client, people, project):
    expert = people["bushehr-expert"]
    other = services.project_create(actor=expert, park=project.park, kind="asphalt_roads",
                                    title="پست برق 9 مگاواتی")  # fmt: skip
    client.force_login(expert)
    titles = [p.title for p in client.get("/parks/projects/").context["page"]]
    assert titles == ["پست برق 9 مگاواتی", "پست برق 50 مگاواتی"]
    services.project_update(actor=expert, project=other, expected_version=other.version,
                            title="پست برق 90 مگاواتی")  # fmt: skip
    titles = [p.title for p in client.get("/parks/projects/").context["page"]]
    assert titles == ["پست برق 50 مگاواتی", "پست برق 90 مگاواتی"]
    assert InfrastructureProject.objects.count() == 2
