"""Several officers on one PC: one profile folder each under the profiles root, and a picker at start.

A profile is a folder holding ``profile.sqlite`` (its own device id, hence its own keyring entry). The
profiles root comes from the run's :class:`~dttsclient.appdirs.AppDirs` (``…/DTTSClient/profiles``). Leaving a
profile — logging out, switching, changing the server — is refused while its outbox holds unsent work,
unless a courier bundle or a backup was exported after that work was finalized (the USB layer records
the time in the setting ``usb.last_export_at``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dttsclient.store import Store, StoreError, setting_keys
from dttsclient.store.db import DB_FILENAME
from dttscore.labels import parse_time

logger = logging.getLogger(__name__)

UNSENT_STATES = ("queued", "sending", "needs_attention")
LAST_EXPORT_KEY = setting_keys.LAST_EXPORT

_NAME = re.compile(r"[^\w\-]+", re.UNICODE)


APP_MADE_NAMES = ("default", "profile")


@dataclass(frozen=True)
class ProfileInfo:
    """What the picker shows about one profile.

    Attributes:
        path: the profile folder.
        name: the folder name.
        unit / unit_name / username / server_url: from the profile, when set.
        unsent: submissions not yet on the hub.
    """

    path: Path
    name: str
    unit: str | None = None
    unit_name: str | None = None
    username: str | None = None
    server_url: str | None = None
    unsent: int = 0

    def label(self) -> str:
        who = self.username or "—"
        where = f"{self.unit_name} ({self.unit})" if self.unit_name else (self.unit or "")
        text = f"{who} — {where}" if where else who
        # "default" and "profile" are folder names the app made, not names a person gave.
        return text if self.name in APP_MADE_NAMES else f"{self.name}: {text}"


def is_profile(path: Path) -> bool:
    return (path / DB_FILENAME).is_file()


def read_profile(path: Path) -> ProfileInfo:
    """Open a profile just long enough to read who it belongs to.

    Raises:
        StoreError: the profile cannot be opened (locked, damaged …).
    """
    with Store.open(path) as store:
        p = store.settings.profile()
        return ProfileInfo(
            path=path,
            name=path.name,
            unit=p.unit,
            unit_name=p.unit_name,
            username=p.username,
            server_url=p.server_url,
            unsent=unsent_count(store),
        )


def list_profiles(root: Path) -> list[ProfileInfo]:
    """Every readable profile under ``root``, by folder name (damaged ones are logged and skipped)."""
    out: list[ProfileInfo] = []
    if not root.is_dir():
        return out
    for path in sorted(p for p in root.iterdir() if p.is_dir() and is_profile(p)):
        try:
            out.append(read_profile(path))
        except StoreError as exc:
            logger.warning("profile %s cannot be read: %s", path, exc.text("en"))
    return out


def new_profile_dir(root: Path, name: str) -> Path:
    """A fresh folder name under ``root`` for a profile called ``name`` (never an existing one)."""
    base = _NAME.sub("-", name.strip()).strip("-").lower() or "profile"
    candidate = root / base
    n = 1
    while candidate.exists():
        n += 1
        candidate = root / f"{base}-{n}"
    return candidate


def unsent_count(store: Store) -> int:
    counts = store.outbox.counts()
    return sum(counts.get(s, 0) for s in UNSENT_STATES)


@dataclass(frozen=True)
class LeaveCheck:
    """Whether the officer may leave the profile (log out, switch, change server).

    Attributes:
        allowed: True when nothing is unsent, or it was all exported to USB after being finalized.
        unsent: the number of unsent submissions.
        exported_at: the last courier/backup export, if any.
    """

    allowed: bool
    unsent: int
    exported_at: datetime | None = None


def leave_check(store: Store) -> LeaveCheck:
    """May the officer leave this profile now? See the module docstring."""
    items = store.outbox.items(UNSENT_STATES)
    exported = parse_time(store.settings.get_setting(LAST_EXPORT_KEY))
    if not items:
        return LeaveCheck(True, 0, exported)
    made = [t for t in (parse_time(i.created_at) for i in items) if t is not None]
    allowed = exported is not None and bool(made) and exported >= max(made)
    return LeaveCheck(allowed, len(items), exported)


class ProfilePicker(QDialog):
    """Choose the profile to open, or make a new one.

    Args:
        profiles: the existing profiles.
        root: where a new profile folder goes.
        parent: the owning window.
    """

    def __init__(self, profiles: list[ProfileInfo], root: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Chọn hồ sơ"))
        self._root = root
        self.chosen: Path | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("Máy này có nhiều hồ sơ (mỗi cán bộ một hồ sơ). Hãy chọn hồ sơ của mình rồi bấm «Mở».")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        for info in profiles:
            text = info.label()
            if info.unsent:
                text += "  " + self.tr("(%1 báo cáo chưa gửi)").replace("%1", str(info.unsent))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            self.list.addItem(item)
        if profiles:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self._open())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox()
        open_button = buttons.addButton(self.tr("Mở"), QDialogButtonBox.ButtonRole.AcceptRole)
        open_button.setDefault(True)
        new_button = buttons.addButton(self.tr("Hồ sơ mới…"), QDialogButtonBox.ButtonRole.ActionRole)
        # at start-up closing the picker ends the app; from the window it only goes back to it
        buttons.addButton(
            self.tr("Huỷ") if parent is not None else self.tr("Thoát"), QDialogButtonBox.ButtonRole.RejectRole
        )
        open_button.clicked.connect(self._open)
        new_button.clicked.connect(self._new)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 320)

    def _open(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen = Path(item.data(Qt.ItemDataRole.UserRole))
            self.accept()

    def _new(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Hồ sơ mới"), self.tr("Tên hồ sơ (ví dụ: tên cán bộ):"))
        if ok and name.strip():
            self.chosen = new_profile_dir(self._root, name)
            self.accept()

    @classmethod
    def ask(cls, profiles: list[ProfileInfo], root: Path, parent: QWidget | None = None) -> Path | None:
        """The chosen (or new) profile folder, or None when the officer closed the picker."""
        dialog = cls(profiles, root, parent)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None
