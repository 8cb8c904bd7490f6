"""The exception tree of the hub.

Every expected failure of the hub is a :class:`HubError` (a :class:`~dttscore.errors.DttsError`):
it knows the HTTP status it maps to, a stable machine ``code`` and its sentence in Vietnamese and English.
The HTTP layer turns it into ``{server_id, error: {code, message_vi, message_en}}``; the CLI prints the
sentence in the chosen language and exits 1. Anything else is a bug (500, logged with its traceback).
"""

from __future__ import annotations

from dttscore.errors import DttsError


class HubError(DttsError):
    """An expected failure of a hub operation.

    Args:
        code: stable machine code, e.g. ``"token_expired"``.
        message_vi: the sentence in Vietnamese.
        message_en: the sentence in English.
        status: the HTTP status of the reply (400 unless a subclass says otherwise).
    """

    status = 400

    def __init__(self, code: str, message_vi: str, message_en: str, status: int | None = None) -> None:
        super().__init__(message_vi, message_en)
        self.code = code
        if status is not None:
            self.status = status

    def to_json(self) -> dict:
        """The ``error`` object of a reply body."""
        return {"code": self.code, "message_vi": self.message_vi, "message_en": self.message_en}


class BadRequest(HubError):
    """The request is malformed (400)."""

    status = 400


class Unauthorized(HubError):
    """No token, a bad or expired token, or a wrong password (401)."""

    status = 401


class Forbidden(HubError):
    """The account may not do this (role or unit scope, 403)."""

    status = 403


class NotFound(HubError):
    """The thing asked for does not exist on the hub (404)."""

    status = 404


class TooLarge(HubError):
    """The request body, or its decompressed content, is over the hub's limit (413)."""

    status = 413


class UpgradeRequired(HubError):
    """The client is older than the hub's minimum version (426)."""

    status = 426


class Throttled(HubError):
    """Too many attempts: try again after ``retry_after`` seconds (429)."""

    status = 429

    def __init__(self, code: str, message_vi: str, message_en: str, retry_after: int) -> None:
        super().__init__(code, message_vi, message_en)
        self.retry_after = max(1, int(retry_after))

    def to_json(self) -> dict:
        doc = super().to_json()
        doc["retry_after"] = self.retry_after
        return doc


class Unavailable(HubError):
    """The hub cannot serve the request now (every database connection busy): try again after
    ``retry_after`` seconds (503; the client retries it like any transient fault)."""

    status = 503

    def __init__(self, code: str, message_vi: str, message_en: str, retry_after: int) -> None:
        super().__init__(code, message_vi, message_en)
        self.retry_after = max(1, int(retry_after))

    def to_json(self) -> dict:
        doc = super().to_json()
        doc["retry_after"] = self.retry_after
        return doc


class Conflict(HubError):
    """The operation clashes with what the hub already holds (409; CLI only, never on the sync API)."""

    status = 409


class BundleError(BadRequest):
    """A courier bundle is unsafe or damaged; nothing of it was imported."""


class ConfigError(HubError):
    """The hub's own configuration is wrong (database URL, key file …)."""

    status = 500


def internal_error() -> HubError:
    """The answer to a bug while serving a request (the API's JSON error and the console's error page):
    a 500 that names no detail; the traceback goes to the log."""
    return HubError(
        "internal_error",
        "Máy chủ gặp lỗi nội bộ; hãy thử lại sau.",
        "The hub hit an internal error; try again later.",
        status=500,
    )
