from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevivalConfig(AppConfig):
    name = "shahrak.revival"
    label = "revival"
    verbose_name = _("Idle-unit revival")

    def ready(self):
        from shahrak.accounts.audit import UNTRACKED_FIELDS, track
        from shahrak.units.signals import unit_moved

        from . import tally

        unit_moved.connect(tally.on_unit_moved, dispatch_uid="revival.tally.unit_moved")

        from .models import (
            CaseReason,
            Diagnosis,
            DiagnosisAttachment,
            Finding,
            FollowUpVisit,
            ImprovementPlan,
            MonthlyReport,
            MonthlyReportImportRun,
            PlanAction,
            ProvinceRevivalSettings,
            RevivalCase,
            UtilityReading,
        )

        for model in (
            ProvinceRevivalSettings,
            RevivalCase,
            CaseReason,
            Diagnosis,
            DiagnosisAttachment,
            Finding,
            ImprovementPlan,
            PlanAction,
            FollowUpVisit,
            MonthlyReport,
            UtilityReading,
        ):
            track(model)
        # A reports import's upload, confirmation and outcome, as the units import's.
        track(
            MonthlyReportImportRun,
            exclude_fields=[*UNTRACKED_FIELDS, *MonthlyReportImportRun.WORKER_FIELDS],
        )
