"""The cell table: every value of every stored submission as one row, for the province side to add up.

One row per (submission, indicator, disaggregation key), written by :func:`insert_cells` in the very
transaction that stores the submission (``dttshub.submissions``), so the table never lags the reports.
Rows are kept per submission, not per report: a report's head (``reports.head_submission_id``) and the
revision a reviewer accepted are both submissions, so "latest received" and "accepted" totals read the
same rows. ``num`` holds the value when it is a number (exact ``NUMERIC`` on PostgreSQL), ``text`` the
canonical text of every value; ``eth``, ``sex``, ``area`` and ``age`` hold the key's options of those
dimensions (NULL when the key has none), so a query can group by them.

Migration ``0003`` creates the table and fills it from the submissions already stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from sqlalchemy.engine import Connection

from dttshub import db as t

#: Dimensions that have their own column in ``cells`` (others are only in the ``disagg`` key).
DIMENSION_COLUMNS = ("eth", "sex", "area", "age")
_NUMBER_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_INSERT = t.cells.insert()


def number_of(text: str) -> Decimal | None:
    """The number of a stored value ("12.5" → 12.5), None for a text answer."""
    if len(text) <= 40 and _NUMBER_RE.fullmatch(text):
        return Decimal(text)
    return None


def dims_of(disagg: str) -> dict[str, str]:
    """The options of a key by dimension (lenient: a malformed part is skipped)."""
    out: dict[str, str] = {}
    if disagg:
        for part in disagg.split("|"):
            dim, eq, opt = part.partition("=")
            if eq:
                out[dim] = opt
    return out


def cell_rows(
    submission_id: str, report_id: int, server_revision: int, values: Mapping[tuple[str, str], str]
) -> list[dict]:
    """The rows of ``cells`` for one submission's values ``{(code, disagg): text}`` (empty values skipped)."""
    rows = []
    for (code, disagg), value in values.items():
        if value is None or value == "":
            continue
        text = str(value)
        dims = dims_of(disagg)
        rows.append(
            {
                "submission_id": submission_id,
                "indicator": code,
                "disagg": disagg,
                "report_id": report_id,
                "server_revision": server_revision,
                "eth": dims.get("eth"),
                "sex": dims.get("sex"),
                "area": dims.get("area"),
                "age": dims.get("age"),
                "num": number_of(text),
                "text": text,
            }
        )
    return rows


_COLUMNS = tuple(c.name for c in t.cells.columns)
_COPY = f"COPY {t.cells.name} ({', '.join(_COLUMNS)}) FROM STDIN"


def insert_cells(conn: Connection, rows: Iterable[dict]) -> int:
    """Insert rows made by :func:`cell_rows` in the transaction of ``conn``.

    PostgreSQL: one ``COPY … FROM STDIN`` on the transaction's own connection (a report's 250 rows in
    about a quarter of the time of a multi-row ``INSERT``); SQLite: one executemany.
    """
    rows = list(rows)
    if not rows:
        return 0
    if conn.dialect.name == "postgresql":
        with conn.connection.dbapi_connection.cursor() as cur, cur.copy(_COPY) as copy:
            for row in rows:
                copy.write_row(tuple(row[c] for c in _COLUMNS))
    else:
        conn.execute(_INSERT, rows)
    return len(rows)
