from django.core.management.base import BaseCommand

from shahrak.reports.management.common import add_report_arguments, report_for
from shahrak.reports.press import paragraph
from shahrak.reports.services import press_wording


class Command(BaseCommand):
    help = "The press paragraph of a province (or the nation) for a Jalali period, in Persian."

    def add_arguments(self, parser):
        add_report_arguments(parser)

    def handle(self, *args, province, period, username, **options):
        report = report_for(province=province, period=period, username=username)
        self.stdout.write(paragraph(report, press_wording(report["scope"]["code"])))
