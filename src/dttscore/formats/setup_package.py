"""Setup packages (``*.dttssetup``): reading and verifying them.

A setup package lets an officer set up a PC that has never been online (docs/journeys.md, journey 1b). It is a
zip made by the hub (``dttshub setup-package``) holding:

=================  ======================================================================================
``catalog.json``   the current catalogue (``catalog_to_json``)
``account.json``   ``{username, role, unit, unit_list, units, unit_details}`` (names from communes_2025)
``server.json``    ``{server_url, server_id, environment, signing_key, api_version}``
``manifest.json``  ``{format: "dttssetup", format_version: 1, created_at, signing_key, members: {name:
                   sha256}}``
``signature``      base64 of the Ed25519 signature of the exact bytes of ``manifest.json``
=================  ======================================================================================

:func:`read_setup_package` checks everything before returning anything: safe member names and sizes
(the core's one safe zip reader, :func:`dttscore.formats.safezip.read_zip_safely`, importable from here
too with :class:`~dttscore.formats.safezip.UnsafeZipError`), every member listed in the manifest with the
right SHA-256, nothing unlisted, and the signature. The signing key is the hub's public key (also given
by ``GET /ping``); pass ``trusted_keys`` to accept only keys the client already pinned. This module is Qt-free and does not import ``dttshub``: the client
never depends on the hub.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from dttscore.catalog import catalog_from_json
from dttscore.errors import CatalogError, DttsError
from dttscore.formats.safezip import UnsafeZipError, member_name_problem, read_zip_safely
from dttscore.model import Catalog

logger = logging.getLogger(__name__)

FORMAT = "dttssetup"
FORMAT_VERSION = 1
MEMBERS = ("catalog.json", "account.json", "server.json")
MANIFEST = "manifest.json"
SIGNATURE = "signature"
MAX_MEMBER_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 16


class SetupPackageError(DttsError):
    """A setup package cannot be used: damaged, altered, unsigned, from an untrusted hub, unsafe.

    Attributes:
        reason: a machine code (``unsafe``, ``missing_member``, ``unlisted_member``, ``bad_manifest``,
            ``hash_mismatch``, ``bad_signature``, ``untrusted_key``, ``bad_json``, ``bad_catalog``).
    """

    def __init__(self, message_vi: str, message_en: str, reason: str) -> None:
        super().__init__(message_vi, message_en)
        self.reason = reason


@dataclass(frozen=True)
class SetupPackage:
    """The verified content of a setup package."""

    catalog: Catalog
    catalog_json: dict
    account: dict
    server: dict
    manifest: dict
    signing_key: str

    @property
    def server_url(self) -> str:
        return str(self.server.get("server_url") or "")

    @property
    def server_id(self) -> str:
        return str(self.server.get("server_id") or "")

    @property
    def username(self) -> str:
        return str(self.account.get("username") or "")

    @property
    def unit(self) -> str:
        return str(self.account.get("unit") or "")

    @property
    def created_at(self) -> str:
        return str(self.manifest.get("created_at") or "")


def check_member_name(name: str) -> bool:
    """True when a zip member name is a safe relative path (no ``..``, not absolute, no drive, no NUL)."""
    return member_name_problem(name) is None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fail(reason: str, vi: str, en: str) -> SetupPackageError:
    return SetupPackageError(
        f"Gói cài đặt không dùng được: {vi} Hãy xin cán bộ tỉnh một gói mới.",
        f"The setup package cannot be used: {en} Ask the province staff for a new package.",
        reason,
    )


def _json(members: dict[str, bytes], name: str) -> Any:
    try:
        return json.loads(members[name].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _fail("bad_json", f"{name} không phải JSON hợp lệ.", f"{name} is not valid JSON.") from exc


def decode_public_key(key_b64: str) -> bytes:
    """The 32 raw bytes of a base64 Ed25519 public key.

    Raises:
        SetupPackageError: not base64 of 32 bytes.
    """
    try:
        raw = base64.b64decode(key_b64, validate=True)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise _fail("bad_signature", "khoá ký không hợp lệ.", "the signing key is not valid.") from exc
    if len(raw) != 32:
        raise _fail("bad_signature", "khoá ký không hợp lệ.", "the signing key is not valid.")
    return raw


def key_fingerprint(key_b64: str) -> str:
    """A hub key's fingerprint to compare over the phone: 16 digits in four groups (``4821-0937-5516-2048``).

    The first 64 bits of the SHA-256 of the raw key, in decimal. ``dttshub setup-package`` prints it, the
    client shows it after ``setup import`` and in About, so an officer can check with the province that
    a setup package came from the province's hub.

    Raises:
        SetupPackageError: not a base64 Ed25519 public key.
    """
    digest = hashlib.sha256(decode_public_key(key_b64)).digest()
    digits = f"{int.from_bytes(digest[:8], 'big') % 10**16:016d}"
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def parse_trusted_keys(text: str, source: str) -> list[str]:
    """The keys of a trusted-keys file: one base64 key per line; ``#`` starts a comment.

    Anything after the key on its line (a fingerprint, a name) is ignored.

    Raises:
        SetupPackageError: a line that is not a key (``bad_trusted_keys``, naming the file and line), or
            a file with no key at all.
    """
    keys: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        try:
            decode_public_key(words[0])
        except SetupPackageError as exc:
            raise _bad_trusted_keys(
                source,
                f"dòng {number} không phải khoá máy chủ hợp lệ.",
                f"line {number} is not a valid server key.",
            ) from exc
        keys.append(words[0])
    if not keys:
        raise _bad_trusted_keys(source, "tệp không có khoá máy chủ nào.", "the file holds no server key.")
    return keys


def _bad_trusted_keys(source: str, vi: str, en: str) -> SetupPackageError:
    return SetupPackageError(
        f"Tệp khoá máy chủ tin cậy {source} bị hỏng: {vi} Hãy báo cán bộ tin học của tỉnh cài lại tệp này.",
        f"The trusted server keys file {source} is damaged: {en} Ask the province IT staff to reinstall it.",
        "bad_trusted_keys",
    )


def verify_signature(key_b64: str, message: bytes, signature_b64: bytes | str) -> bool:
    """True when ``signature_b64`` is a valid Ed25519 signature of ``message`` by ``key_b64``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        sig = base64.b64decode(signature_b64.strip(), validate=True)
        Ed25519PublicKey.from_public_bytes(decode_public_key(key_b64)).verify(sig, message)
    except (InvalidSignature, binascii.Error, ValueError, SetupPackageError):
        return False
    return True


def read_setup_package(
    path: str | Path | bytes | BinaryIO, trusted_keys: Iterable[str] | None = None
) -> SetupPackage:
    """Read and verify a setup package.

    Args:
        path: the ``.dttssetup`` file (or its bytes).
        trusted_keys: base64 Ed25519 public keys the caller trusts (e.g. the key pinned at the first
            ``ping``); None accepts the key the package names, after checking the package is signed by it.

    Returns:
        The verified package, with its catalogue parsed.

    Raises:
        SetupPackageError: anything wrong; nothing is returned from a package that fails any check.
    """
    try:
        members = read_zip_safely(
            path, max_member_bytes=MAX_MEMBER_BYTES, max_total_bytes=MAX_TOTAL_BYTES, max_members=MAX_MEMBERS
        )
    except UnsafeZipError as exc:
        raise SetupPackageError(exc.message_vi, exc.message_en, "unsafe") from exc
    except OSError as exc:
        raise SetupPackageError(
            f"Không đọc được tệp gói cài đặt: {exc}", f"Cannot read the setup package file: {exc}", "unsafe"
        ) from exc
    for name in (MANIFEST, SIGNATURE, *MEMBERS):
        if name not in members:
            raise _fail("missing_member", f"thiếu thành phần {name}.", f"the member {name} is missing.")
    manifest = _json(members, MANIFEST)
    listed = manifest.get("members") if isinstance(manifest, dict) else None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(listed, dict)
        or not all(isinstance(v, str) for v in listed.values())
    ):
        raise _fail("bad_manifest", "tệp manifest.json không đúng định dạng.", "manifest.json is malformed.")
    version = manifest.get("format_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail("bad_manifest", "tệp manifest.json không đúng định dạng.", "manifest.json is malformed.")
    if version > FORMAT_VERSION:
        raise _fail(
            "bad_manifest",
            "gói được tạo bởi phiên bản máy chủ mới hơn; hãy cập nhật phần mềm.",
            "the package was made by a newer hub; update the software.",
        )
    for name in members:
        if name not in (MANIFEST, SIGNATURE) and name not in listed:
            raise _fail("unlisted_member", f"thành phần lạ {name!r}.", f"unexpected member {name!r}.")
    for name in MEMBERS:
        if name not in listed:
            raise _fail("bad_manifest", f"manifest thiếu {name}.", f"the manifest does not list {name}.")
    for name, digest in listed.items():
        if name not in members:
            raise _fail("missing_member", f"thiếu thành phần {name}.", f"the member {name} is missing.")
        if sha256_hex(members[name]) != digest.lower():
            raise _fail(
                "hash_mismatch",
                f"thành phần {name} đã bị thay đổi hoặc hỏng.",
                f"the member {name} was altered or damaged.",
            )
    server = _json(members, "server.json")
    if not isinstance(server, dict) or not isinstance(server.get("signing_key"), str):
        raise _fail("bad_json", "server.json thiếu khoá ký.", "server.json has no signing key.")
    key = server["signing_key"]
    if manifest.get("signing_key") not in (None, key):
        raise _fail("bad_manifest", "khoá ký không thống nhất.", "the signing keys do not agree.")
    if trusted_keys is not None and key not in set(trusted_keys):
        raise _fail(
            "untrusted_key",
            "gói không do máy chủ đã biết ký.",
            "the package is not signed by the known hub.",
        )
    decode_public_key(key)
    if not verify_signature(key, members[MANIFEST], members[SIGNATURE]):
        raise _fail(
            "bad_signature",
            "chữ ký số không đúng: gói đã bị sửa hoặc không do máy chủ tạo.",
            "the signature is wrong: the package was altered or not made by the hub.",
        )
    account = _json(members, "account.json")
    catalog_json = _json(members, "catalog.json")
    if not isinstance(account, dict) or not isinstance(catalog_json, dict):
        raise _fail("bad_json", "nội dung gói không đúng định dạng.", "the package content is malformed.")
    try:
        catalog = catalog_from_json(catalog_json, published=True)
    except CatalogError as exc:
        raise SetupPackageError(exc.message_vi, exc.message_en, "bad_catalog") from exc
    logger.info("setup package verified: %s for %s", server.get("server_id"), account.get("username"))
    return SetupPackage(catalog, catalog_json, account, server, manifest, key)
