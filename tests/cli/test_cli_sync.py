"""``dttsclient login``, ``sync`` and ``setup import`` end to end: real processes, a real hub on 127.0.0.1.

The child processes have no keyring (tests/conftest.py selects keyring's null backend), so these tests
also walk the "no keyring: ask for the password each time and say why" path.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.hubfixture import COMMUNE_A, DEFAULT_PASSWORD, good_values, start_hub

WRONG = "sai-mat-khau"


def cli(
    data_dir: Path, *args: str, stdin: str | None = None, check: int | None = 0
) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "dttsclient", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    if check is not None:
        assert proc.returncode == check, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def cli_json(data_dir: Path, *args: str, stdin: str | None = None, check: int | None = 0) -> dict:
    return json.loads(cli(data_dir, "--json", *args, stdin=stdin, check=check).stdout)


@pytest.fixture
def hub(tmp_path):
    running = start_hub(tmp_path)
    running.publish_catalog()
    running.add_user("canbo_a", "officer", COMMUNE_A)
    running.add_user("duyet_tinh", "reviewer", "19")
    yield running
    running.stop()


def hub_cli(hub, *args: str) -> subprocess.CompletedProcess:
    """The hub's admin command line on the running hub's database."""
    proc = subprocess.run(
        [
            str(Path(sys.executable).with_name("dttshub")),
            "--db",
            hub.db_url,
            "--data-dir",
            str(hub.data_dir),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc


def assignments(values: dict) -> list[str]:
    return [f"{code}@{key}={v}" if key else f"{code}={v}" for (code, key), v in values.items()]


def test_login_enter_finalize_sync_and_a_new_pc_gets_its_history(tmp_path, hub):
    pc = tmp_path / "pc"
    doc = cli_json(
        pc,
        "login",
        "--server",
        hub.url,
        "--user",
        "canbo_a",
        "--password-stdin",
        stdin=DEFAULT_PASSWORD + "\n",
    )
    assert doc["unit"] == COMMUNE_A and doc["role"] == "officer" and doc["token_saved"] is False
    assert doc["catalog_updated"] is True
    cli_json(pc, "values", "set", "--form", "BM01", "--period", "2026", *assignments(good_values()))
    cli_json(pc, "finalize", "--form", "BM01", "--period", "2026")

    # No keyring: sync asks for the password again and says why (on stderr), then sends.
    proc = cli(pc, "--json", "sync", "--password-stdin", stdin=DEFAULT_PASSWORD + "\n")
    result = json.loads(proc.stdout)
    assert "kho mật khẩu" in proc.stderr
    assert result["ok"] is True and result["sent"] == 1 and result["accepted"] == 1
    assert result["outbox"] == {"accepted": 1} or result["outbox"].get("accepted") == 1
    for key in ("rejected", "conflicts", "late", "pulled", "bytes_up", "bytes_down", "duration"):
        assert key in result
    receipt = result["receipts"][0]["receipt_no"]
    assert receipt.startswith(COMMUNE_A)
    shown = cli_json(pc, "values", "show", "--form", "BM01", "--period", "2026")
    assert shown["outbox"][0]["state"] == "accepted" and shown["outbox"][0]["receipt_no"] == receipt

    # Pressing Sync again is safe: nothing is sent twice.
    again = cli_json(pc, "sync", "--password-stdin", stdin=DEFAULT_PASSWORD + "\n")
    assert again["sent"] == 0
    reports = json.loads(hub_cli(hub, "reports", "--json", "--unit", COMMUNE_A).stdout)["reports"]
    assert len(reports) == 1 and reports[0]["server_revision"] == 1 and reports[0]["receipt_no"] == receipt

    # A reinstalled PC: log in, and the commune's report comes back with its values.
    new_pc = tmp_path / "new-pc"
    back = cli_json(
        new_pc,
        "login",
        "--server",
        hub.url,
        "--user",
        "canbo_a",
        "--password-stdin",
        stdin=DEFAULT_PASSWORD + "\n",
    )
    assert back["pulled"] == 1
    restored = cli_json(new_pc, "values", "show", "--form", "BM01", "--period", "2026")
    assert {(c["code"], c["disagg"]): c["value"] for c in restored["cells"]} == good_values()


def test_rejected_item_exits_3_and_the_rest_goes_through(tmp_path, hub):
    pc = tmp_path / "pc"
    cli_json(
        pc, "login", "--server", hub.url, "--user", "canbo_a", "--password-stdin", stdin=DEFAULT_PASSWORD
    )
    cli_json(pc, "values", "set", "--form", "BM01", "--period", "2026", *assignments(good_values()))
    cli_json(pc, "finalize", "--form", "BM01", "--period", "2026")
    # A report for a commune outside the account's scope: the hub refuses that item only.
    cli_json(
        pc,
        "--unit",
        "01864",
        "values",
        "set",
        "--form",
        "BM01",
        "--period",
        "2026",
        *assignments(good_values()),
    )
    cli_json(pc, "--unit", "01864", "finalize", "--form", "BM01", "--period", "2026")
    result = cli_json(pc, "sync", "--password-stdin", stdin=DEFAULT_PASSWORD, check=3)
    assert result["accepted"] == 1 and len(result["rejected"]) == 1
    assert result["rejected"][0]["unit"] == "01864" and result["rejected"][0]["reasons"]
    assert result["outbox"].get("needs_attention") == 1


def test_wrong_password_and_no_server_fail_with_plain_words(tmp_path, hub):
    pc = tmp_path / "pc"
    proc = cli(
        pc, "login", "--server", hub.url, "--user", "canbo_a", "--password-stdin", stdin=WRONG, check=1
    )
    assert "mật khẩu" in proc.stderr.lower()
    proc = cli(
        pc,
        "--lang",
        "en",
        "login",
        "--server",
        hub.url,
        "--user",
        "canbo_a",
        "--password-stdin",
        stdin=WRONG,
        check=1,
    )
    assert "password" in proc.stderr.lower()
    # Nothing to sync with: not signed in.
    proc = cli(pc, "sync", check=1)
    assert "đăng nhập" in proc.stderr
    # A server that is not there: exit 1, the queue kept.
    cli_json(
        pc, "login", "--server", hub.url, "--user", "canbo_a", "--password-stdin", stdin=DEFAULT_PASSWORD
    )
    cli_json(pc, "values", "set", "--form", "BM01", "--period", "2026", *assignments(good_values()))
    cli_json(pc, "finalize", "--form", "BM01", "--period", "2026")
    hub.stop()
    proc = cli(pc, "sync", "--retries", "1", "--password-stdin", stdin=DEFAULT_PASSWORD, check=1)
    assert "máy chủ" in proc.stderr
    assert cli_json(pc, "status")["outbox"].get("queued") == 1
    status_text = cli(pc, "status").stdout  # the last sync's time as a person reads it, not ISO
    assert re.search(r"Đồng bộ gần nhất: \d\d/\d\d/\d{4} \d\d:\d\d", status_text), status_text


def test_setup_import_from_a_package_the_hub_signed(tmp_path, hub):
    package = tmp_path / "canbo_a.dttssetup"
    hub_cli(hub, "setup-package", "--user", "canbo_a", str(package))
    pc = tmp_path / "offline-pc"
    doc = cli_json(pc, "setup", "import", str(package))
    assert doc["unit"] == COMMUNE_A and doc["username"] == "canbo_a" and doc["server_id"] == hub.server_id
    status = cli_json(pc, "status")
    assert status["catalog"]["catalog_id"] == "test-dtts" and status["profile"]["unit"] == COMMUNE_A

    said = cli(tmp_path / "third-pc", "setup", "import", str(package)).stdout
    assert "Đã cài đặt từ gói: " in said
    assert not re.search(r"xã (Xã|Phường|Đặc khu)", said), said  # the unit's name already says what it is

    tampered = tmp_path / "tampered.dttssetup"
    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    proc = cli(tmp_path / "other-pc", "setup", "import", str(tampered), check=1)
    assert proc.stderr.strip()
