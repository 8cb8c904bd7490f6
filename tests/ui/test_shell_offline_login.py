"""The password prompt with the hub gone: said within 20 s, and "Để sau" lets the officer work offline."""

from __future__ import annotations

import time

import pytest

from dttsclient.ui.wizard import LoginDialog
from tests.support.blackhole import BlackHole, refused_url


def _dialog(qtbot, session, runner, url: str) -> LoginDialog:
    d = LoginDialog(session, runner, url, "can_bo", "vi")
    qtbot.addWidget(d)
    d.show()
    d.password.setText("mat-khau")
    return d


@pytest.mark.parametrize("where", ["refused", "silent"])
def test_the_prompt_says_the_hub_is_gone_within_20_seconds(qtbot, store, session, runner, where):
    hole = BlackHole() if where == "silent" else None
    url = hole.url if hole is not None else refused_url()
    try:
        store.settings.set_profile(server_url=url)
        d = _dialog(qtbot, session, runner, url)
        t0 = time.monotonic()
        d.ok.click()
        assert d.message.text() == "Đang đăng nhập…"
        qtbot.waitUntil(lambda: d.ok.isEnabled(), timeout=20_000)
        elapsed = time.monotonic() - t0
    finally:
        if hole is not None:
            hole.close()
    assert elapsed < (3 if where == "refused" else 20)
    text = d.message.text()
    assert "Để sau" in text and "không cần mạng" in text
    if where == "refused":
        assert text.startswith("Không kết nối được máy chủ")
    assert not d.signed_in


def test_later_stops_the_sign_in_at_once(qtbot, store, session, runner):
    with BlackHole() as hole:
        store.settings.set_profile(server_url=hole.url)
        d = _dialog(qtbot, session, runner, hole.url)
        d.ok.click()
        qtbot.wait(300)
        t0 = time.monotonic()
        d.reject()  # "Để sau"
        assert runner.wait_for_done(2_000)
        assert time.monotonic() - t0 < 1.5
    assert not d.signed_in and not d.isVisible()
