"""The support figures of a report (support/metrics.py), computed from records made here
through the services, and the lists their links open: each lists exactly what it counts."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from shahrak.core.jalali import JalaliPeriod
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.core.metrics import Scope
from shahrak.places.models import Province
from shahrak.reports.registry import metrics
from shahrak.support import services
from shahrak.support.models import Application, Payment

from .helpers import MILLION, bushehr, executed, make_budget, make_program, make_unit

pytestmark = pytest.mark.django_db

YEAR = JalaliPeriod.parse("1400")
END = jd("1400/12/29")


def _value(user, key, period=YEAR, province="bushehr"):
    code = Province.objects.get(code=province)
    scope = Scope(province=code.pk, province_code=code.code)
    return metrics()[key].value(user, scope, period)


def _records(user, key, period=YEAR):
    code = bushehr()
    scope = Scope(province=code.pk, province_code=code.code)
    return metrics()[key].records(scope, period)


@pytest.fixture
def catalogue(people):
    manager, admin = people["bushehr-manager"], people["admin"]
    yazd = Province.objects.get(code="yazd")
    made = {
        "greenhouse": make_program(manager),  # market 30–60, open from 1399
        "machines": make_program(manager, title="نوسازی ماشین‌آلات", family="industrial",
                                 flagship=True, rate_min_pct=Decimal(40),
                                 rate_max_pct=Decimal(70), opens_on=jd("1400/07/01")),
        "closed": make_program(manager, title="کلینیک ۱۳۹۹", family="technology",
                               rate_min_pct=Decimal(35), rate_max_pct=Decimal(35),
                               closes_on=jd("1399/12/29")),
        "later": make_program(manager, title="برنامهٔ ۱۴۰۱", family="financial",
                              opens_on=jd("1401/01/01")),
    }  # fmt: skip
    national = dict(family="entrepreneurship", rate_min_pct=Decimal(50),
                    rate_max_pct=Decimal(50), cap_per_unit_rial=10**10,
                    opens_on=jd("1400/01/01"))  # fmt: skip
    made["everywhere"] = services.program_create(actor=admin, title="ملی", **national)
    made["yazd_only"] = services.program_create(
        actor=admin, title="ملی یزد", eligible_provinces=[yazd], **national
    )
    return made


def _open_in_bushehr_at_end(programs) -> list:
    """The programs a Bushehr report counts at the end of 1400, decided here from their
    fields: Bushehr's own or national ones offered there, open on 1400/12/29."""
    bushehr_pk = bushehr().pk
    found = []
    for program in programs:
        offered = set(program.eligible_provinces.values_list("pk", flat=True))
        here = program.province_id == bushehr_pk or (
            program.province_id is None and (not offered or bushehr_pk in offered)
        )
        open_ = program.opens_on <= END and (program.closes_on is None or program.closes_on >= END)
        if here and open_:
            found.append(program)
    return found


def _titles(response) -> set[str]:
    body = response.content.decode()
    return set(re.findall(r'<a href="/support/programs/\d+/"><bdi>([^<]*)<', body))


def test_programs_open_flagship_by_family_and_rates(client, people, catalogue):
    hq = people["hq"]
    expected = _open_in_bushehr_at_end(catalogue.values())
    assert _value(hq, "programs.active") == len(expected) == 3
    assert _value(hq, "programs.flagship") == sum(p.flagship for p in expected)
    families = {}
    for program in expected:
        families[program.family] = families.get(program.family, 0) + 1
    assert _value(hq, "programs.by_family") == families
    assert _value(hq, "programs.rate_min_pct") == min(p.rate_min_pct for p in expected)
    assert _value(hq, "programs.rate_max_pct") == max(p.rate_max_pct for p in expected)
    # The link lists exactly those programs.
    client.force_login(hq)
    listed = _titles(client.get(_records(hq, "programs.active")))
    assert listed == {p.title for p in expected}
    flagship = _titles(client.get(_records(hq, "programs.flagship")))
    assert flagship == {p.title for p in expected if p.flagship}


@pytest.fixture
def applications(people, catalogue):
    """Two approvals in 1400 (one executed and paid in two stages, one in each year), one in
    1401, a submitted one and a draft."""
    manager, expert, rep = (
        people["bushehr-manager"],
        people["bushehr-expert"],
        people["bushehr-unit"],
    )
    program = catalogue["greenhouse"]
    program.required_documents = []
    program.save()
    make_budget(manager, program, 10_000 * MILLION, year=1400)
    make_budget(manager, program, 10_000 * MILLION, year=1401)
    units = [make_unit(expert, rep) for _ in range(4)]
    paid = executed(rep, expert, manager, units[0], program, 1_000 * MILLION, 50,
                    800 * MILLION)  # fmt: skip
    services.application_pay(actor=manager, application=paid, amount_rial=100 * MILLION,
                             on=jd("1400/10/01"))  # fmt: skip
    services.application_pay(actor=manager, application=paid, amount_rial=50 * MILLION,
                             on=jd("1401/01/15"))  # fmt: skip
    from .helpers import approved, draft, submitted

    approved(rep, expert, manager, units[1], program, 600 * MILLION, 40, on="1400/11/11")
    approved(rep, expert, manager, units[2], program, 900 * MILLION, 60, on="1401/02/02")
    submitted(rep, units[3], program)
    draft(rep, units[3], program)
    return {"rates_1400": [Decimal(50), Decimal(40)]}


def test_applications_and_subsidy(client, people, applications):
    hq = people["hq"]
    in_1400 = Application.objects.filter(approved_on__range=(YEAR.start, YEAR.end))
    assert _value(hq, "applications.approved") == in_1400.count() == 2
    assert _value(hq, "subsidy.committed_rial") == sum(a.committed_rial for a in in_1400)
    assert _value(hq, "subsidy.mean_rate_pct") == sum(applications["rates_1400"]) / 2
    paid_1400 = Payment.objects.filter(on__range=(YEAR.start, YEAR.end))
    assert _value(hq, "subsidy.paid_rial") == sum(p.amount_rial for p in paid_1400)
    assert _value(hq, "subsidy.paid_rial") == 100 * MILLION
    # Submitted today: none in 1400; all four submissions in this year.
    assert _value(hq, "applications.submitted") == 0
    today = JalaliPeriod.year_to(timezone.localdate())
    assert _value(hq, "applications.submitted", today) == 4
    # The other province's report counts none of them.
    assert _value(hq, "applications.approved", province="yazd") == 0
    # The links list exactly those records.
    client.force_login(hq)
    body = client.get(_records(hq, "applications.approved")).content.decode()
    listed = set(re.findall(r'href="/support/applications/(\d+)/"', body))
    assert listed == {str(a.pk) for a in in_1400}
    body = client.get(_records(hq, "subsidy.paid_rial")).content.decode()
    assert set(re.findall(r'href="/support/applications/(\d+)/"', body)) == {
        str(p.application_id) for p in paid_1400
    }
    body = client.get(_records(hq, "applications.submitted", today)).content.decode()
    assert len(set(re.findall(r'href="/support/applications/(\d+)/"', body))) == 4


def test_a_province_manager_sees_only_their_provinces_applications(people, applications):
    yazd_manager = people["yazd-manager"]
    hq = people["hq"]
    assert _value(hq, "applications.approved") == 2
    everything = Scope()
    assert metrics()["applications.approved"].value(yazd_manager, everything, YEAR) == 0


def test_the_press_sentence_gives_the_programs_and_their_rates(people, catalogue):
    from shahrak.reports.press import paragraph
    from shahrak.reports.services import build_report, resolve_scope

    scope, described = resolve_scope(people["hq"], province="bushehr")
    report = build_report(people["hq"], scope=scope, scope_description=described, period=YEAR)
    text = paragraph(report)
    expected = _open_in_bushehr_at_end(catalogue.values())
    low = min(p.rate_min_pct for p in expected)
    high = max(p.rate_max_pct for p in expected)
    from shahrak.core.numbers import format_number

    assert f"{format_number(low)} تا {format_number(high)} درصد هزینه‌های" in text
    assert f"{format_number(len(expected))} برنامهٔ حمایتی" in text
