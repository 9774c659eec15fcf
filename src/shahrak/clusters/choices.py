from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStage(models.TextChoices):
    """Where a cluster's development plan stands; the order is the order of the work
    (ISIPO's and UNIDO's method), and a plan moves only to the next stage."""

    IDENTIFICATION = "identification", _("Identification")
    DIAGNOSTIC = "diagnostic", _("Diagnostic study")
    TRUST = "trust", _("Trust building")
    ACTION_PLANNING = "action_planning", _("Joint action planning")
    IMPLEMENTATION = "implementation", _("Implementation and evaluation")
    HANDOVER = "handover", _("Hand-over to a local body")
    FINISHED = "finished", _("Finished")


STAGE_ORDER = tuple(PlanStage.values)
# A plan in one of these stages is in progress: the development agent is still at work.
IN_PROGRESS_STAGES = STAGE_ORDER[:-1]


def next_stage(stage: str) -> str | None:
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


class AssociateRole(models.TextChoices):
    """What a non-member associated with a cluster does for it."""

    SUPPLIER = "supplier", _("Supplier")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    CUSTOMER = "customer", _("Customer or distributor")
    UNIVERSITY = "university", _("University or research centre")
    FINANCIAL = "financial", _("Bank or financial institution")
    PUBLIC_BODY = "public_body", _("Public body")
    OTHER = "other", _("Other")


class ActionCategory(models.TextChoices):
    MARKETING = "marketing", _("Joint marketing or exhibition")
    TRAINING = "training", _("Training")
    JOINT_PURCHASE = "joint_purchase", _("Joint purchase")
    STANDARDS = "standards", _("Standards")
    BRANDING = "branding", _("Branding")
    TECHNOLOGY = "technology", _("Technology")
    FINANCE = "finance", _("Finance")
    NETWORKING = "networking", _("Networking")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# The diagnostic study's document: a PDF or an image, like a support application's documents.
DOCUMENT_FILE_KINDS = {"pdf", "png", "jpg"}
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
