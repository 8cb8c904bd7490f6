"""The background helper and the shell's table models (qtmodeltester), and the badge rules."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from dttsclient.store.models import OutboxItem, Report
from dttsclient.ui.form_list_model import FormListModel, FormRow, badge_of, badge_text
from dttsclient.ui.outbox_model import OutboxModel, OutboxRow, error_text
from dttsclient.ui.sync_view import ConflictModel, DiffRow
from dttsclient.ui.tasks import SynchronousRunner, TaskRunner


def test_task_runner_reports_on_the_gui_thread(qtbot, runner: TaskRunner):
    gui = threading.get_ident()
    seen: dict = {}

    def work(progress):
        seen["worker"] = threading.get_ident()
        progress(("half", 1, 2))
        return 42

    def done(value):
        seen["done"] = (value, threading.get_ident())

    runner.run_task(work, done, on_progress=lambda v: seen.setdefault("progress", (v, threading.get_ident())))
    qtbot.waitUntil(lambda: "done" in seen, timeout=5000)
    assert seen["worker"] != gui
    assert seen["done"] == (42, gui)
    assert seen["progress"] == (("half", 1, 2), gui)
    assert not runner.busy


def test_task_runner_delivers_errors(qtbot, runner: TaskRunner):
    errors: list[BaseException] = []
    runner.run_task(lambda: 1 / 0, lambda _v: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ZeroDivisionError)


def test_task_runner_sends_unhandled_errors_to_the_hook(qtbot, runner: TaskRunner, monkeypatch):
    caught: list = []
    monkeypatch.setattr("sys.excepthook", lambda t, e, tb: caught.append(e))
    runner.run_task(lambda: [][1])
    qtbot.waitUntil(lambda: bool(caught), timeout=5000)
    assert isinstance(caught[0], IndexError)


def test_synchronous_runner_runs_at_once():
    out: list = []
    SynchronousRunner().run_task(lambda p: p("x") or 7, out.append, on_progress=out.append)
    assert out == ["x", 7]
    errs: list = []
    SynchronousRunner().run_task(lambda: int("a"), out.append, errs.append)
    assert isinstance(errs[0], ValueError)


def _report(**kw) -> Report:
    base = dict(
        id=1,
        unit="02701",
        form="BM01",
        period="2026",
        catalog_id="c",
        catalog_version=1,
        state="draft",
        dirty=False,
        revision_no=0,
        base_server_revision=0,
        server_revision=0,
        review_state=None,
        review_comment=None,
        updated_at="",
    )
    base.update(kw)
    return Report(**base)


def _item(state: str, receipt: str | None = None) -> OutboxItem:
    return OutboxItem(
        "s1", 1, "02701", "BM01", "2026", 1, state, None, 0, None, receipt, None, None, [], "", ""
    )


@pytest.mark.parametrize(
    ("report", "item", "badge"),
    [
        (None, None, "empty"),
        (_report(dirty=True), None, "draft"),
        (_report(state="finalized", revision_no=1), _item("queued"), "queued"),
        (_report(state="finalized", revision_no=1), _item("sending"), "sending"),
        (_report(state="finalized", revision_no=1), _item("accepted", "R-1"), "accepted"),
        (_report(state="finalized", revision_no=1), _item("needs_attention"), "needs_attention"),
        (_report(state="finalized", revision_no=1), _item("conflict"), "conflict"),
        (_report(state="finalized", revision_no=1), _item("late"), "late"),
        (_report(state="draft", revision_no=1, review_state="returned"), _item("accepted"), "returned"),
        (_report(state="finalized", server_revision=3), None, "accepted"),
        (_report(state="finalized", revision_no=1, dirty=True), _item("accepted"), "draft"),
        # a revision sent after the reviewer accepted: the hub's status after the next sync
        (
            _report(state="finalized", revision_no=2, server_status="changed_after_acceptance"),
            _item("accepted", "R-2"),
            "changed_after_acceptance",
        ),
        (
            _report(state="finalized", revision_no=3, server_status="changed_after_acceptance"),
            _item("queued"),
            "queued",
        ),
    ],
)
def test_badges(report, item, badge):
    assert badge_of(report, item) == badge


def test_badge_labels_are_vietnamese_by_default(qapp):
    assert [badge_text(k) for k in ("draft", "queued", "accepted", "needs_attention", "returned")] == [
        "Nháp",
        "Chờ gửi",
        "Đã gửi ✓",
        "Cần xử lý",
        "Bị trả lại",
    ]


def test_form_list_model(qtmodeltester):
    model = FormListModel(today=date(2026, 11, 21))
    model.set_rows(
        [
            FormRow(
                "BM01", "Dân số", "2026", "accepted", 3, 4, date(2027, 1, 30), receipt="HUB-7", report_id=1
            ),
            FormRow("BM03", "Quý", "2026Q3", "draft", 0, 9, date(2026, 10, 15)),
            FormRow(
                "BM04", "Tháng", "202610", "returned", 9, 9, date(2026, 11, 21), review_comment="Sửa 0101"
            ),
        ]
    )
    qtmodeltester.check(model)
    assert model.data(model.index(0, FormListModel.COL_BADGE)) == "Đã gửi ✓ · HUB-7"
    assert model.data(model.index(1, FormListModel.COL_DEADLINE)) == "15/10/2026 (quá hạn 37 ngày)"
    assert model.data(model.index(2, FormListModel.COL_DEADLINE)) == "21/11/2026 (hôm nay)"
    assert "Sửa 0101" in model.data(model.index(2, 0), 3)  # tooltip carries the reviewer's comment


def test_outbox_model(qtmodeltester):
    model = OutboxModel()
    model.set_rows(
        [
            OutboxRow("a", 1, "BM01", "2026", 1, "accepted", "R-1"),
            OutboxRow("b", 2, "BM03", "2026Q3", 2, "needs_attention", None, "0101: quá lớn"),
        ]
    )
    qtmodeltester.check(model)
    assert model.data(model.index(1, OutboxModel.COL_STATE)) == "Cần xử lý"
    assert model.data(model.index(1, OutboxModel.COL_MESSAGE)) == "0101: quá lớn"
    assert (
        error_text([{"indicator": "0101", "message_vi": "sai", "message_en": "wrong"}], None, "en")
        == "0101: wrong"
    )


def test_conflict_model(qtmodeltester):
    model = ConflictModel()
    model.set_rows([DiffRow("0101", "Dân số", "", "10", "12"), DiffRow("0102", "Hộ", "", "3", "3")])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 2)) == "10" and model.data(model.index(0, 3)) == "12"
    assert model.data(model.index(0, 0), 8) is not None  # a differing row is tinted
    assert model.data(model.index(1, 0), 8) is None
