"""Automatic backups: the 30-minute timer, thinning, the officer's extra folder."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dttsclient.usb.autobackup import (
    LAST_AT_KEY,
    Retention,
    auto_backup,
    auto_dir,
    backup_time,
    maybe_auto_backup,
    select_kept,
    thin_backups,
)
from dttsclient.usb.backup import verify_backup
from dttsclient.usb.errors import NotEnoughSpace
from tests.support.usbutil import T0, USER, fill, free_space, open_profile, refused


@pytest.fixture
def store(data_dir):
    with open_profile(data_dir) as s:
        fill(s)
        yield s


def test_timer_backs_up_only_after_30_minutes_and_a_change(store):
    first = maybe_auto_backup(store, T0)
    assert first is not None and verify_backup(first.path).counts["cells"] == 7
    assert first.path.parent == auto_dir(store.data_dir) and first.path.name.endswith("-timer.dttsbak")
    assert maybe_auto_backup(store, T0 + timedelta(minutes=10)) is None  # too soon
    assert maybe_auto_backup(store, T0 + timedelta(minutes=45)) is None  # nothing changed
    rid = store.reports.report("01849", "BM01", "2026").id
    store.reports.set_cell(rid, "0102", "", "81", USER)
    assert maybe_auto_backup(store, T0 + timedelta(minutes=20)) is None  # changed, but too soon
    second = maybe_auto_backup(store, T0 + timedelta(minutes=31))
    assert second is not None and second.path != first.path
    assert store.settings.get_setting(LAST_AT_KEY).startswith("2026-11-02T08:31")


def test_a_clock_set_back_does_not_stop_backups(store):
    assert maybe_auto_backup(store, T0) is not None
    store.reports.set_cell(store.reports.report("01849", "BM01", "2026").id, "0102", "", "81", USER)
    assert maybe_auto_backup(store, T0 - timedelta(days=700)) is not None


def test_thinning_keeps_recent_daily_weekly_monthly():
    now = datetime(2026, 11, 2, 12, 0, tzinfo=timezone.utc)
    times = [now - timedelta(hours=6 * i) for i in range(4 * 365)]  # every 6 hours for four years
    kept = select_kept(times, Retention(recent=3, daily=7, weekly=4, monthly=6))
    assert set(times[:3]) <= kept
    days = {t.date() for t in kept}
    assert {(now - timedelta(days=d)).date() for d in range(7)} <= days
    months = {(t.year, t.month) for t in kept}
    assert len(months) == 6 and (2026, 6) in months and (2026, 5) not in months
    assert len(kept) <= 3 + 7 + 4 + 6


def test_thin_backups_removes_only_our_files(tmp_path):
    now = datetime(2026, 11, 2, 12, 0, tzinfo=timezone.utc)
    for i in range(60):
        t = now - timedelta(days=i)
        (tmp_path / f"auto-{t:%Y%m%dT%H%M%SZ}-timer.dttsbak").write_bytes(b"x")
    (tmp_path / "my-own-backup.dttsbak").write_bytes(b"officer's file")
    (tmp_path / "auto-notes.txt").write_bytes(b"keep")
    removed = thin_backups(tmp_path, Retention(recent=2, daily=3, weekly=2, monthly=2))
    left = sorted(p.name for p in tmp_path.iterdir())
    assert "my-own-backup.dttsbak" in left and "auto-notes.txt" in left
    ours = [p for p in tmp_path.iterdir() if backup_time(p)]
    assert len(ours) + len(removed) == 60 and 3 <= len(ours) <= 9


def test_thinning_runs_after_each_backup(store):
    folder = auto_dir(store.data_dir)
    folder.mkdir(parents=True)
    for i in range(30):
        t = T0 - timedelta(days=40 + i)
        (folder / f"auto-{t:%Y%m%dT%H%M%SZ}-timer.dttsbak").write_bytes(b"old")
    result = auto_backup(store, "manual", now=T0)
    assert result.removed and result.path.exists()
    assert len(list(folder.iterdir())) <= 3 + 7 + 4 + 6


def test_copy_into_the_officers_folder(store, tmp_path):
    folder = tmp_path / "usb-backups"
    folder.mkdir()
    store.settings.set_setting("backup.folder", str(folder))
    result = auto_backup(store, "manual", now=T0)
    assert result.copies == (folder / result.path.name,)
    assert verify_backup(result.copies[0]).sha256 == verify_backup(result.path).sha256


def test_missing_officers_folder_is_reported_not_fatal(store, tmp_path):
    store.settings.set_setting("backup.folder", str(tmp_path / "stick-not-plugged-in"))
    result = auto_backup(store, "manual", now=T0)
    assert result.path.exists() and result.copies == ()
    assert result.problems and "USB" in result.problems[0][1]


def test_full_disk_stops_the_automatic_backup(store):
    with refused(NotEnoughSpace, "is needed"):
        auto_backup(store, "import", now=T0, disk_usage=free_space(100))
    assert store.settings.get_setting(LAST_AT_KEY) is None


def test_reason_must_be_a_plain_word(store):
    with pytest.raises(ValueError):
        auto_backup(store, "../x")
