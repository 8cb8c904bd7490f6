"""Courier bundles (``*.dttsgoi``): the unsent submissions, carried on a USB stick to a connected office.

The bundle is a zip with ``manifest.json`` and one JSON file per submission, byte for byte the document
that ``submissions:batch`` would send (``store.outbox.submission(id).document``). The manifest (read by
``dttshub.bundles``)::

    {"format": "dttsgoi", "format_version": 1, "app_version": "0.1.0", "created_at": "…",
     "device": {"device_id": "…", "device_name": "…"}, "commune": "01849",
     "submissions": [{"submission_id": "…", "file": "submissions/<id>.json", "sha256": "<hex>",
                      "size": 1234, "unit": "01849", "form": "BM01", "period": "2026", "revision_no": 1}]}

Every submission whose outbox row is ``queued`` or ``sending`` goes in. Exporting changes no outbox
state: the hub imports the bundle (``dttshub courier import`` or ``POST /api/v1/bundles``; importing twice
stores once), and the next sync of this device learns the receipts (``duplicate`` = accepted). The file
is sealed (its zip comment holds the SHA-256 of every byte before it) and written like a backup: built locally, then copied atomically and verified (:mod:`.atomic`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import platform
import shutil
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dttsclient import __version__
from dttsclient.store import setting_keys
from dttsclient.usb.atomic import DiskUsage, Wrap, copy_atomic, work_beside
from dttsclient.usb.backup import LAST_EXPORT_KEY, iso_now, record_time, resolve_target
from dttsclient.usb.errors import BadFile, NewerFormat, NothingToExport, TooLarge
from dttsclient.usb.safezip import (
    SafeZip,
    ZipLimits,
    check_manifest_members,
    check_seal,
    seal_comment_placeholder,
    seal_zip,
)

if TYPE_CHECKING:
    from dttsclient.store import Store

logger = logging.getLogger(__name__)

FORMAT = "dttsgoi"
FORMAT_VERSION = 1
SUFFIX = ".dttsgoi"
MANIFEST = "manifest.json"
LAST_COURIER_KEY = setting_keys.LAST_COURIER
UNSENT_STATES = ("queued", "sending")
# The hub's default limits (dttshub.config): a bundle over them would be refused there.
LIMITS = ZipLimits(max_members=5000, max_member_size=8 << 20, max_total_size=256 << 20, max_ratio=1000)
MAX_BUNDLE_BYTES = 64 << 20


@dataclass(frozen=True)
class CourierInfo:
    """A courier bundle written or read.

    Attributes:
        path: the file. size / sha256: of the whole file.
        device_id / commune / created_at: from the manifest.
        submissions: the manifest's submission entries (submission_id, unit, form, period, revision_no …).
    """

    path: Path
    size: int
    sha256: str
    device_id: str
    commune: str | None
    created_at: str
    submissions: tuple[dict[str, Any], ...]
    recorded: bool = True  # False: the bundle is good, but the profile could not note the time (disk full)

    @property
    def count(self) -> int:
        return len(self.submissions)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "size": self.size,
            "sha256": self.sha256,
            "device_id": self.device_id,
            "commune": self.commune,
            "created_at": self.created_at,
            "count": self.count,
            "submissions": [dict(s) for s in self.submissions],
            **({} if self.recorded else {"recorded": False}),
        }


def document_bytes(document: dict[str, Any]) -> bytes:
    """The JSON bytes of a submission document (UTF-8, keys sorted: the same bytes every time)."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


def default_name(unit: str | None, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(timezone.utc)).astimezone().strftime("%Y%m%d-%H%M")
    return f"dtts-goi-{unit or 'hoso'}-{stamp}{SUFFIX}"


def build_bundle(store: Store, out_zip: Path, now: datetime | None = None) -> dict[str, Any]:
    """Write the bundle of every unsent submission to ``out_zip`` (local disk); returns the manifest.

    Raises:
        NothingToExport: no submission is waiting to be sent.
    """
    items = store.outbox.items(states=UNSENT_STATES)
    if not items:
        raise NothingToExport(
            "Không có báo cáo nào đang chờ gửi, nên không cần tạo gói chuyển số liệu.",
            "No report is waiting to be sent, so there is nothing to put in a courier bundle.",
        )
    profile = store.settings.profile()
    entries, members = [], []
    for item in items:
        doc = store.outbox.submission(item.submission_id).document
        data = document_bytes(doc)
        name = f"submissions/{item.submission_id}.json"
        members.append((name, data))
        entries.append(
            {
                "submission_id": item.submission_id,
                "file": name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": len(data),
                "unit": item.unit,
                "form": item.form,
                "period": item.period,
                "revision_no": item.revision_no,
            }
        )
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "created_at": iso_now(now),
        "device": {"device_id": store.settings.device_id, "device_name": platform.node()[:64]},
        "commune": profile.unit,
        "submissions": entries,
    }
    with zipfile.ZipFile(out_zip, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.comment = seal_comment_placeholder()
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
        for name, data in members:
            zf.writestr(name, data)
    seal_zip(out_zip)
    size = out_zip.stat().st_size
    if size > MAX_BUNDLE_BYTES:
        raise TooLarge(
            f"Gói chuyển số liệu quá lớn ({size // (1 << 20)} MB, máy chủ nhận tối đa {MAX_BUNDLE_BYTES >> 20} MB). "
            "Hãy đồng bộ khi có mạng hoặc liên hệ cán bộ tỉnh.",
            f"The courier bundle is too large ({size // (1 << 20)} MB; the hub takes at most "
            f"{MAX_BUNDLE_BYTES >> 20} MB). Sync when online or contact the province.",
        )
    return manifest


def read_courier(path: Path | str) -> tuple[CourierInfo, list[dict[str, Any]]]:
    """Read and check a courier bundle completely (what the hub checks, and a bit more).

    Returns:
        (info, the submission documents in manifest order).

    Raises:
        BadFile (UnsafeArchive, NewerFormat): unsafe, damaged, tampered with, or not a bundle.
    """
    path = Path(path)
    with SafeZip(path, LIMITS) as zf:
        check_seal(path)
        manifest = zf.read_json(MANIFEST, limit=16 << 20)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BadFile(path, "đây không phải gói chuyển số liệu DTTS.", "it is not a DTTS courier bundle.")
        version = manifest.get("format_version")
        if not isinstance(version, int) or version < 1:
            raise BadFile(
                path, "bản kê có số phiên bản không hợp lệ.", "the manifest's format version is invalid."
            )
        if version > FORMAT_VERSION:
            raise NewerFormat(path, version, FORMAT_VERSION)
        entries = manifest.get("submissions")
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("file"), str) for e in entries
        ):
            raise BadFile(path, "bản kê sai định dạng.", "the manifest is malformed.")
        check_manifest_members(zf, {e["file"]: e for e in entries}, MANIFEST)
        docs = []
        for entry in entries:
            doc = zf.read_json(entry["file"])
            if not isinstance(doc, dict) or doc.get("submission_id") != entry.get("submission_id"):
                raise BadFile(
                    path,
                    f"“{entry['file']}” không phải bản nộp được ghi trong bản kê.",
                    f"“{entry['file']}” is not the submission the manifest lists.",
                )
            docs.append(doc)
    device = manifest.get("device")
    device_id = device.get("device_id", "") if isinstance(device, dict) else str(device or "")
    from dttsclient.usb.atomic import sha256_file

    size, digest = sha256_file(path)
    info = CourierInfo(
        path=path,
        size=size,
        sha256=digest,
        device_id=str(device_id),
        commune=manifest.get("commune"),
        created_at=str(manifest.get("created_at") or ""),
        submissions=tuple(entries),
    )
    return info, docs


def export_courier(
    store: Store,
    path: Path | str,
    progress: Any = None,
    *,
    disk_usage: DiskUsage = shutil.disk_usage,
    wrap: Wrap | None = None,
    now: datetime | None = None,
) -> CourierInfo:
    """Write a courier bundle of every unsent submission (outbox ``queued`` and ``sending``).

    Args:
        store: the open profile.
        path: the target file (``*.dttsgoi``) or a folder (a dated name is made).
        progress: optional (fraction, stage) callback.
        disk_usage / wrap: fault injection for tests (full disk, stick pulled out).
        now: the time written into the manifest.

    Returns:
        The bundle written (checked by reading it back).

    Raises:
        NothingToExport: nothing is waiting to be sent (no file is written).
        NotEnoughSpace, TargetVanished, TargetNotWritable, WriteCorrupted: the target failed; nothing
            half-written is left and a previous file at ``path`` is intact.
    """
    now = now or datetime.now(timezone.utc)  # one time for the manifest and the settings
    target = resolve_target(path, store.settings.profile().unit, now, SUFFIX, default_name)
    with work_beside(target, disk_usage) as work:  # the bundle is built where the space is: the target
        zip_path = work / "bundle.zip"
        if progress is not None:
            progress(0.1, "compress")
        build_bundle(store, zip_path, now)

        def on_bytes(done: int, total: int) -> None:
            if progress is not None:
                progress(0.2 + 0.6 * done / max(total, 1), "write")

        copy_atomic(
            zip_path, target, verify=read_courier, disk_usage=disk_usage, wrap=wrap, progress=on_bytes
        )
    info, _ = read_courier(target)
    if not record_time(store, (LAST_COURIER_KEY, LAST_EXPORT_KEY), iso_now(now)):
        info = dataclasses.replace(info, recorded=False)
    if progress is not None:
        progress(1.0, "done")
    logger.info("courier bundle with %d submission(s) written to %s", info.count, target)
    return info
