"""The protocol's models at work through a real hub: bad items rejected one by one, bounds, unknown fields,
integers beyond 64 bits (batch, bundle, ``courier import``), the memory budget of a body, the served
OpenAPI document."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from dttscore.bounds import MAX_COMMENT, MAX_REVISION
from dttshub.cli import main
from tests.support.hubfixture import (
    COMMUNE_A,
    TIMEOUT,
    good_values,
    make_bundle,
    make_submission,
    small_catalog,
)


def batch(session: requests.Session, hub, docs: list, **kw) -> requests.Response:
    body = {"device_id": "device-1", "app_version": "0.1.0", "submissions": docs}
    return session.post(hub.api + "/submissions:batch", json=body, timeout=TIMEOUT, **kw)


def results(resp: requests.Response) -> list[dict]:
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]


@pytest.fixture
def officer(people):
    return people.session("officer_a")


def _stored_ids(hub) -> set[str]:
    import sqlalchemy as sa

    from dttshub import db as t

    with hub.hub.db.read() as conn:
        return set(conn.execute(sa.select(t.submissions.c.submission_id)).scalars())


def test_bad_comments_are_rejected_per_item_and_the_others_go_on(officer, hub):
    not_objects = make_submission(good_values(), period="2027")
    not_objects["comments"] = [1]
    huge = make_submission(good_values(), period="2028")
    huge["comments"] = [{"code": "1102", "disagg": "", "text": "x" * (5 << 20), "author": "a", "at": ""}]
    good = make_submission(good_values(), comments=[{"code": "1102", "text": "Đã kiểm tra lại."}])
    res = results(batch(officer, hub, [not_objects, huge, good]))
    assert [r["status"] for r in res] == ["rejected", "rejected", "accepted"]
    assert res[0]["errors"][0]["field"] == "comments[0]"
    assert "comments[0]" in res[0]["errors"][0]["message_vi"]
    assert res[1]["errors"][0]["field"] == "comments[0].text"
    assert f"{MAX_COMMENT}" in res[1]["errors"][0]["message_en"]
    assert _stored_ids(hub) == {good["submission_id"]}


@pytest.mark.parametrize("field", ["revision_no", "base_server_revision", "catalog_version"])
@pytest.mark.parametrize("value", [2**31, 2**63, 2**64 + 5, -1])
def test_integers_outside_64_bits_are_rejected_per_item(officer, hub, field, value):
    bad = make_submission(good_values(), period="2027")
    bad[field] = value
    good = make_submission(good_values())
    res = results(batch(officer, hub, [bad, good]))
    assert [r["status"] for r in res] == ["rejected", "accepted"]
    assert res[0]["errors"][0]["field"] == field
    # the largest value the hub's columns hold is within the protocol (the content checks may refuse it)
    edge = make_submission(good_values(), period="2028")
    edge[field] = MAX_REVISION
    [r] = results(batch(officer, hub, [edge]))
    assert all(e.get("field") != field for e in r["errors"])


def test_unknown_fields_are_refused(officer, hub):
    extra = make_submission(good_values(), period="2027")
    extra["sneaky"] = {"a": 1}
    cell_extra = make_submission(good_values(), period="2028")
    cell_extra["values"][0]["note"] = "x"
    res = results(batch(officer, hub, [extra, cell_extra, make_submission(good_values())]))
    assert [r["status"] for r in res] == ["rejected", "rejected", "accepted"]
    assert res[0]["errors"][0]["field"] == "sneaky"
    assert res[1]["errors"][0]["field"] == "values[0].note"
    # in an envelope: the whole request is malformed
    r = officer.post(hub.api + "/submissions:batch", json={"submissions": [], "x": 1}, timeout=TIMEOUT)
    assert r.status_code == 400 and "'x'" in r.json()["error"]["message_en"]
    r = requests.post(
        hub.api + "/auth/token",
        json={"username": "officer_a", "password": "p", "device_id": "d", "admin": True},
        timeout=TIMEOUT,
    )
    assert r.status_code == 400


def test_strings_and_lists_are_bounded_in_every_request(officer, hub):
    r = officer.post(hub.api + "/submissions:status", json={"ids": ["x" * 5000]}, timeout=TIMEOUT)
    assert r.status_code == 400
    r = officer.post(hub.api + "/submissions:status", json={"ids": ["a"] * 1001}, timeout=TIMEOUT)
    assert r.status_code == 400
    r = requests.post(
        hub.api + "/auth/token",
        json={"username": "u" * 65, "password": "p", "device_id": "d"},
        timeout=TIMEOUT,
    )
    assert r.status_code == 400 and "64" in r.json()["error"]["message_en"]
    r = officer.get(hub.api + "/changes", params={"limit": str(2**70)}, timeout=TIMEOUT)
    assert r.status_code == 400


def test_a_bundle_with_a_huge_integer_rejects_that_item_only(people, officer):
    bad = make_submission(good_values(), period="2027")
    bad["revision_no"] = 2**63
    good = make_submission(good_values())
    r = officer.post(people.api + "/bundles", data=make_bundle([bad, good]), timeout=TIMEOUT)
    res = results(r)
    assert [x["status"] for x in res] == ["rejected", "accepted"]
    assert res[0]["errors"][0]["field"] == "revision_no"


def test_courier_import_with_a_huge_integer_gives_results_not_a_traceback(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DTTSHUB_DATA_DIR", str(tmp_path / "data"))
    db = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    cat = tmp_path / "catalog.json"
    cat.write_text(json.dumps(small_catalog()), encoding="utf-8")
    assert main(["catalog", "publish", str(cat), "--db", db]) == 0
    bad = make_submission(good_values(), period="2027")
    bad["catalog_version"] = 2**64
    bundle = tmp_path / "xa.dttsgoi"
    bundle.write_bytes(make_bundle([bad, make_submission(good_values())]))
    capsys.readouterr()
    code = main(["courier", "import", str(bundle), "--db", db, "--json", "--lang", "en"])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    doc = json.loads(out.out)
    assert code != 0 and doc["counts"] == {"accepted": 1, "rejected": 1}
    assert doc["results"][0]["errors"][0]["field"] == "catalog_version"


def _empty_comments_body(n: int) -> bytes:
    doc = b'{"device_id":"d","submissions":[{"submission_id":"x","comments":[' + b"{}," * (n - 1) + b"{}]}]}"
    return gzip.compress(doc, compresslevel=9)


@pytest.mark.parametrize("n", [10_000_000, 5_000_000])
def test_millions_of_empty_comments_are_refused_cheaply(officer, hub, n):
    body = _empty_comments_body(n)
    assert len(body) < 64 * 1024
    started = time.monotonic()
    r = officer.post(
        hub.api + "/submissions:batch",
        data=body,
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert r.status_code == 413, r.text[:300]
    assert r.json()["error"]["code"] in ("too_large", "too_many_values")
    assert time.monotonic() - started < 5
    assert _stored_ids(hub) == set()


def test_the_hub_serves_its_openapi_document_and_plain_docs(hub):
    doc = requests.get(hub.url + "/openapi.json", timeout=TIMEOUT).json()
    assert {"/api/v1/submissions:batch", "/api/v1/changes", "/api/v1/bundles"} <= set(doc["paths"])
    sub = doc["components"]["schemas"]["Submission"]
    assert sub["additionalProperties"] is False
    assert sub["properties"]["revision_no"]["maximum"] == MAX_REVISION
    batch_body = doc["paths"]["/api/v1/submissions:batch"]["post"]["requestBody"]
    envelope = doc["components"]["schemas"][
        batch_body["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    ]
    assert envelope["properties"]["submissions"]["items"] == {
        "anyOf": [
            {"$ref": "#/components/schemas/Submission"},
            {"$ref": "#/components/schemas/CompactSubmission"},
        ]
    }
    compact = doc["components"]["schemas"]["CompactSubmission"]
    assert compact["additionalProperties"] is False and compact["properties"]["cells"]
    page = requests.get(hub.url + "/docs", timeout=TIMEOUT)
    assert page.status_code == 200 and "/openapi.json" in page.text and "submissions:batch" in page.text
    assert "<script" not in page.text and "cdn" not in page.text.lower()


# -- the memory of the hub process ----------------------------------------------------------------------
def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_the_hub_process_stays_within_its_memory_budget_under_four_bombs(tmp_path):
    """Four 31 KB gzip bodies of ten million ``{}`` comments (and four of five million) at once: the
    ``dttshub serve`` process grows by less than 300 MB (it grew by about 1 GB per body before)."""
    env = {**os.environ, "DTTSHUB_DATA_DIR": str(tmp_path / "data")}
    env.pop("DTTSHUB_DB", None)
    db = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    script = Path(sys.executable).with_name("dttshub")
    exe = [str(script)] if script.exists() else [sys.executable, "-m", "dttshub.cli"]
    subprocess.run(
        [
            *exe,
            "user",
            "add",
            "bomber",
            "--role",
            "officer",
            "--unit",
            COMMUNE_A,
            "--password-stdin",
            "--db",
            db,
        ],
        input="mat-khau-dai\n",
        text=True,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = _free_port()
    proc = subprocess.Popen(
        [*exe, "serve", "--db", db, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    api = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(api + "/ping", timeout=2)
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, "the hub did not start"
                time.sleep(0.1)
        token = requests.post(
            api + "/auth/token",
            json={"username": "bomber", "password": "mat-khau-dai", "device_id": "d"},
            timeout=TIMEOUT,
        ).json()["access_token"]
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Encoding": "gzip",
            "Content-Type": "application/json",
        }
        # warm up the path a small body takes, then measure the peak from there
        small = gzip.compress(b'{"device_id":"d","submissions":[]}')
        assert requests.post(api + "/submissions:batch", data=small, headers=headers, timeout=TIMEOUT).ok
        # the login's password hashing set a high-water mark; start the peak again from here
        Path(f"/proc/{proc.pid}/clear_refs").write_text("5")
        before = _peak_rss_mb(proc.pid)
        statuses: list[int] = []

        def bomb(body: bytes) -> None:
            r = requests.post(api + "/submissions:batch", data=body, headers=headers, timeout=120)
            statuses.append(r.status_code)

        for n in (10_000_000, 5_000_000):
            body = _empty_comments_body(n)
            threads = [threading.Thread(target=bomb, args=(body,)) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(180)
        growth = _peak_rss_mb(proc.pid) - before
        print(f"hub peak RSS growth under 4+4 bombs: {growth:.1f} MB (before: {before:.1f} MB)")
        assert statuses == [413] * 8
        assert growth <= 300, f"the hub grew by {growth:.0f} MB"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
