"""``--demo`` (embedded hub, demo officer, sample catalogue, demo profile) and ``--smoke-test``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import requests

from dttsclient.store import Store
from dttsclient.ui.demo import DEMO_UNIT, DemoEnvironment, DemoUnavailable
from dttsclient.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def _port_open(url: str) -> bool:
    host, port = url.removeprefix("http://").split(":")
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, int(port))) == 0


def test_demo_starts_and_stops_cleanly(qtbot, sync_runner, kit):
    demo = DemoEnvironment().start()
    try:
        url, root = demo.url, demo.root
        assert url.startswith("http://127.0.0.1:")
        ping = requests.get(url + "/api/v1/ping", timeout=10).json()
        assert ping["environment"] == "demo"
        with Store.open(demo.profile_dir) as store:
            p = store.settings.profile()
            assert (p.unit, p.unit_name, p.server_url) == (DEMO_UNIT, "Xã Y Tý", url)
            assert store.catalogs.current_catalog().sample
            assert demo.session.signed_in(store)
            w = MainWindow(
                store,
                sync_runner,
                demo.session,
                form_view_factory=kit.form_view_stub,
                demo_banner=demo.banner(),
            )
            qtbot.addWidget(w)
            w.show()
            assert w.demo_label.isVisible() and "DEMO" in w.demo_label.text() and url in w.demo_label.text()
            # the demo syncs for real against its own hub
            kit.finalize(store, kit.fill(store, "BM04", "202611"))
            assert w.start_sync()
            assert store.outbox.counts()["accepted"] == 1
            w.close()
        assert not str(demo.profile_dir).startswith(str(Path.home() / ".local"))
    finally:
        demo.stop()
    assert not root.exists()
    assert not _port_open(url)


def test_demo_without_the_hub_extra_says_what_to_install():
    err = DemoUnavailable("fastapi")
    assert "pip install -e ./core -e ./hub" in err.text("vi") and "fastapi" in err.text("en")


def test_smoke_test_exits_zero(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DTTS_DATA_DIR": str(tmp_path / "never-used")}
    proc = subprocess.run(
        [sys.executable, "-m", "dttsclient", "--smoke-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "smoke test ok" in proc.stdout
    assert not (tmp_path / "never-used").exists()
