"""How the CLI speaks: see :mod:`dttscore.output` (one class for ``dttsclient`` and ``dttshub``)."""

from __future__ import annotations

from dttscore.output import Output

__all__ = ["Output"]
