"""The province console (issue 15): server-rendered pages at ``/console/`` on the hub's own port.

:func:`mount` adds the pages (:mod:`dttshub.console.pages`), the assets under ``/console/static`` and the
security headers (:class:`dttshub.console.web.SecurityHeaders`) to the hub's FastAPI application. Nothing
under ``/console`` is in the API's OpenAPI document. See docs/province.md, "The province console".
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from dttshub.console.cache import ChangeCache
from dttshub.console.sessions import ConsoleSessions
from dttshub.console.web import HERE, PREFIX, SecurityHeaders


def mount(app: FastAPI) -> None:
    """Serve the console on ``app`` (whose ``state.hub`` is the hub)."""
    from dttshub.console.pages import build_router

    hub = app.state.hub
    app.state.console_sessions = ConsoleSessions(hub.db, hub.config.now)
    app.state.console_cache = ChangeCache()  # the start page's counts, the trend's totals: until a change
    app.include_router(build_router(), prefix=PREFIX)
    app.mount(PREFIX + "/static", StaticFiles(directory=str(HERE / "static")), name="console-static")
    app.add_middleware(SecurityHeaders)


__all__ = ["mount"]
