"""Backups of a profile (``*.dttsbak``): export and verify.

A backup is a zip holding ``manifest.json`` and ``profile.sqlite``. The database is a consistent snapshot
made with SQLite's online backup API through a second, read-only use of the profile file (so it holds
only committed data), put in rollback-journal mode, scrubbed of any setting that could be a credential
(there should be none: secrets live in the OS keyring), and counted. The manifest::

    {"format": "dttsbak", "format_version": 1, "app_version": "0.1.0",
     "created_at": "2026-11-21T18:50:00+00:00",
     "profile": {"name": "default", "unit": "01849", "unit_name": …, "device_id": …, …},
     "commune": "01849",
     "counts": {"reports": 3, "cells": 120, "comments": 2, "change_log": 140, "submissions": 2,
                "catalogs": 1, "outbox": {"queued": 1, "accepted": 1, …}},
     "schema": ["m001_settings_and_catalogs", …],
     "members": {"profile.sqlite": {"sha256": "…", "size": 1234}}}

The zip's comment is a seal: the SHA-256 of every byte before it (:func:`~dttsclient.usb.safezip.seal_zip`),
so a flipped byte anywhere — data, names, headers, directory — is caught, not only in member data.
The zip is built on the local disk, then copied to the target with :func:`~dttsclient.usb.atomic.copy_atomic`
(free-space check, temporary name, fsync, read back, a full :func:`verify_backup` of the copy, rename).

:func:`verify_backup` catches any flipped byte, truncation or missing member: the seal, zip CRC, every member's
SHA-256 against the manifest, ``PRAGMA integrity_check`` of the extracted database in a temporary folder,
and the manifest's counts against the database.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dttsclient import __version__
from dttsclient.store import setting_keys
from dttsclient.usb.atomic import (
    DiskUsage,
    Wrap,
    check_space,
    copy_atomic,
    free_space,
    sha256_file,
    translate_os_error,
    work_beside,
)
from dttsclient.usb.errors import BadFile, FolderMissing, NewerFormat
from dttsclient.usb.safezip import SafeZip, ZipLimits, check_seal, seal_comment_placeholder, seal_zip

if TYPE_CHECKING:
    from dttsclient.store import Store

logger = logging.getLogger(__name__)

FORMAT = "dttsbak"
FORMAT_VERSION = 1
SUFFIX = ".dttsbak"
MANIFEST = "manifest.json"
DB_MEMBER = "profile.sqlite"
LAST_EXPORT_KEY = setting_keys.LAST_EXPORT

WORK_DIRNAME = ".usb-work"
LIMITS = ZipLimits(
    max_members=16, max_member_size=2 << 30, max_total_size=(2 << 30) + (16 << 20), max_ratio=200
)
REQUIRED_TABLES = ("settings", "catalogs", "reports", "cells", "change_log", "submissions", "outbox")

Progress = Callable[[float, str], None]
"""Progress callback: (fraction 0..1, stage). Stages: "snapshot", "compress", "write", "verify",
"backup" (restore: safety copy of the live database), "merge", "done"."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds, read from its verified manifest.

    Attributes:
        path: the backup file. size / sha256: of the whole file.
        commune: the commune code of the profile (None for a profile without one).
        profile: the profile fields and device id at backup time.
        counts: reports, cells, comments, change_log, submissions, catalogs and outbox per state.
        schema: the database migrations applied in the backup.
    """

    path: Path
    size: int
    sha256: str
    format_version: int
    app_version: str
    created_at: str
    commune: str | None
    profile: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)
    schema: tuple[str, ...] = ()
    recorded: bool = True  # False: the file is good, but the profile could not note the time (disk full)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "size": self.size,
            "sha256": self.sha256,
            "format_version": self.format_version,
            "app_version": self.app_version,
            "created_at": self.created_at,
            "commune": self.commune,
            "profile": dict(self.profile),
            "counts": dict(self.counts),
            "schema": list(self.schema),
            **({} if self.recorded else {"recorded": False}),
        }


def _report(progress: Progress | None, fraction: float, stage: str) -> None:
    if progress is not None:
        progress(max(0.0, min(1.0, fraction)), stage)


def iso_now(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")


# -- local work folder -------------------------------------------------------------------------------
@contextlib.contextmanager
def work_dir(data_dir: Path) -> Iterator[Path]:
    """A private temporary folder on the profile's disk (not the system temp, which may be small)."""
    base = Path(data_dir) / WORK_DIRNAME
    try:
        base.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=base))
    except OSError:
        tmp = Path(tempfile.mkdtemp(prefix="dtts-usb-"))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def work_folder(
    data_dir: Path, target: Path, needed: int, disk_usage: DiskUsage = shutil.disk_usage
) -> Iterator[Path]:
    """A work folder where the space is: the profile's disk when it has ``needed`` bytes free, else beside
    ``target`` (a nearly full profile disk must not stop a backup to a stick with room).

    Raises:
        FolderMissing: the target's folder does not exist (checked first).
        NotEnoughSpace: neither disk has room (named: the target's folder, with what is needed there).
    """
    folder = Path(target).parent
    if not folder.is_dir():
        raise FolderMissing(folder, "folder does not exist")
    try:
        local_free = free_space(Path(data_dir), shutil.disk_usage)
    except OSError:
        local_free = None
    if local_free is not None and local_free >= needed:
        with work_dir(data_dir) as work:
            yield work
        return
    logger.info("profile disk has %s bytes free, %d needed: working beside %s", local_free, needed, target)
    check_space(folder, needed, disk_usage)
    with work_beside(target, disk_usage) as work:
        yield work


def record_time(store: Store, keys: tuple[str, ...], stamp: str) -> bool:
    """Note ``stamp`` under ``keys`` in the profile; False (logged) when the profile's disk is full.

    The file written is good whatever happens here: a full profile disk must not turn a verified export
    into a failure.
    """
    from dttsclient.store.errors import StoreError

    try:
        for key in keys:
            store.settings.set_setting(key, stamp)
    except StoreError as exc:
        logger.warning("could not note %s in the profile: %s", ", ".join(keys), exc.text("en"))
        return False
    return True


# -- the snapshot --------------------------------------------------------------------------------------
def snapshot_database(db_path: Path, target: Path) -> None:
    """A consistent single-file copy of a profile database (committed data only), secrets scrubbed.

    A second connection reads the file (WAL lets it read while the store writes); the online backup
    API copies its snapshot.
    """
    src = sqlite3.connect(str(db_path), isolation_level=None)
    try:
        dest = sqlite3.connect(str(target), isolation_level=None)
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            # secret-like keys never leave the machine (the store refuses them too)
            clause = " OR ".join("lower(key) LIKE ?" for _ in setting_keys.SECRET_WORDS)
            scrubbed = dest.execute(
                f"DELETE FROM settings WHERE {clause}", [f"%{w}%" for w in setting_keys.SECRET_WORDS]
            ).rowcount
            if scrubbed:
                logger.warning("%d secret-like setting(s) left out of the backup", scrubbed)
            free, pages = (
                dest.execute("PRAGMA freelist_count").fetchone()[0],
                dest.execute("PRAGMA page_count").fetchone()[0],
            )
            if pages and free * 10 > pages:
                dest.execute("VACUUM")  # free pages are zeros: they would only bloat and look like a bomb
        finally:
            dest.close()
    finally:
        src.close()


def database_counts(conn: sqlite3.Connection) -> dict[str, Any]:
    """The counts a backup manifest records (and verify compares)."""

    def one(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    outbox = {
        state: n
        for state, n in conn.execute("SELECT state, count(*) FROM outbox GROUP BY state ORDER BY state")
    }
    return {
        "reports": one("SELECT count(*) FROM reports"),
        "cells": one("SELECT count(*) FROM cells"),
        "comments": one("SELECT count(*) FROM comments"),
        "change_log": one("SELECT count(*) FROM change_log"),
        "submissions": one("SELECT count(*) FROM submissions"),
        "catalogs": one("SELECT count(*) FROM catalogs"),
        "outbox": outbox,
    }


def _settings(conn: sqlite3.Connection) -> dict[str, Any]:
    out = {}
    for key, value in conn.execute("SELECT key, value FROM settings"):
        try:
            out[key] = json.loads(value)
        except (TypeError, ValueError):
            out[key] = value
    return out


def _schema(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = conn.execute("SELECT name FROM _sqlite_migrations ORDER BY applied_at, name").fetchall()
    except sqlite3.Error:
        return []
    return [r[0] for r in rows]


def profile_of(settings: dict[str, Any], name: str) -> dict[str, Any]:
    """The profile part of a manifest, from the settings of a database."""
    prof = {"name": name, "device_id": settings.get("device_id")}
    for key, value in settings.items():
        if key.startswith("profile."):
            prof[key[len("profile.") :]] = value
    return prof


def build_backup_zip(
    db_path: Path,
    data_dir: Path,
    out_zip: Path,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Snapshot the profile at ``db_path`` and write the backup zip ``out_zip`` on the local disk.

    Returns:
        The manifest written.
    """
    snap = out_zip.with_name(DB_MEMBER)
    _report(progress, 0.02, "snapshot")
    snapshot_database(db_path, snap)
    conn = sqlite3.connect(str(snap))
    try:
        counts = database_counts(conn)
        settings = _settings(conn)
        schema = _schema(conn)
    finally:
        conn.close()
    _report(progress, 0.2, "compress")
    size, digest = sha256_file(snap)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "created_at": iso_now(now),
        "profile": profile_of(settings, Path(data_dir).name),
        "commune": settings.get("profile.unit"),
        "counts": counts,
        "schema": schema,
        "members": {DB_MEMBER: {"sha256": digest, "size": size}},
    }
    with zipfile.ZipFile(out_zip, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.comment = seal_comment_placeholder()
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
        zf.write(snap, DB_MEMBER)
    seal_zip(out_zip)
    snap.unlink()
    return manifest


def default_name(unit: str | None, now: datetime | None = None) -> str:
    """``dtts-01849-20261121-1850.dttsbak``: the file name used when the target is a folder."""
    stamp = (now or datetime.now(timezone.utc)).astimezone().strftime("%Y%m%d-%H%M")
    return f"dtts-{unit or 'hoso'}-{stamp}{SUFFIX}"


def resolve_target(
    path: Path | str,
    unit: str | None,
    now: datetime | None = None,
    suffix: str = SUFFIX,
    namer: Callable[[str | None, datetime | None], str] = default_name,
) -> Path:
    """A folder gets a dated file name inside it; a file path is used as given."""
    target = Path(path)
    if target.is_dir():
        return target / namer(unit, now)
    return target


def write_backup(
    store: Store,
    target: Path,
    *,
    progress: Progress | None = None,
    disk_usage: DiskUsage = shutil.disk_usage,
    wrap: Wrap | None = None,
    now: datetime | None = None,
) -> BackupInfo:
    """Build a verified backup of ``store`` at ``target`` (no setting is changed)."""
    data_dir = Path(store.data_dir)
    db_path = Path(store.path)
    local_need = _db_bytes(db_path) * 2 + (1 << 20)
    with work_folder(data_dir, target, local_need, disk_usage) as work:
        zip_path = work / "backup.zip"
        try:
            manifest = build_backup_zip(db_path, data_dir, zip_path, now=now, progress=progress)
        except sqlite3.Error as exc:
            from dttsclient.store.errors import translate_sqlite_error

            translated = translate_sqlite_error(exc)
            if translated is None:
                raise
            raise translated from exc

        def on_bytes(done: int, total: int) -> None:
            _report(progress, 0.3 + 0.4 * done / max(total, 1), "write")

        def verify(tmp: Path) -> None:
            _report(progress, 0.75, "verify")
            verify_backup(tmp, work_root=work)

        size, digest = copy_atomic(
            zip_path, target, verify=verify, disk_usage=disk_usage, wrap=wrap, progress=on_bytes
        )
    _report(progress, 1.0, "done")
    return _info(target, manifest, (size, digest))


def _db_bytes(db_path: Path) -> int:
    total = 0
    for p in (db_path, db_path.with_name(db_path.name + "-wal")):
        with contextlib.suppress(OSError):
            total += p.stat().st_size
    return total


def export_backup(
    store: Store,
    path: Path | str,
    progress: Progress | None = None,
    *,
    disk_usage: DiskUsage = shutil.disk_usage,
    wrap: Wrap | None = None,
    now: datetime | None = None,
) -> BackupInfo:
    """Export a verified backup of the open profile to ``path`` (a file, or a folder to put it in).

    After success the setting ``usb.last_export_at`` holds the time (ISO): the GUI uses it to allow
    switching profiles while items are unsent.

    Args:
        store: the open profile.
        path: the target file (``*.dttsbak``) or folder (a dated name is made).
        progress: called with (fraction, stage).
        disk_usage: free-space function (tests inject a full disk).
        wrap: wraps the output file object (tests inject a stick pulled out).
        now: the time written into the manifest (default: now).

    Returns:
        The verified :class:`BackupInfo` of the file written.

    Raises:
        NotEnoughSpace, TargetVanished, TargetNotWritable, WriteCorrupted: the target failed; a previous
            file at ``path`` is intact and no half file is left.
    """
    moment = now or datetime.now(timezone.utc)  # one time for the manifest and the setting
    target = resolve_target(path, store.settings.profile().unit, moment)
    info = write_backup(store, target, progress=progress, disk_usage=disk_usage, wrap=wrap, now=moment)
    if not record_time(store, (LAST_EXPORT_KEY,), iso_now(moment)):
        info = dataclasses.replace(info, recorded=False)
    logger.info("backup exported to %s (%d bytes)", target, info.size)
    return info


# -- verify --------------------------------------------------------------------------------------------
def _check_manifest(path: Path, manifest: Any) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BadFile(
            path,
            "đây không phải tệp sao lưu DTTS (thiếu hoặc sai bản kê).",
            "it is not a DTTS backup (the manifest is missing or wrong).",
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BadFile(
            path,
            "bản kê có số phiên bản định dạng không hợp lệ.",
            "the manifest's format version is invalid.",
        )
    if version > FORMAT_VERSION:
        raise NewerFormat(path, version, FORMAT_VERSION)
    members = manifest.get("members")
    if not isinstance(members, dict) or DB_MEMBER not in members:
        raise BadFile(path, "bản kê không liệt kê cơ sở dữ liệu.", "the manifest does not list the database.")
    if not isinstance(manifest.get("counts"), dict):
        raise BadFile(path, "bản kê thiếu phần đếm số liệu.", "the manifest has no counts.")
    if (
        not isinstance(manifest.get("profile") or {}, dict)
        or not isinstance(manifest.get("schema") or [], list)
        or not isinstance(manifest.get("commune"), (str, type(None)))
    ):
        raise BadFile(path, "bản kê sai định dạng.", "the manifest is malformed.")
    return manifest


def _open_and_check_db(path: Path, db_file: Path, manifest: dict[str, Any]) -> None:
    """PRAGMA integrity_check, the tables, a schema this version knows, and the manifest's counts."""
    from dttsclient.store.migrations import build_migrations

    try:
        conn = sqlite3.connect(str(db_file), isolation_level=None)
    except sqlite3.Error as exc:
        raise BadFile(
            path, "không mở được cơ sở dữ liệu bên trong.", "the database inside cannot be opened."
        ) from exc
    try:
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise BadFile(
                path, "cơ sở dữ liệu bên trong bị hỏng.", "the database inside is damaged."
            ) from exc
        if [r[0] for r in rows] != ["ok"]:
            raise BadFile(
                path,
                "cơ sở dữ liệu bên trong không qua được kiểm tra toàn vẹn.",
                "the database inside fails its integrity check.",
            )
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            raise BadFile(
                path,
                "cơ sở dữ liệu bên trong không phải hồ sơ DTTS.",
                "the database inside is not a DTTS profile.",
            )
        known = {m.name for m in build_migrations()._migrations}
        unknown = [n for n in _schema(conn) if n not in known]
        if unknown:
            raise NewerFormat(path, ", ".join(unknown), "this version")
        counts = database_counts(conn)
        if counts != manifest["counts"]:
            raise BadFile(
                path,
                "số liệu đếm trong bản kê không khớp với cơ sở dữ liệu (bản kê sai).",
                "the manifest's counts do not match the database (the manifest lies).",
            )
    finally:
        conn.close()


def _info(path: Path, manifest: dict[str, Any], digest_of_file: tuple[int, str] | None = None) -> BackupInfo:
    size, digest = digest_of_file or sha256_file(path)
    return BackupInfo(
        path=Path(path),
        size=size,
        sha256=digest,
        format_version=int(manifest["format_version"]),
        app_version=str(manifest.get("app_version") or ""),
        created_at=str(manifest.get("created_at") or ""),
        commune=manifest.get("commune"),
        profile=dict(manifest.get("profile") or {}),
        counts=dict(manifest.get("counts") or {}),
        schema=tuple(manifest.get("schema") or ()),
    )


def open_backup(
    path: Path | str, dest_dir: Path, progress: Progress | None = None
) -> tuple[BackupInfo, Path]:
    """Verify a backup completely and leave its database extracted in ``dest_dir``.

    Returns:
        (info, path of the extracted ``profile.sqlite``).

    Raises:
        BadFile: damaged, truncated, tampered with, a manifest that lies, not a backup.
        UnsafeArchive: unsafe names or sizes (refused before anything is extracted).
        NewerFormat: written by a newer DTTS Client.
    """
    path = Path(path)
    with SafeZip(path, LIMITS) as zf:
        check_seal(path)
        manifest = _check_manifest(path, zf.read_json(MANIFEST, limit=1 << 20))
        members = manifest["members"]
        present = set(zf.names()) - {MANIFEST}
        if set(members) != present:
            missing = sorted(set(members) - present)
            extra = sorted(present - set(members))
            raise BadFile(
                path,
                f"thành phần không khớp bản kê (thiếu: {missing}, thừa: {extra}).",
                f"the members do not match the manifest (missing: {missing}, extra: {extra}).",
            )
        check_space(dest_dir, zf.total_size() + (1 << 20))
        db_file = dest_dir / DB_MEMBER
        total = max(zf.total_size(), 1)
        done = [0]

        def on_bytes(n: int) -> None:
            done[0] += n
            _report(progress, 0.8 * done[0] / total, "verify")

        for name in sorted(members):
            entry = members[name]
            if name == DB_MEMBER:
                try:
                    with open(db_file, "wb") as out:
                        size, digest = zf.extract_to(name, out, on_bytes)
                except OSError as exc:  # writing to the local temporary folder
                    raise translate_os_error(exc, dest_dir, total) from exc
            else:
                size, digest = zf.digest(name)
            want = entry.get("sha256") if isinstance(entry, dict) else None
            if not isinstance(want, str) or want.lower() != digest or entry.get("size", size) != size:
                raise BadFile(
                    path,
                    f"nội dung “{name}” không khớp với bản kê (tệp đã bị sửa hoặc hỏng).",
                    f"the content of “{name}” does not match the manifest (altered or damaged).",
                )
    _report(progress, 0.85, "verify")
    _open_and_check_db(path, db_file, manifest)
    return _info(path, manifest), db_file


def verify_backup(
    path: Path | str, progress: Progress | None = None, *, work_root: Path | None = None
) -> BackupInfo:
    """Check a backup completely: zip CRC, SHA-256 of every member, integrity of the database, counts.

    Args:
        path: the backup file.
        progress: called with (fraction, stage).
        work_root: where the temporary extraction goes (default: the system's temporary folder).

    Returns:
        What the backup holds.

    Raises:
        BadFile (and its children UnsafeArchive, NewerFormat): the file cannot be trusted; it says why.
    """
    with tempfile.TemporaryDirectory(dir=work_root, prefix="verify-") as tmp:
        info, _ = open_backup(path, Path(tmp), progress)
    _report(progress, 1.0, "done")
    return info


def remove_stale_partials(folder: Path, older_than_s: float = 3600.0, now: float | None = None) -> int:
    """Remove our own temporary ``.*.partial*`` files left in ``folder`` by a crash or power cut."""
    import time

    removed = 0
    moment = time.time() if now is None else now
    with contextlib.suppress(OSError):
        for p in folder.glob(".*.partial*"):
            with contextlib.suppress(OSError):
                if moment - p.stat().st_mtime > older_than_s:
                    if p.is_dir():  # a work folder (atomic.work_beside)
                        shutil.rmtree(p)
                    else:
                        p.unlink()
                    removed += 1
    return removed
