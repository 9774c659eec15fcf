"""The discovery page: candidate clusters among the operating units the user sees, in rank
order, on a map of the province drawn by the page; a candidate registered as a cluster in one
step (docs/discovery.md)."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shahrak.accounts.access import provinces_for, provincial, scoped
from shahrak.accounts.choices import Action
from shahrak.core.errors import DomainError
from shahrak.core.forms import NumberTextInput
from shahrak.places.models import County

from . import services
from .discovery import DEFAULT_MIN_UNITS
from .maps import candidate_map
from .models import DEFAULT_RADIUS_KM, Cluster
from .selectors import discover_for


class CandidateFilterForm(forms.Form):
    province = forms.ChoiceField(label=gettext_lazy("Province"), required=False)
    # Numbers in Persian digits, as every form shows them (typed in any digits).
    radius_km = forms.IntegerField(
        label=gettext_lazy("Radius (km)"), min_value=1, max_value=500,
        initial=DEFAULT_RADIUS_KM, widget=NumberTextInput,
    )  # fmt: skip
    min_units = forms.IntegerField(
        label=gettext_lazy("At least (units)"), min_value=2, max_value=1000,
        initial=DEFAULT_MIN_UNITS, widget=NumberTextInput,
    )  # fmt: skip

    def __init__(self, data, *, user):
        provinces = list(provinces_for(user))
        data = data.copy() if data else {}
        for name in ("radius_km", "min_units"):
            data.setdefault(name, self.base_fields[name].initial)
        if len(provinces) == 1:
            data.setdefault("province", provinces[0].code)
        super().__init__(data)
        choices = [(p.code, p.name) for p in provinces]
        self.fields["province"].choices = (
            choices if len(choices) == 1 else [("", _("All I may see")), *choices]
        )


class CandidateRegisterForm(forms.Form):
    isic_code = forms.RegexField(r"^\d{4}$")
    centre = forms.CharField(max_length=11)
    province = forms.CharField(required=False, max_length=64)
    radius_km = forms.IntegerField(min_value=1, max_value=500)
    min_units = forms.IntegerField(min_value=2, max_value=1000)
    name = forms.CharField(label=gettext_lazy("Name of the cluster"), max_length=200)


def _query(data: dict) -> str:
    return urlencode(
        {k: data.get(k) or "" for k in ("province", "radius_km", "min_units") if data.get(k)}
    )


@provincial
def candidate_list(request):
    form = CandidateFilterForm(request.GET, user=request.user)
    context = {"form": form, "title": _("Candidate clusters"), "rows": [], "map": None}
    if not form.is_valid():
        return render(request, "clusters/candidate_list.html", context)
    province = form.cleaned_data["province"] or None
    radius_km, min_units = form.cleaned_data["radius_km"], form.cleaned_data["min_units"]
    found = discover_for(request.user, province=province, radius_km=radius_km, min_units=min_units)
    seats = County.objects.filter(province__code=province) if province else County.objects.none()
    counties = seats.values_list("name_fa", "latitude", "longitude")
    rows = []
    for rank, candidate in enumerate(found.candidates, 1):
        centre = found.units.get(candidate.centre.national_id, {})
        product = found.product_of(candidate)
        rows.append(
            {
                "rank": rank,
                "candidate": candidate,
                "product": product,
                "centre_name": centre.get("name", ""),
                "suggested_name": _("%(product)s cluster of %(county)s")
                % {"product": product, "county": centre.get("county", "")},
                "members": [
                    {"site": site, **found.units.get(site.national_id, {})}
                    for site in candidate.members
                ],
            }
        )
    context.update(
        rows=rows,
        found=found,
        map=candidate_map(found, list(counties)),
        province=province,
        radius_km=radius_km,
        min_units=min_units,
    )
    return render(request, "clusters/candidate_list.html", context)


@scoped(Cluster, Action.CHANGE, methods=("POST",), listing=False)
@require_POST
def candidate_register(request):
    form = CandidateRegisterForm(request.POST)
    back = f"{reverse('clusters:candidate-list')}?{_query(request.POST)}"
    if not form.is_valid():
        messages.error(request, _("Give the cluster a name."))
        return redirect(back)
    data = form.cleaned_data
    try:
        cluster = services.candidate_register(
            actor=request.user,
            isic_code=data["isic_code"],
            centre_national_id=data["centre"],
            name=data["name"],
            province=data["province"] or None,
            radius_km=data["radius_km"],
            min_units=data["min_units"],
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(back)
    messages.success(request, _("The candidate is registered as a cluster with its members."))
    return redirect(cluster.get_absolute_url())
