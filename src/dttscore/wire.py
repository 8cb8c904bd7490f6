"""The compact submission payload (payload version 2, docs/sync-protocol.md "Compact payloads").

Version 1 (every client before issue 18, and every courier bundle) carries ``values`` as a list of
``{code, disagg, value}``. Version 2 carries the same values without repeating the keys: ``cells`` is
the list of values in the catalogue's own cell order for the form (:func:`layout`: the form's
indicators in order, each indicator's disaggregation keys in the order of its dimensions' options,
the ethnic groups of the report's ``eth_rows``), ``null`` for an empty cell, trailing empties cut off;
a value whose key is not in that order (an ethnic group a pull brought, say) travels in ``extra`` as
``[code, disagg, value]``. The change log travels as short rows (:func:`encode_log`).

A revision whose base the hub holds may travel as **changes**: ``base`` names that submission,
``changes`` lists ``[index, value]`` (``null``: the cell was emptied) and ``extra`` ``[code, disagg,
value-or-null]`` for keys outside the order; the hub applies them to the base's values and checks
``payload_sha256`` on the result. ``change_log`` then holds only the entries made since the base, and
``same_as_base`` names the fields left out because they are the base's (comments, warnings' reasons,
ethnic-group rows …).

``payload_sha256`` is defined on the canonical values (:mod:`dttscore.payload`), never on an
encoding: the same report has the same hash in both versions. Nothing here imports Qt or a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from dttscore.disagg import cell_keys, report_eth_codes
from dttscore.model import Catalog
from dttscore.payload import CellKey

PAYLOAD_V1 = 1
PAYLOAD_V2 = 2
PAYLOAD_VERSIONS = (PAYLOAD_V1, PAYLOAD_V2)
"""The payload versions this code reads (``ping`` says which the hub accepts)."""

_V1_ONLY = ("values", "change_log")
SAME_AS_BASE_FIELDS = ("unit_list", "comments", "warnings", "eth_rows", "eth_system")
"""Fields a revision sent as changes may leave out when they are the base's (named in ``same_as_base``)."""


class WireError(ValueError):
    """A compact payload that does not decode: ``code`` for the item's error, sentences in both languages."""

    def __init__(self, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


def layout(catalog: Catalog, form: str, eth_rows: Sequence[str]) -> list[CellKey]:
    """Every cell of a form in the catalogue's order, for a report with these ethnic-group rows."""
    spec = catalog.form(form)
    eth = report_eth_codes(catalog, spec.eth_options, list(eth_rows))
    return [(ind.code, key) for ind in catalog.form_indicators(spec) for key in cell_keys(catalog, ind, eth)]


def encode_values(values: Mapping[CellKey, str], order: Sequence[CellKey]) -> tuple[list, list]:
    """``(cells, extra)``: the values in ``order`` (None when empty, trailing Nones cut) and the rest."""
    index = {key: i for i, key in enumerate(order)}
    cells: list[str | None] = [None] * len(order)
    extra = []
    for key, value in sorted(values.items()):
        if value is None or value == "":
            continue
        i = index.get(key)
        if i is None:
            extra.append([key[0], key[1], str(value)])
        else:
            cells[i] = str(value)
    while cells and cells[-1] is None:
        cells.pop()
    return cells, extra


def decode_values(cells: Sequence[Any], extra: Sequence[Sequence[Any]], order: Sequence[CellKey]) -> dict:
    """The values of ``encode_values``' output.

    Raises:
        WireError: more cells than the form has, or a cell of ``extra`` given twice or inside the order.
    """
    if len(cells) > len(order):
        raise _bad_index(len(cells) - 1, len(order))
    if any(v is not None and not isinstance(v, str) for v in cells):
        raise _bad_change()
    values: dict[CellKey, str] = {order[i]: v for i, v in enumerate(cells) if v is not None and v != ""}
    inside = set(order)
    seen: set[CellKey] = set()
    for code, disagg, value in _extra_rows(extra):
        key = (code, disagg)
        if key in seen or key in inside:
            raise _repeated(key)
        seen.add(key)
        if value is not None and not isinstance(value, str):
            raise _bad_change()
        if value is not None and value != "":
            values[key] = value
    return values


def encode_changes(
    base: Mapping[CellKey, str], values: Mapping[CellKey, str], order: Sequence[CellKey]
) -> tuple[list, list]:
    """``(changes, extra)`` that turn ``base`` into ``values`` (see the module's docstring)."""
    index = {key: i for i, key in enumerate(order)}
    changes, extra = [], []
    for key in sorted(set(base) | set(values)):
        old, new = base.get(key) or None, values.get(key) or None
        if old == new:
            continue
        i = index.get(key)
        if i is None:
            extra.append([key[0], key[1], new])
        else:
            changes.append([i, new])
    changes.sort()
    return changes, extra


def apply_changes(
    base: Mapping[CellKey, str],
    changes: Sequence[Sequence[Any]],
    extra: Sequence[Sequence[Any]],
    order: Sequence[CellKey],
) -> dict:
    """``base`` with ``changes`` and ``extra`` applied.

    Raises:
        WireError: an index outside the form's cells, or a cell changed twice.
    """
    values = {k: v for k, v in base.items() if v is not None and v != ""}
    seen: set[CellKey] = set()
    for change in changes:
        if len(change) != 2 or not isinstance(change[0], int) or isinstance(change[0], bool):
            raise _bad_change()
        i, new = change
        if not 0 <= i < len(order):
            raise _bad_index(i, len(order))
        _set(values, order[i], new, seen)
    for code, disagg, new in _extra_rows(extra):
        _set(values, (code, disagg), new, seen)
    return values


def _extra_rows(extra: Sequence[Sequence[Any]]) -> list[tuple[str, str, str | None]]:
    rows = []
    for row in extra:
        if len(row) != 3 or not isinstance(row[0], str) or not row[0] or not isinstance(row[1], str):
            raise _bad_change()
        rows.append((row[0], row[1], row[2]))
    return rows


def _set(values: dict, key: CellKey, new: str | None, seen: set[CellKey]) -> None:
    if key in seen:
        raise _repeated(key)
    seen.add(key)
    if new is not None and not isinstance(new, str):
        raise _bad_change()
    if new is None or new == "":
        values.pop(key, None)
    else:
        values[key] = new


_STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S+00:00"


def _seconds(at: Any) -> int | None:
    """Seconds since the epoch of a UTC stamp written exactly as the client writes them, else None."""
    if not isinstance(at, str) or len(at) != 25 or not at.endswith("+00:00"):
        return None
    try:
        moment = datetime.strptime(at, _STAMP_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return int(moment.timestamp())


def _stamp(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime(_STAMP_FORMAT)


def encode_log(
    entries: Sequence[Mapping[str, Any]],
    values: Mapping[CellKey, str],
    order: Sequence[CellKey],
    since: str | None = None,
) -> dict[str, Any]:
    """Change-log entries in compact form: ``{"who": the usual author, "rows": [...]}``.

    Each row is ``[cell, at, new, old, who]`` with its tail left off where it says nothing: ``cell`` is
    the step from the previous row's cell index in ``order`` (or ``[code, disagg]`` for a key outside
    it), ``at`` the seconds since the previous row's stamp (or the stamp itself when it is not written
    the client's way), ``new`` left off when it is the cell's value in ``values``, ``old`` when null,
    ``who`` when it is the usual author. The first step of time is from ``since`` (the document's
    ``finalized_at``) when that is a stamp written the client's way. :func:`decode_log` gives back exactly
    the entries.
    """
    index = {key: i for i, key in enumerate(order)}
    authors: dict[Any, int] = {}
    for e in entries:
        authors[e.get("who")] = authors.get(e.get("who"), 0) + 1
    usual = max(authors, key=authors.__getitem__) if authors else None
    rows = []
    prev_i, prev_t = -1, _seconds(since) or 0
    for e in entries:
        key = (str(e.get("code", "")), str(e.get("disagg") or ""))
        i = index.get(key)
        cell: Any
        if i is None:
            cell = [key[0], key[1]]
        else:
            cell, prev_i = i - prev_i, i
        t = _seconds(e.get("at"))
        if t is None:
            at: Any = e.get("at")
        else:
            at, prev_t = t - prev_t, t
        who, old, new = e.get("who"), e.get("old"), e.get("new")
        row = [cell, at, new, old, who]
        if who == usual:
            row.pop()
            if old is None:
                row.pop()
                if new is not None and new == values.get(key):
                    row.pop()
        rows.append(row)
    return {"who": usual, "rows": rows}


def decode_log(
    log: Mapping[str, Any], values: Mapping[CellKey, str], order: Sequence[CellKey], since: str | None = None
) -> list[dict]:
    """The entries of :func:`encode_log`.

    Raises:
        WireError: a cell index outside the form, or a row of the wrong shape.
    """
    usual = log.get("who")
    out = []
    prev_i, prev_t = -1, _seconds(since) or 0
    for row in log.get("rows") or ():
        if not isinstance(row, (list, tuple)) or not 2 <= len(row) <= 5:
            raise _bad_row()
        cell, at = row[0], row[1]
        if isinstance(cell, list) and len(cell) == 2 and all(isinstance(p, str) for p in cell):
            key = (cell[0], cell[1])
        elif isinstance(cell, int) and not isinstance(cell, bool):
            prev_i += cell
            if not 0 <= prev_i < len(order):
                raise _bad_index(prev_i, len(order))
            key = order[prev_i]
        else:
            raise _bad_row()
        if isinstance(at, int) and not isinstance(at, bool):
            prev_t += at
            if not 0 <= prev_t < 2**37:
                raise _bad_row()
            at = _stamp(prev_t)
        elif at is not None and not isinstance(at, str):
            raise _bad_row()
        new = row[2] if len(row) > 2 else values.get(key)
        old = row[3] if len(row) > 3 else None
        who = row[4] if len(row) > 4 else usual
        if any(v is not None and not isinstance(v, str) for v in (new, old, who)):
            raise _bad_row()
        out.append({"code": key[0], "disagg": key[1], "old": old, "new": new, "who": who, "at": at})
    return out


def compact_document(
    document: Mapping[str, Any],
    catalog: Catalog,
    base: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The version 2 form of a version 1 submission document, as changes from ``base`` when given.

    Args:
        document: the submission as finalize made it (version 1, full values and change log).
        catalog: the catalogue version the document states.
        base: an earlier submission of the same report the hub holds (version 1 document), or None.
    """
    from dttscore.payload import values_from_list

    order = layout(catalog, str(document["form"]), list(document.get("eth_rows") or ()))
    out = {k: v for k, v in document.items() if k not in _V1_ONLY}
    out["payload_version"] = PAYLOAD_V2
    values = values_from_list(document.get("values") or ())
    log = list(document.get("change_log") or ())
    if base is not None:
        old_log = list(base.get("change_log") or ())
        out["base"] = str(base["submission_id"])
        changes, extra = encode_changes(values_from_list(base.get("values") or ()), values, order)
        out["changes"] = changes
        same = [f for f in SAME_AS_BASE_FIELDS if f in document and f in base and document[f] == base[f]]
        for f in same:
            del out[f]
        if same:
            out["same_as_base"] = True if len(same) == len(SAME_AS_BASE_FIELDS) else same
        if log[: len(old_log)] == old_log:
            log = log[len(old_log) :]
            out["change_log_since"] = out["base"]
    else:
        cells, extra = encode_values(values, order)
        out["cells"] = cells
    if extra:
        out["extra"] = extra
    if log:
        out["log"] = encode_log(log, values, order, document.get("finalized_at"))
    return out


def _bad_index(i: int, n: int) -> WireError:
    return WireError(
        "bad_cell_index",
        f"Bản nộp dạng gọn có ô số {i}, nhưng biểu mẫu chỉ có {n} ô: bản nộp bị hỏng.",
        f"The compact submission names cell {i}, but the form has only {n} cells: the submission is damaged.",
    )


def _bad_change() -> WireError:
    return WireError(
        "bad_cell_change",
        "Một ô trong bản nộp dạng gọn bị hỏng (sai kiểu hoặc thiếu mã chỉ tiêu).",
        "A cell of the compact submission is damaged (a wrong type or no indicator code).",
    )


def _bad_row() -> WireError:
    return WireError(
        "bad_change_log",
        "Nhật ký sửa trong bản nộp dạng gọn bị hỏng.",
        "The change log of the compact submission is damaged.",
    )


def _repeated(key: CellKey) -> WireError:
    return WireError(
        "duplicate_cell",
        f"Ô {key[0]} {key[1]} xuất hiện hai lần trong bản nộp.",
        f"Cell {key[0]} {key[1]} appears twice in the submission.",
    )
