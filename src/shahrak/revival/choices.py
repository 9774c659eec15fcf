from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStage(models.TextChoices):
    """Where a revival case stands; the order is the order of the work."""

    IDENTIFIED = "identified", _("Identified")
    DIAGNOSED = "diagnosed", _("Diagnosed")
    PLANNED = "planned", _("Improvement plan")
    RESTARTED = "restarted", _("Restarted")
    CLOSED = "closed", _("Closed for good")


# A case in one of these stages is open: the unit is still idle and the work goes on.
OPEN_STAGES = (CaseStage.IDENTIFIED, CaseStage.DIAGNOSED, CaseStage.PLANNED)
# A case in one of these has its outcome: nothing more is recorded on it but follow-up visits.
FINAL_STAGES = (CaseStage.RESTARTED, CaseStage.CLOSED)


class IdentifiedBy(models.TextChoices):
    """How an idle unit came to be known."""

    FIELD_SURVEY = "field_survey", _("Field survey")
    CLINIC_VISIT = "clinic_visit", _("Mobile clinic visit")
    UTILITY_DATA = "utility_data", _("Utility data (power, gas, water)")
    UNIT_ITSELF = "unit_itself", _("The unit itself")
    EARLY_WARNING = "early_warning", _("Early warning (watch list)")


class FindingArea(models.TextChoices):
    FINANCE = "finance", _("Finance")
    PRODUCTION = "production", _("Production")
    MARKET = "market", _("Market")
    MANAGEMENT = "management", _("Management")
    TECHNOLOGY = "technology", _("Technology")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class ActionOwner(models.TextChoices):
    """Who carries out an action of an improvement plan."""

    COMPANY = "company", _("The industrial parks company")
    UNIT = "unit", _("The unit")
    BANK = "bank", _("A bank")
    OTHER_BODY = "other_body", _("Another body")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")
