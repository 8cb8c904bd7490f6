"""The run's folders come from one place (``dttsclient.appdirs``), whatever chose the profile."""

from __future__ import annotations

from pathlib import Path

from dttsclient.appdirs import resolve_dirs


def test_data_dir_argument_keeps_everything_inside_the_profile(tmp_path):
    dirs = resolve_dirs(tmp_path / "a" / "p", environ={"DTTS_DATA_DIR": str(tmp_path / "ignored")})
    assert dirs.data_dir == (tmp_path / "a" / "p").resolve()
    assert dirs.profiles_root == (tmp_path / "a").resolve()
    assert dirs.log_dir == dirs.data_dir / "logs"
    assert dirs.explicit and dirs.source == "argument"


def test_the_environment_never_logs_two_folders_up(tmp_path):
    """``DTTS_DATA_DIR=/tmp/x/a/p`` used to log to ``/tmp/x/logs`` (and ``/data`` to ``/logs``)."""
    dirs = resolve_dirs(None, environ={"DTTS_DATA_DIR": str(tmp_path / "x" / "a" / "p")})
    assert dirs.data_dir == tmp_path / "x" / "a" / "p"
    assert dirs.log_dir == tmp_path / "x" / "a" / "p" / "logs"
    assert dirs.profiles_root == tmp_path / "x" / "a"
    assert not dirs.explicit and dirs.source == "environment"
    root = resolve_dirs(None, environ={"DTTS_DATA_DIR": "/data"})
    assert root.log_dir == Path("/data/logs")


def test_the_user_folders_come_from_platformdirs(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path / "share" / "DTTSClient"))
    monkeypatch.setattr(platformdirs, "user_log_dir", lambda *a, **k: str(tmp_path / "state" / "log"))
    dirs = resolve_dirs(None, environ={})
    assert dirs.data_dir == tmp_path / "share" / "DTTSClient" / "profiles" / "default"
    assert dirs.profiles_root == dirs.data_dir.parent
    assert dirs.log_dir == tmp_path / "state" / "log"
    assert dirs.source == "user"


def test_a_profile_chosen_in_the_picker_keeps_the_run_root(tmp_path):
    dirs = resolve_dirs(None, environ={"DTTS_DATA_DIR": str(tmp_path / "profiles" / "default")})
    other = dirs.for_profile(tmp_path / "profiles" / "chi-lan")
    assert other.data_dir.name == "chi-lan"
    assert (other.profiles_root, other.log_dir) == (dirs.profiles_root, dirs.log_dir)
