"""Where the device token and the refresh token live: the OS keyring, or memory for this session.

Tokens are never written to SQLite, settings, logs or backups. :class:`KeyringCredentials` keeps them in
the operating system's password store through :mod:`keyring` (service ``"dttsclient"``, username
``"<profile_id>:<username>"``, the value a small JSON object). When the system has no usable keyring
backend (:func:`keyring_status`), the caller uses :class:`MemoryCredentials` and asks for the password
each session, telling the officer why (:class:`~dttsclient.sync.errors.NoKeyring`) — never a file.
"""

from __future__ import annotations

import json
import logging
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import chainer, fail

from dttsclient.sync.errors import NoKeyring

logger = logging.getLogger(__name__)

SERVICE = "dttsclient"


@dataclass(frozen=True)
class Tokens:
    """The device's sign-in: the access (device) token and the refresh token."""

    access_token: str
    refresh_token: str | None = None

    def __repr__(self) -> str:  # never show a token in a log or a traceback
        return "Tokens(access_token=***, refresh_token=%s)" % ("***" if self.refresh_token else "None")


def account_key(profile_id: str, username: str) -> str:
    """The keyring username of a profile's account."""
    return f"{profile_id}:{username}"


class CredentialStore(ABC):
    """Keeps the tokens of (profile, username).

    Attributes:
        persistent: True when the tokens survive a restart of the program.
    """

    persistent: bool = False

    @abstractmethod
    def load(self, profile_id: str, username: str) -> Tokens | None:
        """The stored tokens, or None."""

    @abstractmethod
    def save(self, profile_id: str, username: str, tokens: Tokens) -> None:
        """Store (replace) the tokens."""

    @abstractmethod
    def delete(self, profile_id: str, username: str) -> None:
        """Forget the tokens (no error when there are none)."""


class MemoryCredentials(CredentialStore):
    """Tokens held in memory only: for tests and for systems without a keyring (ask each session).

    Args:
        reason: why memory is used (a NoKeyring error whose sentence the UI can show), if it is a fallback.
    """

    persistent = False

    def __init__(self, reason: NoKeyring | None = None) -> None:
        self.reason = reason
        self._tokens: dict[str, Tokens] = {}
        self._lock = threading.Lock()

    def load(self, profile_id: str, username: str) -> Tokens | None:
        with self._lock:
            return self._tokens.get(account_key(profile_id, username))

    def save(self, profile_id: str, username: str, tokens: Tokens) -> None:
        with self._lock:
            self._tokens[account_key(profile_id, username)] = tokens

    def delete(self, profile_id: str, username: str) -> None:
        with self._lock:
            self._tokens.pop(account_key(profile_id, username), None)


class KeyringCredentials(CredentialStore):
    """Tokens in the OS keyring.

    Args:
        backend: the keyring backend to use; ``None`` uses the one keyring selected
            (``keyring.get_keyring()``, which ``keyring.set_keyring`` changes).
    """

    persistent = True

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> keyring.backend.KeyringBackend:
        return self._backend or keyring.get_keyring()

    def load(self, profile_id: str, username: str) -> Tokens | None:
        try:
            raw = self.backend.get_password(SERVICE, account_key(profile_id, username))
        except keyring.errors.KeyringError as exc:
            logger.warning("keyring read failed: %s", type(exc).__name__)
            return None
        if not raw:
            return None
        try:
            data = json.loads(raw)
            return Tokens(str(data["access_token"]), data.get("refresh_token"))
        except (ValueError, KeyError, TypeError):
            logger.warning("keyring entry for this profile is unreadable; ignoring it")
            return None

    def save(self, profile_id: str, username: str, tokens: Tokens) -> None:
        raw = json.dumps({"access_token": tokens.access_token, "refresh_token": tokens.refresh_token})
        try:
            self.backend.set_password(SERVICE, account_key(profile_id, username), raw)
        except keyring.errors.KeyringError as exc:
            raise NoKeyring(type(exc).__name__) from exc

    def delete(self, profile_id: str, username: str) -> None:
        try:
            self.backend.delete_password(SERVICE, account_key(profile_id, username))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            logger.warning("keyring delete failed: %s", type(exc).__name__)


@dataclass(frozen=True)
class KeyringStatus:
    """Whether a usable keyring backend exists, its name, and why not."""

    available: bool
    backend: str
    reason: NoKeyring | None = None


def keyring_status(backend: keyring.backend.KeyringBackend | None = None) -> KeyringStatus:
    """Tell whether the OS keyring can keep the tokens.

    "No backend" is keyring's fail backend, the null backend, or a chainer with no backend to chain.
    """
    kr = backend or keyring.get_keyring()
    name = f"{type(kr).__module__}.{type(kr).__name__}"
    unusable = isinstance(kr, fail.Keyring) or type(kr).__module__ == "keyring.backends.null"
    if isinstance(kr, chainer.ChainerBackend) and not kr.backends:
        unusable = True
    if unusable:
        return KeyringStatus(False, name, NoKeyring(f"no keyring backend ({name})"))
    return KeyringStatus(True, name)


def default_credentials() -> CredentialStore:
    """The keyring when there is one; otherwise memory, with the reason the UI should show."""
    status = keyring_status()
    if status.available:
        return KeyringCredentials()
    logger.warning("no keyring backend (%s): tokens kept in memory for this session", status.backend)
    return MemoryCredentials(reason=status.reason)
