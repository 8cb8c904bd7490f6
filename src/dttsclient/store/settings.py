"""Settings (key → JSON value), the device id and the profile fields."""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

from dttsclient.store._base import Database, Part, dumps, guarded
from dttsclient.store.errors import ForbiddenSetting
from dttsclient.store.models import PROFILE_FIELDS, Profile
from dttsclient.store.setting_keys import DEVICE_ID as DEVICE_ID_KEY
from dttsclient.store.setting_keys import PROFILE_PREFIX, is_secret_key


def check_setting_key(key: str) -> None:
    """Refuse keys that would store a secret.

    Raises:
        ForbiddenSetting: the key contains "password", "token", "secret" (or a close relative).
        ValueError: the key is empty or not a string (a bug).
    """
    if not isinstance(key, str) or not key:
        raise ValueError(f"bad setting key {key!r}")
    if is_secret_key(key):
        raise ForbiddenSetting(key)


class Settings(Part):
    """``store.settings``: settings, the device id and the profile fields."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self._device_id: str | None = None

    @guarded
    def get_setting(self, key: str, default: Any = None) -> Any:
        """The JSON value stored under ``key``, or ``default``."""
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    @guarded
    def set_setting(self, key: str, value: Any) -> None:
        """Store a JSON-able value under ``key`` (None deletes the key). One transaction.

        Raises:
            ForbiddenSetting: the key names a password, token or secret.
        """
        check_setting_key(key)
        with self._tx() as conn:
            self._put_setting(conn, key, value)

    @staticmethod
    def _put_setting(conn: sqlite3.Connection, key: str, value: Any) -> None:
        if value is None:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        else:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, dumps(value)),
            )

    @guarded
    def _ensure_device_id(self) -> str:
        with self._tx() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
                (DEVICE_ID_KEY, dumps(str(uuid.uuid4()))),
            )
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (DEVICE_ID_KEY,)).fetchone()
        self._device_id = json.loads(row[0])
        return self._device_id

    @property
    def device_id(self) -> str:
        """A uuid4 string made once per profile (``X-Device-Id`` of docs/sync-protocol.md)."""
        if self._device_id is None:
            return self._ensure_device_id()
        return self._device_id

    @guarded
    def profile(self) -> Profile:
        """The profile fields (unit, unit_name, unit_list, username, server_url, server_id, lang)."""
        rows = self._conn.execute("SELECT key, value FROM settings WHERE key LIKE 'profile.%'").fetchall()
        stored = {key[len(PROFILE_PREFIX) :]: json.loads(value) for key, value in rows}
        return Profile(**{f: stored.get(f) for f in PROFILE_FIELDS})

    @guarded
    def set_profile(self, **fields: Any) -> None:
        """Set some profile fields in one transaction; a None value clears the field.

        Raises:
            TypeError: an unknown field name (there is no field for passwords or tokens).
        """
        unknown = sorted(set(fields) - set(PROFILE_FIELDS))
        if unknown:
            raise TypeError(f"unknown profile field(s): {', '.join(unknown)}")
        with self._tx() as conn:
            for name, value in fields.items():
                self._put_setting(conn, PROFILE_PREFIX + name, value)
