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
    JalaliDateField,
    MillionTomanField,
    NumberTextInput,
    PersianCharField,
    SearchableModelChoiceField,
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
    ).order_by("sort_key", "pk")


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


def applicant_provinces(user) -> list[int]:
    """The provinces whose budgets matter to `user` when applying: their units' (for a
    representative) and those whose applications they keep (the staff)."""
    from shahrak.support.models import KEPT_BY_STAFF
    from shahrak.units.models import Unit

    staff = set(
        provinces_for(user, Action.CHANGE, KEPT_BY_STAFF[Action.CHANGE]).values_list(
            "pk", flat=True
        )
    )
    own = Unit.objects.restrict(user, Action.VIEW).filter(representatives=user)
    return sorted(staff | set(own.values_list("county__province", flat=True).distinct()))


def with_budget_here(programs, user):
    """`programs` annotated with `budget_here`: whether the program has a budget for the
    current Jalali year in one of the user's provinces (None when the user has none)."""
    from django.db.models import BooleanField, Exists, OuterRef, Value

    from shahrak.core.jalali import jalali_year_of
    from shahrak.support.models import ProgramBudget

    provinces = applicant_provinces(user)
    if not provinces:
        return programs.annotate(budget_here=Value(None, output_field=BooleanField(null=True)))
    budgets = ProgramBudget.objects.filter(
        program=OuterRef("pk"),
        province__in=provinces,
        year=jalali_year_of(timezone.localdate()),
        amount_rial__gt=0,
    )
    return programs.annotate(budget_here=Exists(budgets))


def programs_to_apply_to(user):
    """Programs open today in the provinces of those units (their own and national ones)."""
    today = timezone.localdate()
    provinces = units_to_apply_for(user).values("county__province")
    return Program.objects.filter(
        Q(province__in=provinces) | Q(province__isnull=True),
        Q(closes_on__isnull=True) | Q(closes_on__gte=today),
        opens_on__lte=today,
        archived_at__isnull=True,
    ).order_by("sort_key", "pk")


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
        help_text=_("Required when a file is attached."),
    )  # fmt: skip
    file = forms.FileField(
        label=_("file"), required=False, help_text=_("A PDF, PNG or JPEG file of at most 5 MB.")
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self._file_note_given = False
        if self.files and self.files.get("file"):
            self.fields["kind"].required = True  # a file is attached: say what it is
            self.fields["kind"].error_messages["required"] = _("Say what the attached document is.")
        self.fields["unit"].queryset = units_to_apply_for(actor)
        self.fields["program"].queryset = programs_to_apply_to(actor)
        for name in ("unit", "program"):
            self.fields[name].empty_label = CHOOSE
        units = list(self.fields["unit"].queryset[:2])
        if len(units) == 1:
            self.fields["unit"].initial = units[0]

    def clean(self):
        data = super().clean()
        if data.get("file") and not data.get("kind") and "kind" not in self.errors:
            self.add_error("kind", _("Say what the attached document is."))
        return data

    def add_error(self, field, error):
        """A refused form cannot keep an attached file (a browser never sends it again): say
        beside the file field that it must be attached again."""
        super().add_error(field, error)
        if self._file_note_given or not (self.files and self.files.get("file")):
            return
        self._file_note_given = True
        if field != "file":
            super().add_error(
                "file", _("Nothing was saved, and the file was not kept: attach it again.")
            )


class SubmitForm(forms.Form):
    """The submit button's form: it says it means to submit (a bare POST submits nothing)."""

    confirm = forms.BooleanField(widget=forms.HiddenInput, initial=True)


class WithdrawForm(forms.Form):
    """Withdrawing says why (the unit's side and the expert are told)."""

    reason = PersianCharField(label=_("reason"), max_length=1000)


# --- exhibitions and services ------------------------------------------------------------------
def recording_provinces(user):
    """The provinces whose exhibitions, supports and services `user` records (the staff)."""
    from shahrak.support.models import KEPT_BY_STAFF

    return provinces_for(user, Action.CHANGE, KEPT_BY_STAFF[Action.CHANGE])


def units_to_record_for(user):
    from shahrak.units.models import Unit

    return (
        Unit.objects.restrict(user, Action.VIEW)
        .filter(county__province__in=recording_provinces(user), archived_at__isnull=True)
        .order_by("sort_key", "pk")
    )


def _country_choices():
    from shahrak.units.countries import country_choices

    return [("", "—"), *country_choices()]


class ExhibitionForm(ShahrakModelForm):
    """An exhibition of the registry; a foreign one names its country."""

    version = VersionField(required=False)
    country = forms.ChoiceField(label=_("country"), required=False, choices=_country_choices)

    class Meta:
        from shahrak.support.models import Exhibition

        model = Exhibition
        fields = ["name", "reach", "city", "country", "starts_on", "ends_on", "organiser",
                  "province"]  # fmt: skip

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].help_text = _("For a foreign exhibition.")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
            del self.fields["province"]
            if self.instance.country == "IR":
                self.initial["country"] = ""
        else:
            province = self.fields["province"]
            province.queryset = recording_provinces(actor)
            province.empty_label = CHOOSE
            choices = list(province.queryset[:2])
            if len(choices) == 1:
                province.initial = choices[0]

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class ExhibitionSupportForm(forms.Form):
    """A unit's support at an exhibition; linked to its approved application, if any."""

    version = VersionField(required=False)
    unit = SearchableModelChoiceField(label=_("unit"), queryset=Program.objects.none())
    exhibition = SearchableModelChoiceField(label=_("exhibition"), queryset=Program.objects.none())
    kind = forms.ChoiceField(label=_("kind of support"), choices=[("", CHOOSE)])
    booth_area_m2 = forms.DecimalField(
        label=_("booth area (m²)"), required=False, min_value=0, max_digits=8,
        decimal_places=2, widget=NumberTextInput,
    )  # fmt: skip
    subsidy_rial = MillionTomanField(label=_("subsidy"), required=False)
    application = forms.ModelChoiceField(
        label=_("approved by the application"), required=False,
        queryset=Program.objects.none(),
    )  # fmt: skip

    def __init__(self, *args, actor, instance=None, **kwargs):
        from shahrak.support.choices import COMMITTING, ExhibitionSupportKind
        from shahrak.support.models import Application, Exhibition

        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["kind"].choices = [("", CHOOSE), *ExhibitionSupportKind.choices]
        self.fields["exhibition"].queryset = Exhibition.objects.filter(
            archived_at__isnull=True
        ).order_by("-starts_on", "name")
        self.fields["application"].queryset = (
            Application.objects.restrict(actor, Action.CHANGE)
            .filter(status__in=COMMITTING, unit__county__province__in=recording_provinces(actor))
            .select_related("unit", "program")
            .order_by("-pk")
        )
        self.fields["application"].empty_label = "—"
        if instance is not None:
            del self.fields["unit"]
            self.fields["version"].required = True
            for name in ("version", "exhibition", "kind", "booth_area_m2", "subsidy_rial",
                         "application"):  # fmt: skip
                self.initial[name] = getattr(instance, name)
        else:
            self.fields["unit"].queryset = units_to_record_for(actor)

    def changed_values(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self.fields if name not in ("version", "unit")
        }


class ServiceRecordForm(forms.Form):
    """A service given to one or more units; a mobile clinic's visit names its park and team."""

    version = VersionField(required=False)
    kind = forms.ModelChoiceField(label=_("kind of service"), queryset=Program.objects.none())
    on = JalaliDateField(label=_("date"))
    units = forms.ModelMultipleChoiceField(
        label=_("units"), queryset=Program.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip
    provider = PersianCharField(label=_("provider"), max_length=250)
    cost_rial = MillionTomanField(label=_("cost"), required=False)
    park = forms.ModelChoiceField(
        label=_("park"), required=False, queryset=Program.objects.none(),
        help_text=_("For a mobile clinic's visit: the park it visited."),
    )  # fmt: skip
    team = PersianCharField(
        label=_("team"), max_length=500, required=False,
        help_text=_("For a mobile clinic's visit: who went."),
    )  # fmt: skip
    description = PersianCharField(
        label=_("description"), required=False, max_length=4000, widget=forms.Textarea
    )

    def __init__(self, *args, actor, instance=None, **kwargs):
        from shahrak.parks.models import Park
        from shahrak.support.models import ServiceKind

        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["kind"].queryset = ServiceKind.objects.filter(archived_at__isnull=True)
        self.fields["kind"].empty_label = CHOOSE
        provinces = recording_provinces(actor)
        units = units_to_record_for(actor)
        parks = Park.objects.filter(county__province__in=provinces, archived_at__isnull=True)
        if instance is not None:
            units = units.filter(county__province=instance.province_id)
            parks = parks.filter(county__province=instance.province_id)
            self.fields["version"].required = True
            for name in ("version", "kind", "on", "provider", "cost_rial", "park", "team",
                         "description"):  # fmt: skip
                self.initial[name] = getattr(instance, name)
            self.initial["units"] = list(instance.units.all())
        self.fields["units"].queryset = units
        self.fields["park"].queryset = parks.order_by("sort_key", "pk")
        self.fields["park"].empty_label = "—"

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class ArchiveForm(forms.Form):
    """The archive button's form: it says it means to archive (a bare POST archives nothing)."""

    confirm = forms.BooleanField(widget=forms.HiddenInput, initial=True)


# --- the staff's steps on an application (docs/support.md) ---------------------------------
def reviewers_of(provinces):
    """Who may be given an application of the province(s) to review: their experts and
    managers (`provinces`: a province's id, or a queryset of provinces)."""
    from shahrak.accounts.choices import Role
    from shahrak.accounts.models import Membership, User

    where = {"province__in": provinces} if hasattr(provinces, "model") else {
        "province_id": provinces
    }  # fmt: skip
    holds = Membership.objects.filter(
        role__in=(Role.EXPERT, Role.MANAGER), archived_at__isnull=True, **where
    )
    return User.objects.filter(pk__in=holds.values("user"), is_active=True).order_by(
        "last_name", "first_name", "username"
    )


class AssignForm(forms.Form):
    """Give the application to one of its province's experts (or managers)."""

    expert = forms.ModelChoiceField(label=_("expert"), queryset=Program.objects.none())

    def __init__(self, *args, province_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = reviewers_of(province_id)
        self.fields["expert"].empty_label = CHOOSE


class ReviewForm(forms.Form):
    note = PersianCharField(
        label=_("review"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    """Returning for changes and rejecting say why (the unit's side is told)."""

    reason = PersianCharField(
        label=_("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(forms.Form):
    approved_cost_rial = MillionTomanField(label=_("approved cost"))
    approved_rate_pct = forms.DecimalField(
        label=_("subsidy rate (%)"), max_digits=5, decimal_places=2, widget=NumberTextInput
    )


class ExecuteForm(forms.Form):
    """The work done: its cost, and the invoices (attached here or before)."""

    actual_cost_rial = MillionTomanField(label=_("actual cost"))
    eligible_cost_rial = MillionTomanField(
        label=_("eligible cost"), required=False, help_text=_("Empty: all of the actual cost.")
    )
    on = JalaliDateField(label=_("executed on"), required=False)
    file = forms.FileField(
        label=_("invoice"), required=False, help_text=_("A PDF, PNG or JPEG file of at most 5 MB.")
    )


class PaymentForm(forms.Form):
    amount_rial = MillionTomanField(label=_("amount"))
    on = JalaliDateField(label=_("paid on"))
    reference = PersianCharField(label=_("payment reference"), max_length=100, required=False)


class CloseForm(SubmitForm):
    """The close button's form (a bare POST closes nothing)."""


class BatchForm(forms.Form):
    """One action on several applications of the list: assign them all to one expert, or
    reject them all with one reason."""

    ASSIGN, REJECT = "assign", "reject"
    applications = forms.ModelMultipleChoiceField(
        label=_("applications"), queryset=Program.objects.none(), widget=forms.MultipleHiddenInput
    )
    action = forms.ChoiceField(
        label=_("action"),
        choices=[("", CHOOSE), (ASSIGN, _("Assign to an expert")), (REJECT, _("Reject"))],
    )
    expert = forms.ModelChoiceField(
        label=_("expert"), queryset=Program.objects.none(), required=False
    )
    reason = PersianCharField(label=_("reason"), max_length=1000, required=False)

    def __init__(self, *args, applications, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        self.fields["expert"].queryset = experts
        self.fields["expert"].empty_label = CHOOSE

    def clean(self):
        data = super().clean()
        if data.get("action") == self.ASSIGN and not data.get("expert"):
            self.add_error("expert", _("Choose the expert."))
        if data.get("action") == self.REJECT and not data.get("reason"):
            self.add_error("reason", _("Say why they are rejected."))
        return data
