"""The hub's database restored from an older copy (issue #12 item 7), through a real hub and a real profile.

The officer submits A; the hub's database is copied; the officer submits B and a reviewer returns A.
Then the hub is stopped, the old copy is put back and the hub started again on the same address. At the
officer's next sync: B (which the hub lost) is sent again and stored, the reviewer's decision made after
the restore reaches the officer, the pull starts from the beginning, and no receipt number issued before
the restore is ever issued again.

On SQLite the copy is made with SQLite's online backup; on PostgreSQL with ``pg_dump``/``pg_restore``
(the procedure of docs/deploy.md), in the test's own schema.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from dttsclient.store import Store
from dttsclient.sync.login import login
from dttshub import db as t
from dttshub.scope import Account
from tests.support.hubfixture import (
    COMMUNE_A,
    DEFAULT_PASSWORD,
    TEST_NOW,
    MutableClock,
    create_pg_schema,
    drop_pg_schema,
    postgres_url,
    start_hub,
)
from tests.support.syncutil import FAST, REVIEWER, USER, engine, finalize, hub_submissions, sync

REVIEWER_ACCOUNT = Account(REVIEWER, "reviewer", "19", "province-pc")


class Site:
    """A hub that can be stopped, have its database copied or replaced, and started again on one port."""

    def __init__(self, tmp_path: Path, db_url: str | None, pg: tuple[str, str] | None) -> None:
        self.tmp_path = tmp_path
        self.db_url = db_url
        self.pg = pg  # (base url, schema)
        self.clock = MutableClock(TEST_NOW)
        self.port = 0
        self.running = None
        self.copies = 0

    def start(self):
        self.running = start_hub(self.tmp_path, self.db_url, clock=self.clock, port=self.port)
        self.port = self.running.embedded.port
        return self.running

    def stop(self) -> None:
        if self.running is not None:
            self.running.stop()
            self.running = None

    @property
    def sqlite_file(self) -> Path:
        return self.tmp_path / "hub" / "hub.sqlite"

    def copy(self) -> Path:
        """A backup of the live database (the hub keeps serving)."""
        self.copies += 1
        target = self.tmp_path / f"backup-{self.copies}"
        if self.pg is None:
            src, dst = sqlite3.connect(self.sqlite_file), sqlite3.connect(target)
            src.backup(dst)
            dst.close()
            src.close()
        else:
            base, schema = self.pg
            subprocess.run(
                ["pg_dump", "--format=custom", f"--schema={schema}", f"--file={target}", plain(base)],
                check=True,
                capture_output=True,
            )
        return target

    def put_back(self, backup: Path) -> None:
        """Replace the (stopped) hub's database with ``backup``."""
        assert self.running is None
        if self.pg is None:
            for suffix in ("-wal", "-shm"):
                Path(str(self.sqlite_file) + suffix).unlink(missing_ok=True)
            shutil.copyfile(backup, self.sqlite_file)
        else:
            base, schema = self.pg
            drop_pg_schema(base, schema)
            subprocess.run(
                ["pg_restore", "--no-owner", f"--dbname={plain(base)}", str(backup)],
                check=True,
                capture_output=True,
            )


def plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def site(request, tmp_path):
    pg = None
    db_url = None
    if request.param == "postgresql":
        base = postgres_url()
        if not base:
            pytest.skip("DTTS_TEST_POSTGRES_URL is not set")
        if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
            pytest.skip("pg_dump/pg_restore are not installed")
        schema, db_url = create_pg_schema(base)
        pg = (base, schema)
    s = Site(tmp_path, db_url, pg)
    running = s.start()
    running.publish_catalog()
    running.add_user(USER, "officer", COMMUNE_A)
    running.add_user(REVIEWER, "reviewer", "19")
    try:
        yield s
    finally:
        s.stop()
        if pg is not None:
            drop_pg_schema(*pg)


@pytest.fixture
def officer(site, data_dir, creds):
    with Store.open(data_dir) as s:
        login(s, site.running.url, USER, DEFAULT_PASSWORD, creds, "PC xã", config=FAST)
        yield s


def receipts_on_hub(running) -> list[str]:
    with running.hub.db.read() as conn:
        return [r[0] for r in conn.execute(sa.select(t.submissions.c.receipt_no))]


def test_a_restored_hub_gets_back_what_it_lost_and_never_reissues_a_receipt(site, officer, creds):
    a = finalize(officer, "2026")
    assert sync(officer, creds).accepted == 1
    backup = site.copy()  # the hub holds A

    b = finalize(officer, "2027")
    assert sync(officer, creds).accepted == 1
    site.running.hub.reviews.review(REVIEWER_ACCOUNT, COMMUNE_A, "BM01", "2026", "return", "Kiểm tra lại")
    sync(officer, creds)
    before = {i.submission_id: i.receipt_no for i in officer.outbox.items()}
    issued = set(receipts_on_hub(site.running))
    assert len(issued) == 2 and set(before.values()) == issued
    generation = site.running.hub.generation

    site.stop()
    site.put_back(backup)
    running = site.start()
    assert running.hub.generation != generation  # the restore was seen at start-up
    assert b.submission_id not in hub_submissions(running)  # the hub lost B
    # a decision made after the restore (the copy knows nothing of the first return)
    running.hub.reviews.review(REVIEWER_ACCOUNT, COMMUNE_A, "BM01", "2026", "return", "Thiếu số hộ nghèo")

    eng = engine(officer, creds)
    cursors = []
    real_changes = eng.api.changes
    eng.api.changes = lambda since: cursors.append(since) or real_changes(since)
    try:
        result = eng.sync()
    finally:
        eng.transport.close()

    assert result.hub_restored and result.requeued_after_restore == 1
    assert any(w.code == "hub_restored" for w in result.warnings)
    assert cursors[0] is None  # the pull started from the beginning
    held = hub_submissions(running)
    assert held[a.submission_id] == 1 and held[b.submission_id] == 1  # B sent again, stored once
    after = {i.submission_id: i for i in officer.outbox.items()}
    assert after[b.submission_id].state == "accepted"
    assert after[b.submission_id].receipt_no not in issued  # a new receipt, not one issued before
    assert after[a.submission_id].receipt_no == before[a.submission_id]
    report_a = officer.reports.report(COMMUNE_A, "BM01", "2026")
    assert report_a.review_state == "returned" and report_a.review_comment == "Thiếu số hộ nghèo"

    # a new report after the restore never gets a number issued before either
    c = finalize(officer, "2028")
    assert sync(officer, creds).accepted == 1
    new_receipt = {i.submission_id: i.receipt_no for i in officer.outbox.items()}[c.submission_id]
    assert new_receipt not in issued
    on_hub = receipts_on_hub(running)
    assert len(on_hub) == len(set(on_hub)) == 3

    # and the next sync is an ordinary one
    again = sync(officer, creds)
    assert not again.hub_restored and again.pulled == 0


def test_a_restore_the_hub_could_not_see_is_caught_by_the_cursor(site, officer, creds, tmp_path):
    """The high-water file lost too (say, restored with the data directory): the first client whose cursor
    is ahead of the hub's feed proves the restore; the hub starts a new generation itself, that client
    resends what the hub lost, and every other client recovers at its next ping."""
    a = finalize(officer, "2026")
    sync(officer, creds)
    with Store.open(tmp_path / "second-pc") as other:
        # (logged in before the copy: a session opened after it is lost with it, and asks for a new login)
        login(other, site.running.url, USER, DEFAULT_PASSWORD, creds, "PC thứ hai", config=FAST)
        backup = site.copy()
        b = finalize(officer, "2027")
        sync(officer, creds)
        issued = set(receipts_on_hub(site.running))
        generation = site.running.hub.generation

        site.stop()
        site.put_back(backup)
        (site.tmp_path / "hub" / "hub_highwater.json").unlink()
        running = site.start()
        assert running.hub.generation == generation  # nothing to compare with: not seen at start-up

        result = sync(officer, creds)
        assert running.hub.generation != generation  # the cursor proved it
        assert result.hub_restored and result.requeued_after_restore == 1
        assert hub_submissions(running)[b.submission_id] == 1  # resent in the same sync
        outbox = {i.submission_id: i for i in officer.outbox.items()}
        assert (
            outbox[b.submission_id].state == "accepted" and outbox[b.submission_id].receipt_no not in issued
        )

        running.hub.reviews.review(REVIEWER_ACCOUNT, COMMUNE_A, "BM01", "2026", "accept", "Đạt")
        again = sync(officer, creds)
        assert not again.hub_restored
        report_a = officer.reports.report(COMMUNE_A, "BM01", "2026")
        assert report_a.review_state == "accepted" and report_a.review_comment == "Đạt"

        # the second PC, which pulled both reports before the restore, sees the new generation at its ping
        theirs = sync(other, creds)
        assert theirs.hub_restored and theirs.requeued_after_restore == 0
        mirrored = other.reports.report(COMMUNE_A, "BM01", a.period)
        assert mirrored.review_state == "accepted"


def test_a_forged_cursor_does_not_start_a_generation(site, officer, creds):
    """Only a cursor the hub sealed can prove a restore; a made-up one is answered from the start."""
    import base64

    import requests

    finalize(officer, "2026")
    sync(officer, creds)
    running = site.running
    generation = running.hub.generation
    forged = base64.urlsafe_b64encode(f"c2:{generation}:999:0000000000000000".encode()).decode().rstrip("=")
    session = running.session(USER)
    r = session.get(running.api + "/changes", params={"since": forged}, timeout=30)
    assert r.status_code == 200
    assert r.json()["reset"] is True and len(r.json()["reports"]) == 1
    assert running.hub.generation == generation
    ping = requests.get(running.api + "/ping", timeout=30).json()
    assert ping["generation"] == generation
