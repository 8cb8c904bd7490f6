"""The command line of docs/journeys.md: parsing and dispatch.

Exit codes: 0 ok, 1 failed, 2 usage error, 3 nothing to do / partly done. Errors go to stderr in the UI
language (``--lang``, Vietnamese by default); ``--json`` prints one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from dttsclient import __version__
from dttsclient.cli.output import Output
from dttscore.cli.exits import EXIT_FAILED
from dttscore.cli.usage import LocalizedParser, bi

logger = logging.getLogger(__name__)



class _Parser(LocalizedParser):
    """argparse that exits 2 on usage errors, in the officer's language (``--lang``, ``DTTS_LANG``)."""


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Options every command takes, accepted before and after the command name."""
    d = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=d,
        help=bi("thư mục hồ sơ (mặc định: của người dùng)", "profile directory (default: per user)"),
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help=bi(
            "kết quả cho máy: một tài liệu JSON trên stdout", "machine output: one JSON document on stdout"
        ),
    )
    parser.add_argument(
        "--lang",
        choices=("vi", "en"),
        default=d,
        help=bi("ngôn ngữ thông báo (mặc định vi)", "language of messages (default vi)"),
    )
    parser.add_argument(
        "--unit",
        default=d,
        help=bi("mã xã (mặc định: xã của hồ sơ)", "commune code (default: the profile's commune)"),
    )


_BACKUP_HELP = {
    "export": bi("ghi bản sao lưu ra thư mục (USB)", "write a backup to a folder (USB)"),
    "verify": bi("kiểm tra một bản sao lưu", "check a backup"),
    "restore": bi("khôi phục từ bản sao lưu", "restore from a backup"),
}


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="dttsclient",
        description=bi(
            "DTTS Client — báo cáo chỉ tiêu thống kê công tác dân tộc",
            "DTTS Client — statistical indicators of ethnic affairs",
        ),
    )
    p.add_argument("--version", action="version", version=f"dttsclient {__version__}")
    p.add_argument(
        "--demo",
        action="store_true",
        help=bi("chạy thử với máy chủ thử kèm theo", "start with an embedded demo hub"),
    )
    p.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    _common(p, suppress=False)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    common = _Parser(add_help=False)
    _common(common, suppress=True)

    def cmd(name: str, help_: str, parent: argparse._SubParsersAction = sub) -> argparse.ArgumentParser:
        return parent.add_parser(name, help=help_, parents=[common])

    c = cmd(
        "login",
        bi(
            "đăng nhập máy chủ; mã thiết bị lưu vào kho khoá của hệ điều hành",
            "log in to the hub; the device token goes to the OS keyring",
        ),
    )
    c.add_argument("--server", required=True)
    c.add_argument("--user", required=True)
    c.add_argument("--password-stdin", action="store_true")
    c.add_argument(
        "--ca-file", type=Path, help=bi("tệp chứng chỉ (CA) của tỉnh", "the province's CA certificate file")
    )
    c.add_argument(
        "--retries",
        type=int,
        default=None,
        metavar="N",
        help=bi("số lần thử lại khi lỗi mạng", "retries after a network error"),
    )

    c = cmd("setup", bi("cài đặt lần đầu không cần mạng", "offline first run"))
    ssub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    s = cmd("import", bi("nhập gói cài đặt (.dttssetup)", "import a setup package (.dttssetup)"), ssub)
    s.add_argument("file", type=Path)

    c = cmd("catalog", bi("danh mục chỉ tiêu", "the indicator catalogue"))
    csub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    s = cmd("import", bi("nạp danh mục từ tệp Excel hoặc JSON", "load a catalogue workbook or JSON"), csub)
    s.add_argument("file", type=Path)

    c = cmd("values", bi("số liệu báo cáo", "report values"))
    vsub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    s = cmd(
        "set",
        bi("ghi số liệu: MÃ=GIÁ_TRỊ hoặc MÃ@PHÂN_TỔ=GIÁ_TRỊ", "set values: CODE=VALUE or CODE@DISAGG=VALUE"),
        vsub,
    )
    s.add_argument("--form", required=True)
    s.add_argument("--period", required=True)
    s.add_argument("assignments", nargs="+", metavar="CODE[@DISAGG]=VALUE")
    s = cmd(
        "show",
        bi(
            "xem số liệu, trạng thái, lỗi và cảnh báo của một báo cáo",
            "show a report's cells, state, errors and warnings",
        ),
        vsub,
    )
    s.add_argument("--form", required=True)
    s.add_argument("--period", required=True)
    s = cmd(
        "carry",
        bi(
            "lấy số kỳ trước cho các ô còn trống (đánh dấu đến khi xác nhận); không ghi --indicator: chỉ liệt kê",
            "copy last period's values into empty cells (marked until confirmed); without --indicator: list only",
        ),
        vsub,
    )
    s.add_argument("--form", required=True)
    s.add_argument("--period", required=True)
    s.add_argument(
        "--indicator",
        action="append",
        default=[],
        metavar="CODE",
        help=bi("mã chỉ tiêu cần lấy (dùng được nhiều lần; 'all': tất cả)", "indicator to copy (repeatable; 'all')"),
    )
    s = cmd(
        "confirm",
        bi(
            "xác nhận các ô đã lấy từ kỳ trước (bỏ đánh dấu): MÃ hoặc MÃ@PHÂN_TỔ; không ghi ô nào: tất cả",
            "confirm cells copied from last period (unmark): CODE or CODE@DISAGG; none given: all",
        ),
        vsub,
    )
    s.add_argument("--form", required=True)
    s.add_argument("--period", required=True)
    s.add_argument("cells", nargs="*", metavar="CODE[@DISAGG]")
    s = cmd("import", bi("nhập số liệu từ tệp Excel", "import values from an Excel workbook"), vsub)
    s.add_argument("file", type=Path)
    s.add_argument("--period")
    s.add_argument("--form")
    s.add_argument(
        "--yes",
        action="store_true",
        help=bi(
            "đồng ý nhập tệp của biểu/xã/kỳ khác", "confirm importing a file of another form/commune/period"
        ),
    )

    c = cmd(
        "finalize", bi("chốt báo cáo và đưa vào hàng chờ gửi", "finalize a report and queue it for sending")
    )
    c.add_argument("--form", required=True)
    c.add_argument("--period", required=True)
    c.add_argument(
        "--reason",
        action="append",
        default=[],
        metavar="RULE=TEXT",
        help=bi("lý do cho một cảnh báo (dùng được nhiều lần)", "reason for a warning (repeatable)"),
    )

    cmd(
        "status",
        bi(
            "hồ sơ, cơ sở dữ liệu, bản nháp, hàng chờ gửi, lần đồng bộ gần nhất, danh mục",
            "profile, database, drafts, outbox, last sync, catalogue",
        ),
    )
    c = cmd("sync", bi("gửi hàng chờ và nhận phản hồi một lần", "push the outbox and pull once"))
    c.add_argument(
        "--password-stdin",
        action="store_true",
        help=bi("khi máy không có kho khoá giữ đăng nhập", "where no keyring keeps the sign-in"),
    )
    c.add_argument(
        "--retries",
        type=int,
        default=None,
        metavar="N",
        help=bi("số lần thử lại khi lỗi mạng (mặc định 8)", "retries after a network error (default 8)"),
    )

    c = cmd("backup", bi("sao lưu có kiểm tra ra USB", "verified backups on USB"))
    bsub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name in ("export", "verify", "restore"):
        s = cmd(name, _BACKUP_HELP[name], bsub)
        s.add_argument("path", type=Path)
        if name == "restore":
            s.add_argument(
                "--yes",
                action="store_true",
                help=bi(
                    "đồng ý khôi phục bản sao lưu của xã khác", "confirm restoring another commune's backup"
                ),
            )

    c = cmd("courier", bi("gói chuyển tay", "courier bundles"))
    ksub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    s = cmd(
        "export", bi("ghi các bản nộp chưa gửi ra một gói", "write the unsent submissions to a bundle"), ksub
    )
    s.add_argument("path", type=Path)

    c = cmd("export", bi("xuất báo cáo ra Excel hoặc PDF", "the report in Excel or PDF"))
    c.add_argument("format", choices=("xlsx", "pdf"))
    c.add_argument("--form", required=True)
    c.add_argument("--period", required=True)
    c.add_argument("path", type=Path)
    return p


COMMANDS = (
    "login",
    "setup",
    "catalog",
    "values",
    "finalize",
    "status",
    "sync",
    "backup",
    "courier",
    "export",
)


def parse(args: list[str]) -> argparse.Namespace | int:
    """Parse ``args``; an int is the exit code of --help, --version or a usage error."""
    parser = build_parser()
    try:
        ns = parser.parse_args(args)
    except SystemExit as exc:  # argparse prints its own message
        return int(exc.code or 0)
    # None when not given: the CLI then speaks Vietnamese (or DTTS_LANG), the GUI the profile's language.
    ns.lang = getattr(ns, "lang", None)
    return ns


def resolve_data_dir(ns: argparse.Namespace) -> Path:
    """The profile folder of this run (see :mod:`dttsclient.appdirs`)."""
    from dttsclient.appdirs import resolve_dirs

    return resolve_dirs(ns.data_dir).data_dir


def execute(ns: argparse.Namespace, data_dir: Path) -> int:
    """Run one command; expected failures become a message on stderr and exit 1."""
    from dttscore.errors import DttsError

    ns.lang = ns.lang or os.environ.get("DTTS_LANG") or "vi"
    out = Output(lang=ns.lang, json_mode=ns.json)
    handler = _handler(ns)
    try:
        return handler(ns, data_dir, out)
    except DttsError as exc:
        logger.info("command %s failed: %s", ns.command, exc.text("en"))
        out.error(exc.text(ns.lang))
        return EXIT_FAILED
    except KeyboardInterrupt:
        out.error(out.t("Đã dừng theo yêu cầu.", "Stopped at your request."))
        return EXIT_FAILED


def _handler(ns: argparse.Namespace):
    from dttsclient.cli import report_cmds, usb_cmds

    key = ns.command if not getattr(ns, "action", None) else f"{ns.command} {ns.action}"
    if key in report_cmds.HANDLERS:
        return report_cmds.HANDLERS[key]
    if key in usb_cmds.HANDLERS:
        return usb_cmds.HANDLERS[key]
    if ns.command == "export":
        return usb_cmds.HANDLERS["export"]
    from dttsclient.cli import sync_cmds  # requests and keyring only for the commands that use them

    return sync_cmds.HANDLERS[key]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI alone (the composition root in ``__main__`` is the usual entry)."""
    ns = parse(list(sys.argv[1:] if argv is None else argv))
    if isinstance(ns, int):
        return ns
    return execute(ns, resolve_data_dir(ns))
