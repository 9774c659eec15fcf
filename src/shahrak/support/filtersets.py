"""One FilterSet per list, shared by the UI pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shahrak.core.filtersets import folded_search
from shahrak.core.forms import JalaliDateField
from shahrak.core.text import normalize_fa
from shahrak.parks.filtersets import StrictFilterSet, province_filter
from shahrak.places.models import Province

from .choices import ApplicationStatus, ExhibitionReach, ExhibitionSupportKind, ProgramFamily
from .models import (
    Application,
    Exhibition,
    ExhibitionSupport,
    Payment,
    Program,
    ProgramBudget,
    ServiceRecord,
)


class JalaliDateFilter(django_filters.DateFilter):
    field_class = JalaliDateField


def all_provinces(request):
    """The catalogue is read by everyone: every province may be asked about."""
    return Province.objects.by_name()


class LinkDateField(JalaliDateField):
    """A Jalali date (1400/01/01, ۱۴۰۰/۰۱/۰۱) or an ISO Gregorian one (2021-03-21)."""

    def to_python(self, value):
        import datetime as dt
        import re

        from django.core.exceptions import ValidationError

        from shahrak.core.text import to_ascii_digits

        if value in self.empty_values or hasattr(value, "year"):
            return super().to_python(value)
        plain = to_ascii_digits(str(value)).strip()
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", plain)
        if match and int(match.group(1)) >= 1700:
            try:
                return dt.date.fromisoformat(plain)
            except ValueError as error:
                raise ValidationError(str(error), code="invalid") from error
        return super().to_python(plain)


class LinkDateFilter(django_filters.DateFilter):
    field_class = LinkDateField


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
        return queryset.filter(folded_search(key, "title", "description"))

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


def programs_applied_to(request):
    """The programs of the applications the user may see (for the list's filter)."""
    from shahrak.accounts.choices import Action

    if request is None:
        return Program.objects.none()
    seen = Application.objects.restrict(request.user, Action.VIEW).values("program")
    return Program.objects.filter(pk__in=seen).order_by("sort_key", "pk")


def experts_assigned(request):
    """The people assigned to the applications the user may see (never anyone else)."""
    from shahrak.accounts.choices import Action
    from shahrak.accounts.models import User

    if request is None:
        return User.objects.none()
    seen = Application.objects.restrict(request.user, Action.VIEW).values("assigned_to")
    return User.objects.filter(pk__in=seen).order_by("last_name", "first_name", "username")


# Days an application may be said to wait (a century): more cannot be subtracted from today.
MAX_WAITING_DAYS = 36_500


class ApplicationFilterSet(StrictFilterSet):
    """Applications by stage and age: how long each has waited since its last step (the
    list annotates `last_step_at`)."""

    status = django_filters.ChoiceFilter(label=_("Stage"), choices=ApplicationStatus.choices)
    program = django_filters.ModelChoiceFilter(
        label=_("program"), field_name="program", queryset=programs_applied_to
    )
    province = province_filter("unit__county__province")
    waiting_days = django_filters.NumberFilter(
        label=_("Waiting at least (days)"),
        method="waiting_at_least",
        min_value=0,
        max_value=MAX_WAITING_DAYS,
    )

    # The applications behind a report's figures: submitted, approved between two days
    # (Jalali, or ISO as the figures' links give them), in a county or a park.
    county = django_filters.NumberFilter(
        label=_("County"), field_name="unit__county", widget=forms.HiddenInput
    )
    park = django_filters.NumberFilter(
        label=_("Park"), field_name="unit__park", widget=forms.HiddenInput
    )
    waiting_under = django_filters.NumberFilter(
        label=_("Waiting at most (days)"), method="waiting_at_most", min_value=0,
        max_value=MAX_WAITING_DAYS,
        widget=forms.HiddenInput,
    )  # fmt: skip
    submitted_from = LinkDateFilter(
        label=_("Submitted from"), method="submitted_within", widget=forms.HiddenInput
    )
    submitted_to = LinkDateFilter(
        label=_("Submitted until"), method="submitted_within", widget=forms.HiddenInput
    )
    approved_from = LinkDateFilter(
        label=_("Approved from"), field_name="approved_on", lookup_expr="gte",
        widget=forms.HiddenInput,
    )  # fmt: skip
    approved_to = LinkDateFilter(
        label=_("Approved until"), field_name="approved_on", lookup_expr="lte",
        widget=forms.HiddenInput,
    )  # fmt: skip

    class Meta:
        model = Application
        fields = ["status", "province", "waiting_days", "program"]

    # The staff's filters: the assigned expert, and "my work" (selectors.my_work).
    expert = django_filters.ModelChoiceFilter(
        label=_("expert"), field_name="assigned_to", queryset=experts_assigned
    )
    mine = django_filters.ChoiceFilter(
        label=_("My work"), method="waiting_on_me",
        choices=[("to_assign", _("Waiting to be assigned")), ("assigned", _("Assigned to me")),
                 ("to_decide", _("Waiting for my decision")),
                 ("to_settle", _("Waiting for payment or closing"))],
    )  # fmt: skip

    STAFF_ONLY = ("expert", "mine")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The staff's filters mean nothing to others (a unit's representative, headquarters,
        # an auditor): not offered to them. A link carrying them still applies (hidden), so
        # "my work" stays empty for whoever has none.
        if not self._is_provincial_staff():
            for name in self.STAFF_ONLY:
                hidden = self.filters[name]
                hidden.extra["widget"] = forms.HiddenInput
                # A field built before (and copied with the class's filters) keeps its
                # select: drop it so the next one is built with the hidden widget.
                hidden.__dict__.pop("_field", None)

    def _is_provincial_staff(self) -> bool:
        from shahrak.accounts.access import provinces_for
        from shahrak.accounts.choices import Action

        from .models import KEPT_BY_STAFF

        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return bool(provinces_for(user, Action.CHANGE, KEPT_BY_STAFF[Action.CHANGE]))

    def waiting_on_me(self, queryset, name, value):
        from .selectors import my_work

        user = self.request.user if self.request is not None else None
        return my_work(user, value, queryset)

    def waiting_at_least(self, queryset, name, value):
        import datetime as dt

        from django.utils import timezone

        return queryset.filter(last_step_at__lte=timezone.now() - dt.timedelta(days=int(value)))

    def waiting_at_most(self, queryset, name, value):
        """At most `value` whole days since the last step (the budget pages' age columns)."""
        import datetime as dt

        from django.utils import timezone

        since = timezone.now() - dt.timedelta(days=int(value) + 1)
        return queryset.filter(last_step_at__gt=since)

    def submitted_within(self, queryset, name, value):
        """Applications with a submission on a day within the two filters (both read here:
        one Exists over the steps, not two that could match different steps)."""
        from .metrics import submitted_within

        data = self.form.cleaned_data
        start = data.get("submitted_from") or dt_min()
        end = data.get("submitted_to") or dt_max()
        if name == "submitted_to" and data.get("submitted_from"):
            return queryset  # applied once, by submitted_from
        return queryset.filter(submitted_within(start, end))


def dt_min():
    import datetime as dt

    return dt.date(1900, 1, 1)


def dt_max():
    import datetime as dt

    return dt.date(2200, 1, 1)


class PaymentFilterSet(StrictFilterSet):
    """Subsidy payments: by province, county, park, program and date (a report's figure of
    payments links here)."""

    province = province_filter("application__unit__county__province")
    county = django_filters.NumberFilter(
        label=_("County"), field_name="application__unit__county", widget=forms.HiddenInput
    )
    park = django_filters.NumberFilter(
        label=_("Park"), field_name="application__unit__park", widget=forms.HiddenInput
    )
    program = django_filters.NumberFilter(
        label=_("program"), field_name="application__program", widget=forms.HiddenInput
    )
    on_from = LinkDateFilter(label=_("Paid from"), field_name="on", lookup_expr="gte")
    on_to = LinkDateFilter(label=_("Paid until"), field_name="on", lookup_expr="lte")

    class Meta:
        model = Payment
        fields = ["province", "on_from", "on_to", "program"]


class BudgetFilterSet(StrictFilterSet):
    """Program budgets by Jalali year, province, family and program (the budget pages and
    the API)."""

    year = django_filters.NumberFilter(label=_("Jalali year"), min_value=1380, max_value=1500)
    province = province_filter("province")
    family = django_filters.ChoiceFilter(
        label=_("Family"), field_name="program__family", choices=ProgramFamily.choices
    )
    program = django_filters.NumberFilter(
        label=_("program"), field_name="program", widget=forms.HiddenInput
    )

    class Meta:
        model = ProgramBudget
        fields = ["year", "province", "family", "program"]


class CapFilterSet(StrictFilterSet):
    """The units that reached a program's cap: by Jalali year, province and program (the
    filters only; the rows come from `selectors.caps_reached`)."""

    year = django_filters.NumberFilter(label=_("Jalali year"), min_value=1380, max_value=1500)
    province = province_filter("unit__county__province")
    program = django_filters.NumberFilter(
        label=_("program"), field_name="program", widget=forms.HiddenInput
    )

    class Meta:
        model = Application
        fields = ["year", "province", "program"]


# --- exhibitions and services ------------------------------------------------------------------
def _counties(request):
    from shahrak.parks.filtersets import visible_counties

    return visible_counties(request)


def _service_kinds(request):
    from .models import ServiceKind

    return ServiceKind.objects.all()


class ExhibitionFilterSet(StrictFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    reach = django_filters.ChoiceFilter(
        label=_("Domestic or foreign"), choices=ExhibitionReach.choices
    )
    starts_from = JalaliDateFilter(
        label=_("Starts from"), field_name="starts_on", lookup_expr="gte"
    )
    starts_to = JalaliDateFilter(label=_("Starts until"), field_name="starts_on", lookup_expr="lte")
    province = province_filter("province")

    class Meta:
        model = Exhibition
        fields = ["q", "reach", "starts_from", "starts_to", "province"]

    def search(self, queryset, name, value):
        key = normalize_fa(value).strip()
        return queryset.filter(folded_search(key, "name", "city", "organiser"))


class ExhibitionSupportFilterSet(StrictFilterSet):
    """Supports by the unit's place, the exhibition's reach and its first day (the reports'
    links: `on_from`, `on_to`, `reach`)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    province = province_filter("unit__county__province")
    county = django_filters.ModelChoiceFilter(
        label=_("County"), queryset=_counties, field_name="unit__county"
    )
    park = django_filters.NumberFilter(
        label=_("Park"), field_name="unit__park", widget=forms.HiddenInput
    )
    unit = django_filters.NumberFilter(label=_("Unit"), field_name="unit", widget=forms.HiddenInput)
    exhibition = django_filters.NumberFilter(
        label=_("exhibition"), field_name="exhibition", widget=forms.HiddenInput
    )
    reach = django_filters.ChoiceFilter(
        label=_("Domestic or foreign"), field_name="exhibition__reach",
        choices=ExhibitionReach.choices,
    )  # fmt: skip
    kind = django_filters.ChoiceFilter(
        label=_("kind of support"), choices=ExhibitionSupportKind.choices
    )
    on_from = JalaliDateFilter(label=_("From"), field_name="on", lookup_expr="gte")
    on_to = JalaliDateFilter(label=_("Until"), field_name="on", lookup_expr="lte")

    class Meta:
        model = ExhibitionSupport
        fields = ["q", "province", "county", "park", "unit", "exhibition", "reach", "kind",
                  "on_from", "on_to"]  # fmt: skip

    def search(self, queryset, name, value):
        key = normalize_fa(value).strip()
        return queryset.filter(folded_search(key, "unit__name", "exhibition__name"))


class ServiceRecordFilterSet(StrictFilterSet):
    """Service records by place, kind (its code, as the reports' breakdown names it) and date."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    province = province_filter("province")
    county = django_filters.ModelChoiceFilter(
        label=_("County"), queryset=_counties, field_name="units__county", distinct=True
    )
    park = django_filters.NumberFilter(label=_("Park"), method="in_park", widget=forms.HiddenInput)
    unit = django_filters.NumberFilter(label=_("Unit"), method="for_unit", widget=forms.HiddenInput)
    kind = django_filters.ModelChoiceFilter(
        label=_("kind of service"), queryset=_service_kinds, to_field_name="code"
    )
    # Typed in Jalali; a link may give ISO dates (as the reports' do).
    on_from = LinkDateFilter(label=_("From"), field_name="on", lookup_expr="gte")
    on_to = LinkDateFilter(label=_("Until"), field_name="on", lookup_expr="lte")

    class Meta:
        model = ServiceRecord
        fields = ["q", "province", "county", "park", "unit", "kind", "on_from", "on_to"]

    def _through_units(self, queryset, **lookup):
        return queryset.filter(pk__in=ServiceRecord.objects.filter(**lookup).values("pk"))

    def in_park(self, queryset, name, value):
        return self._through_units(queryset, units__park=value)

    def for_unit(self, queryset, name, value):
        return self._through_units(queryset, units=value)

    def search(self, queryset, name, value):
        key = normalize_fa(value).strip()
        return queryset.filter(folded_search(key, "provider", "description", "team"))
