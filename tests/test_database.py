import pytest
from django.db import connection


@pytest.mark.django_db
def test_suite_runs_on_the_database_asked_for(request):
    """`make test` runs twice; this proves the second run really is on PostgreSQL 15."""
    wanted = request.config.getoption("--db")
    assert connection.vendor == {"sqlite": "sqlite", "postgres": "postgresql"}[wanted]
    if wanted == "postgres":
        assert connection.pg_version // 10000 == 15
        assert connection.settings_dict["HOST"] == "127.0.0.1"
