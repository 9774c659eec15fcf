import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from shahrak.core.text import to_ascii_digits
from shahrak.reports.press import quantify
from tests.harness import demo_for_module

SCALE = {"هزار میلیارد": 10**12, "میلیارد": 10**9, "میلیون": 10**6}


def number_in(text: str) -> Decimal:
    digits = to_ascii_digits(text).replace("٬", "").replace("٫", ".")
    number = Decimal(re.search(r"\d+(\.\d+)?", digits)[0])
    for word, factor in SCALE.items():
        if word in text:
            return number * factor
    return number


@given(st.integers(min_value=0, max_value=10**13), st.booleans())
def test_quantifiers_never_overstate(value, scale):
    text = quantify(value, scale=scale)
    stated = number_in(text)
    if text.startswith("بیش از"):
        assert value > stated
    elif text.startswith("قریب"):
        assert stated * Decimal("0.95") <= value < stated
    else:
        assert value == stated


@pytest.mark.parametrize(
    ("value", "text"),
    [(570, "۵۷۰"), (571, "بیش از ۵۷۰"), (58, "قریب ۶۰"), (61, "بیش از ۶۰"), (13, "۱۳"),
     (1500, "۱٬۵۰۰"), (93.7, "بیش از ۹۰")],
)  # fmt: skip
def test_reporter_quantifiers(value, text):
    assert quantify(value) == text


def test_money_with_scale_words():
    assert quantify(70_400_003, unit_word="دلار", scale=True) == "بیش از ۷۰ میلیون دلار"
    assert quantify(95 * 10**9, unit_word="تومان", scale=True) == "۹۵ میلیارد تومان"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks", "units", "revival"})


@pytest.mark.django_db
def test_bushehr_1400_reads_like_the_report(demo, capsys):
    call_command("press", "--province", "bushehr", "--period", "1400")
    text = capsys.readouterr().out
    assert "استان بوشهر" in text and "واحد تولیدی به بهره‌برداری رسیده است" in text
    assert "بیش از ۷۰ میلیون دلار" in text
    assert "بیش از ۹۰ درصد صنایع کوچک و متوسط" in text
    for country in ("روسیه", "اوکراین", "چین", "هند", "خلیج فارس"):
        assert country in text
    assert re.search(r"[0-9]", text) is None  # Persian digits only


@pytest.mark.django_db
def test_press_page_links_figures_to_records(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="bushehr-manager"))
    page = client.get("/reports/press/", {"province": "bushehr", "period": "1400"})
    assert page.status_code == 200
    assert '<a href="/units/?province=bushehr&amp;operational_on=2022-03-20">' in page.text
    assert client.get("/reports/press/", {"province": "yazd", "period": "1400"}).status_code == 404


@pytest.mark.django_db
def test_yazd_revival_reads_like_the_second_report(demo, capsys):
    """«از ابتدای سال گذشته ۱۷۷ واحد صنعتی غیرفعال … شناسایی شد … قریب ۶۰ واحد … دوباره راه
    اندازی شده‌اند … که ۱۳ مورد این واحدها در شش ماه امسال»: the same figures, from the cases."""
    call_command("press", "--province", "yazd", "--period", "1400-01-01..1401-06-31")
    text = capsys.readouterr().out
    sentence = next(s for s in text.split(". ") if "غیرفعال در استان یزد شناسایی شد" in s)
    assert sentence.startswith("از ۱۴۰۰/۰۱/۰۱ تا ۱۴۰۱/۰۶/۳۱، ۱۷۷ واحد صنعتی غیرفعال")
    assert "قریب ۶۰ واحد صنعتی دوباره راه‌اندازی شده" in sentence
    assert "که ۱۳ مورد آن از ابتدای سال ۱۴۰۱ تا ۱۴۰۱/۰۶/۳۱ بوده است" in sentence
    # The first half alone: its own figures, without a clause on a part of it.
    call_command("press", "--province", "yazd", "--period", "1401-H1")
    half = capsys.readouterr().out
    assert "۱۳ واحد صنعتی دوباره راه‌اندازی شده و به چرخهٔ تولید بازگشته‌اند." in half


def test_no_default_wording_sets_two_figures_side_by_side():
    """«در شش ماهه نخست ۱۴۰۴ ۳٫۵ میلیارد تومان» reads as one number: between two placeholders
    a default wording puts a word or a mark, never only a space."""
    from shahrak.reports.press import SENTENCES

    for sentence in SENTENCES:
        assert re.search(r"\}\s*\{", sentence.default) is None, sentence.key


def _report(username, period, province=None):
    from django.contrib.auth import get_user_model

    from shahrak.reports.services import build_report, parse_period, resolve_scope

    user = get_user_model().objects.get(username=username)
    scope, described = resolve_scope(user, province=province)
    return build_report(user, scope=scope, scope_description=described,
                        period=parse_period(period))  # fmt: skip


@pytest.mark.django_db
def test_a_clause_with_nothing_to_report_is_left_out(demo):
    """Units were restarted before the period but none within it: the paragraph says how many
    since the start and leaves out the clause that would say «۰ واحد … در سال …»."""
    from shahrak.reports.press import paragraph

    periods = [f"{year}-{month:02d}" for year in range(1396, 1405) for month in range(1, 13)]
    for period in [str(year) for year in range(1396, 1405)] + periods:
        report = _report("admin", period)
        restarted = report["metrics"]["units.restarted"]
        if restarted["value"] == 0 and restarted["cumulative"]:
            break
    else:
        pytest.fail("the demo has no period without restarted units after some were restarted")
    text = paragraph(report)
    assert "دوباره راه‌اندازی شده" in text  # the sentence is there, with the total
    assert "از آن‌ها در" not in text
    sentence = next(part for part in text.split(". ") if "دوباره راه‌اندازی شده" in part)
    assert re.search(r"(?<![۰-۹٬٫/])۰(?![۰-۹٬٫/])", sentence) is None  # no figure reads zero


@pytest.mark.django_db
def test_every_figure_of_the_press_page_links_to_its_records(demo, client):
    """Units, parks, SME share, exports, restarted units (in the period and since the start),
    spending: each figure is a link that opens a list; what is left unlinked holds no digit
    but the period's name, the date of «از آغاز تا …» and the change against last year."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="yazd-manager"))
    page = client.get("/reports/press/", {"province": "yazd", "period": "1400"})
    report = page.context["report"]
    html = str(page.context["paragraph"])
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    assert len(links) >= 7
    rest = re.sub(r"<a [^>]+>[^<]+</a>", "", html)
    rest = rest.replace(report["period"]["label"], "")
    rest = rest.replace(report["period"]["since_start"]["label"].removeprefix("از آغاز تا "), "")
    rest = re.sub(r"این رقم نسبت به دورهٔ مشابه سال قبل [۰-۹]+ درصد", "", rest)
    assert re.search(r"[۰-۹0-9]", rest) is None, rest
    for url, _text in links:
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url
