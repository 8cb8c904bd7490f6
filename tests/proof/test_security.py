"""Security: "no one else can see your commune's data".

* **No secret at rest.** A full journey through real ``dttsclient`` processes and a real hub (login with
  a known password, catalogue download, values, finalize, sync, a second report left unsent, backup and
  courier export, status) — then neither the password nor any token the hub issued appears in any byte
  of the profile folder (the database, its WAL, the logs, automatic backups), the backup, the bundle, or
  the hub's own files; zip members and SQLite pages included (``sec_scan.py``). The tokens come from the
  keyring the child processes used (``sec_keyring.py``: a file outside the profile, like the OS keyring).
* **TLS is verified.** An https hub whose certificate the PC does not trust is refused with a clear
  message and nothing recorded; with the province's CA file (``login --ca-file``, kept as the setting
  ``sync.ca_bundle``) login and sync work.
* **Scope.** Every role (officer, reviewer, admin, no token) × every endpoint × own and other commune
  and province: allowed exactly when the scope covers it.
* **Login throttling.** Repeated wrong passwords → 429 with ``Retry-After``; the right password is
  refused too while throttled; other accounts are not affected; it lifts when the window has passed.
* **Tampering.** A tampered setup package is refused by the client; a tampered courier bundle by the hub;
  nothing changes on either side.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from dttsclient.store import Store
from dttsclient.sync.engine import CA_BUNDLE_SETTING
from dttscore.formats.setup_package import SetupPackageError, read_setup_package
from tests.support import mutate
from tests.support.fuzz_checks import assert_clean_message, hub_digest, profile_digest
from tests.support.hubfixture import (
    COMMUNE_A,
    COMMUNE_B,
    COMMUNE_Y,
    PROVINCE_X,
    TEST_NOW,
    TIMEOUT,
    good_values,
    make_bundle,
    make_submission,
    start_hub,
)
from tests.support.sec_keyring import issued_tokens, keyring_env, read_file
from tests.support.sec_scan import needles, scan_bytes, scan_paths, scanned_files
from tests.support.tlsfront import TlsFront

PASSWORD = "Mật-khẩu-bí-mật-7Q3x9"  # a known, unmistakable password (with Vietnamese letters)
USER = "canbo_a"


def cli(
    data_dir: Path, *args: str, env: dict | None = None, stdin: str | None = None, check: int | None = 0
) -> subprocess.CompletedProcess:
    """``dttsclient --data-dir D ARGS`` as a real process (its rotating log goes to ``D/logs``)."""
    proc = subprocess.run(
        [sys.executable, "-m", "dttsclient", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )
    if check is not None:
        assert proc.returncode == check, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def assignments(values: dict) -> list[str]:
    return [f"{code}@{key}={v}" if key else f"{code}={v}" for (code, key), v in values.items()]


# -- no secret at rest ----------------------------------------------------------------------------------
def test_the_scanner_finds_a_secret_wherever_it_hides(tmp_path):
    """The scan can fail: a secret deflated inside a zip inside a zip, in UTF-16, in a WAL frame."""
    secret = "dta_" + "Zq9" * 12
    inner = mutate.build_zip([("x.json", json.dumps({"t": secret}).encode())])
    outer = mutate.build_zip([("inner.xlsx", inner)])
    assert [str(leak) for leak in scan_bytes(outer, {"s": needles(secret)}, "outer")] == [
        "s in outer!inner.xlsx!x.json"
    ]
    assert list(scan_bytes(secret[4:].encode("utf-16-le"), {"s": needles(secret)}, "u16"))
    db = tmp_path / "db.sqlite"
    keep = sqlite3.connect(db)
    keep.execute("PRAGMA journal_mode=WAL")
    keep.execute("CREATE TABLE t (v TEXT)")
    keep.commit()
    writer = sqlite3.connect(db)
    writer.execute("INSERT INTO t VALUES (?)", (PASSWORD,))
    writer.commit()
    writer.close()
    try:
        leaks = scan_paths([tmp_path], [PASSWORD])
        assert any(leak.where.endswith("db.sqlite-wal") for leak in leaks), leaks
    finally:
        keep.close()


@pytest.fixture
def journey(tmp_path):
    """A hub with the small catalogue and officer A (password :data:`PASSWORD`); the journey's folders."""
    hub = start_hub(tmp_path, clock=TEST_NOW)
    try:
        hub.publish_catalog()
        hub.add_user(USER, "officer", COMMUNE_A, password=PASSWORD)
        yield hub
    finally:
        hub.stop()


def test_no_password_or_token_in_the_profile_backups_bundles_or_logs(tmp_path, journey):
    hub = journey
    pc = tmp_path / "pc"
    stick = tmp_path / "usb"
    stick.mkdir()
    keyring_file = tmp_path / "os-keyring" / "keyring.json"
    keyring_file.parent.mkdir()
    env = keyring_env(keyring_file)

    cli(pc, "login", "--server", hub.url, "--user", USER, "--password-stdin", env=env, stdin=PASSWORD + "\n")
    # Hold the database open, as the GUI would, so the WAL file with its frames stays on disk to be scanned.
    watcher = sqlite3.connect(pc / "profile.sqlite")
    watcher.execute("SELECT count(*) FROM sqlite_master").fetchall()  # now attached to the WAL index
    try:
        period = ["--form", "BM01", "--period", "2026"]
        cli(pc, "values", "set", *period, *assignments(good_values()), env=env)
        cli(pc, "finalize", *period, env=env)
        sync = json.loads(cli(pc, "--json", "sync", env=env).stdout)
        assert sync["ok"] and sync["accepted"] == 1
        older = ["--form", "BM01", "--period", "2025"]
        cli(pc, "values", "set", *older, *assignments(good_values()), env=env)
        cli(pc, "finalize", *older, env=env)
        cli(pc, "courier", "export", str(stick / "goi.dttsgoi"), env=env)
        cli(pc, "backup", "export", str(stick / "ban-sao.dttsbak"), env=env)
        cli(pc, "status", env=env)
        cli(pc, "values", "show", *period, env=env)
        hub.clock.advance(3 * 3600)  # the access token expires: the next sync refreshes it
        assert json.loads(cli(pc, "--json", "sync", env=env).stdout)["ok"]

        tokens = issued_tokens(keyring_file)
        assert len(tokens) >= 3  # access + refresh from the login, a second access token from the refresh
        (device,) = hub.hub.accounts.devices(USER)  # a refresh token works only on its own device
        assert all(hub.hub.accounts.refresh(t, device["device_id"]) for t in tokens if t.startswith("dtr_"))
        secrets = [PASSWORD, *tokens]
        files = scanned_files([pc, stick])
        names = {p.name for p in files}
        assert "dttsclient.log" in names, names  # the logs were written, and are scanned
        assert "profile.sqlite-wal" in names, names
        assert {"goi.dttsgoi", "ban-sao.dttsbak"} <= names
        leaks = scan_paths([pc, stick, hub.data_dir], secrets)
        assert not leaks, "\n".join(map(str, leaks))
        # the keyring (outside the profile) does hold them: the scan looked for the right strings
        assert scan_paths([keyring_file], tokens)
    finally:
        watcher.close()
    assert read_file(keyring_file)["entries"], "the sign-in is kept in the keyring"


# -- TLS ------------------------------------------------------------------------------------------------
def test_an_untrusted_certificate_is_refused_unless_the_provinces_ca_is_given(tmp_path, journey):
    hub = journey
    parts = urlsplit(hub.url)
    front = TlsFront(tmp_path, (parts.hostname, parts.port))
    keyring_file = tmp_path / "keyring.json"
    env = keyring_env(keyring_file)
    pc = tmp_path / "pc"
    try:
        Store.open(pc).close()
        before = profile_digest(pc)
        refused = cli(
            pc,
            "login",
            "--server",
            front.url,
            "--user",
            USER,
            "--password-stdin",
            "--retries",
            "0",
            env=env,
            stdin=PASSWORD + "\n",
            check=1,
        )
        assert "chứng chỉ" in refused.stderr
        assert_clean_message(refused.stderr)
        assert profile_digest(pc) == before  # nothing recorded, no token kept
        assert not read_file(keyring_file)["entries"]
        english = cli(
            pc,
            "--lang",
            "en",
            "login",
            "--server",
            front.url,
            "--user",
            USER,
            "--password-stdin",
            "--retries",
            "0",
            env=env,
            stdin=PASSWORD + "\n",
            check=1,
        )
        assert "certificate" in english.stderr

        doc = json.loads(
            cli(
                pc,
                "--json",
                "login",
                "--server",
                front.url,
                "--user",
                USER,
                "--password-stdin",
                "--ca-file",
                str(front.ca_path),
                env=env,
                stdin=PASSWORD + "\n",
            ).stdout
        )
        assert doc["server_id"] == hub.server_id and doc["token_saved"]
        with Store.open(pc) as store:
            assert store.settings.get_setting(CA_BUNDLE_SETTING) == str(front.ca_path.resolve())
        cli(pc, "values", "set", "--form", "BM01", "--period", "2026", *assignments(good_values()), env=env)
        cli(pc, "finalize", "--form", "BM01", "--period", "2026", env=env)
        assert json.loads(cli(pc, "--json", "sync", env=env).stdout)["accepted"] == 1
    finally:
        front.close()


# -- scope matrix ---------------------------------------------------------------------------------------
ACCOUNTS = {  # role -> (username, unit scope)
    "officer": ("officer_a", COMMUNE_A),
    "reviewer": ("reviewer_x", PROVINCE_X),
    "admin": ("admin_x", PROVINCE_X),
}
TARGETS = {"own commune": COMMUNE_A, "other commune": COMMUNE_B, "other province": COMMUNE_Y}
OFFICER_OF = {COMMUNE_A: "officer_a", COMMUNE_B: "officer_b", COMMUNE_Y: "officer_y"}
ENDPOINTS = ("catalog", "batch", "status", "changes", "bundles", "setup-package", "reviews")


def expected(role: str, endpoint: str, unit: str) -> str:
    """What the contract says: allowed, denied (scope), role (the role may not) or 401 (no token)."""
    if role == "anonymous":
        return "401"
    if endpoint == "catalog":
        return "allowed"
    _, scope = ACCOUNTS[role]
    covers = unit == scope or (len(scope) == 2 and unit in (COMMUNE_A, COMMUNE_B))  # A, B are in X
    if endpoint == "reviews" and role == "officer":
        return "role"
    if endpoint == "setup-package":  # the target is the account of the commune's officer
        if role == "officer":  # its own package only
            return "allowed" if unit == COMMUNE_A else "role"
        if role == "reviewer":  # only an admin hands out other accounts' packages
            return "role"
    return "allowed" if covers else "denied"


@pytest.fixture(scope="module")
def scoped_hub(tmp_path_factory):
    """A hub with officers of A, B, Y, a reviewer and an admin of province X, and a report of each commune."""
    hub = start_hub(tmp_path_factory.mktemp("scope"), clock=TEST_NOW)
    try:
        hub.publish_catalog()
        for unit, name in OFFICER_OF.items():
            hub.add_user(name, "officer", unit)
        hub.add_user("reviewer_x", "reviewer", PROVINCE_X)
        hub.add_user("admin_x", "admin", PROVINCE_X)
        hub.add_user("admin_all", "admin", "*")
        stored = {}
        admin = hub.session("admin_all", device_id="seed")
        for unit in TARGETS.values():
            doc = make_submission(good_values(), unit=unit, period="2025")
            r = admin.post(
                hub.api + "/submissions:batch",
                json={"device_id": "seed", "submissions": [doc]},
                timeout=TIMEOUT,
            )
            assert r.json()["results"][0]["status"] in ("accepted", "late"), r.text
            stored[unit] = doc["submission_id"]
        sessions = {role: hub.session(name, device_id=f"dev-{name}") for role, (name, _) in ACCOUNTS.items()}
        sessions["anonymous"] = requests.Session()
        yield hub, sessions, stored
        sessions["anonymous"].close()
    finally:
        hub.stop()


def attempt(hub, session: requests.Session, endpoint: str, unit: str, stored: dict) -> str:
    """Call ``endpoint`` about ``unit`` and classify the reply the same way as :func:`expected`."""
    api = hub.api
    if endpoint == "catalog":
        r = session.get(api + "/catalog", timeout=TIMEOUT)
    elif endpoint == "batch":
        doc = make_submission(good_values(), unit=unit, period="2024")
        r = session.post(
            api + "/submissions:batch", json={"device_id": "d", "submissions": [doc]}, timeout=TIMEOUT
        )
    elif endpoint == "status":
        r = session.post(api + "/submissions:status", json={"ids": [stored[unit]]}, timeout=TIMEOUT)
    elif endpoint == "changes":
        r = session.get(api + "/changes", params={"unit": unit}, timeout=TIMEOUT)
    elif endpoint == "bundles":
        bundle = make_bundle([make_submission(good_values(), unit=unit, period="2023")], commune=unit)
        r = session.post(api + "/bundles", data=bundle, timeout=TIMEOUT)
    elif endpoint == "setup-package":
        r = session.get(api + "/setup-package", params={"user": OFFICER_OF[unit]}, timeout=TIMEOUT)
    else:
        body = {
            "unit": unit,
            "form": "BM01",
            "period": "2025",
            "decision": "return",
            "comment": "Kiểm tra lại",
        }
        r = session.post(api + "/reviews", json=body, timeout=TIMEOUT)
    if r.status_code == 401:
        assert r.json()["error"]["code"] == "token_missing"
        return "401"
    if r.status_code == 403:
        code = r.json()["error"]["code"]
        assert_clean_message(r.json()["error"]["message_vi"], r.json()["error"]["message_en"])
        return "role" if code == "role_required" else "denied"
    assert r.status_code == 200, r.text
    if endpoint in ("batch", "bundles"):
        [res] = r.json()["results"]
        if res["status"] == "rejected":
            assert res["errors"][0]["code"] == "out_of_scope", res
            return "denied"
        return "allowed"
    if endpoint == "status":
        return "denied" if r.json()["results"][0]["status"] == "unknown" else "allowed"
    if endpoint == "changes":
        assert {x["unit"] for x in r.json()["reports"]} == {unit}  # never another commune's report
    return "allowed"


@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", [*ACCOUNTS, "anonymous"])
def test_scope_matrix(scoped_hub, role, endpoint, target):
    hub, sessions, stored = scoped_hub
    unit = TARGETS[target]
    assert attempt(hub, sessions[role], endpoint, unit, stored) == expected(role, endpoint, unit)


def test_unscoped_reads_never_show_another_communes_data(scoped_hub):
    """Without a ``unit`` filter, each account sees exactly the reports of its scope."""
    hub, sessions, _ = scoped_hub
    seen = {
        role: {x["unit"] for x in sessions[role].get(hub.api + "/changes", timeout=TIMEOUT).json()["reports"]}
        for role in ACCOUNTS
    }
    assert seen["officer"] == {COMMUNE_A}
    assert seen["reviewer"] == seen["admin"] == {COMMUNE_A, COMMUNE_B}


# -- login throttling -----------------------------------------------------------------------------------
def _token(hub, username: str, password: str) -> requests.Response:
    body = {"username": username, "password": password, "device_id": "dev-t", "device_name": "PC xã"}
    return requests.post(hub.api + "/auth/token", json=body, timeout=TIMEOUT)


def test_repeated_wrong_passwords_are_throttled_even_for_the_right_one(tmp_path):
    hub = start_hub(tmp_path, clock=TEST_NOW, login_max_failures=5, login_failure_window=900)
    try:
        hub.add_user(USER, "officer", COMMUNE_A, password=PASSWORD)
        hub.add_user("canbo_b", "officer", COMMUNE_B, password=PASSWORD)
        for _ in range(5):
            r = _token(hub, USER, "sai-mat-khau")
            assert r.status_code == 401 and r.json()["error"]["code"] == "wrong_password"
        for password in ("sai-mat-khau", PASSWORD):
            r = _token(hub, USER, password)
            assert r.status_code == 429, r.text
            assert 1 <= int(r.headers["Retry-After"]) <= 900
            assert r.json()["error"]["code"] == "too_many_attempts"
            assert_clean_message(r.json()["error"]["message_vi"], r.json()["error"]["message_en"])
            assert "access_token" not in r.text
        assert _token(hub, "canbo_b", PASSWORD).status_code == 200  # another account is not locked out
        # the CLI says so in plain words and keeps nothing
        pc = tmp_path / "pc"
        proc = cli(
            pc,
            "login",
            "--server",
            hub.url,
            "--user",
            USER,
            "--password-stdin",
            "--retries",
            "0",
            stdin=PASSWORD + "\n",
            check=1,
        )
        assert_clean_message(proc.stderr)
        assert "phút" in proc.stderr
        hub.clock.advance(901)  # the failures have left the window
        assert _token(hub, USER, PASSWORD).status_code == 200
    finally:
        hub.stop()


# -- tampering ------------------------------------------------------------------------------------------
def _resign(package: bytes, member: str, content: bytes) -> bytes:
    """A package whose member was changed and whose manifest hash was made to fit (the signature was not)."""
    members = dict(mutate.zip_members(package))
    manifest = json.loads(members["manifest.json"])
    manifest["members"][member] = hashlib.sha256(content).hexdigest()
    data = mutate.replace_member(package, member, content)
    return mutate.replace_member(data, "manifest.json", mutate.dump_json(manifest))


def _signed_by_another_key(package: bytes) -> bytes:
    """The package re-signed, whole and consistent, by a key that is not the hub's."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = Ed25519PrivateKey.generate()
    public = base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    members = dict(mutate.zip_members(package))
    server = json.loads(members["server.json"])
    server["signing_key"], server["server_url"] = public, "https://evil.example/"
    members["server.json"] = mutate.dump_json(server)
    manifest = json.loads(members["manifest.json"])
    manifest["members"]["server.json"] = hashlib.sha256(members["server.json"]).hexdigest()
    if "signing_key" in manifest:
        manifest["signing_key"] = public
    members["manifest.json"] = mutate.dump_json(manifest)
    signature_name = next(n for n in members if n not in manifest["members"] and n != "manifest.json")
    members[signature_name] = base64.b64encode(key.sign(members["manifest.json"]))
    return mutate.build_zip(list(members.items()))


@pytest.fixture
def package_and_profile(tmp_path, journey):
    """A genuine setup package for officer A, and a profile that has already met this hub (key pinned)."""
    hub = journey
    package = hub.hub.setup_package(hub.hub.accounts.get_user(USER), "https://dtts.example/")
    read_setup_package(package)  # the genuine one is fine
    pc = tmp_path / "pc"
    good = tmp_path / "good.dttssetup"
    good.write_bytes(package)
    cli(pc, "setup", "import", str(good))
    return package, pc


def _edited(package: bytes, member: str, path: tuple, value, fix_hash: bool = True) -> bytes:
    doc = json.loads(dict(mutate.zip_members(package))[member])
    content = mutate.dump_json(mutate.edit_json(doc, path, value))
    return _resign(package, member, content) if fix_hash else mutate.replace_member(package, member, content)


TAMPERS = {
    "catalogue edited, hash fixed": lambda p: _edited(p, "catalog.json", ("meta", "title"), "Danh mục giả"),
    "server address edited, hash fixed": lambda p: _edited(
        p, "server.json", ("server_url",), "https://evil.example/"
    ),
    "account edited, hash not fixed": lambda p: _edited(
        p, "account.json", ("username",), "ke_gia_mao", fix_hash=False
    ),
    "signed by another key": _signed_by_another_key,
    "an extra member": lambda p: mutate.add_member(p, "extra.json", b"{}"),
}


@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_a_tampered_setup_package_is_refused_by_the_client(tmp_path, package_and_profile, tamper):
    package, pc = package_and_profile
    bad = TAMPERS[tamper](package)
    if tamper != "signed by another key":  # a consistent foreign signature is refused only by a pinned key
        with pytest.raises(SetupPackageError):
            read_setup_package(bad)
    path = tmp_path / "bad.dttssetup"
    path.write_bytes(bad)
    before = profile_digest(pc)
    proc = cli(pc, "setup", "import", str(path), check=1)
    assert_clean_message(proc.stderr)
    assert profile_digest(pc) == before


def _bundle_member(bundle: bytes, index: int = 0) -> tuple[str, dict]:
    manifest = json.loads(dict(mutate.zip_members(bundle))["manifest.json"])
    name = manifest["submissions"][index]["file"]
    return name, json.loads(dict(mutate.zip_members(bundle))[name])


def _with_member(bundle: bytes, name: str, doc: dict, fix_hash: bool) -> bytes:
    content = json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")
    data = mutate.replace_member(bundle, name, content)
    if fix_hash:
        manifest = json.loads(dict(mutate.zip_members(data))["manifest.json"])
        for entry in manifest["submissions"]:
            if entry["file"] == name:
                entry["sha256"] = hashlib.sha256(content).hexdigest()
        data = mutate.replace_member(data, "manifest.json", mutate.dump_json(manifest))
    return data


def _bump_values(doc: dict) -> dict:
    values = [dict(v) for v in doc["values"]]
    values[0]["value"] = str(int(values[0]["value"]) + 1000)
    return {**doc, "values": values}


BUNDLE_TAMPERS = {
    # (change, expected: "refused" = the whole bundle 400, "rejected" = the item is rejected)
    "a value changed, hash not fixed": (
        lambda b: _with_member(b, *_bm(b, _bump_values), fix_hash=False),
        "refused",
    ),
    "a value changed, bundle hash fixed": (
        lambda b: _with_member(b, *_bm(b, _bump_values), fix_hash=True),
        "rejected",
    ),
    "moved to another commune": (
        lambda b: _with_member(b, *_bm(b, lambda d: {**d, "unit": COMMUNE_Y}), fix_hash=True),
        "rejected",
    ),
    "a member swapped for another submission": (
        lambda b: _with_member(b, _bundle_member(b, 0)[0], _bundle_member(b, 1)[1], fix_hash=True),
        "refused",
    ),
    "a path outside the bundle": (lambda b: mutate.add_member(b, "../../evil.json", b"{}"), "refused"),
}


def _bm(bundle: bytes, change) -> tuple[str, dict]:
    name, doc = _bundle_member(bundle)
    return name, change(doc)


@pytest.mark.parametrize("tamper", list(BUNDLE_TAMPERS))
def test_a_tampered_courier_bundle_is_refused_by_the_hub(tmp_path, journey, tamper):
    hub = journey
    docs = [make_submission(good_values(), period=p) for p in ("2025", "2026")]
    bundle = make_bundle(docs)
    change, outcome = BUNDLE_TAMPERS[tamper]
    bad = change(bundle)
    session = hub.session(USER, password=PASSWORD)
    before = hub_digest(hub)
    r = session.post(hub.api + "/bundles", data=bad, timeout=TIMEOUT)
    if outcome == "refused":
        assert r.status_code == 400, r.text
        assert r.json()["error"]["code"].startswith("bundle_")
        assert_clean_message(r.json()["error"]["message_vi"], r.json()["error"]["message_en"])
        assert hub_digest(hub) == before
    else:
        assert r.status_code == 200, r.text
        first = r.json()["results"][0]
        assert first["status"] == "rejected", first
        assert_clean_message(first["errors"][0]["message_vi"], first["errors"][0]["message_en"])
        assert r.json()["results"][1]["status"] in ("accepted", "late")  # the untouched one goes in
    # the genuine bundle still goes in afterwards (nothing of the tampered item was kept)
    r = session.post(hub.api + "/bundles", data=bundle, timeout=TIMEOUT)
    assert r.json()["results"][0]["status"] in ("accepted", "late"), r.text
