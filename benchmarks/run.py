"""The benchmark runner: every speed, size and memory figure the issues name, each beside its goal.

Usage:
    python benchmarks/run.py [--quick] [--only NAME ...] [--markdown docs/benchmarks.md]

Prints one JSON document on stdout: {"machine": ..., "date": ..., "figures": [{name, value, unit, goal,
ok, note}]}. ``--quick`` uses smaller samples (for a smoke run); the figures quoted in notes come from a
full run. Figures are measured, never assumed; a figure whose measurement failed is reported with its
error instead of a value.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # the repository root: the test helpers are tests.support


def figure(
    name: str,
    value: float | None,
    unit: str,
    goal: float | None,
    lower_is_better: bool = True,
    note: str = "",
) -> dict:
    ok = None
    if value is not None and goal is not None:
        ok = value <= goal if lower_is_better else value >= goal
    return {
        "name": name,
        "value": None if value is None else round(float(value), 4),
        "unit": unit,
        "goal": goal,
        "goal_is": "max" if lower_is_better else "min",
        "ok": ok,
        "note": note,
    }


def _suites(quick: bool) -> dict[str, Callable[[], list[dict]]]:
    suites: dict[str, Callable[[], list[dict]]] = {}

    def core() -> list[dict]:
        import core_bench

        return core_bench.figures(quick)

    suites["core"] = core

    for name, module in (
        ("store", "store_bench"),
        ("sync", "sync_bench"),
        ("hub", "hub_bench"),
        ("totals", "totals_bench"),
        ("export", "export_bench"),
        ("login", "login_bench"),
        ("load", "load_bench"),
        ("herd", "herd_bench"),
        ("usb", "usb_bench"),
        ("import", "import_bench"),
        ("gui", "gui_bench"),
        ("gui_shell", "gui_bench_shell"),
        ("offline", "offline_bench"),
        ("package", "package_bench"),
        ("hub_install", "hub_install_bench"),
        ("review", "review_bench"),
        ("history", "history_bench"),
        ("wire", "wire_bench"),
        ("console", "console_bench"),
    ):

        def run(module: str = module) -> list[dict]:
            mod = __import__(module)
            return mod.figures(quick)

        if (HERE / f"{module}.py").exists():
            suites[name] = run
    return suites


def to_markdown(doc: dict) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {doc['date']} on {doc['machine']} by `python benchmarks/run.py`.",
        "",
        "| figure | measured | goal | ok |",
        "|---|---:|---:|:---:|",
    ]
    for f in doc["figures"]:
        if f.get("error"):
            lines.append(f"| {f['name']} | error: {f['error']} | | ✗ |")
            continue
        goal = (
            ""
            if f["goal"] is None
            else ("≤ " if f["goal_is"] == "max" else "≥ ") + f"{f['goal']} {f['unit']}"
        )
        ok = {True: "✓", False: "✗", None: "—"}[f["ok"]]
        note = f" ({f['note']})" if f.get("note") else ""
        lines.append(f"| {f['name']}{note} | {f['value']} {f['unit']} | {goal} | {ok} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--markdown", type=Path, default=None, help="also write the Markdown table here")
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    figures: list[dict] = []
    for name, suite in _suites(args.quick).items():
        if args.only and name not in args.only:
            continue
        try:
            figures.extend(suite())
        except Exception as exc:  # a failed measurement is reported, not hidden
            traceback.print_exc(file=sys.stderr)
            figures.append({"name": f"{name} suite", "error": f"{type(exc).__name__}: {exc}"})
    doc = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
        "quick": args.quick,
        "figures": figures,
    }
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    if args.markdown:
        args.markdown.write_text(to_markdown(doc), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
