"""The one safe zip reader of the core: every check on both sides, the error factory, the re-exports."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from dttscore.formats import safezip
from dttscore.formats.safezip import SafeZip, UnsafeZipError, ZipLimits, ZipProblem, read_zip_safely

LIMITS = {"max_member_bytes": 8 << 20, "max_total_bytes": 16 << 20, "max_members": 10}


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)  # keeps the name exactly as given
            info.compress_type = compression
            zf.writestr(info, data)
    return buf.getvalue()


def _reason(data: bytes, **limits: int) -> str:
    with pytest.raises(UnsafeZipError) as err:
        read_zip_safely(data, **{**LIMITS, **limits})
    return err.value.reason


def test_reads_bytes_paths_and_open_files_alike(tmp_path):
    data = _zip({"a.json": b"1", "d/": b"", "d/b.json": b"22"})
    path = tmp_path / "z.zip"
    path.write_bytes(data)
    want = {"a.json": b"1", "d/b.json": b"22"}
    assert read_zip_safely(data, **LIMITS) == want
    assert read_zip_safely(path, **LIMITS) == want
    assert read_zip_safely(str(path), **LIMITS) == want
    with open(path, "rb") as fh:
        assert read_zip_safely(fh, **LIMITS) == want
        assert not fh.closed  # the caller's file stays the caller's


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../x", "'..' in the path"),
        ("a\\..\\b", "'..' in the path"),
        ("/etc/passwd", "absolute path"),
        ("\\x", "absolute path"),
        ("C:/x", "absolute path"),
        ("1:x", "absolute path"),  # any "?:" prefix, not only drive letters
        ("", "empty name or NUL character"),
        ("a\x00b", "empty name or NUL character"),
    ],
)
def test_member_name_problems(name, why):
    assert safezip.member_name_problem(name) == why


@pytest.mark.parametrize("name", ["manifest.json", "a..b/c", "x/..y", "d/"])
def test_safe_names(name):
    assert safezip.member_name_problem(name) is None


def test_usb_side_gains_drive_like_names_and_case_insensitive_duplicates():
    assert _reason(_zip({"1:x": b""})) == "bad_name"
    assert _reason(_zip({"a.json": b"1", "A.JSON": b"2"})) == "duplicate_name"


def test_setup_side_gains_name_length_compression_ratio_and_overlap():
    assert _reason(_zip({"a" * 256: b""})) == "bad_name"
    assert read_zip_safely(_zip({"a" * 255: b""}), **LIMITS) == {"a" * 255: b""}
    assert _reason(_zip({"a": b"x" * 10}, zipfile.ZIP_LZMA)) == "unsupported_compression"
    bomb = _zip({"zeros": b"\0" * (3 << 20)})
    assert len(bomb) < 50_000
    assert _reason(bomb) == "zip_bomb"
    data = bytearray(_zip({"a": b"A" * 50, "b": b"B" * 50}, zipfile.ZIP_STORED))
    second = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)
    struct.pack_into("<I", data, second + 42, 0)  # the second entry points at the first member's data
    assert _reason(bytes(data)) == "overlap"


def test_directory_entries_are_checked_too():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("d/")
        info.external_attr = 0o120777 << 16  # a symlink disguised as a folder
        zf.writestr(info, b"")
    assert _reason(buf.getvalue()) == "symlink"


def test_existing_refusals_keep_their_reasons_and_messages():
    err = None
    try:
        read_zip_safely(_zip({"a": b"0" * 200}), max_member_bytes=100, max_total_bytes=150, max_members=3)
    except UnsafeZipError as exc:
        err = exc
    assert err is not None and err.reason == "member_too_large"
    assert err.message_vi == "Thành phần 'a' lớn hơn giới hạn 100 byte."
    assert err.message_en == "Member 'a' is larger than the 100-byte limit."
    assert err.problem == ZipProblem("member_too_large", "a", value=200, limit=100)
    data = bytearray(_zip({"a": b"hello" * 10}, zipfile.ZIP_STORED))
    data[40] ^= 0xFF
    assert _reason(bytes(data)) == "damaged"
    assert _reason(b"not a zip") == "not_zip"


def test_a_directory_that_lies_about_a_size_is_caught_while_reading():
    data = bytearray(_zip({"a": b"x" * 90}))
    cd = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, cd + 24, 10)  # claims 10 bytes
    with pytest.raises(UnsafeZipError) as err:
        read_zip_safely(bytes(data), **LIMITS)
    assert err.value.reason == "damaged"


class Refused(Exception):
    def __init__(self, problem: ZipProblem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


def test_the_error_factory_makes_the_callers_exception():
    with pytest.raises(Refused) as err:
        SafeZip(_zip({"../x": b""}), error=Refused)
    assert err.value.problem == ZipProblem("bad_name", "../x", detail="'..' in the path")
    with SafeZip(_zip({"a": b"abc"}), ZipLimits(), error=Refused) as zf:
        with pytest.raises(Refused) as err:
            zf.read("missing")
        assert err.value.problem.reason == "missing_member"
        with pytest.raises(Refused) as err:
            zf.read("a", limit=2)
        assert err.value.problem == ZipProblem("member_too_large", "a", detail="read_limit", value=3, limit=2)
        assert zf.digest("a")[0] == 3


def test_the_old_import_places_still_work():
    from dttsclient.usb import safezip as usb_safezip
    from dttscore.formats import setup_package

    assert setup_package.read_zip_safely is read_zip_safely
    assert setup_package.UnsafeZipError is UnsafeZipError
    assert setup_package.check_member_name("a/b.json") and not setup_package.check_member_name("../b")
    assert usb_safezip.ZipLimits is ZipLimits
    assert issubclass(usb_safezip.SafeZip, SafeZip)
    assert usb_safezip.check_member_name("../b") == "'..' in the path"
