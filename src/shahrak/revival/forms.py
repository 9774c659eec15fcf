"""The revival forms: each step of a case, a unit's monthly report and its review. The rules
are the services' (they refuse with a message the form shows); the forms only read and clean
what was typed: Jalali dates, Persian digits, money in million toman."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.choices import Action
from shahrak.accounts.models import User
from shahrak.core.forms import (
    JalaliDateField,
    MillionTomanField,
    NumberTextInput,
    PersianCharField,
    prompted,
)
from shahrak.core.jalali import MONTHS_FA, jalali_year_of, to_jalali
from shahrak.core.text import to_fa_digits
from shahrak.parks.forms import VersionedForm
from shahrak.support.models import Application, Program
from shahrak.units.choices import IdleReason
from shahrak.units.models import Unit

from .choices import ActionOwner, FindingArea, IdentifiedBy, Severity
from .models import MonthlyReport, ProvinceRevivalSettings
from .services import DIAGNOSERS
from .watch import REPORTING_START, month_of

FIRST_YEAR = month_of(REPORTING_START)[0]  # the first year units report for


def province_staff(province_id: int):
    """The experts and managers of a province (who diagnose, visit and are assigned)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__role__in=DIAGNOSERS,
            memberships__province_id=province_id,
            memberships__archived_at__isnull=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ReasonsField(forms.MultipleChoiceField):
    """Idle reasons ticked (the full form) or picked (the watch list's one-step select, whose
    prompt posts an empty value): an empty value is no reason chosen, not an invalid one, so
    nothing chosen says the field is required."""

    def to_python(self, value):
        return [choice for choice in super().to_python(value) if choice != ""]


class CaseOpenForm(forms.Form):
    opened_on = JalaliDateField(label=_("Identified on"), initial=timezone.localdate)
    identified_by = forms.ChoiceField(
        label=_("Identified by"), choices=prompted(IdentifiedBy.choices)
    )
    reasons = ReasonsField(
        label=_("Reasons it became idle"),
        choices=IdleReason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one reason.")},
    )
    jobs_at_stake = forms.IntegerField(
        label=_("Jobs at stake"), required=False, min_value=0, widget=NumberTextInput,
        help_text=_("Empty: the unit's registered employees."),
    )  # fmt: skip
    assigned_to = StaffChoiceField(
        label=_("Assigned expert"), queryset=User.objects.none(), required=False
    )
    note = PersianCharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = province_staff(unit.county.province_id)


class DiagnosisForm(forms.Form):
    """A diagnosis: its date, who made it, and a finding (severity, text) per area; areas
    left empty were not examined."""

    on = JalaliDateField(label=_("Date"), initial=timezone.localdate)
    diagnosed_by = StaffChoiceField(label=_("Expert or consultant"), queryset=User.objects.none())
    summary = PersianCharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        staff = province_staff(case.unit.county.province_id)
        self.fields["diagnosed_by"].queryset = staff
        if actor is not None and staff.filter(pk=actor.pk).exists():
            self.fields["diagnosed_by"].initial = actor.pk
        for area, label in FindingArea.choices:
            self.fields[f"severity_{area}"] = forms.ChoiceField(
                label=_("%(area)s: severity") % {"area": label},
                choices=prompted(Severity.choices, required=False),
                required=False,
            )
            self.fields[f"text_{area}"] = PersianCharField(
                label=_("%(area)s: findings") % {"area": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        data = super().clean()
        for area, _label in FindingArea.choices:
            severity, text = data.get(f"severity_{area}"), data.get(f"text_{area}")
            if bool(severity) != bool(text):
                field = f"text_{area}" if severity else f"severity_{area}"
                self.add_error(field, _("Give both the severity and the findings of an area."))
        return data

    def findings(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"area": area, "severity": data[f"severity_{area}"], "text": data[f"text_{area}"]}
            for area, _label in FindingArea.choices
            if data.get(f"severity_{area}")
        ]

    def areas(self):
        """(label, severity field, text field) per area, for the template."""
        return [
            (label, self[f"severity_{area}"], self[f"text_{area}"])
            for area, label in FindingArea.choices
        ]


class AttachmentForm(forms.Form):
    """A file attached to a diagnosis (checked by the service: content and size)."""

    title = PersianCharField(label=_("What it is"), max_length=200, required=False)
    file = forms.FileField(label=_("file"), help_text=_("A PDF, PNG or JPEG file of at most 5 MB."))


class ArchiveForm(forms.Form):
    """An archive button: nothing to fill in (the page asks to confirm)."""


class PlanForm(forms.Form):
    on = JalaliDateField(label=_("Date"), initial=timezone.localdate)
    summary = PersianCharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def payer_programs(user, case):
    """Programs that may pay a case's action, as `user` sees them: the case's province's and
    national ones."""
    return (
        Program.objects.restrict(user, Action.VIEW)
        .filter(
            Q(province_id=case.unit.county.province_id) | Q(province__isnull=True),
            archived_at__isnull=True,
        )
        .order_by("sort_key", "pk")
    )


def payer_applications(user, case):
    """The case's unit's applications to support programs, as `user` sees them."""
    return (
        Application.objects.restrict(user, Action.VIEW)
        .filter(unit_id=case.unit_id, archived_at__isnull=True)
        .select_related("program")
        .order_by("-pk")
    )


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        number = gettext("Application %(number)s") % {"number": to_fa_digits(str(obj.pk))}
        return f"{number} — {obj.program.title}"


class ActionForm(forms.Form):
    """One action of a plan: who, by when, at what cost, paid by whom."""

    title = PersianCharField(label=_("Action"), max_length=300)
    owner_kind = forms.ChoiceField(label=_("Carried out by"), choices=prompted(ActionOwner.choices))
    owner_name = PersianCharField(
        label=_("Name of the bank or body"), max_length=200, required=False
    )
    due_on = JalaliDateField(label=_("Due date"))
    cost_rial = MillionTomanField(label=_("Cost"), required=False)
    paid_by = PersianCharField(label=_("Paid by"), max_length=200, required=False)
    program = forms.ModelChoiceField(
        label=_("Support program that pays it"), queryset=Program.objects.none(), required=False
    )
    application = ApplicationChoiceField(
        label=_("The unit's application to it"),
        queryset=Application.objects.none(),
        required=False,
    )

    def __init__(self, *args, case=None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("program", "application"):
            self.fields[name].empty_label = "—"
        if case is not None and actor is not None:
            self.fields["program"].queryset = payer_programs(actor, case)
            self.fields["application"].queryset = payer_applications(actor, case)

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["cost_rial"] = data.get("cost_rial") or 0
        return data


ActionFormSet = forms.formset_factory(ActionForm, extra=3, min_num=1, validate_min=True)


class ProgressForm(forms.Form):
    progress_pct = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100, widget=NumberTextInput
    )
    on = JalaliDateField(label=_("As of"), initial=timezone.localdate)


class VisitForm(forms.Form):
    on = JalaliDateField(label=_("Date"), initial=timezone.localdate)
    findings = PersianCharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 2}))


class RestartForm(forms.Form):
    on = JalaliDateField(label=_("Restarted on"), initial=timezone.localdate)
    jobs_restored = forms.IntegerField(
        label=_("Jobs restored"), required=False, min_value=0, widget=NumberTextInput,
        help_text=_("Empty: the jobs at stake."),
    )  # fmt: skip
    note = PersianCharField(label=_("Note"), required=False, max_length=500)


class CloseForm(forms.Form):
    on = JalaliDateField(label=_("Closed on"), initial=timezone.localdate)
    note = PersianCharField(label=_("Note"), required=False, max_length=500)


# --- monthly reports ----------------------------------------------------------------------
def month_choices():
    return prompted([(m, name) for m, name in enumerate(MONTHS_FA, 1)])


class ReportForm(forms.Form):
    """A unit's figures for one month, saved as a draft or submitted for review."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=month_choices)
    production_volume = forms.DecimalField(
        label=_("Production volume"), min_value=0, max_digits=14, decimal_places=2,
        widget=NumberTextInput,
    )  # fmt: skip
    production_measure = PersianCharField(label=_("Unit of measure"), max_length=30, required=False)
    employees = forms.IntegerField(label=_("Employees"), min_value=0, widget=NumberTextInput)
    sales_rial = MillionTomanField(label=_("Sales"), required=False)
    exports_rial = MillionTomanField(label=_("Exports"), required=False)
    energy_kwh = forms.IntegerField(
        label=_("Energy use (kWh)"), min_value=0, required=False, widget=NumberTextInput
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        this_year = jalali_year_of(timezone.localdate())
        self.fields["year"].choices = [(y, y) for y in range(this_year, FIRST_YEAR - 1, -1)]

    @classmethod
    def initial_for(cls, report: MonthlyReport | None, unit=None) -> dict:
        """A report's figures (to correct it), or last month for a unit."""
        if report is not None:
            return {
                "unit": report.unit_id, "year": report.year, "month": report.month,
                **{name: getattr(report, name) for name in (
                    "production_volume", "production_measure", "employees", "sales_rial",
                    "exports_rial", "energy_kwh")},
            }  # fmt: skip
        year, month, _day = to_jalali(timezone.localdate())
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return {"unit": unit.pk if unit else None, "year": year, "month": month}

    def figures(self) -> dict:
        data = self.cleaned_data
        return {
            "production_volume": data["production_volume"],
            "production_measure": data.get("production_measure") or "",
            "employees": data["employees"],
            "sales_rial": data.get("sales_rial") or 0,
            "exports_rial": data.get("exports_rial") or 0,
            "energy_kwh": data.get("energy_kwh"),
        }


def units_filed_by(user):
    """The units whose reports `user` may file: their own units' (a representative), or
    their province's (the staff) — as the services allow."""
    from django.db.models import Q

    from shahrak.accounts.access import provinces_for
    from shahrak.accounts.policy import access_for
    from shahrak.accounts.scoping import OBJECT_SCOPES

    mine = Unit.objects.none().values("pk")
    if "unit" in access_for(user).object_kinds(Action.CHANGE) and "unit" in OBJECT_SCOPES:
        mine = OBJECT_SCOPES["unit"](user)
    provinces = provinces_for(user, Action.CHANGE)
    return (
        Unit.objects.restrict(user, Action.VIEW)
        .filter(Q(county__province__in=provinces) | Q(pk__in=mine))
        .select_related("county")
        .order_by("sort_key", "pk")
    )


class ReviewForm(forms.Form):
    """The staff's review of a submitted report: accept, or return it with a reason."""

    report = forms.ModelChoiceField(queryset=MonthlyReport.objects.none(), widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=prompted([("accept", _("Accept")), ("return", _("Return"))])
    )
    reason = PersianCharField(
        label=_("Reason for return"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = MonthlyReport.objects.filter(unit=unit)


class UtilityReadingForm(forms.Form):
    """A unit's metered use in one month (any of the three; empty: not read)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=month_choices)
    electricity_kwh = forms.IntegerField(
        label=_("Electricity (kWh)"), min_value=0, required=False, widget=NumberTextInput
    )
    gas_m3 = forms.IntegerField(
        label=_("Gas (m³)"), min_value=0, required=False, widget=NumberTextInput
    )
    water_m3 = forms.IntegerField(
        label=_("Water (m³)"), min_value=0, required=False, widget=NumberTextInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = jalali_year_of(timezone.localdate())
        self.fields["year"].choices = [(y, y) for y in range(this_year, FIRST_YEAR - 1, -1)]
        if not self.is_bound:
            year, month, _day = to_jalali(timezone.localdate())
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
            self.initial.setdefault("year", year)
            self.initial.setdefault("month", month)


# --- a province's revival settings --------------------------------------------------------------
class RevivalSettingsForm(VersionedForm):
    """The watch list's rules and the restart rule of a province (its manager's page)."""

    class Meta:
        model = ProvinceRevivalSettings
        fields = [
            "missed_months", "drop_pct", "recent_months", "utility_months", "utility_pct",
            "diagnosis_before_restart",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("missed_months", "drop_pct", "recent_months", "utility_months",
                     "utility_pct"):  # fmt: skip
            self.fields[name].widget = NumberTextInput()
