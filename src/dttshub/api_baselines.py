"""``GET /api/v1/baselines`` (issue 17 item 4): the survey baselines of a unit, for the client's side panel.

An officer gets its own unit's; a reviewer or admin names a unit in its scope. ``ping`` carries
``baselines_version`` (the newest baseline import), so a client asks only when it changed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from dttshub.app import AUTHED, AccountDep, HubDep, _errors, reply
from dttshub.protocol import BaselinesReply


def add_baseline_routes(router: APIRouter) -> None:
    """Add the route to ``router`` (the ``/api/v1`` router)."""

    @router.get(
        "/baselines", response_model=None, responses={200: {"model": BaselinesReply}, **_errors(*AUTHED)}
    )
    def baselines(
        account: AccountDep,
        hub: HubDep,
        unit: Annotated[str | None, Query(pattern=r"^([0-9]{5}|[0-9]{2}-[A-Z0-9]{1,5})$")] = None,
    ) -> Response:
        """The survey baselines of the caller's unit (a reviewer: of ``unit``, in its scope)."""
        return reply(hub, hub.baselines(account, unit))
