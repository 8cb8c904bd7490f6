"""Making setup packages (``*.dttssetup``) for an account, signed with the hub's Ed25519 key.

The format, and the reader the client uses, are in :mod:`dttscore.formats.setup_package`.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

from dttscore.formats.setup_package import FORMAT, FORMAT_VERSION, MANIFEST, SIGNATURE, sha256_hex
from dttshub.catalogs import StoredCatalog
from dttshub.db import iso
from dttshub.scope import Account
from dttshub.signing import Signer

API_VERSION = "1"


def _dump(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def build_setup_package(
    *,
    signer: Signer,
    account: Account,
    catalog: StoredCatalog,
    server_id: str,
    server_url: str,
    environment: str,
    now: datetime,
    unit_name: str | None = None,
) -> bytes:
    """The bytes of a signed setup package for ``account`` (``unit_name``: an agency's name)."""
    members = {
        "catalog.json": catalog.content,
        "account.json": _dump(account.to_json(unit_name)),
        "server.json": _dump(
            {
                "server_url": server_url,
                "server_id": server_id,
                "environment": environment,
                "signing_key": signer.public_key_b64,
                "api_version": API_VERSION,
            }
        ),
    }
    manifest = _dump(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": iso(now),
            "signing_key": signer.public_key_b64,
            "catalog_id": catalog.catalog_id,
            "catalog_version": catalog.version,
            "members": {name: sha256_hex(data) for name, data in members.items()},
        }
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr(MANIFEST, manifest)
        zf.writestr(SIGNATURE, signer.sign_b64(manifest).encode("ascii"))
    return buf.getvalue()
