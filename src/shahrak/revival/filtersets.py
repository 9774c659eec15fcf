"""The revival lists' filters, shared by the pages and the API (and the links of the revival
metrics: `?opened_from=1400/01/01&opened_to=1401/06/31`, Jalali dates as the units' lists
take them)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrak.core.text import search_key
from shahrak.parks.filtersets import StrictFilterSet, province_filter, visible_counties
from shahrak.units.filtersets import JalaliDateFilter

from .choices import CaseStage, IdentifiedBy, ReportStatus
from .models import (
    Diagnosis,
    ImprovementPlan,
    MonthlyReport,
    PlanAction,
    RevivalCase,
    report_due_on,
)

# "Reached" a stage: the case got at least that far (the funnel's steps).
REACHED = [
    ("diagnosed", _("Diagnosed")),
    ("planned", _("Improvement plan")),
    ("restarted", _("Restarted")),
    ("closed", _("Closed for good")),
]


class CaseFilterSet(StrictFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    province = province_filter("unit__county__province")
    county = django_filters.ModelChoiceFilter(
        label=_("County"), queryset=visible_counties, field_name="unit__county"
    )
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=CaseStage.choices)
    how = django_filters.ChoiceFilter(
        label=_("Identified by"), field_name="identified_by", choices=IdentifiedBy.choices
    )
    overdue = django_filters.BooleanFilter(
        label=_("With overdue actions"), method="with_overdue",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )  # fmt: skip
    # The cases behind a figure: identified, restarted between two dates; open on a date;
    # having reached a stage (the funnel).
    opened_from = JalaliDateFilter(
        label=_("Identified from"), field_name="opened_on", lookup_expr="gte",
        widget=forms.HiddenInput,
    )  # fmt: skip
    opened_to = JalaliDateFilter(
        label=_("Identified until"), field_name="opened_on", lookup_expr="lte",
        widget=forms.HiddenInput,
    )  # fmt: skip
    restarted_from = JalaliDateFilter(
        label=_("Restarted from"), field_name="restarted_on", lookup_expr="gte",
        widget=forms.HiddenInput,
    )  # fmt: skip
    restarted_to = JalaliDateFilter(
        label=_("Restarted until"), field_name="restarted_on", lookup_expr="lte",
        widget=forms.HiddenInput,
    )  # fmt: skip
    open_on = JalaliDateFilter(label=_("Open on"), method="open_at", widget=forms.HiddenInput)
    reached = django_filters.ChoiceFilter(
        label=_("Reached"), choices=REACHED, method="reached_stage", widget=forms.HiddenInput
    )

    class Meta:
        model = RevivalCase
        fields = ["q", "province", "county", "stage", "how", "overdue"]

    def search(self, queryset, name, value):
        return queryset.filter(unit__search_text__contains=search_key(value))

    def with_overdue(self, queryset, name, value):
        overdue = Exists(
            PlanAction.objects.filter(
                plan__case=OuterRef("pk"),
                archived_at__isnull=True,
                done_on__isnull=True,
                due_on__lt=timezone.localdate(),
            )
        )
        still = ~Q(stage=CaseStage.CLOSED)  # a closed case's actions are not chased
        return queryset.filter(overdue, still) if value else queryset.exclude(Q(overdue) & still)

    def open_at(self, queryset, name, value):
        """Identified by that date, and neither restarted nor closed before its end."""
        return queryset.filter(opened_on__lte=value).filter(
            Q(restarted_on__isnull=True) | Q(restarted_on__gt=value),
            Q(closed_on__isnull=True) | Q(closed_on__gt=value),
        )

    def reached_stage(self, queryset, name, value):
        if value == "diagnosed":
            diagnosed = Diagnosis.objects.filter(case=OuterRef("pk"), archived_at__isnull=True)
            return queryset.filter(Exists(diagnosed))
        if value == "planned":
            planned = ImprovementPlan.objects.filter(case=OuterRef("pk"), archived_at__isnull=True)
            return queryset.filter(Exists(planned))
        return queryset.filter(stage=value)


class ReportFilterSet(StrictFilterSet):
    province = province_filter("unit__county__province")
    unit = django_filters.NumberFilter(label=_("Unit"), field_name="unit", widget=forms.HiddenInput)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="year")
    month = django_filters.ChoiceFilter(
        label=_("Month"), field_name="month", choices=[(m, m) for m in range(1, 13)]
    )
    # Filed after the 10th of the month after (or not filed at all, while past due).
    late = django_filters.BooleanFilter(
        label=_("Late"), method="filed_late",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )  # fmt: skip

    class Meta:
        model = MonthlyReport
        fields = ["province", "unit", "status", "year", "month", "late"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from shahrak.core.jalali import MONTHS_FA

        self.filters["month"].extra["choices"] = [(m, name) for m, name in enumerate(MONTHS_FA, 1)]

    def filed_late(self, queryset, name, value):
        """Per month reported: filed after its due date, or not filed while past due."""
        today = timezone.localdate()
        late = Q(pk__in=[])
        months = queryset.order_by().values_list("year", "month").distinct()
        for year, month in months:
            due = report_due_on(year, month)
            filed_late = Q(filed_at__date__gt=due)
            if due < today:
                filed_late |= Q(filed_at__isnull=True)
            late |= Q(year=year, month=month) & filed_late
        return queryset.filter(late) if value else queryset.exclude(late)
