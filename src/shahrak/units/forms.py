from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.access import provinces_for
from shahrak.accounts.choices import Action
from shahrak.accounts.models import User
from shahrak.core.forms import (
    JalaliDateField,
    NumberTextInput,
    PersianCharField,
    prompted,
    start_empty,
)
from shahrak.core.uploads import validate_upload
from shahrak.parks.forms import VersionedForm
from shahrak.parks.models import Park, Plot
from shahrak.places.models import County

from .choices import IdleReason
from .countries import country_choices
from .models import Unit
from .services import next_statuses, representative_candidates


def status_choices(previous: str | None) -> list:
    """The legal next statuses after `previous` (the services' own table), behind a prompt."""
    return prompted([(status.value, status.label) for status in next_statuses(previous)])


class UnitForm(VersionedForm):
    class Meta:
        model = Unit
        fields = [
            "name", "national_id", "registration_number", "manager_name", "mobile",
            "postal_code", "county", "park", "plot", "latitude", "longitude", "isic_code",
            "products", "sector", "employees", "licence_number", "licence_date", "business_id",
        ]  # fmt: skip

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = provinces_for(actor, Action.CHANGE)
        self.fields["county"].queryset = County.objects.filter(province__in=provinces).by_name()
        self.fields["park"].queryset = Park.objects.filter(county__province__in=provinces)
        self.fields["plot"].queryset = Plot.objects.filter(
            park__county__province__in=provinces
        ).select_related("park")
        self.fields["employees"].widget = NumberTextInput()


class UnitCreateForm(UnitForm):
    # A new unit starts under construction or in operation: which, the user says.
    status = forms.ChoiceField(label=_("Status"), choices=lambda: status_choices(None))
    status_on = JalaliDateField(label=_("Status since"), initial=timezone.localdate)


class StatusForm(forms.Form):
    """A unit's next status: only those the unit may go to from where it is."""

    status = forms.ChoiceField(label=_("New status"))
    on = JalaliDateField(label=_("Date"), initial=timezone.localdate)
    reason = forms.ChoiceField(
        label=_("Reason (for idle)"), required=False,
        choices=prompted(IdleReason.choices, required=False),
    )  # fmt: skip
    note = PersianCharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = status_choices(unit.status)

    @property
    def has_choices(self) -> bool:
        """False for a unit whose status can no longer change (closed)."""
        return len(self.fields["status"].choices) > 1


class ExportForm(forms.Form):
    on = JalaliDateField(label=_("Date"), initial=timezone.localdate)
    destination = forms.ChoiceField(
        label=_("Destination country"), choices=prompted(country_choices)
    )
    product = PersianCharField(label=_("Product"), max_length=200)
    value_usd = forms.DecimalField(
        label=_("Value (USD)"), max_digits=14, decimal_places=2, widget=NumberTextInput
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_("Up to 10 MB. Download the template for the columns."),
    )

    def clean_file(self):
        """Size, kind and first bytes are checked before anything is stored or queued (the
        worker checks the same again, with the rows); a file refused here is never kept."""
        from .imports import MAX_BYTES

        upload = self.cleaned_data["file"]
        validate_upload(upload, kinds={"xlsx", "csv"}, max_bytes=MAX_BYTES)
        return upload


class RepresentativeForm(forms.Form):
    """Link an existing unit representative of the unit's province (one the actor manages)."""

    user = forms.ModelChoiceField(label=_("Unit representative"), queryset=User.objects.none())

    def __init__(self, *args, unit, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = representative_candidates(unit).filter(
            pk__in=User.objects.restrict(actor, Action.MANAGE_USERS).values("pk")
        )
        start_empty(self.fields["user"])


class RepresentativeRemoveForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Unit representative"), queryset=User.objects.none())

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = unit.representatives.all()
