"""Helpers of the USB tests: profiles with the small test catalogue, a movable clock, fault wrappers."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import sqlite3
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from dttsclient.store import Store, Submission
from dttscore.catalog import catalog_from_json
from tests.support.hubfixture import COMMUNE_A, good_values, small_catalog

USER = "can_bo"
T0 = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)


class Clock:
    """A clock a test moves by hand (the store stamps change-log rows with it)."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


def open_profile(data_dir: Path, clock: Clock | None = None, unit: str | None = COMMUNE_A) -> Store:
    """An open profile of ``unit`` with the small test catalogue."""
    store = Store.open(data_dir, clock=clock)
    if unit:
        store.settings.set_profile(unit=unit, username=USER)
    store.catalogs.import_catalog(catalog_from_json(small_catalog()))
    return store


def fill(
    store: Store,
    period: str = "2026",
    values: dict | None = None,
    form: str = "BM01",
    unit: str = COMMUNE_A,
    eth: tuple[str, ...] = ("02", "08"),
) -> int:
    """Write values into a report (created when missing); returns the report id."""
    report = store.reports.report(unit, form, period, create=True)
    if form == "BM01":
        store.reports.set_eth_rows(report.id, list(eth))
    vals = good_values() if values is None else values
    store.reports.set_cells(report.id, [(c, d, v) for (c, d), v in vals.items()], USER)
    return report.id


def finalize(store: Store, period: str = "2026", values: dict | None = None) -> Submission:
    rid = fill(store, period, values)
    return store.outbox.finalize(rid, USER, require_reasons=False)


def accept(store: Store, sub: Submission, receipt: str = "BN-1") -> None:
    """What a sync does when the hub accepts ``sub``."""
    store.outbox.claim(50, 60)
    store.outbox.apply_results(
        [
            {
                "submission_id": sub.submission_id,
                "status": "accepted",
                "receipt_no": receipt,
                "server_revision": 1,
                "received_at": "2026-11-02T08:00:00+00:00",
                "errors": [],
            }
        ]
    )
    store.outbox.release_expired_leases(datetime(2100, 1, 1, tzinfo=timezone.utc))


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a restore or import could change, to compare before and after."""
    out = {}
    with contextlib.closing(sqlite3.connect(store.path)) as conn:  # a reader of its own
        for table in (
            "reports",
            "cells",
            "comments",
            "eth_rows",
            "change_log",
            "submissions",
            "outbox",
            "catalogs",
        ):
            out[table] = sorted(tuple(r) for r in conn.execute(f"SELECT * FROM {table}"))
    return out


def rezip(
    src: Path,
    dst: Path,
    *,
    drop: tuple[str, ...] = (),
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
) -> Path:
    """A copy of a zip with members dropped, replaced or added (CRCs recomputed: only our checks can tell)."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def manifest_of(path: Path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))


def with_manifest(src: Path, dst: Path, change) -> Path:
    """A copy of a backup whose manifest was changed by ``change(manifest)`` (other members intact)."""
    manifest = manifest_of(src)
    change(manifest)
    return rezip(src, dst, replace={"manifest.json": json.dumps(manifest).encode()})


def with_database(src: Path, dst: Path, change) -> Path:
    """A copy of a backup whose database was changed by ``change(conn)``, the manifest's hash made to fit."""
    with zipfile.ZipFile(src) as zf:
        db = zf.read("profile.sqlite")
    tmp = dst.with_suffix(".sqlite")
    tmp.write_bytes(db)
    conn = sqlite3.connect(tmp)
    change(conn)
    conn.commit()
    conn.close()
    data = tmp.read_bytes()
    manifest = manifest_of(src)
    manifest["members"]["profile.sqlite"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    return rezip(src, dst, replace={"manifest.json": json.dumps(manifest).encode(), "profile.sqlite": data})


class FailingWriter(io.RawIOBase):
    """Wraps a file: raises ``OSError(err)`` once ``limit`` bytes were written (a stick pulled out)."""

    def __init__(self, inner, limit: int, err: int = errno.EIO, before_fail=None) -> None:
        self.inner, self.limit, self.err, self.written, self.before_fail = inner, limit, err, 0, before_fail

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        if self.written + len(data) > self.limit:
            room = self.limit - self.written
            if room > 0:
                self.inner.write(data[:room])
                self.written += room
            if self.before_fail is not None:
                self.before_fail()
            raise OSError(self.err, "simulated failure")
        self.written += len(data)
        return self.inner.write(data)

    def flush(self) -> None:
        self.inner.flush()


class FlippingWriter(io.RawIOBase):
    """Wraps a file: flips one bit of the byte at ``offset`` (a stick that stores what it wants)."""

    def __init__(self, inner, offset: int) -> None:
        self.inner, self.offset, self.pos = inner, offset, 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        buf = bytearray(data)
        if self.pos <= self.offset < self.pos + len(buf):
            buf[self.offset - self.pos] ^= 0x01
        self.pos += len(buf)
        return self.inner.write(bytes(buf))

    def flush(self) -> None:
        self.inner.flush()


def free_space(n: int):
    """A ``disk_usage`` replacement that reports ``n`` free bytes."""

    class Usage:
        free = n
        total = n * 10
        used = n * 9

    return lambda _path: Usage()


def leftovers(folder: Path) -> list[str]:
    """Temporary files left in a folder by a write."""
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


__all__ = ["COMMUNE_A", "T0", "USER", "Clock", "good_values"]


@contextlib.contextmanager
def refused(cls: type[BaseException], english: str):
    """Like ``pytest.raises(cls)``, and the English message must contain ``english``."""
    with pytest.raises(cls) as info:
        yield info
    assert english in info.value.message_en, info.value.message_en  # type: ignore[attr-defined]
