"""Setup packages: made and signed by the hub, verified by the client's Qt-free reader, tampering refused."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import stat
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from dttscore.formats.setup_package import SetupPackageError, read_setup_package
from tests.support.hubfixture import COMMUNE_A, TEST_NOW, TIMEOUT, start_hub


@pytest.fixture
def package(people) -> bytes:
    r = people.session("officer_a").get(people.api + "/setup-package", timeout=TIMEOUT)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/zip"
    assert r.headers["X-Server-Id"] == people.server_id
    assert 'filename="officer_a.dttssetup"' in r.headers["Content-Disposition"]
    return r.content


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[bytes, str]:
    """One package (and the hub's key) for the tests that only take packages apart."""
    with start_hub(tmp_path_factory.mktemp("pkg"), clock=TEST_NOW) as hub:
        hub.publish_catalog()
        hub.add_user("officer_a")
        return hub.hub.setup_package(hub.hub.accounts.get_user("officer_a"), hub.url), hub.signing_key


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def rezip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data)
    return buf.getvalue()


def test_package_is_verified_and_complete(people, package, tmp_path):
    path = tmp_path / "officer_a.dttssetup"
    path.write_bytes(package)
    pkg = read_setup_package(path, trusted_keys=[people.signing_key])
    assert pkg.signing_key == people.signing_key
    assert pkg.server_id == people.server_id
    assert pkg.server_url == people.url
    assert pkg.server["environment"] == "test"
    assert pkg.username == "officer_a" and pkg.unit == COMMUNE_A
    assert pkg.account["role"] == "officer"
    assert pkg.account["unit_details"][0] == {
        "code": COMMUNE_A,
        "name": "Xã Phong Quang",
        "level": "commune",
        "province_code": "19",
        "province_name": "Thái Nguyên",
    }
    assert pkg.catalog.catalog_id == "test-dtts" and pkg.catalog.version == 1
    assert pkg.created_at
    assert set(members_of(package)) == {
        "catalog.json",
        "account.json",
        "server.json",
        "manifest.json",
        "signature",
    }
    assert "password" not in package.decode("latin-1").lower()


def test_package_from_another_hub_is_refused_when_keys_are_pinned(made):
    package = made[0]
    other = base64.b64encode(
        Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    )
    with pytest.raises(SetupPackageError) as err:
        read_setup_package(package, trusted_keys=[other.decode()])
    assert err.value.reason == "untrusted_key"
    assert err.value.message_vi and err.value.message_en


def test_altered_member_is_refused(made):
    package = made[0]
    m = members_of(package)
    account = json.loads(m["account.json"])
    account["unit"] = "00004"
    m["account.json"] = json.dumps(account).encode()
    with pytest.raises(SetupPackageError) as err:
        read_setup_package(rezip(m))
    assert err.value.reason == "hash_mismatch"


def test_altered_manifest_breaks_the_signature(made):
    package = made[0]
    m = members_of(package)
    account = json.loads(m["account.json"])
    account["role"] = "admin"
    m["account.json"] = json.dumps(account).encode()
    manifest = json.loads(m["manifest.json"])
    manifest["members"]["account.json"] = hashlib.sha256(m["account.json"]).hexdigest()
    m["manifest.json"] = json.dumps(manifest).encode()
    with pytest.raises(SetupPackageError) as err:
        read_setup_package(rezip(m))
    assert err.value.reason == "bad_signature"


def test_resigned_with_another_key_is_refused_by_a_pinned_client(made):
    package, hub_key = made
    m = members_of(package)
    key = Ed25519PrivateKey.generate()
    pub = base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    server = json.loads(m["server.json"])
    server["signing_key"] = pub
    server["server_url"] = "http://attacker.example"
    m["server.json"] = json.dumps(server).encode()
    manifest = json.loads(m["manifest.json"])
    manifest["signing_key"] = pub
    manifest["members"]["server.json"] = hashlib.sha256(m["server.json"]).hexdigest()
    m["manifest.json"] = json.dumps(manifest).encode()
    m["signature"] = base64.b64encode(key.sign(m["manifest.json"]))
    forged = rezip(m)
    assert read_setup_package(forged).server_url == "http://attacker.example"  # self-consistent …
    with pytest.raises(SetupPackageError) as err:  # … but not from the hub the client knows
        read_setup_package(forged, trusted_keys=[hub_key])
    assert err.value.reason == "untrusted_key"


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda m: m.pop("signature"), "missing_member"),
        (lambda m: m.pop("catalog.json"), "missing_member"),
        (lambda m: m.update({"extra.txt": b"hi"}), "unlisted_member"),
        (lambda m: m.update({"../evil": b"x"}), "unsafe"),
        (lambda m: m.update({"signature": b"not base64!"}), "bad_signature"),
        (lambda m: m.update({"manifest.json": b"[]"}), "bad_manifest"),
    ],
)
def test_broken_packages_are_refused(made, change, reason):
    package = made[0]
    m = members_of(package)
    change(m)
    with pytest.raises(SetupPackageError) as err:
        read_setup_package(rezip(m))
    assert err.value.reason == reason


def test_truncated_package_is_refused(made, tmp_path):
    package = made[0]
    path = tmp_path / "cut.dttssetup"
    path.write_bytes(package[: len(package) // 2])
    with pytest.raises(SetupPackageError) as err:
        read_setup_package(path)
    assert err.value.reason == "unsafe"
    with pytest.raises(SetupPackageError):
        read_setup_package(tmp_path / "missing.dttssetup")


def test_private_key_is_a_0600_file_and_never_in_the_database(people, package):
    key_file = people.data_dir / "hub_signing_key.pem"
    assert key_file.exists()
    if os.name == "posix":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    pem = key_file.read_bytes()
    assert b"PRIVATE KEY" in pem
    import sqlalchemy as sa

    from dttshub import db as t

    with people.hub.db.read() as conn:
        for table in t.metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                assert "PRIVATE KEY" not in " ".join(str(v) for v in row)
    assert b"PRIVATE KEY" not in package


def test_client_module_does_not_import_the_hub():
    import subprocess
    import sys

    code = (
        "import sys, dttscore.formats.setup_package as m; "
        "assert not any(k == 'dttshub' or k.startswith('dttshub.') for k in sys.modules), 'hub imported'"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
