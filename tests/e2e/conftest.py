"""Fixtures of the end-to-end suite: an X display with openbox, a real hub, the real app (see harness.py).

Every test of this folder is marked ``e2e`` and skipped, with the reason, when the X tools are missing
(``.ci/run`` installs them from Debian: xvfb, openbox, xdotool, x11-utils, imagemagick, xclip).
Screenshots, the app's log and the hub's log of each test go to ``$DTTS_E2E_ARTIFACTS/<test>/``
(default tests/e2e/artifacts/, gitignored).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.e2e.harness import AppProcess, HubProcess, Processes, XSession, artifacts_root, missing_tools

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    missing = missing_tools()
    for item in items:
        if Path(str(item.fspath)).resolve().parent != HERE:
            continue
        item.add_marker(pytest.mark.e2e)
        if missing:
            item.add_marker(
                pytest.mark.skip(reason=f"end-to-end suite needs {', '.join(missing)} (see .ci/run)")
            )


@pytest.fixture
def artifacts(request) -> Path:
    path = artifacts_root() / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


@pytest.fixture
def procs():
    p = Processes()
    try:
        yield p
    finally:
        p.stop_all()


@pytest.fixture
def x(procs, artifacts) -> XSession:
    return XSession(procs, artifacts).start()


@pytest.fixture
def hub(procs, tmp_path, artifacts) -> HubProcess:
    return HubProcess(procs, tmp_path, artifacts).prepare().start()


@pytest.fixture
def app(procs, x, tmp_path, artifacts):
    a = AppProcess(procs, x, tmp_path, artifacts)
    try:
        yield a
    finally:
        if a.alive:
            x.screenshot("at-the-end")
        a.save_artifacts()
