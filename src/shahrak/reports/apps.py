from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "shahrak.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from shahrak.accounts.audit import track

        from .models import PressSentence

        track(PressSentence)
