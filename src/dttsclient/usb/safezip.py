"""Safe reading of zip files that came from a USB stick: backups, courier bundles, xlsx workbooks.

Every reader goes through :class:`SafeZip`, which checks the whole central directory *before* anything is
read or extracted:

* names: no ``..`` component, no absolute path or drive letter, no backslash tricks, no NUL, no
  duplicates, no symbolic links;
* sizes: each member's declared size, the total declared size and the member count are limited, and a
  member may not expand more than ``max_ratio`` times (a zip bomb);
* structure: only stored or deflated members, no encryption, members may not overlap each other or the
  central directory (the "overlapping files" bomb), and the file must not be truncated.

While a member is read, the bytes produced are counted again (a directory can lie about sizes), the
CRC-32 is checked by :mod:`zipfile`, and every failure becomes a :class:`~dttsclient.usb.errors.BadFile`
with a plain sentence. :func:`check_manifest_members` compares the members with a manifest's SHA-256
list so a manifest that lies is caught.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from dttsclient.usb.errors import BadFile, UnsafeArchive, human_size

logger = logging.getLogger(__name__)

CHUNK = 1 << 20
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
_LOCAL_HEADER = 30  # fixed part of a zip local file header


@dataclass(frozen=True)
class ZipLimits:
    """What a zip may hold before it is refused unread.

    Attributes:
        max_members: most members (entries) in the archive.
        max_member_size: most bytes one member may unpack to.
        max_total_size: most bytes all members together may unpack to.
        max_ratio: most a member may expand (unpacked / packed size) ...
        ratio_floor: ... checked for members that unpack to more than this many bytes.
        max_name_length: longest member name, in characters.
    """

    max_members: int = 10_000
    max_member_size: int = 1 << 30
    max_total_size: int = 2 << 30
    max_ratio: int = 200
    ratio_floor: int = 1 << 20
    max_name_length: int = 255


def _unsafe(path: Path, vi: str, en: str) -> UnsafeArchive:
    return UnsafeArchive(path, vi, en)


def check_member_name(name: str) -> str | None:
    """Why a member name is unsafe (English clause), or None when it is fine."""
    if not name or "\x00" in name:
        return "empty name or NUL character"
    if name.startswith(("/", "\\")) or _DRIVE_RE.match(name):
        return "absolute path"
    parts = re.split(r"[\\/]", name)
    if any(p == ".." for p in parts):
        return "'..' in the path"
    return None


class SafeZip:
    """A zip file opened for reading after every check of the module docstring passed.

    Args:
        path: the zip file.
        limits: the size limits (defaults are generous for a backup, tight enough for a bomb).

    Raises:
        BadFile: not a zip, truncated, damaged.
        UnsafeArchive: a check failed (names, sizes, ratio, overlap, encryption, links).
    """

    def __init__(self, path: Path | str, limits: ZipLimits | None = None) -> None:
        self.path = Path(path)
        self.limits = limits or ZipLimits()
        try:
            self._zf = zipfile.ZipFile(self.path)
        except FileNotFoundError as exc:
            raise BadFile(self.path, "không tìm thấy tệp.", "the file does not exist.") from exc
        except IsADirectoryError as exc:
            raise BadFile(
                self.path, "đây là một thư mục, không phải tệp.", "it is a folder, not a file."
            ) from exc
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError) as exc:
            raise BadFile(
                self.path,
                "tệp bị cắt cụt, hỏng hoặc không phải tệp nén zip (có thể USB bị rút ra khi đang chép).",
                "it is truncated, damaged or not a zip file (the USB stick may have been pulled out "
                "while copying).",
            ) from exc
        try:
            self._infos = self._check_directory()
        except BaseException:
            self._zf.close()
            raise

    # -- context manager ----------------------------------------------------------------------------
    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()

    # -- the checks ---------------------------------------------------------------------------------
    def _check_directory(self) -> dict[str, zipfile.ZipInfo]:
        limits, path = self.limits, self.path
        infos = self._zf.infolist()
        if len(infos) > limits.max_members:
            raise _unsafe(
                path,
                f"tệp nén có quá nhiều thành phần ({len(infos)}).",
                f"the archive has too many members ({len(infos)}).",
            )
        by_name: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = info.filename
            why = check_member_name(name)
            if why is None and len(name) > limits.max_name_length:
                why = "name too long"
            if why is not None:
                raise _unsafe(
                    path,
                    f"tên thành phần “{name[:80]}” không an toàn ({why}).",
                    f"the member name “{name[:80]}” is unsafe ({why}).",
                )
            if name in by_name:
                raise _unsafe(
                    path, f"thành phần “{name}” xuất hiện hai lần.", f"the member “{name}” appears twice."
                )
            mode = (info.external_attr >> 16) & 0xFFFF
            if stat.S_ISLNK(mode):
                raise _unsafe(path, f"“{name}” là một liên kết (symlink).", f"“{name}” is a symbolic link.")
            if info.flag_bits & 0x1:
                raise _unsafe(path, f"“{name}” bị mã hoá.", f"“{name}” is encrypted.")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _unsafe(
                    path,
                    f"“{name}” dùng kiểu nén không hỗ trợ.",
                    f"“{name}” uses an unsupported compression.",
                )
            if info.file_size > limits.max_member_size:
                raise _unsafe(
                    path,
                    f"“{name}” giải nén ra {human_size(info.file_size)}, quá giới hạn "
                    f"{human_size(limits.max_member_size)}.",
                    f"“{name}” unpacks to {human_size(info.file_size)}, over the limit of "
                    f"{human_size(limits.max_member_size)}.",
                )
            if info.file_size > limits.ratio_floor and (
                info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio
            ):
                raise _unsafe(
                    path,
                    f"“{name}” nở ra quá nhiều lần khi giải nén (nghi là “bom zip”).",
                    f"“{name}” expands far too much when unpacked (a suspected zip bomb).",
                )
            total += info.file_size
            by_name[name] = info
        if total > limits.max_total_size:
            raise _unsafe(
                path,
                f"tổng dung lượng giải nén {human_size(total)} vượt giới hạn {human_size(limits.max_total_size)}.",
                f"it unpacks to {human_size(total)} in all, over the limit of {human_size(limits.max_total_size)}.",
            )
        self._check_overlap(infos)
        return by_name

    def _check_overlap(self, infos: list[zipfile.ZipInfo]) -> None:
        """Members must lie one after another, each before the central directory (no overlap bombs)."""
        start_dir = getattr(self._zf, "start_dir", None)
        ordered = sorted(infos, key=lambda i: i.header_offset)
        for n, info in enumerate(ordered):
            encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
            name_len = len(info.orig_filename.encode(encoding, errors="replace"))
            end = info.header_offset + _LOCAL_HEADER + name_len + info.compress_size
            limit = ordered[n + 1].header_offset if n + 1 < len(ordered) else start_dir
            if info.header_offset < 0 or (limit is not None and end > limit):
                raise _unsafe(
                    self.path,
                    "các thành phần trong tệp nén chồng lên nhau hoặc vượt ra ngoài tệp (tệp hỏng hoặc bom zip).",
                    "the archive's members overlap or reach past the end (a damaged file or a zip bomb).",
                )

    # -- reading ------------------------------------------------------------------------------------
    def names(self) -> list[str]:
        """Member names (directories left out), in archive order."""
        return [n for n in self._infos if not n.endswith("/")]

    def has(self, name: str) -> bool:
        return name in self._infos

    def info(self, name: str) -> zipfile.ZipInfo:
        try:
            return self._infos[name]
        except KeyError:
            raise BadFile(
                self.path, f"thiếu thành phần “{name}”.", f"the member “{name}” is missing."
            ) from None

    def total_size(self) -> int:
        """The declared unpacked size of all members (already checked against the limits)."""
        return sum(i.file_size for i in self._infos.values())

    def iter_chunks(self, name: str, on_bytes: Callable[[int], None] | None = None) -> Iterator[bytes]:
        """The unpacked bytes of a member in chunks, counted against its declared size and CRC-checked.

        Raises:
            BadFile: the member is missing, damaged (CRC, deflate data) or longer than declared.
        """
        info = self.info(name)
        produced = 0
        try:
            with self._zf.open(info) as member:
                while True:
                    chunk = member.read(CHUNK)
                    if not chunk:
                        break
                    produced += len(chunk)
                    if produced > info.file_size:
                        raise _unsafe(
                            self.path,
                            f"“{name}” dài hơn kích thước khai báo.",
                            f"“{name}” is longer than declared.",
                        )
                    if on_bytes is not None:
                        on_bytes(len(chunk))
                    yield chunk
        except BadFile:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise BadFile(
                self.path,
                f"thành phần “{name}” bị hỏng hoặc bị cắt cụt (kiểm tra CRC không khớp).",
                f"the member “{name}” is damaged or truncated (CRC check failed).",
            ) from exc
        if produced != info.file_size:
            raise BadFile(self.path, f"thành phần “{name}” bị cắt cụt.", f"the member “{name}” is truncated.")

    def read(self, name: str, limit: int | None = None) -> bytes:
        """A member's bytes (for small members such as manifest.json).

        Args:
            name: the member.
            limit: refuse members declared larger than this.
        """
        info = self.info(name)
        if limit is not None and info.file_size > limit:
            raise _unsafe(
                self.path,
                f"“{name}” quá lớn ({human_size(info.file_size)}).",
                f"“{name}” is too large ({human_size(info.file_size)}).",
            )
        return b"".join(self.iter_chunks(name))

    def read_json(self, name: str, limit: int = 16 << 20) -> Any:
        """A member parsed as UTF-8 JSON.

        Raises:
            BadFile: missing, damaged, or not valid JSON.
        """
        data = self.read(name, limit=limit)
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadFile(
                self.path, f"“{name}” không phải JSON hợp lệ.", f"“{name}” is not valid JSON."
            ) from exc

    def digest(self, name: str) -> tuple[int, str]:
        """(size, SHA-256 hex) of a member's unpacked bytes."""
        h = hashlib.sha256()
        size = 0
        for chunk in self.iter_chunks(name):
            h.update(chunk)
            size += len(chunk)
        return size, h.hexdigest()

    def extract_to(
        self, name: str, out: IO[bytes], on_bytes: Callable[[int], None] | None = None
    ) -> tuple[int, str]:
        """Unpack a member into an open binary file; returns (size, SHA-256 hex)."""
        h = hashlib.sha256()
        size = 0
        for chunk in self.iter_chunks(name, on_bytes):
            out.write(chunk)
            h.update(chunk)
            size += len(chunk)
        return size, h.hexdigest()


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
