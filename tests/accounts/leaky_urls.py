"""Views that declare scoping but forget restrict(), or refuse the people they should let in
with a redirect: the access matrix must catch them."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
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


@scoped(User, Action.VIEW, lookup="pk")
def refusing_detail(request, pk):
    """Scoped right (404 outside), but sends those it should let in to the sign-in page."""
    get_object_or_404(User.objects.restrict(request.user, Action.VIEW), pk=pk)
    return redirect(f"/accounts/login/?next={request.path}")


@scoped(User, Action.VIEW, lookup="pk")
def redirect_to_a_closed_page(request, pk):
    """Scoped right, but sends those it lets in to a page that refuses them."""
    get_object_or_404(User.objects.restrict(request.user, Action.VIEW), pk=pk)
    return redirect("/backoffice/")


urlpatterns = [
    path("users/<int:pk>/", leaky_detail, name="leaky-detail"),
    path("users/", leaky_list, name="leaky-list"),
    path("refusing/<int:pk>/", refusing_detail, name="refusing-detail"),
    path("closed/<int:pk>/", redirect_to_a_closed_page, name="closed-detail"),
]
