from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.access import provinces_for
from shahrak.accounts.choices import Action
from shahrak.accounts.policy import access_for
from shahrak.core.forms import (
    CHOOSE,
    MillionTomanField,
    NumberTextInput,
    PersianCharField,
    ShahrakModelForm,
    VersionField,
)
from shahrak.core.jalali import jalali_year_of
from shahrak.core.text import to_ascii_digits, to_fa_digits
from shahrak.places.models import Province
from shahrak.units.choices import Sector, SizeClass

from .choices import DocumentKind
from .models import KEPT_BY_MANAGERS, Program

KEEPERS = KEPT_BY_MANAGERS[Action.CHANGE]


def keeps_national_programs(user) -> bool:
    """National programs are the system administrators' (docs/support.md)."""
    return None in access_for(user).provinces(Action.CHANGE, KEEPERS)


def kept_provinces(user):
    """The provinces whose programs and budgets `user` keeps."""
    return provinces_for(user, Action.CHANGE, KEEPERS)


def budgetable_programs(user):
    """The programs `user` may set a budget for: their provinces' own and the national ones."""
    provinces = kept_provinces(user)
    return Program.objects.filter(
        Q(province__in=provinces) | Q(province__isnull=True), archived_at__isnull=True
    ).order_by("title", "pk")


class IsicCodesField(PersianCharField):
    """ISIC codes or their leading digits, separated by commas or spaces: «۱۰، ۱۰۷۹»."""

    def to_python(self, value):
        text = to_ascii_digits(super().to_python(value) or "")
        return [part for part in text.replace("،", " ").replace(",", " ").split() if part]

    def prepare_value(self, value):
        if isinstance(value, list):
            value = "، ".join(value)
        return super().prepare_value(value)


def _checkboxes(label, choices):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class ProgramForm(ShahrakModelForm):
    """A program of the catalogue. Eligibility left empty means "any"."""

    version = VersionField(required=False)
    size_classes = _checkboxes(_("eligible size classes"), SizeClass.choices)
    sectors = _checkboxes(_("eligible sectors"), Sector.choices)
    isic_prefixes = IsicCodesField(
        label=_("eligible ISIC codes"), required=False,
        help_text=_("Codes or their leading digits, separated by commas; empty: any."),
    )  # fmt: skip
    required_documents = _checkboxes(_("required documents"), DocumentKind.choices)

    class Meta:
        model = Program
        fields = ["title", "description", "family", "flagship", "province",
                  "eligible_provinces", "rate_min_pct", "rate_max_pct", "cap_per_unit_rial",
                  "opens_on", "closes_on", "size_classes", "sectors", "isic_prefixes",
                  "in_park_only", "required_documents"]  # fmt: skip
        widgets = {"eligible_provinces": forms.CheckboxSelectMultiple}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
            # Where a program belongs is fixed once it exists.
            del self.fields["province"]
        else:
            province = self.fields["province"]
            province.queryset = kept_provinces(actor)
            province.required = not keeps_national_programs(actor)
            province.empty_label = _("National") if not province.required else CHOOSE
            choices = list(province.queryset[:2])
            if province.required and len(choices) == 1:  # a manager's own province
                province.initial = choices[0]
        national = self.instance.pk and self.instance.province_id is None
        if national or (not self.instance.pk and keeps_national_programs(actor)):
            self.fields["eligible_provinces"].queryset = Province.objects.by_name()
        else:
            del self.fields["eligible_provinces"]
        for name in ("rate_min_pct", "rate_max_pct"):
            self.fields[name].widget = NumberTextInput()

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class YearInput(NumberTextInput):
    """A year as it is written: ۱۴۰۰, never grouped like an amount (۱٬۴۰۰)."""

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return (
                to_fa_digits(str(value))
                if (get_language() or "fa").startswith("fa")
                else str(value)
            )
        return super().format_value(value)


class BudgetForm(forms.Form):
    """A program's budget for one province and Jalali year."""

    program = forms.ModelChoiceField(label=_("program"), queryset=Program.objects.none())
    province = forms.ModelChoiceField(label=_("province"), queryset=Province.objects.none())
    year = forms.IntegerField(
        label=_("Jalali year"), min_value=1380, max_value=1500, widget=YearInput
    )
    amount_rial = MillionTomanField(label=_("budget"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = budgetable_programs(actor)
        self.fields["province"].queryset = kept_provinces(actor)
        self.fields["year"].initial = jalali_year_of(timezone.localdate())
        for name in ("program", "province"):
            self.fields[name].empty_label = CHOOSE
        provinces = list(self.fields["province"].queryset[:2])
        if len(provinces) == 1:  # a manager's own province: nothing to choose
            self.fields["province"].initial = provinces[0]


# --- applications ----------------------------------------------------------------------------
def units_to_apply_for(user):
    """The units `user` may apply for: those they represent, and the units of the provinces
    whose applications they keep (the staff register applications for units)."""
    from shahrak.support.models import KEPT_BY_STAFF
    from shahrak.units.models import Unit

    staff = provinces_for(user, Action.CHANGE, KEPT_BY_STAFF[Action.CHANGE])
    visible = Unit.objects.restrict(user, Action.VIEW)
    return (
        visible.filter(Q(county__province__in=staff) | Q(representatives=user))
        .distinct()
        .order_by("sort_key", "pk")
    )


def programs_to_apply_to(user):
    """Programs open today in the provinces of those units (their own and national ones)."""
    today = timezone.localdate()
    provinces = units_to_apply_for(user).values("county__province")
    return Program.objects.filter(
        Q(province__in=provinces) | Q(province__isnull=True),
        Q(closes_on__isnull=True) | Q(closes_on__gte=today),
        opens_on__lte=today,
        archived_at__isnull=True,
    ).order_by("title", "pk")


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=[("", CHOOSE), *DocumentKind.choices])
    file = forms.FileField(label=_("file"), help_text=_("A PDF, PNG or JPEG file of at most 5 MB."))


class ApplicationForm(forms.Form):
    """A unit's application to a program (a draft), with a first document if there is one."""

    unit = forms.ModelChoiceField(label=_("unit"), queryset=Program.objects.none())
    program = forms.ModelChoiceField(label=_("program"), queryset=Program.objects.none())
    description = PersianCharField(
        label=_("what the support is for"), max_length=2000, widget=forms.Textarea
    )
    requested_cost_rial = MillionTomanField(label=_("estimated cost"))
    kind = forms.ChoiceField(
        label=_("kind of document"), required=False,
        choices=[("", "—"), *DocumentKind.choices],
    )  # fmt: skip
    file = forms.FileField(
        label=_("file"), required=False, help_text=_("A PDF, PNG or JPEG file of at most 5 MB.")
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_to_apply_for(actor)
        self.fields["program"].queryset = programs_to_apply_to(actor)
        for name in ("unit", "program"):
            self.fields[name].empty_label = CHOOSE
        units = list(self.fields["unit"].queryset[:2])
        if len(units) == 1:
            self.fields["unit"].initial = units[0]

    def clean(self):
        data = super().clean()
        if data.get("file") and not data.get("kind"):
            self.add_error("kind", _("Say what the attached document is."))
        return data


class SubmitForm(forms.Form):
    """The submit button's form: it says it means to submit (a bare POST submits nothing)."""

    confirm = forms.BooleanField(widget=forms.HiddenInput, initial=True)


class WithdrawForm(forms.Form):
    """Withdrawing says why (the unit's side and the expert are told)."""

    reason = PersianCharField(label=_("reason"), max_length=1000)
