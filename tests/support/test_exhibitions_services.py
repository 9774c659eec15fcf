"""Exhibitions, exhibition supports and service records: who may record and read them, what
the services refuse (nothing saved), their pages, and the exhibitions.* and services.* figures
against counts of records made here."""

import datetime as dt
from decimal import Decimal

import pytest

from shahrak.accounts.choices import Action
from shahrak.core.errors import DomainError, NotAllowed
from shahrak.core.jalali import JalaliPeriod
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.core.metrics import Scope
from shahrak.places.models import Province
from shahrak.revival import services as revival
from shahrak.support import services
from shahrak.support.metrics import METRICS
from shahrak.support.models import (
    Application,
    Exhibition,
    ExhibitionSupport,
    ServiceKind,
    ServiceRecord,
)
from tests.harness import PEOPLE, PROVINCES, SAMPLES, may
from tests.revival.factories import UnitFactory

pytestmark = pytest.mark.django_db
BY_KEY = {metric.key: metric for metric in METRICS}
MILLION = 1_000_000


def province(code):
    return Province.objects.get(code=code)


def fair(actor, code="yazd", on="1400/08/10", reach="domestic", country="", **fields):
    start = jd(on)
    return services.exhibition_create(
        actor=actor, province=province(code), name=fields.pop("name", "نمایشگاه کاشی"),
        reach=reach, city=fields.pop("city", "یزد"), country=country, starts_on=start,
        ends_on=start + dt.timedelta(days=3), organiser="نمایشگاه بین‌المللی یزد", **fields,
    )  # fmt: skip


def support(actor, unit, exhibition, **fields):
    fields = {"kind": "booth", "booth_area_m2": Decimal(12), "subsidy_rial": 90 * MILLION,
              **fields}  # fmt: skip
    return services.exhibition_support_record(
        actor=actor, unit=unit, exhibition=exhibition, **fields
    )


def kind(code):
    services.ensure_service_kinds()  # after another module's flush the migration's are gone
    return ServiceKind.objects.get(code=code)


def service(actor, units, on="1400/05/01", code="consulting", **fields):
    return services.service_record_create(
        actor=actor, units=units, kind=kind(code), on=jd(on),
        provider=fields.pop("provider", "مشاوران توسعهٔ صنعتی"), cost_rial=80 * MILLION,
        **fields,
    )  # fmt: skip


# --- who reaches what --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "model", [Exhibition, ExhibitionSupport, ServiceRecord], ids=lambda m: m.__name__
)
@pytest.mark.parametrize("action", [Action.VIEW, Action.CHANGE])
def test_restrict_agrees_with_the_role_table(people, model, action):
    samples = {code: SAMPLES[model](code) for code in PROVINCES}
    for username in PEOPLE:
        seen = set(
            model.objects.restrict(people[username], action)
            .filter(pk__in=[s.pk for s in samples.values()])
            .values_list("pk", flat=True)
        )
        expected = {s.pk for code, s in samples.items() if may(username, model, action, code)}
        assert seen == expected, (username, model.__name__, action)


@pytest.mark.parametrize("username", ["bushehr-expert", "yazd-unit", "hq", "auditor", "nobody"])
def test_only_the_units_province_staff_record_a_support(people, username):
    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert)
    exhibition = fair(expert)
    with pytest.raises(NotAllowed):
        support(people[username], unit, exhibition)
    with pytest.raises(NotAllowed):
        service(people[username], [unit])
    assert not ExhibitionSupport.objects.exists() and not ServiceRecord.objects.exists()
    assert support(expert, unit, exhibition).on == jd("1400/08/10")
    assert (
        support(people["yazd-manager"], unit, exhibition, kind="attendance").booth_area_m2 is None
    )


# --- what the services refuse -------------------------------------------------------------------
def test_refusals_save_nothing(people):
    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert)
    other = UnitFactory(actor=people["bushehr-expert"], province="bushehr")
    exhibition = fair(expert)
    with pytest.raises(DomainError) as refused:
        fair(expert, reach="foreign", country="IR", name="نمایشگاه بیگ فایو")
    assert refused.value.field == "country"
    with pytest.raises(DomainError) as refused:
        support(expert, unit, exhibition, booth_area_m2=None)
    assert refused.value.field == "booth_area_m2"
    with pytest.raises(DomainError) as refused:
        service(expert, [unit, other])
    assert refused.value.field == "units"
    with pytest.raises(DomainError) as refused:
        service(expert, [unit], code="mobile_clinic")  # no park, no team
    assert refused.value.field == "park"
    with pytest.raises(DomainError) as refused:
        service(expert, [unit], code="mobile_clinic", park=other.park, team="دکتر صادقی")
    assert refused.value.field == "park"
    with pytest.raises(DomainError) as refused:
        service(expert, [unit], on="1499/01/01")
    assert refused.value.field == "on"
    assert list(Exhibition.objects.all()) == [exhibition]
    assert not ExhibitionSupport.objects.exists() and not ServiceRecord.objects.exists()
    visit = service(expert, [unit], code="mobile_clinic", park=unit.park, team="دکتر صادقی")
    assert (visit.park, list(visit.units.all()), visit.province.code) == (unit.park, [unit], "yazd")


def test_a_support_linked_to_an_application_takes_its_subsidy(people):
    expert = people["yazd-expert"]
    application = SAMPLES[Application]("yazd")  # executed: a subsidy of 5,000 million rial
    exhibition = fair(expert)
    linked = support(expert, application.unit, exhibition, application=application,
                     subsidy_rial=None)  # fmt: skip
    assert linked.subsidy_rial == 5_000 * MILLION
    with pytest.raises(DomainError) as refused:
        support(expert, application.unit, exhibition, application=application,
                subsidy_rial=6_000 * MILLION)  # fmt: skip
    assert refused.value.code == "subsidy_above_approval"
    with pytest.raises(DomainError) as refused:
        support(expert, UnitFactory(actor=expert), exhibition, application=application)
    assert refused.value.field == "application"


def test_moving_an_exhibition_moves_its_supports(people):
    expert = people["yazd-expert"]
    exhibition = fair(expert)
    held = support(expert, UnitFactory(actor=expert), exhibition)
    services.exhibition_update(
        actor=expert, exhibition=exhibition, expected_version=exhibition.version,
        starts_on=jd("1401/02/01"), ends_on=jd("1401/02/04"),
    )  # fmt: skip
    held.refresh_from_db()
    assert held.on == jd("1401/02/01")


# --- pages ---------------------------------------------------------------------------------------
def test_another_provinces_records_answer_404(people, client):
    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert)
    held = support(expert, unit, fair(expert))
    record = service(expert, [unit])
    client.force_login(people["bushehr-expert"])
    for url in (held.get_absolute_url(), f"/support/exhibition-supports/{held.pk}/edit/",
                record.get_absolute_url(), f"/support/services/{record.pk}/edit/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post(f"/support/services/{record.pk}/archive/", {"confirm": "True",
                       "confirmed": "yes"}).status_code == 404  # fmt: skip
    listed = client.get("/support/exhibition-supports/")
    assert listed.status_code == 200 and unit.name not in listed.content.decode()
    # The exhibition itself is in the registry everyone reads, but only its province edits it.
    assert client.get(held.exhibition.get_absolute_url()).status_code == 200
    assert client.get(f"/support/exhibitions/{held.exhibition.pk}/edit/").status_code == 404
    # A refused unit named in a form is refused as unknown.
    response = client.post("/support/services/new/", {
        "kind": kind("consulting").pk, "on": "1400/05/01", "units": [unit.pk],
        "provider": "مشاور",
    })  # fmt: skip
    assert response.status_code == 200 and not ServiceRecord.objects.exclude(pk=record.pk).exists()


def test_staff_record_a_service_and_archive_it_from_the_pages(people, client):
    expert = people["yazd-expert"]
    units = [UnitFactory(actor=expert), UnitFactory(actor=expert)]
    client.force_login(expert)
    response = client.post("/support/services/new/", {
        "kind": kind("training").pk, "on": "۱۴۰۰/۰۵/۰۱", "units": [u.pk for u in units],
        "provider": "مرکز آموزش فنی و حرفه‌ای", "cost_rial": "۱۲",
    })  # fmt: skip
    record = ServiceRecord.objects.get()
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    assert (record.on, record.cost_rial, set(record.units.all())) == (
        jd("1400/05/01"),
        120 * MILLION,
        set(units),
    )
    page = client.get(units[0].get_absolute_url()).content.decode()
    assert record.get_absolute_url() in page
    workbook = client.get("/support/services/?export=xlsx")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    client.post(f"/support/services/{record.pk}/archive/", {"confirm": "True", "confirmed": "yes"})
    record.refresh_from_db()
    assert record.archived_at is not None and ServiceRecord.objects.filter(pk=record.pk).exists()


def test_a_representative_reads_only_their_own_unit_of_a_group_service(people, client):
    """A record for the rep's unit and another: the other unit's name is nowhere the rep reads
    (list, Excel export, detail, API); the staff still see both."""
    import io

    from openpyxl import load_workbook

    expert, rep = people["yazd-expert"], people["yazd-unit"]
    own = UnitFactory(actor=expert, name="کارگاه سفال مهرگان")
    other = UnitFactory(actor=expert, name="کارخانه کاشی همسایه")
    own.representatives.add(rep)
    record = service(expert, [own, other], code="training")
    client.force_login(rep)
    listed = client.get("/support/services/").content.decode()
    detail = client.get(record.get_absolute_url()).content.decode()
    sheet = load_workbook(io.BytesIO(client.get("/support/services/?export=xlsx").content)).active
    cells = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    api = client.get(f"/api/v1/service-records/{record.pk}/")
    for text in (listed, detail, cells):
        assert own.name in text and other.name not in text
    assert api.status_code == 200 and api.json()["units"] == [own.pk]
    client.force_login(expert)
    staff = client.get("/support/services/").content.decode()
    assert own.name in staff and other.name in staff


# --- figures -------------------------------------------------------------------------------------
def value(key, user, code, period):
    scope = Scope(province=province(code).pk, province_code=code)
    return BY_KEY[key].value(user, scope, JalaliPeriod.parse(period))


def test_exhibition_figures_count_the_records(people):
    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert, operating_since="1390/01/01")
    old = fair(expert, on="1395/03/01")
    in_1400 = fair(expert, on="1400/02/10")
    abroad = fair(expert, on="1400/09/01", reach="foreign", country="AE", name="بیگ فایو",
                  city="دبی")  # fmt: skip
    in_1401 = fair(expert, on="1401/04/01")
    after = fair(expert, on="1401/08/01")
    for exhibition, times in ((old, 3), (in_1400, 2), (abroad, 4), (in_1401, 5), (after, 7)):
        for _ in range(times):
            support(expert, unit, exhibition)
    archived = support(expert, unit, in_1401)
    services.exhibition_support_archive(actor=expert, support=archived)
    bushehr_unit = UnitFactory(actor=people["bushehr-expert"], province="bushehr")
    support(people["bushehr-expert"], bushehr_unit, fair(people["bushehr-expert"], "bushehr"))
    hq = people["hq"]
    assert value("exhibitions.supports", hq, "yazd", "1400") == 2 + 4
    assert value("exhibitions.foreign_supports", hq, "yazd", "1400") == 4
    assert value("exhibitions.supports", hq, "yazd", "1401-H1") == 5
    assert value("exhibitions.supports_total", hq, "yazd", "1401-H1") == 3 + 2 + 4 + 5
    assert value("exhibitions.supports_year_before", hq, "yazd", "1401-H1") == 6
    # What the user may not see is not counted.
    assert value("exhibitions.supports_total", people["bushehr-manager"], "yazd", "1405") == 0


def test_service_figures_count_records_and_revival_diagnoses_and_plans(people, client):
    expert = people["yazd-expert"]
    units = [UnitFactory(actor=expert, operating_since="1397/01/01") for _ in range(3)]
    service(expert, units, on="1400/02/01", code="training")  # one record for three units
    service(expert, units[:1], on="1400/11/01", code="consulting")
    service(expert, units[:1], on="1401/03/01", code="consulting")
    gone = service(expert, units[:1], on="1400/03/01")
    services.service_record_archive(actor=expert, record=gone)
    case = revival.case_open(actor=expert, unit=units[1], opened_on=jd("1400/04/01"),
                             identified_by="field_survey", reasons=["market"])  # fmt: skip
    for on in ("1400/05/01", "1400/06/01"):  # two diagnoses of one case: one case diagnosed
        revival.case_diagnose(
            actor=expert,
            case=case,
            on=jd(on),
            diagnosed_by=expert,
            findings=[{"area": "market", "severity": "high", "text": "بازار"}],
        )
    revival.case_plan(actor=expert, case=case, on=jd("1400/07/01"),
                      actions=[{"title": "نمایشگاه", "owner_kind": "company",
                                "due_on": jd("1400/09/01")}])  # fmt: skip
    hq = people["hq"]
    assert value("services.count", hq, "yazd", "1400") == 2 + 1 + 1
    # The figure's list (two records) and its links to the revival cases (one each) add up.
    client.force_login(people["yazd-manager"])
    url = BY_KEY["services.count"].records(
        Scope(province=province("yazd").pk, province_code="yazd"), JalaliPeriod.parse("1400")
    )
    page = client.get(url)
    assert page.context["page"].paginator.count == 2
    followed = [client.get(link, follow=True) for _label, link in page.context["revival_links"]]
    assert [r.context["page"].paginator.count for r in followed] == [1, 1]
    assert all(r.redirect_chain[0][0].startswith("/revival/cases/") for r in followed)
    # The list says the figure's sum, so the number clicked (4) is the number read.
    said = " ".join(page.content.decode().split())
    assert "۲ خدمت ثبت‌شده و ۲ عارضه‌یابی و طرح بهبود پرونده‌های احیا: ۴" in said
    assert value("services.by_kind", hq, "yazd", "1400") == {
        "training": 1,
        "consulting": 1,
        "diagnosis": 1,
        "improvement_plan": 1,
    }
    assert value("services.count", hq, "yazd", "1401-H1") == 1
    assert value("services.count_year_before", hq, "yazd", "1401-H1") == 4
    assert value("services.count", hq, "bushehr", "1400") == 0


@pytest.mark.parametrize("period", ["1400", "1401-H1"])
def test_each_figure_links_to_the_records_it_counts(people, client, period):
    from shahrak.reports.services import build_report, resolve_scope

    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert, operating_since="1390/01/01")
    for on, reach, times in (
        ("1399/12/20", "domestic", 1),
        ("1400/01/01", "domestic", 2),
        ("1400/12/29", "foreign", 3),
        ("1401/06/31", "foreign", 4),
    ):
        exhibition = fair(expert, on=on, reach=reach, country="TR" if reach == "foreign" else "")
        for _ in range(times):
            support(expert, unit, exhibition)
    for on in ("1400/01/01", "1400/12/29", "1401/03/01", "1401/07/01"):
        service(expert, [unit], on=on)
    manager = people["yazd-manager"]
    scope, described = resolve_scope(manager, province="yazd")
    report = build_report(
        manager, scope=scope, scope_description=described, period=JalaliPeriod.parse(period)
    )
    client.force_login(people["yazd-manager"])
    for key in ("exhibitions.supports", "exhibitions.supports_total",
                "exhibitions.foreign_supports", "services.count"):  # fmt: skip
        figure = report["metrics"][key]
        listed = client.get(figure["records_url"]).context["page"].paginator.count
        assert listed == figure["value"] > 0, (key, figure["records_url"])


def test_the_services_list_takes_dates_typed_in_jalali_or_given_by_a_link_in_iso(people, client):
    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert)
    early, late = service(expert, [unit], on="1400/05/01"), service(expert, [unit], on="1400/09/01")
    client.force_login(expert)
    for bounds in (
        {"on_from": "1400/06/01"},
        {"on_from": "۱۴۰۰/۰۶/۰۱"},
        {"on_from": "2021-08-23"},
    ):  # fmt: skip  (1400/06/01 = 2021-08-23)
        listed = client.get("/support/services/", bounds)
        assert listed.status_code == 200
        shown = {row.pk for row in listed.context["page"].object_list}
        assert shown == {late.pk}, bounds
    shown = client.get("/support/services/", {"on_to": "2021-07-23"}).context["page"].object_list
    assert {row.pk for row in shown} == {early.pk}  # 2021-07-23 = 1400/05/01


def test_searches_fold_spellings_on_both_sides(people, client):
    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert)
    shown = fair(expert, name="نمایشگاه فرآوری پستهٔ یزد")  # stored «پستۀ», with «آ»
    held = support(expert, unit, shown)
    record = service(expert, [unit], provider="مشاوران فرآوری", description="خانهٔ صنعت")
    client.force_login(expert)
    for typed in ("فراوری پسته", "فرآوری پستهٔ", "پستۀ یزد"):
        listed = client.get("/support/exhibitions/", {"q": typed}).context["page"].object_list
        assert [e.pk for e in listed] == [shown.pk], typed
        listed = client.get("/support/exhibition-supports/", {"q": typed})
        assert [s.pk for s in listed.context["page"].object_list] == [held.pk], typed
    for typed in ("فراوری", "خانه صنعت"):
        listed = client.get("/support/services/", {"q": typed}).context["page"].object_list
        assert [r.pk for r in listed] == [record.pk], typed
    assert not client.get("/support/services/", {"q": "پسته"}).context["page"].object_list
