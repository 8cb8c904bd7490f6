"""The main window against a real hub: badges, a sync with one item rejected, a conflict side by side,
a returned report with the reviewer's comment. The sync runs on the real background runner."""

from __future__ import annotations

import copy
import re
import uuid

from PySide6.QtCore import Qt

from dttsclient.ui.main_window import MainWindow
from dttsclient.ui.sync_view import ConflictDialog
from dttscore.payload import payload_sha256


def _window(qtbot, store, runner, session, kit) -> MainWindow:
    w = MainWindow(store, runner, session, form_view_factory=kit.form_view_stub, today=kit.TODAY)
    qtbot.addWidget(w)
    w.show()
    return w


def _sync(qtbot, w: MainWindow) -> None:
    assert w.start_sync()
    assert not w.sync_button.isEnabled()  # the window stays responsive; the button waits
    qtbot.waitUntil(lambda: not w.syncing, timeout=30_000)


def _badges(w: MainWindow) -> dict[str, str]:
    return {r.form: r.badge for r in w.form_model.rows()}


def test_sync_one_rejected_rest_accepted(qtbot, hub, store, signed_in, runner, kit):
    a = kit.finalize(store, kit.fill(store, "BM04", "202611")).submission_id
    b = kit.finalize(store, kit.fill(store, "BM02", "2026S2")).submission_id
    late = kit.finalize(store, kit.fill(store, "BM03", "2026Q3")).submission_id  # deadline 15/10: late
    # a report of a commune outside the officer's account: the hub rejects this one item only
    bad = kit.finalize(store, kit.fill(store, "BM04", "202610", unit=kit.OTHER_UNIT)).submission_id
    w = _window(qtbot, store, runner, signed_in, kit)
    w.set_period("202611")
    assert _badges(w)["BM04"] == "queued"
    assert w.outbox_label.text() == "Chờ gửi: 4"

    _sync(qtbot, w)

    results = {r.submission_id: r for r in w.sync_view.results_model.rows()}
    assert set(results) == {a, b, late, bad}
    assert results[a].state == "accepted" and results[a].receipt
    assert results[b].state == "accepted"
    assert results[late].state == "late"
    assert results[bad].state == "needs_attention" and results[bad].message
    attention = w.sync_view.attention_model.rows()
    assert [r.submission_id for r in attention] == [bad]
    assert w.sync_view.attention_box.isVisibleTo(w)
    assert "Cần xử lý: 1" in w.outbox_label.text()
    assert _badges(w)["BM04"] == "accepted"
    assert w.form_model.data(w.form_model.index(3, 3)) == f"Đã gửi ✓ · {results[a].receipt}"
    w.set_period("202609")
    assert _badges(w)["BM03"] == "late"
    assert "Đồng bộ gần nhất" in w.last_sync_label.text()
    assert re.fullmatch(r"● Có kết nối \(\d\d:\d\d\)", w.connection_label.text())

    # the actions of the "Cần xử lý" list: edit opens the report, discard makes it a draft again
    opened: list[int] = []
    w.sync_view.editRequested.connect(opened.append)
    w.sync_view.edit_button.click()
    assert opened == [store.outbox.submission(bad).report_id]
    w.discard_confirmed(bad)
    assert w.sync_view.attention_model.rows() == []
    assert store.reports.report_by_id(opened[0]).dirty


def test_conflict_is_shown_side_by_side(qtbot, hub, store, signed_in, runner, kit, monkeypatch):
    rid = kit.fill(store, "BM04", "202611")
    first = kit.finalize(store, rid)
    w = _window(qtbot, store, runner, signed_in, kit)
    w.set_period("202611")
    _sync(qtbot, w)
    # another device of the same commune sends a newer revision
    doc = copy.deepcopy(first.document)
    doc.update(
        submission_id=str(uuid.uuid4()), revision_no=2, supersedes=first.submission_id, base_server_revision=1
    )
    doc["values"][0]["value"] = str(int(doc["values"][0]["value"]) + 5)
    doc["payload_sha256"] = payload_sha256({(v["code"], v["disagg"]): v["value"] for v in doc["values"]})
    other = hub.session(kit.OFFICER, kit.PASSWORD, device_id="device-2")
    reply = other.post(
        hub.api + "/submissions:batch",
        json={"device_id": "device-2", "app_version": "0.1.0", "submissions": [doc]},
        timeout=30,
    )
    assert reply.json()["results"][0]["status"] == "accepted"
    # here the officer edits the old revision and finalizes it: the hub keeps both
    code, disagg = doc["values"][1]["code"], doc["values"][1]["disagg"]
    store.reports.set_cell(rid, code, disagg, "3", kit.OFFICER)
    mine = kit.finalize(store, rid)
    _sync(qtbot, w)

    conflicts = w.sync_view.conflict_model.rows()
    assert [r.submission_id for r in conflicts] == [mine.submission_id]
    assert w.sync_view.conflict_box.isVisibleTo(w)
    assert _badges(w)["BM04"] == "conflict"
    shown: dict = {}

    def ask(cls, title, rows, revision, parent=None):
        shown.update(title=title, rows=rows, revision=revision)
        dialog = cls(title, rows, revision, parent)  # build it for real, then decide later
        shown["columns"] = [dialog.model.headerData(i, Qt.Orientation.Horizontal) for i in range(4)]
        return None

    monkeypatch.setattr(ConflictDialog, "ask", classmethod(ask))
    w.sync_view.compare_button.click()
    differing = {(r.indicator, r.disagg): (r.mine, r.server) for r in shown["rows"] if r.differs}
    first_value = doc["values"][0]
    assert differing[(first_value["code"], first_value["disagg"])][1] == first_value["value"]
    assert differing[(code, disagg)][0] == "3"
    assert shown["columns"][2:] == ["Bản trên máy này", "Bản trên máy chủ"]
    assert shown["revision"] == 2


def test_returned_report_shows_the_reviewers_comment(qtbot, hub, store, signed_in, runner, kit):
    kit.finalize(store, kit.fill(store, "BM04", "202611"))
    w = _window(qtbot, store, runner, signed_in, kit)
    w.set_period("202611")
    _sync(qtbot, w)
    hub.hub.reviews.review(
        hub.reviewer, kit.UNIT, "BM04", "202611", "return", "Số trẻ tảo hôn cần kiểm tra lại"
    )
    _sync(qtbot, w)

    assert w.sync_view.returned_box.isVisibleTo(w)
    texts = [w.sync_view.returned_list.item(i).text() for i in range(w.sync_view.returned_list.count())]
    assert len(texts) == 1 and "Số trẻ tảo hôn cần kiểm tra lại" in texts[0] and "BM04" in texts[0]
    row = next(r for r in w.form_model.rows() if r.form == "BM04")
    assert row.badge == "returned"
    assert row.review_comment == "Số trẻ tảo hôn cần kiểm tra lại"


def test_sync_can_be_cancelled_while_it_waits(qtbot, hub, store, signed_in, runner, kit):
    """Dừng while the batch waits on a silent link: stopped within a second; the rows stay settle-able."""
    import time

    from tests.support.faultproxy import FaultProxy

    kit.finalize(store, kit.fill(store, "BM04", "202611"))
    with FaultProxy(hub.url) as proxy:
        proxy.fault("hold", path="submissions:batch", times=1)  # the hub stores it; the reply never comes
        store.settings.set_profile(server_url=proxy.url)
        w = _window(qtbot, store, runner, signed_in, kit)
        assert w.start_sync()
        assert w.sync_view.cancel_button.isVisible()
        qtbot.waitUntil(proxy.held.is_set, timeout=20_000)
        t0 = time.monotonic()
        w.sync_view.cancel_button.click()
        assert w.sync_view.status.text().startswith("Đang dừng")
        qtbot.waitUntil(lambda: not w.syncing, timeout=5_000)
        assert time.monotonic() - t0 < 1.0
        assert "Đã dừng đồng bộ" in w.sync_view.status.text()
        assert w.sync_button.isEnabled()
        assert store.outbox.counts()["sending"] == 1  # the hub may hold it: asked about at the next sync
        proxy.clear()
        _sync(qtbot, w)
    assert store.outbox.counts()["accepted"] == 1
    assert store.sync.last_sync()["summary"]["settled"] == 1


def test_a_stopped_hub_is_said_plainly_and_offers_the_courier_bundle(
    qtbot, hub, store, signed_in, runner, kit
):
    import time

    kit.finalize(store, kit.fill(store, "BM04", "202611"))
    w = _window(qtbot, store, runner, signed_in, kit)
    hub.stop()
    t0 = time.monotonic()
    _sync(qtbot, w)
    assert time.monotonic() - t0 < 20
    text = w.sync_view.status.text()
    assert text.startswith("Không kết nối được máy chủ") and "gói chuyển tay" in text
    assert "Bấm Đồng bộ lần nữa" not in text
    assert w.sync_view.courier_button.isVisible()
    assert re.fullmatch(r"○ Không kết nối được \(\d\d:\d\d\)", w.connection_label.text())
    assert store.outbox.counts()["queued"] == 1
    asked: list[bool] = []
    w.usb.ask_export_courier = lambda: asked.append(True)
    w.sync_view.courier_button.click()
    assert asked == [True]
    w.start_sync()  # a new sync hides the offer until it fails again
    assert not w.sync_view.courier_button.isVisible()
    qtbot.waitUntil(lambda: not w.syncing, timeout=20_000)


def test_the_officers_sync_takes_over_from_a_quiet_one_that_waits(qtbot, hub, store, signed_in, runner, kit):
    """The auto-sync's patient retries never hold the Đồng bộ button: pressing it stops the quiet sync and
    runs the officer's own at once."""
    import time

    from tests.support.faultproxy import FaultProxy

    kit.finalize(store, kit.fill(store, "BM04", "202611"))
    with FaultProxy(hub.url) as proxy:
        proxy.fault("hold", path="submissions:batch", times=1)
        store.settings.set_profile(server_url=proxy.url)
        w = _window(qtbot, store, runner, signed_in, kit)
        assert w.start_sync(quiet=True)
        assert w.sync_button.isEnabled()  # a quiet sync does not take the button away
        qtbot.waitUntil(proxy.held.is_set, timeout=20_000)
        proxy.clear()
        t0 = time.monotonic()
        assert w.sync_button.isEnabled()
        w.sync_button.click()
        assert w.tabs.currentWidget() is w.sync_view and not w.sync_button.isEnabled()
        assert not w.start_sync()  # one takeover at a time
        qtbot.waitUntil(lambda: not w.syncing, timeout=20_000)
        assert time.monotonic() - t0 < 5
    assert store.outbox.counts()["accepted"] == 1
    assert w.sync_view.status.text().startswith("Đồng bộ xong")
    assert store.sync.last_sync()["summary"]["settled"] == 1  # the held batch was asked about, not resent


def test_a_failed_ping_turns_the_indicator_to_not_connected(qtbot, hub, store, signed_in, runner, kit):
    w = _window(qtbot, store, runner, signed_in, kit)
    w.check_connection()
    qtbot.waitUntil(lambda: w.connection_label.text().startswith("● Có kết nối ("), timeout=20_000)
    hub.stop()
    w.check_connection()
    qtbot.waitUntil(lambda: w.connection_label.text().startswith("○ Không kết nối được ("), timeout=20_000)


def test_closing_the_window_during_a_sync_on_a_silent_hub_stops_the_work_at_once(
    qtbot, hub, store, signed_in, runner, kit
):
    import time

    from tests.support.blackhole import BlackHole

    kit.finalize(store, kit.fill(store, "BM04", "202611"))
    with BlackHole() as hole:
        store.settings.set_profile(server_url=hole.url)
        w = _window(qtbot, store, runner, signed_in, kit)
        w.check_connection()  # a ping in flight too
        assert w.start_sync()
        qtbot.wait(300)
        t0 = time.monotonic()
        w.close()
        assert runner.wait_for_done(2_000)
        assert time.monotonic() - t0 < 2.0
    assert store.outbox.counts()["queued"] == 1


def test_wifi_login_page_is_explained(qtbot, hub, store, signed_in, runner, kit):
    from tests.support.faultproxy import FaultProxy

    kit.finalize(store, kit.fill(store, "BM04", "202611"))
    with FaultProxy(hub.url) as proxy:
        proxy.fault("login_page")
        store.settings.set_profile(server_url=proxy.url)
        w = _window(qtbot, store, runner, signed_in, kit)
        _sync(qtbot, w)
    assert "Wi-Fi" in w.sync_view.status.text()
    assert re.fullmatch(r"○ Không kết nối được \(\d\d:\d\d\)", w.connection_label.text())
    assert store.outbox.counts()["queued"] + store.outbox.counts()["sending"] == 1


def test_quiet_sync_when_a_connection_appears(qtbot, hub, store, signed_in, runner, kit):
    from dttsclient.ui import settings_dialog

    kit.finalize(store, kit.fill(store, "BM04", "202611"))
    w = _window(qtbot, store, runner, signed_in, kit)
    assert not w.auto_timer.isActive()  # off unless the officer enables it
    values = {**settings_dialog.load_settings(store), "sync.auto_when_online": True}
    assert w.apply_settings(values)
    assert w.auto_timer.isActive() and w.auto_timer.interval() == 3 * 60 * 1000
    w._online = False
    w._auto_ping()  # what the timer does: a ping; the hub answers, so a quiet sync starts
    qtbot.waitUntil(lambda: store.outbox.counts()["accepted"] == 1, timeout=30_000)
    qtbot.waitUntil(lambda: not w.syncing, timeout=30_000)
    assert w.tabs.currentWidget() is not w.sync_view  # quiet: the officer's page stays
    assert "thử nghiệm" in w.banner.text()  # the environment from ping ("test"), in words
