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
    assert sentence.startswith("از ۱۴۰۰/۰۱/۰۱ تا ۱۴۰۱/۰۶/۳۱ ۱۷۷ واحد صنعتی غیرفعال")
    assert "قریب ۶۰ واحد صنعتی دوباره راه‌اندازی شده" in sentence
    assert "که ۱۳ مورد آن از ابتدای سال ۱۴۰۱ تا ۱۴۰۱/۰۶/۳۱ بوده است" in sentence
    # The first half alone: its own figures, without a clause on a part of it.
    call_command("press", "--province", "yazd", "--period", "1401-H1")
    half = capsys.readouterr().out
    assert "۱۳ واحد صنعتی دوباره راه‌اندازی شده و به چرخهٔ تولید بازگشته‌اند." in half
