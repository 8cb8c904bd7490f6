"""Every zip reader's first line of defence: names, sizes, ratios, overlaps, truncation, lies."""

from __future__ import annotations

import struct
import zipfile

import pytest

from dttsclient.usb.errors import BadFile, UnsafeArchive
from dttsclient.usb.safezip import SafeZip, ZipLimits, check_manifest_members, check_member_name
from tests.support.usbutil import refused


def _zip(path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "name", ["../evil.txt", "a/../../evil", "/etc/passwd", "\\windows\\evil", "C:/evil", "c:evil", "a\\..\\b"]
)
def test_unsafe_names_are_refused(tmp_path, name):
    assert check_member_name(name) is not None
    path = tmp_path / "z.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo(name), b"data")
    with pytest.raises(UnsafeArchive) as exc:
        SafeZip(path)
    assert "không an toàn" in exc.value.message_vi and "unsafe" in exc.value.message_en


@pytest.mark.parametrize("name", ["manifest.json", "submissions/abc.json", "a..b/c", "x/..y"])
def test_safe_names_pass(name):
    assert check_member_name(name) is None


def test_member_over_size_limit_refused_before_reading(tmp_path):
    path = _zip(tmp_path / "z.zip", {"big.bin": b"\0" * 50_000})
    with pytest.raises(UnsafeArchive) as exc:
        SafeZip(path, ZipLimits(max_member_size=10_000))
    assert "big.bin" in exc.value.message_en


def test_total_size_limit(tmp_path):
    path = _zip(tmp_path / "z.zip", {f"m{i}": b"x" * 4000 for i in range(10)})
    with refused(UnsafeArchive, "over the limit"):
        SafeZip(path, ZipLimits(max_member_size=5000, max_total_size=30_000))


def test_member_count_limit(tmp_path):
    path = _zip(tmp_path / "z.zip", {f"m{i}": b"x" for i in range(30)})
    with pytest.raises(UnsafeArchive):
        SafeZip(path, ZipLimits(max_members=20))


def test_zip_bomb_ratio(tmp_path):
    """Zeros deflate about 1000:1: refused from the directory alone."""
    path = _zip(tmp_path / "bomb.zip", {"zeros": b"\0" * (4 << 20)})
    assert path.stat().st_size < 50_000
    with pytest.raises(UnsafeArchive) as exc:
        SafeZip(path, ZipLimits(max_ratio=100, ratio_floor=1 << 20))
    assert "bom" in exc.value.message_vi


def test_overlapping_members_refused(tmp_path):
    """Two directory entries pointing at the same data (the "overlapping files" bomb)."""
    path = _zip(tmp_path / "z.zip", {"a": b"A" * 100, "b": b"B" * 100}, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    # Point the second central-directory entry at the first local header.
    cd = data.find(b"PK\x01\x02")
    second = data.find(b"PK\x01\x02", cd + 4)
    struct.pack_into("<I", data, second + 42, 0)
    path.write_bytes(bytes(data))
    with refused(UnsafeArchive, "overlap"):
        SafeZip(path)


def test_duplicate_names_refused(tmp_path):
    path = tmp_path / "z.zip"
    with zipfile.ZipFile(path, "w") as zf, pytest.warns(UserWarning, match="Duplicate"):
        zf.writestr("a", b"1")
        zf.writestr("a", b"2")
    with refused(UnsafeArchive, "twice"):
        SafeZip(path)


def test_symlink_refused(tmp_path):
    path = tmp_path / "z.zip"
    info = zipfile.ZipInfo("link")
    info.external_attr = 0o120777 << 16
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(info, "/etc/passwd")
    with refused(UnsafeArchive, "link"):
        SafeZip(path)


def test_encrypted_member_refused(tmp_path):
    path = _zip(tmp_path / "z.zip", {"a": b"secret"}, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    cd = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, cd + 8, 0x1)  # general purpose flag: encrypted
    path.write_bytes(bytes(data))
    with refused(UnsafeArchive, "encrypted"):
        SafeZip(path)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_truncated_zip_refused(tmp_path, keep):
    path = _zip(tmp_path / "z.zip", {"a": b"hello " * 1000, "b": b"world " * 1000})
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(BadFile) as exc, SafeZip(path) as zf:
        for name in zf.names():
            zf.digest(name)
    assert "truncated" in exc.value.message_en


def test_flipped_byte_in_data_caught_by_crc(tmp_path):
    path = _zip(tmp_path / "z.zip", {"a": b"hello " * 1000}, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    with SafeZip(path) as zf, refused(BadFile, "CRC"):
        zf.read("a")


def test_not_a_zip_and_missing_file(tmp_path):
    text = tmp_path / "t.zip"
    text.write_text("code,value\n0101,12\n", encoding="utf-8")
    with refused(BadFile, "not a zip"):
        SafeZip(text)
    with refused(BadFile, "does not exist"):
        SafeZip(tmp_path / "nope.zip")
    with refused(BadFile, "folder"):
        SafeZip(tmp_path)


def test_manifest_that_lies(tmp_path):
    path = _zip(tmp_path / "z.zip", {"manifest.json": b"{}", "a": b"AAA", "b": b"BBB"})
    import hashlib

    good = {
        "a": {"sha256": hashlib.sha256(b"AAA").hexdigest(), "size": 3},
        "b": {"sha256": hashlib.sha256(b"BBB").hexdigest(), "size": 3},
    }
    with SafeZip(path) as zf:
        assert check_manifest_members(zf, good) == {
            "a": (3, good["a"]["sha256"]),
            "b": (3, good["b"]["sha256"]),
        }
        with refused(BadFile, "does not match"):
            check_manifest_members(zf, {**good, "b": {"sha256": "0" * 64, "size": 3}})
        with refused(BadFile, "missing"):
            check_manifest_members(zf, {**good, "c": {"sha256": "0" * 64}})
        with refused(BadFile, "does not list"):
            check_manifest_members(zf, {"a": good["a"]})
        with pytest.raises(BadFile):
            check_manifest_members(zf, [])
