"""The hub's Ed25519 signing key: made once, kept in a 0600 file in the hub data directory.

The key never goes into the database (a database dump can reach clients or backups); only its public
half is published (``ping``'s ``signing_key`` and every setup package), base64 of the 32 raw bytes.
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dttshub.errors import ConfigError

logger = logging.getLogger(__name__)


class Signer:
    """Signs with the hub's private key.

    Args:
        private_key: the Ed25519 private key.
        path: the key file it came from.
    """

    def __init__(self, private_key: Ed25519PrivateKey, path: Path) -> None:
        self._key = private_key
        self.path = path
        raw = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.public_key_b64 = base64.b64encode(raw).decode("ascii")

    @classmethod
    def load_or_create(cls, path: Path) -> Signer:
        """Load the key file, creating it (0600, atomically) when it does not exist.

        Raises:
            ConfigError: the file exists but is not an Ed25519 private key, or cannot be written.
        """
        path = Path(path)
        if not path.exists():
            _create(path)
        _tighten(path)
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError, OSError) as exc:
            raise ConfigError(
                "bad_key_file",
                f"Không đọc được khoá ký của máy chủ ({path}).",
                f"Cannot read the hub's signing key ({path}).",
            ) from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigError(
                "bad_key_file",
                f"Tệp {path} không phải khoá Ed25519.",
                f"The file {path} is not an Ed25519 key.",
            )
        return cls(key, path)

    def sign(self, data: bytes) -> bytes:
        """The raw 64-byte signature of ``data``."""
        return self._key.sign(data)

    def sign_b64(self, data: bytes) -> str:
        return base64.b64encode(self.sign(data)).decode("ascii")


def _create(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)  # fails if another process made the key first: keep theirs
                logger.info("new hub signing key written to %s", path)
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise ConfigError(
            "key_file_write",
            f"Không tạo được khoá ký của máy chủ tại {path}: {exc}",
            f"Cannot create the hub's signing key at {path}: {exc}",
        ) from exc


def _tighten(path: Path) -> None:
    if os.name != "posix":
        return
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        logger.warning("signing key %s had mode %o; setting 0600", path, mode)
        os.chmod(path, 0o600)
