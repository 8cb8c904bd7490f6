"""A reader that goes away (``dttsclient values show --json | head``) ends the command quietly.

Real processes and a real pipe whose reading end is closed before the command writes: no traceback on
stderr, exit 141 (128 + SIGPIPE) like other Unix tools.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")


def _closed_pipe(cmd: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run ``cmd`` with stdout to a pipe nobody reads: its reading end is closed at once."""
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err.decode("utf-8", "replace")


def _dttshub() -> list[str]:
    script = Path(sys.executable).with_name("dttshub")
    return (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "import sys; from dttshub.cli import main; sys.exit(main())"]
    )


@pytest.mark.parametrize("args", [["status", "--json"], ["status"], ["--help"]])
def test_dttsclient_closed_pipe_is_quiet(tmp_path: Path, args: list[str]) -> None:
    code, err = _closed_pipe([sys.executable, "-m", "dttsclient", "--data-dir", str(tmp_path / "p"), *args])
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert err == ""
    # argparse itself ignores a failed write of --help (exit 0); our own output ends with 141
    assert code == (0 if args == ["--help"] else 141)


def test_dttsclient_pipe_read_by_head(tmp_path: Path) -> None:
    """The shell pipeline of the issue, through ``head``: the first lines arrive, then a quiet end."""
    cmd = f"'{sys.executable}' -m dttsclient --data-dir '{tmp_path / 'p'}' status --json | head -c 1"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=120)
    assert proc.stdout == "{"
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 141)  # 0 when the whole document fitted in the pipe before head left


@pytest.mark.parametrize("args", [["--help"], ["user", "list", "--json"]])
def test_dttshub_closed_pipe_is_quiet(tmp_path: Path, args: list[str]) -> None:
    env = {"DTTSHUB_DATA_DIR": str(tmp_path / "hub"), "DTTSHUB_DB": f"sqlite:///{tmp_path / 'hub.sqlite'}"}
    code, err = _closed_pipe([*_dttshub(), *args], env)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert code == (0 if args == ["--help"] else 141)
