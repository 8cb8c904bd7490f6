"""The layer contracts (docs/architecture.md) (import-linter) and a clean ruff run are part of the test suite."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    return str(exe) if exe.exists() else (shutil.which(name) or name)


def test_import_contracts_hold():
    proc = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " 0 broken" in proc.stdout


def test_ruff_is_clean():
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks", "tools"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# What only the store may touch: its database object, the raw connection, its lock.
_STORE_PRIVATE = {"_db", "_conn", "_lock"}


def _store_internals_used(path: Path) -> list[str]:
    """``x._db``, ``x._conn``, ``x._lock`` on anything but ``self``, and ``….db.conn``, in one file."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        on_self = isinstance(owner, ast.Name) and owner.id in ("self", "cls")
        if (node.attr in _STORE_PRIVATE and not on_self) or (
            node.attr == "conn" and isinstance(owner, ast.Attribute) and owner.attr in ("db", "_db")
        ):
            found.append(f"{path}:{node.lineno}: .{node.attr}")
    return found


def test_nothing_outside_the_store_touches_its_connection():
    """The store owns profile.sqlite: the other layers, the benchmarks and the tools use its parts'
    methods, never its connection or lock (docs/architecture.md, "The store")."""
    store_dir = ROOT / "src" / "dttsclient" / "store"
    files = [
        p
        for folder in ("src/dttsclient", "benchmarks", "tools")
        for p in sorted((ROOT / folder).rglob("*.py"))
        if store_dir not in p.parents
    ]
    assert len(files) > 50
    assert [hit for p in files for hit in _store_internals_used(p)] == []


def test_the_store_internals_check_can_fail(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def f(store):\n    return store._db.conn, store.db.conn, store._lock\n", encoding="utf-8"
    )
    assert len(_store_internals_used(probe)) == 4
