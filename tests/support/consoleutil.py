"""Helpers of the console tests: a browser-less client of ``/console/`` over HTTP (cookies, CSRF tokens)."""

from __future__ import annotations

import re

import requests

from tests.support.hubfixture import DEFAULT_PASSWORD, TIMEOUT

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


class Console:
    """A browser without JavaScript: a cookie jar, the sign-in form, forms with their CSRF token."""

    def __init__(self, hub) -> None:
        self.hub = hub
        self.http = requests.Session()
        self.csrf = ""

    def url(self, path: str) -> str:
        return self.hub.url + path

    def get(self, path: str, **kw) -> requests.Response:
        return self.http.get(self.url(path), timeout=TIMEOUT, **kw)

    def post(self, path: str, data: dict | list | None = None, csrf: bool = True, **kw) -> requests.Response:
        if isinstance(data, list):
            body = [*data, ("csrf", self.csrf)] if csrf else data
        else:
            body = {**(data or {}), **({"csrf": self.csrf} if csrf else {})}
        return self.http.post(self.url(path), data=body, timeout=TIMEOUT, **kw)

    def sign_in(self, username: str, password: str = DEFAULT_PASSWORD, next: str = "") -> requests.Response:
        page = self.get("/console/")
        token = csrf_of(page.text)
        r = self.http.post(
            self.url("/console/login"),
            data={"username": username, "password": password, "csrf": token, "next": next},
            timeout=TIMEOUT,
        )
        if r.ok and "dtts_console" in self.http.cookies:
            self.csrf = csrf_of(r.text)
        return r

    def close(self) -> None:
        self.http.close()


def send(hub, officer: str, docs: list[dict], device_id: str = "device-1") -> list[dict]:
    s = hub.session(officer, device_id=device_id)
    r = s.post(
        hub.api + "/submissions:batch", json={"device_id": device_id, "submissions": docs}, timeout=TIMEOUT
    )
    assert r.status_code == 200, r.text
    return r.json()["results"]
