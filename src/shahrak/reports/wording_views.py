"""Pages where a manager words the press paragraph's sentences for their province (a system
administrator also for the whole country)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shahrak.accounts.access import provinces_for, scoped
from shahrak.accounts.choices import Action
from shahrak.accounts.policy import EVERYWHERE, access_for
from shahrak.core.errors import DomainError
from shahrak.core.forms import apply_domain_error
from shahrak.core.jalali import JalaliPeriod, jalali_year_of

from .forms import PressSentenceForm
from .models import EDITORS, PressSentence
from .press import COMMON, SENTENCE_KEYS, SENTENCES, paragraph_html
from .services import (
    build_report,
    press_sentence_restore_default,
    press_sentence_save,
    press_wording,
    resolve_scope,
)

NATIONAL = "iran"  # the ?province= value for the whole country's wording


def _target(request):
    """The province whose wording is edited (None: the whole country), from ?province=;
    one the user may not edit answers 404."""
    editable = provinces_for(request.user, Action.CHANGE, roles=EDITORS)
    national = access_for(request.user).provinces(Action.CHANGE, EDITORS) is EVERYWHERE
    code = request.GET.get("province") or ("" if national else None)
    if code in ("", NATIONAL) and national:
        return None, editable, national
    found = editable.filter(code=code).first() if code else editable.first()
    if found is None:
        raise Http404
    return found, editable, national


def _query(province) -> str:
    return f"?province={province.code if province else NATIONAL}"


@scoped(PressSentence, Action.CHANGE)
def sentence_list(request):
    province, editable, national = _target(request)
    own = {row.key: row for row in PressSentence.objects.active().filter(province=province)}
    inherited = press_wording(None) if province else {}
    rows = []
    for sentence in SENTENCES:
        row = own.get(sentence.key)
        if row is not None:
            source, text = _("replaced here"), None if row.omitted else row.text
        elif sentence.key in inherited:
            source, text = _("replaced for the whole country"), inherited[sentence.key]
        else:
            source, text = _("default"), sentence.default
        rows.append({"sentence": sentence, "text": text, "source": source, "own": row})
    replaced = (
        PressSentence.objects.restrict(request.user, Action.CHANGE)
        .active()
        .select_related("province")
        .order_by("province__sort_key", "key")
    )
    return render(
        request,
        "reports/sentence_list.html",
        {
            "province": province,
            "provinces": editable,
            "national": national,
            "rows": rows,
            "replaced": [
                {"row": row, "title": SENTENCE_KEYS[row.key].title}
                for row in replaced
                if row.key in SENTENCE_KEYS
            ],
            "query": _query(province),
        },
    )


@scoped(PressSentence, Action.CHANGE, methods=("GET", "POST"), listing=False)
def sentence_edit(request, key):
    sentence = SENTENCE_KEYS.get(key)
    if sentence is None:
        raise Http404
    province, _editable, _national = _target(request)
    own = PressSentence.objects.active().filter(key=key, province=province).first()
    initial = {
        "text": own.text if own else press_wording(None).get(key) or sentence.default,
        "omitted": bool(own and own.omitted),
        "version": own.version if own else None,
    }
    form = PressSentenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            press_sentence_save(
                actor=request.user, key=key, province=province,
                text=form.cleaned_data["text"], omitted=form.cleaned_data["omitted"],
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("reports:sentence-list") + _query(province))
    return render(
        request,
        "reports/sentence_edit.html",
        {
            "sentence": sentence,
            "province": province,
            "form": form,
            "placeholders": {**COMMON, **sentence.placeholders},
            "preview": _preview(request.user, province, key),
            "query": _query(province),
        },
    )


@require_POST
@scoped(PressSentence, Action.CHANGE, methods=("POST",), listing=False)
def sentence_restore(request, key):
    if key not in SENTENCE_KEYS:
        raise Http404
    province, _editable, _national = _target(request)
    try:
        press_sentence_restore_default(actor=request.user, key=key, province=province)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The default wording is back."))
    return redirect(reverse("reports:sentence-list") + _query(province))


def _preview(user, province, key):
    """The saved wording of `key`, written with last year's figures of the province."""
    last_year = JalaliPeriod.year(jalali_year_of(timezone.localdate()) - 1)
    try:
        scope, described = resolve_scope(user, province=province.code if province else None)
    except Http404:
        return None
    report = build_report(user, scope=scope, scope_description=described, period=last_year)
    wording = press_wording(province.code if province else None)
    only = {k: (wording.get(k, s.default) if k == key else None) for k, s in SENTENCE_KEYS.items()}
    persian = (get_language() or "fa").startswith("fa")
    label = last_year.label if persian else last_year.label_en  # the page's language
    return {"period": label, "html": paragraph_html(report, only)}
