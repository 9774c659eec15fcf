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
    # date_joined is a DateTimeField: it stays a datetime field.
    assert not isinstance(form.fields["date_joined"], JalaliDateField)


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
