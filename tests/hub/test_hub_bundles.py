"""Courier bundles: imported like a batch, idempotent, and refused whole when unsafe or damaged."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.support.hubfixture import (
    COMMUNE_A,
    TEST_NOW,
    TIMEOUT,
    good_values,
    make_bundle,
    make_submission,
    start_hub,
)


@pytest.fixture
def officer(people):
    return people.session("officer_a")


def upload(session, hub, data: bytes, **kw):
    return session.post(hub.api + "/bundles", data=data, timeout=TIMEOUT, **kw)


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)  # a ZipInfo keeps the name exactly as given
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def test_bundle_import_twice_stores_once(people, officer):
    docs = [make_submission(good_values(), period=p) for p in ("2026", "2027")]
    bundle = make_bundle(docs, device_id="pc-commune")
    r = upload(officer, people, bundle)
    assert r.status_code == 200 and r.json()["server_id"] == people.server_id
    first = r.json()["results"]
    assert [x["status"] for x in first] == ["accepted", "accepted"]
    assert [x["submission_id"] for x in first] == [d["submission_id"] for d in docs]
    again = upload(officer, people, bundle).json()["results"]
    assert [x["status"] for x in again] == ["duplicate", "duplicate"]
    assert [x["receipt_no"] for x in again] == [x["receipt_no"] for x in first]
    assert len(people.hub.reports(people.hub.accounts.get_user("admin_all"))) == 2
    # the submissions count as the device that made them (its own chain stays conflict-free)
    later = make_submission(good_values(), revision_no=2, supersedes=docs[0]["submission_id"])
    res = officer.post(
        people.api + "/submissions:batch",
        json={"device_id": "pc-commune", "submissions": [later]},
        timeout=TIMEOUT,
    ).json()["results"]
    assert res[0]["status"] == "accepted"


def test_bundle_items_get_batch_results(people, officer):
    bad_values = dict(good_values())
    bad_values[("0103", "")] = "999"
    bundle = make_bundle([make_submission(good_values()), make_submission(bad_values, period="2027")])
    res = upload(officer, people, bundle).json()["results"]
    assert [x["status"] for x in res] == ["accepted", "rejected"]
    assert res[1]["errors"][0]["code"] == "R01"


def test_gzip_bundle(people, officer):
    import gzip

    bundle = make_bundle([make_submission(good_values())])
    r = upload(officer, people, gzip.compress(bundle), headers={"Content-Encoding": "gzip"})
    assert r.json()["results"][0]["status"] == "accepted"


def _manifest(entries: list[dict]) -> bytes:
    return json.dumps(
        {"format": "dttsgoi", "device": "d", "commune": COMMUNE_A, "submissions": entries}
    ).encode()


@pytest.mark.parametrize(
    "name",
    [
        "../evil.json",
        "submissions/../../evil.json",
        "/etc/passwd",
        "\\windows\\evil.json",
        "C:/evil.json",
        "a\\..\\b",
    ],
)
def test_unsafe_member_names_are_refused(people, officer, name):
    bundle = zip_of({"manifest.json": _manifest([]), name: b"{}"})
    r = upload(officer, people, bundle)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "bundle_bad_name"
    assert "nothing was imported" in r.json()["error"]["message_en"]


def test_tampered_member_is_refused_and_nothing_is_stored(people, officer):
    good = make_submission(good_values())
    tampered = make_submission(good_values(), period="2027")
    name = f"submissions/{tampered['submission_id']}.json"
    altered = dict(tampered, comments=[{"code": "0102", "text": "sửa lén"}])
    bundle = make_bundle([good, tampered], tamper={name: json.dumps(altered).encode()})
    r = upload(officer, people, bundle)
    assert r.status_code == 400 and r.json()["error"]["code"] == "bundle_hash_mismatch"
    status = officer.post(
        people.api + "/submissions:status", json={"ids": [good["submission_id"]]}, timeout=TIMEOUT
    )
    assert status.json()["results"][0]["status"] == "unknown"


def test_damaged_or_incomplete_bundles_are_refused(people, officer):
    doc = make_submission(good_values())
    cases = {
        "bundle_not_zip": b"PK\x03\x04 this is not a zip",
        "bundle_no_manifest": zip_of({"x.json": b"{}"}),
        "bundle_bad_manifest": zip_of({"manifest.json": b"{not json"}),
        "bundle_missing_member": zip_of(
            {"manifest.json": _manifest([{"submission_id": "s1", "sha256": "0" * 64}])}
        ),
    }
    data = json.dumps(doc).encode()
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    cases["bundle_bad_member"] = zip_of(
        {
            "manifest.json": _manifest([{"submission_id": "other-id", "file": "s.json", "sha256": sha}]),
            "s.json": data,
        }
    )
    for code, bundle in cases.items():
        r = upload(officer, people, bundle)
        assert r.status_code == 400, code
        assert r.json()["error"]["code"] == code


def test_oversize_members_and_totals_are_refused_before_reading(tmp_path):
    with start_hub(
        tmp_path, clock=TEST_NOW, bundle_member_bytes=50_000, bundle_total_bytes=120_000, bundle_max_members=5
    ) as hub:
        hub.publish_catalog()
        hub.add_user("officer_a")
        s = hub.session("officer_a")
        # a bomb: 40 MB of zeros compress to a few KB
        bomb = zip_of({"manifest.json": _manifest([]), "bomb.json": b"0" * 40_000_000})
        assert len(bomb) < 100_000
        r = upload(s, hub, bomb)
        assert r.status_code == 400 and r.json()["error"]["code"] == "bundle_member_too_large"
        total = zip_of({"manifest.json": _manifest([]), **{f"m{i}.json": b"1" * 45_000 for i in range(3)}})
        assert upload(s, hub, total).json()["error"]["code"] == "bundle_too_large"
        many = zip_of({"manifest.json": _manifest([]), **{f"m{i}.json": b"{}" for i in range(6)}})
        assert upload(s, hub, many).json()["error"]["code"] == "bundle_too_many_members"


def test_member_lying_about_its_size_is_refused(people, officer):
    data = bytearray(zip_of({"manifest.json": _manifest([]), "a.json": b"x" * 1000}))
    # make the central directory claim a.json is 10 bytes: reading must not trust it
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (10).to_bytes(4, "little")
    r = upload(officer, people, bytes(data))
    assert r.status_code == 400 and r.json()["error"]["code"] in ("bundle_damaged", "bundle_not_zip")


def test_bundle_body_over_the_limit_is_413(tmp_path):
    with start_hub(tmp_path, clock=TEST_NOW, max_bundle_bytes=10_000) as hub:
        hub.add_user("officer_a")
        r = upload(hub.session("officer_a"), hub, b"PK" + b"\0" * 20_000)
        assert r.status_code == 413
