"""The demo data, loaded once per test process and copied back for each module that asks
for the same apps again.

Loading the whole demo plays hundreds of revival cases and support applications through the
audited services (about a minute); a dozen test modules read it. The first module to ask for a
set of apps loads it through `load_demo`; the database's contents are then kept in memory,
and the next module asking for the same set gets those very rows back:

- SQLite: the test database is copied with SQLite's online backup API (to an in-memory
  database, and back);
- PostgreSQL: each table is copied out with `COPY … TO STDOUT (FORMAT BINARY)` and back in
  with `COPY … FROM STDIN`, foreign-key triggers held off while the tables fill
  (`session_replication_role = replica`; the throwaway server's user is a superuser), and the
  sequences are then set past the restored ids.

The copy is exact (the same bytes in every row), so a module sees what a fresh load gives. A
module's tests still run in their own transactions, rolled back; `demo_for_module` empties the
database after the module as before.
"""

import sqlite3

from django.core.management.color import no_style
from django.db import connection

_SNAPSHOTS: dict[frozenset, object] = {}


def _tables() -> list[str]:
    return connection.introspection.table_names(include_views=False)


def take(key: frozenset) -> None:
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.ensure_connection()
        connection.connection.backup(copy)
        _SNAPSHOTS[key] = copy
        return
    tables = {}
    with connection.cursor() as cursor:
        for table in _tables():
            with cursor.cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT BINARY)') as copy:
                tables[table] = b"".join(bytes(block) for block in copy)
    _SNAPSHOTS[key] = tables


def restore(key: frozenset) -> bool:
    """Put back the snapshot of `key` into the (emptied) database; False when there is none."""
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is None:
        return False
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        snapshot.backup(connection.connection)
        return True
    from django.apps import apps

    with connection.cursor() as cursor:
        tables = _tables()
        cursor.execute(
            "TRUNCATE " + ", ".join(f'"{table}"' for table in tables) + " RESTART IDENTITY CASCADE"
        )
        cursor.execute("SET session_replication_role = replica")
        try:
            for table, data in snapshot.items():
                with cursor.cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT BINARY)') as copy:
                    copy.write(data)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
        models = apps.get_models(include_auto_created=True)
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    return True
