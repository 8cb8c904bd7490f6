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
