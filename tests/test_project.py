"""Project-wide checks: migrations, deployment settings, the Persian catalogue, no CDN."""

import gettext
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "shahrak"
CATALOGUE = PACKAGE / "locale" / "fa" / "LC_MESSAGES"


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shahrak.settings",
        "SHAHRAK_DEBUG": "false",
        "SHAHRAK_HTTPS": "true",
        "SHAHRAK_SECRET_KEY": secrets.token_urlsafe(64),
        "SHAHRAK_ALLOWED_HOSTS": "shahrak.example.org",
        "SHAHRAK_DATA_DIR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "-m", "shahrak", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_generated_secret_key_is_kept_private(tmp_path):
    env = {
        **os.environ,
        "SHAHRAK_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "shahrak.settings",
    }
    env.pop("SHAHRAK_SECRET_KEY", None)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    run = [sys.executable, "-c", f"import django; django.setup(); {code}"]
    first = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout
    second = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout
    assert first == second and len(first.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_persian_catalogue_is_complete():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            shown = compiled.ngettext(entry.msgid, entry.msgid_plural, 5)
            assert shown == entry.msgstr_plural[1], entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="make test installs gettext")
def test_catalogue_has_every_string_in_the_code(tmp_path):
    """Extract the strings again from a copy of the code: none may be missing from the .po."""
    copy = tmp_path / "shahrak"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "shahrak", "makemessages", "-l", "fa", "--ignore", "migrations/*"],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "shahrak.settings"},
        capture_output=True,
        check=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/fa/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(CATALOGUE / "django.po")) if not e.obsolete}
    assert fresh - committed == set(), "run `make messages` and translate the new strings"


EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", re.I)


def test_templates_and_styles_load_nothing_from_other_hosts():
    offenders = [
        str(path.relative_to(REPO))
        for path in PACKAGE.rglob("*")
        if path.suffix in {".html", ".css", ".js"} and EXTERNAL.search(path.read_text("utf-8"))
    ]
    assert offenders == []
