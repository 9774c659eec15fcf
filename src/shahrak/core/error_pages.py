"""Error pages: 400, 403, 404 and 500 in the page shell, in the user's language, with a way
back; under /api/ the same errors answer as the API's JSON (`code` and `detail`).

A 404 says only that nothing was found: a record outside the user's scope answers exactly
as one that does not exist, so the page never names what was asked for."""

import logging
from urllib.parse import urlparse

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _messages():
    return {
        400: ("bad_request", _("The request could not be understood"),
              _("Something in the address or the form was not as expected. "
                "Go back and try again.")),
        403: ("not_allowed", _("Not allowed"),
              _("Your role does not allow this page or action. If you need it, ask your "
                "provincial manager.")),
        404: ("not_found", _("Not found"),
              _("There is no such page, or no such record among those you may see.")),
        500: ("server_error", _("Something went wrong"),
              _("The system could not complete this request. Nothing was changed by it; try "
                "again in a moment. If it happens again, tell the system administrator.")),
    }  # fmt: skip


def _back(request) -> str | None:
    """The page the user came from, if it is one of ours (never another host)."""
    referer = request.META.get("HTTP_REFERER") or ""
    parsed = urlparse(referer)
    if parsed.netloc and parsed.netloc != request.get_host():
        return None
    path = parsed.path or ""
    if not path.startswith("/") or path == request.path:
        return None
    return path + (f"?{parsed.query}" if parsed.query else "")


def error_page(request, status: int, reason: str = "") -> HttpResponse:
    code, title, text = _messages()[status]
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"code": code, "detail": str(title)}, status=status)
    context = {"status": status, "title": title, "text": text, "reason": reason,
               "back": _back(request)}  # fmt: skip
    try:
        return HttpResponse(
            loader.render_to_string("errors/error.html", context, request=request), status=status
        )
    except Exception:  # the shell itself failed (a database error in a 500): no shell
        log.exception("the error page could not be drawn in the page shell")
        return HttpResponse(loader.render_to_string("errors/bare.html", context), status=status)


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def server_error(request):
    return error_page(request, 500)


def csrf_failure(request, reason=""):
    """A form posted with an expired or missing security token (an old tab, cookies off)."""
    return error_page(request, 403, _("The form had expired. Reload the page and submit it again."))
