"""What a sync pulls (reports, reviewer feedback, the cursor), server copies kept beside local edits,
and the record of sync runs."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from dttsclient.store import setting_keys
from dttsclient.store._base import Database, Part, dumps, guarded
from dttsclient.store.catalogs import Catalogs
from dttsclient.store.errors import NoServerCopy, OutboxStateError
from dttsclient.store.models import CellKey, PullOutcome, Report, ServerCopy
from dttsclient.store.reports import REPORT_COLUMNS, Reports, report_from_row
from dttscore.bounds import pulled_report_problem

logger = logging.getLogger(__name__)

CURSOR_KEY = setting_keys.SYNC_CURSOR

SERVER_WHO = "server"


def _pulled_values(item: Mapping[str, Any]) -> dict[CellKey, str]:
    from dttscore.payload import values_from_list

    return {k: v for k, v in values_from_list(item.get("values") or []).items() if v != ""}


def _eth_of(values: Iterable[CellKey]) -> list[str]:
    """Ethnic groups that have values, in code order (a pulled report brings no row list of its own)."""
    found = set()
    for _, disagg in values:
        for part in disagg.split("|"):
            dim, _, opt = part.partition("=")
            if dim == "eth" and opt:
                found.add(opt)
    return sorted(found)


class SyncState(Part):
    """``store.sync``: applying what a sync pulls, server copies kept beside local edits, sync runs.

    Args:
        db: the store's database.
        catalogs: the store's catalogue part.
        reports: the store's reports part.
    """

    def __init__(self, db: Database, catalogs: Catalogs, reports: Reports) -> None:
        super().__init__(db)
        self._catalogs = catalogs
        self._reports = reports

    # -- pull ---------------------------------------------------------------------------------------
    @guarded
    def apply_pulled(self, reports: Iterable[Mapping[str, Any]], cursor: str | None) -> list[PullOutcome]:
        """Apply the reports of ``GET /changes`` and store the cursor, all in one transaction.

        For each pulled report (docs/sync-protocol.md ``changes`` item):

        * not here → created with the pulled values, pinned to the catalogue version it was made with
          (the item's ``catalog_id``/``catalog_version``; the current one only when the hub gives none),
          "finalized", no unsent edits (a new PC gets its history back) — ``created``. The sync engine
          fetches that version first; when it could not, the report is kept all the same, read-only until
          a later sync fetches it, and the outcome carries a message saying so;
        * here, no unsent edits (not dirty, nothing queued or sending) and a newer server revision →
          its cells are replaced (change log kind "pull") and it takes the revision's catalogue
          version — ``replaced``;
        * here with unsent edits and a newer server revision → local values kept, the server's kept in
          ``server_copies`` for the officer to compare — ``kept_both``;
        * otherwise only the review may change — ``review_only`` or ``unchanged``;
        * a malformed item (checked against the protocol's bounds,
          :func:`dttscore.bounds.pulled_report_problem`: ``comments: [1]``, a 5 MB comment, an
          integer beyond 64 bits …) is set aside untouched — ``set_aside``, with a plain message — and the
          rest of the pull goes on (each item is applied inside its own savepoint).

        The review (state, comment, by, at) is always taken; a newly "returned" review turns a
        finalized report back into an editable draft.

        Args:
            reports: the pulled report dicts.
            cursor: the cursor to ask from next time (stored under ``sync.cursor``); None keeps the old.

        Returns:
            One :class:`PullOutcome` per pulled report, in order.
        """
        outcomes: list[PullOutcome] = []
        now = self._stamp()
        with self._tx() as conn:
            for item in reports:
                outcomes.append(self._apply_checked(conn, item, now))
            if cursor is not None:
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (CURSOR_KEY, dumps(cursor)),
                )
        if outcomes:
            summary: dict[str, int] = {}
            for o in outcomes:
                summary[o.action] = summary.get(o.action, 0) + 1
            logger.info("pulled %d report(s): %s", len(outcomes), summary)
        return outcomes

    def _apply_checked(self, conn: sqlite3.Connection, item: Any, now: str) -> PullOutcome:
        """Apply one pulled item, or set it aside when it is malformed; never stops the pull."""
        problem = pulled_report_problem(item)
        if problem is None:
            conn.execute("SAVEPOINT pull_item")
            try:
                outcome = self._apply_one(conn, item, now)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a shape the bounds missed
                conn.execute("ROLLBACK TO pull_item")
                conn.execute("RELEASE pull_item")
                logger.warning("pulled report could not be applied: %s", type(exc).__name__)
                problem = ("dữ liệu không đúng dạng", "its data has the wrong shape")
            else:
                conn.execute("RELEASE pull_item")
                return outcome
        return _set_aside(item, problem)

    def _apply_one(self, conn: sqlite3.Connection, item: Mapping[str, Any], now: str) -> PullOutcome:
        unit, form, period = str(item["unit"]), str(item["form"]), str(item["period"])
        revision = int(item.get("server_revision") or 0)
        status = item.get("status")
        values = _pulled_values(item)
        comments = list(item.get("comments") or [])
        row = conn.execute(
            f"SELECT {REPORT_COLUMNS} FROM reports WHERE unit = ? AND form = ? AND period = ?",
            (unit, form, period),
        ).fetchone()

        def outcome(report_id: int, action: str) -> PullOutcome:
            return PullOutcome(report_id, action, unit, form, period, revision)

        pulled_key = _catalog_key(item)
        if row is None:
            # the version the report was made with (docs/catalogue.md); the current one only when the hub says none
            key = pulled_key or self._catalogs._current_key()
            report_id = conn.execute(
                "INSERT INTO reports (unit, form, period, catalog_id, catalog_version, state, dirty, "
                "base_server_revision, server_revision, server_status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, 'finalized', 0, ?, ?, ?, ?, ?)",
                (unit, form, period, *(key or (None, None)), revision, revision, status, now, now),
            ).lastrowid
            self._replace_content(conn, report_id, values, comments, item, now, "pull", SERVER_WHO)
            self._apply_review(conn, report_from_row(self._row(conn, report_id)), item.get("review"), now)
            return _waiting_for(conn, key, outcome(report_id, "created"))

        report = report_from_row(row)
        if revision > report.server_revision:
            if not self._has_unsent(conn, report):
                self._replace_content(conn, report.id, values, comments, item, now, "pull", SERVER_WHO)
                conn.execute(
                    "UPDATE reports SET state = 'finalized', dirty = 0, server_revision = ?, "
                    "base_server_revision = ?, server_status = ?, updated_at = ? WHERE id = ?",
                    (revision, revision, status, now, report.id),
                )
                if pulled_key is not None and pulled_key != (report.catalog_id, report.catalog_version):
                    # the server's revision was made with another version: its cells go with that one
                    conn.execute(
                        "UPDATE reports SET catalog_id = ?, catalog_version = ? WHERE id = ?",
                        (*pulled_key, report.id),
                    )
                    self._reports._pins.pop(report.id, None)
                self._apply_review(conn, self._report_of(conn, report.id), item.get("review"), now)
                return _waiting_for(conn, pulled_key, outcome(report.id, "replaced"))
            conn.execute(
                "INSERT INTO server_copies (report_id, server_revision, status, values_json, comments_json, "
                "pulled_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (report_id, server_revision) DO UPDATE SET "
                "status = excluded.status, values_json = excluded.values_json, "
                "comments_json = excluded.comments_json, pulled_at = excluded.pulled_at, "
                "resolved_at = NULL, resolution = NULL",
                (report.id, revision, status, dumps(_values_doc(values)), dumps(comments), now),
            )
            self._apply_review(conn, report, item.get("review"), now)
            logger.info("report %s has unsent edits: server revision %s kept beside it", report.id, revision)
            return outcome(report.id, "kept_both")
        changed = self._apply_review(conn, report, item.get("review"), now)
        if status is not None and status != report.server_status and revision == report.server_revision:
            conn.execute("UPDATE reports SET server_status = ? WHERE id = ?", (status, report.id))
            changed = True
        return outcome(report.id, "review_only" if changed else "unchanged")

    @staticmethod
    def _row(conn: sqlite3.Connection, report_id: int) -> tuple:
        return conn.execute(f"SELECT {REPORT_COLUMNS} FROM reports WHERE id = ?", (report_id,)).fetchone()

    def _report_of(self, conn: sqlite3.Connection, report_id: int) -> Report:
        return report_from_row(self._row(conn, report_id))

    @staticmethod
    def _has_unsent(conn: sqlite3.Connection, report: Report) -> bool:
        if report.dirty:
            return True
        row = conn.execute(
            "SELECT 1 FROM outbox WHERE report_id = ? AND state IN ('queued', 'sending') LIMIT 1",
            (report.id,),
        ).fetchone()
        return row is not None

    def _replace_content(
        self,
        conn: sqlite3.Connection,
        report_id: int,
        values: Mapping[CellKey, str],
        comments: list[Mapping[str, Any]],
        item: Mapping[str, Any],
        now: str,
        kind: str,
        who: str,
    ) -> None:
        """Make the report's cells, comments and eth rows those of a server version (logged)."""
        old = self._reports._cells(conn, report_id)
        for code, disagg in old:
            if (code, disagg) not in values:
                self._reports._write_cell(conn, report_id, code, disagg, None, who, now, kind)
        for (code, disagg), value in values.items():
            self._reports._write_cell(conn, report_id, code, disagg, value, who, now, kind)
        conn.execute("DELETE FROM comments WHERE report_id = ?", (report_id,))
        conn.executemany(
            "INSERT OR REPLACE INTO comments (report_id, code, disagg, text, author, at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    report_id,
                    str(c.get("code", "")),
                    str(c.get("disagg") or ""),
                    str(c.get("text") or ""),
                    str(c.get("author") or ""),
                    str(c.get("at") or now),
                )
                for c in comments
                if c.get("text")
            ],
        )
        pulled_rows = item.get("eth_rows")
        wanted = [str(e) for e in pulled_rows] if pulled_rows is not None else _eth_of(values)
        current = self._reports._eth_rows(conn, report_id)
        merged = list(dict.fromkeys([*current, *wanted]))
        if merged != current:
            self._reports._put_eth_rows(conn, report_id, merged)

    @staticmethod
    def _apply_review(
        conn: sqlite3.Connection, report: Report, review: Mapping[str, Any] | None, now: str
    ) -> bool:
        """Store the reviewer's decision; True when it changed. A new "returned" makes the report
        editable (a finalized report becomes a draft; its unsent-edit flag is left as it was)."""
        if not review:
            return False
        state, comment = review.get("state"), review.get("comment")
        by, at = review.get("by"), review.get("at")
        if (state, comment, by, at) == (
            report.review_state,
            report.review_comment,
            report.review_by,
            report.review_at,
        ):
            return False
        new_state = "draft" if state == "returned" and report.state == "finalized" else report.state
        conn.execute(
            "UPDATE reports SET review_state = ?, review_comment = ?, review_by = ?, review_at = ?, state = ?, "
            "updated_at = ? WHERE id = ?",
            (state, comment, by, at, new_state, now, report.id),
        )
        return True

    @guarded
    def sync_cursor(self) -> str | None:
        """The cursor stored by the last :meth:`apply_pulled` (None before the first pull)."""
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (CURSOR_KEY,)).fetchone()
        return json.loads(row[0]) if row else None

    # -- server copies ------------------------------------------------------------------------------
    @guarded
    def server_copy(self, report_id: int) -> ServerCopy | None:
        """The newest unresolved server version kept beside local edits ("show both"), or None."""
        row = self._open_copy(self._conn, report_id)
        if row is None:
            return None
        return ServerCopy(
            report_id=report_id,
            server_revision=row[1],
            status=row[2],
            values={(v["code"], v["disagg"]): v["value"] for v in json.loads(row[3])},
            comments=json.loads(row[4]),
            pulled_at=row[5],
        )

    @staticmethod
    def _open_copy(conn: sqlite3.Connection, report_id: int) -> tuple | None:
        return conn.execute(
            "SELECT id, server_revision, status, values_json, comments_json, pulled_at FROM server_copies "
            "WHERE report_id = ? AND resolved_at IS NULL ORDER BY server_revision DESC LIMIT 1",
            (report_id,),
        ).fetchone()

    @guarded
    def take_server_copy(self, report_id: int, who: str) -> None:
        """The officer chose the server's version: it replaces the local cells (logged, kind
        "server_copy"; the old values stay in the change log), queued local revisions become
        superseded, and the report is finalized at that server revision. One transaction.

        Raises:
            NoServerCopy: there is no server version waiting.
            OutboxStateError: a revision of this report is being sent right now; sync first.
        """
        now = self._stamp()
        with self._tx() as conn:
            row = self._open_copy(conn, report_id)
            if row is None:
                raise NoServerCopy(report_id)
            sending = conn.execute(
                "SELECT submission_id FROM outbox WHERE report_id = ? AND state = 'sending' LIMIT 1",
                (report_id,),
            ).fetchone()
            if sending is not None:
                raise OutboxStateError(
                    sending[0], "sending", "thay bằng bản của máy chủ", "replaced by the server's"
                )
            values = {(v["code"], v["disagg"]): v["value"] for v in json.loads(row[3])}
            self._replace_content(conn, report_id, values, json.loads(row[4]), {}, now, "server_copy", who)
            conn.execute(
                "UPDATE outbox SET state = 'superseded', updated_at = ? WHERE report_id = ? AND state = 'queued'",
                (now, report_id),
            )
            conn.execute(
                "UPDATE reports SET state = 'finalized', dirty = 0, server_revision = ?, base_server_revision = ?, "
                "server_status = ?, updated_at = ? WHERE id = ?",
                (row[1], row[1], row[2], now, report_id),
            )
            self._resolve_copies(conn, report_id, "taken", now)

    @guarded
    def keep_local_copy(self, report_id: int) -> None:
        """The officer chose the local version over the server's: the server copy is marked resolved
        and the report becomes an edited draft based on that server revision, so the next finalize
        sends a revision that knowingly replaces it. One transaction.

        Raises:
            NoServerCopy: there is no server version waiting.
        """
        now = self._stamp()
        with self._tx() as conn:
            row = self._open_copy(conn, report_id)
            if row is None:
                raise NoServerCopy(report_id)
            conn.execute(
                "UPDATE reports SET state = 'draft', dirty = 1, server_revision = max(server_revision, ?), "
                "updated_at = ? WHERE id = ?",
                (row[1], now, report_id),
            )
            self._resolve_copies(conn, report_id, "kept_local", now)

    @staticmethod
    def _resolve_copies(conn: sqlite3.Connection, report_id: int, resolution: str, now: str) -> None:
        conn.execute(
            "UPDATE server_copies SET resolved_at = ?, resolution = ? WHERE report_id = ? AND resolved_at IS NULL",
            (now, resolution, report_id),
        )

    # -- sync runs ----------------------------------------------------------------------------------
    @guarded
    def record_sync_run(
        self, summary: Mapping[str, Any], started_at: str | None = None, finished_at: str | None = None
    ) -> int:
        """Record one sync. ``started_at``/``finished_at`` default to ``summary``'s keys of that name,
        then to now.

        Returns:
            The run's id.
        """
        now = self._stamp()
        started = started_at or summary.get("started_at") or now
        finished = finished_at or summary.get("finished_at") or now
        with self._tx() as conn:
            return conn.execute(
                "INSERT INTO sync_runs (started_at, finished_at, summary) VALUES (?, ?, ?)",
                (str(started), str(finished), dumps(dict(summary))),
            ).lastrowid

    @guarded
    def last_sync(self) -> dict[str, Any] | None:
        """``{"id", "started_at", "finished_at", "summary"}`` of the latest sync run, or None."""
        row = self._conn.execute(
            "SELECT id, started_at, finished_at, summary FROM sync_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return {"id": row[0], "started_at": row[1], "finished_at": row[2], "summary": json.loads(row[3])}


def _catalog_key(item: Mapping[str, Any]) -> tuple[str, int] | None:
    """The catalogue version a pulled report was made with, or None when the hub does not say."""
    catalog_id, version = item.get("catalog_id"), item.get("catalog_version")
    if catalog_id is None or version is None:
        return None
    return str(catalog_id), int(version)


def _waiting_for(conn: sqlite3.Connection, key: tuple[str, int] | None, done: PullOutcome) -> PullOutcome:
    """``done``, with a message when the report's catalogue version is not in the profile: the report is
    kept with its own version, read-only until a sync fetches that version (never attached to another)."""
    if (
        key is None
        or conn.execute("SELECT 1 FROM catalogs WHERE catalog_id = ? AND version = ?", key).fetchone()
    ):
        return done
    what = f"{done.form} {done.period}"
    logger.warning("pulled report %s waits for catalogue %s v%s", done.report_id, *key)
    return replace(
        done,
        message_vi=(
            f"Báo cáo {what} được lập theo danh mục chỉ tiêu {key[0]} phiên bản {key[1]}, máy này chưa tải "
            "được phiên bản đó. Số liệu đã nhận về và được giữ nguyên, nhưng báo cáo chưa mở, sửa hay chốt được "
            "cho đến khi có danh mục; lần đồng bộ sau khi có mạng sẽ tải về. Nếu vẫn báo như vậy, hãy báo cán "
            "bộ tỉnh."
        ),
        message_en=(
            f"Report {what} was made with indicator catalogue {key[0]} version {key[1]}, which this PC could "
            "not download yet. Its values were received and are kept, but the report cannot be opened, edited "
            "or finalized until the catalogue is here; the next sync with a connection downloads it. If this "
            "message stays, tell the province staff."
        ),
    )


def _set_aside(item: Any, problem: tuple[str, str]) -> PullOutcome:
    """The outcome of a malformed pulled item, with a message that names the report when it can."""
    known = item if isinstance(item, Mapping) else {}
    unit, form, period = (str(known.get(k) or "")[:16] for k in ("unit", "form", "period"))
    what = " ".join(x for x in (form, period) if x) or "?"
    where_vi = f" của xã {unit}" if unit else ""
    where_en = f" of commune {unit}" if unit else ""
    logger.warning("pulled report %s %s %s set aside: %s", unit, form, period, problem[1])
    return PullOutcome(
        0,
        "set_aside",
        unit,
        form,
        period,
        0,
        message_vi=(
            f"Báo cáo {what}{where_vi} nhận từ máy chủ bị lỗi ({problem[0]}) nên chưa được áp dụng; các báo cáo "
            "khác vẫn nhận bình thường. Hãy báo cán bộ tỉnh."
        ),
        message_en=(
            f"Report {what}{where_en} received from the server is damaged ({problem[1]}), so it was not "
            "applied; the other reports were received as usual. Tell the province staff."
        ),
    )


def _values_doc(values: Mapping[CellKey, str]) -> list[dict[str, str]]:
    from dttscore.payload import values_to_list

    return values_to_list(values)
