"""Every page type fits a phone (390×844) and still fits a desktop (1366×768): the document
is never wider than the window; on the phone the menu waits behind its button and the
user's name and sign-out stay on the screen."""

from decimal import Decimal

import pytest

from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


def _records(people):
    """A park, a project and a unit with long Persian names, a status history and exports:
    content as wide as real records make it."""
    from shahrak.core.jalali import parse_jalali_date as jd
    from shahrak.parks import services as parks
    from shahrak.units import services as units
    from tests.harness import sample_park

    expert = people["bushehr-expert"]
    park = sample_park("bushehr")
    project = parks.project_create(
        actor=expert, park=park, kind="pumping_station",
        title="ایستگاه پمپاژ آب دریا با استخرهای بتنی و خاکی زون زیست‌فناوری دلوار",
    )  # fmt: skip
    parks.progress_report_add(
        actor=expert, project=project, on=jd("1400/06/01"), progress_pct=Decimal(70)
    )
    unit = units.unit_create(
        actor=expert, county=park.county, park=park, isic_code="1030", sector="food_dates",
        name="شرکت فرآوری و بسته‌بندی خرما و محصولات کشاورزی نخلستان‌های دشتستان",
        products="خرمای پیارم، خرمای کبکاب، شیره و رب خرما", employees=45,
        status="operational", status_on=jd("1399/05/01"),
    )  # fmt: skip
    units.unit_change_status(
        actor=expert, unit=unit, status="idle", on=jd("1400/02/01"), reason="market",
        note="کاهش سفارش‌های صادراتی به دلیل مشکلات حمل و نقل دریایی و نوسان نرخ ارز",
    )  # fmt: skip
    units.export_add(
        actor=expert, unit=unit, on=jd("1400/08/01"), destination="RU",
        product="خرمای بسته‌بندی شده در کارتن‌های پنج کیلوگرمی", value_usd=Decimal(250_000),
    )  # fmt: skip
    return park, project, unit


def _overflow(page) -> int:
    """How many pixels the document is wider than the window (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


def _on_screen(page, selector) -> bool:
    box = page.locator(selector).first.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def _revival(people, unit):
    """The idle unit's revival case, diagnosed and planned with long texts, and a report."""
    from shahrak.core.jalali import parse_jalali_date as jd
    from shahrak.revival import services

    expert = people["bushehr-expert"]
    case = services.case_open(
        actor=expert, unit=unit, opened_on=jd("1400/03/01"), identified_by="clinic_visit",
        reasons=["market", "working_capital", "raw_materials"],
    )  # fmt: skip
    services.case_diagnose(
        actor=expert, case=case, on=jd("1400/04/01"), diagnosed_by=expert,
        findings=[{"area": "finance", "severity": "critical",
                   "text": "بدهی معوق به بانک کشاورزی و نبود سرمایهٔ در گردش برای خرید خرمای فصل"}],
    )  # fmt: skip
    services.case_plan(
        actor=expert, case=case, on=jd("1400/05/01"),
        actions=[{"title": "دریافت تسهیلات سرمایهٔ در گردش از محل تبصرهٔ ۱۸ قانون بودجه",
                  "owner_kind": "bank", "owner_name": "بانک توسعهٔ صادرات ایران",
                  "due_on": jd("1400/09/01"), "cost_rial": 180_000_000_000,
                  "paid_by": "صندوق توسعهٔ ملی"}],
    )  # fmt: skip
    report = services.monthly_report_file(
        actor=expert, unit=unit, year=1400, month=1, production_volume=1250,
        production_measure="تن", employees=45, sales_rial=95_000_000_000,
    )  # fmt: skip
    return {
        "revival cases": "/revival/cases/",
        "revival case": case.get_absolute_url(),
        "watch list": "/revival/watch/",
        "revival funnel": "/revival/funnel/?period=1400",
        "monthly reports": "/revival/reports/",
        "monthly report": report.get_absolute_url(),
        "monthly report form": "/revival/reports/file/",
    }


def test_every_page_type_fits_a_phone_and_a_desktop(page, live_server, people):
    park, project, unit = _records(people)
    revival = _revival(people, unit)
    pages = {
        "home": "/",
        "list of units": "/units/",
        "list of parks": "/parks/",
        "unit": unit.get_absolute_url(),
        "park": park.get_absolute_url(),
        "project": project.get_absolute_url(),
        "new unit": "/units/new/",
        "unit's edit form": f"/units/{unit.pk}/edit/",
        "dashboard": "/reports/",
        "press paragraph": "/reports/press/",
        "import": "/units/import/",
        "users": "/accounts/users/",
        **revival,
    }
    base = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, "admin")

    wide = {}
    for name, path in pages.items():
        page.goto(base + path, wait_until="networkidle")
        if _overflow(page):
            wide[name] = _overflow(page)
    assert wide == {}, f"wider than a 390 px phone by (px): {wide}"

    # On the phone the user's name and sign-out stay within the top bar, on the screen.
    assert _on_screen(page, ".topbar a.who") and _on_screen(page, ".topbar button.link")

    # The menu waits behind its button; the button opens and closes it, by mouse and keys.
    menu, button = page.locator("#sidenav"), page.locator(".menu-toggle")
    assert menu.is_hidden() and button.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert menu.is_visible() and button.get_attribute("aria-expanded") == "true"
    assert _overflow(page) == 0
    page.keyboard.press("Escape")
    assert menu.is_hidden() and button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")
    page.keyboard.press("Enter")
    assert menu.is_visible()
    menu.get_by_role("link", name="واحدهای صنعتی").click()
    page.wait_for_url(f"{base}/units/")
    assert menu.is_hidden()

    # The desktop keeps its side menu, no button, and nothing wider than the window.
    page.set_viewport_size(DESKTOP)
    for name, path in pages.items():
        page.goto(base + path, wait_until="networkidle")
        if _overflow(page):
            wide[name] = _overflow(page)
    assert wide == {}, f"wider than a 1366 px desktop by (px): {wide}"
    assert page.locator("#sidenav").is_visible() and page.locator(".menu-toggle").is_hidden()


def test_the_activity_log_reads_on_a_phone(page, live_server, people):
    """Each entry is a card: the record's name gets most of the screen's width, not the
    1–2 letters per line a squeezed «رکورد» column left it, and nothing is off-screen."""
    _records(people)
    base = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, "admin")
    page.goto(f"{base}/accounts/activity/", wait_until="networkidle")
    cells = page.locator("table tbody tr td:nth-child(4)")  # «رکورد»
    assert cells.count() > 0
    for index in range(min(cells.count(), 5)):
        box = cells.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["width"] >= 0.7 * PHONE["width"], box
        # The record's kind and its name read as one text, beside the column's name.
        name = cells.nth(index).locator("bdi").first.bounding_box()
        assert name["y"] - box["y"] < 30, (box, name)
    assert _overflow(page) == 0
    # On the desktop it stays a table.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/accounts/activity/", wait_until="networkidle")
    assert page.locator("table.table thead").is_visible()


def test_the_provinces_list_keeps_every_column_on_a_phone(page, live_server, people):
    base = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, "admin")
    page.goto(f"{base}/places/", wait_until="networkidle")
    cells = page.locator("table tbody tr td:nth-child(3)")  # «شهرستان‌های ثبت‌شده»
    assert cells.count() > 0
    for index in range(3):
        box = cells.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
