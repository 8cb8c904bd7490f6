"""Writing to a USB stick: pulled out mid-write, full, vanished, read-only, lying about what it stored."""

from __future__ import annotations

import errno
import os
import shutil

import pytest

from dttsclient.usb.atomic import copy_atomic, sha256_file
from dttsclient.usb.errors import NotEnoughSpace, TargetNotWritable, TargetVanished, WriteCorrupted
from tests.support.usbutil import FailingWriter, FlippingWriter, free_space, leftovers, refused


@pytest.fixture
def source(tmp_path):
    src = tmp_path / "local" / "new.bin"
    src.parent.mkdir()
    src.write_bytes(os.urandom(3 << 20))
    return src


@pytest.fixture
def stick(tmp_path):
    d = tmp_path / "stick"
    d.mkdir()
    (d / "backup.bin").write_bytes(b"the previous backup")
    return d


def test_copy_is_complete_and_verified(source, stick):
    target = stick / "backup.bin"
    checked = []
    size, digest = copy_atomic(source, target, verify=checked.append)
    assert (size, digest) == sha256_file(source) == sha256_file(target)
    assert checked and checked[0].parent == stick and ".partial" in checked[0].name
    assert leftovers(stick) == []


@pytest.mark.parametrize("limit", [0, 1, 1 << 20, (3 << 20) - 1])
def test_stick_pulled_mid_write_leaves_previous_file_and_no_half_file(source, stick, limit):
    with refused(TargetVanished, "removed or failed while writing"):
        copy_atomic(source, stick / "backup.bin", wrap=lambda f: FailingWriter(f, limit))
    assert (stick / "backup.bin").read_bytes() == b"the previous backup"
    assert leftovers(stick) == []


def test_target_folder_removed_between_writes(source, stick, tmp_path):
    target = stick / "backup.bin"
    keep = tmp_path / "keep"
    shutil.copytree(stick, keep)

    def pull_out():
        shutil.rmtree(stick)

    with pytest.raises(TargetVanished):
        copy_atomic(source, target, wrap=lambda f: FailingWriter(f, 1 << 20, before_fail=pull_out))
    assert not stick.exists()
    assert (keep / "backup.bin").read_bytes() == b"the previous backup"


def test_target_folder_removed_writes_still_succeed_until_read_back(source, stick):
    """On Linux writes to an unlinked file succeed: the read-back or the rename must notice."""
    state = {"done": False}

    class Remover(FailingWriter):
        def write(self, data):
            if not state["done"] and self.written > (1 << 20):
                shutil.rmtree(stick)
                state["done"] = True
            return super().write(data)

    with pytest.raises(TargetVanished):
        copy_atomic(source, stick / "backup.bin", wrap=lambda f: Remover(f, 1 << 40))
    assert not stick.exists()


def test_missing_target_folder(source, tmp_path):
    with refused(TargetVanished, "does not exist"):  # FolderMissing: not "the stick was removed"
        copy_atomic(source, tmp_path / "no-stick" / "b.bin")


def test_full_disk_is_refused_before_writing_and_says_how_much(source, stick):
    with refused(NotEnoughSpace, "Not enough free space") as info:
        copy_atomic(source, stick / "backup.bin", disk_usage=free_space(1000))
    err = info.value
    assert err.needed >= 3 << 20 and err.available == 1000
    assert "MB" in err.message_vi and "cần khoảng" in err.message_vi
    assert (stick / "backup.bin").read_bytes() == b"the previous backup"
    assert leftovers(stick) == []


def test_disk_fills_up_during_write(source, stick):
    with refused(NotEnoughSpace, "Not enough free space"):
        copy_atomic(source, stick / "backup.bin", wrap=lambda f: FailingWriter(f, 1 << 20, errno.ENOSPC))
    assert (stick / "backup.bin").read_bytes() == b"the previous backup"
    assert leftovers(stick) == []


def test_stick_that_stores_other_bytes(source, stick):
    with refused(WriteCorrupted, "does not read back the same"):
        copy_atomic(source, stick / "backup.bin", wrap=lambda f: FlippingWriter(f, 12345))
    assert (stick / "backup.bin").read_bytes() == b"the previous backup"
    assert leftovers(stick) == []


def test_verify_failure_of_the_copy_removes_it(source, stick):
    from dttsclient.usb.errors import BadFile

    def verify(path):
        raise BadFile(path, "hỏng", "damaged")

    with pytest.raises(WriteCorrupted):
        copy_atomic(source, stick / "backup.bin", verify=verify)
    assert (stick / "backup.bin").read_bytes() == b"the previous backup"
    assert leftovers(stick) == []


def test_write_permission_denied(source, stick):
    with refused(TargetNotWritable, "read-only"):
        copy_atomic(source, stick / "backup.bin", wrap=lambda f: FailingWriter(f, 10, errno.EROFS))
    assert leftovers(stick) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder(source, stick):
    stick.chmod(0o555)
    try:
        with pytest.raises(TargetNotWritable):
            copy_atomic(source, stick / "backup.bin")
    finally:
        stick.chmod(0o755)
    assert (stick / "backup.bin").read_bytes() == b"the previous backup"
