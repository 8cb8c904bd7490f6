"""An in-memory keyring backend for tests, installed through keyring's own mechanism.

Use::

    from tests.support.memkeyring import MemoryKeyring, memory_keyring

    with memory_keyring() as kr:       # keyring.set_keyring(MemoryKeyring()), restored afterwards
        ...

or the ``keyring_backend`` pytest fixture of ``tests/sync/conftest.py``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import keyring
import keyring.backend
import keyring.errors


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A real :class:`keyring.backend.KeyringBackend` that keeps passwords in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(username) from None


@contextlib.contextmanager
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Select a fresh :class:`MemoryKeyring` with ``keyring.set_keyring`` and restore the old one after."""
    previous = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    try:
        yield kr
    finally:
        keyring.set_keyring(previous)
