"""Who reaches which support records, as the role table of tests/harness.py (restated by hand
from docs/access.md) says: every scoped support model, every person, every action."""

import pytest

from shahrak.accounts.choices import Action
from shahrak.support.models import (
    Application,
    ApplicationDocument,
    ApplicationStep,
    Payment,
    Program,
    ProgramBudget,
)
from tests.harness import PEOPLE, PROVINCES, SAMPLES, may

pytestmark = pytest.mark.django_db
MODELS = [Program, ProgramBudget, Application, ApplicationStep, ApplicationDocument, Payment]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("action", [Action.VIEW, Action.CHANGE, Action.APPROVE])
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


def test_a_national_program_is_read_by_everyone_and_changed_by_administrators(people):
    national = Program.objects.create(
        title="ملی", family="market", rate_min_pct=30, rate_max_pct=70, cap_per_unit_rial=0,
        opens_on="2021-03-21",
    )  # fmt: skip
    for username in ("nobody", "bushehr-unit", "yazd-expert", "hq"):
        assert Program.objects.restrict(people[username]).filter(pk=national.pk).exists()
    changers = {
        username
        for username in PEOPLE
        if Program.objects.restrict(people[username], Action.CHANGE).filter(pk=national.pk)
    }
    assert changers == {"admin"}
