"""Reports, their cells, comments, ethnic-group rows and the change log.

Every cell write is one transaction (``BEGIN IMMEDIATE … COMMIT``) with prepared statements (the hot path
of typing in the grid): read the old value, write or delete the cell, append to the change log, mark the
report as an edited draft. With WAL and ``synchronous=FULL`` the value is on
disk when :meth:`Reports.set_cell` returns.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dttsclient.store._base import Database, Part, guarded
from dttsclient.store.catalogs import CatalogInfo, Catalogs
from dttsclient.store.errors import InvalidCell, NoCatalog, ReportNotFound, UnknownForm
from dttsclient.store.models import CellKey, ChangeEntry, Comment, Report
from dttscore.values import is_canonical

if TYPE_CHECKING:
    from dttscore.model import Catalog
    from dttscore.problems import Problem
    from dttscore.validate import Completeness

logger = logging.getLogger(__name__)

REPORT_COLUMNS = (
    "id, unit, form, period, catalog_id, catalog_version, state, dirty, revision_no, "
    "base_server_revision, server_revision, review_state, review_comment, updated_at, "
    "review_by, review_at, server_status, created_at"
)
CHANGE_KINDS = ("edit", "import", "pull", "server_copy", "restore")  # restore: written by Store.merge_from
_CALLER_KINDS = ("edit", "import")  # the others are written by the store itself

_SQL_OLD = "SELECT value FROM cells WHERE report_id = ? AND code = ? AND disagg = ?"
_SQL_PUT = (
    "INSERT INTO cells (report_id, code, disagg, value) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (report_id, code, disagg) DO UPDATE SET value = excluded.value"
)
_SQL_DEL = "DELETE FROM cells WHERE report_id = ? AND code = ? AND disagg = ?"
_SQL_LOG = (
    "INSERT INTO change_log (report_id, code, disagg, old, new, who, at, kind) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
# The WHERE clause leaves the row (and its page) alone while typing within the same second: one page
# less to write and fsync per keystroke-level commit.
_SQL_TOUCH = (
    "UPDATE reports SET state = 'draft', dirty = 1, updated_at = ?1 WHERE id = ?2 "
    "AND (state <> 'draft' OR dirty <> 1 OR updated_at <> ?1)"
)


def report_from_row(row: tuple) -> Report:
    return Report(
        id=row[0],
        unit=row[1],
        form=row[2],
        period=row[3],
        catalog_id=row[4],
        catalog_version=row[5],
        state=row[6],
        dirty=bool(row[7]),
        revision_no=row[8],
        base_server_revision=row[9],
        server_revision=row[10],
        review_state=row[11],
        review_comment=row[12],
        updated_at=row[13],
        review_by=row[14],
        review_at=row[15],
        server_status=row[16],
        created_at=row[17],
    )


class Reports(Part):
    """``store.reports``: reports and everything typed into them; checking them against their catalogue.

    Args:
        db: the store's database.
        catalogs: the store's catalogue part (a report is pinned to one of its versions).
    """

    def __init__(self, db: Database, catalogs: Catalogs) -> None:
        super().__init__(db)
        self._catalogs = catalogs
        # report id -> (catalog_id, catalog_version): a report's pin never changes once set.
        self._pins: dict[int, tuple[str, int] | None] = {}

    # -- reports ------------------------------------------------------------------------------------
    def _report_row(self, report_id: int) -> Report:
        row = self._conn.execute(
            f"SELECT {REPORT_COLUMNS} FROM reports WHERE id = ?", (report_id,)
        ).fetchone()
        if row is None:
            raise ReportNotFound(report_id)
        return report_from_row(row)

    def _pin_of(self, report_id: int) -> tuple[str, int] | None:
        if report_id in self._pins:
            return self._pins[report_id]
        row = self._conn.execute(
            "SELECT catalog_id, catalog_version FROM reports WHERE id = ?", (report_id,)
        ).fetchone()
        if row is None:
            raise ReportNotFound(report_id)
        pin = (row[0], row[1]) if row[0] is not None else None
        if pin is not None:  # an unpinned (pulled) report may be pinned later: do not cache None
            self._pins[report_id] = pin
        return pin

    def _pinned_info(self, report_id: int) -> CatalogInfo:
        pin = self._pin_of(report_id)
        if pin is None:
            raise NoCatalog()
        return self._catalogs._catalog_info(*pin)

    def _report_catalog(self, report: Report) -> Catalog:
        if report.catalog_id is None or report.catalog_version is None:
            raise NoCatalog()
        return self._catalogs._catalog_info(report.catalog_id, report.catalog_version).catalog

    @guarded
    def report(self, unit: str, form: str, period: str, create: bool = False) -> Report | None:
        """The report (unit, form, period), or None.

        Args:
            create: make it when missing, pinned to the current catalogue version; the form must be
                in that catalogue and the period must be of the form's period type.

        Raises:
            NoCatalog: ``create`` without any catalogue.
            UnknownForm: ``create`` with a form the current catalogue does not have.
            IdentifierError: ``create`` with a period code that does not fit the form.
        """
        row = self._conn.execute(
            f"SELECT {REPORT_COLUMNS} FROM reports WHERE unit = ? AND form = ? AND period = ?",
            (unit, form, period),
        ).fetchone()
        if row is not None or not create:
            return report_from_row(row) if row is not None else None
        key = self._catalogs._current_key()
        if key is None:
            raise NoCatalog()
        catalog = self._catalogs._catalog_info(*key).catalog
        if not catalog.has_form(form):
            raise UnknownForm(form)
        from dttscore.periods import check_period_for_form

        check_period_for_form(period, catalog.form(form).period_type)
        now = self._stamp()
        with self._tx() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO reports (unit, form, period, catalog_id, catalog_version, state, "
                "dirty, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', 0, ?, ?)",
                (unit, form, period, key[0], key[1], now, now),
            )
            row = conn.execute(
                f"SELECT {REPORT_COLUMNS} FROM reports WHERE unit = ? AND form = ? AND period = ?",
                (unit, form, period),
            ).fetchone()
        logger.info("report %s/%s/%s created, catalogue %s v%s", unit, form, period, *key)
        return report_from_row(row)

    @guarded
    def report_by_id(self, report_id: int) -> Report:
        """The report with this id.

        Raises:
            ReportNotFound: no such report.
        """
        return self._report_row(report_id)

    @guarded
    def all(self, unit: str | None = None, period: str | None = None) -> list[Report]:
        """Reports, optionally of one unit and/or period, ordered by unit, period, form."""
        sql = f"SELECT {REPORT_COLUMNS} FROM reports WHERE 1 = 1"
        params: list[str] = []
        if unit is not None:
            sql += " AND unit = ?"
            params.append(unit)
        if period is not None:
            sql += " AND period = ?"
            params.append(period)
        rows = self._conn.execute(sql + " ORDER BY unit, period, form", params).fetchall()
        return [report_from_row(r) for r in rows]

    # -- cells --------------------------------------------------------------------------------------
    @guarded
    def cells(self, report_id: int) -> dict[CellKey, str]:
        """Every stored value of the report, ``(code, disagg) -> canonical string``.

        Cells of indicators that a newer catalogue dropped are included: they stay readable.
        """
        return self._cells(self._conn, report_id)

    @staticmethod
    def _cells(conn: sqlite3.Connection, report_id: int) -> dict[CellKey, str]:
        rows = conn.execute(
            "SELECT code, disagg, value FROM cells WHERE report_id = ? ORDER BY code, disagg", (report_id,)
        ).fetchall()
        return {(r[0], r[1]): r[2] for r in rows}

    def _checked(self, info: CatalogInfo, code: str, disagg: str, value: str | None) -> None:
        if value is None:
            return  # deleting is always allowed, even for an indicator a newer catalogue dropped
        value_type = info.value_type_of(code, disagg)
        if not isinstance(value, str) or not is_canonical(value, value_type):
            raise InvalidCell(
                f"Giá trị “{value}” của chỉ tiêu {code} chưa ở dạng chuẩn để lưu (kiểu {value_type}).",
                f"The value “{value}” of indicator {code} is not in canonical form for type {value_type}.",
            )

    @guarded
    def set_cell(
        self, report_id: int, code: str, disagg: str, value: str | None, who: str, *, kind: str = "edit"
    ) -> None:
        """Write one value (None deletes it); durable on return. One transaction.

        The value must be the canonical string for the indicator's type (``core.values.parse_input``
        makes it). Writing the value already stored is a no-op (no change-log row). A finalized
        report becomes a draft with unsent edits (the next finalize makes revision n + 1).

        Args:
            report_id: the report.
            code: indicator code of the report's pinned catalogue.
            disagg: disaggregation key ("" for an undisaggregated indicator).
            value: canonical string, or None to delete the cell.
            who: the officer's name, kept in the change log.
            kind: the change-log kind, "edit" (typing) or "import" (Excel import).

        Raises:
            ReportNotFound, InvalidCell, NoCatalog: the write does not fit; nothing was written.
            DatabaseLocked, DiskFull: the environment failed; nothing was written.
        """
        if kind not in _CALLER_KINDS:
            raise ValueError(f"bad change-log kind {kind!r}")
        if value is not None:
            self._checked(self._pinned_info(report_id), code, disagg, value)
        elif report_id not in self._pins:
            self._pin_of(report_id)  # raises ReportNotFound
        at = self._stamp()
        with self._tx() as conn:
            if self._write_cell(conn, report_id, code, disagg, value, who, at, kind):
                conn.execute(_SQL_TOUCH, (at, report_id))

    @staticmethod
    def _write_cell(
        conn: sqlite3.Connection,
        report_id: int,
        code: str,
        disagg: str,
        value: str | None,
        who: str,
        at: str,
        kind: str,
    ) -> bool:
        row = conn.execute(_SQL_OLD, (report_id, code, disagg)).fetchone()
        old = row[0] if row is not None else None
        if old == value:
            return False
        if value is None:
            conn.execute(_SQL_DEL, (report_id, code, disagg))
        else:
            conn.execute(_SQL_PUT, (report_id, code, disagg, value))
        conn.execute(_SQL_LOG, (report_id, code, disagg, old, value, who, at, kind))
        return True

    @guarded
    def set_cells(
        self,
        report_id: int,
        items: Iterable[tuple[str, str, str | None]],
        who: str,
        *,
        kind: str = "edit",
    ) -> int:
        """Write many values in one transaction (a pasted block, an Excel import).

        Every item is checked before anything is written: one bad item writes nothing.

        Args:
            items: ``(code, disagg, value)``; a None value deletes the cell.
            kind: change-log kind, "edit" or "import".

        Returns:
            The number of cells that changed.
        """
        if kind not in _CALLER_KINDS:
            raise ValueError(f"bad change-log kind {kind!r}")
        items = [(c, d, v) for c, d, v in items]
        if any(v is not None for _, _, v in items):
            info = self._pinned_info(report_id)
            for code, disagg, value in items:
                self._checked(info, code, disagg, value)
        else:
            self._pin_of(report_id)
        changed = 0
        at = self._stamp()
        with self._tx() as conn:
            for code, disagg, value in items:
                changed += self._write_cell(conn, report_id, code, disagg, value, who, at, kind)
            if changed:
                conn.execute(_SQL_TOUCH, (at, report_id))
        return changed

    # -- comments -----------------------------------------------------------------------------------
    @guarded
    def comments(self, report_id: int) -> dict[CellKey, Comment]:
        """The comment of each commented cell."""
        return {(c.code, c.disagg): c for c in self._comments(self._conn, report_id)}

    @staticmethod
    def _comments(conn: sqlite3.Connection, report_id: int) -> list[Comment]:
        rows = conn.execute(
            "SELECT code, disagg, text, author, at FROM comments WHERE report_id = ? ORDER BY code, disagg",
            (report_id,),
        ).fetchall()
        return [Comment(*r) for r in rows]

    @guarded
    def set_comment(self, report_id: int, code: str, disagg: str, text: str | None, who: str) -> None:
        """Set (or with None/blank, remove) the comment of a cell. Comments travel with the submission,
        so a changed comment makes the report an edited draft like a changed value."""
        self._pin_of(report_id)
        text = (text or "").strip() or None
        at = self._stamp()
        with self._tx() as conn:
            row = conn.execute(
                "SELECT text FROM comments WHERE report_id = ? AND code = ? AND disagg = ?",
                (report_id, code, disagg),
            ).fetchone()
            old = row[0] if row else None
            if old == text:
                return
            if text is None:
                conn.execute(
                    "DELETE FROM comments WHERE report_id = ? AND code = ? AND disagg = ?",
                    (report_id, code, disagg),
                )
            else:
                conn.execute(
                    "INSERT INTO comments (report_id, code, disagg, text, author, at) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (report_id, code, disagg) DO UPDATE SET text = excluded.text, "
                    "author = excluded.author, at = excluded.at",
                    (report_id, code, disagg, text, who, at),
                )
            conn.execute(_SQL_TOUCH, (at, report_id))

    # -- ethnic-group rows --------------------------------------------------------------------------
    @guarded
    def eth_rows(self, report_id: int) -> list[str]:
        """The ethnic groups added to the report, in the order given (forms with eth_options "present")."""
        self._pin_of(report_id)
        return self._eth_rows(self._conn, report_id)

    @staticmethod
    def _eth_rows(conn: sqlite3.Connection, report_id: int) -> list[str]:
        rows = conn.execute(
            "SELECT eth FROM eth_rows WHERE report_id = ? ORDER BY position", (report_id,)
        ).fetchall()
        return [r[0] for r in rows]

    @guarded
    def set_eth_rows(self, report_id: int, codes: Iterable[str]) -> None:
        """Replace the report's ethnic-group rows (duplicates dropped, order kept).

        Cells of a removed group are kept (nothing typed is deleted behind the officer's back).

        Raises:
            InvalidCell: a code is not an ``eth`` option of the report's catalogue.
        """
        codes = list(dict.fromkeys(str(c) for c in codes))
        pin = self._pin_of(report_id)
        if pin is not None:
            allowed = self._catalogs._catalog_info(*pin).option_codes("eth")
            bad = [c for c in codes if c not in allowed]
            if bad:
                raise InvalidCell(
                    f"Mã dân tộc không hợp lệ: {', '.join(bad)}.",
                    f"Unknown ethnic group code(s): {', '.join(bad)}.",
                )
        with self._tx() as conn:
            if self._eth_rows(conn, report_id) == codes:
                return
            self._put_eth_rows(conn, report_id, codes)
            conn.execute(_SQL_TOUCH, (self._stamp(), report_id))

    @staticmethod
    def _put_eth_rows(conn: sqlite3.Connection, report_id: int, codes: list[str]) -> None:
        conn.execute("DELETE FROM eth_rows WHERE report_id = ?", (report_id,))
        conn.executemany(
            "INSERT INTO eth_rows (report_id, eth, position) VALUES (?, ?, ?)",
            [(report_id, c, i) for i, c in enumerate(codes)],
        )

    # -- history ------------------------------------------------------------------------------------
    @guarded
    def history(
        self, report_id: int, code: str | None = None, disagg: str | None = None
    ) -> list[ChangeEntry]:
        """The change log of a report, oldest first; optionally of one indicator or one cell."""
        sql = (
            "SELECT id, report_id, code, disagg, old, new, who, at, kind FROM change_log WHERE report_id = ?"
        )
        params: list[object] = [report_id]
        if code is not None:
            sql += " AND code = ?"
            params.append(code)
        if disagg is not None:
            sql += " AND disagg = ?"
            params.append(disagg)
        rows = self._conn.execute(sql + " ORDER BY id", params).fetchall()
        return [ChangeEntry(*r) for r in rows]

    # -- checking ---------------------------------------------------------------------------------------
    def _problems(self, conn: sqlite3.Connection, report: Report) -> list[Problem]:
        from dttscore.validate import check_report

        catalog = self._report_catalog(report)
        if not catalog.has_form(report.form):
            raise UnknownForm(report.form)
        eth = self._eth_present(conn, catalog, report)
        from dttsclient.store.history import previous_values
        from dttsclient.store.other_reports import StoreReports

        earlier_period, earlier = previous_values(conn, report)  # swing warnings (store/history.py)
        return check_report(
            catalog,
            report.form,
            self._cells(conn, report.id),
            eth_present=eth,
            period=report.period,
            others=StoreReports(conn, report.unit),
            earlier=earlier,
            earlier_period=earlier_period,
        )

    def _eth_present(self, conn: sqlite3.Connection, catalog: Catalog, report: Report) -> list[str] | None:
        if catalog.form(report.form).eth_options == "present":
            return self._eth_rows(conn, report.id)
        return None

    @guarded
    def check(self, report_id: int) -> list[Problem]:
        """Every problem of the report (``core.validate.check_report`` against its pinned catalogue).

        Raises:
            ReportNotFound, NoCatalog: there is nothing to check against.
        """
        return self._problems(self._conn, self._report_row(report_id))

    @guarded
    def completeness(self, report_id: int) -> Completeness:
        """How much of the report is entered (``core.validate.completeness`` against its pinned
        catalogue): the figure the form list, the entry page and ``values show`` all show.

        Raises:
            ReportNotFound, NoCatalog, UnknownForm: there is nothing to measure against.
        """
        from dttscore.validate import completeness

        report = self._report_row(report_id)
        catalog = self._report_catalog(report)
        if not catalog.has_form(report.form):
            raise UnknownForm(report.form)
        return completeness(catalog, report.form, self._cells(self._conn, report.id))
