"""Idle-unit revival in a real browser: an expert opens a case from the watch list in one
step, records a diagnosis and an improvement plan, records the restart, and the dashboard's
figures follow (the unit leaves "in operation" when identified idle and comes back)."""

from urllib.parse import urlparse

import pytest

from tests.browser import sign_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STAGE_IDENTIFIED = "شناسایی‌شده"


def _figure(page, base, label) -> str:
    page.goto(f"{base}/reports/?province=yazd", wait_until="networkidle")
    return page.locator(".figure", has_text=label).first.locator(".value").inner_text()


def test_expert_revives_a_unit_from_the_watch_list(page, live_server, people):
    from django.utils import timezone

    from shahrak.core.jalali import to_jalali
    from shahrak.reports.registry import metrics
    from shahrak.revival import services
    from shahrak.units.models import Unit
    from tests.revival.factories import UnitFactory

    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert, name="زیلوی خاموش", operating_since="1399/01/10")
    year, month, _day = to_jalali(timezone.localdate())
    current = year * 12 + month - 1
    for number in range(current - 16, current - 4):  # then silent for the last months
        services.monthly_report_file(actor=expert, unit=unit, year=number // 12,
                                     month=number % 12 + 1, production_volume=100,
                                     employees=14)  # fmt: skip
    registry = metrics()
    operating, restarted = (
        registry["units.operational"].label_fa,
        registry["units.restarted"].label_fa,
    )
    errors, hosts = watch(page)
    base = live_server.url
    sign_in(page, base, "yazd-expert")
    assert _figure(page, base, operating) == "۱"
    assert _figure(page, base, restarted) == "۰"

    # The watch list says why the unit is flagged; the case is opened from its row.
    page.goto(f"{base}/revival/watch/", wait_until="networkidle")
    row = page.locator("table.watch tbody tr", has_text="زیلوی خاموش")
    assert "ماه پیاپی بی‌گزارش" in row.locator(".flags").inner_text()
    row.locator("select[name=reasons]").select_option("working_capital")
    row.get_by_role("button", name="گشودن پرونده").click()
    page.wait_for_load_state("networkidle")
    assert "/revival/cases/" in page.url
    case_url = page.url
    assert page.locator(".stage").inner_text() == STAGE_IDENTIFIED
    assert _figure(page, base, operating) == "۰"  # identified idle today

    # A diagnosis: findings in two areas.
    page.goto(case_url, wait_until="networkidle")
    diagnosis = page.locator("form.step-diagnose")
    diagnosis.locator("#diagnosis-severity_finance").select_option("critical")
    diagnosis.locator("#diagnosis-text_finance").fill("سرمایه در گردش ندارد")
    diagnosis.locator("#diagnosis-severity_market").select_option("medium")
    diagnosis.locator("#diagnosis-text_market").fill("بازار داخلی کوچک شده")
    diagnosis.get_by_role("button", name="ذخیرهٔ عارضه‌یابی").click()
    page.wait_for_load_state("networkidle")
    assert "ذخیره شد" in page.locator(".messages").inner_text()

    # The plan: one action, its cost typed in million toman with Persian digits.
    plan = page.locator("form.step-plan")
    plan.locator("#id_actions-0-title").fill("وام سرمایه در گردش")
    plan.locator("#id_actions-0-owner_kind").select_option("bank")
    plan.locator("#id_actions-0-due_on").fill("۱۴۹۰/۰۱/۰۱")
    plan.locator("#id_actions-0-cost_rial").fill("۲٬۰۰۰")
    plan.get_by_role("button", name="ذخیرهٔ طرح").click()
    page.wait_for_load_state("networkidle")
    assert "۲٬۰۰۰ میلیون تومان" in page.locator("table.actions-table").inner_text()

    # The restart, dated today by default.
    page.locator("form.step-restart").get_by_role("button", name="ثبت راه‌اندازی دوباره").click()
    page.wait_for_load_state("networkidle")
    steps = page.locator("ol.timeline li").all_inner_texts()
    assert len(steps) == 4
    assert Unit.objects.get(pk=unit.pk).status == "restarted"

    assert _figure(page, base, operating) == "۱"  # back in operation
    assert _figure(page, base, restarted) == "۱"  # this year's restarts
    assert errors == [] and hosts == {urlparse(base).netloc}
