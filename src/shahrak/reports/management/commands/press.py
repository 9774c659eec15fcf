from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import translation

from shahrak.core.errors import DomainError
from shahrak.reports.press import paragraph
from shahrak.reports.services import build_report, parse_period, resolve_scope


class Command(BaseCommand):
    help = "The press paragraph of a province (or the nation) for a Jalali period, in Persian."

    def add_arguments(self, parser):
        parser.add_argument("--province", help="province code, e.g. bushehr (none: national)")
        parser.add_argument("--period", required=True, help="1401, 1401-H1, 1401-Q2, 1401-06 …")
        parser.add_argument("--as", dest="username", help="whose view (default: an administrator)")

    def handle(self, *args, province, period, username, **options):
        translation.activate("fa")
        User = get_user_model()
        user = (
            User.objects.filter(username=username, is_active=True).first()
            if username
            else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError("no such active user (give one with --as)")
        try:
            scope, described = resolve_scope(user, province=province)
            report = build_report(
                user, scope=scope, scope_description=described, period=parse_period(period)
            )
        except Http404 as error:
            raise CommandError(f"{province}: no such province for {user.username}") from error
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(paragraph(report))
