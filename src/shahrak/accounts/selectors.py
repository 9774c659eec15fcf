from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone


def locked_until(username: str) -> datetime | None:
    """When the sign-in lock of an account ends, if it is locked now."""
    attempt = (
        AccessAttempt.objects.filter(
            username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        )
        .order_by("-attempt_time")
        .first()
    )
    if attempt is None:
        return None
    until = attempt.attempt_time + settings.AXES_COOLOFF_TIME
    return until if until > timezone.now() else None


def locked_usernames(usernames) -> dict[str, datetime]:
    """Locks of several accounts in one query: username → end of lock."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        username__in=list(usernames),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gt=since,
    )
    return {a.username: a.attempt_time + settings.AXES_COOLOFF_TIME for a in attempts}
