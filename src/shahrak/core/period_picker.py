"""The period picker of every page about a Jalali period (the dashboard, the revival
funnel): a Jalali year and a part of it (half, season, month), or any stretch between two
Jalali dates, giving a period key (1401, 1401-H1, 1401-01-01..1401-06-31); and the period a
request asks for."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .forms import JalaliDateField, errors_text
from .jalali import JalaliError, JalaliPeriod, format_jalali
from .text import to_fa_digits

FIRST_YEAR = 1380  # the earliest year the picker offers


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
    # The period key the page showed when the form was sent: the year (or the stretch) the
    # user changed is the one asked for, though the other still stands in the form.
    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, this_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils.translation import get_language

        shown = to_fa_digits if (get_language() or "fa").startswith("fa") else str
        self.fields["year"].choices = [
            ("", "—"),  # shown while a stretch of dates is the period
            *[(year, shown(year)) for year in range(this_year, FIRST_YEAR - 1, -1)],
        ]  # the years in the page's digits: ۱۴۰۵ in Persian, 1405 in English

    def clean(self):
        data = super().clean()
        if self.errors:  # a date that did not parse is reason enough
            return data
        if bool(data.get("start")) != bool(data.get("end")):
            raise forms.ValidationError(_("Give both ends of the stretch, or neither."))
        return data

    def period_key(self) -> str | None:
        """The key the form asks for (None: it asks for nothing): the stretch of dates if
        given, else the year and its part — unless the page showed that stretch and the user
        changed the year (or the part), which is then what they ask for."""
        data = self.cleaned_data
        stretch = year = None
        if data.get("start") and data.get("end"):
            first, last = (format_jalali(data[k], persian=False, sep="-") for k in ("start", "end"))
            stretch = f"{first}..{last}"
        if data.get("year"):
            year = f"{data['year']}-{data['part']}" if data.get("part") else str(data["year"])
        if stretch and stretch == data.get("shown") and year and year != stretch:
            return year
        return stretch or year

    @classmethod
    def initial_for(cls, period) -> dict:
        if period.kind == "range":
            return {"start": period.start, "end": period.end, "shown": period.key}
        part = {"half": f"H{period.index}", "quarter": f"Q{period.index}",
                "month": f"{period.index:02d}"}.get(period.kind, "")  # fmt: skip
        return {"year": period.first[0], "part": part, "shown": period.key}


def parse_period_key(key: str) -> JalaliPeriod:
    """A period key as links give it; refused with a DomainError."""
    try:
        return JalaliPeriod.parse(key)
    except JalaliError as error:
        raise DomainError(str(error), code="invalid_period", field="period") from error
    except (ValueError, OverflowError) as error:
        raise DomainError(
            _("Choose a period such as 1401 or 1401-H1."), code="invalid_period", field="period"
        ) from error


def asked_period(request, this_year: int, parse=parse_period_key):
    """The period asked for: the picker's year and part, or its two dates, else a period key
    (`?period=1401-H1`, as links and the API give it), else this year. Returns the period,
    the reason a request was refused (shown; this year is used instead), and the picker set
    to the period in effect."""
    form = PeriodForm(request.GET, this_year=this_year)
    error = None
    key = request.GET.get("period")
    if form.is_valid():
        key = form.period_key() or key
    else:
        error = " ".join(errors_text(form))
    try:
        period = parse(key or str(this_year))
    except DomainError as refused:
        error, period = str(refused.message), JalaliPeriod.year(this_year)
    picker = PeriodForm(initial=PeriodForm.initial_for(period), this_year=this_year)
    return period, error, picker


def quick_periods(year: int) -> list[dict]:
    """This year, its first half, last year and its halves: the picker's quick links."""
    from django.utils.translation import get_language

    persian = (get_language() or "fa").startswith("fa")
    keys = [str(year), f"{year}-H1", str(year - 1), f"{year - 1}-H1", f"{year - 1}-H2"]
    return [
        {"key": key, "label": period.label if persian else period.label_en}
        for key, period in ((key, JalaliPeriod.parse(key)) for key in keys)
    ]
