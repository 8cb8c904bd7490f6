"""Schema migrations of the hub (Alembic) and ``dttshub serve --workers``, on SQLite and PostgreSQL.

A database "made by the current release" is made by the real hub code with the release's own schema
code (``legacy_hub_db.py``, the db.py of 0.1.0 frozen): accounts, a catalogue and a device sign-in are
written through the running hub, then a new hub opens the same database.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from dttshub import migrations
from dttshub.db import Database, metadata
from tests.support import legacy_hub_db
from tests.support.hubfixture import postgres_url, start_hub


def _exe() -> list[str]:
    script = Path(sys.executable).with_name("dttshub")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dttshub"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cli:
    """Runs ``dttshub`` against one database and data directory."""

    def __init__(self, tmp_path: Path, db_url: str | None) -> None:
        self.data_dir = tmp_path / "hubdata"
        self.db = db_url or f"sqlite:///{tmp_path / 'cli-hub.sqlite'}"
        self.env = {**os.environ, "DTTSHUB_DATA_DIR": str(self.data_dir)}
        self.env.pop("DTTSHUB_DB", None)

    def __call__(self, *args: str, json_out: bool = False, lang: str | None = None):
        cmd = [*_exe(), *args, "--db", self.db]
        if json_out:
            cmd.append("--json")
        if lang:
            cmd += ["--lang", lang]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=self.env, timeout=120)
        if json_out and proc.stdout.strip():
            proc.doc = json.loads(proc.stdout)
        return proc


def _legacy_create_schema(self, now=None):
    legacy_hub_db.Database._create_schema(self, now or datetime.now(timezone.utc))


def _make_release_database(tmp_path, db_url, monkeypatch) -> tuple[str, str]:
    """A hub database as release 0.1.0 leaves it; returns ``(url, server_id)``."""
    with monkeypatch.context() as m:
        m.setattr(Database, "create_schema", _legacy_create_schema)
        with start_hub(tmp_path / "old", db_url) as hub:
            hub.publish_catalog()
            hub.add_user("canbo_cu")
            assert hub.login("canbo_cu")["access_token"]
            url, server_id = hub.db_url, hub.server_id
    db = Database(url)
    try:
        with db.read() as conn:
            assert not sa.inspect(conn).has_table("alembic_version")
            assert conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar() == 1
            assert migrations.state(conn).status == "legacy"
    finally:
        db.dispose()
    return url, server_id


def test_head_is_the_newest_revision():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrations.alembic_config())
    assert scripts.get_current_head() == migrations.HEAD
    assert migrations.BASELINE in migrations.known_revisions()


def test_migrations_make_exactly_the_tables_of_db_py(tmp_path, db_url):
    """Running every revision on an empty database gives the schema of ``dttshub/db.py``, nothing else."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    db = Database(db_url or f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    try:
        before, after = db.create_schema()
        assert (before.status, after.status, after.revision) == ("empty", "current", migrations.HEAD)
        with db.read() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diff == []
        assert db.create_schema()[0].status == "current"  # a second open changes nothing
    finally:
        db.dispose()


def test_a_database_of_the_release_is_adopted_and_keeps_everything(tmp_path, db_url, monkeypatch):
    url, server_id = _make_release_database(tmp_path, db_url, monkeypatch)
    cli = Cli(tmp_path, url)
    p = cli("db", "current", json_out=True)
    assert p.returncode == 0, p.stderr
    assert p.doc["status"] == "legacy" and p.doc["revision"] is None

    p = cli("db", "upgrade", lang="en")
    assert p.returncode == 0, p.stderr
    assert f"Database upgraded: legacy → {migrations.HEAD}" in p.stdout
    p = cli("db", "current")
    assert p.returncode == 0 and "đã là lược đồ mới nhất" in p.stdout
    assert cli("db", "upgrade", json_out=True).returncode == 3  # nothing to do

    with start_hub(tmp_path / "new", url) as hub:
        assert hub.server_id == server_id  # the same hub: clients keep trusting it
        assert hub.login("canbo_cu")["access_token"]
        assert hub.hub.catalogs.current() is not None


def test_serve_upgrades_a_database_of_the_release_at_start_up(tmp_path, db_url, monkeypatch):
    url, server_id = _make_release_database(tmp_path, db_url, monkeypatch)
    cli = Cli(tmp_path, url)
    port = _free_port()
    proc = subprocess.Popen(
        [*_exe(), "serve", "--db", url, "--port", str(port)],
        env=cli.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        doc = _wait_ping(proc, port)
        assert doc["server_id"] == server_id
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        assert "adopted at 0001" in proc.stderr.read()
    finally:
        _end(proc)
    assert cli("db", "current", json_out=True).doc["status"] == "current"


def _set_revision(url: str, revision: str) -> None:
    db = Database(url)
    try:
        db.create_schema()
        with db.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    finally:
        db.dispose()


def test_serve_refuses_a_database_of_a_newer_dttshub(tmp_path, db_url):
    cli = Cli(tmp_path, db_url)
    _set_revision(cli.db, "0099")
    p = cli("serve", "--port", str(_free_port()))
    assert p.returncode == 1
    assert "phiên bản dttshub mới hơn" in p.stderr and "Traceback" not in p.stderr
    p = cli("serve", "--port", str(_free_port()), lang="en")
    assert p.returncode == 1 and "upgraded by a newer dttshub (schema 0099)" in p.stderr
    p = cli("db", "current", json_out=True)
    assert p.returncode == 1 and p.doc["status"] == "newer"
    p = cli("user", "list")
    assert p.returncode == 1 and "mới hơn" in p.stderr


def test_a_pre_alembic_database_with_a_newer_schema_version_is_refused(tmp_path):
    cli = Cli(tmp_path, None)
    db = Database(cli.db)
    try:
        with db.begin() as conn:
            legacy_hub_db.metadata.create_all(conn)
            conn.execute(sa.text("INSERT INTO schema_version VALUES (2, '2027-01-01T00:00:00.000000+00:00')"))
    finally:
        db.dispose()
    p = cli("user", "list", lang="en")
    assert p.returncode == 1 and "newer dttshub (schema 2)" in p.stderr


def test_workers_are_refused_on_sqlite(tmp_path):
    cli = Cli(tmp_path, None)
    p = cli("serve", "--workers", "2", "--port", str(_free_port()))
    assert p.returncode == 2
    assert "SQLite chỉ cho một tiến trình ghi" in p.stderr and "PostgreSQL" in p.stderr
    p = cli("serve", "--workers", "3", "--port", str(_free_port()), lang="en")
    assert p.returncode == 2 and "Cannot run 3 processes on SQLite" in p.stderr


@pytest.mark.postgres
def test_two_workers_on_postgresql_both_answer(tmp_path):
    """``serve --workers 2`` on PostgreSQL: two processes, each answers ``ping`` with the same hub."""
    from tests.support.hubfixture import create_pg_schema, drop_pg_schema

    base = postgres_url()
    if not base:
        pytest.skip("DTTS_TEST_POSTGRES_URL is not set")
    schema, url = create_pg_schema(base)
    cli = Cli(tmp_path, url)
    port = _free_port()
    proc = subprocess.Popen(
        [*_exe(), "serve", "--db", url, "--port", str(port), "--workers", "2"],
        env=cli.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = _wait_ping(proc, port)

        def ping(_: int) -> str:
            with requests.Session() as s:
                return s.get(f"http://127.0.0.1:{port}/api/v1/ping", timeout=10).json()["server_id"]

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            ids = set(pool.map(ping, range(200)))
        assert ids == {first["server_id"]}
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        err = proc.stderr.read()
        answered = set(re.findall(r"\[(\d+)\] uvicorn\.access: .*GET /api/v1/ping", err))
        assert len(answered) == 2, err[-2000:]
        assert str(proc.pid) not in answered  # the supervisor only supervises
    finally:
        _end(proc)
        drop_pg_schema(base, schema)


def _wait_ping(proc: subprocess.Popen, port: int) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            return requests.get(f"http://127.0.0.1:{port}/api/v1/ping", timeout=2).json()
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError(proc.stderr.read() if proc.poll() is not None else "no answer")


def _end(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    proc.stdout.close()
    proc.stderr.close()
