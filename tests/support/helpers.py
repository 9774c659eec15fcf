"""A Bushehr program, its budget and units for the support tests, made through the services
(so they are what the application itself would have recorded)."""

import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from shahrak.accounts.models import AuditEntry
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.notifications.models import Notification
from shahrak.places.models import Province
from shahrak.support import services
from shahrak.support.models import (
    Application,
    ApplicationDocument,
    ApplicationStep,
    Payment,
    Program,
    ProgramBudget,
)
from tests.revival.factories import UnitFactory

PERSIAN = re.compile(r"[\u0600-\u06FF]")
# The smallest files of each kind that start as the real ones do.
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MILLION = 1_000_000


def pdf(name="invoice.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def bushehr():
    return Province.objects.get(code="bushehr")


def make_program(manager, **overrides):
    """Market development in Bushehr: 30–60 %, a cap of 2,000 million rial a unit a year,
    for micro and small food units inside a park; a quotation is required."""
    fields = {
        "title": "توسعهٔ بازار محصولات گلخانه‌ای",
        "family": "market",
        "rate_min_pct": Decimal(30),
        "rate_max_pct": Decimal(60),
        "cap_per_unit_rial": 2_000 * MILLION,
        "opens_on": jd("1399/01/01"),
        "size_classes": ["micro", "small"],
        "sectors": ["food_dates", "food_aquatic"],
        "in_park_only": True,
        "required_documents": ["proforma"],
        **overrides,
    }
    return services.program_create(actor=manager, province=bushehr(), **fields)


def make_budget(manager, program, amount_rial, year=1400):
    return services.program_budget_set(
        actor=manager, program=program, province=bushehr(), year=year, amount_rial=amount_rial
    )


def make_unit(expert, representative=None, **fields):
    """A small dates unit in the Bushehr sample park (14 employees), represented by
    `representative`."""
    fields = {"sector": "food_dates", "isic_code": "1030", "products": "خرما", **fields}
    unit = UnitFactory(actor=expert, province="bushehr", **fields)
    if representative is not None:
        unit.representatives.add(representative)
    return unit


def draft(actor, unit, program, cost=1_000 * MILLION):
    return services.application_create(
        actor=actor, unit=unit, program=program, requested_cost_rial=cost,
        description="حضور در نمایشگاه بین‌المللی مسکو",
    )  # fmt: skip


def submitted(actor, unit, program, cost=1_000 * MILLION):
    application = draft(actor, unit, program, cost)
    services.application_document_add(
        actor=actor, application=application, kind="proforma", upload=pdf("quote.pdf")
    )
    return services.application_submit(actor=actor, application=application)


def under_review(applicant, expert, unit, program, cost=1_000 * MILLION):
    application = submitted(applicant, unit, program, cost)
    return services.application_assign(actor=expert, application=application, expert=expert)


def approved(applicant, expert, manager, unit, program, cost, rate, on="1400/06/01"):
    application = under_review(applicant, expert, unit, program, cost)
    return services.application_approve(
        actor=manager, application=application, approved_cost_rial=cost,
        approved_rate_pct=Decimal(rate), on=jd(on),
    )  # fmt: skip


def executed(applicant, expert, manager, unit, program, cost, rate, actual, on="1400/08/01"):
    application = approved(applicant, expert, manager, unit, program, cost, rate)
    services.application_document_add(
        actor=applicant, application=application, kind="invoice", upload=pdf()
    )
    return services.application_execute(
        actor=expert, application=application, actual_cost_rial=actual, on=jd(on)
    )


SNAPSHOT_MODELS = (Program, ProgramBudget, Application, ApplicationStep, ApplicationDocument,
                   Payment, Notification, AuditEntry)  # fmt: skip


def _fields(model):
    return [f.attname for f in model._meta.concrete_fields if f.attname != "updated_at"]


def snapshot(media_root=None):
    """Everything a support step may write (and the stored files): a refusal changes none."""
    found = {
        model.__name__: sorted(map(repr, model._base_manager.values_list(*_fields(model))))
        for model in SNAPSHOT_MODELS
    }
    if media_root is not None:
        found["files"] = sorted(str(p) for p in media_root.rglob("*") if p.is_file())
    return found
