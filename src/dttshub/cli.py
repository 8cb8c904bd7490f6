"""The admin command line ``dttshub`` (docs/journeys.md).

Every command takes ``--db URL`` (default: ``$DTTSHUB_DB``, else ``hub.sqlite`` in the hub data
directory), ``--data-dir DIR`` (``$DTTSHUB_DATA_DIR``, else the per-user data directory; also where the
signing key lives), ``--key-file PATH``, ``--json`` (one JSON document on stdout) and ``--lang vi|en``
(messages in Vietnamese by default). Exit codes: 0 ok, 1 failed, 2 usage error, 3 nothing to do or
partly done (e.g. some bundle items rejected).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

from dttscore.cli.exits import EXIT_FAILED, EXIT_NOTHING, EXIT_OK, EXIT_USAGE
from dttscore.cli.output import Output
from dttscore.cli.usage import LocalizedParser, bi
from dttscore.errors import CatalogError, DttsError
from dttscore.formats.setup_package import key_fingerprint
from dttshub.config import ENVIRONMENTS, HubConfig
from dttshub.errors import ConfigError, HubError
from dttshub.scope import ALL_UNITS, Account
from dttshub.service import Hub, cli_account

logger = logging.getLogger(__name__)


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    d = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--db",
        default=d,
        metavar="URL",
        help=bi(
            "địa chỉ cơ sở dữ liệu (sqlite:///… hoặc postgresql://…)",
            "database URL (sqlite:///… or postgresql://…)",
        ),
    )
    parser.add_argument(
        "--data-dir", type=Path, default=d, help=bi("thư mục dữ liệu của máy chủ", "hub data directory")
    )
    parser.add_argument(
        "--key-file",
        type=Path,
        default=d,
        help=bi("tệp khoá ký Ed25519 của máy chủ", "the hub's Ed25519 signing key file"),
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help=bi("kết quả dạng JSON", "JSON output"),
    )
    parser.add_argument(
        "--lang",
        choices=("vi", "en"),
        default=d,
        help=bi("ngôn ngữ thông báo (mặc định vi)", "message language (default vi)"),
    )


def build_parser() -> argparse.ArgumentParser:
    p = LocalizedParser(
        prog="dttshub",
        description=bi("dttshub — máy chủ đồng bộ DTTS", "dttshub — the DTTS sync server (reference hub)"),
    )
    _common(p, suppress=False)
    common = LocalizedParser(add_help=False)
    _common(common, suppress=True)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def cmd(parent: Any, name: str, help_: str) -> argparse.ArgumentParser:
        return parent.add_parser(name, help=help_, parents=[common])

    c = cmd(sub, "serve", bi("chạy dịch vụ đồng bộ", "serve the sync API"))
    c.add_argument("--host", default="127.0.0.1")
    c.add_argument("--port", type=int, default=8080)
    c.add_argument("--environment", choices=ENVIRONMENTS, default="production", help=argparse.SUPPRESS)
    c.add_argument(
        "--public-url",
        help=bi(
            "địa chỉ ghi vào gói cài đặt (mặc định http://HOST:PORT)",
            "address written into setup packages (default http://HOST:PORT)",
        ),
    )
    c.add_argument(
        "--min-client-version",
        help=bi("dttsclient cũ hơn phiên bản này bị từ chối (426)", "older dttsclient versions get 426"),
    )
    c.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help=bi(
            "số tiến trình phục vụ (lớn hơn 1 chỉ với PostgreSQL)",
            "number of server processes (more than 1 only on PostgreSQL)",
        ),
    )

    c = cmd(sub, "db", bi("lược đồ cơ sở dữ liệu", "the database schema"))
    dsub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    cmd(
        dsub,
        "upgrade",
        bi("nâng cấp cơ sở dữ liệu lên lược đồ mới nhất", "upgrade the database to the newest schema"),
    )
    cmd(dsub, "current", bi("lược đồ hiện tại của cơ sở dữ liệu", "the database's current schema"))
    cmd(
        dsub,
        "new-generation",
        bi(
            "bắt đầu thế hệ dữ liệu mới sau khi khôi phục một bản sao lưu cũ (máy trạm gửi lại, nhận lại từ đầu)",
            "start a new database generation after restoring an older backup (clients resend and pull again)",
        ),
    )

    c = cmd(sub, "user", bi("tài khoản", "accounts"))
    usub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    u = cmd(usub, "add", bi("thêm tài khoản", "add an account"))
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=("officer", "reviewer", "admin"))
    u.add_argument(
        "--unit",
        required=True,
        help=bi(
            "mã xã (cán bộ), mã tỉnh hoặc * (người duyệt/quản trị)",
            "commune code (officer), province code or * (reviewer/admin)",
        ),
    )
    u.add_argument(
        "--password-stdin",
        action="store_true",
        help=bi("đọc mật khẩu từ stdin", "read the password from stdin"),
    )
    cmd(usub, "list", bi("liệt kê tài khoản", "list accounts"))
    u = cmd(
        usub,
        "disable",
        bi("khoá tài khoản và đăng xuất mọi thiết bị của nó", "lock an account and sign out all its devices"),
    )
    u.add_argument("name")
    u = cmd(usub, "enable", bi("mở khoá tài khoản", "unlock an account"))
    u.add_argument("name")
    u = cmd(
        usub,
        "password",
        bi(
            "đặt mật khẩu mới (mọi thiết bị phải đăng nhập lại)",
            "set a new password (every device signs in again)",
        ),
    )
    u.add_argument("name")
    u.add_argument(
        "--password-stdin",
        action="store_true",
        help=bi("đọc mật khẩu từ stdin", "read the password from stdin"),
    )

    c = cmd(sub, "catalog", bi("danh mục chỉ tiêu", "catalogues"))
    csub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    pub = cmd(
        csub, "publish", bi("ban hành danh mục (.xlsx hoặc .json)", "publish a catalogue (.xlsx or .json)")
    )
    pub.add_argument("file", type=Path)
    cmd(csub, "list", bi("liệt kê các phiên bản danh mục đã ban hành", "list published catalogue versions"))

    c = cmd(
        sub,
        "setup-package",
        bi("ghi gói cài đặt có chữ ký cho một tài khoản", "write a signed setup package for an account"),
    )
    c.add_argument("--user", required=True)
    c.add_argument(
        "--server-url",
        help=bi(
            "địa chỉ máy chủ cho máy cán bộ (mặc định: địa chỉ phục vụ gần nhất)",
            "hub address for the client (default: the address last served)",
        ),
    )
    c.add_argument("path", type=Path)

    c = cmd(sub, "courier", bi("gói chuyển tay", "courier bundles"))
    cosub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    imp = cmd(cosub, "import", bi("nhập gói chuyển tay (.dttsgoi)", "import a courier bundle (.dttsgoi)"))
    imp.add_argument("path", type=Path)

    c = cmd(
        sub,
        "review",
        bi(
            "chấp nhận hoặc trả lại báo cáo (chấp nhận nhiều báo cáo một lúc: nhiều --unit hoặc --province)",
            "accept or return a report (accept many at once: several --unit or --province)",
        ),
    )
    c.add_argument("decision", choices=("accept", "return"))
    c.add_argument(
        "--unit",
        action="append",
        help=bi(
            "mã xã; lặp lại để chấp nhận nhiều báo cáo (bỏ qua báo cáo có lỗi, xung đột)",
            "commune code; repeat to accept several reports (those with errors or conflicts are skipped)",
        ),
    )
    c.add_argument(
        "--province",
        help=bi(
            "chấp nhận mọi báo cáo đã nhận, chưa chấp nhận của tỉnh này (hoặc * cho cả nước)",
            "accept every received report of this province not yet accepted (or * for all)",
        ),
    )
    c.add_argument("--form", required=True)
    c.add_argument("--period", required=True)
    c.add_argument(
        "--comment",
        default="",
        help=bi(
            "ý kiến gửi cán bộ xã (khi trả lại: nói rõ cần sửa gì)",
            "comment sent to the commune officer (on return: say what to fix)",
        ),
    )
    c.add_argument(
        "--submission",
        help=bi("lấy bản nộp này làm bản của báo cáo", "make this stored submission the report's version"),
    )
    c.add_argument(
        "--by",
        help=bi(
            "tên người duyệt được ghi lại (mặc định cli:<người dùng>)",
            "reviewer name recorded (default cli:<OS user>)",
        ),
    )

    c = cmd(
        sub,
        "completeness",
        bi("đơn vị nào đã gửi, đúng hạn, được chấp nhận", "which units have reported, on time, accepted"),
    )
    c.add_argument("--form", required=True)
    c.add_argument("--period", required=True)
    c.add_argument("--province", help=bi("mã tỉnh (mặc định: cả nước)", "province code (default: all)"))

    c = cmd(sub, "reports", bi("các báo cáo máy chủ đang giữ", "what the hub holds"))
    c.add_argument("--unit")
    c.add_argument("--form")
    c.add_argument("--period")

    c = cmd(
        sub,
        "totals",
        bi("số liệu tổng hợp của tỉnh cho một biểu và kỳ", "province totals of a form and period"),
    )
    c.add_argument("--form", required=True)
    c.add_argument("--period", required=True)
    c.add_argument(
        "--province",
        help=bi("mã tỉnh 2 chữ số, hoặc * (mặc định: cả nước)", "2-digit province code, or * (default: all)"),
    )
    c.add_argument(
        "--accepted-only",
        action="store_true",
        help=bi("chỉ cộng các bản đã được chấp nhận", "add up accepted revisions only"),
    )
    c.add_argument(
        "--periods",
        type=int,
        metavar="N",
        help=bi("xu hướng: N kỳ gần nhất đến kỳ đã chọn", "trend: the last N periods up to the chosen one"),
    )

    c = cmd(
        sub,
        "export",
        bi(
            "xuất số liệu một biểu, một kỳ (Excel, CSV, DHIS2, ADX)",
            "export a form and period (Excel, CSV, DHIS2, ADX)",
        ),
    )
    c.add_argument("--form", required=True)
    c.add_argument("--period", required=True)
    c.add_argument(
        "--province",
        help=bi("mã tỉnh 2 chữ số, hoặc * (mặc định: cả nước)", "2-digit province code, or * (default: all)"),
    )
    c.add_argument("--format", required=True, choices=("xlsx", "csv", "dvs", "adx"), dest="fmt")
    c.add_argument(
        "--accepted-only",
        action="store_true",
        help=bi("chỉ cộng các bản đã được chấp nhận", "add up accepted revisions only"),
    )
    c.add_argument("path", type=Path, help=bi("tệp hoặc thư mục đích", "target file or folder"))

    c = cmd(
        sub,
        "unit",
        bi("cơ quan cấp tỉnh báo cáo (ngoài các xã)", "province agencies that report (besides communes)"),
    )
    unsub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    u = cmd(
        unsub, "add", bi("thêm cơ quan báo cáo (ví dụ 19-SGDDT)", "add a reporting agency (e.g. 19-SGDDT)")
    )
    u.add_argument("code")
    u.add_argument("--name", required=True, help=bi("tên cơ quan", "the agency's name"))
    u.add_argument("--province", required=True, help=bi("mã tỉnh 2 chữ số", "2-digit province code"))
    u = cmd(unsub, "list", bi("liệt kê các cơ quan báo cáo", "list the reporting agencies"))
    u.add_argument("--province", help=bi("chỉ của tỉnh này", "of this province only"))
    u = cmd(
        unsub, "disable", bi("ngừng một cơ quan (giữ số liệu đã gửi)", "disable an agency (its reports stay)")
    )
    u.add_argument("code")
    u = cmd(unsub, "enable", bi("dùng lại một cơ quan đã ngừng", "enable a disabled agency again"))
    u.add_argument("code")

    c = cmd(
        sub,
        "legacy",
        bi("số liệu cũ theo danh mục xã trước 01/07/2025", "data keyed by the communes before 01/07/2025"),
    )
    lsub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    u = cmd(
        lsub,
        "import",
        bi(
            "nhập bảng dài (.xlsx, .csv) qua bảng chuyển đổi 2025",
            "import a long table (.xlsx, .csv) through the 2025 crosswalk",
        ),
    )
    u.add_argument("file", type=Path)
    u.add_argument(
        "--unit-list",
        required=True,
        help=bi("danh mục mã xã của tệp (vn-pre-2025)", "the file's commune code list (vn-pre-2025)"),
    )
    u.add_argument(
        "--eth-system",
        default="",
        help=bi(
            "hệ mã dân tộc của tệp (mặc định: của danh mục, gso-1979)",
            "the file's ethnic code system (default: the catalogue's, gso-1979)",
        ),
    )
    u.add_argument(
        "--crosswalk",
        type=Path,
        help=bi(
            "bảng chuyển đổi khác (cùng dạng crosswalk_2025.csv)",
            "another crosswalk (shaped like crosswalk_2025.csv)",
        ),
    )

    u = cmd(
        lsub,
        "show",
        bi(
            "số liệu cũ và số liệu điều tra đã nhập của một đơn vị (chỉ đọc)",
            "the legacy and survey values imported for a unit (read-only)",
        ),
    )
    u.add_argument("--unit", required=True)
    u.add_argument("--form")

    c = cmd(sub, "baseline", bi("số liệu điều tra làm mốc so sánh", "survey figures as a baseline"))
    bsub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    u = cmd(
        bsub,
        "import",
        bi("nhập số liệu điều tra (bảng dài .xlsx, .csv)", "import survey figures (long table .xlsx, .csv)"),
    )
    u.add_argument("file", type=Path)
    u.add_argument("--survey", required=True, help=bi("tên cuộc điều tra", "the survey's name"))
    u.add_argument(
        "--eth-system",
        default="",
        help=bi(
            "hệ mã dân tộc của tệp (mặc định: của danh mục, gso-1979)",
            "the file's ethnic code system (default: the catalogue's, gso-1979)",
        ),
    )
    u.add_argument(
        "--reference-date",
        required=True,
        help=bi("ngày tham chiếu (NĂM-THÁNG-NGÀY)", "reference date (YYYY-MM-DD)"),
    )
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``dttshub`` console script; returns the exit code (a closed pipe: 141, quietly)."""
    from dttscore.cli.pipes import run_quietly

    return run_quietly(lambda: _main(argv))


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out = Output(args.lang or "vi", bool(args.json))
    logging.basicConfig(
        level=logging.INFO if args.command == "serve" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return COMMANDS[args.command](args, out)
    except CatalogError as exc:
        out.error(exc.text(out.lang))
        if out.json_mode:
            problems = [{"message_vi": p.text("vi"), "message_en": p.text("en")} for p in exc.problems]
            out.result({"ok": False, "error": {"code": "catalog_invalid", "problems": problems}})
        return EXIT_FAILED
    except DttsError as exc:
        out.error(exc.text(out.lang))
        if out.json_mode:
            code = exc.code if isinstance(exc, HubError) else "error"
            out.result(
                {
                    "ok": False,
                    "error": {"code": code, "message_vi": exc.message_vi, "message_en": exc.message_en},
                }
            )
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_FAILED


def _config(args: argparse.Namespace, **extra: Any) -> HubConfig:
    return HubConfig(db_url=args.db, data_dir=args.data_dir, key_file=args.key_file, **extra)


def _open(args: argparse.Namespace, **extra: Any) -> Hub:
    return Hub(_config(args, **extra))


def cmd_serve(args: argparse.Namespace, out: Output) -> int:
    import uvicorn

    from dttshub.app import create_app
    from dttshub.workers import settle_heap

    extra: dict[str, Any] = {"environment": args.environment}
    if args.min_client_version:
        extra["min_client_version"] = args.min_client_version
    if args.public_url:
        extra["public_url"] = args.public_url
    config = _config(args, **extra)
    if args.workers < 1:
        out.error(out.t("--workers phải từ 1 trở lên.", "--workers must be 1 or more."))
        return EXIT_USAGE
    if args.workers > 1 and config.resolved_db_url().startswith("sqlite"):
        out.error(
            out.t(
                f"Không chạy được {args.workers} tiến trình trên SQLite: SQLite chỉ cho một tiến trình ghi "
                "tại một thời điểm, nên các tiến trình sẽ phải chờ nhau và yêu cầu bị quá hạn. Với SQLite hãy "
                "chạy một tiến trình (bỏ --workers); muốn nhiều tiến trình hãy dùng PostgreSQL "
                "(--db postgresql://…, xem docs/deploy.md).",
                f"Cannot run {args.workers} processes on SQLite: SQLite lets one process write at a time, so "
                "the processes would wait for each other and requests would time out. With SQLite run one "
                "process (leave out --workers); for several processes use PostgreSQL "
                "(--db postgresql://…, see docs/deploy.md).",
            )
        )
        return EXIT_USAGE
    hub = Hub(config)  # creates or upgrades the schema, or refuses a database of a newer dttshub
    try:
        hub.set_meta("public_url", args.public_url or f"http://{args.host}:{args.port}")
        hub.signer  # noqa: B018 - make the signing key now, not at the first request
        out.error(
            out.t(
                f"dttshub {hub.server_id} ({args.environment}) phục vụ tại http://{args.host}:{args.port}"
                + (f" với {args.workers} tiến trình" if args.workers > 1 else ""),
                f"dttshub {hub.server_id} ({args.environment}) serving at http://{args.host}:{args.port}"
                + (f" with {args.workers} processes" if args.workers > 1 else ""),
            )
        )
        if args.workers > 1:
            hub.close()
            return _serve_workers(args, config)
        app = create_app(config, hub=hub)
        server = uvicorn.Server(
            uvicorn.Config(
                app,
                host=args.host,
                port=args.port,
                log_config=None,
                lifespan="off",
                ws="none",
            server_header=False,  # no "server: uvicorn" on every reply (bytes over 2G, and less to fingerprint)
                timeout_graceful_shutdown=10,
            )
        )
        # uvicorn handles SIGINT/SIGTERM itself (graceful shutdown), then raises the signal again with the
        # previous handler in place: make that handler end the process normally.
        signal.signal(signal.SIGTERM, _interrupt)
        settle_heap()
        with contextlib.suppress(KeyboardInterrupt):
            server.run()
        return EXIT_OK if server.started else EXIT_FAILED
    finally:
        hub.close()


def _serve_workers(args: argparse.Namespace, config: HubConfig) -> int:
    """uvicorn's supervisor: ``args.workers`` processes share the socket, each opens the hub itself."""
    import uvicorn

    from dttshub.workers import ENV_CONFIG, worker_environment

    os.environ[ENV_CONFIG] = worker_environment(config)
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(
            "dttshub.workers:create_worker_app",
            factory=True,
            workers=args.workers,
            host=args.host,
            port=args.port,
            log_config=None,
            lifespan="off",
            ws="none",
            timeout_graceful_shutdown=10,
        )
    # the workers are gone: write the high-water file one last time (dttshub.generation)
    with contextlib.suppress(ConfigError):
        Hub(config).close()
    return EXIT_OK


def _new_generation(config: HubConfig, out: Output) -> int:
    """``dttshub db new-generation``: after a restore the hub could not see (dttshub.generation)."""
    hub = Hub(config)  # opening the hub already starts one when the high-water file shows the restore
    try:
        state = hub.generation_state
        if not state.started:
            state = hub.new_generation("requested: dttshub db new-generation")
        doc = {"ok": True, "generation": state.generation, "previous": state.previous, "reason": state.reason}
        out.result(
            doc,
            out.t(
                f"Đã bắt đầu thế hệ dữ liệu mới {state.generation} (trước đó: {state.previous or '-'}). Số biên "
                "nhận mới sẽ không trùng số đã cấp; các máy trạm sẽ nhận lại dữ liệu từ đầu và gửi lại báo cáo "
                "máy chủ không còn giữ ở lần đồng bộ tới.",
                f"Started the new database generation {state.generation} (was {state.previous or '-'}). New "
                "receipt numbers will not repeat any issued before; at their next sync the clients pull "
                "everything again and resend the reports the hub no longer holds.",
            ),
        )
        return EXIT_OK
    finally:
        hub.close()


def cmd_db(args: argparse.Namespace, out: Output) -> int:
    from dttshub.db import Database

    config = _config(args)
    if args.action == "new-generation":
        return _new_generation(config, out)
    database = Database(config.resolved_db_url(), config.sqlite_synchronous)
    try:
        if args.action == "current":
            now = database.schema_state()
            texts = {
                "current": ("đã là lược đồ mới nhất", "the newest schema"),
                "behind": ("cần nâng cấp: dttshub db upgrade", "needs an upgrade: dttshub db upgrade"),
                "legacy": (
                    "tạo trước khi có nâng cấp lược đồ; cần nâng cấp: dttshub db upgrade",
                    "made before schema migrations; needs an upgrade: dttshub db upgrade",
                ),
                "empty": ("chưa có bảng nào", "no tables yet"),
                "newer": (
                    "thuộc phiên bản dttshub mới hơn; hãy cài phiên bản đó",
                    "belongs to a newer dttshub; install that version",
                ),
            }[now.status]
            doc = {"ok": True, "status": now.status, "revision": now.revision, "head": now.head}
            out.result(
                doc,
                out.t(
                    f"Lược đồ: {now.revision or '-'} (mới nhất: {now.head}) — {texts[0]}.",
                    f"Schema: {now.revision or '-'} (newest: {now.head}) — {texts[1]}.",
                ),
            )
            return EXIT_OK if now.status in ("current", "behind", "legacy", "empty") else EXIT_FAILED
        before, after = database.create_schema()
        doc = {"ok": True, "from": before.revision, "from_status": before.status, "to": after.revision}
        if before.status == "current":
            out.result(
                doc,
                out.t(
                    f"Cơ sở dữ liệu đã ở lược đồ mới nhất ({after.revision}); không có gì thay đổi.",
                    f"The database is already at the newest schema ({after.revision}); nothing changed.",
                ),
            )
            return EXIT_NOTHING
        out.result(
            doc,
            out.t(
                f"Đã nâng cấp cơ sở dữ liệu: {before.revision or before.status} → {after.revision}.",
                f"Database upgraded: {before.revision or before.status} → {after.revision}.",
            ),
        )
        return EXIT_OK
    finally:
        database.dispose()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _read_password(args: argparse.Namespace, out: Output) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(out.t("Mật khẩu: ", "Password: "))
    again = getpass.getpass(out.t("Nhập lại mật khẩu: ", "Repeat the password: "))
    if first != again:
        raise HubError("password_mismatch", "Hai lần nhập mật khẩu không khớp.", "The two passwords differ.")
    return first


def cmd_user(args: argparse.Namespace, out: Output) -> int:
    hub = _open(args)
    try:
        if args.action == "list":
            users = hub.accounts.list_users()
            locked = out.t("\tđã khoá", "\tdisabled")
            text = "\n".join(
                f"{u['username']}\t{u['role']}\t{u['unit']}{locked if u['disabled'] else ''}" for u in users
            )
            out.result({"ok": True, "users": users}, text or out.t("Chưa có tài khoản.", "No accounts yet."))
            return EXIT_OK
        if args.action == "disable":
            revoked = hub.accounts.set_disabled(args.name, True)
            out.result(
                {"ok": True, "username": args.name, "disabled": True, "tokens_revoked": revoked},
                out.t(
                    f"Đã khoá tài khoản {args.name}; {revoked} phiên đăng nhập bị huỷ.",
                    f"Account {args.name} disabled; {revoked} sign-in(s) revoked.",
                ),
            )
            return EXIT_OK
        if args.action == "enable":
            hub.accounts.set_disabled(args.name, False)
            out.result(
                {"ok": True, "username": args.name, "disabled": False, "tokens_revoked": 0},
                out.t(f"Đã mở khoá tài khoản {args.name}.", f"Account {args.name} enabled."),
            )
            return EXIT_OK
        password = _read_password(args, out)
        if args.action == "password":
            revoked = hub.accounts.set_password(args.name, password)
            out.result(
                {"ok": True, "username": args.name, "tokens_revoked": revoked},
                out.t(
                    f"Đã đổi mật khẩu của {args.name}; các máy phải đăng nhập lại ({revoked} phiên bị huỷ).",
                    f"Password of {args.name} changed; devices must sign in again ({revoked} revoked).",
                ),
            )
            return EXIT_OK
        account = hub.accounts.add_user(args.name, args.role, args.unit, password)
        doc = {"ok": True, "username": account.username, "role": account.role, "unit": account.unit}
        out.result(
            doc,
            out.t(
                f"Đã tạo tài khoản {account.username} ({account.role}, {account.unit}).",
                f"Account {account.username} created ({account.role}, {account.unit}).",
            ),
        )
        return EXIT_OK
    finally:
        hub.close()


def cmd_catalog(args: argparse.Namespace, out: Output) -> int:
    from dttscore.catalog import load_catalog

    hub = _open(args)
    try:
        if args.action == "list":
            versions = hub.catalogs.versions()
            text = "\n".join(f"{v['catalog_id']}\tv{v['version']}\t{v['published_at']}" for v in versions)
            out.result(
                {"ok": True, "catalogs": versions}, text or out.t("Chưa có danh mục.", "No catalogue yet.")
            )
            return EXIT_OK
        catalog = load_catalog(args.file)
        result = hub.catalogs.publish(catalog, by=cli_account().username)
        doc = {
            "ok": True,
            "published": result.published,
            "catalog_id": result.catalog_id,
            "version": result.version,
            "etag": result.etag,
            "sample": catalog.sample,
        }
        if not result.published:
            out.result(
                doc,
                out.t(
                    f"Danh mục {result.catalog_id} v{result.version} đã được công bố trước đó; không có gì thay đổi.",
                    f"Catalogue {result.catalog_id} v{result.version} was already published; nothing changed.",
                ),
            )
            return EXIT_NOTHING
        out.result(
            doc,
            out.t(
                f"Đã công bố danh mục {result.catalog_id} phiên bản {result.version}.",
                f"Published catalogue {result.catalog_id} version {result.version}.",
            ),
        )
        return EXIT_OK
    finally:
        hub.close()


def cmd_setup_package(args: argparse.Namespace, out: Output) -> int:
    hub = _open(args)
    try:
        account = hub.accounts.get_user(args.user)
        data = hub.setup_package(account, args.server_url)
        path: Path = args.path
        tmp = path.with_name(path.name + ".tmp")
        try:
            with open(tmp, "wb") as fh:  # temporary name, flushed to the disk, then renamed
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            tmp.replace(path)
        except OSError as exc:
            raise ConfigError(
                "write_failed", f"Không ghi được tệp {path}: {exc}", f"Cannot write the file {path}: {exc}"
            ) from exc
        doc = {
            "ok": True,
            "path": str(path),
            "user": account.username,
            "signing_key": hub.signer.public_key_b64,
            "key_fingerprint": key_fingerprint(hub.signer.public_key_b64),
        }
        fingerprint = doc["key_fingerprint"]
        out.result(
            doc,
            out.t(
                f"Đã ghi gói cài đặt {path}.\nMã nhận diện máy chủ: {fingerprint} (cán bộ xã đọc lại mã này "
                "khi cài đặt để đối chiếu).\nDòng cho tệp hub-keys.txt: "
                f"{hub.signer.public_key_b64}  # {fingerprint}",
                f"Setup package written to {path}.\nServer fingerprint: {fingerprint} (the commune officer reads "
                "it back when setting up, to compare).\nLine for hub-keys.txt: "
                f"{hub.signer.public_key_b64}  # {fingerprint}",
            ),
        )
        return EXIT_OK
    finally:
        hub.close()


def cmd_courier(args: argparse.Namespace, out: Output) -> int:
    try:
        data = args.path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            "read_failed",
            f"Không đọc được tệp {args.path}: {exc}",
            f"Cannot read the file {args.path}: {exc}",
        ) from exc
    hub = _open(args)
    try:
        result = hub.import_bundle(cli_account(), data)
    finally:
        hub.close()
    counts: dict[str, int] = {}
    for r in result["results"]:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    lines = [f"{r['submission_id']}\t{r['status']}\t{r['receipt_no'] or ''}" for r in result["results"]]
    for r in result["results"]:
        for e in r["errors"]:
            lines.append(
                f"  {r['submission_id']}: {e['message_en'] if out.lang == 'en' else e['message_vi']}"
            )
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or out.t("gói rỗng", "empty bundle")
    out.result({"ok": True, "counts": counts, **result}, "\n".join([*lines, summary]))
    stored = counts.get("accepted", 0) + counts.get("late", 0)
    if counts.get("rejected") or counts.get("conflict") or stored == 0:
        return EXIT_NOTHING
    return EXIT_OK


def cmd_review(args: argparse.Namespace, out: Output) -> int:
    units = args.unit or []
    if bool(units) == bool(args.province) or (len(units) != 1 and args.decision != "accept"):
        out.error(
            out.t(
                "Cần đúng một --unit; chỉ khi chấp nhận mới dùng được nhiều --unit hoặc --province.",
                "Give exactly one --unit; only accept takes several --unit or --province.",
            )
        )
        return EXIT_USAGE
    hub = _open(args)
    try:
        account = cli_account()
        if args.by:
            account = Account(args.by[:64], "admin", ALL_UNITS, "cli")
        if len(units) != 1:
            return _bulk_accept(hub, account, args, out)
        report = hub.reviews.review(
            account, units[0], args.form, args.period, args.decision, args.comment, args.submission
        )
    finally:
        hub.close()
    args.unit = units[0]
    out.result(
        {"ok": True, "report": report},
        out.t(
            f"Báo cáo {args.form} {args.period} của {args.unit}: {report['status']} (phiên bản máy chủ "
            f"{report['server_revision']}).",
            f"Report {args.form} {args.period} of {args.unit}: {report['status']} (server revision "
            f"{report['server_revision']}).",
        ),
    )
    return EXIT_OK


def _bulk_accept(hub: Hub, account: Account, args: argparse.Namespace, out: Output) -> int:
    """``review accept`` with several --unit or a --province: accept what can be, name the rest."""
    units = list(args.unit or [])
    if args.province:
        done = hub.completeness(account, args.form, args.period, args.province)
        units = [u.unit for u in done.units if u.state not in ("not_sent", "accepted")]
    result = hub.reviews.bulk_accept(account, [(u, args.form, args.period) for u in units], args.comment)
    lines = [out.t("Đã chấp nhận:", "Accepted:")] if result["accepted"] else []
    lines += [f"  {r['unit']}\t{r['status']}\t{r['server_revision']}" for r in result["accepted"]]
    if result["skipped"]:
        lines.append(out.t("Không chấp nhận:", "Not accepted:"))
    for s in result["skipped"]:
        lines.append(
            f"  {s['unit']}\t{s['reason']}\t{s['message_en'] if out.lang == 'en' else s['message_vi']}"
        )
        for p in s["problems"]:
            lines.append(
                f"      {p['code']} {p['indicator']}: {p['message_en' if out.lang == 'en' else 'message_vi']}"
            )
    lines.append(
        out.t(
            f"{len(result['accepted'])} báo cáo được chấp nhận, {len(result['skipped'])} báo cáo để lại.",
            f"{len(result['accepted'])} report(s) accepted, {len(result['skipped'])} left.",
        )
    )
    out.result({"ok": True, **result}, "\n".join(lines))
    if not result["accepted"]:
        return EXIT_NOTHING
    return EXIT_NOTHING if result["skipped"] else EXIT_OK


def cmd_completeness(args: argparse.Namespace, out: Output) -> int:
    from dttshub.completeness import STATE_LABELS

    hub = _open(args)
    try:
        done = hub.completeness(cli_account(), args.form, args.period, args.province)
    finally:
        hub.close()
    doc = done.to_json()
    lang = 1 if out.lang == "en" else 0
    lines = [
        out.t(
            f"Biểu {done.form} kỳ {done.period} — hạn nộp {done.deadline:%d/%m/%Y} — phạm vi {done.scope}",
            f"Form {done.form} period {done.period} — due {done.deadline:%d/%m/%Y} — scope {done.scope}",
        ),
        out.t(
            f"Phải nộp {done.expected} · đã nhận {done.received} ({doc['rates']['received']}%) · đúng hạn "
            f"{done.on_time} ({doc['rates']['on_time']}%) · muộn {done.late} · đã chấp nhận {done.accepted} "
            f"({doc['rates']['accepted']}%)",
            f"Expected {done.expected} · received {done.received} ({doc['rates']['received']}%) · on time "
            f"{done.on_time} ({doc['rates']['on_time']}%) · late {done.late} · accepted {done.accepted} "
            f"({doc['rates']['accepted']}%)",
        ),
        out.t(
            "mã\ttên\ttrạng thái\tnhận lúc\tbiên nhận\tphiên bản\tliên lạc gần nhất",
            "unit\tname\tstate\treceived\treceipt\trevision\tlast seen",
        ),
    ]
    for u in done.units:
        lines.append(
            f"{u.unit}\t{u.name}\t{STATE_LABELS[u.state][lang]}\t{(u.received_at or '')[:16]}\t"
            f"{u.receipt_no or ''}\t{u.server_revision or ''}\t{(u.last_seen or '')[:16]}"
        )
    out.result({"ok": True, **doc}, "\n".join(lines))
    return EXIT_OK


def cmd_reports(args: argparse.Namespace, out: Output) -> int:
    hub = _open(args)
    try:
        rows = hub.reports(cli_account(), args.unit, args.form, args.period)
    finally:
        hub.close()
    header = out.t(
        "đơn vị\tbiểu\tkỳ\tphiên bản\ttrạng thái\tbiên nhận", "unit\tform\tperiod\trevision\tstate\treceipt"
    )
    lines = [
        f"{r['unit']}\t{r['form']}\t{r['period']}\t{r['server_revision']}\t{r['status']}\t{r['latest_receipt_no'] or ''}"
        for r in rows
    ]
    text = (
        "\n".join([header, *lines])
        if rows
        else out.t("Máy chủ chưa có báo cáo nào.", "The hub holds no reports.")
    )
    out.result({"ok": True, "reports": rows}, text)
    return EXIT_OK


def _totals_text(out: Output, doc: dict) -> str:
    where = out.t("cả nước", "all provinces") if doc["scope"] == ALL_UNITS else doc["scope"]
    head = out.t(
        f"Tổng hợp {doc['form']} kỳ {doc['period']} ({where}): {doc['units_included']}/{doc['units_expected']} "
        f"xã có số liệu{' (chỉ bản đã chấp nhận)' if doc['accepted_only'] else ''}.",
        f"Totals of {doc['form']} for {doc['period']} ({where}): {doc['units_included']}/"
        f"{doc['units_expected']} communes with data{' (accepted revisions only)' if doc['accepted_only'] else ''}.",
    )
    if doc.get("legacy_units"):
        files = ", ".join(doc["legacy_sources"])
        head += " " + out.t(
            f"Gồm số liệu cũ (nhập từ tệp {files}, quy đổi theo danh mục xã 2025) của {doc['legacy_units']} xã "
            "chưa có báo cáo.",
            f"Includes legacy data (imported from {files}, mapped onto the 2025 commune list) of "
            f"{doc['legacy_units']} communes with no report.",
        )
    header = out.t("chỉ tiêu\tphân tổ\tgiá trị\tsố xã", "indicator\tdisaggregation\tvalue\tcommunes")
    lines = [
        f"{c['code']}\t{c['disagg']}\t{c['value'] if c['value'] is not None else ''}\t{c['units']}"
        for c in doc["cells"]
    ]
    return "\n".join([head, header, *lines])


def cmd_totals(args: argparse.Namespace, out: Output) -> int:
    from dttshub.totals import resolve_scope, totals_json

    hub = _open(args)
    try:
        scope = resolve_scope(cli_account(), args.province)
        if args.periods is None:
            totals = [hub.totals.totals(args.form, args.period, scope, accepted_only=args.accepted_only)]
        else:
            totals = hub.totals.trends(
                args.form, args.period, scope, periods=args.periods, accepted_only=args.accepted_only
            )
    finally:
        hub.close()
    docs = [totals_json(t) for t in totals]
    text = "\n\n".join(_totals_text(out, d) for d in docs)
    if args.periods is None:
        out.result({"ok": True, **docs[0]}, text)
    else:
        out.result({"ok": True, "form": args.form, "scope": scope, "periods": docs}, text)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: Output) -> int:
    from dttshub import exports

    hub = _open(args)
    try:
        data = exports.gather(
            hub, cli_account(), args.form, args.period, args.province, accepted_only=args.accepted_only
        )
    finally:
        hub.close()
    try:
        target = exports.write_export(data, args.fmt, args.path)
    except OSError as exc:
        out.error(
            out.t(
                f"Không ghi được tệp {args.path}: {exc.strerror or exc}. Hãy chọn thư mục khác hoặc giải phóng "
                "chỗ trống rồi thử lại.",
                f"Could not write {args.path}: {exc.strerror or exc}. Choose another folder or free some "
                "space, then try again.",
            )
        )
        if out.json_mode:
            out.result({"ok": False, "error": {"code": "write_failed", "message_en": str(exc)}})
        return EXIT_FAILED
    totals = data.totals
    doc = {
        "ok": True,
        "path": str(target),
        "format": args.fmt,
        "form": totals.form,
        "period": totals.period,
        "scope": totals.scope,
        "units_expected": len(totals.units_expected),
        "units_included": len(totals.units_included),
    }
    out.result(
        doc,
        out.t(
            f"Đã xuất {target} ({len(totals.units_included)}/{len(totals.units_expected)} xã có số liệu).",
            f"Exported {target} ({len(totals.units_included)}/{len(totals.units_expected)} communes reported).",
        ),
    )
    return EXIT_OK


def cmd_unit(args: argparse.Namespace, out: Output) -> int:
    hub = _open(args)
    try:
        if args.action == "list":
            agencies = hub.units.list(args.province)
            off = out.t("\tđã ngừng", "\tdisabled")
            text = "\n".join(f"{a.code}\t{a.province}\t{a.name}{off if a.disabled else ''}" for a in agencies)
            out.result(
                {"ok": True, "units": [a.to_json() for a in agencies]},
                text or out.t("Chưa có cơ quan nào.", "No agencies yet."),
            )
            return EXIT_OK
        if args.action == "add":
            agency = hub.units.add(args.code, args.name, args.province)
            out.result(
                {"ok": True, "unit": agency.to_json()},
                out.t(
                    f"Đã thêm cơ quan {agency.code} ({agency.name}) của tỉnh {agency.province}.",
                    f"Agency {agency.code} ({agency.name}) of province {agency.province} added.",
                ),
            )
            return EXIT_OK
        agency = hub.units.set_disabled(args.code, args.action == "disable")
        out.result(
            {"ok": True, "unit": agency.to_json()},
            out.t(f"Đã ngừng cơ quan {agency.code}.", f"Agency {agency.code} disabled.")
            if agency.disabled
            else out.t(f"Đã dùng lại cơ quan {agency.code}.", f"Agency {agency.code} enabled."),
        )
        return EXIT_OK
    finally:
        hub.close()


def _import_result(out: Output, doc: dict) -> None:
    lines = [
        out.t(
            f"Đã nhập {doc['values_stored']} giá trị từ {doc['source']} (lần nhập #{doc['import_id']}).",
            f"Imported {doc['values_stored']} values from {doc['source']} (import #{doc['import_id']}).",
        )
    ]
    for p in doc.get("partial", []):
        lines.append(
            out.t(
                f"  Xã cũ {p['unit']} {p['name']} bị chia cho {', '.join(p['new_units'])}: {p['values']} giá trị "
                "giữ theo xã cũ (không chia được khi không có trọng số).",
                f"  Old commune {p['unit']} {p['name']} was split between {', '.join(p['new_units'])}: "
                f"{p['values']} values stay on the old unit (cannot be apportioned without weights).",
            )
        )
    for p in doc.get("incomplete", []):
        lines.append(
            out.t(
                f"  Xã {p['unit']} {p['name']}: tổng còn thiếu phần của xã cũ "
                f"{', '.join(p['missing_old_units']) or '(xã bị chia)'}.",
                f"  Commune {p['unit']} {p['name']}: the sum lacks old commune(s) "
                f"{', '.join(p['missing_old_units']) or '(split communes)'}.",
            )
        )
    if doc.get("not_sum_units"):
        lines.append(
            out.t(
                f"  {len(doc['not_sum_units'])} xã cũ có chỉ tiêu không cộng được: giữ theo xã cũ.",
                f"  {len(doc['not_sum_units'])} old communes have indicators that do not add up: kept per old unit.",
            )
        )
    out.result(doc, "\n".join(lines))


def _import_refused(out: Output, exc) -> int:
    out.error(exc.text(out.lang))
    if out.json_mode:
        out.result(
            {
                "ok": False,
                "error": {"code": exc.code, "message_vi": exc.message_vi, "message_en": exc.message_en},
                "problems": [p.to_json() for p in exc.problems],
                "problem_count": exc.total,
            }
        )
    return EXIT_FAILED


def cmd_legacy(args: argparse.Namespace, out: Output) -> int:
    from dttshub.longtable import TableRefused

    hub = _open(args)
    if args.action == "show":
        from dttshub.legacy import historical

        try:
            values = historical(hub.db, unit=args.unit, form=args.form)
        finally:
            hub.close()
        text = "\n".join(
            f"{v['series']}\t{v['unit_list']}\t{v['form']}\t{v['period']}\t{v['indicator']}\t{v['disagg']}\t"
            f"{v['value']}\t{v['flag']}\t{v['source']}"
            for v in values
        )
        out.result(
            {"ok": True, "values": values}, text or out.t("Không có số liệu đã nhập.", "No imported values.")
        )
        return EXIT_OK
    try:
        doc = hub.import_legacy(
            args.file, args.unit_list, cli_account().username, args.crosswalk, args.eth_system
        )
    except TableRefused as exc:
        return _import_refused(out, exc)
    finally:
        hub.close()
    _import_result(out, doc)
    return EXIT_OK


def cmd_baseline(args: argparse.Namespace, out: Output) -> int:
    from dttshub.longtable import TableRefused

    hub = _open(args)
    try:
        doc = hub.import_baseline(
            args.file, args.survey, args.reference_date, cli_account().username, args.eth_system
        )
    except TableRefused as exc:
        return _import_refused(out, exc)
    finally:
        hub.close()
    _import_result(out, doc)
    return EXIT_OK


COMMANDS = {
    "serve": cmd_serve,
    "db": cmd_db,
    "user": cmd_user,
    "catalog": cmd_catalog,
    "setup-package": cmd_setup_package,
    "courier": cmd_courier,
    "review": cmd_review,
    "completeness": cmd_completeness,
    "reports": cmd_reports,
    "totals": cmd_totals,
    "export": cmd_export,
    "unit": cmd_unit,
    "legacy": cmd_legacy,
    "baseline": cmd_baseline,
}
