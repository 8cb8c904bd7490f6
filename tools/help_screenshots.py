"""Render the pictures of the user guide (``resources/help/img/``) from the real screens of the demo.

    python tools/help_screenshots.py [--out resources/help/img] [--lang vi]

Draws offscreen (``widget.grab()``) against the demo's embedded hub, in the interface language given
(Vietnamese by default; ``--lang en`` writes the same pictures with an ``-en`` suffix): the main window
with its form list, the grid with values and an open cell, the ethnic-group picker, a cell's comment,
the finalize dialog (one with errors, one with warnings that need a reason), the Sync page, the USB
menu, the first-run wizard, the sign-in dialog and the status bar. The pictures are stored as 8-bit
PNG so that each stays small (the guide ships with the app). Needs the ``hub`` extra (the demo hub).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots as readme

ROOT = Path(__file__).resolve().parents[1]


def save(widget_or_pixmap, path: Path, crop=None) -> Path:
    """Save a grab (or a pixmap) as a compact 8-bit PNG."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    pixmap = widget_or_pixmap if not hasattr(widget_or_pixmap, "grab") else widget_or_pixmap.grab()
    if crop is not None:
        pixmap = pixmap.copy(crop)
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_RGB32)
    image = image.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither)
    image.save(str(path), "PNG", 0)  # quality 0: the strongest compression
    return path


def with_popup(window, popup, top_left):
    """The window's grab with a popup (a menu) drawn where it opened."""
    from PySide6.QtGui import QPainter

    pixmap = window.grab()
    painter = QPainter(pixmap)
    painter.drawPixmap(top_left, popup.grab())
    painter.end()
    return pixmap


def status_bar(window):
    """The status bar without its empty middle: the counters on the left, the connection on the right."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QPainter

    bar = window.statusBar().grab()
    left = max(w.geometry().right() for w in (window.outbox_label, window.last_sync_label)) + 12
    right = window.connection_label.geometry().left() - 12
    if right - left < 60:
        return bar
    out = bar.copy(QRect(0, 0, left + 40 + bar.width() - right, bar.height()))
    out.fill(window.palette().window().color())
    painter = QPainter(out)
    painter.drawPixmap(QPoint(0, 0), bar.copy(QRect(0, 0, left, bar.height())))
    painter.drawPixmap(QPoint(left + 40, 0), bar.copy(QRect(right, 0, bar.width() - right, bar.height())))
    painter.end()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "help" / "img")
    parser.add_argument("--lang", choices=("vi", "en"), default="vi")
    args = parser.parse_args(argv)
    from PySide6.QtCore import QEvent, QPoint, QRect, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from dttsclient.store import Store
    from dttsclient.sync.credentials import MemoryCredentials
    from dttsclient.ui.comment_dialog import CommentDialog
    from dttsclient.ui.demo import DemoEnvironment
    from dttsclient.ui.ethnic_picker import EthnicPicker
    from dttsclient.ui.finalize_dialog import FinalizeDialog
    from dttsclient.ui.i18n import Translations
    from dttsclient.ui.main_window import MainWindow
    from dttsclient.ui.session import SyncSession
    from dttsclient.ui.tasks import SynchronousRunner
    from dttsclient.ui.wizard import LoginDialog, SetupWizard
    from dttscore import periods

    app = QApplication.instance() or QApplication(sys.argv[:1])
    lang = args.lang
    Translations(app).install(lang)
    suffix = "" if lang == "vi" else "-en"
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def shot(name: str, what, crop=None) -> None:
        app.processEvents()
        written.append(save(what, out / f"{name}{suffix}.png", crop))

    today = date.today()
    month = periods.containing("month", today)
    last = periods.parse_period(periods.previous(month.code))
    quarter = periods.containing("quarter", last.start)
    with DemoEnvironment() as demo, Store.open(demo.profile_dir) as store:
        store.settings.set_profile(lang=lang)
        unit = store.settings.profile().unit
        readme._finalize(store, readme._fill(store, unit, "BM04", last.code))
        readme._finalize(store, readme._fill(store, unit, "BM02", periods.containing("half_year", last.start).code))
        readme._finalize(store, readme._fill(store, readme.OTHER_UNIT, "BM04", last.code))
        window = MainWindow(store, SynchronousRunner(), demo.session, lang=lang, today=today)
        window.resize(1100, 700)
        window.show()
        window.start_sync()
        readme._fill(store, unit, "BM03", quarter.code)
        window.set_period(last.code)
        window.tabs.setCurrentWidget(window.list_page)
        window.refresh()
        shot("main", window)
        shot("statusbar", status_bar(window))

        # the USB menu, open under its title
        menu = window.usb.menu
        bar = window.menuBar()
        at = bar.actionGeometry(menu.menuAction()).bottomLeft()
        menu.popup(window.mapToGlobal(at))
        app.processEvents()
        shot("usb-menu", with_popup(window, menu, at + QPoint(0, 0)), QRect(0, 0, 620, 300))
        menu.hide()

        window.tabs.setCurrentWidget(window.sync_view)
        shot("sync", window)

        # data entry: values typed, the cursor in a cell being edited
        report = store.reports.report(unit, "BM01", periods.containing("year", last.start).code, create=True)
        store.reports.set_eth_rows(report.id, ["02", "09"])
        store.reports.set_cells(
            report.id,
            [
                ("0101", "eth=02|sex=M", "812"),
                ("0101", "eth=02|sex=F", "845"),
                ("0101", "eth=09|sex=M", "431"),
                ("0102", "eth=02", "402"),
            ],
            "canbo.yty",
        )
        window.open_report(report.id)
        view = window.form_view
        grid = view.view
        app.processEvents()
        target = next(
            grid.model().index(r, c)
            for r in range(grid.model().rowCount())
            for c in range(grid.model().columnCount())
            if grid.model().index(r, c).flags() & Qt.ItemFlag.ItemIsEditable
            and grid.model().index(r, c).data() in (None, "")
        )
        grid.setCurrentIndex(target)
        grid.setFocus()
        for ch in "446":
            QApplication.sendEvent(
                grid, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_0 + int(ch), Qt.KeyboardModifier.NoModifier, ch)
            )
        shot("grid", window)
        QApplication.sendEvent(
            grid, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
        )

        # the finalize dialog of a form with an error: every cell typed, one rule broken
        values = readme._values(store.catalogs.current_catalog(), "BM01", ["02", "09"])
        values[("0102", "eth=02")] = "99999"  # more households than people
        store.reports.set_cells(report.id, [(c, d, v) for (c, d), v in values.items()], "canbo.yty")
        dialog = FinalizeDialog(store, report.id, lang, window)
        dialog.show()
        shot("finalize-errors", dialog)
        dialog.close()

        # the ethnic-group picker, searching by another name
        picker = EthnicPicker(store.catalogs.current_catalog().options_for("eth"), ["02", "09"], lang, window)
        picker.resize(460, 300)
        picker.show()
        picker.search.setText("Mèo" if lang == "vi" else "Meo")
        shot("ethnic", picker)
        picker.close()

        comment = CommentDialog(view.describe_cell(target.row(), target.column()), "", window)
        comment.edit.setPlainText(
            "Số liệu lấy từ sổ hộ khẩu của thôn, đã đối chiếu với trưởng thôn."
            if lang == "vi"
            else "Figures from the village household book, checked with the village head."
        )
        comment.show()
        shot("comment", comment)
        comment.close()

        # the finalize dialog of a form with warnings only: each needs a reason
        warned = store.reports.report(unit, "BM03", quarter.code).id
        if any(not p.is_error for p in store.reports.check(warned)):
            dialog = FinalizeDialog(store, warned, lang, window)
            dialog.show()
            edits = list(dialog.reason_edits.values())
            if edits:
                edits[0].setText("Số liệu đúng, đã kiểm tra lại" if lang == "vi" else "Correct, checked again")
            shot("finalize-warnings", dialog)
            dialog.close()

        # the sign-in dialog (after «Để sau» or a logout)
        login = LoginDialog(demo.session, SynchronousRunner(), demo.url, "canbo.demo", lang, window)
        login.show()
        shot("login", login)
        login.close()
        window.close()

    # the first-run wizard, on its connection page
    with DemoEnvironment() as spare:
        session = SyncSession(spare.root / "new-profile", MemoryCredentials(), lang=lang)
        wizard = SetupWizard(session, SynchronousRunner(), lang)
        wizard.show()
        shot("wizard-language", wizard)
        wizard.next()
        page = wizard.connect_page
        page.server.setText("https://dtts.laocai.gov.vn")
        page.username.setText("canbo.yty")
        page.password.setText("matkhau")
        shot("wizard-connect", wizard)
        page.package.setChecked(True)
        page.package_path.setText("E:/dtts-canbo.yty.dttssetup")
        shot("wizard-package", wizard)
        wizard.close()
    total = 0
    for path in written:
        size = path.stat().st_size
        total += size
        print(f"{path}  {size // 1024} KB")
    print(f"total {total // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
