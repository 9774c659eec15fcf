from django.shortcuts import render

from shahrak.accounts.access import signed_in

from .navigation import AREAS


@signed_in
def home(request):
    areas = [area for area in AREAS if area.key != "home" and area.visible_to(request.user)]
    return render(request, "core/home.html", {"areas": areas})
