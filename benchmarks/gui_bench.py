"""Data-entry GUI figures: opening the largest sample form, keystroke → durable cell, resident memory.

The largest form is the sample catalogue's form with the most cells when all 54 ethnic groups have a
row (BM01: 125 indicators, 2,190 cells). Each ``bench_*`` function returns a dict of measured figures;
:func:`figures` turns them into the runner's rows. Wall-clock times are what the officer waits; the CPU
times beside them show how much of it is our own work when the machine is busy with something else.

Run alone: ``python benchmarks/gui_bench.py [--quick]`` (prints JSON); ``--memory-child`` is the fresh
process that :func:`bench_memory` starts.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # the repository root: the test helpers are tests.support
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def _largest_entry(data_dir: Path):
    """A store with the sample catalogue and a report of the largest form with all 54 ethnic rows."""
    from tests.support.entry_fixtures import largest_form, make_entry

    entry = make_entry(data_dir, pick=largest_form)
    if entry.form.eth_options == "present":
        entry.store.reports.set_eth_rows(entry.report_id, [o.code for o in entry.catalog.options_for("eth")])
    return entry


class _PaintProbe:
    """Notes when a widget has painted (an event filter on its viewport)."""

    def __init__(self, widget) -> None:
        from PySide6.QtCore import QEvent, QObject

        probe = self

        class _Filter(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint:
                    probe.painted = True
                return False

        self.painted = False
        self._filter = _Filter()
        widget.installEventFilter(self._filter)


def _open_once(app, entry) -> tuple[float, float, int]:
    from dttsclient.ui.form_view import FormView

    t0, c0 = time.perf_counter(), time.process_time()
    view = FormView(entry.store, entry.report_id)
    probe = _PaintProbe(view.view.viewport())
    view.resize(1280, 800)
    view.show()
    deadline = time.perf_counter() + 10
    while not probe.painted and time.perf_counter() < deadline:
        app.processEvents()
    wall, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
    rows = view.model.rowCount()
    view.close()
    view.deleteLater()
    app.processEvents()
    return wall, cpu, rows


def bench_open(runs: int = 7) -> dict:
    """Open the largest sample form (54 ethnic rows) until the grid's first paint.

    Returns:
        ``first_ms`` (first open in this process), ``import_ms`` (importing the entry modules, which the
        shell does on the first open), ``median_ms``/``max_ms`` of the next ``runs`` opens,
        ``median_cpu_ms``, ``rows`` of the grid, ``cells`` of the form, ``form``.
    """
    app = _app()
    with tempfile.TemporaryDirectory() as tmp:
        entry = _largest_entry(Path(tmp) / "profile")
        try:
            t0 = time.perf_counter()
            import dttsclient.ui.form_view  # noqa: F401  (the shell imports it on the first open)

            import_ms = (time.perf_counter() - t0) * 1000
            first, _cpu, rows = _open_once(app, entry)
            walls, cpus = [], []
            for _ in range(runs):
                wall, cpu, _rows = _open_once(app, entry)
                walls.append(wall)
                cpus.append(cpu)
            from tests.support.entry_fixtures import cells_of

            cells = cells_of(entry.catalog, entry.form, [o.code for o in entry.catalog.options_for("eth")])
            return {
                "form": entry.form.code,
                "rows": rows,
                "cells": cells,
                "first_ms": first,
                "import_ms": import_ms,
                "median_ms": statistics.median(walls),
                "max_ms": max(walls),
                "median_cpu_ms": statistics.median(cpus),
            }
        finally:
            entry.store.close()


def _timed(part, name: str, sink: list[float]) -> None:
    """Record how long each call of ``part.<name>`` takes (on the instance; the store is unchanged)."""
    method = getattr(part, name)

    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            sink.append((time.perf_counter() - t0) * 1000)

    setattr(part, name, wrapper)


def bench_typing(cells: int = 400) -> dict:
    """Type a value into ``cells`` cells of the largest form with the keyboard (digits, then Enter).

    The Enter key is the moment a cell is left: its handling includes the durable write (WAL,
    synchronous=FULL) and the move to the next cell; the store's own part of it is timed too. After each
    cell the event loop runs once (repaint), and the recheck of the report's rules — which the page runs
    when the officer pauses — is timed on its own.

    Returns:
        ``enter_p50_ms``/``enter_p99_ms``/``enter_max_ms`` (keystroke → durable cell),
        ``store_write_p50_ms``/``store_write_p99_ms`` (the store's write inside it),
        ``overhead_p99_ms`` (Enter minus the write, per cell), ``digit_p99_ms`` (every other keystroke),
        ``paint_p99_ms`` (the event-loop turn after each cell), ``recheck_p50_ms``/``recheck_p99_ms``,
        ``cells`` typed and ``verified`` (cells found in a freshly opened store afterwards).
    """
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from dttsclient.store import Store
    from dttsclient.ui.form_view import FormView

    app = _app()
    enter, writes, overhead, digits, paints, rechecks = [], [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        entry = _largest_entry(Path(tmp) / "profile")
        _timed(entry.store.reports, "set_cell", writes)
        view = FormView(entry.store, entry.report_id)
        view.resize(1280, 800)
        view.show()
        app.processEvents()
        view.view.setFocus()
        typed = 0
        try:
            for i in range(cells):
                text = str(1 + (i * 7) % 300)
                for ch in text:
                    t0 = time.perf_counter()
                    QTest.keyClick(QApplication.focusWidget() or view.view, ch)
                    digits.append((time.perf_counter() - t0) * 1000)
                before = len(writes)
                t0 = time.perf_counter()
                QTest.keyClick(QApplication.focusWidget() or view.view, Qt.Key.Key_Return)
                took = (time.perf_counter() - t0) * 1000
                enter.append(took)
                overhead.append(took - sum(writes[before:]))
                typed += 1
                t0 = time.perf_counter()
                app.processEvents()
                paints.append((time.perf_counter() - t0) * 1000)
                if i % 5 == 4:  # the officer pauses: the coalesced recheck runs
                    t0 = time.perf_counter()
                    view.recheck()
                    rechecks.append((time.perf_counter() - t0) * 1000)
        finally:
            view.close()
            view.deleteLater()
            app.processEvents()
            report_id = entry.report_id
            entry.store.close()
        with Store.open(Path(tmp) / "profile") as fresh:
            verified = len(fresh.reports.cells(report_id))
    return {
        "cells": typed,
        "verified": verified,
        "enter_p50_ms": statistics.median(enter),
        "enter_p99_ms": _percentile(enter, 99),
        "enter_max_ms": max(enter),
        "store_write_p50_ms": statistics.median(writes),
        "store_write_p99_ms": _percentile(writes, 99),
        "overhead_p50_ms": statistics.median(overhead),
        "overhead_p99_ms": _percentile(overhead, 99),
        "digit_p99_ms": _percentile(digits, 99),
        "paint_p99_ms": _percentile(paints, 99),
        "recheck_p50_ms": statistics.median(rechecks),
        "recheck_p99_ms": _percentile(rechecks, 99),
    }


def _rss_mb() -> float:
    """Current resident set size of this process in MB (psutil, /proc, or the peak from resource)."""
    try:
        import psutil  # type: ignore[import-not-found]

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:
        pass
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def _memory_child() -> None:
    app = _app()
    from dttsclient.ui.form_view import FormView

    with tempfile.TemporaryDirectory() as tmp:
        entry = _largest_entry(Path(tmp) / "profile")
        before = _rss_mb()
        view = FormView(entry.store, entry.report_id)
        view.resize(1280, 800)
        view.show()
        for _ in range(5):
            app.processEvents()
        view.view.scrollToBottom()  # every part of the page has been painted once
        app.processEvents()
        after = _rss_mb()
        print(json.dumps({"rss_mb": after, "rss_before_form_mb": before}))
        view.close()
        entry.store.close()


def bench_memory() -> dict:
    """Resident memory of a fresh process with the largest form open (QApplication, store, FormView).

    Returns:
        ``rss_mb`` with the form open and scrolled to the end, ``rss_before_form_mb`` (Qt and the store
        already loaded, form not yet built).
    """
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--memory-child"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def figures(quick: bool) -> list[dict]:
    from run import figure

    o = bench_open(runs=3 if quick else 9)
    t = bench_typing(cells=120 if quick else 500)
    m = bench_memory()
    size = f"{o['form']}, {o['cells']} cells, {o['rows']} grid rows"
    return [
        figure(
            "open the largest sample form (54 ethnic rows) to first paint, median",
            o["median_ms"],
            "ms",
            100.0,
            note=f"{size}; first open in the process {o['first_ms']:.0f} ms (+ {o['import_ms']:.0f} ms to import "
            f"the entry modules); CPU {o['median_cpu_ms']:.0f} ms; max {o['max_ms']:.0f} ms",
        ),
        figure(
            "keystroke to durable cell while typing through a form, p99",
            t["enter_p99_ms"],
            "ms",
            5.0,
            note=f"p50 {t['enter_p50_ms']:.2f} ms, max {t['enter_max_ms']:.1f} ms over {t['cells']} cells "
            f"({t['verified']} found in a fresh store); the store's write inside it p50 "
            f"{t['store_write_p50_ms']:.2f} / p99 {t['store_write_p99_ms']:.2f} ms, the rest p99 "
            f"{t['overhead_p99_ms']:.2f} ms; other keys p99 {t['digit_p99_ms']:.2f} ms; repaint p99 "
            f"{t['paint_p99_ms']:.1f} ms; recheck when typing pauses p50 {t['recheck_p50_ms']:.1f} / p99 "
            f"{t['recheck_p99_ms']:.1f} ms",
        ),
        figure(
            "resident memory with the largest form open",
            m["rss_mb"],
            "MB",
            200.0,
            note=f"{m['rss_before_form_mb']:.0f} MB before the form was built",
        ),
    ]


def main(argv: list[str]) -> int:
    if "--memory-child" in argv:
        _memory_child()
        return 0
    quick = "--quick" in argv
    result = {
        "open": bench_open(runs=3 if quick else 9),
        "typing": bench_typing(cells=120 if quick else 500),
        "memory": bench_memory(),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
