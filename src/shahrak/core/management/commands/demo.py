from django.core.management.base import BaseCommand

from shahrak.core.demo_loader import DEFAULT_SEED, load_demo


class Command(BaseCommand):
    help = "Load the demo data of Bushehr and Yazd provinces (idempotent) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--only", nargs="*", help="load only these apps' demo data")

    def handle(self, *args, seed, only, **options):
        logins = load_demo(seed=seed, out=self.stderr._out, only=set(only or []))
        self.stdout.write(self.style.SUCCESS("Demo data loaded (all of it invented, marked demo)."))
        if logins:
            self.stdout.write("\nDemo logins (password for each is given beside it):")
            width = max(len(username) for username, _, _ in logins)
            for username, password, purpose in logins:
                self.stdout.write(f"  {username:<{width}}  {password}   {purpose}")
