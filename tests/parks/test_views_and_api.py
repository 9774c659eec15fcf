"""Park pages, forms, Excel export and the API, as the roles use them."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.parks import services
from shahrak.parks.models import InfrastructureProject, Park
from shahrak.places.models import County
from tests.harness import sample_park

pytestmark = pytest.mark.django_db


@pytest.fixture
def parks(people):
    return {code: sample_park(code) for code in ("bushehr", "yazd")}


def test_search_is_normalised_persian(client, people, parks):
    services.park_create(
        actor=people["yazd-manager"], county=County.objects.get(code="meybod"),
        name="ناحیه صنعتی زیلوی میبد", kind="industrial_zone", latitude=Decimal(32),
        longitude=Decimal(54), gross_area_ha=Decimal(40), industrial_area_ha=Decimal(20),
    )  # fmt: skip
    client.force_login(people["yazd-expert"])
    page = client.get("/parks/", {"q": "زيلوي ميبد"})  # Arabic yeh
    assert [p.name for p, _ in page.context["table"].rows()] == ["ناحیه صنعتی زیلوی میبد"]


def test_filters_by_county_offer_only_visible_counties(client, people, parks):
    client.force_login(people["bushehr-expert"])
    form = client.get("/parks/").context["filter"].form
    provinces = {c.province.code for c in form.fields["county"].queryset}
    assert provinces == {"bushehr"}


def test_excel_export_has_the_listed_rows_with_numbers(client, people, parks):
    client.force_login(people["auditor"])
    response = client.get("/parks/", {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "نام"
    names = {row[0] for row in rows[1:]}
    assert names == {"sample-bushehr", "sample-yazd"}
    assert all(isinstance(row[5], int | float) for row in rows[1:])  # gross area is a number


def test_export_is_scoped(client, people, parks):
    client.force_login(people["bushehr-expert"])
    sheet = load_workbook(io.BytesIO(client.get("/parks/?export=xlsx").content)).active
    assert {row[0] for row in list(sheet.values)[1:]} == {"sample-bushehr"}


def test_park_form_refuses_a_county_of_another_province(client, people, parks):
    client.force_login(people["bushehr-manager"])
    response = client.post("/parks/new/", {
        "name": "تازه", "kind": "industrial_park", "county": County.objects.get(code="meybod").pk,
        "status": "operational", "latitude": "32", "longitude": "54", "gross_area_ha": "10",
        "industrial_area_ha": "5",
    })  # fmt: skip
    assert response.status_code == 200 and "county" in response.context["form"].errors
    assert not Park.objects.filter(name="تازه").exists()


def test_progress_form_shows_the_rule_in_persian(client, people, parks):
    project = services.project_create(
        actor=people["bushehr-expert"], park=parks["bushehr"], title="آسفالت", kind="asphalt_roads"
    )
    client.force_login(people["bushehr-expert"])
    response = client.post(
        f"/parks/projects/{project.pk}/reports/",
        {"on": "۱۴۰۱/۰۲/۰۱", "progress_pct": "۱۲۰"},
        follow=True,
    )
    text = response.content.decode()
    assert "پیشرفت فیزیکی باید درصدی بین ۰ و ۱۰۰ باشد" in text
    assert not project.reports.exists()
    response = client.post(
        f"/parks/projects/{project.pk}/reports/",
        {"on": "1401/13/01", "progress_pct": "10"},
        follow=True,
    )
    assert "ماه ۱۳ وجود ندارد" in response.content.decode()


def test_project_page_shows_chart_data_and_history(client, people, parks):
    expert = people["bushehr-expert"]
    project = services.project_create(
        actor=expert, park=parks["bushehr"], title="پمپاژ", kind="pumping_station"
    )
    services.progress_report_add(
        actor=expert, project=project, on=jd("1400/06/01"), progress_pct=50
    )
    services.progress_report_add(
        actor=expert, project=project, on=jd("1400/12/20"), progress_pct=70
    )
    client.force_login(people["auditor"])
    page = client.get(f"/parks/projects/{project.pk}/")
    assert page.context["chart"]["values"] == [50.0, 70.0]
    assert page.context["chart"]["jalali"] == ["1400/06/01", "1400/12/20"]
    assert f"/parks/projects/{project.pk}/reports/" not in page.content.decode()  # read only
    assert page.context["history"]


def test_park_page_renders_for_every_viewer(client, people, parks):
    for name in ("bushehr-expert", "hq", "auditor", "admin"):
        client.force_login(people[name])
        assert client.get(f"/parks/{parks['bushehr'].pk}/").status_code == 200


# --- API ----------------------------------------------------------------------------------
def test_api_create_update_with_versions(client, people, parks):
    client.force_login(people["bushehr-expert"])
    created = client.post(
        "/api/v1/infrastructure-projects/",
        {"park": parks["bushehr"].pk, "title": "شبکه گاز", "kind": "gas"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    stale = client.patch(
        f"/api/v1/infrastructure-projects/{pk}/", {"contractor": "x", "version": 99},
        content_type="application/json",
    )  # fmt: skip
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"
    ok = client.patch(
        f"/api/v1/infrastructure-projects/{pk}/", {"contractor": "x", "version": 1},
        content_type="application/json",
    )  # fmt: skip
    assert ok.status_code == 200 and ok.json()["version"] == 2
    missing = client.patch(
        f"/api/v1/infrastructure-projects/{pk}/", {"contractor": "y"},
        content_type="application/json",
    )  # fmt: skip
    assert missing.status_code == 400


def test_api_refuses_other_provinces_with_a_code(client, people, parks):
    client.force_login(people["bushehr-expert"])
    response = client.post(
        "/api/v1/infrastructure-projects/",
        {"park": parks["yazd"].pk, "title": "x", "kind": "gas"},
        content_type="application/json",
    )
    # Another province's park is refused as a park that does not exist (nothing to learn).
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert "park" in response.json()
    assert not InfrastructureProject.objects.filter(title="x").exists()
    assert client.get(f"/api/v1/parks/{parks['yazd'].pk}/").status_code == 404
    assert client.delete(f"/api/v1/parks/{parks['bushehr'].pk}/").status_code == 405


def test_api_rule_violation_has_code_and_persian_detail(client, people, parks):
    client.force_login(people["bushehr-manager"])
    response = client.post(
        "/api/v1/parks/",
        {"name": "ن", "kind": "industrial_zone", "county": County.objects.get(code="kangan").pk,
         "status": "operational", "latitude": "27", "longitude": "52", "gross_area_ha": "10",
         "industrial_area_ha": "12"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "industrial_area_exceeds_gross" and body["field"] == "industrial_area_ha"


def test_api_filters_match_the_ui(client, people, parks):
    client.force_login(people["hq"])
    body = client.get("/api/v1/parks/", {"province": "yazd"}).json()
    assert [p["name"] for p in body["results"]] == ["sample-yazd"]


def test_edit_forms_save_and_detect_stale_versions(client, people, parks):
    park = parks["bushehr"]
    client.force_login(people["bushehr-manager"])
    form = client.get(f"/parks/{park.pk}/edit/").context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(name="شهرک نمونه", version=park.version)
    assert client.post(f"/parks/{park.pk}/edit/", data).status_code == 302
    stale = client.post(f"/parks/{park.pk}/edit/", {**data, "name": "دیگر"})
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    park.refresh_from_db()
    assert park.name == "شهرک نمونه"


def test_cancelling_a_project_asks_first_and_says_what_follows(client, people, parks):
    project = services.project_create(
        actor=people["bushehr-expert"],
        park=parks["bushehr"],
        title="آسفالت ۲",
        kind="asphalt_roads",
    )
    client.force_login(people["bushehr-expert"])
    url = f"/parks/projects/{project.pk}/cancel/"
    asked = client.post(url)
    project.refresh_from_db()
    assert asked.status_code == 200 and project.status != "cancelled"
    page = asked.content.decode()
    assert "آسفالت ۲" in page and 'name="confirmed" value="yes"' in page
    assert f'action="{url}"' in page and f'href="{project.get_absolute_url()}"' in page
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    project.refresh_from_db()
    assert project.status == "cancelled"


def test_a_project_delivered_at_100_percent_takes_no_bare_100_percent_again(client, people, parks):
    from shahrak.core.jalali import parse_jalali_date as jd

    expert = people["bushehr-expert"]
    project = services.project_create(
        actor=expert, park=parks["bushehr"], title="آسفالت ۳", kind="asphalt_roads"
    )
    services.progress_report_add(
        actor=expert, project=project, on=jd("1401/02/01"), progress_pct=Decimal(100),
        spent_to_date_rial=5_000_000_000,
    )  # fmt: skip
    services.project_deliver_temporarily(actor=expert, project=project, on=jd("1401/03/01"))
    client.force_login(expert)
    url = f"/parks/projects/{project.pk}/reports/"
    page = client.get(project.get_absolute_url()).content.decode()
    # The page asks only for the money spent since: progress is 100 % from delivery.
    form = re.search(rf'<form method="post" action="{url}".*?</form>', page, re.S).group(0)
    assert 'type="hidden" name="progress_pct" value="100"' in form
    refused = client.post(url, {"on": "1401/04/01", "progress_pct": "100"})
    assert refused.status_code in (200, 400) and project.reports.count() == 1
    refused = client.post(
        url, {"on": "1401/04/01", "progress_pct": "100", "spent_to_date_rial": "500"}
    )
    assert project.reports.count() == 1  # no more than before: nothing new
    taken = client.post(
        url, {"on": "1401/04/01", "progress_pct": "100", "spent_to_date_rial": "600"}
    )
    assert taken.status_code == 302 and project.reports.count() == 2
    services.project_deliver_finally(actor=expert, project=project, on=jd("1402/03/01"))
    page = client.get(project.get_absolute_url()).content.decode()
    assert f'action="{url}"' not in page  # a finally delivered project takes no reports
