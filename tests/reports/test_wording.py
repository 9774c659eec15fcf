"""A manager words the press sentences of their province; figures still come from the records."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from shahrak.accounts.models import AuditEntry
from shahrak.core.errors import DomainError, NotAllowed, StaleEditError
from shahrak.places.models import Province
from shahrak.reports.models import PressSentence
from shahrak.reports.press import SENTENCES
from shahrak.reports.services import press_sentence_restore_default, press_sentence_save
from tests.harness import demo_for_module
from tests.reports.figures import (
    YEAR_1400,
    parks_hosting,
    persian,
    quantified_count,
    units_in_operation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks", "units"})


def user(username):
    return get_user_model().objects.get(username=username)


def bushehr():
    return Province.objects.get(code="bushehr")


def press(capsys, province="bushehr", period="1400"):
    call_command("press", "--province", province, "--period", period)
    return capsys.readouterr().out


def test_a_province_wording_replaces_the_default_there_only(demo, capsys):
    wording = "بنا بر سوابق، {units} در {where} فعال است که در {parks} شهرک جای دارند."
    press_sentence_save(actor=user("bushehr-manager"), key="units", province=bushehr(),
                        text=wording)  # fmt: skip
    text = press(capsys)
    operating = units_in_operation("bushehr", YEAR_1400[1])
    units, parks = quantified_count(len(operating)), persian(parks_hosting(operating))
    assert f"بنا بر سوابق، {units} واحد تولیدی در استان بوشهر فعال است که در {parks} شهرک" in text
    assert "بنا بر سوابق" not in press(capsys, "yazd")


def test_a_national_wording_applies_where_a_province_has_none(demo, capsys):
    press_sentence_save(actor=user("admin"), key="sme_share", province=None,
                        text="{share} از صنایع کوچک و متوسط {where} در شهرک‌ها هستند.")  # fmt: skip
    assert "بیش از ۹۰ درصد از صنایع کوچک و متوسط استان بوشهر در شهرک‌ها هستند." in press(capsys)
    press_sentence_save(actor=user("bushehr-manager"), key="sme_share", province=bushehr(),
                        text="", omitted=True)  # fmt: skip
    assert "صنایع کوچک و متوسط" not in press(capsys)
    press_sentence_restore_default(actor=user("bushehr-manager"), key="sme_share",
                                   province=bushehr())  # fmt: skip
    assert "از صنایع کوچک و متوسط استان بوشهر در شهرک‌ها هستند" in press(capsys)
    archived = PressSentence.objects.filter(key="sme_share", province=bushehr())
    assert archived.count() == 1 and archived.get().archived_at is not None  # kept, not deleted


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{units} در {country} فعال است.", "«{country}» در این جمله شناخته نیست"),
        ("بیش از ۵۰۰ واحد در {where} فعال است.", "رقمی در متن ننویسید"),
        ("در {where} واحدها فعال‌اند.", "بدون «{units}»"),
        ("{units در {where}", "جفت نیستند"),
        ("{units!r} در {where}", "جای‌نشان درستی نیست"),
        ("{units:>9} در {where}", "جای‌نشان درستی نیست"),
    ],
)
def test_a_wording_that_could_misstate_is_refused(demo, text, message):
    with pytest.raises(DomainError) as refused:
        press_sentence_save(actor=user("bushehr-manager"), key="units", province=bushehr(),
                            text=text)  # fmt: skip
    assert message in str(refused.value.message)
    assert refused.value.code == "invalid_template" and refused.value.field == "text"
    assert not PressSentence.objects.exists()


@pytest.mark.parametrize("username", ["bushehr-expert", "yazd-manager", "hq", "auditor"])
def test_only_the_province_manager_may_word_its_sentences(demo, username):
    with pytest.raises(NotAllowed):
        press_sentence_save(actor=user(username), key="units", province=bushehr(),
                            text="{units} در {where}.")  # fmt: skip


def test_a_manager_may_not_word_the_whole_country(demo):
    with pytest.raises(NotAllowed):
        press_sentence_save(actor=user("bushehr-manager"), key="units", province=None,
                            text="{units} در {where}.")  # fmt: skip


def test_two_editors_do_not_overwrite_each_other(demo):
    first = press_sentence_save(actor=user("bushehr-manager"), key="units", province=bushehr(),
                                text="{units} در {where}.")  # fmt: skip
    press_sentence_save(actor=user("bushehr-manager"), key="units", province=bushehr(),
                        text="{units} در {where} فعال‌اند.",
                        expected_version=first.version)  # fmt: skip
    with pytest.raises(StaleEditError):  # opened at the first version: refused
        press_sentence_save(actor=user("bushehr-manager"), key="units", province=bushehr(),
                            text="{units} اینجا.", expected_version=first.version)  # fmt: skip
    with pytest.raises(StaleEditError):  # opened the default while a wording was saved
        press_sentence_save(actor=user("bushehr-manager"), key="units", province=bushehr(),
                            text="{units} آنجا.", expected_version=None)  # fmt: skip
    assert PressSentence.objects.get().text == "{units} در {where} فعال‌اند."


def test_every_default_wording_passes_its_own_check():
    from shahrak.reports.press import check_template

    for sentence in SENTENCES:
        check_template(sentence, sentence.default)


def test_the_wording_pages(demo, client):
    client.force_login(user("bushehr-manager"))
    listing = client.get("/reports/press/sentences/")
    assert listing.status_code == 200 and listing.context["province"].code == "bushehr"
    assert [row["source"] for row in listing.context["rows"]] == ["پیش‌فرض"] * len(SENTENCES)
    edit = client.get("/reports/press/sentences/units/")
    assert edit.status_code == 200 and "{units}" in edit.context["form"].initial["text"]
    assert "<a href=" in str(edit.context["preview"]["html"])
    refused = client.post("/reports/press/sentences/units/", {"text": "۵۰ واحد در {where}"})
    assert refused.status_code == 200
    assert "رقمی در متن ننویسید" in refused.context["form"].errors["text"][0]
    saved = client.post(
        "/reports/press/sentences/units/", {"text": "<b>{units}</b> در {where} & اطراف."}
    )
    assert saved.status_code == 302
    entry = AuditEntry.objects.get_for_object(PressSentence.objects.get(key="units")).get()
    assert entry.actor.username == "bushehr-manager" and entry.province_id == bushehr().pk
    page = client.get("/reports/press/", {"province": "bushehr", "period": "1400"}).content.decode()
    assert "&lt;b&gt;" in page and "<b>" not in page  # a wording is text, never markup
    assert 'href="/reports/press/sentences/?province=bushehr"' in page  # the editor's link
    assert client.get("/reports/press/sentences/", {"province": "yazd"}).status_code == 404
    assert client.get("/reports/press/sentences/", {"province": "iran"}).status_code == 404
    restored = client.post("/reports/press/sentences/units/restore/")
    assert restored.status_code == 302 and not PressSentence.objects.active().exists()
    client.force_login(user("bushehr-expert"))
    assert client.get("/reports/press/sentences/").status_code == 403
    press_page = client.get("/reports/press/", {"province": "bushehr", "period": "1400"})
    assert "/reports/press/sentences/" not in press_page.content.decode()


def test_the_api_gives_the_paragraph_in_the_province_wording(demo, client):
    press_sentence_save(actor=user("bushehr-manager"), key="units", province=bushehr(),
                        text="بنا بر سوابق {units} در {where} فعال است.")  # fmt: skip
    client.force_login(user("bushehr-expert"))
    answer = client.get("/api/v1/reports/press/", {"province": "bushehr", "period": "1400"})
    body = answer.json()
    units = quantified_count(len(units_in_operation("bushehr", YEAR_1400[1])))
    assert body["sentences"][0].startswith(f"بنا بر سوابق {units} واحد تولیدی در استان بوشهر")
    assert body["paragraph"].startswith(body["sentences"][0])
    assert client.get("/api/v1/reports/press/", {"province": "yazd"}).status_code == 404


def test_a_province_wording_applies_where_the_scope_is_that_province_alone(demo, client, capsys):
    """A Bushehr manager who leaves the province at "everything I may see" sees Bushehr: the
    page, the API and the command use Bushehr's wording, as when Bushehr is asked by name."""
    wording = "بنا بر سوابق {units} در {where} فعال است."
    press_sentence_save(actor=user("bushehr-manager"), key="units", province=bushehr(),
                        text=wording)  # fmt: skip
    client.force_login(user("bushehr-manager"))
    page = client.get("/reports/press/", {"period": "1400"})
    assert page.context["report"]["scope"]["name_fa"] == "بوشهر"
    assert "بنا بر سوابق" in page.content.decode()
    api = client.get("/api/v1/reports/press/", {"period": "1400"}).json()
    assert api["sentences"][0].startswith("بنا بر سوابق")
    call_command("press", "--period", "1400", "--as", "bushehr-manager")
    assert capsys.readouterr().out.startswith("بنا بر سوابق")
    # Whoever sees more than Bushehr gets the default (the national wording) without a province.
    client.force_login(user("auditor"))
    assert "بنا بر سوابق" not in client.get("/reports/press/", {"period": "1400"}).content.decode()


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_editor_explains_each_placeholder_of_its_sentence(demo, client, language):
    """Beside the wording (inside its form), every placeholder the sentence may use, with what
    it stands for in the page's language."""
    import re

    from shahrak.reports.press import SENTENCE_KEYS, template_fields

    expected = {
        "fa": {"where": "نام استان", "period": "دورهٔ گزارش", "until": "تاریخ پایان دوره",
               "restarted_total": "از آغاز تا پایان دوره"},
        "en": {"where": "province or area", "period": "period of the report",
               "until": "last day of the period",
               "restarted_total": "from the start of the records"},
    }[language]  # fmt: skip
    client.force_login(user("bushehr-manager"))
    client.cookies["django_language"] = language
    page = client.get("/reports/press/sentences/restarted/").content.decode()
    start = page.index('<form method="post" class="form"')  # not the language switch's
    form = page[start : page.index("</form>", start)]
    legend = dict(re.findall(r"<dt[^>]*><code>\{(\w+)\}</code></dt><dd>([^<]+)</dd>", form))
    assert set(template_fields(SENTENCE_KEYS["restarted"].default)) <= set(legend)
    for name, words in expected.items():
        assert words in legend[name], (name, legend[name])
    if language == "en":
        assert not [m for m in legend.values() if re.search("[\u0600-\u06ff]", m)], legend
        last_year = re.search(r"The saved wording with the figures of ([^<]+)</h2>", page)[1]
        assert re.fullmatch(r"[A-Za-z ]*[0-9]{4}", last_year), last_year  # «1404», not «سال ۱۴۰۴»
