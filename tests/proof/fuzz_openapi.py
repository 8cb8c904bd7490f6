"""The hub's HTTP API (SYNC.md) as an OpenAPI 3.0 document, for schemathesis.

The hub serves no OpenAPI document of its own (``openapi_url=None``, and its handlers read raw bodies so
they can take gzip), so the documented shape is written here from SYNC.md and ``dttshub.app``: request
bodies with their fields, and every reply — the success shapes and the error shape
``{server_id, error: {code, message_vi, message_en}}`` with the statuses SYNC.md names. Schemathesis
generates requests from it (valid and invalid) and checks each reply against it.

Paths are relative to ``/api/v1`` (``servers``); every operation but ``ping`` and the two ``auth`` ones
needs the bearer token.
"""

from __future__ import annotations

import copy
from typing import Any


def _str(**extra: Any) -> dict:
    return {"type": "string", **extra}


def _obj(required: list[str], props: dict[str, Any], extra: bool = True) -> dict:
    return {"type": "object", "required": required, "properties": props, "additionalProperties": extra}


ERROR = _obj(
    ["server_id", "error"],
    {
        "server_id": _str(minLength=1),
        "error": _obj(
            ["code", "message_vi", "message_en"],
            {
                "code": _str(minLength=1),
                "message_vi": _str(minLength=1),
                "message_en": _str(minLength=1),
                "retry_after": {"type": "integer", "minimum": 1},
            },
        ),
        "min_client_version": _str(),
    },
)
ITEM_ERROR = _obj(
    ["code", "message_vi", "message_en"],
    {
        "code": _str(minLength=1),
        "indicator": {"type": "string", "nullable": True},
        "disagg": {"type": "string", "nullable": True},
        "message_vi": _str(minLength=1),
        "message_en": _str(minLength=1),
    },
)
RESULT = _obj(
    ["submission_id", "status", "receipt_no", "server_revision", "received_at", "errors"],
    {
        "submission_id": _str(),
        "status": {
            "type": "string",
            "enum": ["accepted", "duplicate", "rejected", "conflict", "late", "unknown"],
        },
        "receipt_no": {"type": "string", "nullable": True},
        "server_revision": {"type": "integer", "nullable": True},
        "received_at": {"type": "string", "nullable": True},
        "errors": {"type": "array", "items": ITEM_ERROR},
    },
)
VALUE = _obj(["code", "disagg", "value"], {"code": _str(), "disagg": _str(), "value": _str()})
SUBMISSION = _obj(
    [
        "submission_id",
        "unit",
        "form",
        "period",
        "revision_no",
        "base_server_revision",
        "catalog_id",
        "catalog_version",
        "finalized_at",
        "payload_sha256",
        "values",
    ],
    {
        "submission_id": _str(format="uuid"),
        "unit": _str(pattern="^[0-9]{5}$"),
        "unit_list": _str(),
        "form": _str(),
        "period": _str(pattern="^[0-9]{4}([SQ][1-4]|[0-9]{2})?$"),
        "revision_no": {"type": "integer", "minimum": 1},
        "supersedes": {"type": "string", "nullable": True},
        "base_server_revision": {"type": "integer", "minimum": 0},
        "catalog_id": _str(),
        "catalog_version": {"type": "integer", "minimum": 1},
        "finalized_at": _str(format="date-time"),
        "payload_sha256": _str(pattern="^[0-9a-f]{64}$"),
        "values": {"type": "array", "items": VALUE},
        "comments": {"type": "array", "items": {"type": "object"}},
        "change_log": {"type": "array", "items": {"type": "object"}},
        "warnings": {"type": "array", "items": {"type": "object"}},
        "eth_rows": {"type": "array", "items": _str()},
        "eth_system": _str(),
    },
)
REVIEW = _obj(
    ["state", "comment", "by", "at"],
    {k: {"type": "string", "nullable": True} for k in ("state", "comment", "by", "at")},
)
REPORT = _obj(
    ["unit", "form", "period", "server_revision", "status", "review"],
    {
        "unit": _str(),
        "form": _str(),
        "period": _str(),
        "server_revision": {"type": "integer"},
        "status": _str(),
        "values": {"type": "array", "items": VALUE},
        "comments": {"type": "array"},
        "review": REVIEW,
    },
)
PING = _obj(
    ["server_id", "api_version", "environment", "server_time", "min_client_version"],
    {
        "server_id": _str(minLength=1),
        "api_version": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "environment": _str(),
        "server_time": _str(),
        "min_client_version": _str(),
    },
)
TOKEN = _obj(
    ["server_id", "access_token", "expires_in", "refresh_token", "account"],
    {
        "server_id": _str(),
        "access_token": _str(minLength=16),
        "expires_in": {"type": "integer"},
        "refresh_token": _str(minLength=16),
        "account": _obj(
            ["username", "role", "units"],
            {
                "username": _str(),
                "role": {"type": "string", "enum": ["officer", "reviewer", "admin"]},
                "units": {"type": "array", "items": _str()},
            },
        ),
    },
)


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _replies(ok: dict | None, *errors: int, ok_status: str = "200") -> dict:
    out: dict[str, Any] = {}
    if ok is not None:
        out[ok_status] = {"description": "done", **_json(ok)}
    for status in errors:
        out[str(status)] = {"description": "refused", **_json(ERROR)}
    return out


def _body(schema: dict, required: bool = True) -> dict:
    return {"required": required, **_json(schema)}


AUTHED = (400, 401, 403, 413, 415, 426, 429)


def hub_openapi(server: str = "http://127.0.0.1/api/v1") -> dict:
    """The OpenAPI 3.0 document of the hub's sync API, with ``server`` as its base URL."""
    bearer = [{"bearer": []}]
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "dttshub sync API v1 (SYNC.md)", "version": "1"},
        "servers": [{"url": server}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/ping": {"get": {"operationId": "ping", "responses": _replies(PING, 426)}},
            "/auth/token": {
                "post": {
                    "operationId": "token",
                    "requestBody": _body(
                        _obj(
                            ["username", "password", "device_id"],
                            {
                                "username": _str(minLength=1),
                                "password": _str(minLength=1),
                                "device_id": _str(minLength=1),
                                "device_name": _str(),
                                "app_version": _str(),
                            },
                        )
                    ),
                    "responses": _replies(TOKEN, 400, 401, 413, 415, 426, 429),
                }
            },
            "/auth/refresh": {
                "post": {
                    "operationId": "refresh",
                    "requestBody": _body(
                        _obj(["refresh_token"], {"refresh_token": _str(minLength=1), "device_id": _str()})
                    ),
                    "responses": _replies(TOKEN, 400, 401, 413, 415, 426),
                }
            },
            "/catalog": {
                "get": {
                    "operationId": "catalog",
                    "security": bearer,
                    "parameters": [
                        {"name": "catalog_id", "in": "query", "schema": _str()},
                        {"name": "version", "in": "query", "schema": _str()},
                        {"name": "If-None-Match", "in": "header", "schema": _str()},
                    ],
                    "responses": {
                        **_replies(
                            _obj(
                                ["server_id", "catalog_id", "version", "etag", "catalog"],
                                {
                                    "catalog_id": _str(),
                                    "version": {"type": "integer"},
                                    "etag": _str(),
                                    "catalog": {"type": "object"},
                                },
                            ),
                            401,
                            404,
                            426,
                        ),
                        "304": {"description": "not modified"},
                    },
                }
            },
            "/submissions:batch": {
                "post": {
                    "operationId": "batch",
                    "security": bearer,
                    "requestBody": _body(
                        _obj(
                            ["device_id", "submissions"],
                            {
                                "device_id": _str(),
                                "app_version": _str(),
                                "submissions": {"type": "array", "items": SUBMISSION, "maxItems": 5},
                            },
                        )
                    ),
                    "responses": _replies(
                        _obj(
                            ["server_id", "batch_id", "server_time", "results"],
                            {
                                "batch_id": _str(),
                                "server_time": _str(),
                                "results": {"type": "array", "items": RESULT},
                            },
                        ),
                        *AUTHED,
                    ),
                }
            },
            "/submissions:status": {
                "post": {
                    "operationId": "status",
                    "security": bearer,
                    "requestBody": _body(_obj(["ids"], {"ids": {"type": "array", "items": _str()}})),
                    "responses": _replies(
                        _obj(["server_id", "results"], {"results": {"type": "array", "items": RESULT}}),
                        *AUTHED,
                    ),
                }
            },
            "/changes": {
                "get": {
                    "operationId": "changes",
                    "security": bearer,
                    "parameters": [
                        {"name": "since", "in": "query", "schema": _str()},
                        {"name": "unit", "in": "query", "schema": _str()},
                        {"name": "limit", "in": "query", "schema": _str()},
                    ],
                    "responses": _replies(
                        _obj(
                            ["server_id", "cursor", "reports", "more"],
                            {
                                "cursor": {"type": "string", "nullable": True},
                                "reports": {"type": "array", "items": REPORT},
                                "more": {"type": "boolean"},
                            },
                        ),
                        *AUTHED,
                        404,
                    ),
                }
            },
            "/bundles": {
                "post": {
                    "operationId": "bundles",
                    "security": bearer,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                        },
                    },
                    "responses": _replies(
                        _obj(
                            ["server_id", "batch_id", "results"],
                            {"batch_id": _str(), "results": {"type": "array", "items": RESULT}},
                        ),
                        *AUTHED,
                    ),
                }
            },
            "/setup-package": {
                "get": {
                    "operationId": "setup_package",
                    "security": bearer,
                    "parameters": [{"name": "user", "in": "query", "schema": _str()}],
                    "responses": {
                        "200": {
                            "description": "a signed setup package",
                            "content": {
                                "application/zip": {"schema": {"type": "string", "format": "binary"}}
                            },
                        },
                        **_replies(None, *AUTHED, 404),
                    },
                }
            },
            "/reviews": {
                "post": {
                    "operationId": "reviews",
                    "security": bearer,
                    "requestBody": _body(
                        _obj(
                            ["unit", "form", "period", "decision"],
                            {
                                "unit": _str(),
                                "form": _str(),
                                "period": _str(),
                                "decision": {"type": "string", "enum": ["accept", "return"]},
                                "comment": _str(),
                                "submission_id": _str(),
                            },
                        )
                    ),
                    "responses": _replies(
                        _obj(["server_id", "report"], {"report": REPORT}), *AUTHED, 404, 409
                    ),
                }
            },
        },
    }
    return copy.deepcopy(doc)


__all__ = ["ERROR", "hub_openapi"]
