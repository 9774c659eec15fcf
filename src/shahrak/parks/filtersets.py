"""One FilterSet per list, shared by the UI pages and the API."""

from collections.abc import Callable

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.access import provinces_for
from shahrak.accounts.choices import Action
from shahrak.core.filtersets import StrictFilterSet, UtcIsoDateTimeField, folded_search  # noqa: F401
from shahrak.core.text import search_key
from shahrak.places.models import County, Province

from .choices import (
    POWER_MW,
    ParkKind,
    ParkStatus,
    PlotStatus,
    PlotUse,
    ProjectKind,
    ProjectStatus,
)
from .models import InfrastructureProject, Park, Plot


def visible_provinces(request):
    """The provinces the user may see, for a province filter (chosen by code in the URL)."""
    if request is None:
        return Province.objects.none()
    return provinces_for(request.user, Action.VIEW)


def province_filter(path: str):
    """A province drop-down of what the user may see; `?province=<code>` in links and the
    API, `path` the lookup from the listed records to their province."""
    return django_filters.ModelChoiceFilter(
        label=_("Province"), field_name=path, queryset=visible_provinces, to_field_name="code"
    )


def visible_counties(request):
    """Counties of the provinces the user may see."""
    if request is None:
        return County.objects.none()
    provinces = provinces_for(request.user, Action.VIEW)
    return County.objects.filter(province__in=provinces).select_related("province").by_name()


# Filters of the park list whose query belongs to an app built on parks (parks imports none
# of them): filter name → function(date) giving the pks of the parks it keeps. The units
# app registers "with_units_on": the parks hosting units in operation on a date.
HOSTING: dict[str, Callable] = {}


def register_hosting(name: str, park_pks: Callable) -> None:
    HOSTING[name] = park_pks


class ParkFilterSet(StrictFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    county = django_filters.ModelChoiceFilter(label=_("County"), queryset=visible_counties)
    province = province_filter("county__province")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ParkKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ParkStatus.choices)
    # A report's scope and figure: one park; the parks hosting units in operation on a date.
    park = django_filters.NumberFilter(label=_("Park"), field_name="pk", widget=forms.HiddenInput)
    with_units_on = django_filters.DateFilter(
        label=_("With units in operation on"), method="hosting_units_on", widget=forms.HiddenInput
    )

    class Meta:
        model = Park
        fields = ["q", "province", "county", "kind", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(search_text__contains=search_key(value))

    def hosting_units_on(self, queryset, name, value):
        park_pks = HOSTING.get(name)
        return queryset.filter(pk__in=park_pks(value)) if park_pks else queryset.none()


class PlotFilterSet(StrictFilterSet):
    park = django_filters.NumberFilter(label=_("Park"), field_name="park")
    province = province_filter("park__county__province")
    county = django_filters.NumberFilter(
        label=_("County"), field_name="park__county", widget=forms.HiddenInput
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlotStatus.choices)
    use = django_filters.ChoiceFilter(label=_("Use"), choices=PlotUse.choices)
    # The plots behind a report's "land ready for allocation" on a date.
    ready_on = django_filters.DateFilter(
        label=_("Ready for allocation on"), method="ready_at", widget=forms.HiddenInput
    )

    class Meta:
        model = Plot
        fields = ["park", "province", "status", "use"]

    def ready_at(self, queryset, name, value):
        from .metrics import plots_with_status_at

        return plots_with_status_at(queryset, value).filter(status_then=PlotStatus.READY)


class ProjectFilterSet(StrictFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    park = django_filters.NumberFilter(label=_("Park"), field_name="park")
    province = province_filter("park__county__province")
    county = django_filters.NumberFilter(
        label=_("County"), field_name="park__county", widget=forms.HiddenInput
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ProjectKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProjectStatus.choices)
    # The projects behind a report's "projects delivered" and "power capacity added": those
    # temporarily delivered between two dates (and adding power, in MW).
    delivered_from = django_filters.DateFilter(
        label=_("Temporarily delivered from"), field_name="temporarily_delivered_on",
        lookup_expr="gte", widget=forms.HiddenInput,
    )  # fmt: skip
    delivered_to = django_filters.DateFilter(
        label=_("Temporarily delivered until"), field_name="temporarily_delivered_on",
        lookup_expr="lte", widget=forms.HiddenInput,
    )  # fmt: skip
    power = django_filters.ChoiceFilter(
        label=_("Power capacity"), choices=[(POWER_MW, _("substations and networks, in MW"))],
        method="adding_power", widget=forms.HiddenInput,
    )  # fmt: skip
    # The projects behind "spent on infrastructure": money spent on them between two dates,
    # each annotated with that spend (`spent_in_period`).
    spent_from = django_filters.DateFilter(
        label=_("Money spent from"), method="spent_within", widget=forms.HiddenInput
    )
    spent_to = django_filters.DateFilter(
        label=_("Money spent until"), method="spent_within", widget=forms.HiddenInput
    )

    class Meta:
        model = InfrastructureProject
        fields = ["q", "park", "province", "kind", "status"]

    def search(self, queryset, name, value):
        # Titles are stored as typed (normalised): folded on both sides to compare.
        return queryset.filter(folded_search(value, "title"))

    def adding_power(self, queryset, name, value):
        from .metrics import adding_power

        return adding_power(queryset)

    def spent_within(self, queryset, name, value):
        from django.utils import timezone

        from .metrics import with_spend_between

        start = self.form.cleaned_data.get("spent_from")
        if name == "spent_to" and start:
            return queryset  # applied once, with spent_from
        end = self.form.cleaned_data.get("spent_to") or timezone.localdate()
        return with_spend_between(queryset, start, end).exclude(spent_in_period=0)

    @property
    def spending_window(self) -> bool:
        """Whether the list is the spend between two dates (its table shows that spend)."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return bool(data.get("spent_from") or data.get("spent_to"))
