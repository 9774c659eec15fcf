"""A small site with the defects the crawler must catch (tests/test_crawler.py)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from shahrak.accounts.access import scoped, signed_in
from shahrak.accounts.choices import Action
from shahrak.accounts.models import User
from shahrak.urls import handler403, handler404, handler500  # noqa: F401

PAGE = """<a href="?{% querystring page=2 %}">next</a> <a href="/bad/boom/">boom</a>
<a href="/bad/forbidden/">forbidden</a> <a href="/bad/list/?status=idle">idle</a>
<a href="http://elsewhere.example/">away</a>
<form method="post" action="/bad/manage/"><button>manage</button></form>"""
LIST = """<a href="?export=xlsx">Excel</a>"""


def _render(text, request):
    return HttpResponse(engines["django"].from_string(text).render({}, request))


@signed_in
def home(request):
    return _render(PAGE, request)


@signed_in
def boom(request):
    raise RuntimeError("a bug")


@signed_in
def forbidden(request):
    raise PermissionDenied


@signed_in
def listing(request):
    return _render(LIST, request)


@scoped(User, Action.MANAGE_USERS, methods=("POST",), listing=False)
def manage(request):
    return HttpResponse("")


urlpatterns = [
    path("bad/", home),
    path("bad/boom/", boom),
    path("bad/forbidden/", forbidden),
    path("bad/list/", listing),
    path("bad/manage/", manage),
]
