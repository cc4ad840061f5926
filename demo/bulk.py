"""Fast loading with PostgreSQL COPY: rows are encoded as COPY text while they stream in.

COPY loads 100k facilities in about a second where `bulk_create` takes 18 s (FIELD-NOTES.md), and
generated columns (`location_ea`) are still computed by PostgreSQL. Rows are plain tuples in the
order of `columns`; the encoder below understands None, bool, int, float, str, Decimal, date,
datetime, lists (PostgreSQL arrays of text) and `Ewkt` geometries; callers with millions of
uniform rows may write the lines themselves (copy_lines). Plain functions, no Django models in
the hot loop, so the benchmarks can reuse them. For millions of rows, see bulk_load_mode.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Model

# Characters psycopg2 asks for at a time while streaming a COPY.
READ_SIZE = 1 << 16

# COPY text format: backslash, tab, newline and carriage return must be escaped inside values.
# Searching first is much cheaper than translating every (mostly Chinese) string: 0.6 against 8 µs.
_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class Ewkt(str):
    """A geometry already written as EWKT, e.g. `SRID=4326;POINT(120.7 30.6)`."""


def point(lon: float, lat: float) -> Ewkt:
    # repr() round-trips the double exactly, so a point sampled inside a boundary stays inside.
    return Ewkt(f"SRID=4326;POINT({lon!r} {lat!r})")


def _text(value: str) -> str:
    return value.translate(_ESCAPES) if _SPECIAL.search(value) else value


def _array(values: Sequence[object]) -> str:
    items = ",".join('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return _text("{" + items + "}")


def _encode(value: object) -> str:
    # The hot loop of a national load (tens of millions of values): the common types first,
    # tested by identity, in one function rather than a dispatch table of small ones.
    kind = type(value)
    if kind is str:
        return _text(value)
    if value is None:
        return "\\N"
    if kind is int:
        return str(value)
    if kind is datetime:
        return value.isoformat()  # aware datetimes carry their offset
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, str):  # Ewkt, TextChoices members
        return _text(str.__str__(value))
    if kind is float:
        return repr(value)
    if kind is Decimal:
        return str(value)
    if kind is date:
        return value.isoformat()
    if kind is list or kind is tuple:
        return _array(value)
    raise TypeError(f"cannot COPY a {kind.__name__}: {value!r}")


def encode_row(row: Sequence[object]) -> str:
    """One row as a line of COPY text, without its newline."""
    return "\t".join(map(_encode, row))


def encode_text(value: str) -> str:
    """A string escaped for COPY text, for callers that write their own lines."""
    return _text(value)


class _Stream:
    """Lines as a file psycopg2 reads from: each read pulls only the next few lines, so
    PostgreSQL works on one part of the COPY while Python makes the next (2 cores, not 1)."""

    def __init__(self, lines: Iterable[str], suffix: str = ""):
        self._lines = iter(lines)
        self._end = suffix + "\n"

    def read(self, size: int = -1) -> str:
        parts, length = [], 0
        end = self._end
        for line in self._lines:
            parts.append(line)
            parts.append(end)
            length += len(line)
            if 0 < size <= length:
                break
        return "".join(parts)

    readline = read


def copy_lines(
    table: str, columns: Sequence[str], lines: Iterable[str], *, suffix: str = ""
) -> int:
    """COPY lines of COPY text (no newlines; see encode_row) into `table` in one statement.

    The lines stream, so `lines` may be a generator of any length; it must not query the
    database itself (the connection is busy with the COPY). `suffix` is text already encoded
    for columns after the lines' own (see copy_model_rows). Returns the rows written.
    """
    statement = f"COPY {connection.ops.quote_name(table)} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.copy_expert(statement, _Stream(lines, suffix), size=READ_SIZE)
        return cursor.rowcount


def copy_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[object]], *, suffix: str = ""
) -> int:
    """COPY rows (tuples in the order of `columns`) into `table`, encoding them as they stream."""
    return copy_lines(table, columns, map(encode_row, rows), suffix=suffix)


def _model_columns(model: type[Model], columns: Sequence[str]) -> tuple[list[str], str]:
    # Concrete columns not named get the field's Python default, so a field added later with a
    # default does not break the loader. Generated columns are PostgreSQL's; the primary key is
    # only written when named.
    named = set(columns)
    rest = [
        f for f in model._meta.concrete_fields
        if f.column not in named and not f.primary_key and not getattr(f, "generated", False)
    ]
    defaults = [_encode(f.get_db_prep_save(f.get_default(), connection)) for f in rest]
    return [*columns, *(f.column for f in rest)], "".join("\t" + value for value in defaults)


def copy_model_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """copy_rows into a model's table; the columns not named get their defaults."""
    all_columns, suffix = _model_columns(model, columns)
    return copy_rows(model._meta.db_table, all_columns, rows, suffix=suffix)


def copy_model_lines(model: type[Model], columns: Sequence[str], lines: Iterable[str]) -> int:
    """copy_lines into a model's table; the columns not named get their defaults."""
    all_columns, suffix = _model_columns(model, columns)
    return copy_lines(model._meta.db_table, all_columns, lines, suffix=suffix)


@contextmanager
def bulk_load_mode(*models: type[Model]) -> Iterator[None]:
    """Drop the tables' foreign keys and secondary indexes; re-create them on leaving.

    PostgreSQL's own advice for big loads ("Populating a Database"): a foreign key checked row by
    row cost 23 µs per case event here, against one join when it is added back, and an index
    built once is several times cheaper than one grown row by row. The definitions are read from
    the catalog (pg_get_constraintdef, pg_get_indexdef), so the schema comes back exactly as the
    migrations made it. Primary keys, unique indexes and check constraints stay.

    Only inside a transaction, which also undoes the drops if anything fails; the tables stay
    locked (ACCESS EXCLUSIVE) until it commits, so this is for loading before benchmarks, not
    for a live service.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_load_mode needs a transaction (transaction.atomic)")
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        # A table with deferred checks pending (rows just written in this transaction) cannot be
        # altered: run those checks now. The project's deferrable constraints are all Django's
        # INITIALLY DEFERRED foreign keys, so DEFERRED is the mode to go back to.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            """
            SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)
            FROM pg_index i
            WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary AND NOT indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def reserve_ids(model: type[Model], n: int) -> list[int]:
    """Take n primary keys from the table's sequence, so rows can be linked before they are copied."""
    if n <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, n],
        )
        return [row[0] for row in cursor.fetchall()]


def next_values(sequence: str, n: int) -> list[int]:
    """n values from a named sequence (e.g. case reference numbers), safe with concurrent users."""
    if n <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, n])
        return [row[0] for row in cursor.fetchall()]
