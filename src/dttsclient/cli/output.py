"""How the CLI speaks: see :mod:`dttsclient.core.output` (one class for ``dttsclient`` and ``dttshub``)."""

from __future__ import annotations

from dttsclient.core.output import Output

__all__ = ["Output"]
