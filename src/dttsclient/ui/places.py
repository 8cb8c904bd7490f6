"""The folder the file dialogs of the USB actions open in: the last one used, else a USB stick or home.

Every USB or file action (backup export / verify / restore, courier bundle, Excel / PDF export, Excel
import) opens its dialog in the folder the officer used last, and remembers the folder chosen.

Where it is kept: the profile's ``window.ini`` (a :class:`QSettings` file beside the window geometry),
not the profile database. A folder is a place on *this* computer (a drive letter, a mount point),
state of the user interface like the window geometry, not business data: the database travels in
backups and courier restores to other computers, where the path would mean nothing. Per profile, because
two communes' officers sharing a computer keep their own sticks and folders.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from dttsclient.usb.places import default_folder

KEY = "usb/last_folder"


class LastFolder:
    """The last folder of a profile's file dialogs.

    Args:
        data_dir: the profile folder (its ``window.ini`` holds the value).
    """

    def __init__(self, data_dir: Path | str) -> None:
        self._settings = QSettings(str(Path(data_dir) / "window.ini"), QSettings.Format.IniFormat)

    def folder(self) -> Path:
        """The last folder used while it still exists (a stick may be gone), else a USB stick or home."""
        value = self._settings.value(KEY)
        if isinstance(value, str) and value:
            path = Path(value)
            if path.is_dir():
                return path
        return default_folder()

    def start(self, name: str = "") -> str:
        """The path a dialog starts at: the folder, or ``name`` inside it (a save dialog's suggestion)."""
        folder = self.folder()
        return str(folder / name) if name else str(folder)

    def remember(self, chosen: Path | str) -> None:
        """Keep the folder of ``chosen`` (itself when it is a folder, else its parent)."""
        path = Path(chosen)
        folder = path if path.is_dir() else path.parent
        self._settings.setValue(KEY, str(folder))
        self._settings.sync()
