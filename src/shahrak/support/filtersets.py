"""One FilterSet per list, shared by the UI pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shahrak.core.forms import JalaliDateField
from shahrak.core.text import normalize_fa
from shahrak.parks.filtersets import StrictFilterSet, province_filter
from shahrak.places.models import Province

from .choices import ApplicationStatus, ProgramFamily
from .models import Application, Program


class JalaliDateFilter(django_filters.DateFilter):
    field_class = JalaliDateField


def all_provinces(request):
    """The catalogue is read by everyone: every province may be asked about."""
    return Province.objects.by_name()


class ProgramFilterSet(StrictFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    family = django_filters.ChoiceFilter(label=_("Family"), choices=ProgramFamily.choices)
    flagship = django_filters.BooleanFilter(
        label=_("Flagship"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )
    # A province's own programs and the national ones offered there.
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=all_provinces, to_field_name="code", method="offered_in"
    )
    open_on = JalaliDateFilter(label=_("Open on"), method="open_at")

    class Meta:
        model = Program
        fields = ["q", "family", "flagship", "province", "open_on"]

    def search(self, queryset, name, value):
        key = normalize_fa(value).strip()
        return queryset.filter(Q(title__icontains=key) | Q(description__icontains=key))

    def offered_in(self, queryset, name, value):
        national = Q(province__isnull=True) & (
            Q(eligible_provinces__isnull=True) | Q(eligible_provinces=value)
        )
        return queryset.filter(Q(province=value) | national).distinct()

    def open_at(self, queryset, name, value):
        return queryset.filter(
            Q(closes_on__isnull=True) | Q(closes_on__gte=value),
            opens_on__lte=value,
            archived_at__isnull=True,
        )


class ApplicationFilterSet(StrictFilterSet):
    """Applications by stage and age: how long each has waited since its last step (the
    list annotates `last_step_at`)."""

    status = django_filters.ChoiceFilter(label=_("Stage"), choices=ApplicationStatus.choices)
    program = django_filters.NumberFilter(
        label=_("program"), field_name="program", widget=forms.HiddenInput
    )
    province = province_filter("unit__county__province")
    waiting_days = django_filters.NumberFilter(
        label=_("Waiting at least (days)"), method="waiting_at_least", min_value=0
    )

    class Meta:
        model = Application
        fields = ["status", "province", "waiting_days", "program"]

    def waiting_at_least(self, queryset, name, value):
        import datetime as dt

        from django.utils import timezone

        return queryset.filter(last_step_at__lte=timezone.now() - dt.timedelta(days=int(value)))
