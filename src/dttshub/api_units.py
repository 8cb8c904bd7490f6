"""The province's agencies as reporting units over HTTP (issue 17 item 1), for the console's administration.

``GET /api/v1/units[?province=19]`` lists them (a reviewer or admin: its province; ``*``: every one or the
one named); ``POST /api/v1/units`` adds one and ``POST /api/v1/units/{code}:disable`` / ``:enable`` switch
it — an admin of the agency's province, or of ``*``. The same :class:`dttshub.units.Units` as
``dttshub unit``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from dttshub.app import AUTHED, AccountDep, HubDep, _errors, reply
from dttshub.errors import Forbidden
from dttshub.protocol import UnitAddRequest, UnitReply, UnitsReply
from dttshub.scope import ALL_UNITS, Account
from dttshub.units import agency_province

CodePath = Annotated[str, Path(pattern=r"^[0-9]{2}-[A-Z0-9]{1,5}$")]


def _admin_of(account: Account, province: str | None) -> None:
    """Raise :class:`Forbidden` unless the account is an admin of ``province`` (or of everything)."""
    account.require_reviewer()
    if account.role != "admin" or account.unit not in (ALL_UNITS, province):
        raise Forbidden(
            "out_of_scope",
            f"Chỉ quản trị của tỉnh {province} mới quản lý được cơ quan của tỉnh.",
            f"Only an admin of province {province} manages its agencies.",
        )


def add_unit_routes(router: APIRouter) -> None:
    """Add the routes to ``router`` (the ``/api/v1`` router)."""

    @router.get("/units", response_model=None, responses={200: {"model": UnitsReply}, **_errors(*AUTHED)})
    def units(
        account: AccountDep,
        hub: HubDep,
        province: Annotated[str | None, Query(pattern=r"^([0-9]{2}|\*)$")] = None,
    ) -> Response:
        """The agencies that report, of the caller's province (an admin of ``*``: all, or ``province``)."""
        account.require_reviewer()
        if account.unit != ALL_UNITS:
            if province not in (None, account.unit):
                raise Forbidden(
                    "out_of_scope",
                    f"Tài khoản {account.username} không có quyền với tỉnh {province}.",
                    f"Account {account.username} has no rights on province {province}.",
                )
            province = account.unit
        return reply(hub, {"units": [a.to_json() for a in hub.units.list(province)]})

    @router.post("/units", response_model=None, responses={200: {"model": UnitReply}, **_errors(*AUTHED)})
    def add_unit(account: AccountDep, hub: HubDep, body: UnitAddRequest) -> Response:
        """Define an agency of a province as a reporting unit (an admin of that province)."""
        _admin_of(account, body.province)
        return reply(hub, {"unit": hub.units.add(body.code, body.name, body.province).to_json()})

    @router.post(
        "/units/{code}:disable",
        response_model=None,
        responses={200: {"model": UnitReply}, **_errors(*AUTHED, 404)},
    )
    def disable_unit(account: AccountDep, hub: HubDep, code: CodePath) -> Response:
        """Stop expecting reports from an agency (its reports stay)."""
        _admin_of(account, agency_province(code))
        return reply(hub, {"unit": hub.units.set_disabled(code, True).to_json()})

    @router.post(
        "/units/{code}:enable",
        response_model=None,
        responses={200: {"model": UnitReply}, **_errors(*AUTHED, 404)},
    )
    def enable_unit(account: AccountDep, hub: HubDep, code: CodePath) -> Response:
        """Expect reports from a disabled agency again."""
        _admin_of(account, agency_province(code))
        return reply(hub, {"unit": hub.units.set_disabled(code, False).to_json()})
