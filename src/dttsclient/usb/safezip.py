"""Safe reading of zip files that came from a USB stick: backups, courier bundles, xlsx workbooks.

Every reader goes through :class:`SafeZip`, the core's one safe zip reader
(:class:`dttscore.formats.safezip.SafeZip`: every name, size, ratio, overlap, encryption and link check
runs on the whole central directory *before* anything is read or extracted; bytes are counted again and
CRC-checked while a member is read) with the USB layer's errors: every refusal becomes a
:class:`~dttsclient.usb.errors.BadFile` (damaged, truncated, missing) or an
:class:`~dttsclient.usb.errors.UnsafeArchive` (a check failed) with a plain sentence.
:func:`check_manifest_members` compares the members with a manifest's SHA-256 list so a manifest that
lies is caught; :func:`seal_zip` / :func:`check_seal` guard a whole file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from dttsclient.usb.errors import BadFile, UnsafeArchive, human_size
from dttscore.formats import safezip as core_safezip
from dttscore.formats.safezip import CHUNK, ZipLimits, ZipProblem
from dttscore.formats.safezip import member_name_problem as check_member_name

logger = logging.getLogger(__name__)

__all__ = [
    "CHUNK",
    "SEAL_LENGTH",
    "SEAL_PREFIX",
    "SafeZip",
    "ZipLimits",
    "check_manifest_members",
    "check_member_name",
    "check_seal",
    "seal_comment_placeholder",
    "seal_zip",
]


def _usb_error(path: Path, p: ZipProblem) -> BadFile:
    """The USB layer's error for a problem the core's zip reader found in ``path``."""
    name = p.member
    match p.reason:
        case "not_zip" if p.detail == "not_found":
            return BadFile(path, "không tìm thấy tệp.", "the file does not exist.")
        case "not_zip" if p.detail == "is_dir":
            return BadFile(path, "đây là một thư mục, không phải tệp.", "it is a folder, not a file.")
        case "not_zip":
            return BadFile(
                path,
                "tệp bị cắt cụt, hỏng hoặc không phải tệp nén zip (có thể USB bị rút ra khi đang chép).",
                "it is truncated, damaged or not a zip file (the USB stick may have been pulled out "
                "while copying).",
            )
        case "missing_member":
            return BadFile(path, f"thiếu thành phần “{name}”.", f"the member “{name}” is missing.")
        case "damaged" if p.detail == "overlong":
            return UnsafeArchive(
                path, f"“{name}” dài hơn kích thước khai báo.", f"“{name}” is longer than declared."
            )
        case "damaged" if p.detail == "truncated":
            return BadFile(path, f"thành phần “{name}” bị cắt cụt.", f"the member “{name}” is truncated.")
        case "damaged":
            return BadFile(
                path,
                f"thành phần “{name}” bị hỏng hoặc bị cắt cụt (kiểm tra CRC không khớp).",
                f"the member “{name}” is damaged or truncated (CRC check failed).",
            )
    vi, en = _unsafe_messages(p)
    return UnsafeArchive(path, vi, en)


def _unsafe_messages(p: ZipProblem) -> tuple[str, str]:
    name = p.member
    match p.reason:
        case "too_many_members":
            return (
                f"tệp nén có quá nhiều thành phần ({p.value}).",
                f"the archive has too many members ({p.value}).",
            )
        case "bad_name":
            return (
                f"tên thành phần “{name[:80]}” không an toàn ({p.detail}).",
                f"the member name “{name[:80]}” is unsafe ({p.detail}).",
            )
        case "duplicate_name":
            return f"thành phần “{name}” xuất hiện hai lần.", f"the member “{name}” appears twice."
        case "symlink":
            return f"“{name}” là một liên kết (symlink).", f"“{name}” is a symbolic link."
        case "encrypted":
            return f"“{name}” bị mã hoá.", f"“{name}” is encrypted."
        case "unsupported_compression":
            return f"“{name}” dùng kiểu nén không hỗ trợ.", f"“{name}” uses an unsupported compression."
        case "member_too_large" if p.detail == "read_limit":
            return (
                f"“{name}” quá lớn ({human_size(p.value)}).",
                f"“{name}” is too large ({human_size(p.value)}).",
            )
        case "member_too_large":
            return (
                f"“{name}” giải nén ra {human_size(p.value)}, quá giới hạn {human_size(p.limit)}.",
                f"“{name}” unpacks to {human_size(p.value)}, over the limit of {human_size(p.limit)}.",
            )
        case "zip_bomb":
            return (
                f"“{name}” nở ra quá nhiều lần khi giải nén (nghi là “bom zip”).",
                f"“{name}” expands far too much when unpacked (a suspected zip bomb).",
            )
        case "too_large":
            return (
                f"tổng dung lượng giải nén {human_size(p.value)} vượt giới hạn {human_size(p.limit)}.",
                f"it unpacks to {human_size(p.value)} in all, over the limit of {human_size(p.limit)}.",
            )
        case "overlap":
            return (
                "các thành phần trong tệp nén chồng lên nhau hoặc vượt ra ngoài tệp (tệp hỏng hoặc bom zip).",
                "the archive's members overlap or reach past the end (a damaged file or a zip bomb).",
            )
    return f"tệp nén không an toàn ({p.reason}).", f"the archive is unsafe ({p.reason})."  # pragma: no cover


class SafeZip(core_safezip.SafeZip):
    """A zip file opened for reading after every check of :mod:`dttscore.formats.safezip` passed.

    Args:
        path: the zip file.
        limits: the size limits (defaults are generous for a backup, tight enough for a bomb).

    Raises:
        BadFile: not a zip, truncated, damaged; later a member missing, damaged or truncated.
        UnsafeArchive: a check failed (names, sizes, ratio, overlap, encryption, links).
    """

    path: Path

    def __init__(self, path: Path | str, limits: ZipLimits | None = None) -> None:
        path = Path(path)
        super().__init__(path, limits, error=functools.partial(_usb_error, path))

    def __enter__(self) -> SafeZip:
        return self

    def read_json(self, name: str, limit: int = 16 << 20) -> Any:
        """A member parsed as UTF-8 JSON.

        Raises:
            BadFile: missing, damaged, or not valid JSON.
        """
        data = self.read(name, limit=limit)
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise BadFile(
                self.path, f"“{name}” không phải JSON hợp lệ.", f"“{name}” is not valid JSON."
            ) from exc


def check_manifest_members(
    zf: SafeZip, members: Any, manifest_name: str = "manifest.json"
) -> dict[str, tuple[int, str]]:
    """Check that the manifest's member list matches the archive exactly, hash by hash.

    Args:
        zf: the open archive.
        members: the manifest's ``members``: ``{name: {"sha256": hex, "size": n}}``.
        manifest_name: the manifest itself, which is not listed.

    Returns:
        ``{name: (size, sha256)}`` as computed.

    Raises:
        BadFile: a listed member is missing or differs, or the archive holds a member not listed.
    """
    path = zf.path
    if not isinstance(members, dict) or not members:
        raise BadFile(
            path, "bản kê (manifest) không liệt kê thành phần nào.", "the manifest lists no members."
        )
    present = set(zf.names()) - {manifest_name}
    listed = set(members)
    if listed - present:
        missing = ", ".join(sorted(listed - present))
        raise BadFile(path, f"thiếu thành phần {missing}.", f"the member(s) {missing} are missing.")
    if present - listed:
        extra = ", ".join(sorted(present - listed))
        raise BadFile(
            path,
            f"có thành phần lạ không có trong bản kê: {extra}.",
            f"it holds member(s) the manifest does not list: {extra}.",
        )
    computed = {}
    for name in sorted(listed):
        entry = members[name]
        want = entry.get("sha256") if isinstance(entry, dict) else None
        size, got = zf.digest(name)
        if not isinstance(want, str) or want.lower() != got or entry.get("size", size) != size:
            raise BadFile(
                path,
                f"nội dung “{name}” không khớp với bản kê (tệp đã bị sửa hoặc hỏng).",
                f"the content of “{name}” does not match the manifest (the file was altered or damaged).",
            )
        computed[name] = (size, got)
    return computed


# -- a seal over the whole file -------------------------------------------------------------------
SEAL_PREFIX = b"dtts-sha256:"
SEAL_LENGTH = len(SEAL_PREFIX) + 64


def seal_comment_placeholder() -> bytes:
    """The zip comment to write before :func:`seal_zip` fills in the hash (same length as the seal)."""
    return SEAL_PREFIX + b"0" * 64


def _prefix_digest(path: Path, size: int) -> str:
    h = hashlib.sha256()
    left = size - 64
    with open(path, "rb") as fh:
        while left > 0:
            chunk = fh.read(min(CHUNK, left))
            if not chunk:
                break
            h.update(chunk)
            left -= len(chunk)
    return h.hexdigest()


def seal_zip(path: Path) -> str:
    """Put the SHA-256 of everything before it into the last 64 bytes of a zip written with
    :func:`seal_comment_placeholder` as its comment. Zip CRCs cover member data only; the seal also
    covers headers, names, the directory and the manifest, so *any* flipped byte is caught.

    Returns:
        The hex digest written.
    """
    path = Path(path)
    size = path.stat().st_size
    with open(path, "rb") as fh:
        fh.seek(size - SEAL_LENGTH)
        if fh.read(len(SEAL_PREFIX)) != SEAL_PREFIX:
            raise ValueError(f"{path} was not written with the seal placeholder as its comment")
    digest = _prefix_digest(path, size)
    with open(path, "r+b") as fh:
        fh.seek(size - 64)
        fh.write(digest.encode("ascii"))
    return digest


def check_seal(path: Path) -> None:
    """Check the seal of :func:`seal_zip`.

    Raises:
        BadFile: no seal, or the file changed since it was sealed (a flipped byte anywhere).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            fh.seek(max(0, size - SEAL_LENGTH))
            tail = fh.read()
        ok = len(tail) == SEAL_LENGTH and tail.startswith(SEAL_PREFIX)
        if ok:
            ok = _prefix_digest(path, size).encode("ascii") == tail[len(SEAL_PREFIX) :]
    except OSError as exc:
        raise BadFile(
            path,
            "không đọc được tệp (USB bị rút ra hoặc bị lỗi?).",
            "the file cannot be read (was the USB stick removed or is it failing?).",
        ) from exc
    if not ok:
        raise BadFile(
            path,
            "tệp đã bị thay đổi, hỏng hoặc chép thiếu (mã kiểm tra toàn tệp không khớp).",
            "the file was changed, damaged or copied incompletely (the whole-file checksum does not match).",
        )
