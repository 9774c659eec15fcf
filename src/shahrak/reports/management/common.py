"""What the `report` and `press` commands share: whose view, which scope, which period."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.http import Http404
from django.utils import translation

from shahrak.core.errors import DomainError
from shahrak.reports.services import build_report, parse_period, resolve_scope


def add_report_arguments(parser) -> None:
    parser.add_argument("--province", help="province code, e.g. bushehr (none: national)")
    parser.add_argument("--period", required=True, help="1401, 1401-H1, 1401-Q2, 1401-06 …")
    parser.add_argument(
        "--as", dest="username", help="whose view of the records (default: an administrator)"
    )


def report_for(*, province, period, username) -> dict:
    """The report as `username` (default: the first administrator) sees it; CommandError
    for a user, province or period that does not do."""
    user, scope, described, asked = resolve_for(province=province, period=period, username=username)
    return build_report(user, scope=scope, scope_description=described, period=asked)


def resolve_for(*, province, period, username) -> tuple:
    """(user, scope, scope description, period) of a command's report."""
    translation.activate("fa")
    users = get_user_model().objects.filter(is_active=True)
    user = (
        users.filter(username=username).first()
        if username
        else users.filter(is_superuser=True).order_by("pk").first()
    )
    if user is None:
        raise CommandError("no such active user (give one with --as)")
    try:
        scope, described = resolve_scope(user, province=province)
        return user, scope, described, parse_period(period)
    except Http404 as error:
        raise CommandError(f"{province}: no such province for {user.username}") from error
    except DomainError as error:
        raise CommandError(str(error.message)) from error
