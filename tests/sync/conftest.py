"""Fixtures of the sync tests: an in-memory keyring, a real hub on 127.0.0.1, the fault proxy in front
of it, and a profile logged in through the proxy.

Retries use a 10 ms backoff so the faults cost milliseconds; everything else is the production code.
"""

from __future__ import annotations

import pytest

from dttsclient.store import Store
from dttsclient.sync.credentials import KeyringCredentials
from dttsclient.sync.login import login
from tests.support.faultproxy import FaultProxy
from tests.support.hubfixture import COMMUNE_A, DEFAULT_PASSWORD, TEST_NOW, start_hub
from tests.support.memkeyring import memory_keyring
from tests.support.syncutil import FAST, REVIEWER, USER


@pytest.fixture
def keyring_backend():
    """An in-memory keyring selected through ``keyring.set_keyring`` (restored afterwards)."""
    with memory_keyring() as kr:
        yield kr


@pytest.fixture
def creds(keyring_backend):
    return KeyringCredentials()


@pytest.fixture
def hub_config():
    """Extra HubConfig fields for the ``hub`` fixture (tests override this fixture)."""
    return {}


@pytest.fixture
def hub(tmp_path, hub_config):
    """A hub with the small test catalogue, an officer of commune A and a reviewer of its province."""
    running = start_hub(tmp_path, clock=TEST_NOW, **hub_config)
    try:
        running.publish_catalog()
        running.add_user(USER, "officer", COMMUNE_A)
        running.add_user(REVIEWER, "reviewer", "19")
        yield running
    finally:
        running.stop()


@pytest.fixture
def proxy(hub):
    with FaultProxy(hub.url, lifetime=120) as p:
        yield p


@pytest.fixture
def store(data_dir, proxy, creds):
    """A profile logged in as the officer through the proxy (catalogue downloaded)."""
    with Store.open(data_dir) as s:
        login(s, proxy.url, USER, DEFAULT_PASSWORD, creds, "PC xã", config=FAST)
        yield s
