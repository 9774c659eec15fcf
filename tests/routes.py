"""Every route of the project, read from Django's URL resolver (the back office excepted), so
that tests walking routes (the access matrix, the crawler) see a route added later too."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

BACKOFFICE_NAMESPACE = "admin"


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    callback: object
    keywords: tuple[str, ...]

    def __str__(self):
        return self.name


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            space = entry.namespace or ""
            if space == BACKOFFICE_NAMESPACE:
                continue
            full = f"{namespace}:{space}" if namespace and space else (space or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full)
        elif isinstance(entry, URLPattern):
            # DRF's regex routes in path syntax: ^users/(?P<pk>…)/$ → users/<pk>/
            pattern = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", prefix + str(entry.pattern))
            pattern = pattern.replace("^", "").replace("$", "")
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or pattern)
            keywords = tuple(re.findall(r"<(?:\w+:)?(\w+)>", pattern))
            if "format" in keywords:
                continue  # DRF's format-suffix twins of the same views
            yield Route(name, pattern, entry.callback, keywords)


ROUTES = list(_walk(get_resolver().url_patterns))
