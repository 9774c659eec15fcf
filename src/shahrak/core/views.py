from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .navigation import AREAS


@login_required
def home(request):
    areas = [area for area in AREAS if area.key != "home"]
    return render(request, "core/home.html", {"areas": areas})
