"""applications.submitted is counted two ways (support/metrics.py): for a narrower scope one
distinct count, for the nation the submission steps less the repeats and archived ones. Random
runs of submissions, returns, resubmissions and archivings, on random days and near midnight,
give the figures the definition gives: the applications with a submission step on a day of
the period (Tehran's), each once, archived ones left out."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shahrak.core.jalali import JalaliPeriod
from shahrak.core.metrics import Scope
from shahrak.reports.registry import metrics
from shahrak.support import services
from shahrak.support.metrics import _visible_applications, submitted_within
from shahrak.support.models import Application, ApplicationStep

from .helpers import bushehr, draft, make_budget, make_program, make_unit

PERIODS = [
    JalaliPeriod.parse("1400"),
    JalaliPeriod.parse("1401"),
    JalaliPeriod.parse("1400-07"),
    JalaliPeriod((1399, 1, 1), JalaliPeriod.parse("1401").last, "range"),
]
FIRST_DAY = JalaliPeriod.parse("1399").end  # the last day of 1399: some fall before 1400
DAYS = (JalaliPeriod.parse("1401").end - FIRST_DAY).days
# (application, what, day, minute of the day): what happens to one of four applications.
ACTS = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.sampled_from(["submit", "submit", "return", "archive"]),
        st.integers(0, DAYS),
        st.sampled_from([0, 1, 12 * 60, 24 * 60 - 1]),
    ),
    min_size=1,
    max_size=14,
)


def _expected(applications, period, province=None):
    """The definition, counted in Python on the steps' Tehran days."""
    counted = set()
    for step in ApplicationStep.objects.filter(status="submitted", application__in=applications):
        application = step.application
        if application.archived_at is not None:
            continue
        if province is not None and application.unit.county.province_id != province:
            continue
        if period.start <= timezone.localtime(step.at).date() <= period.end:
            counted.add(application.pk)
    return len(counted)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(acts=ACTS)
def test_the_submissions_counted_are_the_applications_submitted_within_the_period(people, acts):
    manager, expert, rep, hq = (
        people["bushehr-manager"], people["bushehr-expert"], people["bushehr-unit"],
        people["hq"],
    )  # fmt: skip
    with transaction.atomic():
        program = make_program(manager, required_documents=[])
        make_budget(manager, program, 10**12)
        units = [make_unit(expert, rep) for _ in range(2)]
        made = [draft(rep, units[i % 2], program) for i in range(4)]
        zone = timezone.get_current_timezone()
        for which, what, day, minute in acts:
            application = Application.objects.get(pk=made[which].pk)
            if application.archived_at is not None:
                continue
            if what == "submit" and application.status in ("draft", "returned"):
                services.application_submit(actor=rep, application=application)
                moment = dt.datetime.combine(
                    FIRST_DAY + dt.timedelta(days=day), dt.time(), zone
                ) + dt.timedelta(minutes=minute)
                step = application.steps.filter(status="submitted").latest("pk")
                ApplicationStep.objects.filter(pk=step.pk).update(at=moment)
            elif what == "return" and application.status == "submitted":
                services.application_return(actor=expert, application=application, reason="—")
            elif what == "archive":
                Application.objects.filter(pk=application.pk).update(archived_at=timezone.now())
        metric = metrics()["applications.submitted"]
        province = bushehr()
        # The nation for headquarters: the count less the repeats (nothing narrows it).
        assert _visible_applications(hq, Scope()) is None
        nation = metric.values(hq, Scope(), PERIODS)
        # The province for its manager: the distinct count.
        in_province = Scope(province=province.pk, province_code=province.code)
        assert _visible_applications(manager, in_province) is not None
        provincial = metric.values(manager, in_province, PERIODS)
        for period, national, here in zip(PERIODS, nation, provincial, strict=True):
            expected = _expected(made, period)
            assert national == expected
            assert here == _expected(made, period, province.pk) == expected
            # …and the list the figure links to lists as many.
            listed = Application.objects.filter(
                submitted_within(period.start, period.end), archived_at__isnull=True
            )
            assert listed.count() == expected
        transaction.set_rollback(True)
