from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "shahrak.support"
    label = "support"
    verbose_name = _("Support programs and subsidies")

    def ready(self):
        from shahrak.accounts.audit import track

        from .models import Application, ApplicationDocument, Payment, Program, ProgramBudget

        # Changing who is eligible by province is in the program's history.
        track(Program, m2m_fields={"eligible_provinces"})
        for model in (ProgramBudget, Application, ApplicationDocument, Payment):
            track(model)
        # Exhibitions and services.
        from .models import Exhibition, ExhibitionSupport, ServiceKind, ServiceRecord

        for model in (Exhibition, ExhibitionSupport, ServiceKind):
            track(model)
        track(ServiceRecord, m2m_fields={"units"})
