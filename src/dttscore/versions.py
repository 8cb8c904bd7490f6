"""Software versions compared the PEP 440 way (``packaging.version``), the same on the client and the hub.

``0.10.2rc1`` is older than ``0.10.2`` and newer than ``0.10.1``; ``0.10.2.post1`` is newer than
``0.10.2``; ``0.10.2.dev3`` is older than ``0.10.2rc1``. Before this module the client and the hub each
had a hand-written parser and disagreed on such versions.
"""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

_LEADING = re.compile(r"[0-9]+(?:\.[0-9]+)*")


def parse_version(text: str | None, strict: bool = False) -> Version | None:
    """The version of ``text``, or None when it has none.

    Args:
        text: a version such as ``"0.10.2rc1"``.
        strict: only a PEP 440 version; otherwise a version that is not one is read by its leading
            numbers (``"1.2.3-foo.x"`` → ``1.2.3``).
    """
    if not text:
        return None
    try:
        return Version(text.strip())
    except InvalidVersion:
        if strict:
            return None
        m = _LEADING.match(text.strip())
        return Version(m.group()) if m else None


def older_than(version: str | None, minimum: str | None) -> bool:
    """Whether ``version`` is strictly older than ``minimum``; False when either cannot be read."""
    have, need = parse_version(version), parse_version(minimum)
    if have is None or need is None:
        return False
    return have < need
