"""One FilterSet per list, shared by the UI pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shahrak.core.filtersets import folded_search
from shahrak.core.text import normalize_fa
from shahrak.parks.filtersets import StrictFilterSet, province_filter

# Jalali dates, or the ISO dates of the report figures' links.
from shahrak.revival.filtersets import JalaliDateFilter

from .choices import ActionCategory, ActionStatus, PlanStage
from .models import ActionPlan, Cluster, DevelopmentPlan


class ClusterFilterSet(StrictFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    province = province_filter("province")
    isic_code = django_filters.CharFilter(label=_("ISIC code"), field_name="isic_code")
    stage = django_filters.ChoiceFilter(
        label=_("Stage of its plan"), choices=PlanStage.choices, method="plan_at"
    )

    class Meta:
        model = Cluster
        fields = ["q", "province", "isic_code", "stage"]

    def search(self, queryset, name, value):
        key = normalize_fa(value).strip()
        return queryset.filter(folded_search(key, "name", "product") | Q(isic_code=key))

    def plan_at(self, queryset, name, value):
        plans = DevelopmentPlan.objects.filter(stage=value, archived_at__isnull=True)
        return queryset.filter(pk__in=plans.values("cluster"))


class ActionPlanFilterSet(StrictFilterSet):
    province = province_filter("cluster__province")
    starts_from = JalaliDateFilter(label=_("Starting from"), field_name="starts_on",
                                   lookup_expr="gte")  # fmt: skip
    starts_to = JalaliDateFilter(label=_("Starting until"), field_name="starts_on",
                                 lookup_expr="lte")  # fmt: skip
    carried_out = django_filters.BooleanFilter(
        label=_("Not cancelled"), method="not_cancelled", widget=forms.HiddenInput
    )
    cluster = django_filters.NumberFilter(label=_("cluster"), field_name="cluster")
    year = django_filters.NumberFilter(label=_("Jalali year"), field_name="year")
    category = django_filters.ChoiceFilter(label=_("category"), choices=ActionCategory.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=ActionStatus.choices)

    class Meta:
        model = ActionPlan
        fields = ["province", "cluster", "year", "category", "status", "starts_from",
                  "starts_to", "carried_out"]  # fmt: skip

    def not_cancelled(self, queryset, name, value):
        if value:
            return queryset.exclude(status=ActionStatus.CANCELLED)
        return queryset


class PlanFilterSet(StrictFilterSet):
    """Development plans: in progress on a date, finished or handed over between two dates
    (the links of the clusters' figures)."""

    province = province_filter("cluster__province")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=PlanStage.choices)
    in_progress_on = JalaliDateFilter(label=_("In progress on"), method="in_progress")
    finished_from = JalaliDateFilter(label=_("Finished from"), field_name="finished_on",
                                     lookup_expr="gte")  # fmt: skip
    finished_to = JalaliDateFilter(label=_("Finished until"), field_name="finished_on",
                                   lookup_expr="lte")  # fmt: skip
    handed_over_from = JalaliDateFilter(label=_("Handed over from"), field_name="handed_over_on",
                                        lookup_expr="gte")  # fmt: skip
    handed_over_to = JalaliDateFilter(label=_("Handed over until"), field_name="handed_over_on",
                                      lookup_expr="lte")  # fmt: skip

    class Meta:
        model = DevelopmentPlan
        fields = ["province", "stage", "in_progress_on", "finished_from", "finished_to",
                  "handed_over_from", "handed_over_to"]  # fmt: skip

    def in_progress(self, queryset, name, value):
        return queryset.filter(in_progress_at(value))


def in_progress_at(date) -> Q:
    """Plans started by `date` and not finished by then."""
    return Q(started_on__lte=date) & (Q(finished_on__isnull=True) | Q(finished_on__gt=date))


def member_at(date) -> Q:
    return Q(joined_on__lte=date) & (Q(left_on__isnull=True) | Q(left_on__gt=date))


class MemberFilterSet(StrictFilterSet):
    province = province_filter("cluster__province")
    cluster = django_filters.NumberFilter(label=_("cluster"), field_name="cluster")
    on = JalaliDateFilter(label=_("Members on"), method="members_on")

    class Meta:
        from .models import Membership

        model = Membership
        fields = ["province", "cluster", "on"]

    def members_on(self, queryset, name, value):
        return queryset.filter(member_at(value))
