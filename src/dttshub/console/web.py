"""The console's web plumbing: templates, the signed-in viewer, security headers, errors as pages.

Every page is rendered on the server by Jinja2 with autoescaping on (an officer's comment is shown as text);
the pages carry no inline script (the Content-Security-Policy allows scripts from ``/console/static`` only).
A route of the console raises the hub's own errors (:class:`dttshub.errors.HubError`); :class:`ConsoleRoute`
turns them into an HTML page in the viewer's language with the error's status.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import Depends, Request
from fastapi.routing import APIRoute
from starlette.datastructures import MutableHeaders
from starlette.responses import HTMLResponse, RedirectResponse, Response

from dttscore.errors import DttsError
from dttshub.console.i18n import LANGS, tr
from dttshub.console.sessions import ConsoleSession, ConsoleSessions
from dttshub.errors import Forbidden, HubError, internal_error
from dttshub.receipts import VN_TZ
from dttshub.scope import Account
from dttshub.service import Hub

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
PREFIX = "/console"
SESSION_COOKIE = "dtts_console"
LANG_COOKIE = "dtts_lang"
LOGIN_CSRF_COOKIE = "dtts_login_csrf"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(HERE / "templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def vn_time(text: str | None) -> str:
    """A stored time (ISO, UTC) as the officers read it: Vietnam time, ``dd/mm/yyyy HH:MM``; "" for none."""
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


templates.filters["vntime"] = vn_time


class NeedSignIn(Exception):
    """The request has no live session: the browser is sent to the sign-in form."""


class SecurityHeaders:
    """ASGI middleware: the console's security headers on every reply under ``/console`` (pages and assets),
    and ``Cache-Control: no-store`` on pages (they hold the province's data)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in PAGE_HEADERS.items():
                    headers[key] = value
                if not path.startswith(PREFIX + "/static/"):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def hub_of(request: Request) -> Hub:
    return request.app.state.hub


def sessions_of(request: Request) -> ConsoleSessions:
    return request.app.state.console_sessions


def lang_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "vi")
    return lang if lang in LANGS else "vi"


def secure_cookies(request: Request) -> bool:
    """Cookies carry ``Secure`` when the console is reached over HTTPS (directly or behind a proxy)."""
    return (
        request.url.scheme == "https"
        or request.headers.get("x-forwarded-proto", "") == "https"
        or (hub_of(request).config.public_url or "").startswith("https://")
    )


@dataclass
class View:
    """What a page needs: the request, the hub, the language and (when signed in) the session."""

    request: Request
    hub: Hub
    lang: str
    session: ConsoleSession | None = None

    @property
    def account(self) -> Account:
        assert self.session is not None
        return self.session.account

    def t(self, key: str, **kw: Any) -> str:
        return tr(self.lang, key, **kw)

    def render(self, name: str, status: int = 200, **data: Any) -> HTMLResponse:
        page = templates.get_template(name).render(
            t=self.t,
            lang=self.lang,
            session=self.session,
            csrf=self.session.csrf if self.session else "",
            path=self.request.url.path,
            here=_here(self.request),
            **data,
        )
        return HTMLResponse(page, status_code=status)

    def check_csrf(self, token: str) -> None:
        """Refuse a form post whose CSRF token is not the session's (403)."""
        if self.session is None or not token or not secrets.compare_digest(token, self.session.csrf):
            raise Forbidden(
                "csrf",
                "Biểu mẫu đã hết hạn hoặc không gửi từ bảng điều khiển; hãy tải lại trang rồi làm lại.",
                "The form has expired or did not come from the console; reload the page and try again.",
            )

    def require_admin(self) -> None:
        if self.account.role != "admin":
            raise Forbidden(
                "role_required",
                "Chỉ quản trị mới dùng được trang này.",
                "Only an admin may use this page.",
            )


def _here(request: Request) -> str:
    """The path and query of the request (for ``next`` and the language switch)."""
    query = request.url.query
    return request.url.path + ("?" + query if query else "")


def optional_view(request: Request) -> View:
    """The viewer, signed in or not (a dependency; plain ``def``: the session lookup reads the database)."""
    hub = hub_of(request)
    session = sessions_of(request).find(request.cookies.get(SESSION_COOKIE))
    if session is not None and not session.account.is_reviewer:
        session = None  # the account became an officer: the console is not for it
    return View(request, hub, lang_of(request), session)


def signed_in_view(view: Annotated[View, Depends(optional_view)]) -> View:
    """The signed-in viewer; without a live session the browser goes to the sign-in form."""
    if view.session is None:
        raise NeedSignIn()
    return view


ViewDep = Annotated[View, Depends(signed_in_view)]
OptionalViewDep = Annotated[View, Depends(optional_view)]


def sign_in_redirect(request: Request) -> RedirectResponse:
    target = _here(request) if request.method == "GET" else PREFIX + "/"
    return RedirectResponse(f"{PREFIX}/?next={quote(target, safe='')}", status_code=303)


def error_page(request: Request, exc: HubError) -> HTMLResponse:
    lang = lang_of(request)
    try:
        session = sessions_of(request).find(request.cookies.get(SESSION_COOKIE))
    except HubError:
        session = None
    view = View(request, hub_of(request), lang, session)
    message = exc.message_en if lang == "en" else exc.message_vi
    return view.render("error.html", status=exc.status, message=message, code=exc.code)


class ConsoleRoute(APIRoute):
    """A console route: no session → the sign-in form; the hub's errors → an HTML page with their status;
    a bug → a page saying so (logged), never a traceback."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except NeedSignIn:
                return sign_in_redirect(request)
            except HubError as exc:
                return error_page(request, exc)
            except DttsError as exc:
                return error_page(request, HubError("bad_input", exc.message_vi, exc.message_en, status=400))
            except Exception:
                logger.exception("bug while serving %s %s", request.method, request.url.path)
                return error_page(
                    request,
                    internal_error(),
                )

        return handler
