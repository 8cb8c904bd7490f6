"""The window and the screen: the main window fits the available screen, a saved geometry from a larger
screen is brought back onto this one, and a language switch keeps the window (maximized stays maximized)
and the open form at its cell."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QApplication

from dttsclient.ui import settings_dialog
from dttsclient.ui.app import AppController
from dttsclient.ui.form_view import FormView
from dttsclient.ui.main_window import MainWindow


def _available(w: MainWindow) -> QRect:
    return w.screen().availableGeometry()


def test_a_new_window_fits_the_available_screen(qtbot, store, sync_runner, kit):
    w = MainWindow(store, sync_runner, None, form_view_factory=kit.form_view_stub, today=kit.TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.wait(400)  # the window manager frames the window; the app checks the frame then
    avail = _available(w)
    assert avail.width() < 1200 or avail.height() < 800  # the test screen is smaller than 1200×760
    assert avail.contains(w.frameGeometry()), (avail, w.frameGeometry())
    # … and leaves room for a window manager's title bar
    assert w.height() <= avail.height() - 40 and w.width() <= avail.width() - 8


def test_a_geometry_saved_on_a_larger_screen_is_clamped_to_this_one(qtbot, store, sync_runner, kit):
    big = MainWindow(store, sync_runner, None, form_view_factory=kit.form_view_stub, today=kit.TODAY)
    qtbot.addWidget(big)
    big.setGeometry(1500, 900, 1800, 1100)  # a second monitor, gone now
    QSettings(str(store.data_dir / "window.ini"), QSettings.Format.IniFormat).setValue(
        "main/geometry", big.saveGeometry()
    )
    w = MainWindow(store, sync_runner, None, form_view_factory=kit.form_view_stub, today=kit.TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.wait(400)
    avail = _available(w)
    assert avail.contains(w.frameGeometry()), (avail, w.frameGeometry())


def test_language_switch_keeps_the_maximized_window_and_the_open_form_at_its_cell(
    qtbot, store, sync_runner, kit
):
    controller = AppController(QApplication.instance(), store.data_dir, "vi", runner=sync_runner)
    try:
        controller.store = store
        controller.translations.install("vi")
        first = controller.show_window()
        qtbot.addWidget(first)
        first._today = kit.TODAY
        first.set_period("2026Q3")
        first._form_activated(first.form_model.index(2, 0))  # BM03 of the third quarter
        assert isinstance(first.form_view, FormView)
        report_id = first.form_view.report_id
        grid = first.form_view.view
        cell = grid.model().index(3, 2)
        grid.setCurrentIndex(cell)
        first.showMaximized()
        qtbot.waitUntil(first.isMaximized)

        values = {**settings_dialog.load_settings(store), "profile.lang": "en"}
        assert first.apply_settings(values)
        second = controller.window
        qtbot.addWidget(second)
        assert second is not first and second.lang == "en"
        assert second.isMaximized()
        assert second.current_period() == "2026Q3"
        assert isinstance(second.form_view, FormView) and second.form_view.report_id == report_id
        assert second.tabs.currentWidget() is second.entry_page
        current = second.form_view.view.currentIndex()
        assert (current.row(), current.column()) == (3, 2)
    finally:
        controller.translations.install("vi")
        controller.store = None
        controller.hook.uninstall()


def test_language_switch_keeps_size_and_position(qtbot, store, sync_runner, kit):
    controller = AppController(
        QApplication.instance(),
        store.data_dir,
        "vi",
        form_view_factory=kit.form_view_stub,
        runner=sync_runner,
    )
    try:
        controller.store = store
        controller.translations.install("vi")
        first = controller.show_window()
        qtbot.addWidget(first)
        first.setGeometry(40, 50, 600, 420)
        before = first.geometry()
        first.tabs.setCurrentWidget(first.sync_view)
        controller.change_language("en")
        second = controller.window
        qtbot.addWidget(second)
        assert second.geometry() == before
        assert second.tabs.currentWidget() is second.sync_view
    finally:
        controller.translations.install("vi")
        controller.store = None
        controller.hook.uninstall()
