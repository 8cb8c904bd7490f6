"""The ``dttshub`` command line, run as a subprocess (the installed console script)."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from dttscore.formats.setup_package import read_setup_package
from dttshub.cli import main
from tests.support.hubfixture import COMMUNE_A, good_values, make_bundle, make_submission, small_catalog

ROOT = Path(__file__).resolve().parents[2]


def _exe() -> list[str]:
    script = Path(sys.executable).with_name("dttshub")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dttshub"]


class Cli:
    """Runs ``dttshub`` against one database and data directory."""

    def __init__(self, tmp_path: Path, db_url: str | None) -> None:
        self.data_dir = tmp_path / "hubdata"
        self.db = db_url or f"sqlite:///{tmp_path / 'cli-hub.sqlite'}"
        self.env = {**os.environ, "DTTSHUB_DATA_DIR": str(self.data_dir)}
        self.env.pop("DTTSHUB_DB", None)

    def __call__(self, *args: str, stdin: str | None = None, json_out: bool = False, lang: str | None = None):
        cmd = [*_exe(), *args, "--db", self.db]
        if json_out:
            cmd.append("--json")
        if lang:
            cmd += ["--lang", lang]
        proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=self.env, timeout=120)
        if json_out and proc.stdout.strip():
            proc.doc = json.loads(proc.stdout)
        return proc


@pytest.fixture
def cli(tmp_path, db_url):
    return Cli(tmp_path, db_url)


def test_cli_journey(cli, tmp_path):
    """The main admin journey through the installed ``dttshub`` script."""
    p = cli(
        "user",
        "add",
        "can_bo_a",
        "--role",
        "officer",
        "--unit",
        COMMUNE_A,
        "--password-stdin",
        stdin="mat-khau-dai\n",
    )
    assert p.returncode == 0, p.stderr
    assert "can_bo_a" in p.stdout
    cat = tmp_path / "catalog.json"
    cat.write_text(json.dumps(small_catalog()), encoding="utf-8")
    p = cli("catalog", "publish", str(cat), json_out=True)
    assert p.returncode == 0, p.stderr
    assert p.doc["published"] is True and p.doc["version"] == 1
    # a setup package that verifies
    pkg = tmp_path / "can_bo_a.dttssetup"
    p = cli(
        "setup-package",
        "--user",
        "can_bo_a",
        str(pkg),
        "--server-url",
        "https://hub.example.vn",
        json_out=True,
    )
    assert p.returncode == 0, p.stderr
    read = read_setup_package(pkg, trusted_keys=[p.doc["signing_key"]])
    assert read.username == "can_bo_a" and read.server_url == "https://hub.example.vn"
    assert (cli.data_dir / "hub_signing_key.pem").exists()
    # a courier bundle, twice
    docs = [make_submission(good_values(), period=y) for y in ("2026", "2027")]
    bundle = tmp_path / "xa.dttsgoi"
    bundle.write_bytes(make_bundle(docs))
    p = cli("courier", "import", str(bundle), json_out=True)
    assert p.returncode == 0, p.stderr
    assert sum(p.doc["counts"].values()) == 2 and set(p.doc["counts"]) <= {"accepted", "late"}
    receipts = [r["receipt_no"] for r in p.doc["results"]]
    p = cli("courier", "import", str(bundle), json_out=True)
    assert p.returncode == 3 and p.doc["counts"] == {"duplicate": 2}
    assert [r["receipt_no"] for r in p.doc["results"]] == receipts
    # review, then the reports listing
    p = cli(
        "review",
        "return",
        "--unit",
        COMMUNE_A,
        "--form",
        "BM01",
        "--period",
        "2026",
        "--comment",
        "Xem lại số hộ",
        json_out=True,
    )
    assert p.returncode == 0, p.stderr
    assert p.doc["report"]["review"]["comment"] == "Xem lại số hộ"
    p = cli("reports", json_out=True)
    assert p.returncode == 0, p.stderr
    rows = {r["period"]: r for r in p.doc["reports"]}
    assert set(rows) == {"2026", "2027"}
    assert rows["2026"]["server_revision"] == 2 and rows["2026"]["status"] == "returned"
    assert rows["2027"]["server_revision"] == 1
    assert {rows["2026"]["latest_receipt_no"], rows["2027"]["latest_receipt_no"]} == set(receipts)
    assert all(r["unit"] == COMMUNE_A and r["form"] == "BM01" for r in rows.values())
    p = cli("reports", "--unit", COMMUNE_A, lang="en")
    assert p.returncode == 0 and "returned" in p.stdout and "receipt" in p.stdout


def run_main(
    cli: Cli, capsys, *args: str, stdin: str | None = None, monkeypatch=None
) -> tuple[int, str, str]:
    """``dttshub.cli.main`` in this process (fast), for the error paths."""
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    monkeypatch.setenv("DTTSHUB_DATA_DIR", str(cli.data_dir))
    code = main([*args, "--db", cli.db])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_failures_and_nothing_to_do(cli, tmp_path, capsys, monkeypatch):
    def run(*args, stdin=None):
        return run_main(cli, capsys, *args, stdin=stdin, monkeypatch=monkeypatch)

    pw = "mat-khau-dai\n"
    assert (
        run(
            "user", "add", "can_bo_a", "--role", "officer", "--unit", COMMUNE_A, "--password-stdin", stdin=pw
        )[0]
        == 0
    )
    code, _, err = run(
        "user", "add", "can_bo_a", "--role", "officer", "--unit", COMMUNE_A, "--password-stdin", stdin=pw
    )
    assert code == 1 and "đã có" in err
    code, _, err = run(
        "user",
        "add",
        "tinh",
        "--role",
        "reviewer",
        "--unit",
        COMMUNE_A,
        "--password-stdin",
        "--lang",
        "en",
        stdin=pw,
    )
    assert code == 1 and "province" in err
    code, out, _ = run("user", "list", "--json")
    assert code == 0 and [u["username"] for u in json.loads(out)["users"]] == ["can_bo_a"]
    # catalogue: again (nothing to do), same version changed (refused), a broken one (problems listed)
    cat = tmp_path / "catalog.json"
    cat.write_text(json.dumps(small_catalog()), encoding="utf-8")
    assert run("catalog", "publish", str(cat))[0] == 0
    assert run("catalog", "publish", str(cat))[0] == 3
    changed = small_catalog()
    changed["meta"]["title"] = "Khác"
    cat.write_text(json.dumps(changed), encoding="utf-8")
    code, _, err = run("catalog", "publish", str(cat))
    assert code == 1 and "không mới hơn" in err
    broken = small_catalog(version=5)
    broken["rules"][0]["expression"] = "0103 <= (0102"
    cat.write_text(json.dumps(broken), encoding="utf-8")
    code, out, err = run("catalog", "publish", str(cat), "--json")
    assert code == 1 and "rules" in err
    assert json.loads(out)["error"]["code"] == "catalog_invalid"
    # unknown user, unknown report, unreadable bundle
    code, out, err = run("setup-package", "--user", "nobody", str(tmp_path / "x.dttssetup"), "--json")
    assert code == 1 and json.loads(out)["error"]["code"] == "no_user"
    code, _, err = run("review", "accept", "--unit", COMMUNE_A, "--form", "BM01", "--period", "2030")
    assert code == 1 and "chưa có báo cáo" in err
    assert run("courier", "import", str(tmp_path / "missing.dttsgoi"))[0] == 1
    (tmp_path / "bad.dttsgoi").write_bytes(b"not a zip")
    code, _, err = run("courier", "import", str(tmp_path / "bad.dttsgoi"), "--lang", "en")
    assert code == 1 and "nothing was imported" in err
    code, out, _ = run("reports", "--json")
    assert code == 0 and json.loads(out)["reports"] == []


def test_cli_publishes_a_workbook(cli, tmp_path, capsys, monkeypatch):
    from dttscore.catalog import catalog_from_json
    from dttscore.workbook import write_workbook

    xlsx = tmp_path / "danh_muc.xlsx"
    write_workbook(catalog_from_json(small_catalog(version=3)), xlsx)
    code, out, err = run_main(cli, capsys, "catalog", "publish", str(xlsx), "--json", monkeypatch=monkeypatch)
    assert code == 0, err
    assert json.loads(out)["version"] == 3
    code, out, _ = run_main(cli, capsys, "catalog", "list", "--json", monkeypatch=monkeypatch)
    assert [c["version"] for c in json.loads(out)["catalogs"]] == [3]


@pytest.mark.parametrize(
    "args",
    [
        ["user", "add", "x", "--role", "boss", "--unit", "19"],
        ["no-such-command"],
        ["review", "maybe", "--unit", "1", "--form", "F", "--period", "2026"],
        ["reports", "--lang", "fr"],
    ],
)
def test_cli_usage_errors_exit_2(args, capsys, monkeypatch):
    monkeypatch.delenv("DTTS_LANG", raising=False)
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "cú pháp: dttshub" in err and "lỗi: " in err  # Vietnamese by default


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_serve_answers_and_stops_gracefully(cli):
    port = _free_port()
    cmd = [*_exe(), "serve", "--db", cli.db, "--port", str(port), "--environment", "demo"]
    proc = subprocess.Popen(cmd, env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        doc = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                doc = requests.get(f"http://127.0.0.1:{port}/api/v1/ping", timeout=2).json()
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert doc is not None, proc.stderr.read() if proc.poll() is not None else "no answer"
        assert doc["environment"] == "demo" and doc["server_id"].startswith("hub-")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_cli_disables_enables_and_resets_an_account_while_the_hub_serves(tmp_path, db_url):
    """A province IT officer locks the account of an officer who left, unlocks it, then sets a new password."""
    from tests.support.hubfixture import DEFAULT_PASSWORD, start_hub

    with start_hub(tmp_path, db_url) as hub:
        cli = Cli(tmp_path, hub.db_url)
        hub.add_user("canbo1")
        token = hub.login("canbo1")["access_token"]
        ping = {"Authorization": f"Bearer {token}"}
        assert requests.get(hub.api + "/changes", headers=ping, timeout=30).status_code == 200

        p = cli("user", "disable", "canbo1", json_out=True)
        assert p.returncode == 0, p.stderr
        assert p.doc["disabled"] is True and p.doc["tokens_revoked"] == 2  # access + refresh
        assert requests.get(hub.api + "/changes", headers=ping, timeout=30).status_code == 401
        with pytest.raises(requests.HTTPError) as refused:
            hub.login("canbo1")
        assert refused.value.response.json()["error"]["code"] == "account_disabled"
        listed = cli("user", "list")
        assert "canbo1\tofficer\t" in listed.stdout and "đã khoá" in listed.stdout

        assert cli("user", "enable", "canbo1").returncode == 0
        assert hub.login("canbo1")["access_token"]

        p = cli("user", "password", "canbo1", "--password-stdin", stdin="mat-khau-moi-2026\n", lang="en")
        assert p.returncode == 0, p.stderr
        assert "devices must sign in again" in p.stdout
        with pytest.raises(requests.HTTPError):
            hub.login("canbo1", DEFAULT_PASSWORD)
        assert hub.login("canbo1", "mat-khau-moi-2026")["access_token"]

        # bad input changes nothing
        weak = cli("user", "password", "canbo1", "--password-stdin", stdin="ngan\n")
        assert weak.returncode == 1 and "ít nhất" in weak.stderr
        assert hub.login("canbo1", "mat-khau-moi-2026")["access_token"]
        missing = cli("user", "disable", "khong-co-ai")
        assert missing.returncode == 1 and "Không có tài khoản khong-co-ai" in missing.stderr
