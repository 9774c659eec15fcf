from django.core.management.base import BaseCommand

from shahrak.reports.management.common import add_report_arguments, resolve_for
from shahrak.reports.press import paragraph
from shahrak.reports.services import build_report, press_wording


class Command(BaseCommand):
    help = "The press paragraph of a province (or the nation) for a Jalali period, in Persian."

    def add_arguments(self, parser):
        add_report_arguments(parser)

    def handle(self, *args, province, period, username, **options):
        user, scope, described, asked = resolve_for(
            province=province, period=period, username=username
        )
        report = build_report(user, scope=scope, scope_description=described, period=asked)
        # The wording of the scope's province: also when it is all the user sees.
        self.stdout.write(paragraph(report, press_wording(scope.province_code)))
