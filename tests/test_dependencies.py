"""Dependencies point one way (shared/STYLE.md): `core` is the ground every app stands on and
imports none of them; an app imports nothing of the apps built on it (parks nothing of
units). Read from the import statements of the source, wherever they stand (inside
functions too)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "shahrak"
DOMAIN_APPS = ("accounts", "places", "parks", "units", "reports", "home")


def imported_modules(source: str, package: str) -> set[str]:
    """Absolute names of what `source`, a module of `package`, imports (relative imports
    resolved; `from a import b` gives both a and a.b)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{module}" if module else base
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def offending(app: str, forbidden: tuple[str, ...]) -> list[str]:
    """'<file> imports <name>' for every import of a forbidden app in `app`'s modules."""
    prefixes = [f"shahrak.{name}" for name in forbidden]
    found = []
    for path in sorted((PACKAGE / app).rglob("*.py")):
        package = ".".join(("shahrak", *path.relative_to(PACKAGE).parent.parts))
        for name in sorted(imported_modules(path.read_text(), package)):
            if any(name == prefix or name.startswith(f"{prefix}.") for prefix in prefixes):
                found.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return found


def test_core_imports_no_domain_app():
    assert offending("core", DOMAIN_APPS) == []


def test_parks_imports_nothing_of_units():
    assert offending("parks", ("units", "reports", "home")) == []


@pytest.mark.parametrize("app", ["places", "accounts"])
def test_the_apps_below_parks_import_none_built_on_them(app):
    assert offending(app, ("parks", "units", "reports", "home")) == []


def test_the_check_sees_every_form_of_import():
    source = (
        "import shahrak.reports.registry\n"
        "def f():\n    from shahrak.accounts.access import signed_in\n"
        "def g():\n    from ..units import models\n"
        "from . import text\n"
    )
    assert imported_modules(source, "shahrak.core") == {
        "shahrak.reports.registry",
        "shahrak.accounts.access",
        "shahrak.accounts.access.signed_in",
        "shahrak.units",
        "shahrak.units.models",
        "shahrak.core",
        "shahrak.core.text",
    }
