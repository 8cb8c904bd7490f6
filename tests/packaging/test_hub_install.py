"""The province's install of the hub (docs/deploy.md): ``pip install ./core ./hub`` in a fresh venv.

It must bring no Qt and nothing of the client, give the ``dttshub`` command, and serve. The venv is made
from a copy of the two distributions' files (so the build leaves nothing in the checkout); pip uses its
cache. About half a minute to a minute: marked slow.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
# What the two distributions read: their pyproject.toml files and the code their package-dir points to.
HUB_INSTALL_FILES = ("core", "hub", "src/dttscore", "src/dttshub", "resources/ref")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="a province server runs Linux (docs/deploy.md)"),
]


def copy_hub_sources(dest: Path) -> Path:
    """The files ``pip install ./core ./hub`` reads, copied under ``dest`` (no caches, no build output)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for rel in HUB_INSTALL_FILES:
        shutil.copytree(ROOT / rel, dest / rel, ignore=ignore)
    return dest


def _run(cmd: list, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout, **kw)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_hub_installs_in_one_command_without_qt_and_serves(tmp_path):
    tree = copy_hub_sources(tmp_path / "src")
    venv = tmp_path / "dttshub"
    made = _run([sys.executable, "-m", "venv", venv])
    assert made.returncode == 0, made.stderr
    py, hub = venv / "bin" / "python", venv / "bin" / "dttshub"
    # The command of docs/deploy.md, from the folder holding core/ and hub/.
    install = _run([py, "-m", "pip", "install", "-q", "./core", "./hub"], timeout=900, cwd=tree)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]

    for module in ("PySide6", "dttsclient"):
        probe = _run([py, "-c", f"import {module}"])
        assert probe.returncode != 0 and f"No module named '{module}'" in probe.stderr, (module, probe.stderr)
    lists = _run([py, "-c", "from dttscore import refdata; print(len(refdata.ethnic_groups()))"])
    assert lists.returncode == 0 and lists.stdout.strip() == "54", lists.stderr  # dttscore.ref shipped

    env = {**os.environ, "DTTS_LANG": "en"}
    helped = _run([hub, "--help"], env=env)
    assert helped.returncode == 0, helped.stderr
    assert "serve" in helped.stdout and "usage: dttshub" in helped.stdout

    port = _free_port()
    db = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    cmd = [str(hub), "serve", "--db", db, "--port", str(port), "--environment", "demo"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        doc = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                doc = requests.get(f"http://127.0.0.1:{port}/api/v1/ping", timeout=2).json()
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        assert doc is not None, proc.stderr.read() if proc.poll() is not None else "no answer in 60 s"
        assert doc["environment"] == "demo" and doc["server_id"].startswith("hub-")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
