"""Views that declare scoping but forget restrict(): the access matrix must catch them."""

from django.http import HttpResponse
from django.urls import path

from shahrak.accounts.access import scoped
from shahrak.accounts.choices import Action
from shahrak.accounts.models import User


@scoped(User, Action.VIEW, lookup="pk")
def leaky_detail(request, pk):
    return HttpResponse(User.objects.get(pk=pk).username)


@scoped(User, Action.VIEW)
def leaky_list(request):
    return HttpResponse(" ".join(User.objects.values_list("username", flat=True)))


urlpatterns = [
    path("users/<int:pk>/", leaky_detail, name="leaky-detail"),
    path("users/", leaky_list, name="leaky-list"),
]
