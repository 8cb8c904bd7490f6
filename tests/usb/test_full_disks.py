"""Full disks on the officer's PC, through real full file systems (tmpfs) and the real ``dttsclient``.

A small tmpfs holds the profile and another the USB stick; a filler file leaves only a few kilobytes
free. Each case checks the exit code, that stderr has the true cause and the way forward (no traceback,
no "--- Logging error ---"), and that nothing partial is left on the stick. Mounting needs root: without
it the tests are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.support.usbutil import COMMUNE_A, fill, finalize, open_profile

EXE = Path(sys.executable).with_name("dttsclient")
EXPORTS = {
    "pdf": ("export", "pdf", "--unit", COMMUNE_A, "--form", "BM01", "--period", "2026"),
    "xlsx": ("export", "xlsx", "--unit", COMMUNE_A, "--form", "BM01", "--period", "2026"),
    "backup": ("backup", "export"),
    "courier": ("courier", "export"),
}
NAMES = {"pdf": "r.pdf", "xlsx": "r.xlsx", "backup": "b.dttsbak", "courier": "g.dttsgoi"}


def _mount(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {proc.stderr.strip()}")


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def disks(tmp_path):
    """(profile disk, stick): two small real file systems, unmounted afterwards."""
    if shutil.which("mount") is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    prof, stick = tmp_path / "profdisk", tmp_path / "stick"
    _mount(prof, "4m")
    try:
        _mount(stick, "8m")
    except BaseException:
        _umount(prof)
        raise
    try:
        yield prof, stick
    finally:
        _umount(stick)
        _umount(prof)


def leave_free(disk: Path, free_kb: int) -> None:
    """Fill ``disk`` so that about ``free_kb`` KB stay free."""
    filler = disk / f"filler-{uuid.uuid4().hex[:6]}"
    free = shutil.disk_usage(disk).free
    size = max(free - free_kb * 1024, 0)
    with open(filler, "wb") as fh:
        if size:
            os.posix_fallocate(fh.fileno(), 0, size)


def run(data_dir: Path, *args: str, lang: str = "vi") -> subprocess.CompletedProcess:
    cmd = [str(EXE), "--data-dir", str(data_dir), "--lang", lang, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def make_profile(prof: Path) -> Path:
    d = prof / "p"
    with open_profile(d) as s:
        fill(s, "2026")
        finalize(s, "2027")  # an unsent submission for the courier bundle
    return d


def assert_clean(r: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in r.stderr, r.stderr
    assert "Logging error" not in r.stderr, r.stderr
    assert r.stderr.count("\n") <= 3, r.stderr


def leftovers(stick: Path) -> list[str]:
    return sorted(p.name for p in stick.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("kind", ["pdf", "xlsx", "backup", "courier"])
def test_nearly_full_profile_disk_exports_to_a_healthy_stick(disks, kind):
    """The file is built on the stick, where the space is; the export succeeds with a clean stderr."""
    prof, stick = disks
    d = make_profile(prof)
    leave_free(prof, 40)  # the database opens, but no work file and no log fit on the profile disk
    r = run(d, *EXPORTS[kind], str(stick / NAMES[kind]))
    assert r.returncode == 0, r.stdout + r.stderr
    assert_clean(r)
    assert (stick / NAMES[kind]).stat().st_size > 0
    assert leftovers(stick) == []


def test_export_xlsx_is_a_good_workbook_and_backup_verifies(disks):
    prof, stick = disks
    d = make_profile(prof)
    leave_free(prof, 40)
    assert run(d, *EXPORTS["backup"], str(stick / "b.dttsbak")).returncode == 0
    r = run(d, "backup", "verify", str(stick / "b.dttsbak"))
    assert r.returncode == 0 and "nguyên vẹn" in r.stdout, r.stderr


@pytest.mark.parametrize("kind", ["pdf", "backup", "courier"])
def test_full_profile_disk_names_the_disk_not_permissions(disks, kind):
    prof, stick = disks
    d = make_profile(prof)
    leave_free(prof, 0)
    r = run(d, *EXPORTS[kind], str(stick / NAMES[kind]))
    assert r.returncode == 1
    assert_clean(r)
    assert "đã đầy" in r.stderr and "xoá bớt tệp" in r.stderr, r.stderr
    assert "chỉ đọc" not in r.stderr and "không có quyền" not in r.stderr
    assert list(stick.iterdir()) == []
    r = run(d, *EXPORTS[kind], str(stick / NAMES[kind]), lang="en")
    assert r.returncode == 1 and "is full" in r.stderr and "Free some space" in r.stderr, r.stderr
    assert "read-only" not in r.stderr


@pytest.mark.parametrize("kind", ["pdf", "xlsx", "backup", "courier"])
def test_full_stick_says_so_and_leaves_nothing(disks, kind):
    prof, stick = disks
    d = make_profile(prof)
    leave_free(stick, 16)
    r = run(d, *EXPORTS[kind], str(stick / NAMES[kind]))
    assert r.returncode == 1
    assert_clean(r)
    assert "Không đủ chỗ trống" in r.stderr and "USB khác" in r.stderr, r.stderr
    assert not (stick / NAMES[kind]).exists()
    assert leftovers(stick) == []


@pytest.mark.parametrize("kind", ["pdf", "backup", "courier"])
def test_missing_folder_is_named_not_a_pulled_stick(disks, kind):
    prof, stick = disks
    d = make_profile(prof)
    r = run(d, *EXPORTS[kind], str(stick / "khong-co" / NAMES[kind]))
    assert r.returncode == 1
    assert_clean(r)
    assert "không tồn tại" in r.stderr and "rút ra" not in r.stderr, r.stderr
    r = run(d, *EXPORTS[kind], str(stick / "khong-co" / NAMES[kind]), lang="en")
    assert "does not exist" in r.stderr and "removed" not in r.stderr, r.stderr
    assert list(stick.iterdir()) == []


def test_logging_on_a_full_disk_degrades_to_one_line(disks):
    """The log folder's disk is full: one short line, never "--- Logging error ---" per record."""
    prof, _stick = disks
    d = make_profile(prof)
    leave_free(prof, 40)
    r = run(d, "status")
    assert_clean(r)
    assert r.stderr.count("nhật ký") <= 1
