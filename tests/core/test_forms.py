import datetime as dt

from django import forms

from shahrak.core.forms import JalaliDateField, PersianCharField, ShahrakModelForm


class ReportForm(forms.Form):
    issued = JalaliDateField(label="تاریخ صدور")
    title = PersianCharField(label="عنوان")


def test_jalali_field_cleans_to_gregorian():
    form = ReportForm({"issued": "۱۴۰۱/۰۶/۳۱", "title": "گزارش  شهرك"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"issued": dt.date(2022, 9, 22), "title": "گزارش شهرک"}


def test_jalali_field_error_names_the_problem():
    form = ReportForm({"issued": "1401/13/01", "title": "x"})
    assert not form.is_valid()
    assert "ماه ۱۳ وجود ندارد" in form.errors["issued"][0]


def test_jalali_widget_shows_jalali():
    form = ReportForm(initial={"issued": dt.date(2022, 9, 22)})
    html = str(form["issued"])
    assert 'value="۱۴۰۱/۰۶/۳۱"' in html and "data-jdp" in html


def test_model_forms_get_jalali_dates_and_persian_text():
    from django.contrib.auth import get_user_model

    class UserForm(ShahrakModelForm):
        class Meta:
            model = get_user_model()
            fields = ["first_name", "date_joined", "last_login"]

    form = UserForm()
    assert isinstance(form.fields["first_name"], PersianCharField)
    assert form.fields["first_name"].clean("گزارش  شهرك") == "گزارش شهرک"
    # date_joined is a DateTimeField: it stays a datetime field.
    assert not isinstance(form.fields["date_joined"], JalaliDateField)
    assert isinstance(form.fields["date_joined"], forms.DateTimeField)

    # A model's DateField becomes a Jalali date field: typed and shown in Jalali.
    from shahrak.units.models import ExportRecord

    class ExportForm(ShahrakModelForm):
        class Meta:
            model = ExportRecord
            fields = ["product", "on"]

    form = ExportForm(initial={"on": dt.date(2022, 9, 22)})
    assert isinstance(form.fields["on"], JalaliDateField)
    assert form.fields["on"].clean("۱۴۰۱/۰۶/۳۱") == dt.date(2022, 9, 22)
    assert 'value="۱۴۰۱/۰۶/۳۱"' in str(form["on"])
    assert isinstance(form.fields["product"], PersianCharField)


def test_numbers_typed_with_persian_digits_and_separators():
    from decimal import Decimal

    from shahrak.core.forms import NumberTextInput

    class AmountForm(forms.Form):
        amount = forms.DecimalField(decimal_places=2, widget=NumberTextInput)
        count = forms.IntegerField(widget=NumberTextInput)

    form = AmountForm({"amount": "۱۲٬۵۰۰٫۵", "count": "٣٠"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"amount": Decimal("12500.5"), "count": 30}
    assert 'type="text"' in str(form["amount"]) and 'inputmode="decimal"' in str(form["amount"])


# --- what the user reads in a form: Persian digits; money in million toman --------------
def _value_attribute(bound_field) -> str:
    import re

    return re.search(r'value="([^"]*)"', str(bound_field)).group(1)


def test_stored_text_and_numbers_are_shown_with_persian_digits():
    from decimal import Decimal

    from django.utils import translation

    from shahrak.core.forms import NumberTextInput

    class ParkLikeForm(forms.Form):
        name = PersianCharField()
        licence = PersianCharField()
        area = forms.DecimalField(decimal_places=2, widget=NumberTextInput)

    initial = {"name": "شهرک صنعتی بوشهر 1", "licence": "DEMO-12", "area": Decimal("1180.50")}
    with translation.override("fa"):
        form = ParkLikeForm(initial=initial)
        shown = {name: _value_attribute(form[name]) for name in initial}
    assert shown == {"name": "شهرک صنعتی بوشهر ۱", "licence": "DEMO-12", "area": "۱٬۱۸۰٫۵"}
    # What is shown comes back as what was stored.
    posted = ParkLikeForm(shown)
    assert posted.is_valid(), posted.errors
    assert posted.cleaned_data == {**initial, "area": Decimal("1180.5")}
    with translation.override("en"):
        assert _value_attribute(ParkLikeForm(initial=initial)["name"]) == "شهرک صنعتی بوشهر 1"


def test_money_is_typed_in_million_toman_and_stored_in_rial():
    from shahrak.core.forms import MillionTomanField

    class CostForm(forms.Form):
        cost = MillionTomanField(label="هزینه", required=False)

    form = CostForm({"cost": "۱۸٬۳۳۳٫۵"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["cost"] == 18_333.5 * 10**6 * 10  # million toman → toman → rial
    assert str(form.fields["cost"].label) == "هزینه (میلیون تومان)"
    for typed in ("-5", "abc", "0.000000001"):
        assert not CostForm({"cost": typed}).is_valid(), typed
    assert CostForm({"cost": ""}).is_valid()


def test_a_stored_amount_goes_round_the_form_unchanged():
    from django.utils import translation

    from shahrak.core.forms import MillionTomanField

    class CostForm(forms.Form):
        cost = MillionTomanField(label="هزینه")

    rial = 183_333_333_333  # not a whole number of million toman
    with translation.override("fa"):
        shown = _value_attribute(CostForm(initial={"cost": rial})["cost"])
    assert shown == "۱۸٬۳۳۳٫۳۳۳۳۳۳۳"
    posted = CostForm({"cost": shown}, initial={"cost": rial})
    assert posted.is_valid(), posted.errors
    assert posted.cleaned_data["cost"] == rial and not posted.has_changed()


def test_choice_labels_read_with_persian_digits():
    from django.utils import translation

    class PlotForm(forms.Form):
        plot = forms.ChoiceField(choices=[("1", "شهرک صنعتی بوشهر 1 — 12"), ("2", "DEMO-7")])

    with translation.override("fa"):
        html = str(PlotForm()["plot"])
    assert ">شهرک صنعتی بوشهر ۱ — ۱۲</option>" in html and ">DEMO-7</option>" in html
    assert 'value="1"' in html  # values are not touched
