"""The schema of ``profile.sqlite``, as an ordered list of ``sqlite_utils.Migrations`` steps.

Rules for adding a step: append a new function at the end, never edit or reorder an applied one; each
step runs in its own transaction together with its record in ``_sqlite_migrations``. The database is
copied with SQLite's online backup API before any pending step runs (see :mod:`dttsclient.store.db`).

Tables:

``settings``        key → JSON value (profile fields, device_id, sync cursor, active catalogue).
``catalogs``        every imported catalogue version: (catalog_id, version) → JSON text, ETag.
``reports``         (unit, form, period) UNIQUE, pinned to (catalog_id, catalog_version).
``cells``           (report_id, code, disagg) → canonical value string.
``comments``        one comment per cell, with author and time.
``eth_rows``        ethnic groups present in a report (forms with ``eth_options = present``).
``change_log``      append-only (triggers refuse UPDATE and DELETE): who changed which cell, old → new.
``submissions``     immutable snapshots made by Finalize (triggers refuse UPDATE and DELETE).
``outbox``          one row per submission with the states of docs/sync-protocol.md plus superseded/discarded.
``server_copies``   server versions pulled while the local copy had unsent edits ("show both").
``sync_runs``       one row per sync: started, finished, summary JSON.
``carried_cells``   cells copied from the previous period, with the copied value: marked until confirmed
                    (the row is deleted) or changed (the cell no longer holds that value).
``baselines``       survey figures of the profile's unit from the hub (``store.baselines``), read-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils is loaded only when a profile needs migrating (cold start)
    from sqlite_utils import Database, Migrations

MIGRATION_SET = "dttsclient.store"


def _run(db: Database, statements: tuple[str, ...]) -> None:
    for sql in statements:
        db.execute(sql)


def m001_settings_and_catalogs(db: Database) -> None:
    _run(
        db,
        (
            """CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
            """CREATE TABLE catalogs (
                catalog_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                etag TEXT,
                json TEXT NOT NULL,
                imported_at TEXT NOT NULL,
                PRIMARY KEY (catalog_id, version)
            )""",
        ),
    )


def m002_reports(db: Database) -> None:
    _run(
        db,
        (
            """CREATE TABLE reports (
                id INTEGER PRIMARY KEY,
                unit TEXT NOT NULL,
                form TEXT NOT NULL,
                period TEXT NOT NULL,
                catalog_id TEXT,
                catalog_version INTEGER,
                state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'finalized')),
                dirty INTEGER NOT NULL DEFAULT 0,
                revision_no INTEGER NOT NULL DEFAULT 0,
                base_server_revision INTEGER NOT NULL DEFAULT 0,
                server_revision INTEGER NOT NULL DEFAULT 0,
                server_status TEXT,
                review_state TEXT,
                review_comment TEXT,
                review_by TEXT,
                review_at TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (unit, form, period)
            )""",
            """CREATE TABLE cells (
                report_id INTEGER NOT NULL REFERENCES reports(id),
                code TEXT NOT NULL,
                disagg TEXT NOT NULL DEFAULT '',
                value TEXT NOT NULL,
                PRIMARY KEY (report_id, code, disagg)
            ) WITHOUT ROWID""",
            """CREATE TABLE comments (
                report_id INTEGER NOT NULL REFERENCES reports(id),
                code TEXT NOT NULL,
                disagg TEXT NOT NULL DEFAULT '',
                text TEXT NOT NULL,
                author TEXT NOT NULL,
                at TEXT NOT NULL,
                PRIMARY KEY (report_id, code, disagg)
            ) WITHOUT ROWID""",
            """CREATE TABLE eth_rows (
                report_id INTEGER NOT NULL REFERENCES reports(id),
                eth TEXT NOT NULL,
                position INTEGER NOT NULL,
                PRIMARY KEY (report_id, eth)
            ) WITHOUT ROWID""",
            """CREATE TABLE change_log (
                id INTEGER PRIMARY KEY,  -- no AUTOINCREMENT: rows are never deleted, so rowids only grow
                report_id INTEGER NOT NULL REFERENCES reports(id),
                code TEXT NOT NULL,
                disagg TEXT NOT NULL DEFAULT '',
                old TEXT,
                new TEXT,
                who TEXT NOT NULL,
                at TEXT NOT NULL,
                kind TEXT NOT NULL DEFAULT 'edit'
            )""",
            "CREATE INDEX change_log_cell ON change_log (report_id, code, disagg)",
            """CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
               BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END""",
            """CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
               BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END""",
        ),
    )


def m003_submissions_and_outbox(db: Database) -> None:
    _run(
        db,
        (
            """CREATE TABLE submissions (
                submission_id TEXT PRIMARY KEY,
                report_id INTEGER NOT NULL REFERENCES reports(id),
                revision_no INTEGER NOT NULL,
                supersedes TEXT REFERENCES submissions(submission_id),
                base_server_revision INTEGER NOT NULL,
                catalog_id TEXT NOT NULL,
                catalog_version INTEGER NOT NULL,
                finalized_at TEXT NOT NULL,
                finalized_by TEXT NOT NULL,
                payload_sha256 TEXT NOT NULL,
                document TEXT NOT NULL,
                UNIQUE (report_id, revision_no)
            )""",
            """CREATE TRIGGER submissions_immutable BEFORE UPDATE ON submissions
               BEGIN SELECT RAISE(ABORT, 'submissions are immutable'); END""",
            """CREATE TRIGGER submissions_no_delete BEFORE DELETE ON submissions
               BEGIN SELECT RAISE(ABORT, 'submissions are immutable'); END""",
            """CREATE TABLE outbox (
                seq INTEGER PRIMARY KEY,  -- rows are never deleted: rowids only grow
                submission_id TEXT NOT NULL UNIQUE REFERENCES submissions(submission_id),
                report_id INTEGER NOT NULL REFERENCES reports(id),
                state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'accepted', 'needs_attention',
                                                     'conflict', 'late', 'superseded', 'discarded')),
                lease_until TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                receipt_no TEXT,
                server_revision INTEGER,
                received_at TEXT,
                errors_json TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX outbox_state ON outbox (state, seq)",
            "CREATE INDEX outbox_report ON outbox (report_id, state)",
        ),
    )


def m004_sync(db: Database) -> None:
    _run(
        db,
        (
            """CREATE TABLE server_copies (
                id INTEGER PRIMARY KEY,
                report_id INTEGER NOT NULL REFERENCES reports(id),
                server_revision INTEGER NOT NULL,
                status TEXT,
                values_json TEXT NOT NULL,
                comments_json TEXT NOT NULL,
                pulled_at TEXT NOT NULL,
                resolved_at TEXT,
                resolution TEXT,
                UNIQUE (report_id, server_revision)
            )""",
            """CREATE TABLE sync_runs (
                id INTEGER PRIMARY KEY,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                summary TEXT NOT NULL
            )""",
        ),
    )


def m005_carried_cells(db: Database) -> None:
    """Cells copied from the previous period as a starting draft (issue 16 item 5, ``store/carry.py``)."""
    _run(
        db,
        (
            """CREATE TABLE carried_cells (
                report_id INTEGER NOT NULL REFERENCES reports(id),
                code TEXT NOT NULL,
                disagg TEXT NOT NULL DEFAULT '',
                value TEXT NOT NULL,
                from_period TEXT NOT NULL,
                PRIMARY KEY (report_id, code, disagg)
            ) WITHOUT ROWID""",
        ),
    )


def m006_baselines(db: Database) -> None:
    """Survey baselines of the profile's unit from the hub (issue 17 item 4, ``store/baselines.py``)."""
    _run(
        db,
        (
            """CREATE TABLE baselines (
                unit TEXT NOT NULL,
                survey TEXT NOT NULL,
                reference_date TEXT NOT NULL,
                form TEXT NOT NULL,
                period TEXT NOT NULL,
                indicator TEXT NOT NULL,
                disagg TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (unit, survey, form, period, indicator, disagg)
            )""",
        ),
    )


STEPS = (
    m001_settings_and_catalogs,
    m002_reports,
    m003_submissions_and_outbox,
    m004_sync,
    m005_carried_cells,
    m006_baselines,
)
STEP_NAMES = tuple(step.__name__ for step in STEPS)  # as sqlite_utils records them in _sqlite_migrations


def build_migrations(upto: int | None = None) -> Migrations:
    """The migration set of ``profile.sqlite``.

    Args:
        upto: keep only the first ``upto`` steps (tests use it to make an older database).

    Returns:
        A fresh ``sqlite_utils.Migrations`` holding the steps in order.
    """
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)
    for step in STEPS[:upto]:
        migrations()(step)
    return migrations
