"""A keyring backend kept in one JSON file, for the benchmarks' child ``dttsclient`` processes.

The child selects it with ``PYTHON_KEYRING_BACKEND=filekeyring.FileKeyring`` (``benchmarks/`` on
``PYTHONPATH``) and finds the file in ``$DTTS_BENCH_KEYRING_FILE``; the parent writes the tokens of a real
login into the same file, so the child starts signed in without a password prompt. Benchmarks only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors
from keyring.compat import properties

ENV_FILE = "DTTS_BENCH_KEYRING_FILE"


class FileKeyring(keyring.backend.KeyringBackend):
    """Passwords in ``$DTTS_BENCH_KEYRING_FILE`` as {"service\\tuser": password}."""

    @properties.classproperty
    def priority(cls) -> float:
        if not os.environ.get(ENV_FILE):
            raise RuntimeError(f"${ENV_FILE} is not set")  # not viable: keyring's detection skips it
        return 1

    def __init__(self, path: str | Path | None = None) -> None:
        super().__init__()
        self.path = Path(path or os.environ.get(ENV_FILE) or "keyring.json")

    def _read(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _write(self, data: dict[str, str]) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}\t{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._read()
        data[f"{service}\t{username}"] = password
        self._write(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._read()
        if data.pop(f"{service}\t{username}", None) is None:
            raise keyring.errors.PasswordDeleteError(username)
        self._write(data)
