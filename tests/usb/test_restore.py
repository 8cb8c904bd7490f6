"""Restore merges a backup without ever losing newer local data, re-queues unsent work, asks before
mixing communes, and changes nothing at all when the file is bad."""

from __future__ import annotations

from collections import Counter

import pytest

from dttsclient.store import Store
from dttsclient.usb.backup import export_backup, verify_backup
from dttsclient.usb.errors import BadFile, WrongCommune
from dttsclient.usb.restore import RESTORE_KIND, restore_backup
from tests.support.hubfixture import COMMUNE_B
from tests.support.usbutil import (
    COMMUNE_A,
    USER,
    Clock,
    accept,
    fill,
    finalize,
    open_profile,
    refused,
    snapshot,
)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def local(tmp_path, clock):
    with open_profile(tmp_path / "local", clock) as s:
        yield s


def backup_of(store: Store, path) -> object:
    return export_backup(store, path).path


def other_pc(tmp_path, bak, clock: Clock, name: str = "other") -> Store:
    """A second computer that started from ``bak`` (restored into a new profile)."""
    restore_backup(tmp_path / name, bak, now=clock.now)
    return Store.open(tmp_path / name, clock=clock)


def cell(store: Store, code: str, period: str = "2026", key: str = "") -> str | None:
    report = store.reports.report(COMMUNE_A, "BM01", period)
    return store.reports.cells(report.id).get((code, key))


def test_restore_into_a_new_profile_brings_everything(local, tmp_path, clock):
    accept(local, finalize(local, "2025"), "BN-7")
    finalize(local, "2026")
    rid = fill(local, "2027")
    local.reports.set_comment(rid, "0102", "", "Theo điều tra", USER)
    bak = backup_of(local, tmp_path / "a.dttsbak")
    report = restore_backup(tmp_path / "new", bak)
    assert report.profile_set and report.reports_added == 3 and report.safety_copy is None
    assert report.requeued == 1 and report.submissions_added == 2
    with Store.open(tmp_path / "new") as new:
        assert new.settings.profile().unit == COMMUNE_A
        assert new.settings.device_id != local.settings.device_id  # each computer keeps its own identity
        assert snapshot(new)["cells"] == snapshot(local)["cells"]
        assert (
            new.reports.comments(new.reports.report(COMMUNE_A, "BM01", "2027").id)[("0102", "")].text
            == "Theo điều tra"
        )
        states = {o.period: (o.state, o.receipt_no) for o in new.outbox.items()}
        assert states == {"2025": ("accepted", "BN-7"), "2026": ("queued", None)}
        assert [r.state for r in new.reports.all()] == ["finalized", "finalized", "draft"]
        assert new.catalogs.current_catalog() is not None


def test_newer_local_value_is_kept(local, tmp_path, clock):
    fill(local)
    bak = backup_of(local, tmp_path / "a.dttsbak")
    clock.advance(60)
    local.reports.set_cell(local.reports.report(COMMUNE_A, "BM01", "2026").id, "0102", "", "99", USER)
    report = restore_backup(local, bak, now=clock.advance(60))
    assert cell(local, "0102") == "99"
    assert report.cells_kept_local == 1 and report.cells_updated == 0


def test_newer_backup_value_is_taken_and_local_only_edits_stay(local, tmp_path, clock):
    fill(local)
    bak = backup_of(local, tmp_path / "a.dttsbak")
    clock.advance(10)
    with other_pc(tmp_path, bak, clock) as pc:
        clock.advance(100)
        pc.reports.set_cell(pc.reports.report(COMMUNE_A, "BM01", "2026").id, "0102", "", "77", USER)
        bak2 = backup_of(pc, tmp_path / "b.dttsbak")
    clock.advance(-50)  # the local edit of another cell happened before the other computer's edit
    local.reports.set_cell(local.reports.report(COMMUNE_A, "BM01", "2026").id, "0103", "", "5", USER)
    report = restore_backup(local, bak2, now=clock.advance(500))
    assert cell(local, "0102") == "77" and cell(local, "0103") == "5"
    assert report.cells_updated == 1
    assert local.reports.report(COMMUNE_A, "BM01", "2026").dirty


def test_draft_edited_on_both_sides_keeps_both_versions(local, tmp_path, clock):
    fill(local)
    bak = backup_of(local, tmp_path / "a.dttsbak")
    with other_pc(tmp_path, bak, clock) as pc:
        clock.advance(120)
        pc.reports.set_cell(pc.reports.report(COMMUNE_A, "BM01", "2026").id, "0102", "", "77", USER)
        bak2 = backup_of(pc, tmp_path / "b.dttsbak")
    clock.advance(-60)  # local edit is older than the other computer's
    rid = local.reports.report(COMMUNE_A, "BM01", "2026").id
    local.reports.set_cell(rid, "0102", "", "55", USER)
    restore_backup(local, bak2, now=clock.advance(600))
    assert cell(local, "0102") == "77"  # the newer stays current …
    history = [(h.old, h.new, h.kind) for h in local.reports.history(rid, "0102", "")]
    assert ("80", "55", "edit") in history and ("80", "77", "edit") in history  # … the older is in history
    assert ("55", "77", RESTORE_KIND) in history


def test_draft_edited_on_both_sides_local_newer(local, tmp_path, clock):
    fill(local)
    bak = backup_of(local, tmp_path / "a.dttsbak")
    with other_pc(tmp_path, bak, clock) as pc:
        clock.advance(60)
        pc.reports.set_cell(pc.reports.report(COMMUNE_A, "BM01", "2026").id, "0102", "", "77", USER)
        bak2 = backup_of(pc, tmp_path / "b.dttsbak")
    clock.advance(60)
    rid = local.reports.report(COMMUNE_A, "BM01", "2026").id
    local.reports.set_cell(rid, "0102", "", "55", USER)
    report = restore_backup(local, bak2, now=clock.advance(60))
    assert cell(local, "0102") == "55"
    assert ("80", "77", "edit") in [(h.old, h.new, h.kind) for h in local.reports.history(rid, "0102", "")]
    assert report.cells_kept_local == 1 and report.history_added == 1


def test_unacknowledged_submissions_are_requeued_and_acknowledged_kept(local, tmp_path, clock):
    bak0 = backup_of(local, tmp_path / "empty.dttsbak")
    with other_pc(tmp_path, bak0, clock) as pc:
        accept(pc, finalize(pc, "2024"), "BN-24")
        finalize(pc, "2025")
        pc.outbox.claim(1, 600)  # 2025 is "sending" when the backup is made
        finalize(pc, "2026")
        assert Counter(o.state for o in pc.outbox.items()) == {"accepted": 1, "sending": 1, "queued": 1}
        bak = backup_of(pc, tmp_path / "b.dttsbak")
    report = restore_backup(local, bak, now=clock.advance(60))
    assert report.requeued == 2 and report.submissions_added == 3
    rows = {o.period: o for o in local.outbox.items()}
    assert rows["2024"].state == "accepted" and rows["2024"].receipt_no == "BN-24"
    # 2025 was being sent: the hub may hold it, so it waits for the next sync to ask the hub about it
    # (submissions:status) instead of being sent again or superseded.
    assert rows["2025"].state == "sending" and rows["2025"].lease_until is None
    assert rows["2025"].submission_id in local.outbox.sending_ids()
    assert rows["2026"].state == "queued"
    assert {s.submission_id for s in local.outbox.claim(10, 60)} == {rows["2026"].submission_id}


def test_local_queued_row_learns_the_hubs_answer_from_the_backup(local, tmp_path, clock):
    sub = finalize(local, "2026")
    bak = backup_of(local, tmp_path / "a.dttsbak")
    with other_pc(tmp_path, bak, clock) as pc:
        accept(pc, pc.outbox.submission(sub.submission_id), "BN-42")
        bak2 = backup_of(pc, tmp_path / "b.dttsbak")
    report = restore_backup(local, bak2, now=clock.advance(60))
    assert report.outbox_updated == 1
    (row,) = local.outbox.items()
    assert (row.state, row.receipt_no) == ("accepted", "BN-42")


def test_newer_revision_from_the_backup_supersedes_the_local_queued_one(local, tmp_path, clock):
    first = finalize(local, "2026")
    bak = backup_of(local, tmp_path / "a.dttsbak")
    with other_pc(tmp_path, bak, clock) as pc:
        clock.advance(60)
        rid = pc.reports.report(COMMUNE_A, "BM01", "2026").id
        pc.reports.set_cell(rid, "0102", "", "81", USER)
        second = pc.outbox.finalize(rid, USER, require_reasons=False)
        bak2 = backup_of(pc, tmp_path / "b.dttsbak")
    restore_backup(local, bak2, now=clock.advance(60))
    states = {o.submission_id: o.state for o in local.outbox.items()}
    assert states == {first.submission_id: "superseded", second.submission_id: "queued"}
    report = local.reports.report(COMMUNE_A, "BM01", "2026")
    assert (report.state, report.dirty, report.revision_no) == ("finalized", False, 2)
    assert cell(local, "0102") == "81"


def test_other_commune_is_refused_unless_confirmed(tmp_path, clock):
    with open_profile(tmp_path / "b", clock, unit=COMMUNE_B) as other:
        fill(other, unit=COMMUNE_B)
        bak = backup_of(other, tmp_path / "b.dttsbak")
    with open_profile(tmp_path / "a", clock) as mine:
        fill(mine)
        before = snapshot(mine)
        with refused(WrongCommune, "belongs to commune 01864"):
            restore_backup(mine, bak)
        assert snapshot(mine) == before
        assert not (tmp_path / "a" / "backups" / "auto").exists()
        report = restore_backup(mine, bak, confirm_other_commune=True)
        assert report.reports_added == 1 and mine.reports.report(COMMUNE_B, "BM01", "2026") is not None
        assert mine.settings.profile().unit == COMMUNE_A


def test_a_safety_copy_of_the_live_database_is_taken_first(local, tmp_path, clock):
    fill(local)
    bak = backup_of(local, tmp_path / "a.dttsbak")
    fill(local, "2027")
    report = restore_backup(local, bak, now=clock.advance(60))
    assert (
        report.safety_copy is not None
        and report.safety_copy.parent == tmp_path / "local" / "backups" / "auto"
    )
    assert verify_backup(report.safety_copy).counts["reports"] == 2


def test_bad_backup_changes_nothing(local, tmp_path, clock):
    fill(local)
    bak = backup_of(local, tmp_path / "a.dttsbak")
    data = bytearray(bak.read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad = tmp_path / "bad.dttsbak"
    bad.write_bytes(bytes(data))
    before = snapshot(local)
    with pytest.raises(BadFile):
        restore_backup(local, bad)
    assert snapshot(local) == before
    assert not (tmp_path / "local" / "backups" / "auto").exists()


def test_restoring_twice_changes_nothing_the_second_time(local, tmp_path, clock):
    finalize(local, "2026")
    bak = backup_of(local, tmp_path / "a.dttsbak")
    restore_backup(tmp_path / "new", bak)
    with Store.open(tmp_path / "new") as new:
        before = snapshot(new)
        again = restore_backup(new, bak)
        assert not again.changed
        assert snapshot(new) == before


def test_merge_is_one_transaction(local, tmp_path, clock):
    """A failure in the middle of the merge leaves the profile exactly as it was."""
    finalize(local, "2025")
    finalize(local, "2026")
    bak = backup_of(local, tmp_path / "a.dttsbak")
    with open_profile(tmp_path / "fresh", clock) as fresh:
        fill(fresh, "2020")
        before = snapshot(fresh)
        # The disk fails on the second outbox row: a connection-local trigger stands in for it.
        fresh._db.conn.execute(
            "CREATE TEMP TRIGGER fail_second BEFORE INSERT ON outbox WHEN (SELECT count(*) FROM outbox) >= 1 "
            "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END"
        )
        with pytest.raises(Exception, match="simulated failure"):
            restore_backup(fresh, bak, now=clock.advance(60))
        fresh._db.conn.execute("DROP TRIGGER fail_second")
        assert snapshot(fresh) == before
        assert restore_backup(fresh, bak, now=clock.advance(60)).reports_added == 2


def test_bad_file_into_a_new_folder_creates_nothing(tmp_path):
    bad = tmp_path / "x.dttsbak"
    bad.write_text("không phải tệp sao lưu", encoding="utf-8")
    with pytest.raises(BadFile):
        restore_backup(tmp_path / "new", bad)
    assert not (tmp_path / "new").exists()


def _carry_into_2026(store: Store) -> int:
    """2025 filled, 2026 started from it: its copied cells are marked until confirmed."""
    fill(store, "2025")
    rid = store.reports.report(COMMUNE_A, "BM01", "2026", create=True).id
    _, choices = store.carry.carry_choices(rid)
    assert store.carry.copy_from_previous(rid, [c.code for c in choices], USER)
    return rid


def test_marks_of_copied_cells_come_with_a_restored_report(local, tmp_path, clock):
    rid = _carry_into_2026(local)
    marked = local.carry.carried(rid)
    assert marked
    bak = backup_of(local, tmp_path / "a.dttsbak")
    report = restore_backup(tmp_path / "new", bak, now=clock.now)
    assert report.carried_marks == len(marked) and report.to_json()["carried_marks"] == len(marked)
    with Store.open(tmp_path / "new") as new:
        new_id = new.reports.report(COMMUNE_A, "BM01", "2026").id
        assert new.carry.carried(new_id) == marked  # still blue on the new PC, until confirmed there


def test_a_copied_value_taken_from_the_backup_keeps_its_mark_and_a_confirmation_here_stays(
    local, tmp_path, clock
):
    fill(local, "2025")
    rid = local.reports.report(COMMUNE_A, "BM01", "2026", create=True).id
    bak_empty = backup_of(local, tmp_path / "empty.dttsbak")
    with other_pc(tmp_path, bak_empty, clock) as other:  # the other PC starts 2026 from last period
        clock.advance(60)
        oid = other.reports.report(COMMUNE_A, "BM01", "2026").id
        other.carry.copy_from_previous(oid, ["0101"], USER)
        copied = other.carry.carried(oid)
        assert copied
        bak = backup_of(other, tmp_path / "other.dttsbak")
    clock.advance(60)
    first = restore_backup(local, bak, now=clock.now)
    assert first.cells_added == len(copied) and first.carried_marks == len(copied)
    assert local.carry.carried(rid) == copied
    local.carry.confirm_carried(rid)  # the officer confirms them here
    again = restore_backup(local, bak, now=clock.advance(60))
    assert again.carried_marks == 0 and local.carry.carried(rid) == {}  # the confirmation is not undone


def test_baselines_come_with_a_backup_of_the_same_unit_when_newer(local, tmp_path, clock):
    item = {
        "survey": "DTTS 2024",
        "reference_date": "2024-10-01",
        "form": "BM01",
        "period": "2024",
        "indicator": "0101",
        "disagg": "",
        "value": "95",
    }
    local.baselines.replace(COMMUNE_A, 3, [item])
    fill(local, "2026")
    bak = backup_of(local, tmp_path / "a.dttsbak")
    report = restore_backup(tmp_path / "new", bak, now=clock.now)
    assert report.baselines_taken == 1
    with Store.open(tmp_path / "new") as new:  # a new PC, offline: the survey figures show before any sync
        assert new.baselines.version() == 3
        assert [b.value for b in new.baselines.for_cell(COMMUNE_A, "BM01", "0101", "")] == ["95"]
        new.baselines.replace(COMMUNE_A, 4, [{**item, "value": "96"}])  # the hub's newer figures
    again = restore_backup(tmp_path / "new", bak, now=clock.advance(60))
    assert again.baselines_taken == 0  # an older version never replaces a newer one
    with open_profile(tmp_path / "b", clock, unit=COMMUNE_B) as other_unit:
        restore_backup(other_unit, bak, confirm_other_commune=True, now=clock.advance(60))
        assert other_unit.baselines.version() is None  # another unit's figures are not this unit's
    with Store.open(tmp_path / "new") as new:
        assert [b.value for b in new.baselines.for_cell(COMMUNE_A, "BM01", "0101", "")] == ["96"]


def test_the_summary_says_what_the_restore_did_in_both_languages(local, tmp_path, clock):
    rid = _carry_into_2026(local)
    bak = backup_of(local, tmp_path / "a.dttsbak")
    report = restore_backup(tmp_path / "new", bak, now=clock.now)
    vi, en = report.summary("vi"), report.summary("en")
    assert vi.startswith("Đã khôi phục xong:\n• Báo cáo: thêm mới 2.\n• Số liệu: ")
    assert f"{len(local.carry.carried(rid))} ô lấy từ kỳ trước vẫn được đánh dấu" in vi
    assert en.startswith("Restore finished:\n• Reports: 2 added.\n• Values: ") and "Đã" not in en
    again = restore_backup(tmp_path / "new", bak, now=clock.advance(60))
    assert again.summary("vi").startswith("Đã khôi phục xong: tệp không có gì mới")
    assert "Dữ liệu trước khi khôi phục đã được sao lưu tại:" in again.summary("vi")  # the safety copy
