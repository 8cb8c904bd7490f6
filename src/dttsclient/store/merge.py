"""Merging another copy of a profile database (a restored backup) into this one: :meth:`Store.merge_from`.

Merging never overwrites newer local data:

* reports are matched by (unit, form, period); a report only in the backup is added whole;
* per cell, the side whose change log touched the cell last wins (ties: local). Both sides' change-log
  entries are kept, so the older version stays in the history; when the backup's value is taken, a
  change-log row of kind ``restore`` records the switch (old local value → backup value);
* comments: the newer one wins; ethnic-group rows: the union;
* marks of cells copied from the previous period (``carried_cells``): a report only in the backup keeps
  its marks; in a report on both sides a backup's mark comes along only with the backup's value of that
  cell (a local mark stays; a mark confirmed here is not brought back);
* survey baselines (``baselines`` and their ``baselines_version``) are taken from a backup of the same
  unit when it holds a newer version than this profile (e.g. a new PC before its first sync), so they
  show offline;
* submissions unknown locally are added; their outbox rows that were never acknowledged keep waiting:
  ``queued`` ones are queued again, ``sending`` ones stay ``sending`` without a lease so that the next
  sync asks the hub (``submissions:status``) before resending them — the hub may hold them already;
  acknowledged ones keep their state and receipt. A local row still ``queued``/``sending`` that the
  backup knows as acknowledged takes the backup's answer. Of a report's queued revisions only the newest
  stays queued (older ones become ``superseded``, as at finalize);
* catalogue versions are merged; the profile fields are taken only when the local profile has no
  commune yet (a new profile); device id, sync cursor and local settings stay as they are, and no
  secret-like key (:func:`~dttsclient.store.setting_keys.is_secret_key`) is ever taken.

The merge writes only tables of the store's schema and keeps the append-only and immutable rules (only
INSERTs into ``change_log`` and ``submissions``). The other database is first brought to this version's
schema (:func:`upgrade_copy`), so years-old backups stay mergeable.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dttsclient.store.baselines import MAX_ITEMS as BASELINES_MAX
from dttsclient.store.baselines import VERSION_SETTING as BASELINES_VERSION
from dttsclient.store.baselines import clean_baseline
from dttsclient.store.setting_keys import is_secret_key
from dttsclient.store.settings import Settings

RESTORE_KIND = "restore"
RESTORE_WHO = "restore"
ACK_STATES = ("accepted", "late", "conflict", "needs_attention")
LOG_COLS = ("code", "disagg", "old", "new", "who", "at", "kind")


@dataclass(kw_only=True)
class MergeResult:
    """What :meth:`Store.merge_from` did.

    Attributes:
        profile_set: the profile fields came from the other copy (the local profile had no commune).
        catalogs_added: catalogue versions that were not here.
        reports_added: reports only in the other copy; reports_merged: reports on both sides.
        cells_added: values that were not here; cells_updated: local values replaced by newer ones
            from the other copy; cells_kept_local: values where the local one was newer and stayed.
        history_added: change-log entries added.
        comments_changed: comments added or replaced by newer ones.
        submissions_added: submissions that were not here.
        requeued: unsent submissions of the other copy put back in the queue.
        outbox_updated: local queued rows that the other copy knew as acknowledged.
        carried_marks: marks of copied cells (start from last period) brought from the other copy.
        baselines_taken: survey figures taken from the other copy (it had a newer version).
        notes: (vi, en) sentences about items left out (e.g. a revision number already used here).
    """

    profile_set: bool = False
    catalogs_added: int = 0
    reports_added: int = 0
    reports_merged: int = 0
    cells_added: int = 0
    cells_updated: int = 0
    cells_kept_local: int = 0
    history_added: int = 0
    comments_changed: int = 0
    submissions_added: int = 0
    requeued: int = 0
    outbox_updated: int = 0
    carried_marks: int = 0
    baselines_taken: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the merge changed anything in this profile."""
        return any(
            (
                self.profile_set,
                self.catalogs_added,
                self.reports_added,
                self.cells_added,
                self.cells_updated,
                self.history_added,
                self.comments_changed,
                self.submissions_added,
                self.outbox_updated,
                self.carried_marks,
                self.baselines_taken,
            )
        )


def upgrade_copy(db_file: Path, work: Path) -> None:
    """Bring another profile database (an extracted backup) to this version's schema, in place.

    Args:
        db_file: the database file; it is changed.
        work: a folder for the copy taken before migrating.

    Raises:
        DatabaseTooNew: it was written by a newer version.
        MigrationFailed: a migration step failed.
    """
    from sqlite_utils import Database

    from dttsclient.store.db import migrate

    conn = sqlite3.connect(str(db_file), isolation_level=None)
    try:
        migrate(Database(conn, execute_plugins=False), work / "migrate")
    finally:
        conn.close()


def merge_into(conn: sqlite3.Connection, other: Path, stamp: str) -> MergeResult:
    """Merge the database file ``other`` into ``conn`` inside the caller's open transaction.

    Args:
        conn: the store's connection, in a write transaction.
        other: the other database (at this version's schema, see :func:`upgrade_copy`).
        stamp: the time written on change-log and outbox rows the merge makes.
    """
    result = MergeResult()
    bak = sqlite3.connect(str(other))
    try:
        _Merger(conn, bak, stamp, result).run()
    finally:
        bak.close()
    return result


def _json_setting(conn: sqlite3.Connection, key: str, kind: type) -> Any:
    """The JSON value of a setting when it is a ``kind`` (never a bool for int), else None (missing or damaged)."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    try:
        value = json.loads(row[0]) if row is not None else None
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, kind) and not isinstance(value, bool) else None


def _cols(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


class _Merger:
    """One merge of a backup database (``bak``) into the live one (``conn``), inside the caller's transaction."""

    def __init__(
        self, conn: sqlite3.Connection, bak: sqlite3.Connection, stamp: str, result: MergeResult
    ) -> None:
        self.conn, self.bak, self.stamp, self.r = conn, bak, stamp, result
        self._common: dict[str, list[str]] = {}

    def common(self, table: str, skip: tuple[str, ...] = ()) -> list[str]:
        """Columns both databases have (the backup was migrated, so normally all of them)."""
        key = table + "/" + ",".join(skip)
        if key not in self._common:
            mine = _cols(self.conn, table)
            theirs = set(_cols(self.bak, table))
            self._common[key] = [c for c in mine if c in theirs and c not in skip]
        return self._common[key]

    def rows(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        cur = self.bak.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def insert(self, table: str, row: dict[str, Any], cols: list[str]) -> int:
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        return int(self.conn.execute(sql, [row[c] for c in cols]).lastrowid or 0)

    # -- the whole merge ----------------------------------------------------------------------------
    def run(self) -> None:
        self.catalogs()
        self.settings()
        self.baselines()
        local = {
            (u, f, p): i for i, u, f, p in self.conn.execute("SELECT id, unit, form, period FROM reports")
        }
        for brow in self.rows("SELECT * FROM reports ORDER BY id"):
            key = (brow["unit"], brow["form"], brow["period"])
            if key in local:
                self.merge_report(local[key], brow)
                self.r.reports_merged += 1
            else:
                self.add_report(brow)
                self.r.reports_added += 1

    def catalogs(self) -> None:
        cols = self.common("catalogs")
        for row in self.rows("SELECT * FROM catalogs ORDER BY imported_at"):
            sql = f"INSERT OR IGNORE INTO catalogs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            self.r.catalogs_added += self.conn.execute(sql, [row[c] for c in cols]).rowcount

    def settings(self) -> None:
        mine = dict(self.conn.execute("SELECT key, value FROM settings").fetchall())
        theirs = dict(self.bak.execute("SELECT key, value FROM settings").fetchall())
        take: list[str] = []
        if "profile.unit" not in mine and "profile.unit" in theirs:
            take += [k for k in theirs if k.startswith("profile.")]
            self.r.profile_set = True
        if "catalog.active" not in mine and "catalog.active" in theirs:
            take.append("catalog.active")
        for key in take:
            if is_secret_key(key):
                continue
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, theirs[key]),
            )

    def baselines(self) -> None:
        """The backup's survey baselines when its version is newer than this profile's (or this has none)."""
        theirs = _json_setting(self.bak, BASELINES_VERSION, int)
        mine = _json_setting(self.conn, BASELINES_VERSION, int)
        here = _json_setting(self.conn, "profile.unit", str)
        if (
            theirs is None
            or (mine is not None and theirs <= mine)
            or here is None
            or _json_setting(self.bak, "profile.unit", str) != here
        ):
            return  # (another unit's figures would stand in for this unit's until the hub's next version)
        rows = []  # a backup is a file from a USB stick: the same checks as the hub's reply, and its bounds
        for row in self.rows("SELECT * FROM baselines WHERE unit = ? LIMIT ?", (here, BASELINES_MAX + 1)):
            clean = clean_baseline(row)
            if clean is not None and len(rows) < BASELINES_MAX:
                rows.append((here, *clean))
        self.conn.execute("DELETE FROM baselines WHERE unit = ?", (here,))
        self.conn.executemany(
            "INSERT OR REPLACE INTO baselines (unit, survey, reference_date, form, period, indicator, disagg, "
            "value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        Settings._put_setting(self.conn, BASELINES_VERSION, theirs)
        self.r.baselines_taken += len(rows)

    # -- a report only in the backup ---------------------------------------------------------------------
    def add_report(self, brow: dict[str, Any]) -> None:
        bid = brow["id"]
        new_id = self.insert("reports", brow, self.common("reports", skip=("id",)))
        for table in ("cells", "comments", "eth_rows", "carried_cells"):
            cols = self.common(table)
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            data = [
                [new_id if c == "report_id" else row[c] for c in cols]
                for row in self.rows(f"SELECT * FROM {table} WHERE report_id = ?", (bid,))
            ]
            self.conn.executemany(sql, data)
            if table == "cells":
                self.r.cells_added += len(data)
            elif table == "comments":
                self.r.comments_changed += len(data)
            elif table == "carried_cells":
                self.r.carried_marks += len(data)
        log_cols = self.common("change_log", skip=("id",))
        entries = self.rows("SELECT * FROM change_log WHERE report_id = ? ORDER BY id", (bid,))
        sql = f"INSERT INTO change_log ({', '.join(log_cols)}) VALUES ({', '.join('?' * len(log_cols))})"
        self.conn.executemany(
            sql, [[new_id if c == "report_id" else e[c] for c in log_cols] for e in entries]
        )
        self.r.history_added += len(entries)
        self.server_copies(bid, new_id)
        self.submissions(bid, new_id)
        self.supersede_old_queued(new_id)

    # -- a report on both sides ----------------------------------------------------------------------
    def merge_report(self, lid: int, brow: dict[str, Any]) -> None:
        bid = brow["id"]
        # Each side's last change per cell, taken before this merge appends anything to the log.
        my_last, their_last = self._last_changes(self.conn, lid), self._last_changes(self.bak, bid)
        self.merge_history(lid, bid)
        values_changed = self.merge_cells(lid, bid, my_last, their_last)
        comments_changed = self.merge_comments(lid, bid)
        rows_changed = self.merge_eth_rows(lid, bid)
        self.server_copies(bid, lid)
        self.submissions(bid, lid)
        self.supersede_old_queued(lid)
        self.merge_report_fields(lid, brow, values_changed, comments_changed or rows_changed)

    def merge_history(self, lid: int, bid: int) -> None:
        """Append the backup's change-log entries this profile lacks (the older versions' history)."""
        cols = ", ".join(LOG_COLS)
        have = {
            tuple(r) for r in self.conn.execute(f"SELECT {cols} FROM change_log WHERE report_id = ?", (lid,))
        }
        added = 0
        for entry in self.bak.execute(
            f"SELECT {cols} FROM change_log WHERE report_id = ? ORDER BY id", (bid,)
        ):
            if tuple(entry) in have:
                continue
            self.conn.execute(
                f"INSERT INTO change_log (report_id, {cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (lid, *entry)
            )
            have.add(tuple(entry))
            added += 1
        self.r.history_added += added

    @staticmethod
    def _last_changes(conn: sqlite3.Connection, report_id: int) -> dict[tuple[str, str], str]:
        return {
            (c, d): at
            for c, d, at in conn.execute(
                "SELECT code, disagg, max(at) FROM change_log WHERE report_id = ? GROUP BY code, disagg",
                (report_id,),
            )
        }

    @staticmethod
    def _cells(conn: sqlite3.Connection, report_id: int) -> dict[tuple[str, str], str]:
        return {
            (c, d): v
            for c, d, v in conn.execute(
                "SELECT code, disagg, value FROM cells WHERE report_id = ?", (report_id,)
            )
        }

    def merge_cells(
        self, lid: int, bid: int, my_last: dict[tuple[str, str], str], their_last: dict[tuple[str, str], str]
    ) -> bool:
        mine, theirs = self._cells(self.conn, lid), self._cells(self.bak, bid)
        marks = {
            (c, d): (v, p)
            for c, d, v, p in self.bak.execute(
                "SELECT code, disagg, value, from_period FROM carried_cells WHERE report_id = ?", (bid,)
            )
        }
        changed = False
        for key in sorted(set(mine) | set(theirs)):
            lv, bv = mine.get(key), theirs.get(key)
            if lv == bv:
                continue
            if their_last.get(key, "") > my_last.get(key, ""):
                code, disagg = key
                if bv is None:
                    self.conn.execute(
                        "DELETE FROM cells WHERE report_id = ? AND code = ? AND disagg = ?",
                        (lid, code, disagg),
                    )
                else:
                    self.conn.execute(
                        "INSERT INTO cells (report_id, code, disagg, value) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (report_id, code, disagg) DO UPDATE SET value = excluded.value",
                        (lid, code, disagg, bv),
                    )
                self.conn.execute(
                    "INSERT INTO change_log (report_id, code, disagg, old, new, who, at, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (lid, code, disagg, lv, bv, RESTORE_WHO, self.stamp, RESTORE_KIND),
                )
                mark = marks.get(key)
                if bv is not None and mark is not None and mark[0] == bv:
                    # the backup's value was copied from the previous period and not confirmed there
                    self.r.carried_marks += self.conn.execute(
                        "INSERT INTO carried_cells (report_id, code, disagg, value, from_period) "
                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (report_id, code, disagg) DO NOTHING",
                        (lid, code, disagg, bv, mark[1]),
                    ).rowcount
                if lv is None:
                    self.r.cells_added += 1
                else:
                    self.r.cells_updated += 1
                changed = True
            else:
                self.r.cells_kept_local += 1
        return changed

    def merge_comments(self, lid: int, bid: int) -> bool:
        mine = {
            (c, d): at
            for c, d, at in self.conn.execute(
                "SELECT code, disagg, at FROM comments WHERE report_id = ?", (lid,)
            )
        }
        changed = False
        for c, d, text, author, at in self.bak.execute(
            "SELECT code, disagg, text, author, at FROM comments WHERE report_id = ?", (bid,)
        ):
            if (c, d) in mine and mine[(c, d)] >= at:
                continue
            self.conn.execute(
                "INSERT INTO comments (report_id, code, disagg, text, author, at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (report_id, code, disagg) DO UPDATE SET text = excluded.text, author = excluded.author, "
                "at = excluded.at",
                (lid, c, d, text, author, at),
            )
            self.r.comments_changed += 1
            changed = True
        return changed

    def merge_eth_rows(self, lid: int, bid: int) -> bool:
        mine = [
            r[0]
            for r in self.conn.execute(
                "SELECT eth FROM eth_rows WHERE report_id = ? ORDER BY position", (lid,)
            )
        ]
        theirs = [
            r[0]
            for r in self.bak.execute(
                "SELECT eth FROM eth_rows WHERE report_id = ? ORDER BY position", (bid,)
            )
        ]
        extra = [e for e in theirs if e not in mine]
        if not extra:
            return False
        self.conn.executemany(
            "INSERT INTO eth_rows (report_id, eth, position) VALUES (?, ?, ?)",
            [(lid, e, len(mine) + i) for i, e in enumerate(extra)],
        )
        return True

    def server_copies(self, bid: int, lid: int) -> None:
        cols = self.common("server_copies", skip=("id",))
        if not cols:
            return
        sql = f"INSERT OR IGNORE INTO server_copies ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        for row in self.rows("SELECT * FROM server_copies WHERE report_id = ?", (bid,)):
            self.conn.execute(sql, [lid if c == "report_id" else row[c] for c in cols])

    # -- submissions and the outbox ------------------------------------------------------------------
    def submissions(self, bid: int, lid: int) -> None:
        sub_cols = self.common("submissions")
        out_cols = self.common("outbox", skip=("seq",))
        revs = {
            r[0] for r in self.conn.execute("SELECT revision_no FROM submissions WHERE report_id = ?", (lid,))
        }
        for sub in self.rows("SELECT * FROM submissions WHERE report_id = ? ORDER BY revision_no", (bid,)):
            sid = sub["submission_id"]
            outs = self.rows("SELECT * FROM outbox WHERE submission_id = ?", (sid,))
            bout = outs[0] if outs else None
            if self.conn.execute("SELECT 1 FROM submissions WHERE submission_id = ?", (sid,)).fetchone():
                self.learn_answer(sid, bout)
                continue
            if sub["revision_no"] in revs:
                self.r.notes.append(
                    (
                        f"Lần nộp {sub['revision_no']} của báo cáo {self._name(lid)} trong bản sao lưu trùng số với một lần "
                        "nộp đã có ở máy này nên không được thêm; số liệu của nó đã được gộp vào bản nháp.",
                        f"Revision {sub['revision_no']} of report {self._name(lid)} in the backup has the number of a "
                        "revision already on this computer, so it was not added; its values were merged into the draft.",
                    )
                )
                continue
            sup = sub.get("supersedes")
            if (
                sup
                and not self.conn.execute(
                    "SELECT 1 FROM submissions WHERE submission_id = ?", (sup,)
                ).fetchone()
            ):
                self.r.notes.append(
                    (
                        f"Lần nộp {sub['revision_no']} của báo cáo {self._name(lid)} thay cho một lần nộp không có ở đây "
                        "nên không được thêm.",
                        f"Revision {sub['revision_no']} of report {self._name(lid)} replaces a revision that is not here, "
                        "so it was not added.",
                    )
                )
                continue
            self.insert("submissions", {**sub, "report_id": lid}, sub_cols)
            revs.add(sub["revision_no"])
            self.r.submissions_added += 1
            if bout is None:
                continue
            row = {**bout, "report_id": lid}
            if bout["state"] == "sending":
                # The hub may hold it (its reply was lost): it stays sending, with no lease, so the next
                # sync asks submissions:status before sending it again, and a newer revision in the
                # backup cannot supersede it locally.
                row.update(lease_until=None, updated_at=self.stamp)
                self.r.requeued += 1
            elif bout["state"] == "queued":
                row.update(lease_until=None, attempts=0, updated_at=self.stamp)
                self.r.requeued += 1
            self.insert("outbox", row, out_cols)

    def learn_answer(self, sid: str, bout: dict[str, Any] | None) -> None:
        """A local row still waiting that the backup knows as answered by the hub takes that answer."""
        if bout is None or bout["state"] not in ACK_STATES:
            return
        n = self.conn.execute(
            "UPDATE outbox SET state = ?, lease_until = NULL, receipt_no = ?, server_revision = ?, received_at = ?, "
            "errors_json = ?, last_error = ?, updated_at = ? WHERE submission_id = ? AND state IN ('queued', 'sending')",
            (
                bout["state"],
                bout.get("receipt_no"),
                bout.get("server_revision"),
                bout.get("received_at"),
                bout.get("errors_json"),
                bout.get("last_error"),
                self.stamp,
                sid,
            ),
        ).rowcount
        self.r.outbox_updated += n

    def supersede_old_queued(self, lid: int) -> None:
        self.conn.execute(
            "UPDATE outbox SET state = 'superseded', lease_until = NULL, updated_at = ? "
            "WHERE report_id = ? AND state = 'queued' AND submission_id IN ("
            "  SELECT submission_id FROM submissions WHERE report_id = ? AND revision_no < "
            "  (SELECT max(revision_no) FROM submissions WHERE report_id = ?))",
            (self.stamp, lid, lid, lid),
        )

    def merge_report_fields(
        self, lid: int, brow: dict[str, Any], values_changed: bool, other_changed: bool
    ) -> None:
        """Revision numbers and the hub's view; state and "unsent edits" follow what the merge changed."""
        cur = self.conn.execute(
            "SELECT revision_no, base_server_revision, server_revision FROM reports WHERE id = ?", (lid,)
        ).fetchone()
        revision_no, base_rev, server_rev = cur
        top = (
            self.conn.execute(
                "SELECT max(revision_no) FROM submissions WHERE report_id = ?", (lid,)
            ).fetchone()[0]
            or 0
        )
        updates: dict[str, Any] = {
            "revision_no": max(revision_no, brow["revision_no"], top),
            "base_server_revision": max(base_rev, brow["base_server_revision"]),
        }
        if brow["server_revision"] > server_rev:
            for col in (
                "server_revision",
                "server_status",
                "review_state",
                "review_comment",
                "review_by",
                "review_at",
            ):
                if col in brow:
                    updates[col] = brow[col]
        if values_changed or other_changed:
            # The merged values are exactly the newest revision (e.g. the backup held a later finalize):
            # nothing is unsent. Otherwise the merge made an edited draft, to be finalized again.
            updates["updated_at"] = self.stamp
            latest = self.conn.execute(
                "SELECT payload_sha256 FROM submissions WHERE report_id = ? ORDER BY revision_no DESC LIMIT 1",
                (lid,),
            ).fetchone()
            from dttscore.payload import payload_sha256

            same = latest is not None and latest[0] == payload_sha256(self._cells(self.conn, lid))
            unsent = other_changed or not same
            updates["state"], updates["dirty"] = ("draft", 1) if unsent else ("finalized", 0)
        sets = ", ".join(f"{k} = ?" for k in updates)
        self.conn.execute(f"UPDATE reports SET {sets} WHERE id = ?", [*updates.values(), lid])

    def _name(self, lid: int) -> str:
        row = self.conn.execute("SELECT unit, form, period FROM reports WHERE id = ?", (lid,)).fetchone()
        return " / ".join(row) if row else str(lid)
