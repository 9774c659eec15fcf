"""Bad input is refused as bad input (a 400, or a form that says what is wrong), never a
server error; an edit form that does not say which version it opened saves nothing."""

import pytest
from django.utils import translation

from shahrak.accounts.models import User
from shahrak.parks.models import InfrastructureProject, Park
from shahrak.units.models import Unit
from tests.harness import PROVINCES, SAMPLES

pytestmark = pytest.mark.django_db

# Beyond any 64-bit integer: SQLite's driver raises OverflowError if it reaches a query.
HUGE = "99999999999999999999"
UI_LISTS = ["/units/", "/units/exports/", "/parks/", "/parks/plots/", "/parks/projects/"]
API_LISTS = [
    "/api/v1/units/",
    "/api/v1/parks/",
    "/api/v1/plots/",
    "/api/v1/infrastructure-projects/",
]
# "This page is out of date …", in Persian (written here, not read from the catalogue).
OUT_OF_DATE = "این صفحه کهنه است"


@pytest.fixture
def records(people):
    for code in PROVINCES:
        for make in SAMPLES.values():
            make(code)


@pytest.mark.parametrize("url", UI_LISTS)
@pytest.mark.parametrize("name", ["county", "park", "province"])
def test_a_huge_number_in_a_list_filter_is_a_form_error(client, people, records, url, name):
    client.force_login(people["bushehr-expert"])
    response = client.get(url, {name: HUGE})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 0  # nothing listed as if it were the answer
    if name in response.context["filter"].form.fields:
        assert response.context["filter"].form.errors


@pytest.mark.parametrize("url", ["/units/", "/api/v1/units/"])
def test_a_huge_county_does_not_reach_the_park_choices(client, people, records, url):
    """The park drop-down follows ?county=: a huge one lists no parks, and breaks nothing."""
    client.force_login(people["bushehr-expert"])
    response = client.get(url, {"county": HUGE, "park": "1"})
    assert response.status_code == (200 if url == "/units/" else 400)


@pytest.mark.parametrize("url", API_LISTS)
@pytest.mark.parametrize("name", ["county", "park"])
def test_a_huge_number_in_an_api_filter_is_a_400(client, people, records, url, name):
    client.force_login(people["bushehr-expert"])
    response = client.get(url, {name: HUGE})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert name in response.json()


@pytest.mark.parametrize(
    "moment", ["1067-10-17T12:31:32.5-22:04", "0001-01-01T00:00:00+13:00", "2022-13-01T00:00"]
)
def test_an_impossible_moment_in_a_filter_is_refused(client, people, records, moment):
    """An offset no clock keeps reached PostgreSQL, which refused it (a 500)."""
    client.force_login(people["bushehr-expert"])
    assert client.get("/api/v1/units/", {"mine_from": moment}).status_code == 400
    page = client.get("/units/", {"mine_from": moment})
    assert page.status_code == 200 and page.context["page"].paginator.count == 0


@pytest.mark.parametrize("county", [HUGE, "²", "-1", "1.5"])
def test_report_scopes_that_are_not_ids_are_not_found(client, people, records, county):
    client.force_login(people["bushehr-manager"])
    assert client.get("/api/v1/reports/metrics/", {"county": county}).status_code == 404
    assert client.get("/api/v1/reports/metrics/", {"park": county}).status_code == 404


def test_the_press_page_refuses_a_period_it_cannot_read(client, people, records):
    client.force_login(people["bushehr-manager"])
    with translation.override("fa"):
        response = client.get("/reports/press/", {"period": "abc"})
    assert response.status_code == 400
    assert "abc" in response.content.decode()  # the reason: «abc» was not understood


def _posted(form, **changes) -> dict:
    """What the form would post as opened (its initial values), with `changes`."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        data[name] = field.widget.format_value(value) if hasattr(value, "year") else value
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _unit_edit(client, people):
    unit = Unit.objects.get(name="sample-bushehr")
    return unit, f"/units/{unit.pk}/edit/", "name"


def _park_edit(client, people):
    park = Park.objects.get(name="sample-bushehr")
    return park, f"/parks/{park.pk}/edit/", "name"


def _project_edit(client, people):
    project = InfrastructureProject.objects.get(title="sample-bushehr")
    return project, f"/parks/projects/{project.pk}/edit/", "title"


def _user_edit(client, people):
    person = User.objects.get(username="sample-bushehr")
    User.objects.filter(pk=person.pk).update(last_name="نمونه")  # the form requires one
    return person, f"/accounts/users/{person.pk}/edit/", "first_name"


EDIT_FORMS = {"unit": _unit_edit, "park": _park_edit, "project": _project_edit, "user": _user_edit}


@pytest.mark.parametrize("version", [None, "abc", "", "-1", HUGE])
@pytest.mark.parametrize("form", list(EDIT_FORMS))
def test_an_edit_without_its_version_is_refused_keeping_what_was_typed(
    client, people, records, form, version
):
    record, url, field = EDIT_FORMS[form](client, people)
    client.force_login(people["bushehr-manager"])
    with translation.override("fa"):
        opened = client.get(url).context["form"]
        before = record.version
        data = _posted(opened, **{field: "نام تازهٔ تایپ‌شده", "version": version})
        response = client.post(url, data)
    assert response.status_code == 200  # the form again, not a redirect
    page = response.content.decode()
    assert OUT_OF_DATE in page
    assert "نام تازهٔ تایپ‌شده" in page  # what was typed is still there
    record.refresh_from_db()
    assert getattr(record, field) != "نام تازهٔ تایپ‌شده"
    assert record.version == before


@pytest.mark.parametrize("form", list(EDIT_FORMS))
def test_an_edit_with_its_version_is_saved(client, people, records, form):
    record, url, field = EDIT_FORMS[form](client, people)
    client.force_login(people["bushehr-manager"])
    opened = client.get(url).context["form"]
    response = client.post(url, _posted(opened, **{field: "نام تازه"}))
    assert response.status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == "نام تازه"


def test_the_api_refuses_an_update_without_its_version(client, people, records):
    unit = Unit.objects.get(name="sample-bushehr")
    client.force_login(people["bushehr-expert"])
    response = client.patch(
        f"/api/v1/units/{unit.pk}/", {"name": "تازه"}, content_type="application/json"
    )
    assert response.status_code == 400 and "version" in response.json()
    unit.refresh_from_db()
    assert unit.name == "sample-bushehr"


def test_a_press_wording_with_a_mangled_version_is_refused(client, people, records):
    from shahrak.reports.models import PressSentence

    sentence = PressSentence.objects.get(key="units", province__code="bushehr")
    client.force_login(people["bushehr-manager"])
    with translation.override("fa"):
        response = client.post(
            "/reports/press/sentences/units/?province=bushehr",
            {"text": "{units} واحد تازه", "version": "abc"},
        )
    assert response.status_code == 200
    assert OUT_OF_DATE in response.content.decode()
    sentence.refresh_from_db()
    assert "تازه" not in sentence.text
