"""Qt's own dialogs speak Vietnamese in the Vietnamese UI (``resources/i18n/qtbase_vi.ts``).

Each kind of dialog the app opens is built here the way the app opens it, with the app's translators
installed; every visible text (buttons, labels, tool tips, menu entries, column headers) is checked
against the English words Qt would show.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTreeView,
    QWidget,
    QWizard,
    QWizardPage,
)

from dttsclient.ui.app import application
from dttsclient.ui.i18n import TRANSLATOR_NAME, Translations

ENGLISH = {
    "look", "in", "file", "name", "files", "of", "type", "save", "open", "cancel", "yes", "no", "ok",
    "back", "next", "finish", "undo", "redo", "cut", "copy", "paste", "delete", "select", "all", "size",
    "date", "modified", "detail", "view", "list", "new", "folder", "directory", "help", "close", "choose",
    "enter", "value", "parent", "create", "forward", "show", "details", "sidebar", "recent", "places",
    "kind", "computer", "insert", "unicode", "apply", "reset", "discard", "retry", "ignore", "abort",
}  # fmt: skip


def english_words(text: str) -> set[str]:
    """The English words of ``text`` (accelerator ``&`` and punctuation dropped; a path is no text)."""
    if text.startswith("/"):
        return set()
    words = re.findall(r"[^\W\d_]+", text.replace("&", ""))
    return {w for w in words if w.lower() in ENGLISH}


def visible_texts(root: QWidget) -> list[str]:
    """The texts a person sees in ``root``: buttons, labels, tool tips, combo items, column headers."""
    out: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisibleTo(root) and w is not root:
            continue
        if isinstance(w, (QAbstractButton, QLabel)):
            out.append(w.text())
        if w.toolTip():
            out.append(w.toolTip())
        if isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QTreeView) and w.model() is not None:
            model = w.model()
            out += [
                str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
                for c in range(model.columnCount())
                if not w.isColumnHidden(c)
            ]
        for action in w.actions():
            out.append(action.text())
    return [t for t in out if t]


def assert_vietnamese(root: QWidget) -> list[str]:
    texts = visible_texts(root)
    english = {t: english_words(t) for t in texts if english_words(t)}
    assert not english, f"English in the Vietnamese UI: {english}"
    return texts


@pytest.fixture
def vietnamese(qapp) -> Iterator[Translations]:
    application()
    t = Translations(qapp)
    assert t.install("vi")
    yield t
    for old in qapp.findChildren(QTranslator, TRANSLATOR_NAME):
        qapp.removeTranslator(old)
        old.setParent(None)


def test_the_app_uses_qt_widget_file_dialogs_off_windows(qapp):
    application()
    assert QCoreApplication.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)


@pytest.mark.parametrize(
    "mode",
    [
        (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.FileMode.ExistingFile),
        (QFileDialog.AcceptMode.AcceptSave, QFileDialog.FileMode.AnyFile),
        (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.FileMode.Directory),
    ],
    ids=["open", "save", "folder"],
)
def test_file_dialog_is_vietnamese(qtbot, vietnamese, tmp_path, mode):
    (tmp_path / "bao-cao.xlsx").write_bytes(b"x")
    dialog = QFileDialog(None, "Chọn tệp", str(tmp_path), "Excel (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(mode[0])
    dialog.setFileMode(mode[1])
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = assert_vietnamese(dialog)
    assert "&Huỷ" in texts or "Huỷ" in texts
    if mode[0] == QFileDialog.AcceptMode.AcceptSave:
        assert "&Lưu" in texts and "&Tên tệp:" in texts
    assert "&Tìm trong:" in texts


def test_message_box_yes_no_is_vietnamese(qtbot, vietnamese):
    box = QMessageBox(QMessageBox.Icon.Question, "DTTS", "Nhập tệp này?")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDetailedText("chi tiết")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    texts = assert_vietnamese(box)
    assert "&Có" in texts and "&Không" in texts


def test_input_dialog_and_standard_buttons_are_vietnamese(qtbot, vietnamese):
    dialog = QInputDialog()
    dialog.setLabelText("Tên hồ sơ:")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = assert_vietnamese(dialog)
    assert "Huỷ" in texts and "Đồng ý" in texts
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save
        | QDialogButtonBox.StandardButton.Close
        | QDialogButtonBox.StandardButton.Help
    )
    qtbot.addWidget(box)
    box.show()
    assert_vietnamese(box)


@pytest.mark.parametrize("style", [QWizard.WizardStyle.ClassicStyle, QWizard.WizardStyle.ModernStyle])
def test_wizard_buttons_are_vietnamese(qtbot, vietnamese, style):
    wizard = QWizard()
    wizard.setWizardStyle(style)
    wizard.addPage(QWizardPage())
    wizard.addPage(QWizardPage())
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    assert_vietnamese(wizard)
    wizard.next()
    texts = assert_vietnamese(wizard)
    assert any("Hoàn tất" in t for t in texts)


@pytest.mark.parametrize("widget_class", [QLineEdit, QPlainTextEdit])
def test_text_context_menu_is_vietnamese(qtbot, vietnamese, widget_class):
    edit = widget_class()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts
    english = {t: english_words(t) for t in texts if english_words(t)}
    assert not english, english
    assert any(t.startswith("&Dán") for t in texts)
    menu.deleteLater()


def test_english_mode_drops_the_qt_translation(qtbot, vietnamese):
    vietnamese.install("en")
    assert QApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    vietnamese.install("vi")
    assert QApplication.translate("QPlatformTheme", "Cancel") == "Huỷ"
    # a second Translations (the profile picker's) is replaced, not stacked
    Translations(QApplication.instance()).install("en")
    assert QApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    names = QApplication.instance().findChildren(QTranslator, TRANSLATOR_NAME)
    assert len(names) == 1
