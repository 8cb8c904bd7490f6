"""Fixtures of the console tests: a real hub on 127.0.0.1 (SQLite, and PostgreSQL when
``DTTS_TEST_POSTGRES_URL`` is set) with accounts of two provinces and reports of province 19."""

from __future__ import annotations

import pytest

from tests.support.consoleutil import Console, send
from tests.support.hubfixture import (
    COMMUNE_A,
    COMMUNE_B,
    COMMUNE_Y,
    PROVINCE_X,
    PROVINCE_Y,
    TEST_NOW,
    good_values,
    make_submission,
    start_hub,
)


@pytest.fixture
def hub_config():
    """Extra HubConfig fields for the ``hub`` fixture (tests override this fixture)."""
    return {}


@pytest.fixture
def hub(tmp_path, db_url, hub_config):
    running = start_hub(tmp_path, db_url, clock=TEST_NOW, **hub_config)
    try:
        running.publish_catalog()
        yield running
    finally:
        running.stop()


@pytest.fixture
def people(hub):
    hub.add_user("officer_a", "officer", COMMUNE_A)
    hub.add_user("officer_b", "officer", COMMUNE_B)
    hub.add_user("officer_y", "officer", COMMUNE_Y)
    hub.add_user("reviewer_x", "reviewer", PROVINCE_X)
    hub.add_user("reviewer_y", "reviewer", PROVINCE_Y)
    hub.add_user("admin_x", "admin", PROVINCE_X)
    hub.add_user("admin_all", "admin", "*")
    return hub


@pytest.fixture
def sent(people):
    """Commune A sent BM01 2026 (with a comment holding markup); B did not; Y (another province) sent."""
    doc = make_submission(
        good_values(),
        unit=COMMUNE_A,
        comments=[{"code": "0102", "disagg": "", "text": "<script>alert('x')</script> số hộ tăng"}],
    )
    [res] = send(people, "officer_a", [doc])
    assert res["status"] == "accepted", res
    [res] = send(people, "officer_y", [make_submission(good_values(), unit=COMMUNE_Y)])
    assert res["status"] == "accepted", res
    return people


@pytest.fixture
def console(hub):
    c = Console(hub)
    yield c
    c.close()
