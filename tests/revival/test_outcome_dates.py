"""A case's `restarted_on` / `closed_on` repeat the date of the unit's event the case stands
on: the services are their only writers and keep them equal; the check that compares them
finds a case that was changed behind the services' back."""

import inspect

import pytest
from django import forms as django_forms

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.revival import forms, selectors, services
from shahrak.revival.api.serializers import RevivalCaseSerializer
from shahrak.revival.models import RevivalCase

from .factories import UnitFactory

pytestmark = pytest.mark.django_db

MARKET = [{"area": "market", "severity": "high", "text": "بازار از دست رفته"}]


def _diagnosed(expert, name):
    unit = UnitFactory(actor=expert, name=name)
    case = services.case_open(actor=expert, unit=unit, opened_on=jd("1400/03/01"),
                              identified_by="field_survey", reasons=["market"])  # fmt: skip
    services.case_diagnose(actor=expert, case=case, on=jd("1400/04/01"), diagnosed_by=expert,
                           findings=MARKET)  # fmt: skip
    return case


def test_the_services_keep_the_dates_equal_to_the_events(people):
    expert = people["yazd-expert"]
    restarted = services.case_restart(
        actor=expert, case=_diagnosed(expert, "الف"), on=jd("1400/08/01")
    )
    closed = services.case_close(actor=expert, case=_diagnosed(expert, "ب"), on=jd("1400/09/01"))
    still_open = _diagnosed(expert, "پ")
    restarted.refresh_from_db()
    closed.refresh_from_db()
    assert restarted.restarted_on == restarted.outcome_event.on == jd("1400/08/01")
    assert restarted.outcome_event.status == "restarted" and restarted.closed_on is None
    assert closed.closed_on == closed.outcome_event.on == jd("1400/09/01")
    assert closed.outcome_event.status == "closed" and closed.restarted_on is None
    assert still_open.outcome_event is None
    assert not selectors.outcome_disagreements().exists()


def test_the_check_finds_a_date_changed_behind_the_services_back(people):
    expert = people["yazd-expert"]
    case = services.case_restart(actor=expert, case=_diagnosed(expert, "ت"), on=jd("1400/08/01"))
    other = services.case_close(actor=expert, case=_diagnosed(expert, "ث"), on=jd("1400/08/01"))
    RevivalCase.objects.filter(pk=case.pk).update(restarted_on=jd("1400/08/02"))
    assert list(selectors.outcome_disagreements()) == [case]
    RevivalCase.objects.filter(pk=case.pk).update(restarted_on=jd("1400/08/01"))
    RevivalCase.objects.filter(pk=other.pk).update(outcome_event=case.outcome_event)
    assert list(selectors.outcome_disagreements()) == [other]  # a restart event, not closed


def test_no_form_or_serializer_writes_the_dates():
    for name in ("restarted_on", "closed_on", "outcome_event"):
        assert RevivalCase._meta.get_field(name).editable is False
        field = RevivalCaseSerializer().fields.get(name)
        assert field is None or field.read_only
    for _name, cls in inspect.getmembers(forms, inspect.isclass):
        if issubclass(cls, django_forms.BaseForm):
            assert not {"restarted_on", "closed_on", "outcome_event"} & set(cls.base_fields)
