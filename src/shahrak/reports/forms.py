from django import forms
from django.utils.translation import gettext_lazy as _

from shahrak.core.forms import VersionField

# The period picker is shared by every page about a Jalali period (core/period_picker.py).
from shahrak.core.period_picker import FIRST_YEAR, PeriodForm  # noqa: F401


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
