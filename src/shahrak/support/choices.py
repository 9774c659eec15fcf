from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramFamily(models.TextChoices):
    """The families of support programs named in the deputy's reports (and technology)."""

    MARKET = "market", _("Market development")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship development")
    INDUSTRIAL = "industrial", _("Industrial development")
    FINANCIAL = "financial", _("Financial and investment development")
    TECHNOLOGY = "technology", _("Technology and innovation")


class ApplicationStatus(models.TextChoices):
    """Where an application stands; the order is the order of the work."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EXECUTED = "executed", _("Executed")
    PAID = "paid", _("Paid")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationStatus
# Which status may follow which (the services say why a step is refused, in words).
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.UNDER_REVIEW, S.RETURNED, S.REJECTED, S.WITHDRAWN},
    S.UNDER_REVIEW: {S.UNDER_REVIEW, S.APPROVED, S.RETURNED, S.REJECTED, S.WITHDRAWN},
    S.RETURNED: {S.SUBMITTED, S.WITHDRAWN},
    S.APPROVED: {S.EXECUTED, S.REJECTED, S.WITHDRAWN},
    S.EXECUTED: {S.PAID, S.REJECTED, S.WITHDRAWN},
    S.PAID: {S.PAID, S.CLOSED},
    S.REJECTED: set(),
    S.CLOSED: set(),
    S.WITHDRAWN: set(),
}
# An application in one of these holds money against its program's budget and the unit's cap.
COMMITTING = (S.APPROVED, S.EXECUTED, S.PAID, S.CLOSED)
# Nothing more happens to an application in one of these.
FINAL = (S.REJECTED, S.CLOSED, S.WITHDRAWN)


class DocumentKind(models.TextChoices):
    """Documents attached to an application (a program says which it requires)."""

    PROPOSAL = "proposal", _("Proposal or description of the work")
    PROFORMA = "proforma", _("Pro-forma invoice or quotation")
    LICENCE = "licence", _("Operating licence")
    CONTRACT = "contract", _("Contract")
    INVOICE = "invoice", _("Invoice")
    OTHER = "other", _("Other")


# The kinds of file accepted as a document (core.uploads checks them by content).
DOCUMENT_FILE_KINDS = {"pdf", "png", "jpg"}


# --- exhibitions and services ----------------------------------------------------------------
class ExhibitionReach(models.TextChoices):
    """Where an exhibition is held: in Iran or abroad."""

    DOMESTIC = "domestic", _("Domestic")
    FOREIGN = "foreign", _("Foreign")


class ExhibitionSupportKind(models.TextChoices):
    """What a unit was given for an exhibition."""

    BOOTH = "booth", _("Booth")
    ATTENDANCE = "attendance", _("Attendance")
    GROUP_PAVILION = "group_pavilion", _("Group pavilion")


# The kinds of support that take a floor area (m²).
WITH_AREA = (ExhibitionSupportKind.BOOTH, ExhibitionSupportKind.GROUP_PAVILION)


# The first kinds of service given to units (code, Persian name, a mobile-clinic visit?): put
# in by migration 0003 and again wherever the tables were emptied (`ensure_service_kinds`);
# the administrators extend the list in the back office.
FIRST_SERVICE_KINDS = [
    ("mobile_clinic", "بازدید کلینیک سیار", True),
    ("technology_needs", "شناسایی نیازهای فناوری", False),
    ("training", "آموزش", False),
    ("consulting", "مشاوره", False),
    ("marketing", "بازاریابی", False),
    ("standards", "استاندارد و گواهینامه", False),
    ("business_development", "سایر خدمات توسعه کسب‌وکار", False),
]
