"""Importing units in a real browser: the run's page polls with htmx while the worker checks
the file, swaps in the preview, and after confirmation takes the user to the imported units.
Tasks stay queued here (the dummy backend); the test plays the worker between polls."""

from urllib.parse import urlparse

import pytest

from tests.browser import sign_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_shows_progress_then_the_preview_then_the_units(
    page, live_server, people, settings, tmp_path
):
    from shahrak.units import import_runs
    from shahrak.units.models import ImportRun, Unit
    from tests.harness import sample_park
    from tests.units.test_import import legal_id, row, xlsx

    sample_park("bushehr")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    names = ["مرورگر ۱", "مرورگر ۲"]
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx([row(**{"شناسه ملی": legal_id(7000 + i), "نام واحد": name})
                           for i, name in enumerate(names)]))  # fmt: skip
    errors, hosts = watch(page)
    sign_in(page, live_server.url, "bushehr-expert")
    page.goto(f"{live_server.url}/units/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("form.form button.primary")
    page.wait_for_url("**/units/import/*/")
    status = page.locator(".import-status")
    assert status.get_attribute("data-status") == "waiting"
    assert page.locator("#import-run progress").count() == 1
    run = ImportRun.objects.get()

    # The worker checks the file halfway: the next poll shows rows checked of the total.
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.CHECKING, rows_total=2, rows_checked=1
    )
    page.wait_for_function(
        "() => document.querySelector('.import-status').dataset.status === 'checking'",
        timeout=6000,
    )
    assert "۱ از ۲ سطر بررسی شد" in page.locator("#import-run").inner_text()

    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.WAITING)
    import_runs.import_run_check(run.pk)
    confirm = page.locator("#import-run button.primary")
    confirm.wait_for(timeout=6000)  # the preview arrived by polling, without a reload
    assert "۲ سطر" in page.locator("#import-run").inner_text()
    assert not Unit.objects.exists()

    confirm.click()
    page.wait_for_function(
        "() => document.querySelector('.import-status').dataset.status === 'confirmed'"
    )
    import_runs.import_run_apply(run.pk)
    page.wait_for_url("**/units/?*", timeout=6000)  # htmx's redirect to the imported units
    listed = page.locator("table").inner_text()
    assert all(name in listed for name in names)
    assert "۲ تازه" in page.locator(".messages").inner_text()
    assert errors == []
    assert hosts == {urlparse(live_server.url).netloc}
