"""Every key the profile's ``settings`` table holds, declared once; and the settings an officer edits.

The sync engine, the USB layer and the screens import their keys from here, so a key cannot be spelt two
ways. The officer-editable settings (the Cài đặt dialog) are declared with their type, default and a
translatable label. The labels are marked with :func:`QT_TRANSLATE_NOOP`, a Qt-free stand-in that Qt's
``lupdate`` reads like Qt's own (``tools/build_translations.py`` scans this file), and the dialog translates
them in context "Settings".

Keys starting with ``profile.`` are fields of the profile (``store.settings.profile()``), not rows of ``settings``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for translation in ``context``; returns it unchanged (the store never imports Qt)."""
    return text


PROFILE_PREFIX = "profile."

# Secrets live in the OS keyring only (docs/journeys.md, journey 1): a key holding one of these words is
# never stored (``store.settings.set_setting`` refuses it), never written to a backup and never merged from one.
SECRET_WORDS = ("password", "passwd", "token", "secret", "credential")


def is_secret_key(key: str) -> bool:
    """True when ``key`` looks like it would hold a secret (contains one of :data:`SECRET_WORDS`)."""
    folded = key.lower()
    return any(word in folded for word in SECRET_WORDS)


# -- the officer's settings (Cài đặt) ------------------------------------------------------------------
LANG = "profile.lang"  # interface language (a profile field)
SERVER_URL = "profile.server_url"  # the hub's address (a profile field)
CA_BUNDLE = "sync.ca_bundle"  # the province's CA certificate file (PEM)
BACKUP_FOLDER = "backup.folder"  # folder of the automatic rotating backups
AUTO_SYNC = "sync.auto_when_online"  # try quietly to sync when a connection appears

# -- kept by the app -------------------------------------------------------------------------------------
DEVICE_ID = "device_id"  # this profile's device id (set once)
ACTIVE_CATALOG = "catalog.active"  # the catalogue version new reports use
SYNC_CURSOR = "sync.cursor"  # where the last pull of the hub's change feed ended
HUB_SIGNING_KEY = "sync.hub_signing_key"  # the hub's key for setup packages, trusted on first use
HUB_GENERATION = "sync.hub_generation"  # the hub database generation last seen (a restore changes it)
BATCH_ITEMS = "sync.batch_items"  # items per upload batch (a tuning override)
BATCH_BYTES = "sync.batch_bytes"  # bytes per upload batch (a tuning override)
LAST_EXPORT = "usb.last_export_at"  # ISO time of the last courier bundle or backup export
LAST_COURIER = "usb.last_courier_at"  # ISO time of the last courier bundle export
BACKUP_LAST_AT = "backup.auto.last_at"  # ISO time of the last automatic backup
BACKUP_FINGERPRINT = "backup.auto.fingerprint"  # what the last automatic backup held


@dataclass(frozen=True)
class SettingSpec:
    """One setting the officer edits.

    Attributes:
        key: where it is stored: ``profile.<field>`` is a profile field, anything else a store setting.
        type: "str", "path", "dir", "bool" or "choice".
        default: the value when nothing is stored.
        label: the translatable label (context "Settings").
        choices: for "choice": (value, translatable label) pairs.
    """

    key: str
    type: str
    default: Any
    label: str
    choices: tuple[tuple[str, str], ...] = ()


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        LANG,
        "choice",
        "vi",
        QT_TRANSLATE_NOOP("Settings", "Ngôn ngữ giao diện"),
        (
            ("vi", QT_TRANSLATE_NOOP("Settings", "Tiếng Việt")),
            ("en", QT_TRANSLATE_NOOP("Settings", "English")),
        ),
    ),
    SettingSpec(SERVER_URL, "str", "", QT_TRANSLATE_NOOP("Settings", "Địa chỉ máy chủ")),
    SettingSpec(CA_BUNDLE, "path", "", QT_TRANSLATE_NOOP("Settings", "Tệp chứng chỉ (CA) của tỉnh")),
    SettingSpec(BACKUP_FOLDER, "dir", "", QT_TRANSLATE_NOOP("Settings", "Thư mục sao lưu tự động")),
    SettingSpec(
        AUTO_SYNC,
        "bool",
        False,
        QT_TRANSLATE_NOOP("Settings", "Tự động thử đồng bộ khi có kết nối mạng"),
    ),
)


def spec(key: str) -> SettingSpec:
    """The declaration of ``key``.

    Raises:
        KeyError: no such setting.
    """
    for s in SETTINGS:
        if s.key == key:
            return s
    raise KeyError(key)
