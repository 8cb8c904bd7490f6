"""The hub's install without Qt (issue 13): what a province server gets from docs/deploy.md's command.

Two fresh venvs, each from a copy of the sources (pip's cache is used; the figures are sizes, not times):

* the hub as a province installs it, ``pip install ./core ./hub`` — the size of its site-packages
  (goal ≤ 130 MB, 1 MB = 10⁶ bytes; pip and setuptools of the venv included), and the Qt in it (goal 0);
* for comparison, the client with the demo's hub, ``pip install ./core ./hub ".[hub]"`` — the same
  content as the old single distribution's ``dttsclient[hub]``, Qt included — and its Qt alone
  (PySide6 and shiboken6).

Run alone: ``python benchmarks/hub_install_bench.py`` (prints JSON).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCES = ("core", "hub", "src", "resources", "pyproject.toml", "README.md")
HUB_GOAL_MB = 130.0
QT_PACKAGES = ("PySide6", "shiboken6")


def copy_sources(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "*.ts")
    for rel in SOURCES:
        src = ROOT / rel
        if src.is_dir():
            shutil.copytree(src, dest / rel, ignore=ignore)
        else:
            shutil.copy2(src, dest / rel)
    return dest


def install(venv: Path, tree: Path, *targets: str) -> Path:
    """A fresh venv at ``venv`` with ``targets`` installed from ``tree``; its site-packages folder."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *targets],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"pip install {' '.join(targets)} failed:\n{proc.stderr[-2000:]}")
    (site,) = (venv / "lib").glob("python*/site-packages")
    return site


def size_mb(path: Path) -> float:
    if not path.exists():
        return 0.0
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink()) / 1e6


def qt_mb(site: Path) -> float:
    return sum(size_mb(site / name) for name in QT_PACKAGES)


def measure() -> dict:
    with tempfile.TemporaryDirectory(prefix="dtts-hub-install-") as tmp:
        tree = copy_sources(Path(tmp) / "src")
        hub_site = install(Path(tmp) / "hub", tree, "./core", "./hub")
        hub = {"site_mb": size_mb(hub_site), "qt_mb": qt_mb(hub_site)}
        shutil.rmtree(Path(tmp) / "hub")
        full_site = install(Path(tmp) / "full", tree, "./core", "./hub", ".[hub]")
        full = {"site_mb": size_mb(full_site), "qt_mb": qt_mb(full_site)}
    return {"hub": hub, "client_with_hub": full}


def figures(quick: bool) -> list[dict]:
    from run import figure

    m = measure()
    hub, full = m["hub"], m["client_with_hub"]
    return [
        figure(
            "hub install without Qt (pip install ./core ./hub), site-packages",
            hub["site_mb"],
            "MB",
            HUB_GOAL_MB,
            note=f"{sys.platform}, Python {sys.version_info.major}.{sys.version_info.minor}; pip and "
            f"setuptools of the venv included; the client with the demo hub (the old dttsclient[hub]) "
            f"is {full['site_mb']:.0f} MB",
        ),
        figure("Qt in the hub install", hub["qt_mb"], "MB", 0.0, note="PySide6 and shiboken6"),
        figure(
            "client with the demo hub (./core ./hub .[hub]), site-packages",
            full["site_mb"],
            "MB",
            None,
            note=f"what dttsclient[hub] put on a server before issue 13; Qt alone {full['qt_mb']:.0f} MB",
        ),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    print(json.dumps(figures(quick="--quick" in sys.argv), indent=2, ensure_ascii=False))
