"""Spreadsheet import: every bad file is refused with a row-level Persian report and nothing
written; good files are all-or-nothing, idempotent, and round-trip with the export."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from shahrak.accounts.models import AuditEntry
from shahrak.units.imports import import_units
from shahrak.units.models import ExportRecord, Unit, UnitStatusEvent
from shahrak.units.spreadsheet import UNIT_COLUMNS, write_workbook
from tests.harness import sample_park
from tests.ids import legal_id

pytestmark = pytest.mark.django_db
HEADERS = [c.header_fa for c in UNIT_COLUMNS]


def row(**overrides):
    values = {
        "نام واحد": "خرمای نمونه", "شناسه ملی": legal_id(555), "استان": "بوشهر",
        "شهرستان": "عسلویه", "شهرک یا ناحیه": "sample-bushehr", "کد آیسیک": "1030",
        "محصولات": "خرما", "بخش": "غذایی: فرآوری و بسته‌بندی خرما", "تعداد کارکنان": 12,
        "وضعیت": "در حال بهره‌برداری", "تاریخ وضعیت": "۱۴۰۰/۰۲/۱۵",
    }  # fmt: skip
    values.update(overrides)
    return [values.get(header) for header in HEADERS]


def xlsx(rows, headers=HEADERS, before=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "واحدها"
    for line in before:
        sheet.append(line)
    if headers:
        sheet.append(headers)
    for line in rows:
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def park(people):
    return sample_park("bushehr")


@pytest.fixture
def manager(people):
    return people["bushehr-manager"]


def check(content, manager, name="units.xlsx", apply=True):
    return import_units(content, name, actor=manager, apply=apply)


def assert_refused(report, *, row=None, column=None, says=""):
    assert not report.ok and not report.applied
    assert Unit.objects.filter(name="خرمای نمونه").count() == 0
    problem = next(
        (p for p in report.problems if (row is None or p.row == row)
         and (column is None or p.column == column)), None
    )  # fmt: skip
    assert problem is not None, report.problems
    assert says in problem.message
    assert any("\u0600" <= ch <= "\u06ff" for ch in problem.message)


def test_a_good_file_imports(park, manager):
    report = check(xlsx([row(), row(**{"شناسه ملی": legal_id(556), "نام واحد": "میگوی نمونه"})]),
                   manager)  # fmt: skip
    assert report.ok and report.applied and report.created == 2
    unit = Unit.objects.get(national_id=legal_id(555))
    assert unit.park == park and unit.status == "operational"
    assert AuditEntry.objects.get_for_object(unit).get().actor == manager


@pytest.mark.parametrize(
    ("override", "column", "says"),
    [
        ({"شناسه ملی": "10380284792"}, "شناسه ملی", "رقم کنترل"),
        ({"شهرک یا ناحیه": "شهرک ناموجود"}, "شهرک یا ناحیه", "ثبت نشده"),
        ({"تاریخ وضعیت": "1401/13/01"}, "تاریخ وضعیت", "ماه ۱۳"),
        ({"تعداد کارکنان": -3}, "تعداد کارکنان", "منفی"),
        ({"تعداد کارکنان": "دوازده"}, "تعداد کارکنان", "عدد"),
        ({"بخش": "هوافضا"}, "بخش", "شناخته نشد"),
        ({"استان": "یزد", "شهرستان": "میبد", "شهرک یا ناحیه": ""}, "استان", "در اختیار شما"),
    ],
)
def test_bad_cells_are_reported_by_row_and_column(park, manager, override, column, says):
    report = check(xlsx([row(**{"شناسه ملی": legal_id(557), "نام واحد": "دیگر"}), row(**override)]),
                   manager)  # fmt: skip
    assert_refused(report, row=3, column=column, says=says)
    assert not Unit.objects.filter(name="دیگر").exists()  # the good row is not written either


def test_duplicate_national_id_in_the_file(park, manager):
    report = check(xlsx([row(), row()]), manager)
    assert_refused(report, row=3, column="شناسه ملی", says="سطر ۲")


def test_formulas_are_refused(park, manager):
    content = xlsx([row(**{"تعداد کارکنان": "=5+7"})])
    assert_refused(check(content, manager), row=2, column="تعداد کارکنان", says="فرمول")


def test_merged_header_rows_are_refused(park, manager):
    book = Workbook()
    sheet = book.active
    sheet.append(["فهرست واحدها"] + [None] * (len(HEADERS) - 1))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    sheet.append(HEADERS)
    sheet.append(row())
    buffer = io.BytesIO()
    book.save(buffer)
    assert_refused(check(buffer.getvalue(), manager), row=1, says="ادغام")


def test_empty_rows_after_the_data_are_ignored(park, manager):
    report = check(xlsx([row(), [None] * len(HEADERS), [None] * len(HEADERS)]), manager)
    assert report.ok and report.created == 1 and report.rows == 1


def test_empty_rows_between_data_rows_are_refused(park, manager):
    other = row(**{"شناسه ملی": legal_id(558), "نام واحد": "دیگر"})
    report = check(xlsx([row(), [None] * len(HEADERS), other]), manager)
    assert_refused(report, row=3, says="سطر خالی")


def test_a_sheet_with_no_header(park, manager):
    assert_refused(check(xlsx([row()], headers=None), manager), says="عنوان")


def test_a_20_mb_file(park, manager):
    assert_refused(check(b"PK\x03\x04" + b"0" * (20 * 1024 * 1024), manager), says="حجم پرونده")


def test_an_xls_renamed_xlsx(park, manager):
    assert_refused(check(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, manager), says=".xls")


def test_csv_with_english_headers_and_persian_digits(park, manager):
    english = ",".join(c.header_en for c in UNIT_COLUMNS)
    values = ["خرمای نمونه", "۱۰۳۸۰۲۸۴۷۹۰", "", "", "۰۹۱۷۱۲۳۴۵۶۷", "", "bushehr", "asaluyeh",
              "sample-bushehr", "", "", "", "1030", "خرما", "food_dates", "۱۲", "", "", "",
              "operational", "1400/02/15"]  # fmt: skip
    content = (english + "\n" + ",".join(values) + "\n").encode()
    report = check(content, manager, name="units.csv")
    assert report.ok, report.problems
    unit = Unit.objects.get(national_id="10380284790")
    assert unit.mobile == "09171234567" and unit.employees == 12


def test_the_same_file_twice_changes_nothing(park, manager):
    content = xlsx([row()])
    assert check(content, manager).created == 1
    before = (Unit.objects.count(), UnitStatusEvent.objects.count(), AuditEntry.objects.count())
    again = check(content, manager)
    assert again.ok and again.created == 0 and again.updated == 0 and again.unchanged == 1
    after = (Unit.objects.count(), UnitStatusEvent.objects.count(), AuditEntry.objects.count())
    assert before == after


def test_reimport_updates_by_national_id_with_history(park, manager):
    check(xlsx([row()]), manager)
    idle = {"تعداد کارکنان": 40, "وضعیت": "راکد", "تاریخ وضعیت": "1401/01/10"}
    assert_refused_keeps(check(xlsx([row(**idle)]), manager), says="علت رکود")
    report = check(xlsx([row(**idle, **{"علت رکود": "نبود بازار"})]), manager)
    assert report.ok and report.updated == 1 and report.status_changes == 1
    unit = Unit.objects.get(national_id=legal_id(555))
    assert unit.employees == 40 and unit.status == "idle"
    assert unit.events.order_by("-on").first().reason == "market"
    entries = AuditEntry.objects.get_for_object(unit).order_by("-pk")
    entry = next(e for e in entries if "employees" in (e.changes or {}))
    assert entry.changes["employees"] == [12, 40] and entry.actor == manager


def assert_refused_keeps(report, says):
    assert not report.ok and says in report.problems[0].message
    assert Unit.objects.get(national_id=legal_id(555)).employees == 12


def test_dry_run_writes_nothing(park, manager):
    report = check(xlsx([row()]), manager, apply=False)
    assert report.ok and report.created == 1 and not report.applied
    assert not Unit.objects.exists()


def test_command_line_import_and_dry_run(park, manager, tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx([row()]))
    out = io.StringIO()
    call_command("import", "units", str(path), "--dry-run", "--as", manager.username, stdout=out,
                 stderr=io.StringIO())  # fmt: skip
    assert "dry run" in out.getvalue() and not Unit.objects.exists()
    call_command("import", "units", str(path), "--as", manager.username, stdout=io.StringIO(),
                 stderr=io.StringIO())  # fmt: skip
    assert Unit.objects.count() == 1
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([row(**{"شناسه ملی": "123"})]))
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import", "units", str(bad), "--as", manager.username, stdout=io.StringIO(),
                     stderr=io.StringIO())  # fmt: skip


def upload(client, content, name="units.xlsx", follow=False):
    """Upload a file: the answer leads to its run's page (the check ran at once in tests)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/units/import/", {"file": SimpleUploadedFile(name, content)}, follow=follow)


def confirm(client, response):
    """Confirm the run an upload (followed) led to; the answer leads to its page."""
    return client.post(f"/units/import/{response.context['run'].pk}/confirm/")


def test_upload_preview_confirm_in_the_ui(client, park, manager):
    client.force_login(manager)
    preview = upload(client, xlsx([row()]), follow=True)
    assert preview.status_code == 200 and preview.context["report"].ok
    assert not Unit.objects.exists()
    run = preview.context["run"]
    done = client.post(f"/units/import/{run.pk}/confirm/")
    assert done.status_code == 302 and Unit.objects.count() == 1
    bad = upload(client, xlsx([row(**{"شناسه ملی": "1"})]), follow=True)
    assert bad.context["report"].problems
    assert b"/confirm/" not in bad.content


def test_previews_nobody_confirmed_are_dropped_after_a_day(client, park, manager, settings):
    import os
    import time

    from shahrak.units.import_runs import PREVIEW_KEPT_SECONDS, upload_folder

    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stale, fresh = folder / "stale.upload", folder / "fresh.upload"
    for path in (stale, fresh):
        path.write_bytes(b"PK")
    long_ago = time.time() - PREVIEW_KEPT_SECONDS - 60
    os.utime(stale, (long_ago, long_ago))
    client.force_login(manager)
    upload(client, xlsx([row()]))
    assert not stale.exists() and fresh.exists()


def test_another_user_cannot_confirm_my_upload(client, park, manager, people):
    client.force_login(manager)
    run = upload(client, xlsx([row()]), follow=True).context["run"]
    client.force_login(people["bushehr-expert"])
    page = client.get(f"/units/import/{run.pk}/")  # a colleague of the province sees it…
    assert page.status_code == 200 and b"/confirm/" not in page.content
    refused = client.post(f"/units/import/{run.pk}/confirm/", follow=True)  # …and cannot apply it
    said = [str(m) for m in refused.context["messages"]]
    assert any("فقط" in line for line in said), said
    assert not Unit.objects.exists()
    client.force_login(people["yazd-manager"])
    assert client.post(f"/units/import/{run.pk}/confirm/").status_code == 404
    assert client.get(f"/units/import/{run.pk}/").status_code == 404
    assert not Unit.objects.exists()


# --- export → import round trip -----------------------------------------------------------
names = (
    st.text(alphabet="ابپتثجچحخدرزسشصطعفقکگلمنوهی ", min_size=2, max_size=30)
    .map(str.strip)
    .filter(lambda s: len(s) >= 2 and "  " not in s)
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    units=st.lists(
        st.tuples(names, st.integers(0, 5000), st.sampled_from(["food_dates", "ceramics", "other"]),
                  st.integers(1000, 99999), st.booleans()),
        min_size=1, max_size=6, unique_by=lambda u: u[3],
    )
)  # fmt: skip
def test_export_then_import_round_trips(park, manager, units):
    from shahrak.units import services

    Unit.objects.all().delete() if not Unit.objects.filter(events__isnull=False).exists() else None
    created = []
    for name, employees, sector, serial, in_park in units:
        national_id = legal_id(20_000_000 + serial)
        unit = Unit.objects.filter(national_id=national_id).first() or services.unit_create(
            actor=manager, county=park.county, park=park if in_park else None, name=name,
            national_id=national_id, isic_code="1030", products=name, sector=sector,
            employees=employees,
        )  # fmt: skip
        created.append(unit)
    records = Unit.objects.filter(pk__in=[u.pk for u in created]).select_related(
        "county__province", "park", "plot"
    )
    exported = write_workbook(records, ExportRecord.objects.filter(unit__in=records))
    report = import_units(exported, "back.xlsx", actor=manager)
    assert report.ok, report.problems
    assert report.created == 0 and report.updated == 0 and report.unchanged == len(created)


def test_every_problem_of_a_row_is_reported_at_once(park, manager):
    bad = row(**{"شناسه ملی": "10380284792", "شهرک یا ناحیه": "شهرک ناموجود",
                 "تعداد کارکنان": -4})  # fmt: skip
    report = check(xlsx([bad]), manager)
    columns = {p.column for p in report.problems if p.row == 2}
    assert {"شناسه ملی", "شهرک یا ناحیه", "تعداد کارکنان"} <= columns


# --- what the messages say, and in which order --------------------------------------------
def quoted(message: str) -> list[str]:
    return re.findall(r"«([^»]+)»", message)


def test_a_new_units_status_is_refused_in_words_the_import_accepts(park, manager):
    report = check(xlsx([row(**{"وضعیت": "راکد"})]), manager)
    assert_refused(report, row=2, column="وضعیت")
    problem = next(p for p in report.problems if p.column == "وضعیت")
    assert problem.value == "راکد"  # the cell as written, not the code behind it
    words = quoted(problem.message)
    assert words and "راکد" not in words
    # Each status the message offers is one the import takes for a new unit.
    for serial, word in enumerate(words, 600):
        other = row(**{"شناسه ملی": legal_id(serial), "نام واحد": f"واحد {serial}", "وضعیت": word})
        assert check(xlsx([other]), manager, apply=False).ok, word


def test_the_glossarys_word_for_operating_is_accepted(park, manager):
    # «فعال» is what people write (and what the old refusal itself offered).
    report = check(xlsx([row(**{"وضعیت": "فعال"})]), manager)
    assert report.ok, report.problems
    assert Unit.objects.get(national_id=legal_id(555)).status == "operational"


def test_an_illegal_change_names_the_statuses_in_persian(park, manager):
    check(xlsx([row()]), manager)
    report = check(xlsx([row(**{"وضعیت": "در حال ساخت", "تاریخ وضعیت": "1401/01/10"})]), manager)
    problem = next(p for p in report.problems if p.column == "وضعیت")
    assert problem.value == "در حال ساخت"
    # From operation a unit may become idle or close (and nothing else).
    assert set(quoted(problem.message)) == {"در حال بهره‌برداری", "در حال ساخت", "راکد", "تعطیل"}
    assert Unit.objects.get(national_id=legal_id(555)).status == "operational"


def test_problems_are_listed_by_row_then_column(park, manager):
    rows = [
        # row 2: a county the province does not have (checked against the records) and a
        # negative count (checked in the cell), the count's column after the county's
        row(**{"شهرستان": "ناکجا", "تعداد کارکنان": -1}),
        row(**{"شناسه ملی": legal_id(556), "تعداد کارکنان": "دوازده"}),  # row 3: a cell
    ]
    report = check(xlsx(rows), manager)
    places = [(p.row, HEADERS.index(p.column)) for p in report.problems]
    assert len(places) == 3 and places == sorted(places)
    assert Unit.objects.count() == 0


def test_an_isic_code_is_exactly_four_digits(park, manager):
    for serial, code in enumerate(["12", 12, "10300", "۱۰۳", "1O30"], 600):
        report = check(xlsx([row(**{"کد آیسیک": code, "شناسه ملی": legal_id(serial)})]), manager)
        assert_refused(report, row=2, column="کد آیسیک", says="چهار رقم")
    # As written, or as Excel keeps it: 0111 typed into a number cell is stored as 111.
    for serial, (code, stored) in enumerate([("۱۰۳۰", "1030"), (1030, "1030"), (111, "0111")]):
        national_id = legal_id(650 + serial)
        assert check(xlsx([row(**{"کد آیسیک": code, "شناسه ملی": national_id})]), manager).ok
        assert Unit.objects.get(national_id=national_id).isic_code == stored


def test_counts_are_in_persian_digits(client, park, manager):
    client.force_login(manager)
    bad = [row(**{"شناسه ملی": legal_id(700 + i), "تعداد کارکنان": -1}) for i in range(9)]
    preview = upload(client, xlsx(bad), follow=True).content.decode()
    assert "۹ ایراد" in preview and "9 ایراد" not in preview
    good = [row(**{"شناسه ملی": legal_id(800 + i), "نام واحد": f"واحد {i}"}) for i in range(3)]
    run_page = confirm(client, upload(client, xlsx(good), follow=True))["Location"]
    done = client.get(run_page, follow=True)
    said = [str(m) for m in done.context["messages"]]
    assert any("۳ تازه" in line for line in said) and not any("3" in line for line in said)


# --- the template ----------------------------------------------------------------------------
def template(client, manager) -> bytes:
    client.force_login(manager)
    return client.get("/units/import/template.xlsx").content


def test_the_template_as_downloaded_imports_nothing(client, park, manager):
    report = check(template(client, manager), manager)
    assert report.ok and report.rows == 0 and report.example_rows == [2]
    assert not Unit.objects.exists()


def test_an_edited_example_row_is_data(client, park, manager):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template(client, manager)))
    book["واحدها"]["A2"] = "واحد من"  # only the name changed: the rest is still the example's
    buffer = io.BytesIO()
    book.save(buffer)
    report = check(buffer.getvalue(), manager)
    assert report.rows == 1 and report.example_rows == []
    # The example's national ID is no real one: the half-edited row cannot slip in.
    assert_refused(report, row=2, column="شناسه ملی", says="معتبر نیست")
    assert not Unit.objects.exists()


def test_the_help_sheet_says_the_example_row_is_ignored(client, park, manager):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template(client, manager)))
    text = " ".join(str(c) for line in book["راهنما"].values for c in line if c)
    assert "سطر ۲" in text and "نمونه" in text and "نادیده" in text


def test_every_choice_column_of_the_template_has_its_drop_down(client, park, manager):
    from django.utils import translation
    from openpyxl import load_workbook

    from shahrak.units.choices import IdleReason, Sector, UnitStatus
    from shahrak.units.spreadsheet import parse_cell

    book = load_workbook(io.BytesIO(template(client, manager)))
    sheet = book["واحدها"]
    letters = {cell.value: cell.column_letter for cell in sheet[1]}
    with translation.override("fa"):
        expected = {
            "بخش": [str(c.label) for c in Sector],
            "وضعیت": [str(c.label) for c in UnitStatus],
            "علت رکود": [str(c.label) for c in IdleReason],
        }
    for header, labels in expected.items():
        letter = letters[header]
        validation = next(
            v for v in sheet.data_validations.dataValidation
            if any(r.min_col == r.max_col == sheet[f"{letter}1"].column and r.min_row == 2
                   for r in v.sqref.ranges)
        )  # fmt: skip
        assert validation.type == "list"
        list_sheet, cells = validation.formula1.split("!")
        values = [c.value for line in book[list_sheet.strip("'")][cells.replace("$", "")]
                  for c in line]  # fmt: skip
        assert values == labels
        column = next(c for c in UNIT_COLUMNS if c.header_fa == header)
        assert all(parse_cell(column, value) for value in values)  # the import takes each


# --- after the import: the units it wrote ------------------------------------------------------
def test_confirming_lands_on_the_units_just_imported(client, park, manager, people):
    from shahrak.units import services

    def existing(serial, name, **fields):
        return services.unit_create(
            actor=manager, county=park.county, park=park, name=name, national_id=legal_id(serial),
            isic_code="1030", products="خرما", sector="food_dates", employees=12, **fields,
        )  # fmt: skip

    from shahrak.core.jalali import parse_jalali_date

    untouched = existing(900, "واحد دیگر")  # the same user's, not in the file
    same = existing(901, "بی‌تغییر", status="operational",
                    status_on=parse_jalali_date("1400/02/15"))  # fmt: skip
    changed = existing(902, "تغییر وضعیت", status="operational",
                       status_on=parse_jalali_date("1400/02/15"))  # fmt: skip
    new = [row(**{"شناسه ملی": legal_id(1000 + i), "نام واحد": f"تازه {i:02d}"}) for i in range(52)]
    rows = [*new, row(**{"شناسه ملی": same.national_id, "نام واحد": same.name}),
            row(**{"شناسه ملی": changed.national_id, "نام واحد": changed.name, "وضعیت": "راکد",
                   "تاریخ وضعیت": "1401/01/10", "علت رکود": "نبود بازار"})]  # fmt: skip
    client.force_login(manager)
    run_page = confirm(client, upload(client, xlsx(rows), follow=True))["Location"]
    response = client.get(run_page)
    assert response.status_code == 302
    listed, url = [], response["Location"]
    while url:  # page by page, by the links the list itself shows
        page = client.get(url)
        listed += [unit.name for unit in page.context["page"]]
        following = re.search(r'<a href="(\?[^"]*)">[^<]*</a>\s*</nav>', page.content.decode())
        more = page.context["page"].has_next()
        url = "/units/" + following[1].replace("&amp;", "&") if more else None
    assert sorted(listed) == sorted([f"تازه {i:02d}" for i in range(52)] + [changed.name])
    assert untouched.name not in listed and same.name not in listed


def test_the_template_says_which_statuses_a_new_unit_may_have(client, park, manager):
    """The status drop-down lists every status (a row may update a unit already in the
    system); the help sheet says which a new unit may start in, and those are the ones the
    import takes for a new unit while the others are refused."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template(client, manager)))
    notes = [line[0] for line in book["راهنما"].values if line and line[0]]
    note = next(text for text in notes if "واحد تازه" in str(text))
    may, may_not = note.split("؛")
    assert "راکد" in may_not and "راکد" not in may
    for serial, word in enumerate(quoted(may), 700):
        other = row(**{"شناسه ملی": legal_id(serial), "نام واحد": f"واحد {serial}", "وضعیت": word})
        assert check(xlsx([other]), manager, apply=False).ok, word
    for serial, word in enumerate(quoted(may_not), 720):
        other = row(**{"شناسه ملی": legal_id(serial), "نام واحد": f"واحد {serial}", "وضعیت": word})
        assert not check(xlsx([other]), manager, apply=False).ok, word
