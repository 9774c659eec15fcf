"""The shapes every domain's pages share: a filtered list with Excel export, a form that
calls a service, an edit that checks the version, and a small form posted from a record's
page. Domain views pass their forms, tables and service calls in."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .errors import DomainError
from .forms import apply_domain_error, errors_text
from .numbers import format_number
from .tables import EXPORT_MAX_ROWS, xlsx_response
from .text import isolate

FORM_TEMPLATE = "form_page.html"
CONFIRM_TEMPLATE = "confirm_page.html"


def confirmation(request, record, *, question, consequence, confirm_label):
    """An action that cannot simply be undone asks first: None when the POST was confirmed,
    otherwise a page naming what will happen, whose button posts the same fields again with
    `confirmed=yes` (no script needed). `record` is the page to go back to."""
    if request.POST.get("confirmed") == "yes":
        return None
    fields = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", "confirmed")
        for value in request.POST.getlist(name)
    ]
    context = {
        "question": question, "consequence": consequence, "confirm_label": confirm_label,
        "back": record, "fields": fields,
    }  # fmt: skip
    return render(request, CONFIRM_TEMPLATE, context)


def list_page(request, *, filterset, table_class, template, title, filename, extra=None):
    """A filtered, paginated list; `?export=xlsx` downloads the same rows and columns. A
    filter that cannot be applied lists (and downloads) nothing: the page shows the error
    beside its field (see StrictFilterSet and includes/filter_form.html)."""
    records = filterset.qs
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    if request.GET.get("export") == "xlsx" and not filterset.errors:
        return export_refused(request, page.paginator.count) or xlsx_response(
            table_class(records), filename=filename, title=title
        )
    context = {"filter": filterset, "page": page, "table": table_class(page), "title": title}
    return render(request, template, {**context, **(extra or {})})


def export_refused(request, count: int):
    """A list longer than one Excel file may hold is not written (it would hold the request
    past the worker's timeout): back to the list, without `export`, saying why; else None."""
    if count <= EXPORT_MAX_ROWS:
        return None
    messages.error(request, too_many_rows(count))
    query = request.GET.copy()
    query.pop("export", None)
    return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)


def too_many_rows(count: int) -> str:
    return _(
        "This list has %(count)s rows; one Excel file holds at most %(limit)s. Narrow the list "
        "with its filters (a year, a county, a park) and download it in parts."
    ) % {"count": _number(count), "limit": _number(EXPORT_MAX_ROWS)}


def _number(value: int) -> str:
    return format_number(value, persian=(get_language() or "fa").startswith("fa"))


def form_page(request, form, save, *, context, success, template=FORM_TEMPLATE):
    """Validate `form`, run `save(form)` (a service call); show refusals on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            record = save(form)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(success(record))
    return render(request, template, {"form": form, **context})


def edit_page(request, record, form, update):
    """Edit a versioned record: the save is refused if someone saved it since the form opened,
    or if the form does not say which version it opened (its `version` field is required).
    `update(actor=, record=, expected_version=, **changed)` is the service call."""
    return form_page(
        request,
        form,
        lambda f: update(
            actor=request.user,
            record=type(record).objects.get(pk=record.pk),
            expected_version=f.cleaned_data["version"],
            **f.changed_values(),
        ),
        context={"title": _("Edit %(name)s") % {"name": isolate(record)}, "back": record},
        success=lambda saved: saved.get_absolute_url(),
    )


def own_ids(form, name: str):
    """A form on a page of several gets its own ids ("name-field" rather than Django's
    "id_field", which two forms with a field `on` or `note` would share, so a label would
    lead to the other form's field); the posted field names stay as they are. A form whose
    ids were already chosen (`auto_id` given, or False) keeps them."""
    if form.auto_id == "id_%s":
        form.auto_id = f"{name.removesuffix('_form').replace('_', '-')}-%s"
    return form


def record_page(request, template, context, forms, *, bound=None, status=200):
    """A record's page with the small forms it offers. `forms` maps each form's name in the
    template to a function making it blank; a form just posted and refused (`bound`, by
    name) is shown in its place, with what the user typed and its errors. Each form has its
    own ids (see `own_ids`)."""
    bound = bound or {}
    made = {
        name: own_ids(bound[name] if name in bound else blank(), name)
        for name, blank in forms.items()
    }
    return render(request, template, {**context, **made}, status=status)


def post_action(request, record, form_class, run, *, page, slot=None, done=None, confirm=None):
    """A small form posted from a record's page (a progress report, a status change): run
    `run(record, cleaned_data)`; when it is saved, say so (`done`) and go back to the record. When
    the form is refused, the record's page is shown again (`page(request, record, bound=,
    status=)`, see `record_page`) with the form named `slot` as it was filled in and its
    errors on its fields: 200 for a form that does not validate, the refusal's own status
    (400, or 409 for a record someone else changed meanwhile) for a service's refusal. A
    form the page does not show (a button's hidden fields, `slot=None`) has its errors said
    above the page. `confirm(record, cleaned_data)` → (question, consequence, button label)
    makes the action ask first (see `confirmation`)."""
    form = form_class(request.POST)
    status = 200
    if form.is_valid():
        if confirm is not None:
            question, consequence, label = confirm(record, form.cleaned_data)
            asking = confirmation(
                request, record, question=question, consequence=consequence, confirm_label=label
            )
            if asking is not None:
                return asking
        try:
            run(record, form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
            status = getattr(error, "status", 400)
            record.refresh_from_db()  # as saved: the refused change may have touched it
        else:
            messages.success(request, done or _("Saved."))
            return redirect(record.get_absolute_url())
    if slot is None:
        for line in errors_text(form):
            messages.error(request, line)
        return page(request, record, status=status)
    messages.error(request, _("Nothing was saved: correct what is marked in the form below."))
    return page(request, record, bound={slot: form}, status=status)
