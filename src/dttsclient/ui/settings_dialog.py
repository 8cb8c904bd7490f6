"""Settings: declared once in ``dttsclient.store.setting_keys``; loaded from and saved to the profile here.

Business settings live in the profile's SQLite database (``store.settings.get_setting``/``set_setting``, or a
profile field for the language and the server address); ``QSettings`` holds only window geometry.

=============================  ======  =======  ===============================================
key                            type    default  meaning
=============================  ======  =======  ===============================================
``profile.lang``               str     "vi"     interface language (a profile field)
``profile.server_url``         str     ""       the hub's address (a profile field)
``sync.ca_bundle``            path    ""       the province's CA certificate file (PEM)
``backup.folder``              path    ""       folder of the automatic rotating backups
``sync.auto_when_online``      bool    False    try quietly to sync when a connection appears
=============================  ======  =======  ===============================================
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dttsclient.store import Store
from dttsclient.store.setting_keys import PROFILE_PREFIX, SETTINGS, SettingSpec, spec

logger = logging.getLogger(__name__)


def label_of(text: str) -> str:
    """The translated text of a label declared with ``QT_TRANSLATE_NOOP("Settings", …)``."""
    return QCoreApplication.translate("Settings", text)


def _coerce(s: SettingSpec, value: Any) -> Any:
    if s.type == "bool":
        return bool(value)
    text = "" if value is None else str(value).strip()
    if s.type == "choice" and text not in {c for c, _ in s.choices}:
        return s.default
    return text


def load_setting(store: Store, key: str) -> Any:
    """The stored value of one declared setting, or its default."""
    s = spec(key)
    if key.startswith(PROFILE_PREFIX):
        value = getattr(store.settings.profile(), key[len(PROFILE_PREFIX) :])
    else:
        value = store.settings.get_setting(key)
    return s.default if value is None or value == "" else _coerce(s, value)


def load_settings(store: Store) -> dict[str, Any]:
    """Every declared setting's value (defaults filled in)."""
    return {s.key: load_setting(store, s.key) for s in SETTINGS}


def save_settings(store: Store, values: dict[str, Any]) -> list[str]:
    """Store the values that differ from what is stored.

    Args:
        store: the profile's store.
        values: key → value for some declared settings (unknown keys raise ``KeyError``).

    Returns:
        The keys that changed.
    """
    current = load_settings(store)
    changed: list[str] = []
    profile_fields: dict[str, Any] = {}
    for key, raw in values.items():
        s = spec(key)
        value = _coerce(s, raw)
        if value == current[key]:
            continue
        changed.append(key)
        if key.startswith(PROFILE_PREFIX):
            profile_fields[key[len(PROFILE_PREFIX) :]] = value or None
        else:
            store.settings.set_setting(key, None if value == s.default and s.type != "bool" else value)
    if profile_fields:
        store.settings.set_profile(**profile_fields)
    if changed:
        logger.info("settings changed: %s", ", ".join(changed))
    return changed


class _PathField(QWidget):
    """A line edit with a "Chọn…" button that opens a file or folder chooser."""

    def __init__(self, folder: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._folder = folder
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setClearButtonEnabled(True)
        layout.addWidget(self.edit, 1)
        button = QPushButton(self.tr("Chọn…"))
        button.clicked.connect(self._choose)
        layout.addWidget(button)

    def _choose(self) -> None:
        from dttsclient.usb.places import default_folder  # a USB stick or home, never the working directory

        start = self.edit.text() or str(default_folder())
        if self._folder:
            path = QFileDialog.getExistingDirectory(self, self.tr("Chọn thư mục"), start)
        else:
            path, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Chọn tệp chứng chỉ"),
                start,
                self.tr("Chứng chỉ (*.pem *.crt *.cer)"),
            )
        if path:
            self.edit.setText(path)


class SettingsDialog(QDialog):
    """Edit the declared settings of one profile.

    The dialog does not write anything itself: :meth:`values` returns what the officer chose and the
    caller (the main window) checks it — changing the server is refused while reports wait to be sent —
    and saves it with :func:`save_settings`.

    Args:
        values: the current values (from :func:`load_settings`).
        parent: the owning window.
    """

    def __init__(self, values: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Cài đặt"))
        self._editors: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        form = QFormLayout()
        for s in SETTINGS:
            editor = self._make_editor(s, values.get(s.key, s.default))
            self._editors[s.key] = editor
            if s.type == "bool":
                form.addRow(editor)
            else:
                form.addRow(label_of(s.label), editor)
        layout.addLayout(form)
        note = QLabel(
            self.tr(
                "Đổi ngôn ngữ: cửa sổ chính được dựng lại ngay bằng ngôn ngữ mới (không cần khởi động lại; "
                "số liệu đã nhập đều đã được lưu)."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(self.tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton(self.tr("Huỷ"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _make_editor(self, s: SettingSpec, value: Any) -> QWidget:
        if s.type == "bool":
            box = QCheckBox(label_of(s.label))
            box.setChecked(bool(value))
            return box
        if s.type == "choice":
            combo = QComboBox()
            for code, label in s.choices:
                combo.addItem(label_of(label), code)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            return combo
        if s.type in ("path", "dir"):
            field = _PathField(folder=s.type == "dir")
            field.edit.setText(str(value or ""))
            return field
        edit = QLineEdit(str(value or ""))
        edit.setPlaceholderText("https://…")
        return edit

    def editor(self, key: str) -> QWidget:
        """The editor widget of a setting (tests drive it directly)."""
        return self._editors[key]

    def values(self) -> dict[str, Any]:
        """What the dialog shows now, key → value."""
        out: dict[str, Any] = {}
        for key, editor in self._editors.items():
            if isinstance(editor, QCheckBox):
                out[key] = editor.isChecked()
            elif isinstance(editor, QComboBox):
                out[key] = editor.currentData()
            elif isinstance(editor, _PathField):
                out[key] = editor.edit.text().strip()
            else:
                out[key] = editor.text().strip()
        return out

    @classmethod
    def ask(cls, values: dict[str, Any], parent: QWidget | None = None) -> dict[str, Any] | None:
        """Show the dialog; the chosen values, or None when cancelled (tests replace this method)."""
        dialog = cls(values, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


def path_or_none(value: str) -> Path | None:
    return Path(value) if value else None
