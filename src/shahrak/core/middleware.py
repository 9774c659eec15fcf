from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PersianFirstLocaleMiddleware:
    """Persian unless the user chose another language with the switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most office
    browsers here say English; our users work in Persian.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class SecurityHeadersMiddleware:
    """A Content-Security-Policy that allows only this site's own files (our users' intranets
    have no internet, and nothing should ever be fetched from elsewhere), and a Permissions-
    Policy that turns off device features the system never uses."""

    CSP = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",  # the date picker positions itself inline
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
    PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/backoffice/"):  # Django admin uses inline scripts
            response.headers.setdefault("Content-Security-Policy", self.CSP)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS)
        return response


class DomainErrorMiddleware:
    """A service's refusal that reaches no form (a bad `?period=` on a report page, say)
    answers as a refusal — its status and its message on the error page — never as a
    server error. API views answer their own (core.api)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .error_pages import error_page
        from .errors import DomainError

        if not isinstance(exception, DomainError):
            return None
        status = exception.status if exception.status in (400, 403) else 400
        return error_page(request, status, str(exception.message))
