"""`shahrak import` says who imports: a person (`--as USER`), whose provinces bound the import
and whose name the history shows, or, explicitly, the system (`--as-system`). Never the
`admin` superuser by default."""

import io

import pytest
from django.core.management import CommandError, call_command

from shahrak.accounts.models import AuditEntry
from shahrak.units.models import Unit, UnitStatusEvent
from tests.harness import sample_park
from tests.units.test_import import legal_id, row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def units_file(people, tmp_path):
    sample_park("bushehr")
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx([row()]))
    return path


def run(*args):
    call_command("import", "units", *map(str, args), stdout=io.StringIO(), stderr=io.StringIO())


def test_import_without_saying_who_is_refused_and_writes_nothing(units_file, people):
    assert people["admin"].is_superuser  # the account it used to fall back to exists
    with pytest.raises(CommandError, match="--as"):
        run(units_file)
    assert not Unit.objects.exists() and not AuditEntry.objects.filter(actor=people["admin"])


def test_import_as_a_person_is_theirs_and_bounded_by_their_provinces(units_file, people):
    with pytest.raises(CommandError, match="nothing was written"):
        run(units_file, "--as", "yazd-manager")  # a Bushehr row
    assert not Unit.objects.exists()
    run(units_file, "--as", "bushehr-expert")
    unit = Unit.objects.get(national_id=legal_id(555))
    assert AuditEntry.objects.get_for_object(unit).get().actor == people["bushehr-expert"]


def test_import_as_the_system_is_recorded_as_nobody(units_file, people):
    run(units_file, "--as-system")
    unit = Unit.objects.get(national_id=legal_id(555))
    created = AuditEntry.objects.get_for_object(unit).get()
    assert created.actor is None
    # A later status change of the same load goes through the services as the system too.
    changed = units_file.with_name("idle.xlsx")
    changed.write_bytes(
        xlsx([row(**{"وضعیت": "راکد", "تاریخ وضعیت": "۱۴۰۱/۰۱/۱۰", "علت رکود": "نبود بازار"})])
    )
    run(changed, "--as-system")
    assert [e.status for e in UnitStatusEvent.objects.filter(unit=unit)] == ["operational", "idle"]


def test_as_and_as_system_together_are_refused(units_file):
    with pytest.raises(CommandError):
        run(units_file, "--as", "bushehr-expert", "--as-system")
    assert not Unit.objects.exists()


def test_unknown_user_is_refused(units_file):
    with pytest.raises(CommandError, match="no active user"):
        run(units_file, "--as", "no-such-user")
