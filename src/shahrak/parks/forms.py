from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.access import provinces_for
from shahrak.accounts.choices import Action
from shahrak.core.forms import (
    JalaliDateField,
    MillionTomanField,
    NumberTextInput,
    PersianCharField,
    ShahrakModelForm,
    VersionField,
    prompted,
)
from shahrak.places.models import County

from .choices import PlotStatus
from .models import InfrastructureProject, Park, ParkSection, Plot
from .services import plot_next_statuses


class VersionedForm(ShahrakModelForm):
    """A model form that carries the version it was opened at (no silent overwrites): an
    edit posted without it is refused; a new record has none."""

    version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ParkForm(VersionedForm):
    class Meta:
        model = Park
        fields = [
            "name",
            "kind",
            "county",
            "status",
            "latitude",
            "longitude",
            "gross_area_ha",
            "industrial_area_ha",
            "established_on",
        ]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # Only counties of provinces where the user may add and change parks.
        self.fields["county"].queryset = (
            County.objects.filter(province__in=provinces_for(actor, Action.CHANGE))
            .select_related("province")
            .by_name()
        )


class SectionForm(ShahrakModelForm):
    class Meta:
        model = ParkSection
        fields = ["name", "area_ha", "opened_on"]


class PlotForm(ShahrakModelForm):
    on = JalaliDateField(label=_("Ready for allocation from"), initial=timezone.localdate)

    class Meta:
        model = Plot
        fields = ["number", "area_m2", "use", "section"]

    def __init__(self, *args, park, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = park.sections.all()


class PlotStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=prompted(PlotStatus.choices))
    on = JalaliDateField(label=_("Date"), initial=timezone.localdate)
    allottee = PersianCharField(label=_("Allocated to"), required=False, max_length=200)
    note = PersianCharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, plot, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the statuses the plot may go to next (never its own).
        self.fields["status"].choices = prompted(
            [(status.value, status.label) for status in plot_next_statuses(plot.status)]
        )


class ProjectForm(VersionedForm):
    class Meta:
        model = InfrastructureProject
        fields = [
            "title",
            "kind",
            "section",
            "capacity",
            "capacity_unit",
            "estimated_cost_rial",
            "contractor",
            "planned_start",
            "planned_end",
            "target_delivery",
        ]

    def __init__(self, *args, park, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = park.sections.all()


class ProgressReportForm(forms.Form):
    on = JalaliDateField(label=_("Date"), initial=timezone.localdate)
    progress_pct = forms.DecimalField(
        label=_("Physical progress (%)"), max_digits=5, decimal_places=2, widget=NumberTextInput
    )
    spent_to_date_rial = MillionTomanField(label=_("Spent to date"), required=False)
    note = PersianCharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, delivered: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if delivered:  # progress is 100 % from delivery: only the money spent is asked
            self.fields["progress_pct"].initial = 100
            self.fields["progress_pct"].widget = forms.HiddenInput()
            self.fields["spent_to_date_rial"].required = True


class DeliveryForm(forms.Form):
    on = JalaliDateField(label=_("Delivery date"), initial=timezone.localdate)
