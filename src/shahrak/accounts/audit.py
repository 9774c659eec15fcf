"""The audit trail: django-auditlog with our own entry model (it carries the province).

Every business model registers itself once, in its app's `ready()`:

    from shahrak.accounts.audit import track
    track(Park)

Changes made in a request are attributed to the signed-in user and their address by
`AuditMiddleware`; changes made by commands are attributed with `acting_as(user)`.
"""

from auditlog.context import set_actor
from auditlog.middleware import AuditlogMiddleware
from auditlog.registry import auditlog
from django.conf import settings

# Bookkeeping fields that change on every save and say nothing to a reader.
UNTRACKED_FIELDS = [
    "id",
    "version",
    "updated_at",
    "created_at",
    "password",
    "last_login",
    "search_text",  # derived from the name
    "is_demo",  # how the record came to be, not something anyone changes
    "sort_key",  # derived from the name (core.models.NaturalSortField)
]


def track(model, **options) -> None:
    # Reverse relations (a park's plots…) are recorded on the related records themselves.
    reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
    options.setdefault("exclude_fields", [*UNTRACKED_FIELDS, *reverse])
    if not auditlog.contains(model):
        auditlog.register(model, **options)


def acting_as(user, remote_addr: str | None = None):
    """Attribute the changes made inside the `with` block to `user` (commands, imports)."""
    return set_actor(user, remote_addr=remote_addr)


class AuditMiddleware(AuditlogMiddleware):
    """Attribute changes to the request's user and address. X-Forwarded-For is believed only
    behind a proxy we were told about; otherwise anyone could write any address into the log."""

    @staticmethod
    def _get_remote_addr(request):
        if settings.BEHIND_PROXY and request.headers.get("X-Forwarded-For"):
            return request.headers["X-Forwarded-For"].split(",")[-1].strip()
        return request.META.get("REMOTE_ADDR")
