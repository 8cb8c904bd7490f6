"""Courier bundles (``*.dttsgoi``): unsent submissions carried on a USB stick to a connected office.

A bundle is a zip with ``manifest.json`` and one JSON file per submission, exactly the document that
``submissions:batch`` would send. The manifest::

    {"format": "dttsgoi", "format_version": 1, "created_at": "…", "app_version": "…",
     "device": {"device_id": "…", "device_name": "…"},      # or "device": "<device_id>"
     "commune": "01849",
     "submissions": [{"submission_id": "…", "file": "submissions/<id>.json", "sha256": "<hex>"}]}

``file`` may also be spelled ``name`` or ``path``; without it the member is ``submissions/<id>.json``
or ``<id>.json``. Everything is checked before anything is ingested: safe names and sizes (see
:func:`dttscore.formats.safezip.read_zip_safely`), every listed member present with its SHA-256,
each member a submission whose ID is the listed one, and all of them within the hub's budget of JSON
nodes (``max_json_nodes``, counted before parsing). Each document is then checked on its own against
the protocol's model, like an item of a batch (a bad one is ``rejected``, the others go on). A bundle failing any check is refused whole
(:class:`~dttshub.errors.BundleError`, 400); a good one gives one result per submission, exactly like a
batch, and importing it again gives ``duplicate`` for each.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from dttscore.bounds import json_nodes
from dttscore.formats.safezip import UnsafeZipError, read_zip_safely
from dttscore.formats.setup_package import sha256_hex
from dttshub.config import HubConfig
from dttshub.errors import BundleError

FORMAT = "dttsgoi"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Bundle:
    """A checked courier bundle."""

    sha256: str
    manifest: dict
    device_id: str
    device_name: str
    commune: str
    documents: list[dict]


def _bad(code: str, vi: str, en: str) -> BundleError:
    return BundleError(
        code,
        f"Gói chuyển số liệu bị từ chối, chưa nhập gì: {vi}",
        f"The courier bundle was refused; nothing was imported: {en}",
    )


def _too_many(config: HubConfig) -> BundleError:
    return _bad(
        "bundle_too_large",
        f"gói có quá nhiều mục (hơn {config.max_json_nodes:,}); hãy chia thành nhiều gói.",
        f"the bundle holds too many items (over {config.max_json_nodes:,}); split it into several.",
    )


def _device(manifest: dict) -> tuple[str, str]:
    device = manifest.get("device")
    if isinstance(device, dict):
        return str(device.get("device_id") or device.get("id") or ""), str(device.get("device_name") or "")
    if isinstance(device, str):
        return device, str(manifest.get("device_name") or "")
    return str(manifest.get("device_id") or ""), str(manifest.get("device_name") or "")


def _member_name(entry: dict, members: dict[str, bytes]) -> str:
    for key in ("file", "name", "path"):
        if isinstance(entry.get(key), str):
            return entry[key]
    sid = entry["submission_id"]
    for candidate in (f"submissions/{sid}.json", f"{sid}.json"):
        if candidate in members:
            return candidate
    return f"submissions/{sid}.json"


def read_bundle(data: bytes, config: HubConfig) -> Bundle:
    """Check a courier bundle completely and return its submissions in manifest order.

    Raises:
        BundleError: unsafe or damaged zip, bad manifest, a missing member, a SHA-256 that does not
            match, a member that is not the listed submission.
    """
    try:
        members = read_zip_safely(
            data,
            max_member_bytes=config.bundle_member_bytes,
            max_total_bytes=config.bundle_total_bytes,
            max_members=config.bundle_max_members,
        )
    except UnsafeZipError as exc:
        raise BundleError(
            f"bundle_{exc.reason}",
            f"Gói chuyển số liệu bị từ chối, chưa nhập gì: {exc.message_vi}",
            f"The courier bundle was refused; nothing was imported: {exc.message_en}",
        ) from exc
    if MANIFEST not in members:
        raise _bad("bundle_no_manifest", "thiếu manifest.json.", "manifest.json is missing.")
    nodes = json_nodes(members[MANIFEST])
    if nodes > config.max_json_nodes:
        raise _too_many(config)
    try:
        manifest = json.loads(members[MANIFEST].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _bad("bundle_bad_manifest", "manifest.json hỏng.", "manifest.json is damaged.") from exc
    entries = manifest.get("submissions") if isinstance(manifest, dict) else None
    if not isinstance(entries, list) or manifest.get("format", FORMAT) != FORMAT:
        raise _bad("bundle_bad_manifest", "manifest.json sai định dạng.", "manifest.json is malformed.")
    documents, seen = [], set()
    for entry in entries:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("submission_id"), str)
            or not isinstance(entry.get("sha256"), str)
        ):
            raise _bad(
                "bundle_bad_manifest",
                "một mục của manifest thiếu submission_id hoặc sha256.",
                "a manifest entry lacks submission_id or sha256.",
            )
        sid = entry["submission_id"]
        if sid in seen:
            raise _bad(
                "bundle_bad_manifest", f"bản nộp {sid} ghi hai lần.", f"submission {sid} is listed twice."
            )
        seen.add(sid)
        name = _member_name(entry, members)
        if name not in members:
            raise _bad("bundle_missing_member", f"thiếu tệp {name}.", f"the file {name} is missing.")
        if sha256_hex(members[name]) != entry["sha256"].lower():
            raise _bad(
                "bundle_hash_mismatch",
                f"tệp {name} đã bị thay đổi hoặc hỏng (sai mã SHA-256).",
                f"the file {name} was altered or damaged (SHA-256 mismatch).",
            )
        nodes += json_nodes(members[name])
        if nodes > config.max_json_nodes:
            raise _too_many(config)
        try:
            doc = json.loads(members[name].decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise _bad("bundle_bad_member", f"tệp {name} hỏng.", f"the file {name} is damaged.") from exc
        if not isinstance(doc, dict) or doc.get("submission_id") != sid:
            raise _bad(
                "bundle_bad_member",
                f"tệp {name} không phải bản nộp {sid}.",
                f"the file {name} is not submission {sid}.",
            )
        documents.append(doc)
    device_id, device_name = _device(manifest)
    return Bundle(
        sha256=hashlib.sha256(data).hexdigest(),
        manifest=manifest,
        device_id=device_id,
        device_name=device_name,
        commune=str(manifest.get("commune") or ""),
        documents=documents,
    )
