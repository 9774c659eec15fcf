from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from shahrak.units.models import Unit
from shahrak.units.selectors import timeline_disagreements


class Command(BaseCommand):
    help = (
        "Check every unit's status against its own timeline: the status and its date are those"
        " of the latest-dated event, the events in date order follow the allowed transitions,"
        " and the report intervals are those the events give. Lists the units that disagree;"
        " fails (exit status 1) when there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help="only the units of this province (its code)")

    def handle(self, *args, province, **options):
        translation.activate("fa")
        units = Unit.objects.all()
        if province:
            units = units.filter(county__province__code=province)
        checked = units.count()
        found = 0
        for disagreement in timeline_disagreements(units):
            found += 1
            self.stdout.write(f"واحد {disagreement.unit_id} «{disagreement.name}»:")
            for problem in disagreement.problems:
                self.stdout.write(f"  - {problem}")
        summary = f"{checked} units checked, {found} disagree with their timeline"
        if found:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
