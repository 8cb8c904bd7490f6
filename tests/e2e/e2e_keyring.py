"""A keyring backend in one JSON file, for the end-to-end suite's processes only.

The app and the ``dttsclient`` command line it is checked with run in separate processes and must share
the device token as they do on an officer's PC; the suite's processes get
``PYTHON_KEYRING_BACKEND=e2e_keyring.FileKeyring`` and ``DTTS_E2E_KEYRING=<file>`` (see harness.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    """Secrets in ``$DTTS_E2E_KEYRING`` (a test's temporary folder), written to a temp name then renamed."""

    priority = 1

    @property
    def path(self) -> Path:
        return Path(os.environ["DTTS_E2E_KEYRING"])

    def _load(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _save(self, data: dict) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\x00{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\x00{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\x00{username}", None) is None:
            raise PasswordDeleteError(username)
        self._save(data)
