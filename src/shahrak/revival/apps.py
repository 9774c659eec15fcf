from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevivalConfig(AppConfig):
    name = "shahrak.revival"
    label = "revival"
    verbose_name = _("Idle-unit revival")

    def ready(self):
        from shahrak.accounts.audit import track

        from .models import (
            CaseReason,
            Diagnosis,
            Finding,
            FollowUpVisit,
            ImprovementPlan,
            MonthlyReport,
            PlanAction,
            ProvinceRevivalSettings,
            RevivalCase,
        )

        for model in (
            ProvinceRevivalSettings,
            RevivalCase,
            CaseReason,
            Diagnosis,
            Finding,
            ImprovementPlan,
            PlanAction,
            FollowUpVisit,
            MonthlyReport,
        ):
            track(model)
