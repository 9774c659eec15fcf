"""A support application in a real browser, by clicking only: a unit's representative applies
with an invoice PDF and submits; the expert, told of it, takes it and writes the review; the
manager finds it in their work on the home page and approves it; the representative sees the
approval among their notifications (the unread count in the top bar, then the list)."""

from urllib.parse import urlparse

import pytest

from tests.browser import watch
from tests.harness import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PROGRAM = "توسعهٔ بازار محصولات گلخانه‌ای"


def _sign_in(page, username):
    """From the sign-in page (where signing out leads), by its form."""
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _sign_out(page):
    page.locator(".topbar-tools").get_by_role("button", name="خروج").click()
    page.wait_for_load_state("networkidle")


def _click(page, locator):
    locator.click()
    page.wait_for_load_state("networkidle")


def test_an_application_from_the_representative_to_the_managers_approval(
    page, live_server, people, tmp_path, settings
):
    from django.utils import timezone

    from shahrak.core.jalali import jalali_year_of
    from shahrak.support.models import Application
    from tests.support.helpers import MILLION, PDF, make_budget, make_program, make_unit

    settings.MEDIA_ROOT = tmp_path / "media"
    rep, expert, manager = (people[n] for n in ("bushehr-unit", "bushehr-expert",
                                                 "bushehr-manager"))  # fmt: skip
    program = make_program(manager, title=PROGRAM, required_documents=["invoice"])
    make_budget(manager, program, 10_000 * MILLION, year=jalali_year_of(timezone.localdate()))
    make_unit(expert, rep, name="خرمای جنوب")
    invoice = tmp_path / "factor.pdf"
    invoice.write_bytes(PDF)
    errors, hosts = watch(page)
    base = live_server.url

    # The representative applies, from the catalogue, with the invoice, and submits.
    page.goto(f"{base}/accounts/login/", wait_until="networkidle")  # the only URL typed
    _sign_in(page, "bushehr-unit")
    _click(page, page.locator("#sidenav").get_by_role("link", name="برنامه‌های حمایتی"))
    _click(page, page.get_by_role("link", name=program.title))
    _click(page, page.get_by_role("link", name="درخواست برای این برنامه"))
    form = page.locator("form.form")
    form.locator("[name=description]").fill("غرفه در نمایشگاه صنایع غذایی")
    form.locator("[name=requested_cost_rial]").fill("۴۰۰")
    form.locator("[name=kind]").select_option("invoice")
    form.locator("[name=file]").set_input_files(str(invoice))
    _click(page, form.get_by_role("button", name="ذخیره"))
    _click(page, page.get_by_role("button", name="فرستادن درخواست"))
    application = Application.objects.get(program=program)
    assert application.status == "submitted"
    assert page.locator("form[action*='/approve/'], form[action*='/assign/']").count() == 0
    _sign_out(page)

    # The expert is told; the notification leads to the application, which they take.
    _sign_in(page, "bushehr-expert")
    _click(page, page.locator(".topbar-tools a.notes"))
    _click(page, page.locator("ul.notifications button").first)
    assert page.url.endswith(application.get_absolute_url())
    assign = page.locator("form[action$='/assign/']")
    assign.locator("select[name=expert]").select_option(str(expert.pk))
    _click(page, assign.locator("button[type=submit]"))
    review = page.locator("form[action$='/review/']")
    review.locator("textarea[name=note]").fill(
        "فاکتور و هزینه‌ها بررسی شد؛ تأیید ۵۰ درصد پیشنهاد می‌شود"
    )
    _click(page, review.locator("button[type=submit]"))
    assert page.locator(".messages").inner_text().strip()
    _sign_out(page)

    # The manager finds it waiting for their decision on the home page and approves it.
    _sign_in(page, "bushehr-manager")
    _click(page, page.locator("section.my-work").get_by_role("link", name="در انتظار تصمیم من"))
    _click(page, page.locator("table").get_by_role("link", name=str(application.pk).translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))))  # fmt: skip
    approve = page.locator("form[action$='/approve/']")
    assert "۱٬۰۰۰ میلیون تومان" in approve.inner_text()  # what is left of the budget
    approve.locator("input[name=approved_rate_pct]").fill("۵۰")
    _click(page, approve.locator("button[type=submit]"))
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.approved_amount_rial == 2_000 * MILLION  # 50 % of 4,000 million rial
    _sign_out(page)

    # The representative sees the approval: the unread count, then the notification.
    _sign_in(page, "bushehr-unit")
    count = page.locator(".topbar-tools .unread-count")
    assert count.inner_text() == "۱"
    _click(page, page.locator(".topbar-tools a.notes"))
    approval = page.locator("ul.notifications li.unread").first
    assert "تأیید" in approval.inner_text() and "۲۰۰ میلیون تومان" in approval.inner_text()
    assert errors == [] and hosts == {urlparse(base).netloc}
