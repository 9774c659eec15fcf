from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    name = "shahrak.parks"
    label = "parks"
    verbose_name = _("Industrial parks")

    def ready(self):
        from shahrak.accounts.audit import track

        from .models import (
            InfrastructureProject,
            Park,
            ParkSection,
            Plot,
            PlotEvent,
            ProgressReport,
        )

        for model in (Park, ParkSection, Plot, PlotEvent, InfrastructureProject, ProgressReport):
            track(model)
