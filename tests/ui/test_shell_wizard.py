"""The first-run wizard against a real hub: a wrong password, a Wi-Fi login page, a successful sign-in
that downloads the catalogue; the no-keyring note; the language page."""

from __future__ import annotations

import pytest

from dttsclient.store import Store
from dttsclient.sync import errors
from dttsclient.sync.credentials import MemoryCredentials
from dttsclient.sync.errors import NoKeyring
from dttsclient.ui.session import SyncSession
from dttsclient.ui.wizard import PAGE_CONNECT, PAGE_DONE, PAGE_PROGRESS, SetupWizard, error_kind


@pytest.fixture
def fresh(tmp_path):
    """A brand-new profile folder (what the first run sees)."""
    return tmp_path / "profiles" / "moi"


def _wizard(qtbot, fresh, runner, credentials=None) -> SetupWizard:
    session = SyncSession(fresh, credentials or MemoryCredentials())
    w = SetupWizard(session, runner, "vi")
    qtbot.addWidget(w)
    w.show()
    w.next()
    assert w.currentId() == PAGE_CONNECT
    return w


def _submit(qtbot, w: SetupWizard, server: str, user: str, password: str) -> None:
    page = w.connect_page
    page.server.setText(server)
    page.username.setText(user)
    page.password.setText(password)
    assert page.isComplete()
    w.next()
    assert w.currentId() == PAGE_PROGRESS
    qtbot.waitUntil(lambda: not w.progress_page.running, timeout=30_000)


def test_wrong_password_is_explained(qtbot, hub, fresh, runner, kit):
    w = _wizard(qtbot, fresh, runner)
    _submit(qtbot, w, hub.url, kit.OFFICER, "sai-mat-khau")
    page = w.progress_page
    assert page.heading.text() == "Sai tên đăng nhập hoặc mật khẩu"
    assert "Quay lại" in page.explain.text()
    assert not page.isComplete() and w.currentId() == PAGE_PROGRESS
    w.back()
    assert w.currentId() == PAGE_CONNECT


def test_wifi_login_page_is_explained(qtbot, hub, fresh, runner, kit):
    from tests.support.faultproxy import FaultProxy

    with FaultProxy(hub.url) as proxy:
        proxy.fault("login_page")
        w = _wizard(qtbot, fresh, runner)
        _submit(qtbot, w, proxy.url, kit.OFFICER, kit.PASSWORD)
    page = w.progress_page
    assert page.heading.text() == "Một trang đăng nhập Wi-Fi đang chặn kết nối"
    assert "Wi-Fi" in page.explain.text() and "USB" in page.explain.text()
    with Store.open(fresh) as store:
        assert store.catalogs.current_catalog() is None and store.settings.profile().username is None


def test_cancelling_stops_the_wait_for_a_server_that_does_not_answer(qtbot, fresh, runner, kit):
    from tests.support.blackhole import BlackHole

    hole = BlackHole()  # takes the connection, never answers
    w = _wizard(qtbot, fresh, runner)
    page = w.connect_page
    page.server.setText(hole.url)
    page.username.setText(kit.OFFICER)
    page.password.setText(kit.PASSWORD)
    w.next()
    qtbot.wait(200)
    assert w.progress_page.running
    w.cancel_event.set()  # what closing the wizard does
    qtbot.waitUntil(lambda: not w.progress_page.running, timeout=2_000)
    hole.close()
    assert "Đã dừng" in w.progress_page.explain.text()


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (errors.WrongPassword(), "password"),
        (errors.LoginPageInTheWay(), "login_page"),
        (errors.Offline(), "offline"),
        (errors.StallTimeout(), "offline"),
        (errors.Throttled(60), "throttled"),
        (errors.ClientTooOld("9.0"), "old_client"),
        (errors.SetupImportFailed("x", "x"), "package"),
        (errors.ServerError(503), "server"),
        (errors.UntrustedServer("1234-5678-9012-3456"), "untrusted"),
    ],
)
def test_each_setup_failure_has_its_heading(error, kind):
    assert error_kind(error) == kind


def test_successful_login_downloads_the_catalogue(qtbot, hub, fresh, runner, kit):
    w = _wizard(qtbot, fresh, runner)
    _submit(qtbot, w, hub.url, kit.OFFICER, kit.PASSWORD)
    assert w.progress_page.error is None
    assert w.currentId() == PAGE_DONE
    assert "Xã Y Tý" in w.done_page.summary.text()
    with Store.open(fresh) as store:
        catalog = store.catalogs.current_catalog()
        assert catalog is not None and catalog.catalog_id == "dtts-sample"
        p = store.settings.profile()
        assert (p.unit, p.username, p.server_url) == (kit.UNIT, kit.OFFICER, hub.url)
        assert w.session.signed_in(store)


def test_no_keyring_is_said_up_front(qtbot, fresh, runner):
    w = _wizard(qtbot, fresh, runner, MemoryCredentials(reason=NoKeyring("no backend")))
    assert w.connect_page.note.isVisibleTo(w)
    assert "nhập lại mật khẩu" in w.connect_page.note.text()


def test_language_page_switches_the_rest_to_english(qtbot, fresh, runner):
    from PySide6.QtWidgets import QApplication

    from dttsclient.ui.i18n import Translations

    t = Translations(QApplication.instance())
    session = SyncSession(fresh, MemoryCredentials())
    w = SetupWizard(session, runner, "vi", on_language=t.install)
    qtbot.addWidget(w)
    try:
        w.show()
        w.language_page.en.setChecked(True)
        w.next()
        assert w.connect_page.title() == "Connect to the province's server"
        assert w.connect_page.user_label.text() == "Username:"
    finally:
        t.install("vi")


def test_setup_package_from_usb(qtbot, hub, fresh, runner, kit, tmp_path):
    package = tmp_path / "yty.dttssetup"
    package.write_bytes(hub.hub.setup_package(hub.officer, server_url=hub.url))
    w = _wizard(qtbot, fresh, runner)
    w.connect_page.package.setChecked(True)
    assert not w.connect_page.isComplete()
    w.connect_page.package_path.setText(str(package))
    w.next()
    qtbot.waitUntil(lambda: not w.progress_page.running, timeout=30_000)
    assert w.progress_page.error is None and w.currentId() == PAGE_DONE
    with Store.open(fresh) as store:
        assert store.catalogs.current_catalog() is not None
        assert (store.settings.profile().unit, store.settings.profile().server_url) == (kit.UNIT, hub.url)
    # the officer can read the hub's fingerprint back to the province over the phone
    from dttscore.formats.setup_package import key_fingerprint

    summary = w.done_page.summary.text()
    assert f"Mã nhận diện máy chủ: {key_fingerprint(hub.hub.signer.public_key_b64)}" in summary
    assert "gọi cán bộ tỉnh để đối chiếu" in summary  # no hub-keys.txt installed: trusted on first use


def test_a_damaged_setup_package_is_explained(qtbot, fresh, runner, tmp_path):
    package = tmp_path / "hong.dttssetup"
    package.write_bytes(b"PK\x03\x04 not really a zip")
    w = _wizard(qtbot, fresh, runner)
    w.connect_page.package.setChecked(True)
    w.connect_page.package_path.setText(str(package))
    w.next()
    qtbot.waitUntil(lambda: not w.progress_page.running, timeout=30_000)
    assert w.progress_page.heading.text() == "Không dùng được gói cài đặt này"
