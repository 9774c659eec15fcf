"""Offer an action only to those its route lets in, as the route's access declaration says.

    {% allowed 'units:unit-edit' unit.pk as edit_url %}
    {% if edit_url %}<a class="button" href="{{ edit_url }}">…</a>{% endif %}

`allowed` gives the route's URL when the signed-in user may reach it with these arguments
(`shahrak.accounts.access.url_if_reachable`: the same declaration and `restrict` the route's guard
and view use), else "". Answers about records are kept for the request.
"""

from django import template

from ..access import url_if_reachable

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, url_name, *args, **kwargs) -> str:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    cache = request.__dict__.setdefault("_shahrak_reach", {}) if request is not None else None
    return url_if_reachable(user, url_name, *args, cache=cache, **kwargs)
