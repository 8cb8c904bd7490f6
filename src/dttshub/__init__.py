"""dttshub — the reference sync hub of DTTS Client (docs/sync-protocol.md), with its admin command line.

Entry points: :func:`dttshub.app.create_app` (the FastAPI application), :class:`dttshub.service.Hub`
(every operation, shared by the API and the CLI), :class:`dttshub.embedded.EmbeddedHub` (a hub in a
background thread for ``dttsclient --demo`` and the tests) and :func:`dttshub.cli.main` (``dttshub``).
The hub imports only the shared core (``dttscore``), never the client; it installs without Qt (hub/pyproject.toml).
"""

__version__ = "0.1.0"
