"""Signing in again without restarting: after "Để sau" at the password prompt, or after Tệp → Đăng xuất,
Đồng bộ opens the sign-in dialog and the Tệp menu offers "Đăng nhập…". A real hub; the real dialog."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from dttsclient.ui.main_window import MainWindow
from dttsclient.ui.wizard import LoginDialog


def _window(qtbot, store, runner, session, kit) -> MainWindow:
    w = MainWindow(store, runner, session, form_view_factory=kit.form_view_stub, today=kit.TODAY)
    qtbot.addWidget(w)
    w.show()
    w.said = []
    w.say = w.said.append
    return w


def _menu_texts(w: MainWindow) -> list[str]:
    menu = w.menuBar().actions()[0].menu()  # Tệp
    menu.aboutToShow.emit()  # what the officer sees when opening it
    return [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]


def _answer_dialog(seen: list, username: str | None, password: str | None) -> None:
    """When the sign-in dialog opens: type the username (if asked) and password and press Đăng nhập;
    password None: press Để sau."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog)
        if not isinstance(dialog, LoginDialog):
            return
        if password is None:
            dialog.reject()
            return
        if dialog.username_edit is not None:
            dialog.username_edit.setText(username or "")
        dialog.password.setText(password)
        dialog.ok.click()

    QTimer.singleShot(0, act)


def test_sync_after_logout_opens_the_sign_in_dialog_then_syncs(
    qtbot, hub, store, signed_in, sync_runner, kit
):
    kit.finalize(store, kit.fill(store, "BM04", "202610"))
    w = _window(qtbot, store, sync_runner, signed_in, kit)
    assert "Đăng xuất" in _menu_texts(w) and "Đăng nhập…" not in _menu_texts(w)
    store.settings.set_setting(
        "usb.last_export_at", "2999-01-01T00:00:00+00:00"
    )  # exported: leaving is allowed
    assert w.request_logout()
    assert "Đăng nhập…" in _menu_texts(w) and "Đăng xuất" not in _menu_texts(w)

    seen: list = []
    _answer_dialog(seen, kit.OFFICER, kit.PASSWORD)
    w.sync_button.click()

    assert len(seen) == 1 and isinstance(seen[0], LoginDialog)
    assert seen[0].username_edit is not None  # the username was forgotten at logout: typed again
    assert store.settings.profile().username == kit.OFFICER
    counts = store.outbox.counts()
    assert counts["accepted"] + counts["late"] == 1 and counts["queued"] == 0  # signed in, the sync went on
    assert "Đăng xuất" in _menu_texts(w) and "Đăng nhập…" not in _menu_texts(w)
    assert kit.OFFICER in w.banner.text()


def test_later_at_the_password_prompt_then_sync_asks_again_and_the_menu_offers_sign_in(
    qtbot, hub, store, signed_in, sync_runner, kit
):
    signed_in.credentials.delete(
        store.settings.device_id, kit.OFFICER
    )  # no keyring: the sign-in did not last
    w = _window(qtbot, store, sync_runner, signed_in, kit)
    seen: list = []
    _answer_dialog(seen, None, None)  # "Để sau"
    assert not w.relogin()
    assert "Đăng nhập…" in _menu_texts(w)

    seen.clear()
    _answer_dialog(seen, None, None)  # Đồng bộ, then "Để sau" again: nothing starts, nothing breaks
    w.sync_button.click()
    assert len(seen) == 1 and isinstance(seen[0], LoginDialog)
    assert not w.syncing and w.sync_button.isEnabled() and w.sync_button.text() == "Đồng bộ"

    seen.clear()
    _answer_dialog(seen, None, kit.PASSWORD)  # Tệp → Đăng nhập…
    next(a for a in w.menuBar().actions()[0].menu().actions() if a.text() == "Đăng nhập…").trigger()
    assert isinstance(seen[0], LoginDialog) and seen[0].username_edit is None  # the username is known
    assert signed_in.signed_in(store)
    assert "Đăng xuất" in _menu_texts(w) and "Đăng nhập…" not in _menu_texts(w)


def test_sign_in_dialog_asks_for_what_is_missing(qtbot, store, session, sync_runner):
    store.settings.set_profile(server_url="http://127.0.0.1:9", username=None)
    dialog = LoginDialog(session, sync_runner, "http://127.0.0.1:9", "", "vi")
    qtbot.addWidget(dialog)
    dialog.password.setText("x")
    dialog.submit()  # no username typed: said plainly, nothing sent
    assert "tên đăng nhập" in dialog.message.text() and dialog.ok.isEnabled()
