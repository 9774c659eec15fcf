"""The crawler: each demo persona signs in and clicks through Shahrak as a person would.

Starting from the home page it follows every link (`href`, and the `hx-get` of parts a page
loads after itself) and submits every GET form as it stands (its default values), on every
page it reaches on this host, within a bound per kind of page. It never posts a form: the
actions a page offers are read from its forms, not carried out. It asserts that

- no page answers 5xx, and no `href` holds `??` (a query string written twice);
- every link and form a page shows leads where the persona may go: the answer is what the
  route's access declaration promises the persona (200/302), never 403 or 404 — a page does
  not offer what its reader may not do, nor name a record they may not see;
- on a list page, the pagination, sort and export links keep every filter of the page they
  are on (read from the links themselves), and the dashboard's links to its press paragraph
  and downloads keep its province and period;
- every route the persona may use is linked from some page the persona reaches (or is in the
  short list of deliberate exceptions below, each with its reason).

What a declaration promises is asked of the declaration itself (the model, the action and
`restrict()`); that `restrict()` gives each role what the role table says is proved
separately, route by route, in tests/accounts/test_access_matrix.py.
"""

from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve

from shahrak.accounts.access import declaration_of
from shahrak.accounts.demo import DEMO_USERS
from tests.harness import demo_for_module
from tests.routes import ROUTES

pytestmark = pytest.mark.django_db

HOST = "testserver"
# How many addresses of one kind (route + names of its query parameters) are visited: enough
# to meet each kind of page in a few states, bounded so that 2,600 units are not all opened.
PER_KIND = 3
# Pages of one record each (a unit, a project…) are met in more states: up to this many.
PER_RECORD_KIND = 10
NATIONAL_PER_RECORD_KIND = 16
# And at most this many requests in all for one persona (the national personas need over 1,000
# since the support, exhibition, service and cluster pages came).
MAX_REQUESTS = 2000
# Downloads (exports, PDFs) are fetched once per route and format: they are slow and their
# links are checked on every page anyway.
DOWNLOAD_PARAMS = {"export"}
# Parameters that are not a list's filters: the page number, a download, a sort order.
NOT_FILTERS = {"page", "export"}
SORT_PARAMS = {"sort", "ordering", "order"}
# Links from one route to another that must carry the first page's parameters along.
CARRIES_ITS_QUERY = {"reports:dashboard": {"reports:press"}}

# Routes a persona may use that no page links to, on purpose.
NOT_LINKED = {
    "units:import-confirm": "posted from the import preview, which only an upload produces",
    "accounts:password-reset-confirm": "reached from the emailed link",
    "accounts:password-reset-done": "shown after asking for a reset",
    "accounts:password-reset-complete": "shown after setting a new password",
    "accounts:password-change-done": "shown after changing one's password",
    "accounts:logout": "a form in the page shell (posted, never followed)",
    # Linked for the personas the demo has told of something (its support applications);
    # headquarters, auditors and the administrator have no notification to open or mark.
    "notifications:open": "a form beside each of one's own notifications",
    "notifications:read-all": "offered while one has unread notifications",
    # Withdrawal is the unit's act: offered to its representatives, and to the staff only on
    # a draft they registered themselves — the route's declaration cannot say whose draft.
    "support:application-withdraw": "the unit's representatives' (and a draft's registrar's)",
}
# Actions offered only on a record in a certain state are not exceptions: the demo holds such
# records (a deactivated and a locked user, a reworded press sentence, a planned project in
# each province), so the personas who may use them meet them.


class PageParser(HTMLParser):
    """The links, hx-get parts and forms of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []  # href values as written in the page
        self.parts: list[str] = []  # hx-get values
        self.forms: list[dict] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") is not None:
            self.links.append(attrs["href"])
        if attrs.get("hx-get"):
            self.parts.append(attrs["hx-get"])
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is not None and tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._form["fields"].append((attrs["name"], attrs.get("value") or ""))
        elif self._form is not None and tag == "textarea" and attrs.get("name"):
            self._form["fields"].append((attrs["name"], ""))
        elif self._form is not None and tag == "select" and attrs.get("name"):
            self._select = {"name": attrs["name"], "first": None, "selected": None}
        elif self._select is not None and tag == "option":
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["selected"] = value

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = self._select["selected"]
            if chosen is None:
                chosen = self._select["first"] or ""
            if self._form is not None:
                self._form["fields"].append((self._select["name"], chosen))
            self._select = None
        elif tag == "form":
            self._form = None


@dataclass
class Found:
    """A link or form target met on a page."""

    url: str  # absolute path with query
    source: str  # the page it was on
    how: str  # "link", "part", "get form", "post form"


@dataclass
class Crawl:
    username: str
    visited: dict[str, int] = field(default_factory=dict)  # url → status
    targets: list[Found] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    routes_linked: set[str] = field(default_factory=set)


def _route_name(path: str) -> tuple[str, object] | tuple[None, None]:
    try:
        match = resolve(path)
    except Resolver404:
        return None, None
    return match.view_name, match


def _query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def _kind(url: str) -> tuple:
    name, _match = _route_name(urlsplit(url).path)
    return (name or urlsplit(url).path, tuple(sorted({k for k, _v in _query(url)})))


def promised(user, match) -> set[int]:
    """What the route's declaration promises this user: the statuses it may answer."""
    declaration = declaration_of(match.func)
    if declaration is None:
        return set()
    if declaration.allows(user, match.kwargs):
        return {200, 302}
    # Let in, but the record the URL names is not one the user may see: as if it did not exist.
    record = declaration.lookup and declaration.lookup in match.kwargs
    return {404} if record and declaration.lets_in(user) else {403}


def may_use(user, route) -> bool:
    """Whether the user may use the route at all (on some record, for record routes)."""
    declaration = declaration_of(route.callback)
    if declaration is None or declaration.kind == "public":
        return False
    if not declaration.lets_in(user):
        return False
    if declaration.kind == "scoped" and declaration.lookup in route.keywords:
        return declaration.model.objects.restrict(user, declaration.action).exists()
    return declaration.allows(user, {})


def _check_kept_query(crawl: Crawl, page_url: str, hrefs: list[str]) -> None:
    """Links that page, sort or download a list (and the dashboard's press link) keep the
    page's own filters: every parameter of the page, with its value."""
    page = urlsplit(page_url)
    page_route, _m = _route_name(page.path)
    kept = [(k, v) for k, v in _query(page_url) if k not in NOT_FILTERS | SORT_PARAMS]
    if not kept:
        return
    for href in hrefs:
        target = urlsplit(urljoin(page_url, href))
        params = _query(target.geturl())
        names = {k for k, _v in params}
        same_page = target.path == page.path and names & (NOT_FILTERS | SORT_PARAMS)
        carried = _route_name(target.path)[0] in CARRIES_ITS_QUERY.get(page_route, set())
        if not (same_page or carried):
            continue
        missing = [(k, v) for k, v in kept if (k, v) not in params]
        if missing:
            crawl.problems.append(f"{page_url}: link {href} drops {missing}")


def crawl_as(client, user, start: str = "/", per_record: int = PER_RECORD_KIND) -> Crawl:
    client.force_login(user)
    client.raise_request_exception = False  # a 500 is reported, as a person would meet it
    crawl = Crawl(user.username)
    queue: deque[Found] = deque([Found(start, "(start)", "link")])
    per_kind: Counter = Counter()
    downloads: set = set()
    while queue and len(crawl.visited) < MAX_REQUESTS:
        found = queue.popleft()
        url = found.url
        if url in crawl.visited:
            continue
        kind = _kind(url)
        params = {k for k, _v in _query(url)}
        if params & DOWNLOAD_PARAMS:
            key = (kind[0], tuple(v for k, v in _query(url) if k in DOWNLOAD_PARAMS))
            if key in downloads:
                continue
            downloads.add(key)
        else:
            _name, match = _route_name(urlsplit(url).path)
            bound = per_record if match is not None and match.kwargs else PER_KIND
            if per_kind[kind] >= bound:
                continue
            per_kind[kind] += 1
        response = client.get(url)
        status = response.status_code
        crawl.visited[url] = status
        route, match = _route_name(urlsplit(url).path)
        if status >= 500:
            crawl.problems.append(f"{url} ({found.how} on {found.source}): {status}")
            continue
        if match is not None and status not in promised(user, match):
            crawl.problems.append(
                f"{url} ({found.how} on {found.source}): {status}, the declaration of {route} "
                f"promises {sorted(promised(user, match))}"
            )
        if status in (403, 404):
            crawl.problems.append(f"{url} ({found.how} on {found.source}) answers {status}")
        if status in (301, 302):
            location = response["Location"]
            if urlsplit(location).netloc in ("", HOST):
                queue.append(Found(urljoin(url, location), url, "redirect"))
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = PageParser()
        parser.feed(response.content.decode())
        doubled = [href for href in parser.links if "??" in href]
        if doubled:
            crawl.problems.append(f"{url}: links with '??': {doubled[:3]}")
        _check_kept_query(crawl, url, parser.links)
        targets = [(href, "link") for href in parser.links]
        targets += [(part, "part") for part in parser.parts]
        for form in parser.forms:
            if form["method"] == "get":
                action = urlsplit(urljoin(url, form["action"]))
                query = urlencode(form["fields"])
                targets.append((action.path + (f"?{query}" if query else ""), "get form"))
            else:
                action = urlsplit(urljoin(url, form["action"])).path
                name, match = _route_name(action)
                crawl.routes_linked.add(name)
                # A form is offered only to those its route lets in (it is not posted here).
                if match is None or not promised(user, match) & {200, 302}:
                    crawl.problems.append(f"{url}: offers a form posting to {action}, refused")
        for href, how in targets:
            if href.startswith(("#", "mailto:", "tel:", "javascript:")):
                continue
            absolute = urlsplit(urljoin(url, href))
            if absolute.netloc not in ("", HOST):
                crawl.problems.append(f"{url}: links to another host: {href}")
                continue
            if absolute.path.startswith(("/static/", "/backoffice/")):
                continue
            target = absolute.path + (f"?{absolute.query}" if absolute.query else "")
            crawl.routes_linked.add(_route_name(absolute.path)[0])
            queue.append(Found(target, url, how))
    return crawl


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from shahrak.core.demo_loader import demo_modules

    yield from demo_for_module(django_db_blocker, {label for label, _m in demo_modules()})


PERSONAS = [row[0] for row in DEMO_USERS]
# The personas who see the whole country or several provinces crawl the most pages: they run
# from tests/test_crawler_national.py, a file of its own, so that `--dist loadfile` gives
# them the other worker.
NATIONAL = ["hq", "auditor", "admin"]


@pytest.mark.parametrize("username", [name for name in PERSONAS if name not in NATIONAL])
def test_persona_clicks_through_shahrak(demo, client, username):
    check_persona(client, username)


def check_persona(client, username):
    user = get_user_model().objects.get(username=username)
    # Those who see several provinces meet each kind of record page among more records (the
    # states an action needs are spread over both provinces' records).
    crawl = crawl_as(client, user, per_record=NATIONAL_PER_RECORD_KIND if username in NATIONAL
                     else PER_RECORD_KIND)  # fmt: skip
    assert len(crawl.visited) > 5, crawl.visited  # it did get past the home page
    unreachable = [
        route.name
        for route in ROUTES
        if not route.pattern.startswith("api/")
        and route.name not in NOT_LINKED
        and route.name not in crawl.routes_linked
        and may_use(user, route)
    ]
    problems = crawl.problems + [f"may use {name} but no page links it" for name in unreachable]
    assert problems == [], "\n".join(problems)


# --- the crawler itself must be able to fail ---------------------------------------------
@pytest.mark.urls("tests.crawler_bad_urls")
def test_crawler_catches_what_it_is_for(demo, client):
    """A tiny site with each defect the crawler looks for: every one is reported."""
    expert = get_user_model().objects.get(username="bushehr-expert")
    crawl = crawl_as(client, expert, start="/bad/")
    report = "\n".join(crawl.problems)
    assert "links with '??'" in report
    assert "/bad/boom/" in report and ": 500" in report
    assert "/bad/forbidden/ (link on /bad/) answers 403" in report
    assert "drops [('status', 'idle')]" in report  # the export link of /bad/list/?status=idle
    assert "links to another host" in report
    assert "offers a form posting to /bad/manage/, refused" in report  # experts manage nobody
