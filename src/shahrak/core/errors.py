"""Domain errors: what a service refuses, with a message users read and a code the API returns."""


class DomainError(Exception):
    """A business rule said no. `message` is shown to users (Persian in the UI); `code` is a
    stable English identifier for the API."""

    code = "invalid"
    status = 400

    def __init__(self, message, *, code: str | None = None, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code


class StaleEditError(DomainError):
    """Someone else saved the record after this user opened it: nothing was overwritten."""

    code = "stale_edit"
    status = 409

    def __init__(self, message=None, **kwargs):
        from django.utils.translation import gettext_lazy as _

        super().__init__(
            message
            or _(
                "Someone else changed this record while you were editing it. "
                "Nothing was saved: reload the page to see their change, then edit again."
            ),
            **kwargs,
        )


class NotAllowed(DomainError):
    """The actor's role does not allow this here."""

    code = "not_allowed"
    status = 403
