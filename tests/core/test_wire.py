"""The compact payload (issue 18) as properties: encode/decode, changes and the change log round-trip
exactly, for any values (inside the form's cells or not), and damaged input raises WireError only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dttscore.payload import payload_sha256
from dttscore.wire import (
    WireError,
    apply_changes,
    decode_log,
    decode_values,
    encode_changes,
    encode_log,
    encode_values,
)

ORDER = [(c, d) for c in ("0101", "0102", "0103") for d in ("", "eth=02|sex=F", "eth=02|sex=M")]
codes = st.sampled_from(["0101", "0102", "0103", "0999"])
log_codes = st.sampled_from(["0101", "0102", "0999", ""])
disaggs = st.sampled_from(["", "eth=02|sex=F", "eth=02|sex=M", "eth=77|sex=F"])
texts = st.text(min_size=0, max_size=6)
values_st = st.dictionaries(st.tuples(codes, disaggs), texts, max_size=14)
stamps = st.one_of(
    st.none(),
    st.integers(0, 2**34).map(
        lambda s: (
            __import__("datetime")
            .datetime.fromtimestamp(s, __import__("datetime").timezone.utc)
            .strftime("%Y-%m-%dT%H:%M:%S+00:00")
        )
    ),
    texts,
)
entries_st = st.lists(
    st.fixed_dictionaries(
        {
            "code": log_codes,
            "disagg": disaggs,
            "old": st.one_of(st.none(), texts),
            "new": st.one_of(st.none(), texts),
            "who": st.one_of(st.none(), st.sampled_from(["can_bo", "khac"])),
            "at": stamps,
        }
    ),
    max_size=12,
)


def _clean(values: dict) -> dict:
    return {k: v for k, v in values.items() if v != ""}


@given(values_st)
def test_values_round_trip(values):
    cells, extra = encode_values(values, ORDER)
    assert decode_values(cells, extra, ORDER) == _clean(values)


@given(values_st, values_st)
def test_changes_turn_the_base_into_the_values_with_the_same_hash(base, values):
    changes, extra = encode_changes(base, values, ORDER)
    out = apply_changes(base, changes, extra, ORDER)
    assert out == _clean(values) and payload_sha256(out) == payload_sha256(values)


@given(entries_st, values_st)
def test_the_change_log_round_trips_exactly(entries, values):
    log = encode_log(entries, values, ORDER)
    expected = [{**e, "disagg": e["disagg"] or ""} for e in entries]
    assert decode_log(log, values, ORDER) == expected


@given(st.lists(st.tuples(st.integers(-(2**40), 2**40), st.one_of(st.none(), texts)), max_size=5), values_st)
def test_any_changes_apply_or_raise_wire_error(changes, base):
    try:
        out = apply_changes(base, [list(c) for c in changes], [], ORDER)
    except WireError as exc:
        assert exc.code in ("bad_cell_index", "duplicate_cell", "bad_cell_change")
    else:
        assert set(out) <= set(base) | set(ORDER)


@given(st.lists(st.one_of(st.none(), texts), max_size=20))
def test_too_many_cells_raise_wire_error(cells):
    if len(cells) > len(ORDER):
        with pytest.raises(WireError):
            decode_values(cells, [], ORDER)
    else:
        decode_values(cells, [], ORDER)


@given(
    st.lists(
        st.lists(
            st.one_of(st.integers(-(2**41), 2**41), st.none(), texts, st.lists(texts, max_size=3)),
            min_size=2,
            max_size=5,
        ),
        max_size=6,
    )
)
def test_any_log_rows_decode_or_raise_wire_error(rows):
    try:
        decode_log({"who": "can_bo", "rows": rows}, {}, ORDER)
    except WireError as exc:
        assert exc.code in ("bad_cell_index", "bad_change_log")
