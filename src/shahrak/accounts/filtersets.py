"""The activity log's filters, on the shared FilterSet: a filter that cannot be applied (a
date with no 14th month) lists nothing and is marked beside its field."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shahrak.core.filtersets import JalaliDateFilter, StrictFilterSet, folded_search
from shahrak.core.forms import PersianCharField

from .models import AuditEntry


class PersianCharFilter(django_filters.CharFilter):
    field_class = PersianCharField


class AuditEntryFilterSet(StrictFilterSet):
    q = PersianCharFilter(label=_("Search"), method="search")
    actor = django_filters.CharFilter(label=_("By (username)"), method="by_actor")
    action = django_filters.ChoiceFilter(
        label=_("Change"),
        empty_label=_("All"),
        choices=[("0", _("Created")), ("1", _("Changed")), ("2", _("Deleted"))],
        method="by_action",
    )
    since = JalaliDateFilter(label=_("From"), field_name="timestamp__date", lookup_expr="gte")
    until = JalaliDateFilter(label=_("Until"), field_name="timestamp__date", lookup_expr="lte")

    class Meta:
        model = AuditEntry
        fields = ["q", "actor", "action", "since", "until"]

    def search(self, queryset, name, value):
        return queryset.filter(folded_search(value, "object_repr"))

    def by_actor(self, queryset, name, value):
        return queryset.filter(actor__username__iexact=value.strip())

    def by_action(self, queryset, name, value):
        return queryset.filter(action=int(value))
