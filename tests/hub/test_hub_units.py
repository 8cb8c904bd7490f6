"""Pure functions of the hub: cursors, gzip limits, versions, receipts, URLs, safe zip reading, scope."""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dttscore.formats.setup_package import UnsafeZipError, check_member_name, read_zip_safely
from dttscore.versions import older_than, parse_version
from dttshub.catalogs import etag_matches
from dttshub.changes import Cursor, decode_cursor, encode_cursor, seal
from dttshub.config import HubConfig, normalise_db_url, resolve_db_url
from dttshub.errors import BadRequest, ConfigError, TooLarge
from dttshub.http_body import gunzip_limited
from dttshub.receipts import RECEIPT_RE, format_receipt, vn_date
from dttshub.reportstate import derive_status
from dttshub.scope import Account, unit_covers


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=0, max_value=2**62),
    st.one_of(st.none(), st.from_regex(r"[0-9a-f]{16}", fullmatch=True)),
)
def test_cursor_round_trip(seq, generation):
    cursor = encode_cursor(seq, generation, "key")
    assert cursor.isascii()
    sealed = None if generation is None else seal("key", generation, seq)
    assert decode_cursor(cursor) == Cursor(seq, generation, sealed)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_foreign_cursors_are_400_never_a_crash(text):
    try:
        seq = decode_cursor(text).seq
    except BadRequest as exc:
        assert exc.code == "bad_cursor"
    else:
        assert seq >= 0


def test_empty_cursor_is_the_beginning():
    assert decode_cursor(None) == decode_cursor("") == Cursor(0)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=5000), st.integers(min_value=0, max_value=6000))
def test_gunzip_limited_returns_the_data_or_refuses(data, limit):
    packed = gzip.compress(data)
    if len(data) <= limit:
        assert gunzip_limited(packed, limit) == data
    else:
        with pytest.raises(TooLarge):
            gunzip_limited(packed, limit)


def test_gunzip_handles_members_bombs_and_damage():
    assert gunzip_limited(gzip.compress(b"ab") + gzip.compress(b"cd"), 10) == b"abcd"
    with pytest.raises(TooLarge):
        gunzip_limited(gzip.compress(b"\0" * 10_000_000), 1_000_000)
    with pytest.raises(BadRequest):
        gunzip_limited(gzip.compress(b"x" * 100)[:-12], 1000)  # truncated
    with pytest.raises(BadRequest):
        gunzip_limited(b"plain text", 1000)


@pytest.mark.parametrize(
    "a, b",
    [
        ("0.1.0", "0.1"),
        ("0.10.0", "0.9.9"),
        ("1.0.0", "1.0.0rc1"),
        ("0.2", "0.1.9"),
        ("1.2.3", "1.2.3.dev4"),
        ("0.10.2rc1", "0.10.1"),
        ("0.10.2rc1", "0.10.2.dev3"),
        ("0.10.2.post1", "0.10.2"),
        ("1.0.0+local.5", "1.0.0"),
    ],
)
def test_version_order(a, b):
    assert not older_than(a, b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("0.2.9", "0.3.0"),
        ("0.9", "0.10"),
        ("0.10.2rc1", "0.10.2"),  # the hand-written hub parser read both as 0.10.2
        ("0.10.2.dev3", "0.10.2rc1"),
        ("0.10.2", "0.10.2.post1"),  # the hub parser stopped at "post1" and read 0.10.2 as new enough
        ("0.10.2rc1", "0.10.2rc2"),
    ],
)
def test_version_strictly_older(a, b):
    assert older_than(a, b)


def test_unreadable_versions_are_never_older():
    assert parse_version("1.2.3-foo.x") == parse_version("1.2.3")
    assert parse_version("1.2.3-foo.x", strict=True) is None
    assert not older_than("abc", "1.0") and not older_than("1.0", "") and not older_than(None, "1.0")


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"[0-9]{5}", fullmatch=True), st.integers(2000, 2100), st.integers(1, 10**6))
def test_receipts_are_readable_aloud(unit, year, seq):
    receipt = format_receipt(unit, year, seq)
    m = RECEIPT_RE.fullmatch(receipt)
    assert m and m["unit"] == unit and int(m["seq"]) == seq and m["year"] == f"{year % 100:02d}"
    assert set(receipt) <= set("0123456789-")


def test_receipt_year_is_vietnam_time():
    assert vn_date(datetime(2026, 12, 31, 17, 30, tzinfo=timezone.utc)).year == 2027


def test_db_urls():
    assert normalise_db_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_db_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_db_url("/tmp/x.sqlite") == "sqlite:////tmp/x.sqlite"
    assert resolve_db_url(None, "/srv/hub").endswith("/srv/hub/hub.sqlite")


def test_db_url_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DTTSHUB_DB", "postgresql://h/db")
    assert resolve_db_url(None, tmp_path) == "postgresql+psycopg://h/db"
    monkeypatch.delenv("DTTSHUB_DB")
    monkeypatch.setenv("DTTSHUB_DATA_DIR", str(tmp_path))
    assert HubConfig().resolved_db_url() == f"sqlite:///{tmp_path}/hub.sqlite"
    assert HubConfig().resolved_key_file() == tmp_path / "hub_signing_key.pem"


def test_config_refuses_unknown_options():
    with pytest.raises(ConfigError):
        HubConfig.from_mapping({"db_ulr": "x"})


def test_etag_matching():
    assert etag_matches('"abc"', '"abc"')
    assert etag_matches('W/"abc"', '"abc"')
    assert etag_matches('"x", "abc"', '"abc"')
    assert etag_matches("*", '"abc"')
    assert not etag_matches('"abd"', '"abc"')
    assert not etag_matches(None, '"abc"')


def test_scope():
    assert unit_covers("*", "01849")
    assert unit_covers("19", "01849") and not unit_covers("01", "01849")
    assert unit_covers("01849", "01849") and not unit_covers("01849", "01864")
    assert not unit_covers("19", "99999")
    assert Account("r", "reviewer", "19").covers("01864")


def test_report_status():
    assert derive_status(True, "accepted", True) == "conflict"
    assert derive_status(False, "returned", True) == "returned"
    assert derive_status(False, None, True) == "late"
    assert derive_status(False, None, False) == "submitted"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab./\\:.C\x00")), min_size=1, max_size=12))
def test_member_names_that_pass_are_relative_and_stay_inside(name):
    if check_member_name(name):
        norm = name.replace("\\", "/")
        assert not norm.startswith("/") and ".." not in norm.split("/") and "\x00" not in name
        assert not (len(name) >= 2 and name[1] == ":")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8})?\.json", fullmatch=True), st.binary(max_size=300), max_size=6
    )
)
def test_safe_zip_round_trip(members):
    assert (
        read_zip_safely(_zip(members), max_member_bytes=300, max_total_bytes=2000, max_members=6) == members
    )


def test_safe_zip_refusals():
    limits = {"max_member_bytes": 100, "max_total_bytes": 150, "max_members": 3}
    cases = {
        "bad_name": {"../x": b""},
        "member_too_large": {"a": b"0" * 101},
        "too_large": {"a": b"0" * 80, "b": b"0" * 80},
        "too_many_members": {"a": b"", "b": b"", "c": b"", "d": b""},
    }
    for reason, members in cases.items():
        with pytest.raises(UnsafeZipError) as err:
            read_zip_safely(_zip(members), **limits)
        assert err.value.reason == reason
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf, pytest.warns(UserWarning):
        zf.writestr("a.json", b"1")
        zf.writestr("a.json", b"2")
    with pytest.raises(UnsafeZipError) as err:
        read_zip_safely(buf.getvalue(), **limits)
    assert err.value.reason == "duplicate_name"
    with pytest.raises(UnsafeZipError) as err:
        read_zip_safely(b"not a zip at all", **limits)
    assert err.value.reason == "not_zip"


def test_embedded_hub_for_the_demo(tmp_path):
    import requests

    from dttscore.catalog import catalog_from_json
    from dttshub.embedded import EmbeddedHub
    from tests.support.hubfixture import small_catalog

    db = tmp_path / "demo" / "hub.sqlite"
    fast = {"argon2_time_cost": 1, "argon2_memory_cost": 8, "argon2_parallelism": 1}
    with EmbeddedHub(f"sqlite:///{db}", environment="demo", **fast) as hub:
        assert hub.port > 0 and hub.url.startswith("http://127.0.0.1:")
        hub.ensure_user("demo", "officer", "01849", "demo-password")
        hub.ensure_user("demo", "officer", "01849", "other-password")  # kept as it was
        assert hub.publish_catalog(catalog_from_json(small_catalog())) is True
        assert hub.publish_catalog(catalog_from_json(small_catalog())) is False
        ping = requests.get(hub.url + "/api/v1/ping", timeout=10).json()
        assert ping["environment"] == "demo"
        r = requests.post(
            hub.url + "/api/v1/auth/token",
            json={"username": "demo", "password": "demo-password", "device_id": "d"},
            timeout=10,
        )
        assert r.status_code == 200
        url = hub.url
    assert (tmp_path / "demo" / "hub_signing_key.pem").exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/api/v1/ping", timeout=2)
