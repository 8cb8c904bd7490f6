"""Fixtures of the hub tests: a real hub on 127.0.0.1 over SQLite, and over PostgreSQL when
``DTTS_TEST_POSTGRES_URL`` names a server (each test then gets its own schema)."""

from __future__ import annotations

import pytest

from hubfixture import (
    COMMUNE_A,
    COMMUNE_B,
    COMMUNE_Y,
    PROVINCE_X,
    PROVINCE_Y,
    TEST_NOW,
    create_pg_schema,
    drop_pg_schema,
    postgres_url,
    start_hub,
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The database of the test's hub: None (an SQLite file in tmp_path) or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield None
        return
    base = postgres_url()
    if not base:
        pytest.skip("DTTS_TEST_POSTGRES_URL is not set")
    schema, url = create_pg_schema(base)
    try:
        yield url
    finally:
        drop_pg_schema(base, schema)


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
