"""The revival lists' filters, shared by the pages and the API (and the links of the revival
metrics: `?opened_from=1400/01/01&opened_to=1401/06/31`, Jalali dates as the units' lists
take them)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrak.core.forms import JalaliDateField, NumberTextInput
from shahrak.core.text import search_key
from shahrak.parks.filtersets import StrictFilterSet, province_filter, visible_counties

from .choices import OPEN_STAGES, CaseStage, IdentifiedBy, ReportStatus
from .models import (
    Diagnosis,
    ImprovementPlan,
    MonthlyReport,
    PlanAction,
    RevivalCase,
    report_due_on,
)


def parse_date(text: str):
    """A date in a link: Jalali (1400/01/01, ۱۴۰۰/۰۱/۰۱, 1400-01-01) or ISO Gregorian
    (2021-03-21, as the report figures' links give it)."""
    import datetime as dt
    import re

    from shahrak.core.jalali import parse_jalali_date
    from shahrak.core.text import to_ascii_digits

    plain = to_ascii_digits(str(text)).strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", plain)
    if match and int(match.group(1)) >= 1700:
        return dt.date.fromisoformat(plain)
    return parse_jalali_date(plain)


class LinkDateField(JalaliDateField):
    """A Jalali date field that also takes the ISO dates of the report figures' links."""

    def to_python(self, value):
        from django.core.exceptions import ValidationError

        from shahrak.core.jalali import JalaliError

        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value
        try:
            return parse_date(value)
        except (JalaliError, ValueError) as error:
            raise ValidationError(str(error), code="invalid") from error


class JalaliDateFilter(django_filters.DateFilter):
    field_class = LinkDateField


class JalaliMonthField(forms.CharField):
    """A Jalali month, 1401-01 as the figures' links give it or ۱۴۰۱/۰۱ as typed; cleaned to
    1401/01, the way the pages write a month (the list's "from month: ۱۴۰۱/۰۱")."""

    def to_python(self, value):
        import re

        from shahrak.core.text import to_ascii_digits

        value = super().to_python(value)
        if value in self.empty_values:
            return value
        match = re.fullmatch(r"(\d{4})[-/](\d{1,2})", to_ascii_digits(value).strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Enter a Jalali month such as 1401/06."), code="invalid")
        return f"{match.group(1)}/{int(match.group(2)):02d}"


class JalaliMonthFilter(django_filters.CharFilter):
    field_class = JalaliMonthField


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
    park = django_filters.NumberFilter(
        label=_("Park"), field_name="unit__park", widget=forms.HiddenInput
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
    diagnosed_from = JalaliDateFilter(
        label=_("Diagnosed from"), method="diagnosed_within", widget=forms.HiddenInput
    )
    diagnosed_to = JalaliDateFilter(
        label=_("Diagnosed until"), method="diagnosed_within", widget=forms.HiddenInput
    )
    reached = django_filters.ChoiceFilter(
        label=_("Reached"), choices=REACHED, method="reached_stage", widget=forms.HiddenInput
    )
    # Cases whose improvement plan is dated within a stretch (the services.* metrics' link).
    planned_from = JalaliDateFilter(
        label=_("Planned from"), field_name="plan__on", lookup_expr="gte",
        widget=forms.HiddenInput,
    )  # fmt: skip
    planned_to = JalaliDateFilter(
        label=_("Planned until"), field_name="plan__on", lookup_expr="lte",
        widget=forms.HiddenInput,
    )  # fmt: skip

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
        still = Q(stage__in=OPEN_STAGES)  # a restarted or closed case's actions are not chased
        return queryset.filter(overdue, still) if value else queryset.exclude(Q(overdue) & still)

    def open_at(self, queryset, name, value):
        """Identified by that date, and neither restarted nor closed before its end."""
        return queryset.filter(opened_on__lte=value).filter(
            Q(restarted_on__isnull=True) | Q(restarted_on__gt=value),
            Q(closed_on__isnull=True) | Q(closed_on__gt=value),
        )

    def diagnosed_within(self, queryset, name, value):
        """Cases with a diagnosis dated between the two dates (once each)."""
        start = self.form.cleaned_data.get("diagnosed_from")
        if name == "diagnosed_to" and start:
            return queryset  # applied once, with diagnosed_from
        end = self.form.cleaned_data.get("diagnosed_to")
        diagnoses = Diagnosis.objects.filter(case=OuterRef("pk"), archived_at__isnull=True)
        if start:
            diagnoses = diagnoses.filter(on__gte=start)
        if end:
            diagnoses = diagnoses.filter(on__lte=end)
        return queryset.filter(Exists(diagnoses))

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
    county = django_filters.NumberFilter(
        label=_("County"), field_name="unit__county", widget=forms.HiddenInput
    )
    park = django_filters.NumberFilter(
        label=_("Park"), field_name="unit__park", widget=forms.HiddenInput
    )
    unit = django_filters.NumberFilter(label=_("Unit"), field_name="unit", widget=forms.HiddenInput)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="year", widget=NumberTextInput(attrs={"size": 4})
    )
    month = django_filters.ChoiceFilter(
        label=_("Month"), field_name="month", choices=[(m, m) for m in range(1, 13)]
    )
    # The reports of a stretch of months (Jalali YYYY-MM in the links, both ends included).
    month_from = JalaliMonthFilter(
        label=_("From month"), method="months_within", widget=forms.HiddenInput
    )
    month_to = JalaliMonthFilter(
        label=_("To month"), method="months_within", widget=forms.HiddenInput
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

    def months_within(self, queryset, name, value):
        year, month = (int(part) for part in value.split("/"))  # cleaned: 1401/01
        if name == "month_from":
            return queryset.filter(Q(year__gt=year) | Q(year=year, month__gte=month))
        return queryset.filter(Q(year__lt=year) | Q(year=year, month__lte=month))

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
