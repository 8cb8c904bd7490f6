"""Writing a finished file to a USB stick so that a pulled stick never leaves a half file.

The file is first built completely in a work folder — beside the target (:func:`work_beside`), so a full
profile disk does not stop an export to a stick with room, or on the profile disk for a backup when it has
room (:func:`work_folder`); :func:`copy_atomic` then checks the target's free
space, writes to a temporary name beside the target, flushes and fsyncs it, reads it back (after asking
the OS to drop its cache) and compares the SHA-256, runs the caller's own check of the copy, and only then
renames it over the target and fsyncs the folder. On any failure the temporary file is removed and the
previous target, if any, is untouched.

Fault injection for tests goes through parameters, never through patching: ``disk_usage`` replaces
:func:`shutil.disk_usage` and ``wrap`` wraps the output file object (e.g. one that raises ``OSError``
after N bytes, like a stick pulled out).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from dttsclient.usb.errors import (
    BadFile,
    FolderMissing,
    NotEnoughSpace,
    TargetNotWritable,
    TargetVanished,
    UsbError,
    WriteCorrupted,
)

logger = logging.getLogger(__name__)

CHUNK = 1 << 20
MARGIN = 256 * 1024  # file system overhead and the temporary name, on top of the file itself
PARTIAL_SUFFIX = ".partial"

DiskUsage = Callable[[Any], Any]  # shutil.disk_usage-like: returns an object with a ``free`` attribute
Wrap = Callable[[IO[bytes]], IO[bytes]]
ByteProgress = Callable[[int, int], None]  # (bytes done, bytes in all)

_SPACE_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_DENIED_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}


def free_space(folder: Path, disk_usage: DiskUsage = shutil.disk_usage) -> int | None:
    """Free bytes in ``folder``, or None when the OS cannot tell."""
    try:
        return int(disk_usage(str(folder)).free)
    except FileNotFoundError:
        raise
    except (OSError, AttributeError, ValueError):
        return None


def check_space(folder: Path, needed: int, disk_usage: DiskUsage = shutil.disk_usage) -> None:
    """Refuse early when ``folder`` has less than ``needed`` bytes free.

    Raises:
        NotEnoughSpace: says how much is needed and how much is free.
        TargetVanished: the folder does not exist (stick removed).
    """
    try:
        free = free_space(folder, disk_usage)
    except FileNotFoundError as exc:
        raise TargetVanished(folder, str(exc)) from exc
    if free is not None and free < needed:
        raise NotEnoughSpace(folder, needed, free)


def sha256_file(path: Path) -> tuple[int, str]:
    """(size, SHA-256 hex) of a file."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                break
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def translate_os_error(
    exc: OSError, folder: Path, needed: int = 0, disk_usage: DiskUsage = shutil.disk_usage
) -> UsbError:
    """The officer-facing error for an OS error met while writing to ``folder``."""
    if exc.errno in _SPACE_ERRNOS:
        try:
            free = free_space(folder, disk_usage)
        except OSError:
            free = None
        return NotEnoughSpace(folder, needed, free)
    if exc.errno in _DENIED_ERRNOS or isinstance(exc, PermissionError):
        return TargetNotWritable(folder, str(exc))
    return TargetVanished(folder, str(exc))


def _drop_cache(fd: int) -> None:
    """Ask the OS to forget its cached pages of the file, so the read-back reads the stick."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is not None:
        with contextlib.suppress(OSError):
            advise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); Windows cannot open a folder for fsync, which is fine."""
    if os.name == "nt":
        return
    try:
        fd = os.open(str(folder), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def partial_name(target: Path) -> Path:
    """The temporary name used beside ``target`` while it is written (hidden, unique, same suffix)."""
    return target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}{PARTIAL_SUFFIX}{target.suffix}")


def copy_atomic(
    source: Path,
    target: Path,
    *,
    verify: Callable[[Path], object] | None = None,
    disk_usage: DiskUsage = shutil.disk_usage,
    wrap: Wrap | None = None,
    progress: ByteProgress | None = None,
) -> tuple[int, str]:
    """Copy a finished local file to ``target`` atomically and verified.

    Args:
        source: the complete file on the local disk.
        target: where it must end up (e.g. on a USB stick); replaced only when the copy is verified.
        verify: an extra check of the written copy (e.g. a full backup verification); a
            :class:`BadFile` from it means the stick returned other bytes.
        disk_usage: the free-space function (tests inject a full disk).
        wrap: wraps the output file object (tests inject a stick pulled out mid-write).
        progress: called with (bytes written, bytes in all).

    Returns:
        (size, SHA-256 hex) of the file written.

    Raises:
        NotEnoughSpace: too little room on the target (checked first, and on ENOSPC).
        TargetVanished: the target disappeared or failed during the write.
        TargetNotWritable: read-only or permission denied.
        WriteCorrupted: the copy did not read back the same.
    """
    source, target = Path(source), Path(target)
    folder = target.parent
    size, digest = sha256_file(source)
    needed = size + MARGIN
    if not folder.is_dir():
        raise FolderMissing(folder, "folder does not exist")
    check_space(folder, needed, disk_usage)
    tmp = partial_name(target)
    try:
        _write_copy(source, tmp, size, wrap, progress)
        got = _read_back(tmp)
        if got != (size, digest):
            raise WriteCorrupted(target, f"read back {got}, expected {(size, digest)}")
        if verify is not None:
            try:
                verify(tmp)
            except BadFile as exc:
                raise WriteCorrupted(target, exc.text("en")) from exc
        os.replace(tmp, target)
        _fsync_folder(folder)
    except UsbError:
        _remove_quietly(tmp)
        raise
    except OSError as exc:
        _remove_quietly(tmp)
        logger.info("writing %s failed: %s", target, exc)
        raise translate_os_error(exc, folder, needed, disk_usage) from exc
    except BaseException:
        _remove_quietly(tmp)
        raise
    logger.info("wrote %s (%d bytes, sha256 %s)", target, size, digest)
    return size, digest


WORK_SUFFIX = PARTIAL_SUFFIX + "-work"


@contextlib.contextmanager
def work_beside(target: Path, disk_usage: DiskUsage = shutil.disk_usage) -> Iterator[Path]:
    """A hidden work folder beside ``target`` (on the same disk), removed afterwards.

    The file is rendered where it will end up, so a nearly full profile disk does not stop an export to a
    stick that has room. The folder's name matches ``.*.partial*``, so a crash leftover is cleaned by
    :func:`~dttsclient.usb.backup.remove_stale_partials`. An ``OSError`` met while the work is done in it
    becomes the officer-facing error of the target (full, read-only, vanished).

    Raises:
        FolderMissing: the target's folder does not exist.
        NotEnoughSpace, TargetNotWritable, TargetVanished: the work folder could not be made or filled.
    """
    target = Path(target)
    folder = target.parent
    if not folder.is_dir():
        raise FolderMissing(folder, "folder does not exist")
    work = folder / f".{target.stem}.{uuid.uuid4().hex[:8]}{WORK_SUFFIX}"
    try:
        work.mkdir()
    except OSError as exc:
        raise translate_os_error(exc, folder, 0, disk_usage) from exc
    try:
        yield work
    except UsbError:
        raise
    except OSError as exc:
        logger.info("work beside %s failed: %s", target, exc)
        raise translate_os_error(exc, folder, 0, disk_usage) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _write_copy(source: Path, tmp: Path, size: int, wrap: Wrap | None, progress: ByteProgress | None) -> None:
    fd = os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    raw = os.fdopen(fd, "wb", buffering=0)
    with raw:
        out: IO[bytes] = wrap(raw) if wrap is not None else raw
        done = 0
        with open(source, "rb") as src:
            while True:
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                view = memoryview(chunk)
                while view:  # an unbuffered write may be short
                    n = out.write(view)
                    if n is None or n <= 0:
                        raise OSError(errno.EIO, "short write")
                    view = view[n:]
                done += len(chunk)
                if progress is not None:
                    progress(done, size)
        out.flush()
        os.fsync(raw.fileno())


def _read_back(tmp: Path) -> tuple[int, str]:
    fd = os.open(str(tmp), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        _drop_cache(fd)
    finally:
        os.close(fd)
    return sha256_file(tmp)


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:  # the stick is gone: nothing more we can do
        logger.info("could not remove %s: %s", path, exc)
