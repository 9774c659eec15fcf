"""Monthly reports imported from a spreadsheet, in the units import's way (issue 12, point
5): upload → checked by the worker → preview with problems by row and cell → confirm → filed
all or nothing. Only units the importing staff member may change (another province's unit is
refused exactly as an unknown national ID); an accepted report is not overwritten; the same
file imported again changes nothing; an imported report counts in `reports.filed_pct`, as
filed by the importer on the day of the import.

Tasks run at once here (the immediate backend, tests/settings.py)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from shahrak.accounts.models import AuditEntry
from shahrak.core.jalali import JalaliPeriod, to_jalali
from shahrak.core.metrics import Scope
from shahrak.places.models import Province
from shahrak.revival import services
from shahrak.revival.choices import ReportStatus
from shahrak.revival.metrics import METRICS
from shahrak.revival.models import MonthlyReport, MonthlyReportImportRun
from tests.units.test_import import legal_id

from .factories import UnitFactory

pytestmark = pytest.mark.django_db
HEADERS = ["شناسه ملی", "سال", "ماه", "تولید", "واحد اندازه‌گیری", "فروش (ریال)", "کارکنان",
           "صادرات (ریال)", "مصرف انرژی (کیلووات‌ساعت)"]  # fmt: skip


def xlsx(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "گزارش‌های ماهانه"
    sheet.append(headers)
    for line in rows:
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def line(national_id, year, month, production=120, employees=14, sales=5_000_000):
    return [national_id, year, month, production, "تن", sales, employees, 0, 3400]


def upload(client, content, name="reports.xlsx"):
    answer = client.post("/revival/reports/import/", {"file": SimpleUploadedFile(name, content)})
    assert answer.status_code == 302, answer.content.decode()[:500]
    return client.get(answer["Location"])


@pytest.fixture
def yazd(people):
    expert = people["yazd-expert"]
    units = [UnitFactory(actor=expert, national_id=legal_id(7100 + i)) for i in range(2)]
    return {"expert": expert, "units": units}


def test_a_good_file_is_previewed_then_filed_by_the_importer_today(client, yazd):
    first, second = yazd["units"]
    client.force_login(yazd["expert"])
    rows = [line(first.national_id, "۱۴۰۳", "مهر"),
            line(second.national_id, 1403, "۷", production="۹۰٫۵")]  # fmt: skip
    page = upload(client, xlsx(rows))
    run = page.context["run"]
    assert run.status == MonthlyReportImportRun.Status.READY, page.context["report"].problems
    body = page.content.decode()
    assert f'action="/revival/reports/import/{run.pk}/confirm/"' in body
    assert not MonthlyReport.objects.exists()  # nothing before the confirmation
    client.post(f"/revival/reports/import/{run.pk}/confirm/")
    run.refresh_from_db()
    assert run.status == MonthlyReportImportRun.Status.IMPORTED
    reports = {r.unit_id: r for r in MonthlyReport.objects.all()}
    assert set(reports) == {first.pk, second.pk}
    for report in reports.values():
        assert (report.year, report.month, report.status) == (1403, 7, ReportStatus.SUBMITTED)
        assert report.filed_by == yazd["expert"]
        assert timezone.localdate(report.filed_at) == timezone.localdate()
    assert reports[second.pk].production_volume == Decimal("90.5")
    assert (reports[first.pk].sales_rial, reports[first.pk].energy_kwh) == (5_000_000, 3400)


def test_a_file_with_one_bad_row_files_nothing_and_says_where(client, yazd):
    first, second = yazd["units"]
    client.force_login(yazd["expert"])
    page = upload(client, xlsx([line(first.national_id, 1403, 1),
                                line(second.national_id, 1403, 13),
                                line(first.national_id, 1403, 2, employees="چهارده")]))  # fmt: skip
    run = page.context["run"]
    assert run.status == MonthlyReportImportRun.Status.REFUSED
    where = {(p.row, p.column) for p in page.context["report"].problems}
    assert where == {(3, "ماه"), (4, "کارکنان")}
    assert "/confirm/" not in page.content.decode()
    assert client.post(f"/revival/reports/import/{run.pk}/confirm/").status_code == 302
    assert not MonthlyReport.objects.exists()


def test_a_failure_while_writing_keeps_none_of_the_rows(client, yazd, monkeypatch):
    first, second = yazd["units"]
    client.force_login(yazd["expert"])
    page = upload(client, xlsx([line(first.national_id, 1403, 1),
                                line(second.national_id, 1403, 1)]))  # fmt: skip
    original = services.monthly_report_file
    calls = []

    def second_fails(**kwargs):
        calls.append(kwargs["unit"].pk)
        if len(calls) == 2:
            raise services.DomainError("نوشتن متوقف شد")
        return original(**kwargs)

    monkeypatch.setattr(services, "monthly_report_file", second_fails)
    client.post(f"/revival/reports/import/{page.context['run'].pk}/confirm/")
    assert len(calls) == 2 and not MonthlyReport.objects.exists()  # the first rolled back


def test_another_provinces_unit_is_refused_exactly_as_an_unknown_id(client, yazd, people):
    bushehr_unit = UnitFactory(province="bushehr", actor=people["bushehr-expert"],
                               national_id=legal_id(7200))  # fmt: skip
    client.force_login(yazd["expert"])
    page = upload(client, xlsx([line(bushehr_unit.national_id, 1403, 1),
                                line(legal_id(7300), 1403, 1),
                                line(yazd["units"][0].national_id, 1403, 1)]))  # fmt: skip
    problems = page.context["report"].problems
    assert [(p.row, p.column) for p in problems] == [(2, "شناسه ملی"), (3, "شناسه ملی")]
    assert problems[0].message == problems[1].message
    assert "بوشهر" not in page.content.decode()
    assert not MonthlyReport.objects.exists()


def test_only_the_staff_see_the_link_and_reach_the_import(client, yazd, people):
    unit = yazd["units"][0]
    rep = people["yazd-unit"]
    unit.representatives.add(rep)
    for username, reaches in [("yazd-expert", True), ("yazd-manager", True), ("yazd-unit", False),
                              ("auditor", False), ("hq", False)]:  # fmt: skip
        client.force_login(people[username])
        listing = client.get("/revival/reports/")
        if listing.status_code == 200:
            shown = 'href="/revival/reports/import/"' in listing.content.decode()
            assert shown == reaches, username
        assert (client.get("/revival/reports/import/").status_code == 200) == reaches, username
        template = client.get("/revival/reports/import/template.xlsx")
        assert (template.status_code == 200) == reaches, username


def test_the_same_file_imported_twice_changes_nothing(client, yazd):
    first, second = yazd["units"]
    content = xlsx([line(first.national_id, 1403, 5), line(second.national_id, 1403, 5)])
    client.force_login(yazd["expert"])
    run = upload(client, content).context["run"]
    client.post(f"/revival/reports/import/{run.pk}/confirm/")
    before = {r.pk: (r.version, r.filed_at, r.status) for r in MonthlyReport.objects.all()}
    audited = AuditEntry.objects.filter(content_type__model="monthlyreport").count()
    again = upload(client, content, name="again.xlsx")
    report = again.context["report"]
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 2)
    client.post(f"/revival/reports/import/{again.context['run'].pk}/confirm/")
    after = {r.pk: (r.version, r.filed_at, r.status) for r in MonthlyReport.objects.all()}
    assert after == before
    assert AuditEntry.objects.filter(content_type__model="monthlyreport").count() == audited


def test_an_accepted_report_is_not_overwritten(client, yazd, people):
    first, second = yazd["units"]
    expert = yazd["expert"]
    accepted = services.monthly_report_file(actor=expert, unit=first, year=1403, month=3,
                                            production_volume=100, employees=10)  # fmt: skip
    services.monthly_report_accept(actor=people["yazd-manager"], report=accepted)
    client.force_login(expert)
    page = upload(client, xlsx([line(second.national_id, 1403, 3),
                                line(first.national_id, 1403, 3, production=999)]))  # fmt: skip
    problems = page.context["report"].problems
    assert [p.row for p in problems] == [3] and "پذیرفته" in problems[0].message
    accepted.refresh_from_db()
    assert accepted.production_volume == 100 and accepted.status == ReportStatus.ACCEPTED
    assert not MonthlyReport.objects.filter(unit=second).exists()  # all or nothing


def test_a_draft_takes_the_files_figures_and_is_filed(client, yazd):
    unit = yazd["units"][0]
    services.monthly_report_save(actor=yazd["expert"], unit=unit, year=1403, month=4,
                                 production_volume=1, employees=1)  # fmt: skip
    client.force_login(yazd["expert"])
    run = upload(client, xlsx([line(unit.national_id, 1403, 4)])).context["run"]
    client.post(f"/revival/reports/import/{run.pk}/confirm/")
    report = MonthlyReport.objects.get()
    assert (report.production_volume, report.employees, report.status) == (
        120, 14, ReportStatus.SUBMITTED,
    )  # fmt: skip


def test_a_month_not_over_is_refused(client, yazd):
    year, month, _ = to_jalali(timezone.localdate())
    client.force_login(yazd["expert"])
    page = upload(client, xlsx([line(yazd["units"][0].national_id, year, month)]))
    assert [(p.row, p.column) for p in page.context["report"].problems] == [(2, "ماه")]


def test_an_imported_report_counts_in_filed_pct(client, yazd, people):
    unit = yazd["units"][0]
    metric = next(m for m in METRICS if m.key == "reports.filed_pct")
    province = Province.objects.get(code="yazd")
    scope = Scope(province=province.pk, province_code="yazd")
    period = JalaliPeriod.parse("1402")
    manager = people["yazd-manager"]
    assert metric.value(manager, scope, period) is None  # nothing filed for 1402 yet
    client.force_login(yazd["expert"])
    run = upload(client, xlsx([line(unit.national_id, 1402, 6)])).context["run"]
    client.post(f"/revival/reports/import/{run.pk}/confirm/")
    # Filed today, long after 1402/07/10: one report filed, late.
    assert metric.value(manager, scope, period) == Decimal(0)


def test_the_template_has_the_columns_the_import_reads(client, yazd):
    client.force_login(yazd["expert"])
    answer = client.get("/revival/reports/import/template.xlsx")
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)
                                    if answer.streaming else answer.content))  # fmt: skip
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == HEADERS and sheet.sheet_view.rightToLeft
    sheet.append(line(yazd["units"][0].national_id, 1403, 1))  # filled in, then uploaded
    buffer = io.BytesIO()
    book.save(buffer)
    page = upload(client, buffer.getvalue())
    assert page.context["report"].ok and page.context["report"].rows == 1
