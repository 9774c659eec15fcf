import os

import pytest

from tests.pg_server import PostgresServer

# Playwright's sync API runs an event loop; Django refuses ORM calls inside one otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="run the suite on SQLite (default) or on a throwaway PostgreSQL 15",
    )


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix):
    """With --db=postgres, point Django's default database at this worker's own server."""
    if request.config.getoption("--db") != "postgres":
        return
    server = request.getfixturevalue("postgres_server")
    from django.db import connections

    settings = connections.settings["default"]
    settings.update(
        ENGINE="django.db.backends.postgresql",
        NAME="postgres",
        USER="postgres",
        PASSWORD="",
        HOST="127.0.0.1",
        PORT=str(server.port),
        OPTIONS={},
        CONN_MAX_AGE=0,
    )
    settings["TEST"]["NAME"] = "test_shahrak"
    del connections["default"]


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_keepdb):
    """On the throwaway PostgreSQL the test database is not dropped at the end: the whole
    server is removed anyway, and a browser test's server thread may still hold a
    connection, which makes DROP DATABASE fail ("being accessed by other users")."""
    return True if request.config.getoption("--db") == "postgres" else django_db_keepdb


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright cannot download browsers here), kept off the network."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("SHAHRAK_CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
        ],
    }


@pytest.fixture
def people(db):
    """Users of every role in Bushehr and Yazd (see tests/harness.py)."""
    from tests.harness import make_people

    return make_people()


@pytest.fixture
def demo_password():
    from shahrak.accounts.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


@pytest.fixture
def user(django_user_model, demo_password):
    from shahrak.places.models import County, Province
    from shahrak.places.registry import load_places

    load_places(Province, County)  # see tests/harness.py: make_people
    return django_user_model.objects.create_user(
        username="tester", password=demo_password, first_name="آزمون", mobile="09121234567"
    )
