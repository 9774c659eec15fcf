from django.shortcuts import render

from shahrak.accounts.access import signed_in
from shahrak.accounts.choices import Action
from shahrak.accounts.policy import access_for
from shahrak.units.selectors import units_represented_by

from .navigation import areas_for


@signed_in
def home(request):
    """Each user's work: the units they represent (with status, history and exports), and
    the areas they may open."""
    areas = [area for area in areas_for(request) if area.key != "home"]
    units = units_represented_by(request.user)
    represents_none = not units and "unit" in access_for(request.user).object_kinds(Action.VIEW)
    return render(
        request,
        "home/home.html",
        {"areas": areas, "units": units, "represents_none": represents_none},
    )
