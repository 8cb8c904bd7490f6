"""Fixtures of the hub tests: a real hub on 127.0.0.1 over SQLite, and over PostgreSQL when
``DTTS_TEST_POSTGRES_URL`` names a server (each test then gets its own schema)."""

from __future__ import annotations

import pytest

from tests.support.hubfixture import (
    COMMUNE_A,
    COMMUNE_B,
    COMMUNE_Y,
    PROVINCE_X,
    PROVINCE_Y,
    TEST_NOW,
    start_hub,
)


@pytest.fixture
def hub(tmp_path, db_url):
    """A running hub with the small test catalogue published; its clock starts at ``TEST_NOW``."""
    running = start_hub(tmp_path, db_url, clock=TEST_NOW)
    try:
        running.publish_catalog()
        yield running
    finally:
        running.stop()


@pytest.fixture
def people(hub):
    """Accounts on the hub: officers of communes A, B (province X) and Y (province Y), reviewers, admins."""
    hub.add_user("officer_a", "officer", COMMUNE_A)
    hub.add_user("officer_b", "officer", COMMUNE_B)
    hub.add_user("officer_y", "officer", COMMUNE_Y)
    hub.add_user("reviewer_x", "reviewer", PROVINCE_X)
    hub.add_user("reviewer_y", "reviewer", PROVINCE_Y)
    hub.add_user("admin_x", "admin", PROVINCE_X)
    hub.add_user("admin_all", "admin", "*")
    return hub
