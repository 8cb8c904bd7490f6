"""Portable mode: ``portable.txt`` beside the frozen executable, on a fake frozen layout.

PyInstaller marks a frozen program with ``sys.frozen`` and points ``sys.executable`` at the program
file; the tests set both on a real folder in ``tmp_path``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from dttsclient import portable
from dttsclient.portable import PORTABLE_MARKER, executable_dir, portable_data_dir, portable_root


def make_bundle(root: Path, marker: bool) -> Path:
    """A one-folder layout: the executable, ``_internal/``, and maybe ``portable.txt``."""
    root.mkdir(parents=True, exist_ok=True)
    exe = root / "dttsclient.exe"
    exe.write_bytes(b"MZ")
    (root / "_internal").mkdir(exist_ok=True)
    if marker:
        (root / PORTABLE_MARKER).write_text("", encoding="utf-8")
    return exe


def freeze(monkeypatch: pytest.MonkeyPatch, exe: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))


def test_frozen_with_marker_is_portable(tmp_path, monkeypatch):
    exe = make_bundle(tmp_path / "USB" / "DTTSClient", marker=True)
    freeze(monkeypatch, exe)
    root = (tmp_path / "USB" / "DTTSClient").resolve()
    assert executable_dir() == root
    assert portable_root() == root
    assert portable_data_dir() == root / "data" / "profiles" / "default"


def test_frozen_without_marker_is_not_portable(tmp_path, monkeypatch):
    exe = make_bundle(tmp_path / "Programs" / "DTTSClient", marker=False)
    freeze(monkeypatch, exe)
    assert executable_dir() == exe.parent.resolve()
    assert portable_root() is None
    assert portable_data_dir() is None


def test_marker_elsewhere_does_not_count(tmp_path, monkeypatch):
    """Only the executable's own folder counts: not its parent, not _internal, not the cwd."""
    exe = make_bundle(tmp_path / "app", marker=False)
    (tmp_path / PORTABLE_MARKER).write_text("", encoding="utf-8")
    (tmp_path / "app" / "_internal" / PORTABLE_MARKER).write_text("", encoding="utf-8")
    freeze(monkeypatch, exe)
    monkeypatch.chdir(tmp_path)
    assert portable_root() is None


def test_a_folder_named_like_the_marker_is_not_a_marker(tmp_path, monkeypatch):
    exe = make_bundle(tmp_path / "app", marker=False)
    (tmp_path / "app" / PORTABLE_MARKER).mkdir()
    freeze(monkeypatch, exe)
    assert portable_root() is None


def test_not_frozen_is_never_portable(tmp_path, monkeypatch):
    """A source or pip install has no folder of its own, even with a marker beside the interpreter."""
    exe = make_bundle(tmp_path / "venv" / "bin", marker=True)
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert executable_dir() is None
    assert portable_root() is None
    assert portable_data_dir() is None


def test_frozen_false_is_not_frozen(tmp_path, monkeypatch):
    exe = make_bundle(tmp_path / "app", marker=True)
    monkeypatch.setattr(sys, "frozen", False, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert portable_root() is None


def test_frozen_without_executable_path(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "")
    assert executable_dir() is None
    assert portable_root() is None


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX symlinks")
def test_symlinked_executable_resolves_to_the_bundle(tmp_path, monkeypatch):
    """A link to the program (e.g. in ~/bin) still finds the bundle's own folder and marker."""
    exe = make_bundle(tmp_path / "stick" / "DTTSClient", marker=True)
    link_dir = tmp_path / "bin"
    link_dir.mkdir()
    link = link_dir / "dttsclient"
    link.symlink_to(exe)
    freeze(monkeypatch, link)
    assert portable_root() == exe.parent.resolve()


def test_marker_added_later_is_seen(tmp_path, monkeypatch):
    """Nothing is cached: the marker is looked for at each call (no state at import time)."""
    exe = make_bundle(tmp_path / "app", marker=False)
    freeze(monkeypatch, exe)
    assert portable_root() is None
    (tmp_path / "app" / PORTABLE_MARKER).write_text("portable", encoding="utf-8")
    assert portable_root() == exe.parent.resolve()


def test_the_run_folders_follow_portable_mode_and_the_environment_wins(tmp_path, monkeypatch):
    """Portable mode puts the profiles and the logs beside the executable; ``$DTTS_DATA_DIR`` wins."""
    from dttsclient.appdirs import resolve_dirs

    exe = make_bundle(tmp_path / "stick", marker=True)
    freeze(monkeypatch, exe)
    monkeypatch.delenv("DTTS_DATA_DIR", raising=False)
    dirs = resolve_dirs(None)
    assert dirs.data_dir == exe.parent.resolve() / "data" / "profiles" / "default"
    assert dirs.profiles_root == dirs.data_dir.parent
    assert dirs.log_dir == exe.parent.resolve() / "data" / "logs"
    assert (dirs.source, dirs.explicit) == ("portable", False)
    monkeypatch.setenv("DTTS_DATA_DIR", str(tmp_path / "explicit"))
    assert resolve_dirs(None).data_dir == tmp_path / "explicit"


def test_module_has_no_qt_and_no_state():
    source = Path(portable.__file__).read_text(encoding="utf-8")
    assert "PySide6" not in source
    assert portable.__all__ == ["PORTABLE_MARKER", "executable_dir", "portable_data_dir", "portable_root"]
