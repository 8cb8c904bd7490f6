"""One definition of completeness (core.validate.completeness) and the entry page's view of missing
required values (as_typed): what the form list, the entry page and ``values show`` all say."""

from __future__ import annotations

import itertools
from importlib import resources
from pathlib import Path

from dttscore.catalog import load_catalog
from dttscore.problems import MISSING
from dttscore.validate import as_typed, check_report, completeness


def sample_path() -> Path:
    return Path(str(resources.files("dttsclient.resources") / "catalog" / "sample.json"))


def test_completeness_counts_indicators_entered_and_required_missing():
    catalog = load_catalog(sample_path())
    done = completeness(catalog, "BM03", {})
    assert (done.entered, done.total) == (0, len(catalog.form_indicators("BM03")))
    assert done.missing_required == ("0101", "0102", "0103", "0104") and not done.complete
    done = completeness(
        catalog,
        "BM03",
        {
            ("0101", "eth=02|sex=M"): "5",
            ("0103", "sex=F"): "",
            ("0104", ""): None,
            ("0105", "eth=02|sex=F"): "1",
        },
    )
    assert done.entered == 2  # empty strings and None are no value
    assert done.missing_required == ("0102", "0103", "0104")
    assert done.to_json() == {
        "entered": 2,
        "total": done.total,
        "missing_required": ["0102", "0103", "0104"],
        "complete": False,
    }


def test_complete_means_finalize_has_no_required_error():
    """Whatever is entered, 'complete' and 'no required error at finalize' are the same statement."""
    catalog = load_catalog(sample_path())
    keys = [
        ("0101", "eth=02|sex=M"),
        ("0102", "eth=02"),
        ("0103", "sex=F"),
        ("0104", ""),
        ("0105", "eth=02|sex=F"),
    ]
    for chosen in itertools.product((None, "", "7"), repeat=len(keys)):
        values = dict(zip(keys, chosen, strict=True))
        done = completeness(catalog, "BM03", values)
        required = tuple(p.indicator for p in check_report(catalog, "BM03", values) if p.code == "required")
        assert done.missing_required == required
        assert done.complete == (not required)


def test_as_typed_turns_missing_required_into_a_neutral_note_after_the_real_problems():
    catalog = load_catalog(sample_path())
    values = {("0104", ""): "-3"}  # an error of its own; 0101, 0102, 0103 are required and empty
    problems = check_report(catalog, "BM03", values)
    shown = as_typed(problems)
    assert [p.code for p in shown if p.is_error] == ["min"]
    missing = [p for p in shown if p.severity == MISSING]
    assert [p.indicator for p in missing] == ["0101", "0102", "0103"]
    assert all(p.is_missing and not p.is_error and not p.is_warning for p in missing)
    assert shown[-len(missing) :] == missing
    assert len(shown) == len(problems)
