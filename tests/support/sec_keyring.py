"""A keyring backend for child processes that keeps the tokens in a JSON file *outside* the profile.

It stands in for the OS keyring when the security tests run ``dttsclient`` as real processes: ``login``
stores the tokens, the next ``sync`` reads them, as on an officer's PC. Selected through keyring's own
mechanism::

    env = {"PYTHON_KEYRING_BACKEND": "tests.support.sec_keyring.FileKeyring",
           "PYTHONPATH": "<the repository root>", "DTTS_TEST_KEYRING_FILE": "<tmp>/keyring.json"}

Besides the current entries, the file keeps every value ever stored (``history``), so a test knows each
token the hub issued during a journey and can look for all of them in the profile, backups and logs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import keyring.backend
import keyring.errors

ENV_FILE = "DTTS_TEST_KEYRING_FILE"


def keyring_env(path: Path) -> dict[str, str]:
    """Environment variables that make a child process use a :class:`FileKeyring` at ``path``."""
    root = str(Path(__file__).resolve().parents[2])  # the repository root, for tests.support
    pythonpath = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    return {
        "PYTHON_KEYRING_BACKEND": "tests.support.sec_keyring.FileKeyring",
        "PYTHONPATH": pythonpath,
        ENV_FILE: str(path),
    }


def read_file(path: Path) -> dict[str, Any]:
    """``{"entries": {"service\\nusername": value}, "history": [value, ...]}`` (empty when missing)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"entries": {}, "history": []}


def issued_tokens(path: Path) -> set[str]:
    """Every token string any ``dttsclient`` value in the keyring file ever held."""
    tokens: set[str] = set()
    for raw in read_file(path)["history"]:
        data = json.loads(raw)
        tokens.update(v for v in data.values() if isinstance(v, str) and v)
    return tokens


class FileKeyring(keyring.backend.KeyringBackend):
    """A real keyring backend over the JSON file named by ``$DTTS_TEST_KEYRING_FILE``."""

    priority = 1  # type: ignore[assignment]

    @property
    def path(self) -> Path:
        return Path(os.environ[ENV_FILE])

    def _write(self, data: dict[str, Any]) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return read_file(self.path)["entries"].get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = read_file(self.path)
        data["entries"][f"{service}\n{username}"] = password
        data["history"].append(password)
        self._write(data)

    def delete_password(self, service: str, username: str) -> None:
        data = read_file(self.path)
        if data["entries"].pop(f"{service}\n{username}", None) is None:
            raise keyring.errors.PasswordDeleteError(username)
        self._write(data)


__all__ = ["ENV_FILE", "FileKeyring", "issued_tokens", "keyring_env", "read_file"]
