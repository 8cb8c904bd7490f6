"""Settings for the whole suite: Qt on the offscreen platform, no real keyring, Hypothesis profiles."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The suite never touches the user's real profile or keyring.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

try:
    from hypothesis import settings

    settings.register_profile("ci", max_examples=60, deadline=None)
    settings.register_profile("long", max_examples=2000, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # pragma: no cover
    pass


@pytest.fixture
def data_dir(tmp_path):
    """A fresh profile directory for one test."""
    d = tmp_path / "profile"
    d.mkdir()
    return d


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request):
    """The database of a test's hub: None (an SQLite file in its tmp_path) or a fresh PostgreSQL schema
    (``DTTS_TEST_POSTGRES_URL``); shared by the hub and sync tests."""
    from tests.support.hubfixture import create_pg_schema, drop_pg_schema, postgres_url

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
