"""A unit representative's Shahrak in a real browser: they land on a home with their unit,
are offered nothing they may not do, and the province's manager links representatives from
the unit's page."""

from urllib.parse import urlparse

import pytest

from shahrak.core.text import fa_digits_outside_latin as fa_digits
from tests.browser import sign_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def unit(people):
    from shahrak.units.models import Unit
    from tests.harness import SAMPLES

    return SAMPLES[Unit]("yazd")  # represented by yazd-unit


def test_a_representative_lands_on_their_unit_and_is_offered_only_what_they_may_do(
    page, live_server, unit
):
    errors, hosts = watch(page)
    sign_in(page, live_server.url, "yazd-unit")
    my_units = page.locator("section.my-units")
    assert my_units.locator("h2").inner_text() == "واحدی که نمایندهٔ آن هستید"
    assert my_units.locator("h3").inner_text() == unit.name
    menu = page.locator("nav.sidenav")
    assert menu.get_by_text("گزارش‌ها").count() == 0  # reports are for the province's staff
    menu.get_by_role("link", name="واحدهای صنعتی").click()
    page.wait_for_url(f"{live_server.url}/units/")
    actions = page.locator(".page-head .actions")
    assert actions.get_by_text("واحد تازه").count() == 0
    assert actions.get_by_text("ورود از اکسل").count() == 0
    page.get_by_role("link", name=unit.name).click()
    page.wait_for_url(f"{live_server.url}{unit.get_absolute_url()}")
    assert page.locator(".page-head").get_by_text("ویرایش").count() == 0
    assert page.locator("main form[method=post]").count() == 0  # no status, export, link
    assert errors == [] and hosts == {urlparse(live_server.url).netloc}


def test_the_manager_sees_and_links_the_units_representatives(page, live_server, unit):
    from shahrak.accounts.choices import Role
    from shahrak.accounts.models import Membership, User
    from shahrak.places.models import Province

    second = User.objects.create_user(username="yazd-rep-2", first_name="سمیه", last_name="تفتی")
    Membership.objects.create(
        user=second, role=Role.UNIT_REP, province=Province.objects.get(code="yazd")
    )
    errors, _hosts = watch(page)
    sign_in(page, live_server.url, "yazd-manager")
    page.locator("nav.sidenav").get_by_role("link", name="واحدهای صنعتی").click()
    page.get_by_role("link", name=unit.name).click()
    section = page.locator("section.representatives")
    assert "yazd-unit" in section.locator("table").inner_text()
    section.locator("select[name=user]").select_option(str(second.pk))
    section.get_by_role("button", name="پیوند به این واحد").click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("section.representatives table tbody tr")
    assert rows.count() == 2 and "yazd-rep-2" in rows.nth(1).inner_text() + rows.nth(0).inner_text()
    assert "سمیه تفتی" in page.locator("section.history").inner_text()
    page.locator("section.representatives").get_by_role(
        "link", name="دعوت نمایندهٔ تازه برای این واحد"
    ).click()
    page.wait_for_url("**/accounts/users/invite/**")
    assert page.locator("#id_role").input_value() == "unit_rep"
    assert page.locator("#id_unit").input_value() == fa_digits(unit.name)  # named, not its id
    assert errors == []
