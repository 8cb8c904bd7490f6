"""Content checks of a submission: its catalogue version, form, period, cells and the core's rules.

The hub runs :func:`dttscore.validate.check_report` on what it receives, with the catalogue
version the submission was made with, so a report that passed on the client passes here, and one that
fails here fails for a rule the officer could see. Warnings are fine when the submission's ``warnings``
list gives a reason for each (``{rule, option, reason}``); the reasons are stored with the submission.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from dttscore import ethsystems
from dttscore.disagg import cell_keys, parse_key
from dttscore.errors import DttsError, IdentifierError
from dttscore.indicator_options import refusal
from dttscore.model import Catalog
from dttscore.periods import check_period_for_form, deadline
from dttscore.problems import Problem
from dttscore.swing import SWING
from dttscore.unitcodes import unit_kind
from dttscore.validate import OtherReports, check_report
from dttshub import db as t
from dttshub.catalogs import Catalogs
from dttshub.documents import ItemRejected, SubmissionDoc, item_error, reject

KEY_CACHE_SIZE = 64


@dataclass(frozen=True)
class Checked:
    """A submission whose content passed, with its deadline and its warnings with their reasons."""

    sub: SubmissionDoc
    deadline: date
    warnings: list[dict]


class ContentChecker:
    """Checks submissions against the published catalogues (with a cache of the valid cell keys).

    Args:
        catalogs: the published catalogues (every version is kept).
    """

    def __init__(self, catalogs: Catalogs) -> None:
        self.catalogs = catalogs
        self._keys: dict[tuple[str, int, str], dict[str, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def check(
        self,
        sub: SubmissionDoc,
        catalog: Catalog | None,
        others: OtherReports | None = None,
        earlier: Mapping[tuple[str, str], str] | None = None,
        earlier_period: str = "",
    ) -> Checked:
        """The checked submission.

        Args:
            sub: the parsed submission.
            catalog: its catalogue version, resolved by the caller before its transaction began
                (:meth:`Catalogs.get` on the caller's connection); None when the hub does not have it.
            others: the unit's other reports (:class:`dttshub.rule_sources.HubReports` on the caller's
                transaction), read only by rules across periods and forms; None reads none (such rules
                are skipped).
            earlier: the head values of the same unit's and form's previous period on the hub (see
                :func:`previous_head_values`), for the swing warnings of the same core code the client
                runs; a swing the officer gave no reason for is stored with an empty reason rather than
                refused (the PC may not have had that period when it finalized).
            earlier_period: that period's code.

        Raises:
            ItemRejected: unknown catalogue version or form, a period of another type, cells that are not
                the form's, errors of the rules, or a warning without a reason.
        """
        if catalog is None:
            raise reject(
                "unknown_catalog",
                f"Máy chủ không có danh mục {sub.catalog_id} phiên bản {sub.catalog_version}.",
                f"The hub has no catalogue {sub.catalog_id} version {sub.catalog_version}.",
            )
        if not catalog.has_form(sub.form):
            raise reject(
                "unknown_form",
                f"Danh mục {sub.catalog_id} v{sub.catalog_version} không có biểu {sub.form}.",
                f"Catalogue {sub.catalog_id} v{sub.catalog_version} has no form {sub.form}.",
            )
        form = catalog.form(sub.form)
        eth_system = sub.raw.get("eth_system")
        expected = catalog.ethnic_code_system or ethsystems.DEFAULT
        if isinstance(eth_system, str) and eth_system and eth_system != expected:
            vi, en = ethsystems.refusal(eth_system, expected)
            raise reject("eth_system", f"Bản nộp dùng {vi}", f"The submission uses {en}")
        if not form.reported_by_kind(unit_kind(sub.unit)):
            raise reject(
                "form_not_for_unit",
                f"Biểu {sub.form} không do {'cơ quan' if unit_kind(sub.unit) == 'agency' else 'xã'} báo cáo "
                "(cột reported_by của danh mục).",
                f"Form {sub.form} is not reported by {'agencies' if unit_kind(sub.unit) == 'agency' else 'communes'} "
                "(the catalogue's reported_by).",
            )
        try:
            check_period_for_form(sub.period, form.period_type)
        except DttsError as exc:
            raise reject("bad_period", exc.message_vi, exc.message_en) from exc
        allowed = {i.code for i in catalog.form_indicators(form)}
        unknown = sorted({code for code, _ in sub.values} - allowed)
        if unknown:
            raise ItemRejected(
                [
                    item_error(
                        "unknown_indicator",
                        f"Chỉ tiêu {code} không thuộc biểu {sub.form}.",
                        f"Indicator {code} is not part of form {sub.form}.",
                        indicator=code,
                    )
                    for code in unknown
                ]
            )
        bad_cells = _bad_cells(sub, self._valid_keys(catalog, sub.form), catalog)
        if bad_cells:
            raise ItemRejected(bad_cells)
        problems = check_report(
            catalog,
            sub.form,
            sub.values,
            sub.eth_rows or None,
            period=sub.period,
            others=others,
            earlier=earlier,
            earlier_period=earlier_period,
        )
        errors = [p for p in problems if p.is_error]
        if errors:
            raise ItemRejected(
                [
                    item_error(
                        p.code,
                        p.message_vi,
                        p.message_en,
                        indicator=p.indicator,
                        disagg=p.disagg,
                        option=p.option,
                    )
                    for p in errors
                ]
            )
        stored_warnings, missing = [], []
        for p in problems:
            reason = _reason_for(p, sub.warnings)
            if reason is None and p.code == SWING:
                reason = ""
            if reason is None:
                missing.append(p)
            else:
                stored_warnings.append(
                    {
                        "rule": p.code,
                        "option": p.option,
                        "indicator": p.indicator,
                        "disagg": p.disagg,
                        "reason": reason,
                        "message_vi": p.message_vi,
                        "message_en": p.message_en,
                    }
                )
        if missing:
            raise ItemRejected(
                [
                    item_error(
                        "warning_without_reason",
                        f"Cảnh báo chưa có giải trình: {p.message_vi}",
                        f"Warning without a reason: {p.message_en}",
                        indicator=p.indicator,
                        disagg=p.disagg,
                        rule=p.code,
                        option=p.option,
                    )
                    for p in missing
                ]
            )
        return Checked(sub, deadline(sub.period, form.deadline_days), stored_warnings)

    def _valid_keys(self, catalog: Catalog, form: str) -> dict[str, frozenset[str]]:
        key = (catalog.catalog_id, catalog.version, form)
        with self._lock:
            if key in self._keys:
                return self._keys[key]
        valid = valid_cell_keys(catalog, form)
        with self._lock:
            self._keys[key] = valid
            while len(self._keys) > KEY_CACHE_SIZE:
                self._keys.pop(next(iter(self._keys)))
        return valid


def valid_cell_keys(catalog: Catalog, form: str) -> dict[str, frozenset[str]]:
    """Every valid disaggregation key of each indicator of a form (all options of every dimension)."""
    return {ind.code: frozenset(cell_keys(catalog, ind, None)) for ind in catalog.form_indicators(form)}


def _bad_cells(sub: SubmissionDoc, valid: dict[str, frozenset[str]], catalog: Catalog) -> list[dict]:
    """Errors for cells whose disaggregation key does not fit the indicator (dimensions or options).

    A cell of an option the indicator's ``options`` column excludes says so (the one rule of
    :func:`dttscore.indicator_options.refusal`).
    """
    out = []
    for code, disagg in sub.values:
        if disagg in valid.get(code, ()):
            continue
        refused = _excluded(catalog, code, disagg)
        vi, en = refused or (
            f"Ô '{disagg}' không phải phân tổ hợp lệ của chỉ tiêu {code}.",
            f"'{disagg}' is not a valid breakdown cell of indicator {code}.",
        )
        out.append(item_error("bad_disagg", vi, en, indicator=code, disagg=disagg))
    return out


def _excluded(catalog: Catalog, code: str, disagg: str) -> tuple[str, str] | None:
    if not catalog.has_indicator(code) or not catalog.indicator(code).options:
        return None
    try:
        return refusal(catalog, code, parse_key(disagg))
    except IdentifierError:
        return None


def _reason_for(problem: Problem, warnings: list[dict]) -> str | None:
    """The officer's reason for a warning, from the submission's ``warnings`` list, or None."""
    for w in warnings:
        if str(w.get("rule", "")) != problem.code:
            continue
        option = str(w.get("option") or "")
        if option and option not in (problem.option, problem.disagg):
            continue
        indicator = str(w.get("indicator") or "")
        if indicator and problem.indicator and indicator != problem.indicator:
            continue
        disagg = w.get("disagg")
        if indicator and disagg is not None and str(disagg) != problem.disagg:
            continue
        reason = str(w.get("reason") or "").strip()
        if reason:
            return reason
    return None


def previous_head_values(conn: Connection, sub: SubmissionDoc) -> tuple[str, dict[tuple[str, str], str]]:
    """The previous period's code and the head values of that report of the same unit and form (empty
    when the hub has none): what the client's ``store/history.py`` reads from its own database."""
    from dttscore.payload import values_from_list
    from dttscore.periods import previous

    try:
        period = previous(sub.period)
    except DttsError:
        return "", {}
    row = conn.execute(
        sa.select(t.reports.c.values_json).where(
            t.reports.c.unit == sub.unit, t.reports.c.form == sub.form, t.reports.c.period == period
        )
    ).first()
    if row is None:
        return period, {}
    return period, values_from_list(json.loads(row[0] or "[]"))
