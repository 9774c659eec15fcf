"""The activity log and records' histories read as a person would read them: every record
named by a label, Latin names with their own digits, one entry for a new unit, no internal
flags."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from auditlog.registry import auditlog
from django.utils import translation

from shahrak.accounts import services as accounts_services
from shahrak.accounts.choices import Role
from shahrak.accounts.models import AuditEntry, User
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.parks.choices import PlotStatus
from shahrak.parks.models import InfrastructureProject, ParkSection, Plot, PlotEvent, ProgressReport
from shahrak.places.models import Province
from shahrak.units import services as unit_services
from shahrak.units.choices import UnitStatus
from shahrak.units.models import Unit, UnitStatusEvent
from tests.harness import SAMPLES, sample_park

pytestmark = pytest.mark.django_db

DJANGO_DEFAULT = re.compile(r"\w+ object \(\d+\)")


def new_unit(actor, **extra):
    park = sample_park("bushehr")
    return unit_services.unit_create(
        actor=actor, county=park.county, park=park, name="خرمای نمونه", isic_code="1030",
        products="خرما", sector="food_dates", employees=12, **extra,
    )  # fmt: skip


def history_section(page) -> str:
    text = page.content.decode()
    return text[text.index('id="history"') :]


def test_every_audited_model_names_its_records(people):
    with translation.override("fa"):
        for make in SAMPLES.values():
            make("bushehr")
        park = sample_park("bushehr")
        ParkSection.objects.create(park=park, name="توسعه", area_ha=Decimal(10))
        project = InfrastructureProject.objects.get(park=park)
        ProgressReport.objects.create(project=project, on=jd("1400/12/29"), progress_pct=70)
        new_unit(
            people["bushehr-expert"], status=UnitStatus.OPERATIONAL, status_on=jd("1400/02/01")
        )
        for model in auditlog.get_models():
            record = model._base_manager.first()
            assert record is not None, f"no {model.__name__} was made: add one to this test"
            assert not DJANGO_DEFAULT.fullmatch(str(record)), model.__name__
        for entry in AuditEntry.objects.all():
            assert not DJANGO_DEFAULT.fullmatch(entry.object_repr), entry.object_repr


def test_labels_say_what_the_record_is(people):
    unit = new_unit(
        people["bushehr-expert"], status=UnitStatus.OPERATIONAL, status_on=jd("1400/02/01")
    )
    park = sample_park("bushehr")
    plot = Plot.objects.create(park=park, number="12", area_m2=Decimal(2000), use="industrial")
    project = InfrastructureProject.objects.create(
        park=park, title="ایستگاه پمپاژ", kind="water_network"
    )
    with translation.override("fa"):
        event = UnitStatusEvent.objects.get(unit=unit)
        assert str(event) == f"خرمای نمونه — وضعیت «{UnitStatus.OPERATIONAL.label}» از 1400/02/01"
        report = ProgressReport(project=project, on=jd("1400/12/29"), progress_pct=Decimal("70.00"))
        assert str(report) == "ایستگاه پمپاژ — پیشرفت 70٪ در 1400/12/29"
        plot_event = PlotEvent(plot=plot, status=PlotStatus.READY, on=jd("1399/01/05"))
        assert str(plot_event) == f"{plot} — «{PlotStatus.READY.label}» از 1399/01/05"
        export = unit_services.export_add(actor=people["bushehr-expert"], unit=unit,
                                          on=jd("1400/12/20"), destination="RU", product="خرما",
                                          value_usd=Decimal(100))  # fmt: skip
        assert str(export) == "خرمای نمونه — صادرات به روسیه در 1400/12/20"


def test_activity_log_names_records_and_shows_their_dates_in_persian(client, people):
    unit = new_unit(
        people["bushehr-expert"], status=UnitStatus.OPERATIONAL, status_on=jd("1400/02/01")
    )
    event = UnitStatusEvent.objects.get(unit=unit)
    # An entry written before status changes had a label of their own.
    old = AuditEntry.objects.get_for_object(event).get()
    AuditEntry.objects.filter(pk=old.pk).update(object_repr=f"UnitStatusEvent object ({event.pk})")
    client.force_login(people["bushehr-manager"])
    page = client.get("/accounts/activity/").content.decode()
    assert "object (" not in page
    label = "خرمای نمونه — وضعیت «در حال بهره‌برداری» از ۱۴۰۰/۰۲/۰۱"
    assert label in page


def test_latin_names_keep_their_digits(client, people):
    accounts_services.user_invite(
        actor=people["bushehr-manager"], username="bushehr-rep2", first_name="", last_name="",
        mobile="", email="rep2@example.com", role=Role.EXPERT,
        province=Province.objects.get(code="bushehr"),
    )  # fmt: skip
    client.force_login(people["bushehr-manager"])
    person = User.objects.get(username="bushehr-rep2")
    history = history_section(client.get(f"/accounts/users/{person.pk}/"))
    assert "bushehr-rep2" in history and "rep2@example.com" in history
    activity = client.get("/accounts/activity/").content.decode()
    assert "bushehr-rep2 — " in activity
    for shown in (history, activity):
        assert "rep۲" not in shown


def test_a_new_unit_has_one_creation_entry_with_its_status(client, people):
    unit = new_unit(
        people["bushehr-expert"], status=UnitStatus.OPERATIONAL, status_on=jd("1400/02/01")
    )
    entries = list(AuditEntry.objects.get_for_object(unit))
    assert [entry.action for entry in entries] == [AuditEntry.Action.CREATE]
    assert entries[0].changes["status"] == [None, UnitStatus.OPERATIONAL]
    assert entries[0].changes["status_since"] == [None, "2021-04-21"]  # 1400/02/01
    client.force_login(people["bushehr-manager"])
    history = history_section(client.get(f"/units/{unit.pk}/"))
    assert str(UnitStatus.OPERATIONAL.label) in history
    with translation.override("fa"):  # fields left empty are not listed as changed
        empty = str(Unit._meta.get_field("registration_number").verbose_name)
    assert empty not in history
    assert "۱۴۰۰/۰۲/۰۱" in history
    # The timeline is kept as before.
    assert list(unit.events.values_list("status", "on")) == [("operational", dt.date(2021, 4, 21))]
    assert list(unit.intervals.values_list("status", "valid_from")) == [
        ("operational", dt.date(2021, 4, 21))
    ]


def test_the_demo_flag_stays_out_of_histories(client, people):
    unit = Unit.objects.create(name="نمایشی", county=sample_park("bushehr").county,
                               isic_code="1030", products="خرما", sector="food_dates",
                               is_demo=True)  # fmt: skip
    entry = AuditEntry.objects.get_for_object(unit).get()
    assert "is_demo" not in entry.changes
    # An entry written while the flag was still recorded does not show it either.
    entry.changes["is_demo"] = [None, "True"]
    entry.save()
    client.force_login(people["bushehr-manager"])
    with translation.override("fa"):
        demo_label = str(Unit._meta.get_field("is_demo").verbose_name)
        name_label = str(Unit._meta.get_field("name").verbose_name)
    history = history_section(client.get(f"/units/{unit.pk}/"))
    assert name_label in history  # the entry is shown
    assert demo_label not in history


def test_an_invalid_filter_lists_nothing_and_is_marked_beside_its_field(client, people):
    """«تا تاریخ» 1405/14/01 is no date: the log lists nothing (not the whole log as if it
    were the answer) and the error stands beside the field; the unit list does the same."""
    new_unit(people["bushehr-expert"])
    client.force_login(people["bushehr-manager"])
    whole = client.get("/accounts/activity/")
    assert len(whole.context["page"]) > 0
    for url, query, said in [("/accounts/activity/", {"until": "1405/14/01"}, "۱۴"),
                             ("/units/", {"status": "nonsense"}, "nonsense")]:  # fmt: skip
        response = client.get(url, query)
        assert len(response.context["page"]) == 0, url
        page = response.content.decode()
        label = re.search(r'<label class="has-error">(.*?)</label>', page, re.S)
        assert label and said in label.group(1) and 'class="field-error"' in label.group(1), url
        assert "پالایش به کار نرفت" in page, url
    # A valid filter is applied as before.
    today = client.get("/accounts/activity/", {"until": "1500/01/01"})
    assert len(today.context["page"]) == len(whole.context["page"])


def test_ip_addresses_are_isolated_left_to_right(client, people):
    unit = new_unit(people["bushehr-expert"])
    AuditEntry.objects.get_for_object(unit).update(remote_addr="192.0.2.17")
    client.force_login(people["bushehr-manager"])
    for url in (unit.get_absolute_url(), "/accounts/activity/"):
        page = client.get(url).content.decode()
        assert '<bdi dir="ltr">192.0.2.17</bdi>' in page, url


def test_the_email_is_called_by_one_word_on_the_form_and_in_the_history(client, people):
    """The invite form said «رایانامه», the history of the same field «آدرس ایمیل»."""
    from shahrak.accounts.forms import InviteForm

    accounts_services.user_invite(
        actor=people["bushehr-manager"], username="bushehr-rep3", first_name="", last_name="",
        mobile="", email="rep3@example.com", role=Role.EXPERT,
        province=Province.objects.get(code="bushehr"),
    )  # fmt: skip
    client.force_login(people["bushehr-manager"])
    person = User.objects.get(username="bushehr-rep3")
    history = history_section(client.get(f"/accounts/users/{person.pk}/"))
    with translation.override("fa"):
        word = str(InviteForm.base_fields["email"].label)
    assert word in history and "آدرس ایمیل" not in history
