""" "Lấy số kỳ trước": the officer picks which indicators to copy from the previous period (issue 16 item 5).

Nothing is ticked at first: nothing is copied without being asked. The copy itself is
:meth:`store.carry.copy_from_previous <dttsclient.store.carry.Carry.copy_from_previous>`; the entry page
marks every copied cell until it is confirmed or changed, and the copy is one undo step.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dttsclient.store.carry import CarryChoice
from dttsclient.ui.grid_layout import indicator_name
from dttscore.model import Catalog
from dttscore.periods import period_label


class CarryDialog(QDialog):
    """A list of the indicators a copy would fill, each with a tick box (none ticked).

    Args:
        catalog: the report's catalogue (for the indicators' names).
        period: the previous period's code.
        choices: what :meth:`Store.carry_choices` offers.
    """

    def __init__(
        self,
        catalog: Catalog,
        period: str,
        choices: Sequence[CarryChoice],
        lang: str = "vi",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Lấy số kỳ trước"))
        self.resize(560, 480)
        intro = QLabel(
            self.tr(
                "Chọn các chỉ tiêu ít thay đổi (trường học, đường, cán bộ…) để lấy số của %1 làm bản nháp. "
                "Chỉ ô còn trống được điền; mỗi ô lấy sang được đánh dấu cho đến khi anh/chị xác nhận "
                "hoặc sửa số. Có thể hoàn tác (Ctrl+Z)."
            ).replace("%1", period_label(period, lang)),
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        for choice in choices:
            ind = catalog.indicator(choice.code)
            text = f"{ind.code} {indicator_name(ind, lang)}"
            if choice.cells > 1:
                text += " " + self.tr("(%1 ô)").replace("%1", str(choice.cells))
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, choice.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(self.tr("Lấy số"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Huỷ"), QDialogButtonBox.ButtonRole.RejectRole)
        self.all_button = QPushButton(self.tr("Chọn tất cả"), self)
        self.all_button.clicked.connect(self._tick_all)
        buttons.addButton(self.all_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemChanged.connect(self._update)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.list, 1)
        lay.addWidget(buttons)
        self._update()

    def _tick_all(self) -> None:
        for i in range(self.list.count()):
            self.list.item(i).setCheckState(Qt.CheckState.Checked)

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.chosen()))

    def chosen(self) -> list[str]:
        """The ticked indicators' codes, in list order."""
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        catalog: Catalog,
        period: str,
        choices: Sequence[CarryChoice],
        lang: str = "vi",
    ) -> list[str] | None:
        """Let the officer choose; the codes to copy, or None when cancelled."""
        dlg = cls(catalog, period, choices, lang, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.chosen()
