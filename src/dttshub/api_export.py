"""The export route of ``/api/v1``: a form and period as a file to download.

Registered by :func:`dttshub.app.build_router` (same route class, errors and dependencies as every other
route). Scope: reviewers and admins, over their province (admin ``*``: any province, or every province);
an officer is refused (403 ``role_required``). The files are those of ``dttshub export``
(:mod:`dttshub.exports`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from dttscore.bounds import MAX_CODE, MAX_PERIOD
from dttshub.app import AUTHED, AccountDep, HubDep, _errors
from dttshub.protocol import EXPORT_MEDIA_TYPES, ExportFormat


def add_export_routes(router: APIRouter) -> None:
    """Add ``GET /export`` to ``router`` (the ``/api/v1`` router)."""

    @router.get(
        "/export",
        response_model=None,
        responses={
            200: {
                "description": "the export file (xlsx, csv, DHIS2 dataValueSets JSON or ADX XML)",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in EXPORT_MEDIA_TYPES.values()
                },
            },
            **_errors(*AUTHED, 404),
        },
    )
    def export(
        account: AccountDep,
        hub: HubDep,
        form: Annotated[str, Query(min_length=1, max_length=MAX_CODE)],
        period: Annotated[str, Query(min_length=1, max_length=MAX_PERIOD)],
        format: Annotated[ExportFormat, Query()],
        province: Annotated[str | None, Query(pattern=r"^([0-9]{2}|\*)$")] = None,
        accepted_only: Annotated[bool, Query()] = False,
    ) -> Response:
        """A form and period over the caller's province (admin ``*``: any, or all): Excel in the form's
        paper layout, long CSV, DHIS2 ``dataValueSets`` (idScheme=CODE) or ADX. Reviewers and admins only."""
        from dttshub import exports  # openpyxl and the writers load on the first export

        data = exports.gather(hub, account, form, period, province or None, accepted_only=accepted_only)
        return Response(
            exports.render(data, format),
            media_type=EXPORT_MEDIA_TYPES[format],
            headers={
                "Content-Disposition": f'attachment; filename="{exports.file_name(data, format)}"',
                "X-Server-Id": hub.server_id,
            },
        )
