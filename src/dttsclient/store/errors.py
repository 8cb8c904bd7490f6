"""The exception tree of the local store.

Everything the store raises on purpose derives from :class:`StoreError` (itself a
:class:`~dttscore.errors.DttsError`, so it carries a Vietnamese and an English sentence). Two
families live under it:

* the *environment* failed — :class:`DatabaseLocked`, :class:`DiskFull`, :class:`DatabaseCorrupt`,
  :class:`DatabaseUnavailable`, :class:`MigrationFailed`: the officer can do something about it (close
  the other program, free disk space, restore a backup);
* a *refused operation* — :class:`FinalizeBlocked`, :class:`ReasonsRequired`, :class:`NothingToFinalize`,
  :class:`InvalidCell`, :class:`ReportNotFound` …: the request does not fit the data.

Any other exception coming out of the store (``sqlite3.IntegrityError``, ``TypeError`` …) is a bug and
goes to the exception hook. :func:`translate_sqlite_error` is where raw ``sqlite3`` errors are sorted.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dttscore.errors import DttsError

if TYPE_CHECKING:
    from dttscore.problems import Problem

# Primary result codes of SQLite (the low byte of an extended code).
_SQLITE_READONLY = 8
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


class StoreError(DttsError):
    """Base of every expected failure of the local store."""


# -- the environment failed -----------------------------------------------------------------------
class DatabaseLocked(StoreError):
    """Another program holds the database for longer than the busy timeout."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Cơ sở dữ liệu đang bị một chương trình khác sử dụng (có thể DTTS đang mở ở cửa sổ khác). "
            "Hãy đóng chương trình đó rồi thử lại; dữ liệu đã nhập không bị mất.",
            "The database is in use by another program (DTTS may be open in another window). "
            "Close it and try again; nothing you entered has been lost.",
        )
        self.detail = detail


class DiskFull(StoreError):
    """The disk holding the profile is full; the last change was not saved."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Ổ đĩa đã đầy nên thay đổi vừa rồi chưa được lưu. Hãy xoá bớt tệp không cần thiết "
            "rồi thử lại; các dữ liệu đã lưu trước đó vẫn còn nguyên.",
            "The disk is full, so the last change was not saved. Free some space and try again; "
            "everything saved before is intact.",
        )
        self.detail = detail


class ProfileDiskFull(DiskFull):
    """The disk holding the profile is (nearly) full, so the database cannot even be opened."""

    def __init__(self, folder: object, free: int | None, detail: str = "") -> None:
        free_vi = f" (còn trống {free // 1024} KB)" if free is not None else ""
        free_en = f" ({free // 1024} KB free)" if free is not None else ""
        StoreError.__init__(
            self,
            f"Ổ đĩa chứa dữ liệu DTTS (thư mục “{folder}”) đã đầy{free_vi} nên không mở được cơ sở dữ liệu. "
            "Hãy xoá bớt tệp không cần thiết trên ổ đĩa đó (ví dụ thùng rác, thư mục Tải về) rồi thử lại; "
            "dữ liệu đã lưu trước đó vẫn còn nguyên.",
            f"The disk holding the DTTS data (folder “{folder}”) is full{free_en}, so the database cannot be "
            "opened. Free some space on that disk (e.g. the recycle bin, the Downloads folder) and try again; "
            "everything saved before is intact.",
        )
        self.detail = detail
        self.folder = str(folder)
        self.free = free


class DatabaseCorrupt(StoreError):
    """The profile database is damaged or is not a database at all."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Tệp cơ sở dữ liệu bị hỏng hoặc không phải là cơ sở dữ liệu của DTTS. "
            "Hãy khôi phục từ bản sao lưu gần nhất (mục Sao lưu).",
            "The database file is damaged or is not a DTTS database. "
            "Restore the latest backup (Backup menu).",
        )
        self.detail = detail


class DatabaseUnavailable(StoreError):
    """The database file or its folder cannot be opened or written (permissions, read-only media)."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Không mở hoặc không ghi được tệp cơ sở dữ liệu (thư mục chỉ đọc hoặc không có quyền). "
            "Hãy kiểm tra thư mục dữ liệu rồi thử lại.",
            "The database file cannot be opened or written (read-only folder or no permission). "
            "Check the data folder and try again.",
        )
        self.detail = detail


class MigrationFailed(StoreError):
    """Upgrading the database schema failed; the pre-migration copy is named in the message."""

    def __init__(self, backup_path: str | None, detail: str = "") -> None:
        where_vi = f" Bản sao trước khi nâng cấp: {backup_path}." if backup_path else ""
        where_en = f" Copy taken before the upgrade: {backup_path}." if backup_path else ""
        super().__init__(
            "Không nâng cấp được cơ sở dữ liệu lên phiên bản mới; dữ liệu cũ không bị thay đổi." + where_vi,
            "The database could not be upgraded to the new version; the old data is unchanged." + where_en,
        )
        self.backup_path = backup_path
        self.detail = detail


class DatabaseTooNew(StoreError):
    """The database was upgraded by a newer DTTS Client than this one."""

    def __init__(self, unknown: list[str]) -> None:
        super().__init__(
            "Cơ sở dữ liệu này đã được một phiên bản DTTS Client mới hơn nâng cấp. "
            "Hãy cài phiên bản mới nhất rồi mở lại.",
            "This database was upgraded by a newer version of DTTS Client. "
            "Install the latest version and open it again.",
        )
        self.unknown = list(unknown)


# -- refused operations ---------------------------------------------------------------------------
class ReportNotFound(StoreError):
    def __init__(self, report_id: object) -> None:
        super().__init__(f"Không tìm thấy báo cáo số {report_id}.", f"Report {report_id} does not exist.")
        self.report_id = report_id


class SubmissionNotFound(StoreError):
    def __init__(self, submission_id: str) -> None:
        super().__init__(
            f"Không tìm thấy bản nộp {submission_id}.", f"Submission {submission_id} does not exist."
        )
        self.submission_id = submission_id


class NoCatalog(StoreError):
    """No indicator catalogue has been imported yet (or the pinned version is missing)."""

    def __init__(self, what: str = "") -> None:
        super().__init__(
            "Chưa có danh mục chỉ tiêu"
            + (f" {what}" if what else "")
            + ". Hãy đồng bộ hoặc nhập danh mục trước.",
            "No indicator catalogue" + (f" {what}" if what else "") + ". Sync or import a catalogue first.",
        )


class CatalogVersionMissing(NoCatalog):
    """A report is pinned to a catalogue version this profile does not hold (a report pulled from the hub
    while that version could not be fetched): it is kept, read-only, until a sync fetches the version."""

    def __init__(self, catalog_id: str, version: int) -> None:
        StoreError.__init__(
            self,
            f"Máy này chưa có danh mục chỉ tiêu {catalog_id} phiên bản {version}, là phiên bản báo cáo được "
            "lập theo, nên chưa mở, sửa hay chốt được báo cáo; số liệu vẫn được giữ nguyên. Hãy đồng bộ với máy chủ "
            "khi có mạng: danh mục sẽ được tải về tự động.",
            f"This PC does not have indicator catalogue {catalog_id} version {version}, the version the report "
            "was made with, so the report cannot be opened, edited or finalized yet; its values are kept. Sync with the "
            "server when there is a connection: the catalogue is downloaded automatically.",
        )
        self.catalog_id = catalog_id
        self.version = version


class UnknownForm(StoreError):
    def __init__(self, form: str) -> None:
        super().__init__(
            f"Biểu mẫu {form} không có trong danh mục chỉ tiêu hiện hành.",
            f"Form {form} is not in the current indicator catalogue.",
        )
        self.form = form


class InvalidCell(StoreError):
    """A cell write names an unknown indicator or disaggregation, or its value is not canonical."""


class ForbiddenSetting(StoreError):
    """Secrets (passwords, tokens) never go into the database: they live in the OS keyring."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Không được lưu '{key}' trong cơ sở dữ liệu: mật khẩu và mã truy cập chỉ được giữ trong "
            "kho khoá của hệ điều hành.",
            f"'{key}' may not be stored in the database: passwords and tokens live only in the "
            "operating system's keyring.",
        )
        self.key = key


class NothingToFinalize(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "Báo cáo đã được chốt và không có thay đổi nào kể từ đó; không cần chốt lại.",
            "The report is already finalized and nothing has changed since; there is nothing to finalize.",
        )


class FinalizeBlocked(StoreError):
    """The report has errors.

    Attributes:
        problems: every problem of the report (errors and warnings, as ``store.reports.check`` returns).
        errors: the errors only (what blocks); the message lists them.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        self.errors = [p for p in self.problems if p.is_error]
        vi = "\n".join(f"- {p.text('vi')}" for p in self.errors)
        en = "\n".join(f"- {p.text('en')}" for p in self.errors)
        super().__init__(
            f"Chưa chốt được báo cáo: còn {len(self.errors)} lỗi cần sửa:\n{vi}",
            f"The report cannot be finalized: {len(self.errors)} error(s) to fix:\n{en}",
        )


class ReasonsRequired(StoreError):
    """Warnings without a reason; ``warnings`` lists the ones still lacking one."""

    def __init__(self, warnings: Iterable[Problem]) -> None:
        self.warnings = list(warnings)
        vi = "\n".join(f"- {p.text('vi')}" for p in self.warnings)
        en = "\n".join(f"- {p.text('en')}" for p in self.warnings)
        super().__init__(
            f"Cần ghi lý do cho {len(self.warnings)} cảnh báo trước khi chốt:\n{vi}",
            f"Give a reason for {len(self.warnings)} warning(s) before finalizing:\n{en}",
        )


class OutboxStateError(StoreError):
    """An outbox row is not in a state that allows the requested change."""

    def __init__(self, submission_id: str, state: str, action_vi: str, action_en: str) -> None:
        super().__init__(
            f"Bản nộp {submission_id} đang ở trạng thái '{state}', không thể {action_vi}.",
            f"Submission {submission_id} is '{state}'; it cannot be {action_en}.",
        )
        self.submission_id = submission_id
        self.state = state


class NoServerCopy(StoreError):
    def __init__(self, report_id: int) -> None:
        super().__init__(
            f"Báo cáo số {report_id} không có bản nào của máy chủ đang chờ xem xét.",
            f"Report {report_id} has no server version waiting to be reviewed.",
        )


# -- sorting raw sqlite3 / OS errors ---------------------------------------------------------------
def translate_sqlite_error(exc: BaseException) -> StoreError | None:
    """The :class:`StoreError` for an environment failure, or None when ``exc`` is a bug.

    Args:
        exc: an exception raised by ``sqlite3`` or the OS while the store worked.

    Returns:
        A :class:`StoreError` to raise instead (``raise new from exc``), or None to let ``exc`` through.
    """
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return DiskFull(str(exc))
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
            return DatabaseUnavailable(str(exc))
        return None
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(
        exc, sqlite3.IntegrityError | sqlite3.ProgrammingError | sqlite3.InterfaceError
    ):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc).lower()
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text or "busy" in text:
        return DatabaseLocked(str(exc))
    if primary == _SQLITE_FULL or "disk is full" in text or "database or disk is full" in text:
        return DiskFull(str(exc))
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        return DatabaseCorrupt(str(exc))
    if primary in (_SQLITE_CANTOPEN, _SQLITE_READONLY, _SQLITE_IOERR) or "unable to open" in text:
        return DatabaseUnavailable(str(exc))
    return None
