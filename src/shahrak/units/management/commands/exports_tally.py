from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Recount the exports' sums by Jalali month, county and destination (`ExportTally`, "
        "what the export figures read) from the export records: after exports were written "
        "in bulk, past the services that keep those sums."
    )

    def handle(self, *args, **options):
        from shahrak.units import tally

        self.stdout.write(f"{tally.rebuild()} rows of sums written")
