from django import forms
from django.utils.translation import gettext_lazy as _

from shahrak.core.forms import JalaliDateField, VersionField
from shahrak.core.jalali import format_jalali
from shahrak.core.text import to_fa_digits

FIRST_YEAR = 1380  # the earliest year the picker offers


class PressSentenceForm(forms.Form):
    """The wording of one press sentence; `version` is what the editor saw (empty: the default)."""

    text = forms.CharField(
        label=_("Wording"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "rtl"}),
    )
    omitted = forms.BooleanField(label=_("Leave this sentence out"), required=False)
    version = VersionField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("omitted") and not (data.get("text") or "").strip():
            self.add_error("text", _("Write the sentence, or tick “leave this sentence out”."))
        return data


def _part_choices():
    """Halves, seasons and months, named in the page's language (read when the form shows)."""
    from django.utils.translation import get_language

    from shahrak.core.jalali import HALVES_FA, MONTHS_EN, MONTHS_FA, SEASONS_EN, SEASONS_FA

    if (get_language() or "fa").startswith("fa"):
        halves, seasons, months = HALVES_FA, SEASONS_FA, MONTHS_FA
    else:
        halves = ("First half", "Second half")
        seasons, months = [season.capitalize() for season in SEASONS_EN], MONTHS_EN
    return [
        ("", _("Whole year")),
        *[(f"H{i}", name) for i, name in enumerate(halves, 1)],
        *[(f"Q{i}", name) for i, name in enumerate(seasons, 1)],
        *[(f"{i:02d}", name) for i, name in enumerate(months, 1)],
    ]


class PeriodForm(forms.Form):
    """The dashboard's period picker: a Jalali year and a part of it (half, season, month),
    or any stretch between two Jalali dates. It yields a period key (1401-H1, a..b)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    part = forms.ChoiceField(label=_("Part"), choices=_part_choices, required=False)
    start = JalaliDateField(label=_("From"), required=False)
    end = JalaliDateField(label=_("To"), required=False)

    def __init__(self, *args, this_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils.translation import get_language

        shown = to_fa_digits if (get_language() or "fa").startswith("fa") else str
        self.fields["year"].choices = [
            (year, shown(year)) for year in range(this_year, FIRST_YEAR - 1, -1)
        ]  # the years in the page's digits: ۱۴۰۵ in Persian, 1405 in English

    def clean(self):
        data = super().clean()
        if self.errors:  # a date that did not parse is reason enough
            return data
        if bool(data.get("start")) != bool(data.get("end")):
            raise forms.ValidationError(_("Give both ends of the stretch, or neither."))
        return data

    def period_key(self) -> str | None:
        """The key the form asks for (None: it asks for nothing)."""
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            first, last = (format_jalali(data[k], persian=False, sep="-") for k in ("start", "end"))
            return f"{first}..{last}"
        if data.get("year"):
            return f"{data['year']}-{data['part']}" if data.get("part") else str(data["year"])
        return None

    @classmethod
    def initial_for(cls, period) -> dict:
        if period.kind == "range":
            return {"start": period.start, "end": period.end}
        part = {"half": f"H{period.index}", "quarter": f"Q{period.index}",
                "month": f"{period.index:02d}"}.get(period.kind, "")  # fmt: skip
        return {"year": period.first[0], "part": part}
