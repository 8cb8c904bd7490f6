"""About: the app version, the catalogue in use (version, legal basis, effective date) and the data folder."""

from __future__ import annotations

import html
import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from dttsclient import __version__
from dttscore.model import Catalog


class AboutDialog(QDialog):
    """Versions and places, in words an officer can read to the support staff on the phone.

    Args:
        catalog: the catalogue in use, or None before one is loaded.
        data_dir: the profile's folder.
        server: the server address and environment name shown in the banner, if any.
        parent: the owning window.
    """

    def __init__(
        self, catalog: Catalog | None, data_dir: Path, server: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Giới thiệu DTTS Client"))
        layout = QVBoxLayout(self)
        rows = [
            (self.tr("Phiên bản phần mềm"), __version__),
            (self.tr("Danh mục chỉ tiêu"), self._catalog_text(catalog)),
            (self.tr("Căn cứ pháp lý"), catalog.legal_basis if catalog else "—"),
            (
                self.tr("Hiệu lực từ"),
                catalog.effective_from.strftime("%d/%m/%Y") if catalog else "—",
            ),
            (self.tr("Máy chủ"), server or "—"),
            (self.tr("Thư mục dữ liệu"), str(data_dir)),
            (self.tr("Nền tảng"), f"Python {platform.python_version()}, Qt/PySide6 {pyside_version}"),
        ]
        table = "".join(
            f"<tr><td style='padding-right:12px;color:#555'>{html.escape(k)}</td>"
            f"<td><b>{html.escape(v)}</b></td></tr>"
            for k, v in rows
        )
        title = html.escape(self.tr("Phần mềm báo cáo chỉ tiêu thống kê công tác dân tộc cấp xã"))
        self.text = QLabel(f"<h3>DTTS Client</h3><p>{title}</p><table>{table}</table>")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _catalog_text(self, catalog: Catalog | None) -> str:
        if catalog is None:
            return self.tr("chưa có")
        text = self.tr("%1 — phiên bản %2").replace("%1", catalog.title).replace("%2", str(catalog.version))
        if catalog.sample:
            text += " — " + self.tr("MẪU (chỉ để thử)")
        return text

    def plain_text(self) -> str:
        """The dialog's text without markup (for tests and for copying)."""
        return self.text.text()

    @classmethod
    def ask(
        cls, catalog: Catalog | None, data_dir: Path, server: str = "", parent: QWidget | None = None
    ) -> None:
        cls(catalog, data_dir, server, parent).exec()
