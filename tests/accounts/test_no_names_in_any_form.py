"""Every form of every app, found by walking the apps and the routes (not from a hand list):
a field naming records offers a Bushehr user none of another province's, and one of Yazd's
named by its id is refused exactly as an id nobody holds, never named.

How the forms are found: every route taking POST (tests/routes.py) is posted to as the
Bushehr manager (and as a Bushehr unit representative) on the Bushehr sample record, and its
page, if it has one, is opened; every form an app's `forms.py` defines that the view builds
is recorded as it is built. The same route opened by the Yazd peer on the Yazd sample gives
the records Yazd's form offers: one of those the Bushehr form does not offer is the
out-of-scope id tried. Reference data every signed-in person reads (MODEL_RULES "registry":
programs, exhibitions) is not a leak and is not tried. A form class no route builds must be
listed, with its reason, in UNREACHED below."""

import contextlib
import importlib
import inspect
import re
from unittest import mock

import pytest
from django import forms
from django.apps import apps

from shahrak.accounts.access import declaration_of
from shahrak.accounts.choices import Action
from shahrak.places.models import County, Province
from shahrak.support.models import Application
from tests.accounts.test_no_names_across_provinces import (
    assert_same_refusal,
    records,  # noqa: F401 (a fixture)
    unheld_id,
)
from tests.harness import MODEL_RULES, SAMPLES
from tests.routes import ROUTES

pytestmark = pytest.mark.django_db

# Form classes that name records but that no route builds for the Bushehr manager on the
# sample records, each with its reason (the walk cannot open them generically).
UNREACHED: dict[str, str] = {}


def app_form_classes() -> dict[str, list[str]]:
    """Every form class of every Shahrak app's `forms` module → its fields naming records."""
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("shahrak."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError as error:
            if error.name == f"{config.name}.forms":
                continue
            raise
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            related = sorted(
                field
                for field, declared in cls.base_fields.items()
                if isinstance(declared, forms.ModelChoiceField)
            )
            if related:
                found[f"{cls.__module__}.{cls.__qualname__}"] = related
    return found


FORM_CLASSES = app_form_classes()


def _label(form) -> str:
    return f"{type(form).__module__}.{type(form).__qualname__}"


@contextlib.contextmanager
def forms_built():
    """The app forms (naming records) built while inside, as built."""
    built = []
    original = forms.BaseForm.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if _label(self) in FORM_CLASSES:
            built.append(self)

    with mock.patch.object(forms.BaseForm, "__init__", spy):
        yield built


def _scoped_routes():
    """Page routes (not the API: see test_no_names_across_provinces) whose keywords are a
    sample record's id, or that have none."""
    found = []
    for route in ROUTES:
        declaration = declaration_of(route.callback)
        if route.pattern.startswith("api/") or declaration is None:
            continue
        if declaration.kind not in ("scoped", "provincial"):
            continue
        if set(route.keywords) - ({declaration.lookup} if declaration.kind == "scoped" else set()):
            continue
        if "POST" not in declaration.methods:
            continue  # a page that only reads: nothing named in it is taken
        found.append(route)
    return found


ROUTES_WITH_FORMS = _scoped_routes()


def _url(route, code: str) -> str:
    declaration = declaration_of(route.callback)
    if not route.keywords:
        return "/" + route.pattern
    record = SAMPLES[declaration.model](code)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", str(record.pk), route.pattern)


def _open(client, route, username: str, code: str) -> list[tuple[forms.BaseForm, object]]:
    """The forms `route` takes (built bound when it is posted to) for `username` on the
    sample of `code`, each with the same form as the route's page shows it (None when the
    route has no page of its own: it is posted to from another record's page)."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    declaration = declaration_of(route.callback)
    url = _url(route, code)
    with forms_built() as taken:
        # Not empty: views build their forms with `request.POST or None`.
        response = client.post(url, {"walked": "1"})
    if response.status_code == 302:
        client.get(response["Location"])  # its messages read, not to be seen again
    shown = {}
    if "GET" in declaration.methods:
        with forms_built() as built:
            client.get(url)
        shown = {_label(form): form for form in built if not form.is_bound}
    return [(form, shown.get(_label(form))) for form in taken if form.is_bound]


# What a route posted to from another page is given besides the field tried (its page's form
# is not the route's own): enough for the form to reach its service where the sample allows.
BASE = {
    "support:application-batch": lambda: {
        "action": "assign",
        "applications": [SAMPLES[Application]("bushehr").pk],
    },
}


def _posted(form) -> dict:
    """What the form, as shown, would post (bound: what it was given)."""
    if form.is_bound:
        return dict(form.data.lists()) if hasattr(form.data, "lists") else dict(form.data)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if hasattr(value, "year"):
            value = field.widget.format_value(value)
        data[form.add_prefix(name)] = value
    return data


def _province_only(model, code: str):
    """Records of `model` the manager of `code` may change and no one else's manager may."""
    if model is Province:
        return Province.objects.filter(code=code)
    if model is County:
        return County.objects.filter(province__code=code)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    other = "yazd" if code == "bushehr" else "bushehr"
    mine = model.objects.restrict(users.get(username=f"{code}-manager"), Action.CHANGE)
    theirs = model.objects.restrict(users.get(username=f"{other}-manager"), Action.VIEW)
    return mine.exclude(pk__in=theirs.values("pk"))


def _registry(model) -> bool:
    """Reference data every signed-in person reads (docs/access.md): naming it leaks nothing."""
    return MODEL_RULES.get(model._meta.label, {}).get("registry", False)


def _answer(client, url, data, label):
    with forms_built() as built:
        response = client.post(url, data, follow=True)
    said = " | ".join(str(m) for m in (response.context or {}).get("messages", None) or [])
    errors = "; ".join(
        f"{name}: {' '.join(str(e) for e in errs)}"
        for form in built
        if _label(form) == label and form.is_bound
        for name, errs in sorted(form.errors.items())
    )
    status = response.redirect_chain[0][1] if response.redirect_chain else response.status_code
    return status, f"{said} || {errors}"


def _walk(client):
    """(route, form label, field) for every field naming records of every form the routes
    build for the Bushehr manager."""
    found = []
    for route in ROUTES_WITH_FORMS:
        for form, _shown in _open(client, route, "bushehr-manager", "bushehr"):
            for field in FORM_CLASSES[_label(form)]:
                if field in form.fields:
                    found.append((route.name, _label(form), field))
    return sorted(set(found))


def test_every_app_is_walked():
    """The walk reads the apps: the newer apps' forms are among those found."""
    modules = {label.rsplit(".", 1)[0] for label in FORM_CLASSES}
    assert {"shahrak.revival.forms", "shahrak.support.forms", "shahrak.clusters.forms",
            "shahrak.units.forms", "shahrak.parks.forms"} <= modules  # fmt: skip


def test_every_form_naming_records_is_reached(client, people, records):  # noqa: F811
    reached = {label for _route, label, _field in _walk(client)}
    missing = set(FORM_CLASSES) - reached - set(UNREACHED)
    assert not missing, f"no route builds {sorted(missing)}: open it, or say why in UNREACHED"


# The province's manager (what the staff may do) and a unit's representative (who files
# applications and monthly reports for their own units): each against their Yazd peer.
@pytest.mark.parametrize("role", ["manager", "unit"])
@pytest.mark.parametrize("route", ROUTES_WITH_FORMS, ids=str)
def test_forms_neither_offer_nor_name_another_provinces_records(
    client,
    people,
    records,  # noqa: F811
    route,
    role,
):
    bushehr_forms = _open(client, route, f"bushehr-{role}", "bushehr")
    if not bushehr_forms:
        pytest.skip("builds no form naming records")
    yazd_forms = {_label(f): f for f, _s in _open(client, route, f"yazd-{role}", "yazd")}
    client.force_login(people[f"bushehr-{role}"])
    url = _url(route, "bushehr")
    for form, shown in bushehr_forms:
        label = _label(form)
        for name in FORM_CLASSES[label]:
            if name not in form.fields:
                continue  # taken away for this person (one province: no choice to make)
            field = form.fields[name]
            model = field.queryset.model
            if _registry(model):
                continue
            yazd_only = _province_only(model, "yazd")
            for offering in filter(None, (form, shown)):
                offered = offering.fields[name].queryset.filter(pk__in=yazd_only.values("pk"))
                assert not offered.exists(), (label, name, list(offered))
            # The id tried: one Yazd's form offers (else any Yazd record of the model).
            theirs = yazd_forms.get(label)
            pool = theirs.fields[name].queryset if theirs is not None else model.objects
            record = pool.filter(pk__in=yazd_only.values("pk")).order_by("pk").first()
            record = record or yazd_only.order_by("pk").first()
            if record is None:
                continue
            unknown = unheld_id(model)
            base = _posted(shown) if shown else BASE.get(route.name, dict)()
            key = form.add_prefix(name)
            out_of_scope = _answer(client, url, {**base, key: record.pk}, label)
            not_held = _answer(client, url, {**base, key: unknown}, label)
            assert_same_refusal(out_of_scope, not_held, record, unknown)
            assert out_of_scope[1].strip(" |") or out_of_scope[0] >= 400, (label, name)


# --- the API's serializers, found in every app's `api` package ----------------------------


def app_serializer_classes() -> list[type]:
    """Every serializer class defined in a module of an app's `api` package (routed or not
    yet: support's are joined by the lead)."""
    import pkgutil

    from rest_framework import serializers

    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("shahrak."):
            continue
        try:
            package = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError as error:
            if error.name == f"{config.name}.api":
                continue
            raise
        modules = [package]  # a module `api.py`, or a package of modules
        for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            modules.append(importlib.import_module(f"{package.__name__}.{info.name}"))
        for module in modules:
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                ours = cls.__module__ == module.__name__
                if ours and issubclass(cls, serializers.BaseSerializer):
                    found.append(cls)
    return found


def test_every_writable_related_field_of_every_serializer_is_scoped():
    """An id a serializer takes is looked up among the records within the user's reach
    (ScopedRelatedField, or a field choosing its own records per request), never among all
    records of the model: tests/accounts/test_no_names_across_provinces.py then posts each
    routed one."""
    from rest_framework import serializers

    from shahrak.accounts.api.base import ScopedRelatedField

    classes = app_serializer_classes()
    assert {"MonthlyReportSerializer", "ExhibitionSupportSerializer"} <= {
        cls.__name__ for cls in classes
    }
    unscoped = []
    for cls in classes:
        if issubclass(cls, serializers.ModelSerializer) and not hasattr(cls, "Meta"):
            continue  # a base to derive from (ScopedModelSerializer)
        for name, field in cls().fields.items():
            field = getattr(field, "child_relation", field)  # many=True
            if not isinstance(field, serializers.RelatedField) or field.read_only:
                continue
            per_request = type(field).get_queryset is not serializers.RelatedField.get_queryset
            # The country's provinces are public reference data every user reads (a national
            # program's eligible provinces may be any of them): naming one leaks nothing.
            public = getattr(field, "queryset", None) is not None and (
                field.queryset.model is Province
            )
            if not (isinstance(field, ScopedRelatedField) or per_request or public):
                unscoped.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert not unscoped, unscoped
