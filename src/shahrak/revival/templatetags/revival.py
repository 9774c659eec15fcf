"""Revival's records shown on other apps' pages."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def revival_actions_paid_by(context, application):
    """The improvement-plan actions a support application pays, as the page's user may see
    them (`{% revival_actions_paid_by application as actions %}`)."""
    return list(selectors.actions_paid_by(context["request"].user, application))
