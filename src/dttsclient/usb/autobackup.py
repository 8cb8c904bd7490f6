"""Automatic backups: every 30 minutes while the officer edits, and before restores and imports.

(Before a schema migration the store itself copies the database, see :mod:`dttsclient.store.db`.)

Automatic backups are ordinary verified ``*.dttsbak`` files named ``auto-<UTC time>-<reason>.dttsbak`` in
``data_dir/backups/auto`` and, when the officer chose one (setting ``backup.folder``), also in that
folder. Each folder is thinned after every backup: the newest few are kept, plus the newest backup of
each of the last 7 days, 4 weeks and 6 months; files with other names are never touched.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from dttsclient.store import setting_keys
from dttsclient.usb.atomic import DiskUsage, copy_atomic
from dttsclient.usb.backup import SUFFIX, iso_now, remove_stale_partials, verify_backup, write_backup
from dttsclient.usb.errors import UsbError
from dttscore.labels import parse_time

if TYPE_CHECKING:
    from dttsclient.store import Store

logger = logging.getLogger(__name__)

AUTO_DIR = ("backups", "auto")
FINGERPRINT_KEY = setting_keys.BACKUP_FINGERPRINT
FOLDER_KEY = setting_keys.BACKUP_FOLDER
LAST_AT_KEY = setting_keys.BACKUP_LAST_AT

INTERVAL = timedelta(minutes=30)
_NAME_RE = re.compile(r"^auto-(\d{8}T\d{6}Z)(?:-\d+)?-([a-z0-9_]+)" + re.escape(SUFFIX) + "$")
_REASON_RE = re.compile(r"^[a-z0-9_]{1,32}$")


@dataclass(frozen=True)
class Retention:
    """How many automatic backups thinning keeps: the newest ``recent`` and the newest of each of the
    last ``daily`` days, ``weekly`` ISO weeks and ``monthly`` months."""

    recent: int = 3
    daily: int = 7
    weekly: int = 4
    monthly: int = 6


@dataclass(frozen=True)
class AutoBackupResult:
    """What :func:`auto_backup` wrote.

    Attributes:
        path: the backup in ``data_dir/backups/auto``.
        copies: copies written to the officer's folder (setting ``backup.folder``).
        problems: (vi, en) sentences for copies that could not be written (e.g. the stick is not in).
        removed: old automatic backups removed by thinning.
    """

    path: Path
    copies: tuple[Path, ...] = ()
    problems: tuple[tuple[str, str], ...] = ()
    removed: tuple[Path, ...] = field(default=())


def auto_dir(data_dir: Path) -> Path:
    return Path(data_dir).joinpath(*AUTO_DIR)


def backup_time(path: Path) -> datetime | None:
    """The UTC time in an automatic backup's name, or None when the name is not ours."""
    m = _NAME_RE.match(path.name)
    if not m:
        return None
    return datetime.strptime(m.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)


def select_kept(times: Iterable[datetime], retention: Retention = Retention()) -> set[datetime]:
    """The backup times thinning keeps (grandfather-father-son)."""
    ordered = sorted(set(times), reverse=True)
    keep = set(ordered[: retention.recent])
    for key, limit in (
        (lambda t: t.date(), retention.daily),
        (lambda t: t.isocalendar()[:2], retention.weekly),
        (lambda t: (t.year, t.month), retention.monthly),
    ):
        seen: list[object] = []
        for t in ordered:  # newest first: the first of each bucket is its newest
            bucket = key(t)
            if bucket in seen:
                continue
            if len(seen) >= limit:
                break
            seen.append(bucket)
            keep.add(t)
    return keep


def thin_backups(folder: Path, retention: Retention = Retention()) -> list[Path]:
    """Remove the automatic backups of ``folder`` that :func:`select_kept` does not keep.

    Returns:
        The files removed (only files named like automatic backups are ever considered).
    """
    try:
        files = [(backup_time(p), p) for p in Path(folder).iterdir() if p.is_file()]
    except OSError as exc:
        logger.info("cannot list %s: %s", folder, exc)
        return []
    ours = [(t, p) for t, p in files if t is not None]
    keep = select_kept((t for t, _ in ours), retention)
    removed = []
    for t, p in ours:
        if t not in keep:
            try:
                p.unlink()
                removed.append(p)
            except OSError as exc:
                logger.info("cannot remove old backup %s: %s", p, exc)
    if removed:
        logger.info("thinned %d automatic backup(s) in %s", len(removed), folder)
    return removed


def _unique_name(folder: Path, moment: datetime, reason: str) -> Path:
    stamp = moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate = folder / f"auto-{stamp}-{reason}{SUFFIX}"
    n = 2
    while candidate.exists():
        candidate = folder / f"auto-{stamp}-{n}-{reason}{SUFFIX}"
        n += 1
    return candidate


def auto_backup(
    store: Store,
    reason: str,
    *,
    now: datetime | None = None,
    retention: Retention = Retention(),
    disk_usage: DiskUsage = shutil.disk_usage,
) -> AutoBackupResult:
    """Write an automatic backup now, copy it to the officer's folder if one is set, and thin both.

    Args:
        store: the open profile.
        reason: a short word kept in the file name: "timer", "restore", "import", "manual" …
        now: the time (tests pass one).
        retention: what thinning keeps.
        disk_usage: free-space function (tests inject a full disk).

    Returns:
        What was written and removed.

    Raises:
        NotEnoughSpace, TargetVanished, TargetNotWritable, WriteCorrupted: the backup in the profile
            folder could not be written (a restore or import then does not go ahead). A failed copy to
            the officer's folder is only reported in ``problems``.
    """
    if not _REASON_RE.match(reason):
        raise ValueError(f"bad backup reason {reason!r}")
    moment = now or datetime.now(timezone.utc)
    folder = auto_dir(store.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(folder)
    path = _unique_name(folder, moment, reason)
    write_backup(store, path, disk_usage=disk_usage, now=moment)
    removed = thin_backups(folder, retention)
    copies: list[Path] = []
    problems: list[tuple[str, str]] = []
    extra = store.settings.get_setting(FOLDER_KEY)
    if extra:
        target_dir = Path(str(extra))
        try:
            target = target_dir / path.name
            copy_atomic(path, target, verify=verify_backup, disk_usage=disk_usage)
            copies.append(target)
            remove_stale_partials(target_dir)
            removed += thin_backups(target_dir, retention)
        except UsbError as exc:
            logger.warning("automatic backup not copied to %s: %s", target_dir, exc.text("en"))
            problems.append((exc.message_vi, exc.message_en))
    store.settings.set_setting(LAST_AT_KEY, iso_now(moment))
    store.settings.set_setting(FINGERPRINT_KEY, store.data_fingerprint())
    logger.info("automatic backup (%s) written to %s", reason, path)
    return AutoBackupResult(path=path, copies=tuple(copies), problems=tuple(problems), removed=tuple(removed))


def maybe_auto_backup(
    store: Store,
    now: datetime | None = None,
    *,
    interval: timedelta = INTERVAL,
    disk_usage: DiskUsage = shutil.disk_usage,
) -> AutoBackupResult | None:
    """The GUI's timer calls this (e.g. every minute): back up when ``interval`` has passed since the
    last automatic backup *and* something changed since; otherwise do nothing and return None."""
    moment = now or datetime.now(timezone.utc)
    last = store.settings.get_setting(LAST_AT_KEY)
    if last:
        last_at = parse_time(str(last))
        # A clock set back (or two years wrong) must not stop backups for good: treat "future" as due.
        if last_at is not None and timedelta(0) <= moment - last_at < interval:
            return None
    if not store.has_data() or store.settings.get_setting(FINGERPRINT_KEY) == store.data_fingerprint():
        return None
    return auto_backup(store, "timer", now=moment, disk_usage=disk_usage)
