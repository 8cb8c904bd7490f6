"""Portable mode: a ``portable.txt`` beside the frozen executable keeps the profiles beside it.

An IT officer who copies the one-folder build to a USB stick and puts an (empty) ``portable.txt``
next to ``dttsclient.exe`` gets an install that carries its own data: the profiles live in
``<folder>/data/profiles/`` and the logs in ``<folder>/data/logs/`` (the same layout as under the
per-user data folder), so the stick works on any PC and leaves nothing on it.

Only a frozen build (PyInstaller sets ``sys.frozen``) can be portable: a source or pip install has no
folder of its own. ``$DTTS_DATA_DIR`` and ``--data-dir`` still win over portable mode.

Nothing here imports Qt or touches the disk at import time.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

PORTABLE_MARKER = "portable.txt"
PORTABLE_DATA_DIRNAME = "data"


def executable_dir() -> Path | None:
    """The folder of the frozen executable, or None when running from source or a pip install."""
    if not getattr(sys, "frozen", False):
        return None
    executable = getattr(sys, "executable", "") or ""
    if not executable:
        return None
    return Path(executable).resolve().parent


def portable_root() -> Path | None:
    """The folder of the frozen executable when it holds ``portable.txt``; None otherwise.

    Returns:
        The portable install's folder (the profiles go under its ``data/``), or None: not frozen, or
        no marker file beside the executable.
    """
    folder = executable_dir()
    if folder is None:
        return None
    try:
        is_portable = (folder / PORTABLE_MARKER).is_file()
    except OSError:  # an unreadable folder is not a portable install
        return None
    if is_portable:
        logger.debug("portable mode: %s", folder)
        return folder
    return None


def portable_data_dir() -> Path | None:
    """The default profile folder of a portable install (``<root>/data/profiles/default``), or None."""
    root = portable_root()
    if root is None:
        return None
    return root / PORTABLE_DATA_DIRNAME / "profiles" / "default"


__all__ = ["PORTABLE_MARKER", "executable_dir", "portable_data_dir", "portable_root"]
