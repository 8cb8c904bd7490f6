"""The HTTP API of SYNC.md (FastAPI): thin handlers over :class:`dttshub.service.Hub`.

Every reply is ``application/json`` and carries ``server_id`` (the setup package is ``application/zip``
with an ``X-Server-Id`` header, and a 304 has no body). Errors are
``{server_id, error: {code, message_vi, message_en}}`` with the status of SYNC.md: 400 malformed,
401 token or password (the ``code`` says why), 403 scope or role, 404, 413 too large, 426 client too
old (the body also has ``min_client_version``), 429 with ``Retry-After``, 500 for a bug (logged).

Database work runs in the thread pool (``run_in_threadpool``); the event loop only reads bodies.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import JSONResponse, Response

from dttsclient.core.errors import DttsError
from dttsclient.core.versions import older_than
from dttshub.catalogs import etag_matches
from dttshub.config import HubConfig
from dttshub.errors import BadRequest, Forbidden, HubError, Throttled, Unauthorized, UpgradeRequired
from dttshub.http_body import parse_json, read_body
from dttshub.scope import ALL_UNITS, Account
from dttshub.service import Hub

logger = logging.getLogger(__name__)

UA_RE = re.compile(r"dttsclient/([0-9][0-9A-Za-z.+-]*)")
MAX_STATUS_IDS = 1000


def _hub(request: Request) -> Hub:
    return request.app.state.hub


def reply(
    request: Request, doc: Mapping[str, Any], status: int = 200, headers: dict | None = None
) -> JSONResponse:
    """A JSON reply with the hub's ``server_id``."""
    return JSONResponse({"server_id": _hub(request).server_id, **doc}, status_code=status, headers=headers)


def error_reply(request: Request, exc: HubError) -> JSONResponse:
    hub = _hub(request)
    body: dict[str, Any] = {"server_id": hub.server_id, "error": exc.to_json()}
    headers: dict[str, str] = {}
    if isinstance(exc, Throttled):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = f'Bearer error="invalid_token", error_description="{exc.code}"'
    if isinstance(exc, UpgradeRequired):
        body["min_client_version"] = hub.config.min_client_version
    return JSONResponse(body, status_code=exc.status, headers=headers)


class HubRoute(APIRoute):
    """A route whose expected failures become the JSON error of SYNC.md and whose bugs become a 500."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
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
                    HubError(
                        "internal_error",
                        "Máy chủ gặp lỗi nội bộ; hãy thử lại sau.",
                        "The hub hit an internal error; try again later.",
                        status=500,
                    ),
                )

        return handler


async def check_client(request: Request) -> None:
    """426 for a ``dttsclient/<version>`` user agent older than ``min_client_version``."""
    m = UA_RE.search(request.headers.get("user-agent", ""))
    if not m:
        return
    minimum = _hub(request).config.min_client_version
    if older_than(m.group(1), minimum):
        raise UpgradeRequired(
            "client_too_old",
            f"Phiên bản phần mềm ({m.group(1)}) đã cũ; hãy cập nhật lên {minimum} trở lên.",
            f"This version of the software ({m.group(1)}) is too old; update to {minimum} or later.",
        )


async def authenticated(request: Request) -> Account:
    """The account of the request's bearer token."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    return await run_in_threadpool(_hub(request).accounts.authenticate, token or None)


async def json_body(request: Request) -> Any:
    cfg = _hub(request).config
    return parse_json(await read_body(request, cfg.max_request_bytes, cfg.max_decompressed_bytes))


def _obj(body: Any) -> dict:
    if not isinstance(body, dict):
        raise BadRequest(
            "malformed_request", "Yêu cầu phải là một đối tượng JSON.", "The request must be a JSON object."
        )
    return body


def _need_str(body: dict, *names: str) -> list[str]:
    out = []
    for name in names:
        value = body.get(name)
        if not isinstance(value, str) or not value:
            raise BadRequest(
                "missing_field",
                f"Yêu cầu thiếu trường '{name}'.",
                f"The request lacks the field '{name}'.",
            )
        out.append(value)
    return out


def build_router() -> APIRouter:
    """The ``/api/v1`` routes."""
    router = APIRouter(route_class=HubRoute)

    @router.get("/ping")
    async def ping(request: Request) -> Response:
        return reply(request, await run_in_threadpool(_hub(request).ping))

    @router.post("/auth/token")
    async def token(request: Request) -> Response:
        body = _obj(await json_body(request))
        username, password, device_id = _need_str(body, "username", "password", "device_id")
        # login_async hashes on the accounts' own bounded pool, so a login flood never holds up ping
        result = await _hub(request).accounts.login_async(
            username[:64],
            password,
            device_id[:128],
            str(body.get("device_name") or ""),
            str(body.get("app_version") or ""),
            address=request.client.host if request.client else "",
        )
        return reply(request, result)

    @router.post("/auth/refresh")
    async def refresh(request: Request) -> Response:
        body = _obj(await json_body(request))
        (refresh_token,) = _need_str(body, "refresh_token")
        device = body.get("device_id") if isinstance(body.get("device_id"), str) else None
        return reply(request, await run_in_threadpool(_hub(request).accounts.refresh, refresh_token, device))

    @router.get("/catalog")
    async def catalog(request: Request) -> Response:
        await authenticated(request)
        hub = _hub(request)
        q = request.query_params
        if q.get("catalog_id") and q.get("version", "").isdigit():
            stored = await run_in_threadpool(hub.catalogs.stored, q["catalog_id"], int(q["version"]))
        else:
            stored = await run_in_threadpool(hub.catalogs.current)
        if stored is None:
            raise HubError(
                "no_catalog",
                "Máy chủ chưa có danh mục chỉ tiêu này.",
                "The hub does not have this indicator catalogue.",
                status=404,
            )
        headers = {"ETag": stored.etag, "Cache-Control": "no-cache"}
        if etag_matches(request.headers.get("if-none-match"), stored.etag):
            return Response(status_code=304, headers=headers)
        doc = {
            "catalog_id": stored.catalog_id,
            "version": stored.version,
            "etag": stored.etag,
            "published_at": stored.published_at,
            "catalog": stored.to_json(),
        }
        return reply(request, doc, headers=headers)

    @router.post("/submissions:batch")
    async def batch(request: Request) -> Response:
        account = await authenticated(request)
        body = await json_body(request)
        device = request.headers.get("x-device-id", "")
        return reply(request, await run_in_threadpool(_hub(request).batch, account, body, device))

    @router.post("/submissions:status")
    async def status(request: Request) -> Response:
        account = await authenticated(request)
        body = _obj(await json_body(request))
        ids = body.get("ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise BadRequest(
                "malformed_request", "'ids' phải là danh sách mã.", "'ids' must be a list of IDs."
            )
        if len(ids) > MAX_STATUS_IDS:
            raise BadRequest(
                "too_many_ids",
                f"Hỏi tối đa {MAX_STATUS_IDS} mã mỗi lần.",
                f"Ask about at most {MAX_STATUS_IDS} IDs at a time.",
            )
        results = await run_in_threadpool(_hub(request).ingest.status, account, ids)
        return reply(request, {"results": results})

    @router.get("/changes")
    async def changes(request: Request) -> Response:
        account = await authenticated(request)
        q = request.query_params
        limit = int(q["limit"]) if q.get("limit", "").isdigit() else None
        page = await run_in_threadpool(
            _hub(request).changes.since, account, q.get("since") or None, q.get("unit") or None, limit
        )
        return reply(request, page)

    @router.post("/bundles")
    async def bundles(request: Request) -> Response:
        account = await authenticated(request)
        hub = _hub(request)
        data = await read_body(request, hub.config.max_bundle_bytes, hub.config.max_bundle_bytes)
        device = request.headers.get("x-device-id", "")
        return reply(request, await run_in_threadpool(hub.import_bundle, account, data, device))

    @router.get("/setup-package")
    async def setup_package(request: Request) -> Response:
        account = await authenticated(request)
        hub = _hub(request)
        target = await run_in_threadpool(_package_target, hub, account, request.query_params.get("user"))
        url = hub.config.public_url or str(request.base_url).rstrip("/")
        data = await run_in_threadpool(hub.setup_package, target, url)
        return Response(
            data,
            media_type="application/zip",
            headers={
                "Content-Disposition": f'attachment; filename="{target.username}.dttssetup"',
                "X-Server-Id": hub.server_id,
            },
        )

    @router.post("/reviews")
    async def reviews(request: Request) -> Response:
        account = await authenticated(request)
        body = _obj(await json_body(request))
        unit, form, period, decision = _need_str(body, "unit", "form", "period", "decision")
        comment = body.get("comment") or ""
        sid = body.get("submission_id") if isinstance(body.get("submission_id"), str) else None
        report = await run_in_threadpool(
            _hub(request).reviews.review, account, unit, form, period, decision, comment, sid
        )
        return reply(request, {"report": report})

    return router


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
    app = FastAPI(title="dttshub", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.hub = hub
    # Replies (changes, catalogue) shrink several-fold on 2G links; requests decompresses them itself.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.include_router(build_router(), prefix="/api/v1", dependencies=[Depends(check_client)])

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
        return error_reply(
            request, BadRequest("malformed_request", "Yêu cầu không hợp lệ.", "Malformed request.")
        )

    return app
