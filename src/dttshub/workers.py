"""``dttshub serve --workers N``: the application factory each uvicorn worker process calls.

Worker processes are started afresh (not forked with the parent's open database), so the parent passes the
hub's settings in the environment variable :data:`ENV_CONFIG` as JSON. The parent has already migrated the
database and made the signing key before any worker starts.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from typing import Any

from fastapi import FastAPI

from dttshub.config import HubConfig

ENV_CONFIG = "DTTSHUB_WORKER_CONFIG"
FIELDS = ("db_url", "data_dir", "key_file", "environment", "public_url", "min_client_version")


def worker_environment(config: HubConfig) -> str:
    """The JSON a worker needs to open the same hub (resolved paths, so every worker agrees)."""
    values: dict[str, Any] = {name: getattr(config, name) for name in FIELDS}
    values["db_url"] = config.resolved_db_url()
    values["data_dir"] = str(config.resolved_data_dir())
    values["key_file"] = str(config.resolved_key_file())
    return json.dumps(values)


def create_worker_app() -> FastAPI:
    """The hub application of one worker (uvicorn calls it with ``factory=True``)."""
    from dttshub.app import create_app

    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s",
        stream=sys.stderr,
    )
    app = create_app(HubConfig.from_mapping(json.loads(os.environ[ENV_CONFIG])))
    settle_heap()
    return app


def settle_heap() -> None:
    """Before serving: move what start-up made (modules, the app, catalogues) out of the collector's
    reach with :func:`gc.freeze`, so a full collection during a request scans only what requests made
    (it was most of the console's p95 on SQLite, docs/benchmarks.md)."""
    gc.collect()
    gc.freeze()
