"""The transport: backoff, TLS verification with the province's CA bundle, what counts as a reply."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlsplit

import pytest

from dttsclient.sync import errors
from dttsclient.sync.api import HubApi
from dttsclient.sync.transport import RetryPolicy, Transport, TransportConfig
from tests.support.syncutil import FAST, batch_ids, finalize_many, hub_submissions, states, sync
from tests.support.tlsfront import TlsFront


def test_backoff_doubles_from_2_seconds_up_to_5_minutes_with_jitter():
    policy = RetryPolicy()
    for attempt, base in [(1, 2), (2, 4), (3, 8), (4, 16), (8, 256), (9, 300), (20, 300)]:
        delays = [policy.delay(attempt) for _ in range(50)]
        assert all(base <= d <= min(300, base * 1.25) for d in delays)
    assert len({policy.delay(3) for _ in range(20)}) > 1  # jitter
    assert RetryPolicy(jitter=0).delay(2) == 4


def test_the_defaults_are_the_contracts():
    config = TransportConfig()
    assert config.timeout == (15, 60)
    t = Transport("https://hub.example/", "dev")
    try:
        assert t.session.verify is True
        assert t.session.headers["User-Agent"].startswith("dttsclient/")
        assert t.session.headers["X-Device-Id"] == "dev"
    finally:
        t.close()


def test_tls_is_verified_and_the_provinces_ca_bundle_is_used(tmp_path, hub):
    parts = urlsplit(hub.url)
    front = TlsFront(tmp_path, (parts.hostname, parts.port))
    try:
        plain = Transport(front.url, "dev", config=FAST)
        with plain, pytest.raises(errors.CertificateProblem) as info:
            HubApi(plain).ping()
        assert "chứng chỉ" in info.value.text("vi")
        config = TransportConfig(retry=FAST.retry, ca_bundle=str(front.ca_path))
        trusted = Transport(front.url, "dev", config=config)
        with trusted:
            assert trusted.session.verify == str(front.ca_path)
            assert HubApi(trusted).ping().server_id == hub.server_id
    finally:
        front.close()


def test_a_batch_reply_missing_a_result_does_not_count(store, creds, hub, proxy):
    subs = finalize_many(store, 3)

    def drop_last_result(body: bytes) -> bytes:
        data = json.loads(body)
        data["results"] = data["results"][:-1]
        return json.dumps(data).encode()

    proxy.fault("rewrite", path="submissions:batch", rewrite=drop_last_result)
    with pytest.raises(errors.NoConnection):
        sync(store, creds)
    assert states(store) == Counter(sending=3)  # not applied: the reply did not count
    proxy.clear()
    proxy.reset_stats()
    result = sync(store, creds)
    assert result.settled == 3 and batch_ids(proxy) == []
    assert hub_submissions(hub) == Counter({s.submission_id: 1 for s in subs})


def test_a_changes_page_that_says_more_without_a_new_cursor_stops(store, creds, proxy):
    def endless(body: bytes) -> bytes:
        data = json.loads(body)
        data["more"] = True
        data["cursor"] = None
        return json.dumps(data).encode()

    proxy.fault("rewrite", path="/changes", rewrite=endless)
    with pytest.raises(errors.NoConnection):
        sync(store, creds)


def test_a_reply_without_our_server_id_is_no_connection(proxy):
    proxy.set_mode("json200")
    t = Transport(proxy.url, "dev", server_id="hub-x", config=FAST)
    with t, pytest.raises(errors.LoginPageInTheWay):
        t.request("GET", "ping", auth=False)
