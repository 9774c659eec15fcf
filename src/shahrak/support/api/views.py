from django.db import transaction
from django.db.models import Max
from rest_framework import mixins, viewsets

from shahrak.accounts.api.base import ScopedViewSetMixin, expected_version

from .. import services
from ..filtersets import ApplicationFilterSet, BudgetFilterSet, PaymentFilterSet, ProgramFilterSet
from ..models import Application, Payment, Program, ProgramBudget
from .serializers import (
    ApplicationSerializer,
    PaymentSerializer,
    ProgramBudgetSerializer,
    ProgramSerializer,
)


class ProgramViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The support program catalogue: read by everyone signed in; created and changed by a
    province's manager (national programs: the system administrators), through the services."""

    serializer_class = ProgramSerializer
    queryset = (
        Program.objects.select_related("province")
        .prefetch_related("eligible_provinces")
        .order_by("-flagship", "sort_key", "pk")
    )
    filterset_class = ProgramFilterSet

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.program_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        version = expected_version(serializer)
        data = dict(serializer.validated_data)
        data.pop("province", None)  # where a program belongs is fixed once it exists
        serializer.instance = services.program_update(
            actor=self.request.user, program=serializer.instance, expected_version=version,
            **data,
        )  # fmt: skip


class ProgramBudgetViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Programs' budgets per province and Jalali year (amount, reserved, paid), read by the
    province's staff, headquarters and auditors."""

    serializer_class = ProgramBudgetSerializer
    queryset = ProgramBudget.objects.select_related("province").order_by("-year", "program", "pk")
    filterset_class = BudgetFilterSet


class ApplicationViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Support applications: read; a unit's representative (or the province's staff for them)
    files one (POST: a draft, or submitted at once with `submit`: true — refused, with
    nothing saved, when the program requires documents, which are attached on its page),
    through the services."""

    serializer_class = ApplicationSerializer
    # `last_step_at`: what the filters of days waiting read (as the applications list does).
    queryset = (
        Application.objects.select_related("unit__county__province")
        .annotate(last_step_at=Max("steps__at"))
        .order_by("-created_at", "-pk")
    )
    filterset_class = ApplicationFilterSet

    @transaction.atomic
    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        submit = data.pop("submit", False)
        application = services.application_create(actor=self.request.user, **data)
        if submit:
            application = services.application_submit(
                actor=self.request.user, application=application
            )
        serializer.instance = application


class PaymentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Subsidy payments (staged), read."""

    serializer_class = PaymentSerializer
    queryset = Payment.objects.order_by("-on", "-pk")
    filterset_class = PaymentFilterSet
