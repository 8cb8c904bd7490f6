"""The invariants of bad input, made checkable: a clean refusal in Vietnamese, and nothing changed.

* :func:`assert_clean_refusal` — the error is one of ours (:class:`~dttscore.errors.DttsError`),
  with a non-empty Vietnamese sentence (with its diacritics) and an English one.
* :func:`profile_digest` — a digest of every row of every table of a profile database (the CLI tests'
  :func:`db_digest`), :func:`hub_digest` the same for the hub's database.
* :func:`refused_or_done` — run an operation on bad input: it either works or raises one of our errors,
  and when it refuses, the profile is unchanged.
* :func:`fuzz_settings` — Hypothesis settings scaled from the active profile (``HYPOTHESIS_PROFILE``:
  "ci" by default, "long" for the long run) for tests whose examples are expensive.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from hypothesis import HealthCheck, settings

from dttscore.errors import DttsError
from tests.support.digests import db_digest

T = TypeVar("T")

# Letters that only Vietnamese writing has among the languages the software speaks (precomposed, NFC).
_VI_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
# The hub's bookkeeping of *attempts*: failed logins (throttling) and when a device was last seen.
HUB_BOOKKEEPING = ("login_failures", "devices")


def looks_vietnamese(text: str) -> bool:
    """True when ``text`` has at least one Vietnamese letter with its diacritic."""
    folded = unicodedata.normalize("NFC", text).lower()
    return any(ch in _VI_LETTERS for ch in folded)


def assert_clean_message(vi: str, en: str | None = None) -> None:
    """A message for the officer: Vietnamese by default (non-empty, with diacritics), English too."""
    assert isinstance(vi, str) and vi.strip(), f"empty Vietnamese message (en: {en!r})"
    assert looks_vietnamese(vi), f"the Vietnamese message has no Vietnamese in it: {vi!r}"
    if en is not None:
        assert isinstance(en, str) and en.strip(), f"empty English message (vi: {vi!r})"


def assert_clean_refusal(exc: BaseException) -> None:
    """``exc`` is an expected failure of ours with a clear message in both languages."""
    assert isinstance(exc, DttsError), f"not one of our errors: {type(exc).__name__}: {exc}"
    assert_clean_message(exc.text("vi"), exc.text("en"))


def profile_digest(data_dir: Path) -> str:
    """Every row of every table of ``data_dir/profile.sqlite`` (committed data, WAL included)."""
    return db_digest(data_dir)


def hub_digest(hub: Any, skip: Iterable[str] = HUB_BOOKKEEPING) -> str:
    """Every row of every table of a running hub's database (``hub`` is a ``RunningHub`` or ``Hub``).

    Args:
        hub: the hub.
        skip: tables left out: by default the bookkeeping that a refused request may legitimately write
            (a failed login is counted for throttling; a device's ``last_seen`` moves).
    """
    from dttshub import db as t

    service = getattr(hub, "hub", hub)
    left_out = set(skip)
    h = hashlib.sha256()
    with service.db.read() as conn:
        for table in sorted(t.metadata.sorted_tables, key=lambda tb: tb.name):
            if table.name in left_out:
                continue
            h.update(table.name.encode())
            order = list(table.primary_key.columns) or list(table.columns)
            for row in conn.execute(sa.select(table).order_by(*order)):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def refused_or_done(data_dir: Path, operation: Callable[[], T]) -> T | DttsError:
    """Run ``operation`` against the profile in ``data_dir``: it works, or it refuses cleanly and the
    profile is exactly as it was.

    Returns:
        The operation's result, or the error it raised (already checked).
    """
    before = profile_digest(data_dir)
    try:
        return operation()
    except DttsError as exc:
        assert_clean_refusal(exc)
        assert profile_digest(data_dir) == before, f"refused ({exc.text('en')}) but the profile changed"
        return exc


def fuzz_settings(fraction: float = 1.0, minimum: int = 5, **extra: Any) -> settings:
    """Settings for a fuzz test: ``fraction`` of the active profile's examples (at least ``minimum``).

    The ``ci`` profile of ``tests/conftest.py`` gives 60 examples, ``long`` 2000; an expensive test
    (a workbook or a zip per example) asks for a fraction of that.
    """
    examples = max(minimum, int(settings.default.max_examples * fraction))
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
        ],
        **extra,
    )


__all__ = [
    "HUB_BOOKKEEPING",
    "assert_clean_message",
    "assert_clean_refusal",
    "fuzz_settings",
    "hub_digest",
    "looks_vietnamese",
    "profile_digest",
    "refused_or_done",
]
