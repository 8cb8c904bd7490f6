"""CLI commands that talk to the hub or stand in for it: login, sync, setup import.

The password is never stored: ``login`` keeps the device token in the OS keyring. Where the machine has
no keyring, every command that needs the hub asks for the password again (from a prompt, or from
standard input with ``--password-stdin``) and says why.
"""

from __future__ import annotations

import argparse
import getpass
import socket
import sys
from pathlib import Path

from dttsclient.cli.output import Output
from dttsclient.cli.report_cmds import CliError, open_store
from dttsclient.store import Store
from dttsclient.sync import (
    CredentialStore,
    NotLoggedIn,
    RetryPolicy,
    SyncEngine,
    SyncError,
    SyncResult,
    default_credentials,
    login,
    setup_import,
)
from dttsclient.sync.engine import CA_BUNDLE_SETTING
from dttsclient.sync.transport import TransportConfig
from dttscore.cli.exits import EXIT_FAILED, EXIT_OK, EXIT_PARTLY
from dttscore.labels import commune_phrase


def read_password(ns: argparse.Namespace, out: Output, why: str | None = None) -> str:
    """The password from standard input (``--password-stdin``) or a prompt; never from a file."""
    if why:
        out.error(why)
    if getattr(ns, "password_stdin", False):
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(out.t("Mật khẩu: ", "Password: "))
    else:
        raise CliError(
            "Cần mật khẩu nhưng không có bàn phím để hỏi: dùng --password-stdin.",
            "A password is needed but there is no terminal to ask: use --password-stdin.",
        )
    if not password:
        raise CliError("Chưa nhập mật khẩu.", "No password was given.")
    return password


def _device_name() -> str:
    try:
        return socket.gethostname() or "PC"
    except OSError:
        return "PC"


def _config(ns: argparse.Namespace) -> TransportConfig | None:
    """Transport settings from the command line: ``--retries N`` (scripts may want to fail fast)."""
    retries = getattr(ns, "retries", None)
    if retries is None:
        return None
    if retries < 0:
        raise CliError("--retries phải là số không âm.", "--retries must not be negative.")
    return TransportConfig(retry=RetryPolicy(max_retries=retries))


def _engine(store: Store, ns: argparse.Namespace, out: Output, creds: CredentialStore) -> SyncEngine:
    """An engine for the profile; without a keyring the officer signs in again for this run."""
    config = _config(ns)
    try:
        return SyncEngine.for_profile(store, creds, config=config)
    except NotLoggedIn:
        profile = store.settings.profile()
        reason = getattr(creds, "reason", None)
        if reason is None or not profile.server_url or not profile.username:
            raise
        password = read_password(ns, out, reason.text(out.lang))
        login(
            store,
            profile.server_url,
            profile.username,
            password,
            creds,
            _device_name(),
            config=config,
            pull=False,
        )
        return SyncEngine.for_profile(store, creds, config=config)


def _result_lines(result: SyncResult, out: Output) -> list[str]:
    lines = [
        out.t(
            f"Đã gửi {result.sent}: máy chủ nhận {result.accepted}, nộp muộn {len(result.late)}, "
            f"cần xử lý {len(result.rejected)}, xung đột {len(result.conflicts)}; nhận về {result.pulled} báo cáo.",
            f"Sent {result.sent}: accepted {result.accepted}, late {len(result.late)}, "
            f"need attention {len(result.rejected)}, conflicts {len(result.conflicts)}; pulled {result.pulled}.",
        )
    ]
    for o in result.receipts:
        lines.append(f"  {o.form} {o.period}: " + out.t("số biên nhận ", "receipt ") + str(o.receipt_no))
    for o in [*result.rejected, *result.conflicts]:
        lines.append(f"  {o.form} {o.period}: {o.status} — " + "; ".join(o.reasons(out.lang)))
    for w in result.warnings:
        lines.append("  " + w.text(out.lang))
    kb_up, kb_down = result.bytes_up / 1024, result.bytes_down / 1024
    lines.append(
        out.t(
            f"Dữ liệu: gửi {kb_up:.1f} KB, nhận {kb_down:.1f} KB, {result.round_trips} lượt, {result.duration:.1f} giây.",
            f"Data: {kb_up:.1f} KB up, {kb_down:.1f} KB down, {result.round_trips} round trips, "
            f"{result.duration:.1f} s.",
        )
    )
    return lines


def cmd_login(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    creds = default_credentials()
    with open_store(data_dir) as store:
        if ns.ca_file is not None:
            if not ns.ca_file.is_file():
                raise CliError(
                    f"Không tìm thấy tệp chứng chỉ {ns.ca_file}.",
                    f"The certificate file {ns.ca_file} was not found.",
                )
            store.settings.set_setting(CA_BUNDLE_SETTING, str(ns.ca_file.resolve()))
        password = read_password(ns, out)
        result = login(store, ns.server, ns.user, password, creds, _device_name(), config=_config(ns))
    doc = {
        "username": result.username,
        "role": result.role,
        "units": result.units,
        "unit": result.unit,
        "unit_name": result.unit_name,
        "server_id": result.server_id,
        "token_saved": result.tokens_saved_persistently,
        "pulled": result.pull.pulled if result.pull else 0,
        "catalog_updated": bool(result.pull and result.pull.catalog_updated),
        "download_error": result.pull_error.text("en") if result.pull_error else None,
    }
    lines = [
        out.t(
            f"Đã đăng nhập {result.username} ({result.role}) — {commune_phrase(result.unit_name, result.unit)}.",
            f"Signed in as {result.username} ({result.role}) — "
            f"{commune_phrase(result.unit_name, result.unit, 'en')}.",
        )
    ]
    if result.pull is not None:
        lines.append(
            out.t(
                f"Đã tải danh mục và {result.pull.pulled} báo cáo từ máy chủ.",
                f"Downloaded the catalogue and {result.pull.pulled} report(s) from the server.",
            )
        )
    if not result.tokens_saved_persistently:
        reason = getattr(creds, "reason", None)
        if reason is not None:
            lines.append(reason.text(out.lang))
    if result.pull_error is not None:
        lines.append(result.pull_error.text(out.lang))
    out.result(doc, "\n".join(lines))
    return EXIT_OK if result.pull_error is None else EXIT_PARTLY


def cmd_sync(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    creds = default_credentials()
    with open_store(data_dir) as store:
        engine = _engine(store, ns, out, creds)
        try:
            result = engine.sync()
        except SyncError as exc:
            partial = getattr(exc, "result", None)
            doc = {"ok": False, "error": {"message_vi": exc.message_vi, "message_en": exc.message_en}}
            if partial is not None:
                doc.update(partial.summary())
            if out.json_mode:
                out.result(doc)
            out.error(exc.text(out.lang))
            return EXIT_FAILED
        counts = store.outbox.counts()
    doc = {"ok": True, **result.summary(), "outbox": counts}
    out.result(doc, "\n".join(_result_lines(result, out)))
    return EXIT_PARTLY if result.needs_attention else EXIT_OK


def cmd_setup_import(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    with open_store(data_dir) as store:
        result = setup_import(store, ns.file)
    doc = {
        "username": result.username,
        "unit": result.unit,
        "unit_name": result.unit_name,
        "server_url": result.server_url,
        "server_id": result.server_id,
        "catalog_id": result.catalog_id,
        "catalog_version": result.catalog_version,
        "catalog_added": result.catalog_added,
        "key_fingerprint": result.key_fingerprint,
        "key_listed": result.key_listed,
    }
    if result.key_listed:
        check_vi = "Máy chủ có trong danh sách máy chủ của tỉnh được cài trên máy."
        check_en = "The server is in the province's server list installed on this PC."
    else:
        check_vi = "Nếu chưa chắc gói này do tỉnh gửi, hãy gọi cán bộ tỉnh để đối chiếu mã này."
        check_en = (
            "If you are not sure the province sent this package, call the province staff to compare it."
        )
    out.result(
        doc,
        out.t(
            f"Đã cài đặt từ gói: {commune_phrase(result.unit_name, result.unit)}, "
            f"cán bộ {result.username}, danh mục "
            f"{result.catalog_id} phiên bản {result.catalog_version}. Máy chủ: {result.server_url}.\n"
            f"Mã nhận diện máy chủ: {result.key_fingerprint}. {check_vi}",
            f"Set up from the package: {commune_phrase(result.unit_name, result.unit, 'en')}, "
            f"officer {result.username}, "
            f"catalogue {result.catalog_id} version {result.catalog_version}. Server: {result.server_url}.\n"
            f"Server fingerprint: {result.key_fingerprint}. {check_en}",
        ),
    )
    return EXIT_OK


HANDLERS = {
    "login": cmd_login,
    "sync": cmd_sync,
    "setup import": cmd_setup_import,
}
