"""Where a file dialog of the USB actions opens when no folder was used before: a removable drive, else
the home folder — never the program's working directory (on Windows that is where the .exe is).

Qt-free: the GUI remembers the last folder itself (:mod:`dttsclient.ui.places`) and asks
:func:`default_folder` only when it has none (or it is gone, e.g. the stick was pulled out).
"""

from __future__ import annotations

import getpass
import os
import string
import sys
from collections.abc import Iterable
from pathlib import Path


def _windows_removable_drives() -> list[Path]:  # pragma: no cover - Windows only
    import ctypes

    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    mask = kernel.GetLogicalDrives()
    drives = []
    for n, letter in enumerate(string.ascii_uppercase):
        if mask & (1 << n):
            root = f"{letter}:\\"
            if kernel.GetDriveTypeW(ctypes.c_wchar_p(root)) == 2:  # DRIVE_REMOVABLE
                drives.append(Path(root))
    return drives


def _posix_mount_bases() -> list[Path]:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = ""
    bases = [Path("/media") / user, Path("/run/media") / user] if user else []
    if sys.platform == "darwin":
        bases.append(Path("/Volumes"))
    return [*bases, Path("/media")]


def removable_drives(bases: Iterable[Path] | None = None, *, mounted_only: bool = True) -> list[Path]:
    """The mounted removable drives (USB sticks) found, most likely first.

    Args:
        bases: the folders whose sub-folders are mount points (default: ``/media/<user>``,
            ``/run/media/<user>``, ``/Volumes`` on macOS, ``/media``); on Windows the drives of type
            "removable".
        mounted_only: keep only sub-folders that are mount points (a test's plain folders: False).
    """
    if bases is None and sys.platform == "win32":  # pragma: no cover - Windows only
        try:
            return _windows_removable_drives()
        except (OSError, AttributeError):
            return []
    found: list[Path] = []
    for base in _posix_mount_bases() if bases is None else bases:
        try:
            children = sorted(p for p in base.iterdir() if p.is_dir() and os.access(p, os.R_OK | os.X_OK))
        except OSError:
            continue
        for child in children:
            if (child.is_mount() or not mounted_only) and child not in found:
                found.append(child)
    return found


def default_folder(bases: Iterable[Path] | None = None, *, mounted_only: bool = True) -> Path:
    """The first removable drive, else the home folder."""
    drives = removable_drives(bases, mounted_only=mounted_only)
    if drives:
        return drives[0]
    return Path.home()
