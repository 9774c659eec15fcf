"""Park, plot and project forms record only what the user chose: a required choice starts on
the «انتخاب کنید» prompt (not on a model's default or the list's first item), and a form
sent without it is refused naming the field, with nothing saved."""

import pytest

from shahrak.parks.models import InfrastructureProject, Park, Plot, PlotEvent
from tests.form_checks import as_rendered, field_error, starts_empty
from tests.harness import SAMPLES, sample_park

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(people):
    return people["bushehr-manager"]


@pytest.fixture
def park(people):
    return sample_park("bushehr")


def refused(response, name):
    form = response.context["form"]
    assert response.status_code == 200 and name in form.errors
    assert field_error(response.content.decode(), form.fields[name].label)


def test_new_park_form_starts_every_choice_empty(client, manager):
    client.force_login(manager)
    html = client.get("/parks/new/").content.decode()
    # The park's status has a default in the model ("operational"): not a choice the user made.
    for name in ("kind", "county", "status"):
        assert starts_empty(html, name), name


def test_new_park_sent_without_choosing_is_refused_naming_each_choice(client, manager):
    client.force_login(manager)
    data = as_rendered(client.get("/parks/new/").content.decode())
    data.update(name="شهرک تازه", latitude="27", longitude="52", gross_area_ha="10",
                industrial_area_ha="5")  # fmt: skip
    response = client.post("/parks/new/", data)
    for name in ("kind", "county", "status"):
        refused(response, name)
    assert not Park.objects.filter(name="شهرک تازه").exists()


def test_new_plot_sent_without_choosing_a_use_is_refused(client, manager, park):
    client.force_login(manager)
    url = f"/parks/{park.pk}/plots/new/"
    html = client.get(url).content.decode()
    assert starts_empty(html, "use")
    response = client.post(url, {**as_rendered(html), "number": "۷۷", "area_m2": "1000"})
    refused(response, "use")
    assert not Plot.objects.filter(number="77").exists()


def test_plot_status_sent_without_choosing_is_refused(client, manager, park):
    plot = SAMPLES[Plot]("bushehr")
    client.force_login(manager)
    url = f"/parks/plots/{plot.pk}/status/"
    html = client.get(url).content.decode()
    assert starts_empty(html, "status")
    before = PlotEvent.objects.filter(plot=plot).count()
    refused(client.post(url, {**as_rendered(html), "allottee": "صنایع نمونه"}), "status")
    assert PlotEvent.objects.filter(plot=plot).count() == before


def test_new_project_sent_without_choosing_a_kind_is_refused(client, manager, park):
    client.force_login(manager)
    url = f"/parks/{park.pk}/projects/new/"
    html = client.get(url).content.decode()
    assert starts_empty(html, "kind")
    refused(client.post(url, {**as_rendered(html), "title": "پست برق تازه"}), "kind")
    assert not InfrastructureProject.objects.filter(title="پست برق تازه").exists()


def test_a_progress_report_the_service_refuses_comes_back_as_typed(client, manager, park):
    """More than 100 %: the project's page again, the form as typed (date, amount, note)
    and the refusal on the progress field; nothing saved."""
    project = SAMPLES[InfrastructureProject]("bushehr")
    client.force_login(manager)
    response = client.post(
        f"/parks/projects/{project.pk}/reports/",
        {"on": "۱۴۰۲/۰۲/۰۵", "progress_pct": "۱۲۰", "spent_to_date_rial": "۱۲٬۵۰۰",
         "note": "گزارش تایپ‌شده"},
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "پیشرفت فیزیکی (٪)")
    assert 'value="۱۴۰۲/۰۲/۰۵"' in html and "گزارش تایپ‌شده" in html
    assert 'name="spent_to_date_rial"' in html and 'value="۱۲۵۰۰"' in html
    assert not project.reports.exists()


def test_a_delivery_without_a_date_comes_back_on_the_project_page(client, manager, park):
    project = SAMPLES[InfrastructureProject]("bushehr")
    project.status = "in_progress"
    project.save()
    client.force_login(manager)
    response = client.post(f"/parks/projects/{project.pk}/deliver/", {"on": ""})
    assert response.status_code == 200
    assert field_error(response.content.decode(), "تاریخ تحویل")
    project.refresh_from_db()
    assert project.status == "in_progress"


def test_an_industrial_area_above_the_gross_is_refused_in_words(client, people):
    from shahrak.places.models import County

    client.force_login(people["yazd-manager"])
    county = County.objects.filter(province__code="yazd").first()
    response = client.post("/parks/new/", {
        "name": "شهرک آزمون مساحت", "county": county.pk, "kind": "industrial_park",
        "gross_area_ha": "10", "industrial_area_ha": "12",
    })  # fmt: skip
    shown = response.content.decode()
    assert response.status_code == 200 and "Constraint" not in shown
    assert "مساحت زمین صنعتی نمی‌تواند از مساحت ناخالص بیشتر باشد" in shown
