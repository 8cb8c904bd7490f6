"""How the CLI speaks: see :mod:`dttscore.cli.output` (one class for ``dttsclient`` and ``dttshub``)."""

from __future__ import annotations

from dttscore.cli.output import Output

__all__ = ["Output"]
