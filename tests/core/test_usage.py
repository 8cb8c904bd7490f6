"""Usage errors of both command lines in the officer's language (argparse's own text is English)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dttsclient.cli.app import main as client_main
from dttscore.cli.usage import ArgparseCatalog, LocalizedParser, language
from dttshub.cli import main as hub_main


def _parser() -> LocalizedParser:
    parser = LocalizedParser(prog="thu")
    parser.add_argument("--form", required=True)
    parser.add_argument("--period")
    parser.add_argument("--retries", type=int)
    parser.add_argument("--lang", choices=("vi", "en"))
    return parser


@pytest.mark.parametrize(
    ("args", "vietnamese"),
    [
        ([], "thiếu tham số bắt buộc: --form"),
        (["--form", "B", "--bogus", "x"], "không hiểu tham số: --bogus x"),
        (["--form", "B", "--retries", "x"], "tham số --retries: 'x' không phải giá trị hợp lệ (số nguyên)"),
        (["--form"], "tham số --form: cần một giá trị"),
        (["--form", "B", "--lang", "fr"], "tham số --lang: 'fr' không hợp lệ (chọn một trong: 'vi', 'en')"),
    ],
)
def test_argparse_messages_come_from_the_catalogue(args, vietnamese, capsys):
    """argparse's own message ids are translated, the values it fills in are kept as they are."""
    with pytest.raises(SystemExit) as exc:
        _parser().parse_args(args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"thu: lỗi: {vietnamese}\n" in err, err
    assert err.startswith("cú pháp: thu")


def test_english_stays_argparse_own(capsys):
    with pytest.raises(SystemExit):
        _parser().parse_args(["--lang", "en"])
    assert "thu: error: the following arguments are required: --form" in capsys.readouterr().err


def test_every_catalogue_id_is_one_argparse_uses():
    """A message id argparse no longer uses would silently stop translating: each one is in its source."""
    import argparse
    import inspect

    source = inspect.getsource(argparse)
    missing = [
        m for m in ArgparseCatalog.MESSAGES if m != "optional arguments" and repr(m)[1:-1] not in source
    ]
    assert not missing


def test_the_language_comes_from_the_command_line_then_the_environment(monkeypatch):
    monkeypatch.delenv("DTTS_LANG", raising=False)
    assert language(["status"]) == "vi"
    assert language(["status", "--lang", "en"]) == "en"
    assert language(["--lang=en", "status"]) == "en"
    monkeypatch.setenv("DTTS_LANG", "en")
    assert language(["status"]) == "en"
    assert language(["status", "--lang", "vi"]) == "vi"


def test_client_usage_errors_are_vietnamese_by_default(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("DTTS_LANG", raising=False)
    assert client_main(["--data-dir", str(tmp_path), "values", "set", "--form", "BM01"]) == 2
    err = capsys.readouterr().err
    assert "lỗi: thiếu tham số bắt buộc: --period" in err
    assert "cú pháp: dttsclient values set" in err
    assert "Xem hướng dẫn: dttsclient values set --help" in err
    assert "error" not in err
    assert not list(tmp_path.iterdir())  # nothing was created


def test_client_usage_errors_in_english_on_request(capsys, monkeypatch):
    monkeypatch.delenv("DTTS_LANG", raising=False)
    assert client_main(["--lang", "en", "bogus"]) == 2
    err = capsys.readouterr().err
    assert "error: argument COMMAND: invalid choice: 'bogus'" in err
    assert "See: dttsclient --help" in err


def test_hub_usage_errors_are_vietnamese(capsys, monkeypatch):
    monkeypatch.delenv("DTTS_LANG", raising=False)
    with pytest.raises(SystemExit) as exc:
        hub_main(["user", "add", "officer1"])
    assert exc.value.code == 2
    assert "dttshub user add: lỗi: thiếu tham số bắt buộc: --role, --unit" in capsys.readouterr().err


def test_the_installed_command_exits_2_with_the_message_on_stderr():
    done = subprocess.run(
        [sys.executable, "-m", "dttsclient", "--bogus"], capture_output=True, text=True, encoding="utf-8"
    )
    assert done.returncode == 2
    assert "không hiểu tham số: --bogus" in done.stderr
    assert done.stdout == ""


def _help(main, args: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [["--help"], ["values", "set", "--help"], ["backup", "--help"], ["login", "--help"]],
)
def test_client_help_is_vietnamese_by_default(capsys, monkeypatch, args):
    monkeypatch.delenv("DTTS_LANG", raising=False)
    assert client_main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("cú pháp: dttsclient")
    assert "tùy chọn:" in out and "xem hướng dẫn này rồi thoát" in out
    assert "thư mục hồ sơ" in out
    for english in ("usage:", "options:", "show this help", "positional arguments", "profile directory"):
        assert english not in out, english


def test_client_help_lists_the_commands_in_vietnamese(capsys, monkeypatch):
    monkeypatch.delenv("DTTS_LANG", raising=False)
    assert client_main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "chốt báo cáo và đưa vào hàng chờ gửi" in out and "finalize a report" not in out


@pytest.mark.parametrize("how", ["flag", "env"])
def test_client_help_in_english_on_request(capsys, monkeypatch, how):
    monkeypatch.delenv("DTTS_LANG", raising=False)
    args = ["values", "set", "--help"]
    if how == "flag":
        args = ["--lang", "en", *args]
    else:
        monkeypatch.setenv("DTTS_LANG", "en")
    assert client_main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: dttsclient values set")
    assert "options:" in out and "profile directory" in out
    assert "tùy chọn" not in out and "thư mục" not in out


def test_hub_help_is_vietnamese_by_default_and_english_on_request(capsys, monkeypatch):
    monkeypatch.delenv("DTTS_LANG", raising=False)
    out = _help(hub_main, ["--help"], capsys)
    assert out.startswith("cú pháp: dttshub") and "tài khoản" in out and "options:" not in out
    out = _help(hub_main, ["user", "add", "--help"], capsys)
    assert "đọc mật khẩu từ stdin" in out and "read the password" not in out
    out = _help(hub_main, ["--lang", "en", "user", "add", "--help"], capsys)
    assert "read the password from stdin" in out and "đọc mật khẩu" not in out
