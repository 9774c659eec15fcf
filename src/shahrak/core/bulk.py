"""Writing many rows fast: one executemany per table, values prepared once per field.

Django's bulk_create resolves expressions for every field of every object; for an import of
100,000 units with their events, intervals and audit entries that costs tens of seconds.
Signals do not fire here either: callers record what auditing needs themselves.
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models


def _memoised(convert):
    """Dates and times repeat (one timestamp per import, few status dates): convert once."""
    seen = {}

    def cached(value):
        if value not in seen:
            seen[value] = convert(value)
        return seen[value]

    return cached


def _converter(field):
    ops = connection.ops
    if connection.vendor == "postgresql":
        # COPY adapts dates, times and decimals itself; only JSON needs wrapping.
        if isinstance(field, models.JSONField):
            from psycopg.types.json import Jsonb

            return Jsonb
        return None
    if isinstance(field, models.DateTimeField):
        return _memoised(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _memoised(ops.adapt_datefield_value)
    if isinstance(field, models.DecimalField):
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_rows(model, field_names: Sequence[str], rows: Iterable[Sequence], batch: int = 5000):
    """INSERT the rows (values in `field_names` order; foreign keys as `<name>_id`)."""
    fields = [model._meta.get_field(name) for name in field_names]
    converters = [(index, _converter(field)) for index, field in enumerate(fields)]
    converters = [(index, convert) for index, convert in converters if convert]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    prepared = (_prepare(row, converters) for row in rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: many times faster than executemany.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        chunk = []
        for row in prepared:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


def _prepare(row, converters):
    if not converters:
        return row
    row = list(row)
    for index, convert in converters:
        if row[index] is not None:
            row[index] = convert(row[index])
    return row
