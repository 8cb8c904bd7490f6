"""The frozen Linux bundle: built with installer/dttsclient.spec, then its --version and --smoke-test.

The build takes a minute or two, so it runs when ``DTTS_BUILD_BUNDLE=1`` (``.ci/run`` sets it);
``installer/build_linux.sh`` does the work and its output is shown when it fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    os.environ.get("DTTS_BUILD_BUNDLE") != "1", reason="set DTTS_BUILD_BUNDLE=1 to build the bundle"
)
def test_the_frozen_bundle_builds_and_passes_its_smoke_test():
    proc = subprocess.run(
        ["bash", str(ROOT / "installer" / "build_linux.sh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        env={**os.environ, "PYTHON": sys.executable, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "smoke test ok" in proc.stdout + proc.stderr
