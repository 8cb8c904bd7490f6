"""The one safe zip reader: backups, courier bundles, workbooks, setup packages, bundles sent to the hub.

:class:`SafeZip` checks the whole central directory *before* any member is unpacked:

* names: not empty, no NUL, not absolute (``/``, ``\\``, a drive such as ``C:``), no ``..`` component,
  not longer than ``max_name_length``, no two alike (ignoring case: they would collide on Windows), no
  symbolic links;
* sizes: the member count, each member's declared size and the total declared size are limited, and a
  member may not expand more than ``max_ratio`` times (a zip bomb);
* structure: only stored or deflated members, no encryption, members may not overlap each other or the
  central directory (the "overlapping files" bomb).

While a member is read, the bytes produced are counted again (a directory can lie about sizes) and the
CRC-32 is checked by :mod:`zipfile`. :func:`read_zip_safely` reads every member into memory that way.

Every refusal is described by a :class:`ZipProblem`; the ``error`` factory given to :class:`SafeZip`
turns it into the caller's exception (the USB layer raises its ``BadFile``/``UnsafeArchive``); the default
raises :class:`UnsafeZipError`. Qt-free and store-free: the hub uses it too.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from dttscore.errors import DttsError

logger = logging.getLogger(__name__)

CHUNK = 1 << 20
_LOCAL_HEADER = 30  # fixed part of a zip local file header
_OPEN_ERRORS = (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError)
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)

ZipSource = str | Path | bytes | bytearray | BinaryIO


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


@dataclass(frozen=True)
class ZipProblem:
    """Why a zip (or one of its members) is refused.

    Attributes:
        reason: ``not_zip``, ``too_many_members``, ``bad_name``, ``duplicate_name``, ``symlink``,
            ``encrypted``, ``unsupported_compression``, ``member_too_large``, ``zip_bomb``, ``too_large``,
            ``overlap``, ``missing_member`` or ``damaged``.
        member: the member concerned ("" when none).
        detail: a finer code: for ``not_zip`` "not_found", "is_dir" or ""; for ``bad_name`` why, as an
            English clause; for ``member_too_large`` "read_limit" when :meth:`SafeZip.read`'s own limit
            was hit; for ``damaged`` "crc" (unreadable, CRC mismatch), "truncated" or "overlong".
        value: the count or size found (members, bytes).
        limit: the limit it broke.
    """

    reason: str
    member: str = ""
    detail: str = ""
    value: int = 0
    limit: int = 0


ErrorFactory = Callable[[ZipProblem], Exception]


class UnsafeZipError(DttsError):
    """A zip file is damaged or unsafe (``..`` or absolute names, too large, a bomb); nothing was read.

    Attributes:
        reason: a machine code, the :attr:`ZipProblem.reason` (``not_zip``, ``bad_name``,
            ``duplicate_name``, ``too_many_members``, ``member_too_large``, ``too_large``, ``encrypted``,
            ``symlink``, ``unsupported_compression``, ``zip_bomb``, ``overlap``, ``missing_member``,
            ``damaged``).
        problem: the problem found, when raised by :class:`SafeZip`.
    """

    def __init__(self, message_vi: str, message_en: str, reason: str) -> None:
        super().__init__(message_vi, message_en)
        self.reason = reason
        self.problem: ZipProblem | None = None

    @classmethod
    def from_problem(cls, problem: ZipProblem) -> UnsafeZipError:
        """The error of a problem, with a plain sentence in both languages (the default factory)."""
        vi, en = _messages(problem)
        err = cls(vi, en, problem.reason)
        err.problem = problem
        return err


def _messages(p: ZipProblem) -> tuple[str, str]:
    name = p.member
    match p.reason:
        case "not_zip":
            return (
                "Tệp không phải tệp nén zip hợp lệ (có thể bị hỏng hoặc chép dở).",
                "The file is not a valid zip file (it may be damaged or incompletely copied).",
            )
        case "too_many_members":
            return (
                f"Tệp nén có quá nhiều thành phần ({p.value} > {p.limit}).",
                f"The zip has too many members ({p.value} > {p.limit}).",
            )
        case "bad_name":
            return (
                f"Tệp nén chứa đường dẫn không an toàn: {name!r}.",
                f"The zip holds an unsafe path: {name!r}.",
            )
        case "duplicate_name":
            return (
                f"Tệp nén có hai thành phần cùng tên: {name!r}.",
                f"The zip holds two members named {name!r}.",
            )
        case "encrypted":
            return f"Thành phần {name!r} bị mã hoá.", f"Member {name!r} is encrypted."
        case "symlink":
            return f"Thành phần {name!r} là liên kết tượng trưng.", f"Member {name!r} is a symlink."
        case "unsupported_compression":
            return (
                f"Thành phần {name!r} dùng kiểu nén không hỗ trợ.",
                f"Member {name!r} uses an unsupported compression method.",
            )
        case "member_too_large":
            return (
                f"Thành phần {name!r} lớn hơn giới hạn {p.limit} byte.",
                f"Member {name!r} is larger than the {p.limit}-byte limit.",
            )
        case "too_large":
            return (
                f"Tổng dung lượng giải nén vượt giới hạn {p.limit} byte.",
                f"The total unpacked size is over the {p.limit}-byte limit.",
            )
        case "zip_bomb":
            return (
                f"Thành phần {name!r} nở ra quá nhiều lần khi giải nén (nghi là bom zip).",
                f"Member {name!r} expands far too much when unpacked (a suspected zip bomb).",
            )
        case "overlap":
            return (
                "Các thành phần trong tệp nén chồng lên nhau hoặc vượt ra ngoài tệp (tệp hỏng hoặc bom zip).",
                "The zip's members overlap or reach past the end (a damaged file or a zip bomb).",
            )
        case "missing_member":
            return f"Tệp nén thiếu thành phần {name!r}.", f"The zip has no member {name!r}."
        case "damaged" if p.detail == "crc":
            return f"Thành phần {name!r} bị hỏng.", f"Member {name!r} is damaged."
        case "damaged":
            return (
                f"Thành phần {name!r} bị hỏng (kích thước sai).",
                f"Member {name!r} is damaged (wrong size).",
            )
    return f"Tệp nén không an toàn ({p.reason}).", f"The zip is unsafe ({p.reason})."  # pragma: no cover


def member_name_problem(name: str) -> str | None:
    """Why a member name is unsafe (an English clause), or None when it is a safe relative path."""
    if not name or "\x00" in name:
        return "empty name or NUL character"
    if name.startswith(("/", "\\")) or (len(name) >= 2 and name[1] == ":"):
        return "absolute path"
    if any(part == ".." for part in re.split(r"[\\/]", name)):
        return "'..' in the path"
    return None


class SafeZip:
    """A zip opened for reading after every check of the module docstring passed.

    Args:
        source: the zip file (a path), its bytes, or an open binary file.
        limits: the size limits (defaults are generous for a backup, tight enough for a bomb).
        error: makes the exception raised for a :class:`ZipProblem` (default :class:`UnsafeZipError`).

    Raises:
        Whatever ``error`` makes: not a zip, a check failed, later a member missing or damaged.
    """

    def __init__(
        self,
        source: ZipSource,
        limits: ZipLimits | None = None,
        *,
        error: ErrorFactory = UnsafeZipError.from_problem,
    ) -> None:
        self.path: Path | None = Path(source) if isinstance(source, (str, Path)) else None
        self.limits = limits or ZipLimits()
        self._error = error
        data: Any = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
        try:
            self._zf = zipfile.ZipFile(data)
        except FileNotFoundError as exc:
            raise self._refuse("not_zip", detail="not_found") from exc
        except IsADirectoryError as exc:
            raise self._refuse("not_zip", detail="is_dir") from exc
        except _OPEN_ERRORS as exc:
            raise self._refuse("not_zip") from exc
        try:
            self._infos = self._check_directory()
        except BaseException:
            self._zf.close()
            raise

    def _refuse(self, reason: str, member: str = "", **details: Any) -> Exception:
        return self._error(ZipProblem(reason, member, **details))

    # -- context manager ----------------------------------------------------------------------------
    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()

    # -- the checks ---------------------------------------------------------------------------------
    def _check_directory(self) -> dict[str, zipfile.ZipInfo]:
        limits = self.limits
        infos = self._zf.infolist()
        if len(infos) > limits.max_members:
            raise self._refuse("too_many_members", value=len(infos), limit=limits.max_members)
        by_name: dict[str, zipfile.ZipInfo] = {}
        folded: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            why = member_name_problem(name)
            if why is None and len(name) > limits.max_name_length:
                why = "name too long"
            if why is not None:
                raise self._refuse("bad_name", name, detail=why)
            if name.lower() in folded:
                raise self._refuse("duplicate_name", name)
            folded.add(name.lower())
            if stat.S_ISLNK((info.external_attr >> 16) & 0xFFFF):
                raise self._refuse("symlink", name)
            if info.flag_bits & 0x1:
                raise self._refuse("encrypted", name)
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise self._refuse("unsupported_compression", name)
            if info.file_size > limits.max_member_size:
                raise self._refuse(
                    "member_too_large", name, value=info.file_size, limit=limits.max_member_size
                )
            if info.file_size > limits.ratio_floor and (
                info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio
            ):
                raise self._refuse("zip_bomb", name)
            total += info.file_size
            by_name[name] = info
        if total > limits.max_total_size:
            raise self._refuse("too_large", value=total, limit=limits.max_total_size)
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
                raise self._refuse("overlap")

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
            raise self._refuse("missing_member", name) from None

    def total_size(self) -> int:
        """The declared unpacked size of all members (already checked against the limits)."""
        return sum(i.file_size for i in self._infos.values())

    def iter_chunks(self, name: str, on_bytes: Callable[[int], None] | None = None) -> Iterator[bytes]:
        """The unpacked bytes of a member in chunks, counted against its declared size and CRC-checked.

        Raises:
            The ``error`` of ``missing_member``, or of ``damaged`` (CRC, deflate data, truncated, longer
            than declared).
        """
        info = self.info(name)
        produced = 0
        overlong = False
        try:
            with self._zf.open(info) as member:
                while chunk := member.read(CHUNK):
                    produced += len(chunk)
                    if produced > info.file_size:
                        overlong = True
                        break
                    if on_bytes is not None:
                        on_bytes(len(chunk))
                    yield chunk
        except _READ_ERRORS as exc:
            raise self._refuse("damaged", name, detail="crc") from exc
        if overlong:
            raise self._refuse("damaged", name, detail="overlong")
        if produced != info.file_size:
            raise self._refuse("damaged", name, detail="truncated")

    def read(self, name: str, limit: int | None = None) -> bytes:
        """A member's bytes (for small members such as manifest.json).

        Args:
            name: the member.
            limit: refuse members declared larger than this.
        """
        info = self.info(name)
        if limit is not None and info.file_size > limit:
            raise self._refuse(
                "member_too_large", name, detail="read_limit", value=info.file_size, limit=limit
            )
        return b"".join(self.iter_chunks(name))

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


def read_zip_safely(
    source: ZipSource,
    *,
    max_member_bytes: int,
    max_total_bytes: int,
    max_members: int,
) -> dict[str, bytes]:
    """Every file member of a zip, in memory, after checking it is safe.

    Every check of :class:`SafeZip` runs before any member is decompressed (the ratio and name-length
    limits keep their :class:`ZipLimits` defaults); each member is then read in chunks counted against
    its declared size, so a zip bomb costs at most one chunk more than ``max_member_bytes`` of memory.
    Directory entries are skipped. Nothing is written to disk.

    Raises:
        UnsafeZipError: not a zip, or any check failed (see :attr:`UnsafeZipError.reason`).
    """
    limits = ZipLimits(
        max_members=max_members, max_member_size=max_member_bytes, max_total_size=max_total_bytes
    )
    with SafeZip(source, limits) as zf:
        return {name: zf.read(name) for name in zf.names()}
