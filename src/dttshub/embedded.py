"""A hub running inside another program: the desktop app's ``--demo`` and the tests.

Example:
    >>> with EmbeddedHub("sqlite:///tmp/demo/hub.sqlite", environment="demo") as hub:
    ...     hub.ensure_user("demo", "officer", "01849", "demo-password")
    ...     hub.publish_catalog(load_catalog(sample_path))
    ...     requests.get(hub.url + "/api/v1/ping", timeout=5).json()["environment"]
    'demo'
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from dttscore.model import Catalog
from dttshub.app import create_app
from dttshub.config import HubConfig
from dttshub.errors import ConfigError, NotFound
from dttshub.service import Hub

logger = logging.getLogger(__name__)

START_TIMEOUT = 20.0


class EmbeddedHub:
    """uvicorn serving a hub in a daemon thread on a free port of ``host``.

    Args:
        db_url: SQLAlchemy URL of the hub database (None: the default of :class:`HubConfig`). For an
            SQLite file the data directory (signing key) defaults to the file's directory.
        host: the address to listen on (loopback by default).
        port: the port; 0 picks a free one (see :attr:`port` after :meth:`start`).
        graceful_timeout: seconds open requests get to finish at :meth:`stop`.
        **config: any other :class:`HubConfig` field (``environment``, ``clock``, …).
    """

    def __init__(
        self,
        db_url: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        graceful_timeout: float = 3.0,
        **config: Any,
    ) -> None:
        if config.get("data_dir") is None and db_url and db_url.startswith("sqlite:///"):
            # keep the signing key beside the database file, not in the user's hub directory
            config["data_dir"] = Path(db_url[len("sqlite:///") :]).parent
        self.config = HubConfig.from_mapping({"db_url": db_url, **config})
        self.host = host
        self.port = port
        self.graceful_timeout = graceful_timeout
        self.hub: Hub | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:53412`` (valid after :meth:`start`)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> EmbeddedHub:
        """Open the database, start serving and wait until the port accepts connections.

        Raises:
            ConfigError: the server did not start (port taken, database unreachable …).
        """
        if self._thread is not None:
            return self
        self.hub = Hub(self.config)
        app = create_app(self.config, hub=self.hub)
        cfg = uvicorn.Config(
            app,
            host=self.host,
            port=self.port,
            log_config=None,
            access_log=False,
            lifespan="off",
            ws="none",
            server_header=False,  # no "server: uvicorn" on every reply (bytes over 2G, and less to fingerprint)
            timeout_graceful_shutdown=self.graceful_timeout,
        )
        self._server = uvicorn.Server(cfg)
        self._thread = threading.Thread(target=self._server.run, name="dttshub-embedded", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise ConfigError(
                    "hub_start",
                    f"Không khởi động được máy chủ nhúng trên {self.host}:{self.port}.",
                    f"The embedded hub did not start on {self.host}:{self.port}.",
                )
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        logger.info("embedded hub serving at %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving (open requests get ``graceful_timeout`` seconds) and close the database."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(self.graceful_timeout + 10)
        self._thread = None
        self._server = None
        if self.hub is not None:
            self.hub.close()
            self.hub = None

    # -- seeding (the demo) -----------------------------------------------------------------------------
    def ensure_user(self, username: str, role: str, unit: str, password: str) -> None:
        """Create the account unless it exists (an existing account keeps its password)."""
        assert self.hub is not None, "start() first"
        try:
            self.hub.accounts.get_user(username)
        except NotFound:
            self.hub.accounts.add_user(username, role, unit, password)

    def publish_catalog(self, catalog: Catalog) -> bool:
        """Publish a catalogue unless this exact version is already there; True when it was published."""
        assert self.hub is not None, "start() first"
        return self.hub.catalogs.publish(catalog, by="embedded").published

    def __enter__(self) -> EmbeddedHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
