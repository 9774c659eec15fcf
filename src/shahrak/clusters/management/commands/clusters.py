import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from shahrak.accounts.access import provinces_for

from ...discovery import DEFAULT_MIN_UNITS
from ...models import DEFAULT_RADIUS_KM
from ...selectors import discover_for


class Command(BaseCommand):
    help = (
        "Cluster tools: `shahrak clusters discover [--province yazd] [--radius-km 100] "
        "[--min-units 10] [--format json|table] [--as USER]` lists candidate clusters among "
        "the operating units the user sees (docs/discovery.md), in rank order."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["discover"])
        parser.add_argument("--province", help="province code, e.g. yazd (none: all the user sees)")
        parser.add_argument("--radius-km", type=int, default=DEFAULT_RADIUS_KM)
        parser.add_argument("--min-units", type=int, default=DEFAULT_MIN_UNITS)
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument(
            "--as", dest="username", help="whose view of the units (default: an administrator)"
        )

    def handle(self, *args, province, radius_km, min_units, format, username, **options):
        translation.activate("fa")
        users = get_user_model().objects.filter(is_active=True)
        user = (
            users.filter(username=username).first()
            if username
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError("no such active user (give one with --as)")
        if province and not provinces_for(user).filter(code=province).exists():
            raise CommandError(f"{province}: no such province for {user.username}")
        if not 1 <= radius_km <= 500 or min_units < 1:
            raise CommandError("--radius-km is 1 to 500; --min-units is at least 1")
        found = discover_for(user, province=province, radius_km=radius_km, min_units=min_units)
        if format == "json":
            self.stdout.write(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
            return
        rows = found.as_json()["candidates"]
        self.stdout.write(
            f"{found.considered} operating units considered; {len(rows)} candidates "
            f"(r = {radius_km} km, k = {min_units})"
        )
        self.stdout.write(
            f"{'#':>3} {'isic':4} {'province':10} {'units':>5} {'jobs':>6} {'lq':>6} "
            f"{'centre':>20}  product"
        )
        for rank, row in enumerate(rows, 1):
            lq = "" if row["lq"] is None else f"{row['lq']:.2f}"
            centre = f"{row['centre']['lat']:.4f},{row['centre']['lon']:.4f}"
            self.stdout.write(
                f"{rank:>3} {row['isic']:4} {row['province']:10} {row['units']:>5} "
                f"{row['jobs']:>6} {lq:>6} {centre:>20}  {row['product']}"
            )
