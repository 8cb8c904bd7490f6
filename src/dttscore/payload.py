"""The canonical form of a report's values and the submission payload of docs/sync-protocol.md.

The client computes ``payload_sha256`` at finalize; the hub recomputes it to tell an identical resend
(``duplicate``) from an ID reused with other values (``rejected``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

CellKey = tuple[str, str]  # (indicator code, disaggregation key)


def values_to_list(values: Mapping[CellKey, str]) -> list[dict[str, str]]:
    """Values as the sorted list that travels: ``[{"code", "disagg", "value"}]``."""
    return [
        {"code": code, "disagg": disagg, "value": str(value)}
        for (code, disagg), value in sorted(values.items())
        if value is not None and value != ""
    ]


def values_from_list(items: Iterable[Mapping[str, str]]) -> dict[CellKey, str]:
    return {(str(i["code"]), str(i.get("disagg", ""))): str(i["value"]) for i in items}


def canonical_json(obj: object) -> bytes:
    """Compact, key-sorted UTF-8 JSON: the same bytes on every machine."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def canonical_values(values: Mapping[CellKey, str]) -> bytes:
    """The canonical JSON of the values list: the bytes ``payload_sha256`` is taken of."""
    return canonical_json(values_to_list(values))


def payload_sha256(values: Mapping[CellKey, str]) -> str:
    """SHA-256 (hex) of the canonical JSON of the values list."""
    return hashlib.sha256(canonical_values(values)).hexdigest()
