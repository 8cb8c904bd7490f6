"""Hub request bodies, fuzzed: schemathesis against the hub's documented API, and raw bytes on every route.

A real hub on 127.0.0.1 (SQLite) with the small test catalogue, an accepted report of commune A and
officer A's token. Schemathesis generates requests from the OpenAPI document the hub serves
(``/openapi.json``, made from the protocol's models in ``dttshub.protocol``), both valid and invalid
(``positive`` and ``negative`` generation), and sends them with the token. For every reply: no 5xx; the status, content type and body are those documented (the JSON error
shape carries a Vietnamese and an English sentence); and the hub's database is as it was (the bookkeeping
of failed logins and devices aside: see ``fuzz_checks.hub_digest``), because an officer's random request
can change nothing.

Example counts: ``DTTS_SCHEMATHESIS_EXAMPLES`` per operation (default 25; the long run sets more), and
the Hypothesis profile for the raw-bytes test.
"""

from __future__ import annotations

import gzip
import json
import os

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.support import mutate
from tests.support.fuzz_checks import assert_clean_message, fuzz_settings, hub_digest
from tests.support.hubfixture import COMMUNE_A, TEST_NOW, TIMEOUT, good_values, make_submission, start_hub

ENV_EXAMPLES = "DTTS_SCHEMATHESIS_EXAMPLES"
EXAMPLES = int(os.environ.get(ENV_EXAMPLES) or 25)
USER = "can_bo_a"

API_PREFIX = "/api/v1"
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


class FuzzHub:
    """The hub under fuzzing, officer A's token, and the digest of its database before any request."""

    def __init__(self, tmp_path) -> None:
        self.running = start_hub(tmp_path, clock=TEST_NOW)
        self.running.publish_catalog()
        self.running.add_user(USER, "officer", COMMUNE_A)
        grant = self.running.login(USER)
        self.token = grant["access_token"]
        doc = make_submission(good_values(), unit=COMMUNE_A)
        r = requests.post(
            self.running.api + "/submissions:batch",
            json={"device_id": "device-1", "submissions": [doc]},
            headers=self.headers,
            timeout=TIMEOUT,
        )
        assert r.json()["results"][0]["status"] == "accepted"
        self.digest = hub_digest(self.running)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "X-Device-Id": "device-1"}

    def stop(self) -> None:
        self.running.stop()


@pytest.fixture(scope="module")
def fuzz_hub(tmp_path_factory):
    hub = FuzzHub(tmp_path_factory.mktemp("schemathesis"))
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture(scope="module")
def served_schema(fuzz_hub):
    """The OpenAPI document the running hub serves."""
    return schemathesis.openapi.from_url(fuzz_hub.running.url + "/openapi.json")


def header(response, name: str) -> str:
    """A reply header from requests or schemathesis (whose headers map to lists)."""
    for key, value in response.headers.items():
        if key.lower() == name.lower():
            return value[0] if isinstance(value, list) else value
    return ""


def assert_documented_reply(hub: FuzzHub, response) -> None:
    """What every reply promises beyond the schema: JSON with our ``server_id``, errors in plain words."""
    status = response.status_code
    assert status < 500, response.text
    ctype = header(response, "content-type")
    if status == 304 or (status == 200 and ctype == "application/zip"):
        return
    assert ctype.startswith("application/json"), (status, ctype)
    doc = response.json()
    assert doc["server_id"] == hub.running.server_id
    if status >= 400:
        assert_clean_message(doc["error"]["message_vi"], doc["error"]["message_en"])
        if status == 429:
            assert int(header(response, "Retry-After")) >= 1


def _api_routes() -> list[tuple[str, str]]:
    from dttshub.app import build_router

    return sorted((m, r.path) for r in build_router().routes for m in r.methods)


@pytest.mark.parametrize(("method", "path"), _api_routes())
def test_hub_replies_as_documented_and_changes_nothing(fuzz_hub, served_schema, method, path):
    """Per operation of the served document: valid and invalid requests (schemathesis' strategies, run
    by Hypothesis here rather than by ``schemathesis.pytest``, whose lazy loader needs a pytest
    internal that pytest 9 no longer has)."""
    operation = served_schema[API_PREFIX + path][method]
    strategy = operation.as_strategy(GenerationMode.POSITIVE)
    if operation.body or any(True for _ in operation.iter_parameters()):
        strategy = strategy | operation.as_strategy(GenerationMode.NEGATIVE)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    def one(case) -> None:
        response = case.call(base_url=fuzz_hub.running.url, headers=fuzz_hub.headers, timeout=TIMEOUT)
        case.validate_response(response, checks=CHECKS)
        assert_documented_reply(fuzz_hub, response)
        assert hub_digest(fuzz_hub.running) == fuzz_hub.digest, f"{case.method} {case.path} changed the hub"

    one()


# -- raw bodies on every route ------------------------------------------------------------------------
JSON_ROUTES = ("auth/token", "auth/refresh", "submissions:batch", "submissions:status", "reviews")
DEEP = b"[" * 100_000 + b"]" * 100_000


def _gzip_bomb() -> bytes:
    return gzip.compress(b"{" + b" " * (40 << 20) + b"}", compresslevel=9)


bodies = (
    st.binary(max_size=256)
    | mutate.json_values.map(mutate.dump_json)
    | st.sampled_from([b"", b"null", b"[]", b"{}", b'{"submissions": null}', b'{"ids": [1, 2]}', DEEP])
)


@fuzz_settings(1.0)
@given(
    route=st.sampled_from((*JSON_ROUTES, "bundles")),
    body=bodies,
    encoding=st.sampled_from([None, "gzip", "gzip-damaged", "br", "identity"]),
)
def test_any_bytes_on_any_route_get_a_documented_reply_and_change_nothing(fuzz_hub, route, body, encoding):
    headers = dict(fuzz_hub.headers)
    if encoding == "gzip":
        body = gzip.compress(body)
    elif encoding == "gzip-damaged":
        body = mutate.truncate(gzip.compress(body), 12)
    if encoding:
        headers["Content-Encoding"] = encoding.replace("-damaged", "")
    r = requests.post(f"{fuzz_hub.running.api}/{route}", data=body, headers=headers, timeout=TIMEOUT)
    assert_documented_reply(fuzz_hub, r)
    assert hub_digest(fuzz_hub.running) == fuzz_hub.digest


@pytest.mark.parametrize("route", JSON_ROUTES)
def test_deeply_nested_json_is_a_400_not_a_500(fuzz_hub, route):
    r = requests.post(f"{fuzz_hub.running.api}/{route}", data=DEEP, headers=fuzz_hub.headers, timeout=TIMEOUT)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "malformed_json"
    assert_documented_reply(fuzz_hub, r)


@pytest.mark.parametrize("route", (*JSON_ROUTES, "bundles"))
def test_a_gzip_bomb_is_a_413(fuzz_hub, route):
    headers = {**fuzz_hub.headers, "Content-Encoding": "gzip"}
    body = _gzip_bomb() if route != "bundles" else gzip.compress(b"PK" + b"\0" * (80 << 20))
    r = requests.post(f"{fuzz_hub.running.api}/{route}", data=body, headers=headers, timeout=TIMEOUT)
    assert r.status_code == 413, r.text[:300]
    assert_documented_reply(fuzz_hub, r)
    assert hub_digest(fuzz_hub.running) == fuzz_hub.digest


def test_the_document_covers_every_route_of_the_hub(fuzz_hub):
    """The served OpenAPI document is the contract: every ``/api/v1`` route of the hub is in it, and
    nothing else."""
    from dttshub.app import build_router

    doc = requests.get(fuzz_hub.running.url + "/openapi.json", timeout=TIMEOUT).json()
    routes = {(m, API_PREFIX + r.path) for r in build_router().routes for m in r.methods}
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    assert routes == documented
    json.dumps(doc)  # plain JSON


def test_example_count_comes_from_the_environment():
    assert int(os.environ.get(ENV_EXAMPLES) or 25) == EXAMPLES
