"""The reviewer's routes of ``/api/v1``: completeness, one report in full, bulk acceptance.

Registered by :func:`dttshub.app.build_router` (same route class, errors and dependencies as every other
route). Scope on each: a reviewer or admin sees the units of its province (``*``: all), an officer only its
own commune (completeness of that one unit, its own report in full); bulk acceptance needs the reviewer
role and every listed unit in scope.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from dttscore.bounds import MAX_CODE, MAX_PERIOD
from dttshub.app import AUTHED, AccountDep, HubDep, _errors, reply
from dttshub.protocol import BulkAcceptReply, BulkAcceptRequest, CompletenessReply, ReportFullReply

UnitPath = Annotated[str, Path(pattern=r"^([0-9]{5}|[0-9]{2}-[A-Z0-9]{1,5})$")]
FormParam = Annotated[str, Query(min_length=1, max_length=MAX_CODE)]
PeriodParam = Annotated[str, Query(min_length=1, max_length=MAX_PERIOD)]


def add_review_routes(router: APIRouter) -> None:
    """Add the routes to ``router`` (the ``/api/v1`` router)."""

    @router.get(
        "/completeness",
        response_model=None,
        responses={200: {"model": CompletenessReply}, **_errors(*AUTHED, 404)},
    )
    def completeness(
        account: AccountDep,
        hub: HubDep,
        form: FormParam,
        period: PeriodParam,
        province: Annotated[str | None, Query(pattern=r"^([0-9]{2}|\*)$")] = None,
    ) -> Response:
        """Every unit that should report a form for a period, in scope, with its state, counts and rates."""
        return reply(hub, hub.completeness(account, form, period, province).to_json())

    @router.get(
        "/reports/{unit}/{form}/{period}",
        response_model=None,
        responses={200: {"model": ReportFullReply}, **_errors(*AUTHED, 404)},
    )
    def report_full(
        account: AccountDep,
        hub: HubDep,
        unit: UnitPath,
        form: Annotated[str, Path(min_length=1, max_length=MAX_CODE)],
        period: Annotated[str, Path(min_length=1, max_length=MAX_PERIOD)],
    ) -> Response:
        """One report in full for a reviewer: values in the form's layout beside the previous revision and
        period, warnings with reasons, comments, changes, revisions and reviews."""
        return reply(hub, hub.report_full(account, unit, form, period))

    @router.post(
        "/reviews:bulk-accept",
        response_model=None,
        responses={200: {"model": BulkAcceptReply}, **_errors(*AUTHED)},
    )
    def bulk_accept(account: AccountDep, hub: HubDep, body: BulkAcceptRequest) -> Response:
        """Accept every selected report that has no error-level problem; the others are named with why."""
        items = [(x.unit, x.form, x.period) for x in body.reports]
        return reply(hub, hub.reviews.bulk_accept(account, items, body.comment or ""))
