"""The runner's two lanes, the default failure handler, the USB menu without a main window, and a keystroke
typed while a restore holds the profile (real SQLite files, a real restore on the real runner)."""

from __future__ import annotations

import ast
import threading
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMainWindow

from dttsclient.store import Store
from dttsclient.ui import usb_menu
from dttsclient.ui.main_window import MainWindow
from dttsclient.ui.operations import Operation
from dttsclient.ui.tasks import Lane, SynchronousRunner, TaskRunner
from dttsclient.ui.usb_menu import UsbActions
from dttsclient.usb.backup import export_backup
from dttsclient.usb.errors import UsbError
from dttscore.disagg import cell_keys
from tests.support.entry_fixtures import ETH_ROWS, make_entry, type_into


# -- the lanes -----------------------------------------------------------------------------------------
def test_two_profile_tasks_never_overlap_and_run_in_order(qtbot, runner: TaskRunner):
    lock = threading.Lock()
    state = {"active": 0, "most": 0}
    order: list[int] = []

    def work(n: int):
        def run() -> int:
            with lock:
                state["active"] += 1
                state["most"] = max(state["most"], state["active"])
            time.sleep(0.05)
            with lock:
                state["active"] -= 1
            return n

        return run

    for n in range(4):
        runner.run_task(work(n), order.append)  # the default lane is the profile lane
    qtbot.waitUntil(lambda: len(order) == 4, timeout=10000)
    assert state["most"] == 1
    assert order == [0, 1, 2, 3]


def test_a_network_task_runs_while_a_profile_task_runs(qtbot, runner: TaskRunner):
    pinged = threading.Event()
    results: dict[str, object] = {}
    # the profile task waits for the network task: on one lane it would wait in vain
    runner.run_task(lambda: pinged.wait(5), lambda v: results.setdefault("profile", v), lane=Lane.PROFILE)
    runner.run_task(
        lambda: pinged.set() or "pong", lambda v: results.setdefault("ping", v), lane=Lane.NETWORK
    )
    qtbot.waitUntil(lambda: len(results) == 2, timeout=10000)
    assert results == {"profile": True, "ping": "pong"}
    assert not runner.busy


def test_long_writes_mark_the_profile_busy_until_they_end(qtbot, runner: TaskRunner):
    release = threading.Event()
    seen: list[str] = []
    runner.run_task(lambda: release.wait(5), lambda _v: seen.append("done"), long_write=True)
    assert runner.profile_writing
    runner.when_profile_free(lambda: seen.append("free"))
    assert seen == []
    release.set()
    qtbot.waitUntil(lambda: "done" in seen, timeout=5000)
    assert seen == ["free", "done"]  # held writes go in before the task's own result (a reload)
    assert not runner.profile_writing
    runner.when_profile_free(lambda: seen.append("at once"))
    assert seen[-1] == "at once"


def test_the_synchronous_runner_takes_the_same_arguments():
    out: list = []
    r = SynchronousRunner()
    r.run_task(lambda: 1, out.append, lane=Lane.NETWORK)
    r.run_task(lambda: 2, out.append, lane=Lane.PROFILE, long_write=True)
    r.when_profile_free(lambda: out.append(3))
    assert out == [1, 2, 3] and not r.profile_writing


# -- the default failure handler ---------------------------------------------------------------------
def test_an_expected_error_becomes_its_message_and_a_bug_goes_to_the_hook(monkeypatch):
    said: list[str] = []
    caught: list[BaseException] = []
    monkeypatch.setattr("sys.excepthook", lambda t, e, tb: caught.append(e))

    def refuse():
        raise UsbError("Tệp này không phải bản sao lưu DTTS.", "This file is not a DTTS backup.")

    Operation(SynchronousRunner(), refuse, say=said.append, lang="vi").run()
    Operation(SynchronousRunner(), refuse, say=said.append, lang="en").run()
    assert said == ["Tệp này không phải bản sao lưu DTTS.", "This file is not a DTTS backup."]
    assert caught == []
    Operation(SynchronousRunner(), lambda: [][1], say=said.append, lang="vi").run()
    assert len(said) == 2 and isinstance(caught[0], IndexError)


def test_a_screens_own_answer_comes_first_and_the_rest_falls_to_the_default(monkeypatch):
    said: list[str] = []
    answered: list[BaseException] = []
    cleared: list[bool] = []

    def refuse():
        raise UsbError("Hỏng.", "Broken.")

    op = Operation(
        SynchronousRunner(), refuse, say=said.append, lang="vi", before_failure=lambda: cleared.append(True)
    )
    op.failure(lambda exc: answered.append(exc) or True).run()
    assert said == [] and len(answered) == 1 and cleared == [True]
    op.failure(lambda exc: False).run()
    assert said == ["Hỏng."]


# -- the USB menu without a main window ----------------------------------------------------------------
class Host(QMainWindow):
    """The few members the USB menu uses, and nothing of the main window."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.lang = "vi"
        self.form_view = None
        self.said: list[str] = []
        self.refreshed = 0

    def say(self, text: str) -> None:
        self.said.append(text)

    def refresh(self) -> None:
        self.refreshed += 1

    def refresh_status(self) -> None:
        self.refreshed += 1


def test_usb_actions_work_without_a_main_window(qtbot, store, kit, tmp_path):
    kit.finalize(store, kit.fill(store, "BM04", "202610"))
    host = Host(store)
    qtbot.addWidget(host)
    usb = UsbActions(store.data_dir, SynchronousRunner(), host, host)
    usb.export_backup(tmp_path)
    backup = next(tmp_path.glob("*.dttsbak"))
    assert "Có thể rút USB" in host.said[-1]
    usb.verify_backup(backup)
    assert "còn nguyên vẹn" in host.said[-1]
    usb.restore(backup)
    assert "khôi phục xong" in host.said[-1] and host.refreshed >= 2
    broken = tmp_path / "hong.dttsbak"
    broken.write_bytes(b"not a zip")
    usb.verify_backup(broken)  # an expected error: its sentence, not the bug dialog
    assert host.said[-1] and "Traceback" not in host.said[-1]
    assert usb._open_report_id() is None  # no data-entry screen: the officer is told to open one
    assert "mở một biểu" in host.said[-1]


def _imports(module) -> set[str]:
    """Every module ``module``'s source imports (anywhere in the file, TYPE_CHECKING blocks too)."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_the_usb_menu_does_not_import_the_main_window():
    assert not {n for n in _imports(usb_menu) if n.startswith("dttsclient.ui.main_window")}


# -- a keystroke while a restore holds the profile ------------------------------------------------------
def _large_backup(root: Path) -> tuple[Path, int]:
    """A backup of the same commune's BM03 with a long history (thousands of change-log rows)."""
    src = make_entry(root / "src", "BM03", ETH_ROWS)
    try:
        keys = [
            (i.code, k)
            for i in src.catalog.form_indicators("BM03")
            if i.value_type == "integer"
            for k in cell_keys(src.catalog, i, ETH_ROWS)
        ]
        for n in range(150):
            src.store.reports.set_cells(src.report_id, [(c, d, str(10 + n)) for c, d in keys], "canbo.cu")
        return export_backup(src.store, root / "usb").path, len(keys)
    finally:
        src.store.close()


def test_a_cell_typed_during_a_restore_is_held_then_stored(qtbot, tmp_path, kit):
    from dttsclient.ui.main_window import default_form_view

    backup, _cells = _large_backup(tmp_path)
    entry = make_entry(tmp_path / "live", "BM03", ETH_ROWS)
    runner = TaskRunner()
    try:
        window = MainWindow(
            entry.store, runner, None, lang="vi", form_view_factory=default_form_view, today=kit.TODAY
        )
        qtbot.addWidget(window)
        window.said = []
        window.say = window.said.append
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        window.open_report(entry.report_id)
        view = window.form_view
        ind = next(i for i in entry.catalog.form_indicators("BM03") if i.value_type == "integer")
        key = cell_keys(entry.catalog, ind, ETH_ROWS)[0]
        place = view.model.place_of((ind.code, key))
        view.view.setFocus()
        view.view.go_to(place.row, place.column)
        QApplication.processEvents()

        window.usb.restore(backup)  # on the profile lane, a long write
        assert runner.profile_writing
        type_into(view, "4321")
        assert view.held_writes == 1  # not written yet, and the GUI thread did not wait on the lock
        assert view.model.value((ind.code, key)) == "4321"  # shown at once
        assert "Chưa lưu được" not in view.notice.text()

        qtbot.waitUntil(lambda: not runner.busy, timeout=30000)
        assert window.said[-1].startswith("Đã khôi phục xong")
        assert view.held_writes == 0
        assert "Chưa lưu được" not in view.notice.text()
        assert window.form_view.model.value((ind.code, key)) == "4321"  # after the window's reload too
        with Store.open(entry.data_dir) as fresh:  # on disk, newer than the restored history
            assert fresh.reports.cells(entry.report_id)[(ind.code, key)] == "4321"
        window.close()
    finally:
        runner.drain()
        entry.close()


def test_closing_the_window_during_a_restore_keeps_the_held_cell(qtbot, tmp_path, kit):
    from dttsclient.ui.main_window import default_form_view

    backup, _cells = _large_backup(tmp_path)
    entry = make_entry(tmp_path / "live", "BM03", ETH_ROWS)
    runner = TaskRunner()
    try:
        window = MainWindow(entry.store, runner, None, form_view_factory=default_form_view, today=kit.TODAY)
        qtbot.addWidget(window)
        window.say = lambda _text: None
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        window.open_report(entry.report_id)
        view = window.form_view
        ind = next(i for i in entry.catalog.form_indicators("BM03") if i.value_type == "integer")
        key = cell_keys(entry.catalog, ind, ETH_ROWS)[0]
        place = view.model.place_of((ind.code, key))
        view.view.setFocus()
        view.view.go_to(place.row, place.column)
        window.usb.restore(backup)
        type_into(view, "777")
        assert view.held_writes == 1
        window.close()  # before the restore's result reached the GUI thread
        assert view.held_writes == 0
        with Store.open(entry.data_dir) as fresh:
            assert fresh.reports.cells(entry.report_id)[(ind.code, key)] == "777"
        qtbot.waitUntil(lambda: not runner.busy, timeout=30000)  # the restore's result, still on its way
    finally:
        runner.drain()
        entry.close()


def test_every_background_call_in_the_screens_names_its_lane():
    import dttsclient.ui as ui_package

    unnamed = []
    for path in sorted(Path(ui_package.__file__).parent.glob("*.py")):
        if path.name in ("tasks.py", "operations.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("run_task", "_op")
                and "lane" not in {k.arg for k in node.keywords}
            ):
                unnamed.append(f"{path.name}:{node.lineno}")
    assert unnamed == []
