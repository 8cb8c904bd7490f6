"""CLI commands of the USB and paper features: backup export/verify/restore, courier export, export
xlsx|pdf, values import. The work is done by :mod:`dttsclient.usb`; these handlers only talk.

Exit codes: 0 done; 1 failed (a bad file, a full or vanished stick, a refused import …, the message says
what to do); 3 nothing to do (no unsent item for a courier bundle, a restore or import that changed
nothing).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dttsclient.cli.output import Output
from dttsclient.cli.report_cmds import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_PARTLY,
    open_store,
    problem_lines,
    require_catalog,
    resolve_form,
    resolve_unit,
    who,
)
from dttsclient.usb.backup import BackupInfo, export_backup, verify_backup
from dttsclient.usb.courier import export_courier
from dttsclient.usb.errors import (
    NeedsConfirmation,
    NothingToExport,
    ReopensReport,
    WrongReport,
    human_size,
)
from dttsclient.usb.restore import restore_backup
from dttscore.labels import local_time_label

# openpyxl and fpdf2 take about a second to import: only the commands that need them load them
# (this module is imported for every command).


def _counts(info: BackupInfo, out: Output) -> str:
    c = info.counts
    unsent = sum(n for s, n in (c.get("outbox") or {}).items() if s in ("queued", "sending"))
    return out.t(
        f"{c.get('reports', 0)} báo cáo, {c.get('cells', 0)} ô số liệu, {c.get('submissions', 0)} lần nộp "
        f"({unsent} chưa gửi)",
        f"{c.get('reports', 0)} report(s), {c.get('cells', 0)} value(s), {c.get('submissions', 0)} submission(s) "
        f"({unsent} unsent)",
    )


def cmd_backup_export(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    with open_store(data_dir) as store:
        info = export_backup(store, ns.path)
    out.result(
        info.to_json(),
        out.t(
            f"Đã sao lưu vào {info.path} ({human_size(info.size)}; {_counts(info, out)}). "
            "Bản trên USB đã được đọc lại và kiểm tra: dùng được.",
            f"Backed up to {info.path} ({human_size(info.size)}; {_counts(info, out)}). "
            "The copy on the stick was read back and checked: it is good.",
        ),
    )
    _not_recorded(info, out)
    return EXIT_OK


def _not_recorded(info: object, out: Output) -> None:
    """The file is good, but the profile's full disk kept it from noting when it was written."""
    if getattr(info, "recorded", True):
        return
    out.note(
        out.t(
            "Lưu ý: ổ đĩa chứa dữ liệu DTTS đã đầy nên máy này chưa ghi nhận được thời điểm xuất; tệp trên "
            "vẫn tốt và dùng được. Hãy xoá bớt tệp trên ổ đĩa đó.",
            "Note: the disk holding the DTTS data is full, so this computer could not note when the file was "
            "written; the file itself is good. Free some space on that disk.",
        )
    )


def cmd_backup_verify(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    info = verify_backup(ns.path)
    out.result(
        {**info.to_json(), "ok": True},
        out.t(
            f"Tệp sao lưu {info.path} nguyên vẹn: xã {info.commune or '—'}, tạo lúc {local_time_label(info.created_at)}, "
            f"{_counts(info, out)}.",
            f"The backup {info.path} is intact: commune {info.commune or '—'}, made {local_time_label(info.created_at, 'en')}, "
            f"{_counts(info, out)}.",
        ),
    )
    return EXIT_OK


def _needs_yes(exc: NeedsConfirmation, out: Output, doc: dict | None = None) -> int:
    """A refusal that a confirmation lifts: the message, then how to confirm on the command line."""
    out.error(
        exc.text(out.lang)
        + "\n"
        + out.t(
            "Nếu chắc chắn, hãy chạy lại lệnh và thêm --yes.",
            "If you are sure, run the command again with --yes.",
        )
    )
    if out.json_mode and doc is not None:
        out.result(doc)
    return EXIT_FAILED


def cmd_backup_restore(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    try:
        report = restore_backup(data_dir, ns.path, confirm_other_commune=bool(getattr(ns, "yes", False)))
    except NeedsConfirmation as exc:
        return _needs_yes(exc, out)
    out.result(report.to_json(), report.summary(out.lang))
    return EXIT_OK if report.changed else EXIT_PARTLY


def cmd_courier_export(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    with open_store(data_dir) as store:
        try:
            info = export_courier(store, ns.path)
        except NothingToExport as exc:
            out.result({"count": 0, "path": None}, exc.text(out.lang))
            return EXIT_PARTLY
    out.result(
        info.to_json(),
        out.t(
            f"Đã ghi {info.count} báo cáo chưa gửi vào gói {info.path} ({human_size(info.size)}). Mang gói này đến "
            "nơi có mạng để nạp lên máy chủ; lần đồng bộ sau, máy này sẽ nhận biên nhận của các báo cáo đó.",
            f"Wrote {info.count} unsent report(s) to the bundle {info.path} ({human_size(info.size)}). Take it to a "
            "connected office to upload to the hub; the next sync of this computer will get their receipts.",
        ),
    )
    _not_recorded(info, out)
    return EXIT_OK


def cmd_export(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    with open_store(data_dir) as store:
        unit = resolve_unit(ns, store)
        report = store.reports.report(unit, ns.form, ns.period)
        if ns.format == "pdf":
            from dttsclient.usb import pdf_report as module
        else:
            from dttsclient.usb import xlsx_report as module
        blank = report is None or not store.reports.cells(report.id)
        if blank:
            # no value yet: the empty form, with the commune's ethnic rows, to collect figures on paper
            resolve_form(require_catalog(store), ns.form, ns.period)
            writer = module.export_pdf_blank if ns.format == "pdf" else module.export_xlsx_blank
            path = writer(store, unit, ns.form, ns.period, ns.path)
        else:
            writer = module.export_pdf if ns.format == "pdf" else module.export_xlsx
            path = writer(store, report.id, ns.path)
    kind = "PDF" if ns.format == "pdf" else "Excel"
    doc = {"path": str(path), "format": ns.format, "unit": unit, "form": ns.form, "period": ns.period}
    doc["blank"] = blank
    if blank:
        message = out.t(
            f"Báo cáo {unit} / {ns.form} / {ns.period} chưa có số liệu: đã xuất biểu trống ra tệp {kind} để "
            f"ghi số liệu trên giấy: {path}",
            f"Report {unit} / {ns.form} / {ns.period} has no values yet: exported the blank form to {kind} "
            f"for collecting figures on paper: {path}",
        )
    else:
        message = out.t(
            f"Đã xuất báo cáo {unit} / {ns.form} / {ns.period} ra tệp {kind}: {path}",
            f"Exported report {unit} / {ns.form} / {ns.period} to {kind}: {path}",
        )
    out.result(doc, message)
    return EXIT_OK


def cmd_values_import(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from dttsclient.usb.xlsx_import import import_values

    with open_store(data_dir) as store:
        unit = resolve_unit(ns, store)
        try:
            result = import_values(
                store,
                ns.file,
                form=ns.form,
                period=ns.period,
                unit=unit,
                confirm=bool(ns.yes),
                who=who(store),
                confirm_changes=bool(ns.yes),
            )
        except ReopensReport as exc:  # a finalized / sent report: the changes are printed, --yes needed
            doc = {
                "ok": False,
                "needs_confirmation": "reopens_report",
                "sent": exc.sent,
                "changes": [c.to_json() for c in exc.changes],
            }
            return _needs_yes(exc, out, doc)
        except WrongReport as exc:
            doc = {
                "ok": False,
                "needs_confirmation": "wrong_report",
                "differences": [list(d) for d in exc.differences],
            }
            return _needs_yes(exc, out, doc)
    lines = [
        out.t(
            f"Đã nhập {result.changed} giá trị vào báo cáo {result.unit} / {result.form} / {result.period} "
            f"({result.unchanged} ô đã có sẵn giá trị đó, {result.empty} ô trống bỏ qua).",
            f"Imported {result.changed} value(s) into report {result.unit} / {result.form} / {result.period} "
            f"({result.unchanged} already had that value, {result.empty} empty cell(s) skipped).",
        )
    ]
    if result.eth_rows_added:
        lines.append(
            out.t("Đã thêm dòng dân tộc: ", "Ethnic rows added: ") + ", ".join(result.eth_rows_added)
        )
    if result.reopened:
        lines.append(
            out.t(
                "Báo cáo đã chốt nay trở lại thành bản nháp: hãy kiểm tra, chốt và gửi lại.",
                "The finalized report is a draft again: check it, finalize it and send it again.",
            )
        )
    if result.safety_copy:
        lines.append(
            out.t(
                f"Bản sao lưu trước khi nhập: {result.safety_copy}",
                f"Backup taken before the import: {result.safety_copy}",
            )
        )
    if result.problems:
        lines.append(out.t("Kiểm tra:", "Checks:"))
        lines += problem_lines(result.problems, out)
    out.result(result.to_json(), "\n".join(lines))
    return EXIT_OK if result.changed else EXIT_PARTLY


HANDLERS = {
    "backup export": cmd_backup_export,
    "backup verify": cmd_backup_verify,
    "backup restore": cmd_backup_restore,
    "courier export": cmd_courier_export,
    "export": cmd_export,
    "values import": cmd_values_import,
}
