"""The shapes every domain's pages share: a filtered list with Excel export, a form that
calls a service, an edit that checks the version, and a small form posted from a record's
page. Domain views pass their forms, tables and service calls in."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .errors import DomainError
from .forms import apply_domain_error, errors_text
from .tables import xlsx_response

FORM_TEMPLATE = "form_page.html"


def list_page(request, *, filterset, table_class, template, title, filename, extra=None):
    """A filtered, paginated list; `?export=xlsx` downloads the same rows and columns."""
    records = filterset.qs
    if request.GET.get("export") == "xlsx":
        return xlsx_response(table_class(records), filename=filename, title=title)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "table": table_class(page), "title": title}
    return render(request, template, {**context, **(extra or {})})


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
        context={"title": _("Edit %(name)s") % {"name": record}, "back": record},
        success=lambda saved: saved.get_absolute_url(),
    )


def post_action(request, record, form_class, run):
    """A small form posted from a record's page (a progress report, a status change): run
    `run(record, cleaned_data)`; report the outcome as a message; back to the record."""
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(record, form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Saved."))
    else:
        for line in errors_text(form):
            messages.error(request, line)
    return redirect(record.get_absolute_url())
