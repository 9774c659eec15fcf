from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "shahrak.units"
    label = "units"
    verbose_name = _("Industrial units")

    def ready(self):
        from shahrak.accounts.audit import track
        from shahrak.accounts.scoping import register_object_scope

        from .models import ExportRecord, Unit, UnitStatusEvent

        for model in (Unit, UnitStatusEvent, ExportRecord):
            track(model)
        # Unit representatives reach the records of the units they represent.
        register_object_scope(
            "unit", lambda user: Unit.objects.filter(representatives=user).values("pk")
        )
