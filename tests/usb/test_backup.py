"""Backup export and verify: real files, every kind of damage, a full or pulled stick, no credential."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dttsclient.store import Store
from dttsclient.usb.backup import LAST_EXPORT_KEY, export_backup, verify_backup
from dttsclient.usb.errors import BadFile, NewerFormat, NotEnoughSpace, TargetVanished, UnsafeArchive
from dttsclient.usb.restore import restore_backup
from dttsclient.usb.safezip import seal_comment_placeholder, seal_zip
from tests.support.usbutil import (
    COMMUNE_A,
    FailingWriter,
    accept,
    fill,
    finalize,
    free_space,
    leftovers,
    manifest_of,
    open_profile,
    refused,
    rezip,
    with_database,
    with_manifest,
)


@pytest.fixture
def store(data_dir):
    with open_profile(data_dir) as s:
        accept(s, finalize(s, "2025"), "BN-2025")
        finalize(s, "2026")  # queued
        s.reports.set_comment(fill(s, "2027"), "0102", "", "Số hộ theo điều tra tháng 6", "can_bo")
        yield s


@pytest.fixture
def backup(store, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    return export_backup(store, stick / "ban-sao.dttsbak").path


def sealed(path):
    """Re-seal a crafted zip (as a tool that recomputes checksums would): only deeper checks catch it."""
    with zipfile.ZipFile(path, "a") as zf:
        zf.comment = seal_comment_placeholder()
    seal_zip(path)
    return path


def test_export_writes_a_verified_backup(store, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    stages = []
    info = export_backup(store, stick / "b.dttsbak", progress=lambda f, s: stages.append((f, s)))
    assert info.path == stick / "b.dttsbak" and info.size == (stick / "b.dttsbak").stat().st_size
    assert info.commune == COMMUNE_A
    assert info.counts == {
        "reports": 3,
        "cells": 21,
        "comments": 1,
        "change_log": 21,
        "submissions": 2,
        "catalogs": 1,
        "outbox": {"accepted": 1, "queued": 1},
    }
    assert info.profile["unit"] == COMMUNE_A and info.profile["device_id"] == store.settings.device_id
    assert [s for _, s in stages][-1] == "done" and all(0 <= f <= 1 for f, _ in stages)
    assert [f for f, _ in stages] == sorted(f for f, _ in stages)
    manifest = manifest_of(info.path)
    assert manifest["format"] == "dttsbak" and manifest["format_version"] == 1
    assert set(manifest["members"]) == {"profile.sqlite"}
    assert len(manifest["members"]["profile.sqlite"]["sha256"]) == 64
    with zipfile.ZipFile(info.path) as zf:
        assert sorted(zf.namelist()) == ["manifest.json", "profile.sqlite"]
    again = verify_backup(info.path)
    assert again.counts == info.counts and again.sha256 == info.sha256
    assert store.settings.get_setting(LAST_EXPORT_KEY) == info.created_at
    assert leftovers(stick) == []


def test_export_into_a_folder_makes_a_dated_name(store, tmp_path):
    info = export_backup(store, tmp_path)
    assert info.path.parent == tmp_path and info.path.name.startswith(f"dtts-{COMMUNE_A}-")
    assert info.path.suffix == ".dttsbak"


def test_backup_is_a_consistent_single_file_database(backup, tmp_path):
    with zipfile.ZipFile(backup) as zf:
        (tmp_path / "x.sqlite").write_bytes(zf.read("profile.sqlite"))
    conn = sqlite3.connect(tmp_path / "x.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT count(*) FROM cells").fetchone()[0] == 21
    conn.close()


def test_secret_looking_settings_never_reach_a_backup(store, tmp_path):
    """The store refuses secrets; a row slipped in by an older version is still left out of the backup."""
    with contextlib.closing(sqlite3.connect(store.path, isolation_level=None)) as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('sync.access_token', '\"tok-XYZZY-123\"')")
    info = export_backup(store, tmp_path / "b.dttsbak")
    raw = info.path.read_bytes()
    with zipfile.ZipFile(info.path) as zf:
        db = zf.read("profile.sqlite")
    assert b"tok-XYZZY-123" not in raw and b"tok-XYZZY-123" not in db
    assert b"access_token" not in db


@pytest.mark.parametrize("step", [1, 7, 13, 29, 53, 97, 211, 397])
def test_any_flipped_byte_is_caught(backup, tmp_path, step):
    data = backup.read_bytes()
    positions = [*list(range(step % 11, len(data), max(1, len(data) // 12 + step)))[:12], len(data) - 1, 0]
    for pos in positions:
        bad = bytearray(data)
        bad[pos] ^= 0x20
        damaged = tmp_path / f"flip-{pos}.dttsbak"
        damaged.write_bytes(bytes(bad))
        with pytest.raises(BadFile):
            verify_backup(damaged)


@pytest.mark.parametrize("keep", [0, 10, 100, 0.25, 0.5, 0.75, -1])
def test_truncated_backup_is_caught(backup, tmp_path, keep):
    data = backup.read_bytes()
    n = (
        keep
        if isinstance(keep, int) and keep >= 0
        else (len(data) - 1 if keep == -1 else int(len(data) * keep))
    )
    cut = tmp_path / "cut.dttsbak"
    cut.write_bytes(data[:n])
    with pytest.raises(BadFile):
        verify_backup(cut)


def test_missing_and_extra_members(backup, tmp_path):
    with refused(BadFile, "missing"):
        verify_backup(sealed(rezip(backup, tmp_path / "a.dttsbak", drop=("profile.sqlite",))))
    with refused(BadFile, "extra"):
        verify_backup(sealed(rezip(backup, tmp_path / "b.dttsbak", add={"evil.exe": b"MZ"})))
    with refused(BadFile, "“manifest.json” is missing"):
        verify_backup(sealed(rezip(backup, tmp_path / "c.dttsbak", drop=("manifest.json",))))
    with refused(BadFile, "not a DTTS backup"):
        verify_backup(sealed(rezip(backup, tmp_path / "d.dttsbak", replace={"manifest.json": b"[1, 2]"})))


def test_unsealed_backup_is_refused(backup, tmp_path):
    with refused(BadFile, "whole-file checksum"):
        verify_backup(rezip(backup, tmp_path / "a.dttsbak"))


def test_manifest_that_lies(backup, tmp_path):
    def wrong_hash(m):
        m["members"]["profile.sqlite"]["sha256"] = "0" * 64

    def wrong_counts(m):
        m["counts"]["cells"] += 1

    def wrong_outbox(m):
        m["counts"]["outbox"] = {"accepted": 2}

    with refused(BadFile, "does not match the manifest"):
        verify_backup(sealed(with_manifest(backup, tmp_path / "a.dttsbak", wrong_hash)))
    with refused(BadFile, "manifest lies"):
        verify_backup(sealed(with_manifest(backup, tmp_path / "b.dttsbak", wrong_counts)))
    with refused(BadFile, "manifest lies"):
        verify_backup(sealed(with_manifest(backup, tmp_path / "c.dttsbak", wrong_outbox)))


def test_newer_format_is_refused(backup, tmp_path):
    def newer(m):
        m["format_version"] = 2

    with refused(NewerFormat, "newer DTTS Client"):
        verify_backup(sealed(with_manifest(backup, tmp_path / "a.dttsbak", newer)))


def test_database_from_a_newer_app_is_refused(backup, tmp_path):
    def newer_schema(conn):
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('dttsclient.store', 'm099_future', '2030-01-01')"
        )

    with refused(NewerFormat, "newer DTTS Client"):
        verify_backup(sealed(with_database(backup, tmp_path / "a.dttsbak", newer_schema)))


def test_damaged_database_with_matching_hash(backup, tmp_path):
    bad = tmp_path / "garbage.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x07" * 40000)
    import hashlib

    data = bad.read_bytes()

    def fix(m):
        m["members"]["profile.sqlite"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

    crafted = with_manifest(backup, tmp_path / "m.dttsbak", fix)
    crafted = sealed(rezip(crafted, tmp_path / "g.dttsbak", replace={"profile.sqlite": data}))
    with refused(BadFile, "database inside"):
        verify_backup(crafted)


def test_other_files_are_refused(tmp_path):
    text = tmp_path / "notes.dttsbak"
    text.write_text("không phải tệp sao lưu", encoding="utf-8")
    with refused(BadFile, "not a zip"):
        verify_backup(text)
    with refused(BadFile, "does not exist"):
        verify_backup(tmp_path / "missing.dttsbak")


def test_zip_bomb_is_refused_before_anything_is_extracted(tmp_path, data_dir):
    bomb = tmp_path / "bomb.dttsbak"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.comment = seal_comment_placeholder()
        zf.writestr(
            "manifest.json",
            json.dumps(
                {
                    "format": "dttsbak",
                    "format_version": 1,
                    "counts": {},
                    "members": {"profile.sqlite": {"sha256": "0" * 64}},
                }
            ),
        )
        zf.writestr("profile.sqlite", b"\0" * (64 << 20))
    seal_zip(bomb)
    with Store.open(data_dir) as s:
        with refused(UnsafeArchive, "zip bomb"):
            restore_backup(s, bomb)
        assert not any((data_dir / ".usb-work").rglob("profile.sqlite"))
        assert s.reports.all() == []


def test_path_traversal_member_is_refused(backup, tmp_path):
    crafted = sealed(rezip(backup, tmp_path / "t.dttsbak", add={"../../evil.txt": b"x"}))
    with refused(UnsafeArchive, "'..' in the path"):
        verify_backup(crafted)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_full_stick_is_refused_and_says_how_much(store, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "b.dttsbak").write_bytes(b"old backup")
    with refused(NotEnoughSpace, "is needed") as info:
        export_backup(store, stick / "b.dttsbak", disk_usage=free_space(2048))
    assert info.value.needed > 2048
    assert (stick / "b.dttsbak").read_bytes() == b"old backup"
    assert leftovers(stick) == []
    assert store.settings.get_setting(LAST_EXPORT_KEY) is None


def test_stick_pulled_mid_export(store, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    first = export_backup(store, stick / "b.dttsbak")
    fill(store, "2028")
    with pytest.raises(TargetVanished):
        export_backup(store, stick / "b.dttsbak", wrap=lambda f: FailingWriter(f, 3000))
    assert verify_backup(stick / "b.dttsbak").sha256 == first.sha256  # the previous backup is intact
    assert leftovers(stick) == []


values_strategy = st.dictionaries(
    st.sampled_from(
        [
            ("0101", "eth=02|sex=F"),
            ("0101", "eth=02|sex=M"),
            ("0101", "eth=08|sex=F"),
            ("0101", "eth=08|sex=M"),
            ("0102", ""),
            ("0103", ""),
            ("0201", ""),
        ]
    ),
    st.integers(min_value=0, max_value=10**12).map(str),
    min_size=1,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=values_strategy, pct=st.decimals(min_value=0, max_value=100, places=2))
def test_backup_restore_round_trip(tmp_path_factory, values, pct):
    root = tmp_path_factory.mktemp("rt")
    vals = dict(values)
    from dttscore.values import canonical_of

    vals[("0201", "")] = canonical_of(pct, "percent")
    with open_profile(root / "a") as a:
        rid = fill(a, "2026", vals)
        expected = a.reports.cells(rid)
        info = export_backup(a, root / "x.dttsbak")
    report = restore_backup(root / "b", info.path)
    assert report.reports_added == 1
    with Store.open(root / "b") as b:
        got = b.reports.report(COMMUNE_A, "BM01", "2026")
        assert b.reports.cells(got.id) == expected
        assert b.reports.eth_rows(got.id) == ["02", "08"]
