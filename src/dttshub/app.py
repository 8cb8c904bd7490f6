"""The HTTP API of docs/sync-protocol.md (FastAPI): thin handlers over :class:`dttshub.service.Hub`.

Every reply is ``application/json`` and carries ``server_id`` (the setup package is ``application/zip``
with an ``X-Server-Id`` header, and a 304 has no body). Errors are
``{server_id, error: {code, message_vi, message_en}}`` with the status of docs/sync-protocol.md: 400 malformed,
401 token or password (the ``code`` says why), 403 scope or role, 404, 413 too large, 426 client too
old (the body also has ``min_client_version``), 429 with ``Retry-After``, 503 ``hub_busy`` with
``Retry-After`` when no database connection came free in time, 500 for a bug (logged).

Every body is a model of :mod:`dttshub.protocol` (the hub serves the OpenAPI document made from them at
``/openapi.json``, and a plain page listing the operations at ``/docs``: no Swagger UI, whose assets would
come from a CDN). Handlers are plain ``def`` functions (FastAPI runs them in its thread pool, where the
database work belongs); the hub and the caller's account come through ``Depends``. Bodies are read,
gunzipped and counted within the hub's limits by the route class (:class:`HubRoute`).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Coroutine, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import HTMLResponse, JSONResponse, Response

from dttscore.bounds import (
    MAX_CODE,
    MAX_DISAGG,
    MAX_ID,
    MAX_PERIOD,
    MAX_REVISION,
    MAX_SHORT,
    MAX_TOKEN,
)
from dttscore.errors import DttsError
from dttscore.versions import older_than
from dttshub.catalogs import etag_matches
from dttshub.config import HubConfig
from dttshub.errors import (
    BadRequest,
    Forbidden,
    HubError,
    Throttled,
    Unauthorized,
    Unavailable,
    UpgradeRequired,
    internal_error,
)
from dttshub.http_body import parse_json, read_body
from dttshub.protocol import (
    BatchReply,
    BatchRequest,
    BundleReply,
    CatalogReply,
    ChangesReply,
    CompactSubmission,
    DrilldownReply,
    ErrorReply,
    PingReply,
    RefreshRequest,
    ReviewReply,
    ReviewRequest,
    StatusReply,
    StatusRequest,
    Submission,
    TokenReply,
    TokenRequest,
    TotalsReply,
    TrendsReply,
    describe,
)
from dttshub.scope import ALL_UNITS, Account
from dttshub.service import Hub

logger = logging.getLogger(__name__)

UA_RE = re.compile(r"dttsclient/([0-9][0-9A-Za-z.+-]*)")


def hub_of(request: Request) -> Hub:
    """The hub of the application."""
    return request.app.state.hub


async def get_hub(request: Request) -> Hub:
    """The hub of the application (a dependency; ``async`` so it costs no trip through the thread pool)."""
    return hub_of(request)


HubDep = Annotated[Hub, Depends(get_hub)]


def reply(hub: Hub, doc: Mapping[str, Any], status: int = 200, headers: dict | None = None) -> JSONResponse:
    """A JSON reply with the hub's ``server_id``."""
    return JSONResponse({"server_id": hub.server_id, **doc}, status_code=status, headers=headers)


def error_reply(request: Request, exc: HubError) -> JSONResponse:
    hub = hub_of(request)
    body: dict[str, Any] = {"server_id": hub.server_id, "error": exc.to_json()}
    headers: dict[str, str] = {}
    if isinstance(exc, (Throttled, Unavailable)):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = f'Bearer error="invalid_token", error_description="{exc.code}"'
    if isinstance(exc, UpgradeRequired):
        body["min_client_version"] = hub.config.min_client_version
    return JSONResponse(body, status_code=exc.status, headers=headers)


class HubRequest(Request):
    """A request whose body is read within the hub's limits: size as sent, gzip decompressed with a limit
    (docs/sync-protocol.md: bodies over 1 KB come gzip-compressed), and a budget of JSON nodes before parsing."""

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            cfg = hub_of(self).config
            self._body = await read_body(self, cfg.max_request_bytes, cfg.max_decompressed_bytes)
        return self._body

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parse_json(await self.body(), hub_of(self).config.max_json_nodes)
        return self._json


class HubRoute(APIRoute):
    """A route that reads bodies as :class:`HubRequest`, and whose expected failures become the JSON error
    of docs/sync-protocol.md and whose bugs become a 500.

    A JSON body is read and parsed before FastAPI validates it against the route's model, so a body
    over the limits is a 413 and broken JSON a 400 ``malformed_json``; a body without ``Content-Type``
    is taken as JSON (as the hub always did).
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()
        has_json_body = self.body_field is not None

        async def handler(request: Request) -> Response:
            if has_json_body and "content-type" not in request.headers:
                request.scope["headers"] = [*request.scope["headers"], (b"content-type", b"application/json")]
            request = HubRequest(request.scope, request.receive)
            try:
                if has_json_body:
                    await request.json()
                return await original(request)
            except HubError as exc:
                return error_reply(request, exc)
            except DttsError as exc:
                return error_reply(request, BadRequest("bad_input", exc.message_vi, exc.message_en))
            except (StarletteHTTPException, RequestValidationError):
                raise
            except Exception:
                logger.exception("bug while serving %s %s", request.method, request.url.path)
                return error_reply(
                    request,
                    internal_error(),
                )

        return handler


async def check_client(request: Request, hub: HubDep) -> None:
    """426 for a ``dttsclient/<version>`` user agent older than ``min_client_version``."""
    m = UA_RE.search(request.headers.get("user-agent", "")[:256])
    if not m:
        return
    minimum = hub.config.min_client_version
    if older_than(m.group(1), minimum):
        raise UpgradeRequired(
            "client_too_old",
            f"Phiên bản phần mềm ({m.group(1)}) đã cũ; hãy cập nhật lên {minimum} trở lên.",
            f"This version of the software ({m.group(1)}) is too old; update to {minimum} or later.",
        )


def current_account(request: Request, hub: HubDep) -> Account:
    """The account of the request's bearer token (a dependency; 401 without a valid one)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    return hub.accounts.authenticate(token[: MAX_TOKEN * 2] or None)


AccountDep = Annotated[Account, Depends(current_account)]


async def bundle_body(request: Request) -> bytes:
    """The body of ``POST /bundles``: a zip, within the bundle limits (gzip also accepted)."""
    cfg = hub_of(request).config
    return await read_body(request, cfg.max_bundle_bytes, cfg.max_bundle_bytes)


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorReply, "description": "refused"} for status in statuses}


AUTHED = (400, 401, 403, 413, 415, 426, 429, 503)
_BUNDLE_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def build_router() -> APIRouter:
    """The ``/api/v1`` routes."""
    router = APIRouter(route_class=HubRoute, default_response_class=JSONResponse)

    @router.get("/ping", response_model=None, responses={200: {"model": PingReply}, **_errors(426)})
    def ping(hub: HubDep) -> Response:
        """Who the hub is, its time and the oldest client it serves; the first call of every sync."""
        return reply(hub, hub.ping())

    @router.post(
        "/auth/token",
        response_model=None,
        responses={200: {"model": TokenReply}, **_errors(400, 401, 413, 415, 426, 429)},
    )
    async def token(body: TokenRequest, hub: HubDep, request: Request) -> Response:
        """Log in: a password for an access and a refresh token bound to the device."""
        # login_async hashes on the accounts' own bounded pool, so a login flood never holds up ping
        result = await hub.accounts.login_async(
            body.username,
            body.password,
            body.device_id,
            body.device_name or "",
            body.app_version or "",
            address=request.client.host if request.client else "",
        )
        return reply(hub, result)

    @router.post(
        "/auth/refresh",
        response_model=None,
        responses={200: {"model": TokenReply}, **_errors(400, 401, 413, 415, 426, 429)},
    )
    def refresh(body: RefreshRequest, hub: HubDep) -> Response:
        """A new access token for a refresh token."""
        return reply(hub, hub.accounts.refresh(body.refresh_token, body.device_id))

    @router.get(
        "/catalog",
        response_model=None,
        responses={
            200: {"model": CatalogReply},
            304: {"description": "not modified"},
            **_errors(400, 401, 404, 426),
        },
    )
    def catalog(
        account: AccountDep,
        hub: HubDep,
        catalog_id: Annotated[str | None, Query(max_length=MAX_ID)] = None,
        version: Annotated[int | None, Query(ge=1, le=MAX_REVISION)] = None,
        if_none_match: Annotated[str | None, Header(max_length=1024)] = None,
    ) -> Response:
        """The current catalogue (or a given version), or 304 when ``If-None-Match`` matches."""
        if catalog_id and version is not None:
            stored = hub.catalogs.stored(catalog_id, version)
        else:
            stored = hub.catalogs.current()
        if stored is None:
            raise HubError(
                "no_catalog",
                "Máy chủ chưa có danh mục chỉ tiêu này.",
                "The hub does not have this indicator catalogue.",
                status=404,
            )
        headers = {"ETag": stored.etag, "Cache-Control": "no-cache"}
        if etag_matches(if_none_match, stored.etag):
            return Response(status_code=304, headers=headers)
        doc = {
            "catalog_id": stored.catalog_id,
            "version": stored.version,
            "etag": stored.etag,
            "published_at": stored.published_at,
            "catalog": stored.to_json(),
        }
        return reply(hub, doc, headers=headers)

    @router.post(
        "/submissions:batch", response_model=None, responses={200: {"model": BatchReply}, **_errors(*AUTHED)}
    )
    def batch(request: Request, account: AccountDep, hub: HubDep, body: BatchRequest) -> Response:
        """Submissions, each checked and stored on its own: always 200 with one result per item."""
        headers = request.headers
        return reply(
            hub, hub.batch(account, body, headers.get("x-device-id", ""), headers.get("user-agent", ""))
        )

    @router.post(
        "/submissions:status",
        response_model=None,
        responses={200: {"model": StatusReply}, **_errors(*AUTHED)},
    )
    def status(account: AccountDep, hub: HubDep, body: StatusRequest) -> Response:
        """The stored result of each submission ID, or ``unknown``."""
        return reply(hub, {"results": hub.ingest.status(account, body.ids)})

    @router.get(
        "/changes", response_model=None, responses={200: {"model": ChangesReply}, **_errors(*AUTHED, 404)}
    )
    def changes(
        account: AccountDep,
        hub: HubDep,
        since: Annotated[str | None, Query(max_length=200)] = None,
        unit: Annotated[str | None, Query(max_length=16)] = None,
        limit: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    ) -> Response:
        """The account's reports changed since a cursor (a page; ``more`` says ask again)."""
        return reply(hub, hub.changes.since(account, since or None, unit or None, limit))

    @router.post(
        "/bundles",
        response_model=None,
        responses={200: {"model": BundleReply}, **_errors(*AUTHED)},
        openapi_extra=_BUNDLE_BODY,
    )
    def bundles(
        request: Request, account: AccountDep, hub: HubDep, data: Annotated[bytes, Depends(bundle_body)]
    ) -> Response:
        """A courier bundle (``*.dttsgoi``): the same per-item results as a batch."""
        return reply(hub, hub.import_bundle(account, data, request.headers.get("x-device-id", "")))

    @router.get(
        "/setup-package",
        response_model=None,
        responses={
            200: {
                "description": "a signed setup package",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            },
            **_errors(*AUTHED, 404),
        },
    )
    def setup_package(
        request: Request,
        account: AccountDep,
        hub: HubDep,
        user: Annotated[str | None, Query(max_length=MAX_SHORT)] = None,
    ) -> Response:
        """A signed setup package for the caller (an admin: also for an account in its scope)."""
        target = _package_target(hub, account, user)
        url = hub.config.public_url or str(request.base_url).rstrip("/")
        data = hub.setup_package(target, url)
        return Response(
            data,
            media_type="application/zip",
            headers={
                "Content-Disposition": f'attachment; filename="{target.username}.dttssetup"',
                "X-Server-Id": hub.server_id,
            },
        )

    @router.post(
        "/reviews", response_model=None, responses={200: {"model": ReviewReply}, **_errors(*AUTHED, 404, 409)}
    )
    def reviews(account: AccountDep, hub: HubDep, body: ReviewRequest) -> Response:
        """A reviewer accepts or returns a report."""
        report = hub.reviews.review(
            account, body.unit, body.form, body.period, body.decision, body.comment or "", body.submission_id
        )
        return reply(hub, {"report": report})

    from dttshub.api_review import add_review_routes  # here: it imports this module's dependencies

    add_review_routes(router)
    from dttshub.api_export import add_export_routes

    add_export_routes(router)
    from dttshub.api_baselines import add_baseline_routes

    add_baseline_routes(router)
    from dttshub.api_units import add_unit_routes

    add_unit_routes(router)
    _province_routes(router)

    return router


FormQuery = Annotated[str, Query(min_length=1, max_length=MAX_CODE)]
PeriodQuery = Annotated[str, Query(min_length=1, max_length=MAX_PERIOD)]
ProvinceQuery = Annotated[
    str | None, Query(max_length=2, description='a province code or "*" (default: the account\'s scope)')
]
AcceptedQuery = Annotated[bool, Query(description="add up accepted revisions only")]


def _province_routes(router: APIRouter) -> None:
    """Totals, trends and drill-down; scope: ``dttshub.totals.resolve_scope``."""
    from dttshub.totals import cell_json, resolve_scope, totals_json

    @router.get(
        "/totals", response_model=None, responses={200: {"model": TotalsReply}, **_errors(*AUTHED, 404)}
    )
    def totals(
        account: AccountDep,
        hub: HubDep,
        form: FormQuery,
        period: PeriodQuery,
        province: ProvinceQuery = None,
        accepted_only: AcceptedQuery = False,
    ) -> Response:
        """A form's totals for a period over the caller's units (each indicator per cell and in total)."""
        scope = resolve_scope(account, province)
        return reply(hub, totals_json(hub.totals.totals(form, period, scope, accepted_only=accepted_only)))

    @router.get(
        "/trends", response_model=None, responses={200: {"model": TrendsReply}, **_errors(*AUTHED, 404)}
    )
    def trends(
        account: AccountDep,
        hub: HubDep,
        form: FormQuery,
        period: PeriodQuery,
        periods: Annotated[int, Query(ge=1, le=60)] = 5,
        province: ProvinceQuery = None,
        accepted_only: AcceptedQuery = False,
    ) -> Response:
        """The same totals for the last ``periods`` periods of the form up to ``period`` (oldest first)."""
        scope = resolve_scope(account, province)
        found = hub.totals.trends(form, period, scope, periods=periods, accepted_only=accepted_only)
        return reply(hub, {"form": form, "scope": scope, "periods": [totals_json(t) for t in found]})

    @router.get(
        "/totals/units",
        response_model=None,
        responses={200: {"model": DrilldownReply}, **_errors(*AUTHED, 404)},
    )
    def drilldown(
        account: AccountDep,
        hub: HubDep,
        form: FormQuery,
        period: PeriodQuery,
        code: Annotated[str, Query(min_length=1, max_length=MAX_CODE)],
        disagg: Annotated[str, Query(max_length=MAX_DISAGG)] = "",
        province: ProvinceQuery = None,
        accepted_only: AcceptedQuery = False,
    ) -> Response:
        """Drill-down: one total cell and each included unit's value of it."""
        scope = resolve_scope(account, province)
        d = hub.totals.drilldown(form, period, code, disagg, scope, accepted_only=accepted_only)
        return reply(
            hub,
            {
                "form": d.totals.form,
                "period": d.totals.period,
                "scope": scope,
                "accepted_only": accepted_only,
                "cell": cell_json(d.cell),
                "units_expected": len(d.totals.units_expected),
                "units_missing": list(d.totals.units_missing),
                "units": [
                    {
                        "unit": u.unit,
                        "unit_name": u.unit_name,
                        "value": u.value,
                        "receipt_no": u.receipt_no,
                        "server_revision": u.server_revision,
                        "status": u.status,
                        "legacy_source": u.legacy_source,
                        "legacy_incomplete": u.legacy_incomplete,
                    }
                    for u in d.units
                ],
                "legacy_units": len(d.totals.units_legacy),
            },
        )


def _package_target(hub: Hub, caller: Account, username: str | None) -> Account:
    """Whose setup package a caller may fetch: its own; an admin also that of an account in its scope."""
    if not username or username == caller.username:
        return caller
    caller.require_reviewer()
    if caller.role != "admin":
        raise Forbidden(
            "role_required",
            "Chỉ quản trị mới lấy được gói cài đặt của tài khoản khác.",
            "Only an admin may get another account's setup package.",
        )
    target = hub.accounts.get_user(username)
    if len(target.unit) == 5:
        caller.require_unit(target.unit)
    elif caller.unit not in (ALL_UNITS, target.unit):
        raise Forbidden(
            "out_of_scope",
            f"Tài khoản {username} nằm ngoài phạm vi của {caller.username}.",
            f"Account {username} is outside the scope of {caller.username}.",
        )
    return target


def create_app(config: HubConfig | Mapping[str, Any] | None = None, hub: Hub | None = None) -> FastAPI:
    """The FastAPI application of a hub.

    Args:
        config: a :class:`HubConfig` or its fields as a mapping (``{"db_url": …}``).
        hub: an already open hub (the embedded hub shares it with its owner); made from ``config``
            otherwise.
    """
    if not isinstance(config, HubConfig):
        config = HubConfig.from_mapping(config or {})
    hub = hub or Hub(config)
    app = FastAPI(
        title="dttshub sync API",
        version="1",
        description="The sync protocol between dttsclient and dttshub (docs/sync-protocol.md); paths under /api/v1.",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.hub = hub
    hub.watch()  # the high-water file (dttshub.generation) follows the database while this app serves
    # Replies (changes, catalogue) shrink several-fold on 2G links; requests decompresses them itself.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.include_router(build_router(), prefix="/api/v1", dependencies=[Depends(check_client)])
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    from dttshub.console import mount as mount_console  # the province console at /console/ (issue 15)

    mount_console(app)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(_docs_page(app.openapi()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        codes = {404: "not_found", 405: "method_not_allowed"}
        return error_reply(
            request,
            HubError(
                codes.get(exc.status_code, "http_error"),
                "Không có địa chỉ này trên máy chủ." if exc.status_code == 404 else "Yêu cầu không hợp lệ.",
                "No such address on the hub." if exc.status_code == 404 else f"Bad request ({exc.detail}).",
                status=exc.status_code,
            ),
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {}
        code = "missing_field" if first.get("type") == "missing" else "malformed_request"
        if not first:
            return error_reply(request, BadRequest(code, "Yêu cầu không hợp lệ.", "Malformed request."))
        _, vi, en = describe({**first, "loc": tuple(first.get("loc", ()))[1:]})
        return error_reply(
            request, BadRequest(code, f"Yêu cầu không hợp lệ: {vi}.", f"Malformed request: {en}.")
        )

    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, made once; the batch's items are documented as full submissions."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        doc = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        for model in (Submission, CompactSubmission):
            sub = model.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(sub.pop("$defs", {}))
            schemas[model.__name__] = sub
        doc["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        for path, ops in doc["paths"].items():
            for op in ops.values():
                # the hub answers a body or parameter that fails its model with 400, never FastAPI's 422
                op.get("responses", {}).pop("422", None)
                if not path.endswith(("/ping", "/auth/token", "/auth/refresh")):
                    op["security"] = [{"bearer": []}]
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        app.openapi_schema = doc
    return app.openapi_schema


def _docs_page(doc: Mapping[str, Any]) -> str:
    """A plain HTML page listing the operations (no scripts, nothing fetched from elsewhere)."""
    rows = []
    for path, ops in doc.get("paths", {}).items():
        for method, op in ops.items():
            rows.append(
                f"<tr><td><code>{html.escape(method.upper())}</code></td><td><code>{html.escape(path)}</code>"
                f"</td><td>{html.escape(op.get('description') or op.get('summary') or '')}</td></tr>"
            )
    title = html.escape(doc.get("info", {}).get("title", "dttshub"))
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title></head><body>"
        f"<h1>{title}</h1><p>{html.escape(doc.get('info', {}).get('description', ''))} "
        f'The full contract, with every field and bound: <a href="/openapi.json">/openapi.json</a>.</p>'
        f"<table border=1 cellpadding=4><tr><th>Method</th><th>Path</th><th>What</th></tr>{''.join(rows)}"
        "</table></body></html>"
    )
