"""Reading a rendered form as a user sees it: which option a drop-down starts on, and which
field shows an error."""

import re
from html.parser import HTMLParser

PROMPT = "انتخاب کنید"  # the first option of a required choice


def select(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', html, re.S)[0]


def options(html: str, name: str) -> list[tuple[str, bool, str]]:
    """(value, selected, label) of each option of the drop-down `name`."""
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select(html, name))
    return [(value, bool(selected), label) for value, selected, label in found]


def chosen(html: str, name: str) -> tuple[str, str]:
    """(value, label) the drop-down shows: its selected option, else its first."""
    listed = options(html, name)
    value, _selected, label = next((o for o in listed if o[1]), listed[0])
    return value, label


def starts_empty(html: str, name: str) -> bool:
    return chosen(html, name) == ("", PROMPT)


def field_error(html: str, label: str) -> bool:
    """The page shows an error in the field labelled `label`."""
    fields = re.findall(r'<p class="field has-error">(.*?)</p>', html, re.S)
    return any(f">{label}</label>" in field and "field-error" in field for field in fields)


class _Forms(HTMLParser):
    """The forms of a page with what a browser would send for each as it is rendered."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict]] = []  # (action, fields)
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", {}))
        elif not self.forms:
            return
        fields = self.forms[-1][1] if self.forms else {}
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file") or (
                kind in ("checkbox", "radio") and "checked" not in attrs
            ):
                return
            fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select:
            # The selected option, else the first one: what the drop-down shows.
            if "selected" in attrs or self._select not in fields:
                fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][1][self._textarea] += data


def as_rendered(html: str, action: str = "") -> dict:
    """What the page's form (the one posting to `action`; the page's own when empty) sends
    if the user changes nothing in it."""
    parser = _Forms()
    parser.feed(html)
    found = [fields for target, fields in parser.forms if target == action]
    assert found, [target for target, _fields in parser.forms]
    return {k: v for k, v in found[-1].items() if k != "csrfmiddlewaretoken"}


class _Ids(HTMLParser):
    """Every id of a page and every label's `for`, each with the form (by order) it is in."""

    def __init__(self):
        super().__init__()
        self.form, self.forms = None, 0
        self.ids: list[tuple[str, int | None]] = []
        self.labels: list[tuple[str, int | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms += 1
            self.form = self.forms
        if attrs.get("id"):
            self.ids.append((attrs["id"], self.form))
        if tag == "label" and attrs.get("for"):
            self.labels.append((attrs["for"], self.form))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None


def id_faults(html: str) -> list[str]:
    """What is wrong with a page's ids: an id used twice, a label whose `for` names no element
    or an element of another form than the label's."""
    parser = _Ids()
    parser.feed(html)
    faults, where = [], {}
    for name, form in parser.ids:
        if name in where:
            faults.append(f"id {name} twice")
        where[name] = form
    for target, form in parser.labels:
        if target not in where:
            faults.append(f"label for {target}: no such element")
        elif where[target] != form:
            faults.append(f"label for {target}: in another form")
    return faults
