import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shahrak.core.filtersets import JalaliDateFilter, StrictFilterSet
from shahrak.core.forms import id_param
from shahrak.core.text import search_key
from shahrak.parks.filtersets import province_filter, visible_counties
from shahrak.parks.models import Park

from .choices import Sector, SizeClass, UnitStatus
from .models import ExportRecord, Unit

# Small and medium together: the reports' "صنایع کوچک و متوسط" (all below the large size).
SME = "sme"
# A choice list longer than this is not shown whole: pick a province or county first.
PARK_CHOICES_LIMIT = 300


def visible_parks(request):
    """Parks for the park filter: of the chosen county or province (a national list of
    ~1,000 parks is no use in a drop-down, and slow to draw)."""
    if request is None:
        return Park.objects.none()
    parks = Park.objects.restrict(request.user).select_related("county").order_by("sort_key", "pk")
    if county := id_param(request.GET.get("county")):
        return parks.filter(county=county)
    if request.GET.get("province"):
        return parks.filter(county__province__code=request.GET["province"])
    if parks.count() > PARK_CHOICES_LIMIT:
        return parks.filter(pk=id_param(request.GET.get("park")) or 0)
    return parks


class UnitFilterSet(StrictFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    province = province_filter("county__province")
    county = django_filters.ModelChoiceFilter(label=_("County"), queryset=visible_counties)
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=visible_parks)
    outside_parks = django_filters.BooleanFilter(
        label=_("Outside parks"), field_name="park", lookup_expr="isnull",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )  # fmt: skip
    status = django_filters.ChoiceFilter(label=_("Status"), choices=UnitStatus.choices)
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices)
    isic = django_filters.CharFilter(
        label=_("ISIC"), field_name="isic_code", lookup_expr="startswith"
    )
    size = django_filters.ChoiceFilter(
        label=_("Size"), choices=[*SizeClass.choices, (SME, _("Small and medium (SME)"))],
        method="size_class",
    )  # fmt: skip
    # The units behind a report's "in operation on <date>" figure.
    operational_on = django_filters.DateFilter(
        label=_("In operation on"), method="in_operation_on", widget=forms.HiddenInput
    )
    # The units behind "became idle / restarted between <from> and <to>".
    became = django_filters.ChoiceFilter(
        label=_("Became"), choices=UnitStatus.choices, method="became_status",
        widget=forms.HiddenInput,
    )  # fmt: skip
    became_from = django_filters.DateFilter(
        label=_("From"), method="ignore", widget=forms.HiddenInput
    )
    became_to = django_filters.DateFilter(label=_("To"), method="ignore", widget=forms.HiddenInput)
    # The units a user just imported: created or changed by the user viewing the list (their
    # own audit trail, whatever their role) between two moments.
    mine_from = django_filters.IsoDateTimeFilter(
        label=_("Created or changed by me from"), method="changed_by_me",
        widget=forms.HiddenInput,
    )  # fmt: skip
    mine_to = django_filters.IsoDateTimeFilter(
        label=_("Until"), method="changed_by_me", widget=forms.HiddenInput
    )

    class Meta:
        model = Unit
        fields = ["q", "province", "county", "park", "status", "sector", "isic", "size"]

    def search(self, queryset, name, value):
        return queryset.filter(search_text__contains=search_key(value))

    def in_operation_on(self, queryset, name, value):
        from .choices import IN_OPERATION
        from .models import UnitStatusInterval

        covering = UnitStatusInterval.objects.filter(
            valid_from__lte=value, valid_to__gt=value, status__in=IN_OPERATION
        )
        return queryset.filter(pk__in=covering.values("unit"))

    def became_status(self, queryset, name, value):
        from .models import UnitStatusEvent

        events = UnitStatusEvent.objects.filter(status=value)
        if since := self.form.cleaned_data.get("became_from"):
            events = events.filter(on__gte=since)
        if until := self.form.cleaned_data.get("became_to"):
            events = events.filter(on__lte=until)
        return queryset.filter(pk__in=events.values("unit"))

    def changed_by_me(self, queryset, name, value):
        from django.contrib.contenttypes.models import ContentType

        from shahrak.accounts.models import AuditEntry

        if name == "mine_to" and self.form.cleaned_data.get("mine_from"):
            return queryset  # applied with mine_from
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return queryset.none()
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Unit), actor=user
        )
        if since := self.form.cleaned_data.get("mine_from"):
            entries = entries.filter(timestamp__gte=since)
        if until := self.form.cleaned_data.get("mine_to"):
            entries = entries.filter(timestamp__lte=until)
        return queryset.filter(pk__in=entries.values("object_id"))

    def ignore(self, queryset, name, value):
        return queryset  # read by became_status

    def size_class(self, queryset, name, value):
        limits = settings.SHAHRAK_SIZE_THRESHOLDS
        bounds = {
            SME: (0, limits["medium"]),
            SizeClass.MICRO: (0, limits["micro"]),
            SizeClass.SMALL: (limits["micro"], limits["small"]),
            SizeClass.MEDIUM: (limits["small"], limits["medium"]),
            SizeClass.LARGE: (limits["medium"], None),
        }[value]
        queryset = queryset.filter(employees__gte=bounds[0])
        return queryset if bounds[1] is None else queryset.filter(employees__lt=bounds[1])


def destination_choices():
    from .countries import PERSIAN_GULF, country_choices, country_name

    return [(PERSIAN_GULF, country_name(PERSIAN_GULF)), *country_choices()]


class ExportFilterSet(StrictFilterSet):
    """The export records: by place, destination (a country or the Persian Gulf group) and
    Jalali dates — what a report's export figures link to."""

    province = province_filter("unit__county__province")
    county = django_filters.ModelChoiceFilter(
        label=_("County"), queryset=visible_counties, field_name="unit__county"
    )
    park = django_filters.ModelChoiceFilter(
        label=_("Park"), queryset=visible_parks, field_name="unit__park"
    )
    destination = django_filters.ChoiceFilter(
        label=_("Destination"), choices=destination_choices, method="to_destination"
    )
    on_from = JalaliDateFilter(label=_("From"), field_name="on", lookup_expr="gte")
    on_to = JalaliDateFilter(label=_("To"), field_name="on", lookup_expr="lte")

    class Meta:
        model = ExportRecord
        fields = ["province", "county", "park", "destination", "on_from", "on_to"]

    def to_destination(self, queryset, name, value):
        from .countries import PERSIAN_GULF, persian_gulf_countries

        if value == PERSIAN_GULF:
            return queryset.filter(destination__in=persian_gulf_countries())
        return queryset.filter(destination=value)
