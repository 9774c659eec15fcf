import datetime as dt

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_filters_in_persian():
    with translation.override("fa"):
        assert render("{{ n|num }}", n=1500) == "۱٬۵۰۰"
        assert render("{{ d|jdate }}", d=dt.date(2022, 9, 22)) == "۱۴۰۱/۰۶/۳۱"
        assert render("{{ r|toman }}", r=950_000_000_000) == "۹۵ میلیارد تومان"
        assert render("{{ t|fa_digits }}", t="سال 1401 نیمهٔ 1") == "سال ۱۴۰۱ نیمهٔ ۱"
        # Latin text (a user name, an email, a code) keeps its digits.
        assert render("{{ t|fa_digits }}", t="bushehr-rep2 از 1401") == "bushehr-rep2 از ۱۴۰۱"
        # Text in a cell is isolated from its neighbours.
        assert render("{{ t|cell }}", t="rep2@example.com") == "<bdi>rep2@example.com</bdi>"
        assert render("{{ r|million_toman }}", r=183_333_333_333) == "۱۸٬۳۳۳٫۳ میلیون تومان"


def test_filters_in_english_keep_ascii_digits():
    with translation.override("en"):
        assert render("{{ n|num }}", n=1500) == "1,500"
        assert render("{{ d|jdate }}", d=dt.date(2022, 9, 22)) == "1401/06/31"
        assert render("{{ r|toman }}", r=950_000_000_000) == "95 billion toman"


def test_jdatetime_uses_tehran_time():
    moment = dt.datetime(2022, 9, 22, 20, 0, tzinfo=dt.UTC)  # 23:30 in Tehran
    with translation.override("fa"):
        assert render("{{ m|jdatetime }}", m=moment) == "۱۴۰۱/۰۶/۳۱، ساعت ۲۳:۳۰"
    with translation.override("en"):
        assert render("{{ m|jdatetime }}", m=moment) == "1401/06/31 at 23:30"


def test_cells_show_the_decimals_a_value_has_at_most_two():
    from decimal import Decimal

    with translation.override("fa"):
        assert render("{{ v|cell }}", v=Decimal("18333.3")) == "۱۸٬۳۳۳٫۳"
        assert render("{{ v|cell }}", v=Decimal("70.00")) == "۷۰"
        assert render("{{ v|cell }}", v=Decimal("12.345")) == "۱۲٫۳۵"
        assert render("{{ v|cell }}", v="DEMO-12 / 3") == "<bdi>DEMO-12 / ۳</bdi>"


def test_page_titles_read_with_persian_digits():
    from django.template.loader import get_template

    page = Template('{% extends "base.html" %}{% block title %}{{ name }}{% endblock %}')
    with translation.override("fa"):
        html = page.render(Context({"name": "شهرک صنعتی بوشهر 1", "today": dt.date(2022, 9, 22)}))
    assert "<title>شهرک صنعتی بوشهر ۱ · " in html
    assert get_template("base.html")  # the shell itself renders


def test_user_text_filters_isolate_it_escape_it_and_drop_its_direction_controls():
    with translation.override("fa"):
        assert render("{{ t|bdi }}", t="a\u202e<b>") == "<bdi>a&lt;b&gt;</bdi>"
        assert render("{{ t|isolate }}", t="a\u202e<b>") == "\u2068a&lt;b&gt;\u2069"
        assert render("{{ t|bdi }}", t="") == "" and render("{{ t|isolate }}", t=None) == ""
