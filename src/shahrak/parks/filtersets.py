"""One FilterSet per list, shared by the UI pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.access import provinces_for
from shahrak.accounts.choices import Action
from shahrak.core.text import search_key
from shahrak.places.models import County

from .choices import ParkKind, ParkStatus, PlotStatus, PlotUse, ProjectKind, ProjectStatus
from .models import InfrastructureProject, Park, Plot


def visible_counties(request):
    """Counties of the provinces the user may see."""
    if request is None:
        return County.objects.none()
    provinces = provinces_for(request.user, Action.VIEW)
    return County.objects.filter(province__in=provinces).select_related("province")


class ParkFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    county = django_filters.ModelChoiceFilter(label=_("County"), queryset=visible_counties)
    province = django_filters.CharFilter(label=_("Province"), field_name="county__province__code")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ParkKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ParkStatus.choices)

    class Meta:
        model = Park
        fields = ["q", "province", "county", "kind", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(search_text__contains=search_key(value))


class PlotFilterSet(django_filters.FilterSet):
    park = django_filters.NumberFilter(label=_("Park"), field_name="park")
    province = django_filters.CharFilter(
        label=_("Province"), field_name="park__county__province__code"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlotStatus.choices)
    use = django_filters.ChoiceFilter(label=_("Use"), choices=PlotUse.choices)

    class Meta:
        model = Plot
        fields = ["park", "province", "status", "use"]


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    park = django_filters.NumberFilter(label=_("Park"), field_name="park")
    province = django_filters.CharFilter(
        label=_("Province"), field_name="park__county__province__code"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ProjectKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProjectStatus.choices)

    class Meta:
        model = InfrastructureProject
        fields = ["q", "park", "province", "kind", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(title__icontains=search_key(value))
