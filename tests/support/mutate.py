"""Small mutation helpers for fuzzing the files an officer or a province can hand the software.

Plain functions do one damage each (they never change their input)::

    flip_bytes(data, [10, 99])                 # XOR a byte at each position
    truncate(data, 100)                        # keep the first 100 bytes
    drop_member(zip_bytes, "manifest.json")    # a zip without that member
    duplicate_member(zip_bytes, "a.json")      # the member twice under the same name
    edit_zip_json(zip_bytes, "manifest.json", ("members",), DELETE)
    edit_xlsx(src, dst, cells={("BM01", "D14"): "abc"}, delete_sheets=["_dtts"])

and :func:`byte_mutations`, :func:`zip_mutations`, :func:`json_edits` are Hypothesis strategies that draw
one readable :class:`Mutation` (its ``repr`` says what it did, so a failing example is easy to replay).
Zip members are rewritten with fresh CRCs, so only the reader's own checks can tell; ``reseal=True``
also renews the whole-file seal of backups and courier bundles, so the checks behind the seal are reached.
"""

from __future__ import annotations

import copy
import io
import json
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from dttsclient.usb.safezip import SEAL_LENGTH, SEAL_PREFIX, seal_comment_placeholder, seal_zip

DELETE = object()
"""Pass as the new value to delete the key or list item at a path."""

JsonPath = tuple[Any, ...]

# Strings that tend to break readers: empty, path tricks, numbers in the wrong clothes, control
# characters, very long text, other scripts, things that look like codes.
NASTY_STRINGS = (
    "",
    " ",
    "../../etc/passwd",
    "/abs/path",
    "C:\\x",
    "\x00",
    "0",
    "-1",
    "1e309",
    "NaN",
    "1.234,5",
    "1,234.5",
    "99999999999999999999999999999",
    "0101",
    "eth=08|sex=F",
    "2026Q5",
    "Dân tộc Tày",
    "😀",
    "x" * 5000,
    "<html>",
    "'; DROP TABLE cells; --",
)


@dataclass(frozen=True)
class Mutation:
    """One damage, with a description that names it exactly."""

    description: str
    apply: Callable[[bytes], bytes]

    def __call__(self, data: bytes) -> bytes:
        return self.apply(data)

    def __repr__(self) -> str:
        return f"Mutation({self.description})"


# -- bytes --------------------------------------------------------------------------------------------
def flip_bytes(data: bytes, positions: Iterable[int], mask: int = 0xFF) -> bytes:
    """``data`` with the byte at each position XOR ``mask`` (positions wrap around the length)."""
    out = bytearray(data)
    for pos in positions:
        out[pos % len(out)] ^= mask or 0x01
    return bytes(out)


def truncate(data: bytes, length: int) -> bytes:
    """The first ``length`` bytes of ``data``."""
    return data[: max(0, length)]


# -- zip ----------------------------------------------------------------------------------------------
def zip_members(data: bytes) -> list[tuple[str, bytes]]:
    """The members of a zip, in archive order, as (name, bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def zip_comment(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.comment


def build_zip(members: Sequence[tuple[str, bytes]], comment: bytes = b"") -> bytes:
    """A deflated zip of ``members`` in order (a repeated name is written twice, as a crafted file would)."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about a duplicate name: we want one
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, content in members:
                zf.writestr(name, content)
            zf.comment = comment
    return buf.getvalue()


def reseal(data: bytes) -> bytes:
    """``data`` (a zip) with a fresh whole-file seal, as :func:`dttsclient.usb.safezip.seal_zip` makes it."""
    body = rebuild(data, lambda members: members, comment=seal_comment_placeholder())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sealed.zip"
        path.write_bytes(body)
        seal_zip(path)
        return path.read_bytes()


def is_sealed(data: bytes) -> bool:
    return data[-SEAL_LENGTH:].startswith(SEAL_PREFIX)


def rebuild(
    data: bytes,
    change: Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]],
    comment: bytes | None = None,
    reseal_after: bool = False,
) -> bytes:
    """A zip rebuilt from ``change(members)``; keeps the comment unless given; optionally resealed."""
    members = change(zip_members(data))
    out = build_zip(members, zip_comment(data) if comment is None else comment)
    return reseal(out) if reseal_after else out


def drop_member(data: bytes, name: str, reseal_after: bool = False) -> bytes:
    return rebuild(data, lambda ms: [m for m in ms if m[0] != name], reseal_after=reseal_after)


def duplicate_member(data: bytes, name: str, reseal_after: bool = False) -> bytes:
    return rebuild(data, lambda ms: ms + [m for m in ms if m[0] == name], reseal_after=reseal_after)


def replace_member(data: bytes, name: str, content: bytes, reseal_after: bool = False) -> bytes:
    return rebuild(
        data, lambda ms: [(n, content if n == name else c) for n, c in ms], reseal_after=reseal_after
    )


def add_member(data: bytes, name: str, content: bytes, reseal_after: bool = False) -> bytes:
    return rebuild(data, lambda ms: [*ms, (name, content)], reseal_after=reseal_after)


# -- JSON ---------------------------------------------------------------------------------------------
def json_paths(doc: Any, prefix: JsonPath = ()) -> list[JsonPath]:
    """Every path to a value inside ``doc`` (dict keys and list indexes), the root excluded."""
    out: list[JsonPath] = []
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for key, value in items:
        path = (*prefix, key)
        out.append(path)
        out.extend(json_paths(value, path))
    return out


def edit_json(doc: Any, path: JsonPath, value: Any) -> Any:
    """A deep copy of ``doc`` with the value at ``path`` replaced (or removed with :data:`DELETE`)."""
    new = copy.deepcopy(doc)
    if not path:
        return None if value is DELETE else value
    parent = new
    for key in path[:-1]:
        parent = parent[key]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return new


def dump_json(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def edit_zip_json(data: bytes, member: str, path: JsonPath, value: Any, reseal_after: bool = False) -> bytes:
    """A zip whose JSON member has the value at ``path`` replaced (or deleted)."""
    content = dict(zip_members(data))[member]
    return replace_member(data, member, dump_json(edit_json(json.loads(content), path, value)), reseal_after)


# -- xlsx ---------------------------------------------------------------------------------------------
def edit_xlsx(
    src: Path,
    dst: Path,
    *,
    cells: dict[tuple[str, str], Any] | None = None,
    delete_rows: dict[str, Iterable[int]] | None = None,
    delete_sheets: Iterable[str] = (),
) -> Path:
    """A copy of a workbook edited the way a person in Excel would: cells typed, rows or sheets deleted.

    Args:
        src: the workbook.
        dst: where the edited copy goes.
        cells: ``{(sheet, "D14"): value}``.
        delete_rows: ``{sheet: [row numbers]}`` (deleted from the bottom up).
        delete_sheets: sheet names.
    """
    from openpyxl import load_workbook
    from openpyxl.cell.cell import MergedCell

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        book = load_workbook(src)
    for (sheet, ref), value in (cells or {}).items():
        cell = book[sheet][ref]
        if not isinstance(cell, MergedCell):  # Excel types into the merge's first cell only
            cell.value = value
    for sheet, rows in (delete_rows or {}).items():
        for row in sorted(set(rows), reverse=True):
            book[sheet].delete_rows(row)
    for sheet in delete_sheets:
        visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
        if sheet in book.sheetnames and visible != [book[sheet]]:  # Excel keeps one visible sheet
            book.remove(book[sheet])
    book.save(dst)
    return dst


def xlsx_shape(path: Path) -> dict[str, tuple[int, int]]:
    """``{sheet: (max_row, max_column)}`` of a workbook, for drawing cells to edit."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        book = load_workbook(path, read_only=True)
    try:
        return {ws.title: (ws.max_row or 1, ws.max_column or 1) for ws in book.worksheets}
    finally:
        book.close()


def _typeable(value: Any) -> bool:
    """What a person can type into an Excel cell: no control characters, no formula, not too long."""
    if not isinstance(value, str):
        return True
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value.startswith("=") or len(value) >= 1000 or ILLEGAL_CHARACTERS_RE.search(value):
        return False
    return not any("\ud800" <= ch <= "\udfff" or ch in "\ufffe\uffff" for ch in value)  # not XML characters


# -- strategies ---------------------------------------------------------------------------------------
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(NASTY_STRINGS)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
cell_values = (
    st.none()
    | st.integers(min_value=-(10**15), max_value=10**15)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.booleans()
    | st.text(max_size=20)
    | st.sampled_from(NASTY_STRINGS)
).filter(_typeable)


@st.composite
def json_edits(draw: st.DrawFn, doc: Any) -> tuple[JsonPath, Any]:
    """A (path, new value or DELETE) for ``doc``; the new value may be nasty or of the wrong type."""
    path = draw(st.sampled_from(json_paths(doc)))
    value = draw(st.just(DELETE) | json_values)
    return path, value


def byte_mutations(data: bytes) -> st.SearchStrategy[Mutation]:
    """Flipped bytes anywhere, or a truncation (a USB stick pulled out mid-copy)."""
    n = len(data)
    flips = st.builds(
        lambda pos, mask: Mutation(f"flip bytes {pos} ^ {mask:#x}", lambda d: flip_bytes(d, pos, mask)),
        st.lists(st.integers(0, n - 1), min_size=1, max_size=4),
        st.integers(1, 255),
    )
    cuts = st.builds(lambda k: Mutation(f"truncate to {k}", lambda d: truncate(d, k)), st.integers(0, n - 1))
    return flips | cuts


def zip_mutations(data: bytes, reseal_after: bool = False) -> st.SearchStrategy[Mutation]:
    """Any damage to a zip: bytes, members dropped, repeated, replaced or added, JSON members edited.

    Args:
        data: a valid zip (a backup, a courier bundle, a setup package).
        reseal_after: renew the whole-file seal after structural changes (reaches the deeper checks).
    """
    members = zip_members(data)
    names = [name for name, _ in members]
    docs = {}
    for name, content in members:
        if name.endswith(".json"):
            docs[name] = json.loads(content)
    r = reseal_after
    structural = [
        st.sampled_from(names).map(lambda n: Mutation(f"drop {n}", lambda d: drop_member(d, n, r))),
        st.sampled_from(names).map(lambda n: Mutation(f"duplicate {n}", lambda d: duplicate_member(d, n, r))),
        st.tuples(st.sampled_from(names), st.binary(max_size=64)).map(
            lambda t: Mutation(f"replace {t[0]} by {t[1]!r}", lambda d: replace_member(d, t[0], t[1], r))
        ),
        st.tuples(
            st.sampled_from(["../evil.json", "/abs.json", "extra.json", "submissions/x.json"]),
            st.binary(max_size=16),
        ).map(lambda t: Mutation(f"add {t[0]}", lambda d: add_member(d, t[0], t[1], r))),
    ]
    for name, doc in docs.items():
        if json_paths(doc):
            structural.append(
                json_edits(doc).map(
                    lambda e, n=name: Mutation(
                        f"edit {n} {list(e[0])} = {'<deleted>' if e[1] is DELETE else repr(e[1])[:60]}",
                        lambda d: edit_zip_json(d, n, e[0], e[1], r),
                    )
                )
            )
    return byte_mutations(data) | st.one_of(structural)


__all__ = [
    "DELETE",
    "NASTY_STRINGS",
    "Mutation",
    "add_member",
    "build_zip",
    "byte_mutations",
    "cell_values",
    "drop_member",
    "dump_json",
    "duplicate_member",
    "edit_json",
    "edit_xlsx",
    "edit_zip_json",
    "flip_bytes",
    "is_sealed",
    "json_edits",
    "json_paths",
    "json_values",
    "rebuild",
    "replace_member",
    "reseal",
    "truncate",
    "xlsx_shape",
    "zip_members",
    "zip_mutations",
]
