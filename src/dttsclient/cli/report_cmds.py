"""CLI commands about the catalogue and one report: catalog import, values set/show, finalize, status."""

from __future__ import annotations

import argparse
import getpass
import re
from pathlib import Path

from dttsclient.cli.output import Output
from dttsclient.store import Store
from dttscore import disagg, indicator_options, periods, refdata, values
from dttscore.catalog import load_catalog
from dttscore.cli.exits import EXIT_FAILED, EXIT_OK, EXIT_PARTLY
from dttscore.errors import DttsError, ValueInputError
from dttscore.labels import local_time_label
from dttscore.model import Catalog, Form
from dttscore.unitcodes import is_agency_code
from dttscore.validate import Completeness, completeness

_CANONICAL = re.compile(r"^-?\d+(\.\d+)?$")


class CliError(DttsError):
    """A command could not run as asked (no catalogue, unknown form, bad assignment …)."""


def who(store: Store) -> str:
    """The name recorded in the change log: the hub username, else the OS account."""
    name = store.settings.profile().username
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user database entry (containers)
        return "officer"


def open_store(data_dir: Path) -> Store:
    return Store.open(data_dir)


def resolve_unit(ns: argparse.Namespace, store: Store) -> str:
    unit = getattr(ns, "unit", None) or store.settings.profile().unit
    if not unit:
        raise CliError(
            "Hồ sơ này chưa gắn với xã nào. Đăng nhập (dttsclient login), nhập gói cài đặt, "
            "hoặc ghi rõ mã xã bằng --unit MÃ_XÃ.",
            "This profile has no commune yet. Log in (dttsclient login), import a setup package, "
            "or give the commune code with --unit CODE.",
        )
    if is_agency_code(unit):
        return unit  # a province agency (19-SGDDT): defined on the hub, not in the unit list
    if not re.fullmatch(r"\d{5}", unit):
        raise CliError(
            f"Mã xã '{unit}' không hợp lệ: mã xã gồm 5 chữ số, ví dụ 01849 (hoặc mã cơ quan như 19-SGDDT).",
            f"'{unit}' is not a commune code: it has 5 digits, e.g. 01849 (or an agency code such as 19-SGDDT).",
        )
    if refdata.commune(unit) is None:
        raise CliError(
            f"Không có xã mã '{unit}' trong danh mục đơn vị hành chính 2025.",
            f"There is no commune with code '{unit}' in the 2025 list of administrative units.",
        )
    return unit


def require_catalog(store: Store) -> Catalog:
    catalog = store.catalogs.current_catalog()
    if catalog is None:
        raise CliError(
            "Chưa có danh mục chỉ tiêu. Nạp danh mục bằng: dttsclient catalog import TỆP.xlsx",
            "No indicator catalogue yet. Load one with: dttsclient catalog import FILE.xlsx",
        )
    return catalog


def resolve_form(catalog: Catalog, form_code: str, period: str) -> Form:
    if not catalog.has_form(form_code):
        known = ", ".join(f.code for f in catalog.forms)
        raise CliError(
            f"Không có biểu '{form_code}' trong danh mục. Các biểu có: {known}.",
            f"There is no form '{form_code}' in the catalogue. Forms: {known}.",
        )
    form = catalog.form(form_code)
    periods.check_period_for_form(period, form.period_type)
    return form


def report_catalog(store: Store, report) -> Catalog:
    return store.catalogs.catalog_version(report.catalog_id, report.catalog_version)


def parse_value(text: str, value_type: str) -> str | None:
    """CLI values: canonical strings ("1234.5") as scripts send them, or Vietnamese ("1.234,5")."""
    text = text.strip()
    if text == "":
        return None
    if _CANONICAL.match(text) and value_type in ("integer", "decimal", "percent"):
        return values.canonical_of(text, value_type)  # "." is the decimal mark here
    return values.parse_input(text, value_type)


def parse_assignments(
    catalog: Catalog, form: Form, items: list[str], eth_rows: set[str]
) -> list[tuple[str, str, str | None]]:
    """``CODE[@DISAGG]=VALUE`` → (code, disagg key, canonical or None); every problem reported at once."""
    form_codes = {i.code for i in catalog.form_indicators(form)}
    parsed: list[tuple[str, str, str | None]] = []
    problems: list[tuple[str, str]] = []
    for item in items:
        if "=" not in item:
            problems.append(
                (
                    f"'{item}': thiếu dấu '=' (dạng MÃ=GIÁ_TRỊ hoặc MÃ@eth=08|sex=F=GIÁ_TRỊ).",
                    f"'{item}': missing '=' (CODE=VALUE or CODE@eth=08|sex=F=VALUE).",
                )
            )
            continue
        left, raw = item.rsplit("=", 1)
        code, _, key = left.partition("@")
        code = code.strip()
        if code not in form_codes:
            problems.append(
                (
                    f"'{item}': chỉ tiêu '{code}' không có trong biểu {form.code}.",
                    f"'{item}': indicator '{code}' is not on form {form.code}.",
                )
            )
            continue
        indicator = catalog.indicator(code)
        try:
            mapping = disagg.parse_key(key.strip()) if key.strip() else {}
            dims = set(catalog.dimensions_of(indicator))
            if set(mapping) != dims:
                want = ", ".join(sorted(dims)) or "không phân tổ"
                want_en = ", ".join(sorted(dims)) or "none"
                raise ValueInputError(
                    f"chỉ tiêu {code} phân tổ theo: {want}.",
                    f"indicator {code} is broken down by: {want_en}.",
                )
            for dim, opt in mapping.items():
                allowed = {o.code for o in catalog.options_for(dim)}
                if opt not in allowed:
                    raise ValueInputError(
                        f"'{dim}={opt}' không phải là lựa chọn hợp lệ.",
                        f"'{dim}={opt}' is not a valid option.",
                    )
            refused = indicator_options.refusal(catalog, indicator, mapping)
            if refused is not None:
                raise ValueInputError(*refused)
            canonical = parse_value(raw, indicator.value_type)
            # A value the catalogue can never accept (negative count, over the max) is bad input here;
            # relations between values (rules) are saved and reported instead.
            failed = values.check_value(indicator, canonical) if canonical is not None else []
            if failed:
                raise ValueInputError(failed[0].message_vi, failed[0].message_en)
        except DttsError as exc:
            problems.append((f"'{item}': {exc.message_vi}", f"'{item}': {exc.message_en}"))
            continue
        if "eth" in mapping:
            eth_rows.add(mapping["eth"])
        parsed.append((code, disagg.make_key(mapping), canonical))
    if problems:
        raise CliError(
            "Không lưu giá trị nào:\n" + "\n".join(p[0] for p in problems),
            "No value was saved:\n" + "\n".join(p[1] for p in problems),
        )
    return parsed


STATE_NAMES = {
    "draft": ("Nháp", "Draft"),
    "finalized": ("Đã chốt", "Finalized"),
    "queued": ("Chờ gửi", "Queued"),
    "sending": ("Đang gửi", "Sending"),
    "accepted": ("Đã gửi ✓", "Sent ✓"),
    "needs_attention": ("Cần xử lý", "Needs attention"),
    "conflict": ("Xung đột", "Conflict"),
    "late": ("Nộp muộn", "Late"),
    "superseded": ("Đã thay bằng lần nộp mới", "Superseded"),
    "discarded": ("Đã bỏ", "Discarded"),
}


def state_name(state: str, out: Output) -> str:
    vi, en = STATE_NAMES.get(state, (state, state))
    return out.t(vi, en)


def problem_lines(problems, out: Output) -> list[str]:
    lines = []
    for p in problems:
        tag = out.t("LỖI", "ERROR") if p.is_error else out.t("Cảnh báo", "Warning")
        where = p.indicator + (f"@{p.disagg}" if p.disagg else "")
        lines.append(f"  [{tag}] {p.code} {where}: {p.text(out.lang)}")
    return lines


def report_doc(report) -> dict:
    return {
        "id": str(report.id),
        "unit": report.unit,
        "form": report.form,
        "period": report.period,
        "state": report.state,
        "dirty": bool(report.dirty),
        "revision_no": report.revision_no,
        "catalog_id": report.catalog_id,
        "catalog_version": report.catalog_version,
        "server_revision": report.server_revision,
        "review_state": report.review_state,
        "review_comment": report.review_comment,
        "server_status": report.server_status,
    }


# -- commands ---------------------------------------------------------------------------------------
def cmd_catalog_import(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    catalog = load_catalog(ns.file)
    with open_store(data_dir) as store:
        added = store.catalogs.import_catalog(catalog)
    doc = {
        "catalog_id": catalog.catalog_id,
        "version": catalog.version,
        "title": catalog.title,
        "sample": catalog.sample,
        "indicators": len(catalog.indicators),
        "forms": len(catalog.forms),
        "rules": len(catalog.rules),
        "imported": added,
    }
    if not added:
        out.result(
            doc,
            out.t(
                f"Danh mục {catalog.catalog_id} phiên bản {catalog.version} đã có sẵn; không đổi gì.",
                f"Catalogue {catalog.catalog_id} version {catalog.version} is already there; nothing changed.",
            ),
        )
        return EXIT_PARTLY
    sample = out.t(" (MẪU)", " (SAMPLE)") if catalog.sample else ""
    out.result(
        doc,
        out.t(
            f"Đã nạp danh mục {catalog.catalog_id} phiên bản {catalog.version}{sample}: {len(catalog.indicators)} chỉ tiêu, "
            f"{len(catalog.forms)} biểu, {len(catalog.rules)} quy tắc kiểm tra.",
            f"Loaded catalogue {catalog.catalog_id} version {catalog.version}{sample}: {len(catalog.indicators)} indicators, "
            f"{len(catalog.forms)} forms, {len(catalog.rules)} rules.",
        ),
    )
    return EXIT_OK


def cmd_values_set(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    with open_store(data_dir) as store:
        unit = resolve_unit(ns, store)
        report = store.reports.report(unit, ns.form, ns.period)
        catalog = report_catalog(store, report) if report else require_catalog(store)
        form = resolve_form(catalog, ns.form, ns.period)
        eth_rows = set(store.reports.eth_rows(report.id)) if report else set()
        before = set(eth_rows)
        items = parse_assignments(catalog, form, ns.assignments, eth_rows)
        if report is None:
            report = store.reports.report(unit, ns.form, ns.period, create=True)
        if eth_rows != before:
            store.reports.set_eth_rows(report.id, sorted(eth_rows))
        store.reports.set_cells(report.id, items, who(store))
        report = store.reports.report_by_id(report.id)
        problems = store.reports.check(report.id)
    doc = {
        "report": report_doc(report),
        "saved": len(items),
        "errors": [p.to_json() for p in problems if p.is_error],
        "warnings": [p.to_json() for p in problems if not p.is_error],
    }
    lines = [
        out.t(
            f"Đã lưu {len(items)} giá trị vào báo cáo {unit} / {ns.form} / {ns.period}.",
            f"Saved {len(items)} value(s) in report {unit} / {ns.form} / {ns.period}.",
        )
    ]
    if problems:
        lines.append(out.t("Kiểm tra:", "Checks:"))
        lines += problem_lines(problems, out)
    out.result(doc, "\n".join(lines))
    return EXIT_OK


def completeness_line(done: Completeness, out: Output) -> str:
    """ "Đã nhập 6/11 chỉ tiêu · còn 2 chỉ tiêu bắt buộc chưa nhập (0101, 0102)" (as the app says it)."""
    text = out.t(
        f"Đã nhập {done.entered}/{done.total} chỉ tiêu", f"Entered {done.entered}/{done.total} indicators"
    )
    if done.missing_required:
        codes = ", ".join(done.missing_required)
        n = len(done.missing_required)
        text += out.t(
            f" · còn {n} chỉ tiêu bắt buộc chưa nhập ({codes})",
            f" · {n} required indicator(s) not entered ({codes})",
        )
    return text


def cmd_values_show(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    with open_store(data_dir) as store:
        unit = resolve_unit(ns, store)
        report = store.reports.report(unit, ns.form, ns.period)
        if report is None:
            catalog = require_catalog(store)
            done = completeness(catalog, resolve_form(catalog, ns.form, ns.period).code, {})
            doc = {"report": None, "cells": [], "errors": [], "warnings": [], "completeness": done.to_json()}
            out.result(
                doc,
                out.t(
                    f"Chưa có báo cáo {unit} / {ns.form} / {ns.period}.",
                    f"No report {unit} / {ns.form} / {ns.period} yet.",
                ),
            )
            return EXIT_PARTLY
        catalog = report_catalog(store, report)
        cells = store.reports.cells(report.id)
        comments = store.reports.comments(report.id)
        problems = store.reports.check(report.id)
        done = store.reports.completeness(report.id)
        outbox = [o for o in store.outbox.items() if o.report_id == report.id]
        carried = store.carry.carried(report.id)
    form = catalog.form(ns.form)
    order = {i.code: n for n, i in enumerate(catalog.form_indicators(form))}
    cell_docs = []
    for (code, key), value in sorted(cells.items(), key=lambda kv: (order.get(kv[0][0], 10**6), kv[0])):
        vt = catalog.indicator(code).value_type if catalog.has_indicator(code) else "text"
        c = comments.get((code, key))
        cell_docs.append(
            {
                "code": code,
                "disagg": key,
                "value": value,
                "display": values.format_value(value, vt),
                "comment": c.text if c else None,
                "carried_from": carried.get((code, key)),
            }
        )
    doc = {
        "report": report_doc(report),
        "cells": cell_docs,
        "outbox": [
            {
                "submission_id": o.submission_id,
                "revision_no": o.revision_no,
                "state": o.state,
                "receipt_no": o.receipt_no,
            }
            for o in outbox
        ],
        "errors": [p.to_json() for p in problems if p.is_error],
        "warnings": [p.to_json() for p in problems if not p.is_error],
        "completeness": done.to_json(),
    }
    lines = [
        f"{unit} / {form.code} {form.name_vi if out.lang == 'vi' else form.name_en} / {ns.period} — "
        + out.t("trạng thái", "state")
        + f": {state_name(report.state, out)}",
        completeness_line(done, out),
    ]
    for c in cell_docs:
        name = catalog.indicator(c["code"]).name_vi if catalog.has_indicator(c["code"]) else ""
        key = f"@{c['disagg']}" if c["disagg"] else ""
        mark = out.t(f"  [lấy từ kỳ {c['carried_from']}]", f"  [copied from {c['carried_from']}]")
        lines.append(f"  {c['code']}{key} = {c['display']}    {name}" + (mark if c["carried_from"] else ""))
    if problems:
        lines.append(out.t("Kiểm tra:", "Checks:"))
        lines += problem_lines(problems, out)
    for o in outbox:
        lines.append(
            out.t(f"  Lần nộp {o.revision_no}: ", f"  Revision {o.revision_no}: ")
            + state_name(o.state, out)
            + (f" ({o.receipt_no})" if o.receipt_no else "")
        )
    out.result(doc, "\n".join(lines))
    return EXIT_OK


def _existing_report(
    ns: argparse.Namespace,
    store: Store,
    what_to_do: tuple[str, str] = (
        "Tạo báo cáo bằng: dttsclient values set …",
        "Start it with: dttsclient values set …",
    ),
):
    """The report of ``--form``/``--period`` in the profile's unit (CliError saying ``what_to_do`` when
    there is none; an unknown form or period says so first)."""
    unit = resolve_unit(ns, store)
    report = store.reports.report(unit, ns.form, ns.period)
    if report is None:
        resolve_form(require_catalog(store), ns.form, ns.period)
        raise CliError(
            f"Chưa có báo cáo {unit} / {ns.form} / {ns.period}. {what_to_do[0]}",
            f"There is no report {unit} / {ns.form} / {ns.period} yet. {what_to_do[1]}",
        )
    return unit, report


def _cell_label(code: str, key: str) -> str:
    return f"{code}@{key}" if key else code


def cmd_values_carry(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    """``values carry``: list what a copy from last period would fill, or copy the chosen indicators."""
    with open_store(data_dir) as store:
        unit, report = _existing_report(ns, store)
        previous, choices = store.carry.carry_choices(report.id)
        offered = {c.code: c.cells for c in choices}
        wanted = [c.strip() for c in ns.indicator if c.strip()]
        if any(c.lower() == "all" for c in wanted):
            wanted = list(offered)
        unknown = [c for c in wanted if c not in offered]
        if unknown:
            names = ", ".join(unknown)
            have = ", ".join(offered) or "không có"
            have_en = ", ".join(offered) or "none"
            raise CliError(
                f"Không lấy được số kỳ {previous or 'trước'} cho: {names} (kỳ trước không có số hoặc ô ở kỳ này đã "
                f"có số). Lấy được: {have}. Không ô nào bị thay đổi.",
                f"Nothing to copy from period {previous or '(previous)'} for: {names} (no value there, or the "
                f"cells here are filled). Can copy: {have_en}. No cell was changed.",
            )
        written = store.carry.copy_from_previous(report.id, wanted, who(store)) if wanted else []
        marked = store.carry.carried(report.id)
    doc = {
        "report": {"unit": unit, "form": ns.form, "period": ns.period},
        "previous_period": previous or None,
        "choices": [{"code": c, "cells": n} for c, n in offered.items()],
        "copied": [{"code": c, "disagg": d, "value": v} for c, d, v in written],
        "carried": [{"code": c, "disagg": d, "from_period": p} for (c, d), p in sorted(marked.items())],
    }
    if not wanted:
        if offered:
            lines = [
                out.t(
                    f"Có thể lấy số kỳ {previous} cho các chỉ tiêu (số ô còn trống sẽ được điền):",
                    f"Values of period {previous} can be copied for (empty cells that would be filled):",
                )
            ]
            lines += [f"  {code}: {n}" for code, n in offered.items()]
            lines.append(
                out.t(
                    "Chưa lấy gì. Ghi --indicator MÃ (hoặc --indicator all) để lấy.",
                    "Nothing copied. Give --indicator CODE (or --indicator all) to copy.",
                )
            )
        else:
            lines = [
                out.t(
                    "Không có số kỳ trước nào để lấy vào các ô còn trống.",
                    "There is no earlier value to copy into empty cells.",
                )
            ]
        out.result(doc, "\n".join(lines))
        return EXIT_OK if offered else EXIT_PARTLY
    out.result(
        doc,
        out.t(
            f"Đã lấy {len(written)} ô từ kỳ {previous}; các ô này được đánh dấu đến khi xác nhận "
            "(dttsclient values confirm) hoặc sửa.",
            f"Copied {len(written)} cell(s) from period {previous}; they stay marked until confirmed "
            "(dttsclient values confirm) or changed.",
        ),
    )
    return EXIT_OK


def cmd_values_confirm(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    """``values confirm``: the officer confirms copied cells (all of the report's when none are named)."""
    with open_store(data_dir) as store:
        unit, report = _existing_report(ns, store)
        marked = store.carry.carried(report.id)
        keys: list[tuple[str, str]] | None = None
        if ns.cells:
            keys, problems = [], []
            for item in ns.cells:
                code, _, raw = item.strip().partition("@")
                try:
                    key = disagg.make_key(disagg.parse_key(raw.strip())) if raw.strip() else ""
                except DttsError as exc:
                    problems.append((f"'{item}': {exc.message_vi}", f"'{item}': {exc.message_en}"))
                    continue
                if (code, key) not in marked:
                    problems.append(
                        (
                            f"'{item}': ô này không được đánh dấu là lấy từ kỳ trước.",
                            f"'{item}': this cell is not marked as copied from last period.",
                        )
                    )
                    continue
                keys.append((code, key))
            if problems:
                raise CliError(
                    "Không xác nhận ô nào:\n" + "\n".join(p[0] for p in problems),
                    "No cell was confirmed:\n" + "\n".join(p[1] for p in problems),
                )
        done = store.carry.confirm_carried(report.id, keys) if marked else 0
        left = store.carry.carried(report.id)
    doc = {
        "report": {"unit": unit, "form": ns.form, "period": ns.period},
        "confirmed": done,
        "carried": [{"code": c, "disagg": d, "from_period": p} for (c, d), p in sorted(left.items())],
    }
    if not marked:
        out.result(doc, out.t("Không có ô nào đang được đánh dấu.", "No cell is marked."))
        return EXIT_PARTLY
    out.result(
        doc,
        out.t(
            f"Đã xác nhận {done} ô; còn {len(left)} ô đánh dấu.",
            f"Confirmed {done} cell(s); {len(left)} still marked.",
        ),
    )
    return EXIT_OK


def _reasons(items: list[str]) -> dict[str, str]:
    reasons = {}
    for item in items:
        rule, sep, text = item.partition("=")
        if not sep or not text.strip():
            raise CliError(
                f"--reason '{item}': dạng đúng là MÃ_QUY_TẮC=LÝ_DO.", f"--reason '{item}': use RULE=TEXT."
            )
        reasons[rule.strip()] = text.strip()
    return reasons


def cmd_finalize(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    from dttsclient.store import FinalizeBlocked, NothingToFinalize

    reasons = _reasons(ns.reason)
    with open_store(data_dir) as store:
        unit, report = _existing_report(ns, store, ("Hãy nhập số liệu trước.", "Enter values first."))
        try:
            submission = store.outbox.finalize(report.id, who(store), reasons=reasons, require_reasons=False)
        except FinalizeBlocked as exc:
            doc = {
                "finalized": False,
                "errors": [p.to_json() for p in exc.problems if p.is_error],
                "warnings": [p.to_json() for p in exc.problems if not p.is_error],
            }
            if out.json_mode:
                out.result(doc)
            out.error(out.t("Chưa chốt được: còn lỗi phải sửa.", "Not finalized: there are errors to fix."))
            for line in problem_lines(exc.problems, out):
                out.error(line)
            return EXIT_FAILED
        except NothingToFinalize as exc:
            out.result({"finalized": False, "reason": exc.text("en")}, exc.text(out.lang))
            return EXIT_PARTLY
        warnings = [p for p in store.reports.check(report.id) if not p.is_error]
        counts = store.outbox.counts()
    doc = {
        "finalized": True,
        "submission_id": submission.submission_id,
        "revision_no": submission.revision_no,
        "supersedes": submission.supersedes,
        "payload_sha256": submission.payload_sha256,
        "state": "queued",
        "warnings": [p.to_json() for p in warnings],
        "outbox": counts,
    }
    lines = [
        out.t(
            f"Đã chốt báo cáo {unit} / {ns.form} / {ns.period}, lần nộp {submission.revision_no}; "
            f"đang chờ gửi ({counts.get('queued', 0)} báo cáo trong hộp thư đi).",
            f"Finalized report {unit} / {ns.form} / {ns.period}, revision {submission.revision_no}; "
            f"queued for sending ({counts.get('queued', 0)} report(s) in the outbox).",
        )
    ]
    if warnings:
        lines.append(out.t("Cảnh báo (đã ghi nhận):", "Warnings (recorded):"))
        lines += problem_lines(warnings, out)
    out.result(doc, "\n".join(lines))
    return EXIT_OK


def cmd_status(ns: argparse.Namespace, data_dir: Path, out: Output) -> int:
    with open_store(data_dir) as store:
        doc = store.status()
    doc = {k: (str(v) if isinstance(v, Path) else v) for k, v in doc.items()}
    outbox = doc.get("outbox", {})
    cat = doc.get("catalog") or {}
    last_sync = (doc.get("last_sync") or {}).get("finished_at")
    lines = [
        out.t("Thư mục dữ liệu: ", "Data directory: ") + str(doc.get("data_dir")),
        out.t("Cơ sở dữ liệu:   ", "Database:       ") + str(doc.get("database")),
        out.t("Xã:              ", "Commune:        ") + str((doc.get("profile") or {}).get("unit") or "—"),
        out.t("Danh mục:        ", "Catalogue:      ")
        + (f"{cat.get('catalog_id')} v{cat.get('version')}" if cat else "—"),
        out.t("Bản nháp:        ", "Drafts:         ") + str(doc.get("drafts", 0)),
        out.t("Hộp thư đi:      ", "Outbox:         ")
        + (", ".join(f"{state_name(k, out)}: {v}" for k, v in outbox.items() if v) or "0"),
        out.t("Đồng bộ gần nhất: ", "Last sync:      ")
        + out.t(local_time_label(last_sync), local_time_label(last_sync, "en")),
    ]
    out.result(doc, "\n".join(lines))
    return EXIT_OK


HANDLERS = {
    "catalog import": cmd_catalog_import,
    "values set": cmd_values_set,
    "values show": cmd_values_show,
    "values carry": cmd_values_carry,
    "values confirm": cmd_values_confirm,
    "finalize": cmd_finalize,
    "status": cmd_status,
}
