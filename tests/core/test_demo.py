import ast
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from shahrak.core.demo_loader import demo_modules, load_demo

pytestmark = pytest.mark.django_db


def snapshot():
    User = get_user_model()
    return sorted(User.objects.values_list("username", "password", "first_name", "is_superuser"))


SRC = Path(__file__).resolve().parents[2] / "src" / "shahrak"


def _apps_imported_by(path: Path) -> set[str]:
    """The project's apps a file imports (`shahrak.<app>…` or `from shahrak.<app> import`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found |= {name.split(".")[1] for name in names if name.startswith("shahrak.")}
    return found


def test_every_app_with_demo_data_is_found_in_dependency_order():
    labels = [label for label, _ in demo_modules()]
    on_disk = {path.parent.name for path in SRC.glob("*/demo.py")}
    assert sorted(labels) == sorted(on_disk) and len(labels) == len(set(labels))
    # Each app's demo data come after those of the apps its demo module imports.
    for label in labels:
        for needed in _apps_imported_by(SRC / label / "demo.py") & on_disk - {label}:
            assert labels.index(needed) < labels.index(label), (needed, label)
    # Written by hand: places, then people (who act in parks), then parks, then their units.
    order = [label for label in labels if label in {"places", "accounts", "parks", "units"}]
    assert order == ["places", "accounts", "parks", "units"]
    for _label, module in demo_modules():
        assert callable(module.load)


def test_demo_is_idempotent_and_prints_logins():
    out = io.StringIO()
    call_command("demo", stdout=out, stderr=io.StringIO())
    first = snapshot()
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert snapshot() == first
    text = out.getvalue()
    for username in ["bushehr-manager", "yazd-expert", "hq", "auditor", "admin"]:
        assert username in text
    assert "shahrak-demo" in text


def test_demo_users_sign_in(client, demo_password):
    load_demo(out=io.StringIO())
    response = client.post(
        "/accounts/login/", {"username": "yazd-manager", "password": demo_password}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not get_user_model().objects.get(username="hq").is_superuser


def test_no_user_exists_without_demo():
    assert get_user_model().objects.count() == 0
