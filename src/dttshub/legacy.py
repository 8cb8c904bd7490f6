"""Values from outside the reporting flow: legacy data through the 2025 crosswalk, and survey baselines.

``dttshub legacy import FILE --unit-list vn-pre-2025`` (:func:`import_legacy`) reads a long table
(:mod:`dttshub.longtable`) keyed by the communes that existed before 01/07/2025 and maps each old commune to
the 2025 commune it went into with the crosswalk (``resources/ref/crosswalk_2025.csv``, the package ``dttscore.ref``, or any file of the
same shape):

* an old commune merged **whole** (one crosswalk row, ``merge_type`` ``full``) into a new one: where the
  indicator adds up (``Indicator.how_aggregated`` is ``sum``) its values are added to the new commune's,
  with every other old commune merged whole into it. A new commune whose sum lacks an old commune of the
  crosswalk (not in the file, or split: ``partial``) gets the flag ``incomplete``;
* an old commune **split** between several new ones (``partial``) cannot be apportioned without weights:
  its values stay on the old unit (``unit_list`` ``vn-pre-2025``), flagged ``partial``, listed in the report;
* a value whose aggregation is not a sum stays on its old unit, flagged ``not_sum``.

``dttshub baseline import FILE --survey NAME --reference-date YYYY-MM-DD`` (:func:`import_baseline`) reads the
same table keyed by 2025 units (communes, or agencies of the hub) as the survey's published figures.

Both store read-only rows in ``historical_values`` tied to one ``imports`` row (the file's name and digest,
the code list, the survey and its date, who and when, the report). Every row is checked first (unknown
unit, form, period, indicator, dimension, option or value, a value given twice, a value already imported):
any refusal refuses the whole file with located messages (:class:`~dttshub.longtable.TableRefused`) and
nothing is written; otherwise everything is written in one transaction.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import sqlalchemy as sa

from dttscore import ethsystems, refdata
from dttscore.catalog_tables import canonical_decimal
from dttscore.disagg import make_key
from dttscore.errors import DttsError
from dttscore.model import Catalog
from dttscore.periods import check_period_for_form
from dttscore.values import canonical_of
from dttshub import db as t
from dttshub.catalogs import Catalogs
from dttshub.db import DECIMAL_SUM, Database, iso
from dttshub.errors import BadRequest, NotFound
from dttshub.longtable import LongTable, Row, TableProblem, TableRefused, read_long_table

logger = logging.getLogger(__name__)

OLD_UNIT_LIST = "vn-pre-2025"
NEW_UNIT_LIST = "vn-2025-07"
LEGACY_SERIES = "legacy"
CROSSWALK_FILE = "crosswalk_2025.csv"
CROSSWALK_COLUMNS = ("new_commune_code", "old_commune_code", "merge_type")
MERGE_TYPES = ("full", "partial")
MAX_CROSSWALK_BYTES = 16 * 1024 * 1024
MAX_SURVEY = 200
_CODE_RE = re.compile(r"[0-9]{1,5}")


@dataclass(frozen=True)
class Target:
    """Where (part of) an old commune went: the new commune and ``full`` or ``partial``."""

    new: str
    merge_type: str


@dataclass
class Crosswalk:
    """The crosswalk from the pre-2025 communes to the 2025 ones.

    Attributes:
        targets: old commune code → where it went (one ``full`` target, or several ``partial`` ones).
        old_names: old commune code → its name.
        whole_parts: new commune → the old communes merged whole into it.
        split_into: the new communes that took part of a split old commune.
    """

    targets: dict[str, tuple[Target, ...]] = field(default_factory=dict)
    old_names: dict[str, str] = field(default_factory=dict)
    whole_parts: dict[str, set[str]] = field(default_factory=dict)
    split_into: set[str] = field(default_factory=set)

    def merged_whole(self, old: str) -> str | None:
        """The new commune an old one went into whole, or None when it was split."""
        targets = self.targets.get(old, ())
        if len(targets) == 1 and targets[0].merge_type == "full":
            return targets[0].new
        return None


def _crosswalk_error(source: str, vi: str, en: str, row: int | None = None, column: str | None = None):
    return TableRefused(source, [TableProblem(vi, en, row, column)])


def parse_crosswalk(text: str, source: str = CROSSWALK_FILE) -> Crosswalk:
    """A crosswalk from the text of a CSV file shaped like ``crosswalk_2025.csv``.

    Needs the columns ``new_commune_code``, ``old_commune_code``, ``merge_type`` (others, such as names,
    are read when present). An old commune listed ``full`` must have no other row.

    Raises:
        TableRefused: a missing column, an unknown ``merge_type``, a bad code, an inconsistent old commune.
    """
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    missing = [c for c in CROSSWALK_COLUMNS if c not in columns]
    if missing:
        raise _crosswalk_error(
            source,
            f"bảng chuyển đổi thiếu cột {', '.join(missing)} (cần {', '.join(CROSSWALK_COLUMNS)}).",
            f"the crosswalk lacks the column(s) {', '.join(missing)} (needs {', '.join(CROSSWALK_COLUMNS)}).",
            1,
        )
    targets: dict[str, list[Target]] = defaultdict(list)
    cw = Crosswalk()
    for number, row in enumerate(reader, start=2):
        old = (row.get("old_commune_code") or "").strip()
        new = (row.get("new_commune_code") or "").strip()
        kind = (row.get("merge_type") or "").strip()
        if not _CODE_RE.fullmatch(old):
            raise _crosswalk_error(
                source, "mã xã cũ không hợp lệ.", "bad old commune code.", number, "old_commune_code"
            )
        if refdata.commune(new) is None:
            raise _crosswalk_error(
                source,
                f"'{new[:20]}' không phải mã xã của danh mục 2025.",
                f"'{new[:20]}' is not a commune code of the 2025 list.",
                number,
                "new_commune_code",
            )
        if kind not in MERGE_TYPES:
            raise _crosswalk_error(
                source,
                "merge_type phải là full hoặc partial.",
                "merge_type must be full or partial.",
                number,
                "merge_type",
            )
        targets[old].append(Target(new, kind))
        cw.old_names.setdefault(old, (row.get("old_commune_name") or "").strip())
    for old, ts in targets.items():
        if any(x.merge_type == "full" for x in ts) and len(ts) > 1:
            raise _crosswalk_error(
                source,
                f"xã cũ {old} được ghi 'full' nhưng có {len(ts)} dòng.",
                f"old commune {old} is marked 'full' but has {len(ts)} rows.",
            )
        cw.targets[old] = tuple(ts)
        for x in ts:
            if x.merge_type == "full":
                cw.whole_parts.setdefault(x.new, set()).add(old)
            else:
                cw.split_into.add(x.new)
    return cw


@lru_cache(maxsize=1)
def shipped_crosswalk() -> Crosswalk:
    """The crosswalk shipped in ``resources/ref/crosswalk_2025.csv`` (whole country; see ATTRIBUTION.md)."""
    text = (files("dttscore.ref") / CROSSWALK_FILE).read_text(encoding="utf-8-sig")
    return parse_crosswalk(text)


def load_crosswalk(path: str | Path | None = None) -> Crosswalk:
    """The crosswalk of ``path`` (a CSV of the same shape as the shipped one), or the shipped one."""
    if path is None:
        return shipped_crosswalk()
    path = Path(path)
    try:
        if path.stat().st_size > MAX_CROSSWALK_BYTES:
            raise _crosswalk_error(path.name, "bảng chuyển đổi quá lớn.", "the crosswalk file is too large.")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise _crosswalk_error(
            path.name, f"không đọc được bảng chuyển đổi ({err}).", f"cannot read the crosswalk ({err})."
        ) from err
    return parse_crosswalk(text, path.name)


# -- checking the rows --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Parsed:
    row: int
    unit: str
    form: str
    period: str
    indicator: str
    disagg: str
    value: str


def current_catalog(catalogs: Catalogs) -> Catalog:
    """The hub's current catalogue (what the rows are checked against)."""
    current = catalogs.current()
    catalog = catalogs.get(current.catalog_id, current.version) if current is not None else None
    if catalog is None:
        raise NotFound(
            "no_catalog",
            "Máy chủ chưa có danh mục chỉ tiêu: hãy ban hành danh mục trước khi nhập số liệu.",
            "The hub has no catalogue yet: publish one before importing data.",
        )
    return catalog


def _check_rows(
    table: LongTable, catalog: Catalog, unit_known, unit_problem: tuple[str, str], eth_system: str = ""
) -> tuple[list[Parsed], list[TableProblem]]:
    """Every row parsed, or the problems of the rows (located).

    ``eth_system``: the ethnic code system the file says it uses (``--eth-system``); a row's own
    ``eth_system`` column overrides it. Another system than the catalogue's is refused
    (:mod:`dttscore.ethsystems`: no conversion table with a citable source is shipped).
    """
    expected_eth = catalog.ethnic_code_system or ethsystems.DEFAULT
    parsed: list[Parsed] = []
    form_indicators: dict[str, frozenset[str]] = {}
    option_codes: dict[str, frozenset[str]] = {}

    def bad(row: Row, column: str, vi: str, en: str) -> None:
        table.refuse_row(TableProblem(vi, en, row.number, column))

    for row in table.rows:
        c = row.cells
        before = table.problem_count
        unit, form, period, code, raw = c["unit"], c["form"], c["period"], c["indicator"], c["value"]
        if not unit_known(unit):
            bad(row, "unit", unit_problem[0].format(unit=unit[:20]), unit_problem[1].format(unit=unit[:20]))
        if not catalog.has_form(form):
            bad(
                row,
                "form",
                f"danh mục hiện hành không có biểu '{form[:32]}'.",
                f"the current catalogue has no form '{form[:32]}'.",
            )
            continue
        f = catalog.form(form)
        try:
            check_period_for_form(period, f.period_type)
        except DttsError as exc:
            bad(row, "period", exc.message_vi, exc.message_en)
        if form not in form_indicators:
            form_indicators[form] = frozenset(i.code for i in catalog.form_indicators(f))
        if code not in form_indicators[form]:
            bad(
                row,
                "indicator",
                f"biểu {form} không có chỉ tiêu '{code[:32]}'.",
                f"form {form} has no indicator '{code[:32]}'.",
            )
            continue
        ind = catalog.indicator(code)
        dims = catalog.dimensions_of(ind)
        given = {d: c[d] for d in table.dimensions if c.get(d)}
        row_system = c.get("eth_system") or eth_system or expected_eth
        if "eth" in given and row_system != expected_eth:
            vi, en = ethsystems.refusal(row_system, expected_eth)
            bad(
                row,
                "eth_system" if c.get("eth_system") else "eth",
                f"dòng này dùng {vi}",
                f"this row uses {en}",
            )
            continue
        for d in given:
            if d not in dims:
                bad(
                    row,
                    d,
                    f"chỉ tiêu {code} không phân tổ theo '{d}'.",
                    f"indicator {code} is not broken down by '{d}'.",
                )
            else:
                if d not in option_codes:
                    option_codes[d] = frozenset(o.code for o in catalog.options_for(d))
                if given[d] not in option_codes[d]:
                    bad(
                        row,
                        d,
                        f"'{given[d][:20]}' không phải mã của '{d}'.",
                        f"'{given[d][:20]}' is not a code of '{d}'.",
                    )
        if given and set(given) != set(dims):
            missing = ", ".join(d for d in dims if d not in given)
            bad(
                row,
                missing.split(",")[0],
                f"chỉ tiêu {code} phân tổ theo {', '.join(dims)}: ghi đủ các cột đó, hoặc để trống cả (giá trị tổng).",
                f"indicator {code} is broken down by {', '.join(dims)}: fill all of them, or none (the total).",
            )
        try:
            value = canonical_of(raw, ind.value_type)
        except DttsError as exc:
            bad(row, "value", exc.message_vi, exc.message_en)
            value = None
        else:
            if value is None:
                bad(row, "value", "thiếu giá trị.", "the value is missing.")
        if table.problem_count > before:
            continue
        disagg = _intern(make_key(given)) if given else ""
        parsed.append(
            Parsed(row.number, _intern(unit), _intern(form), _intern(period), _intern(code), disagg, value)
        )
    # the same value twice: found by sorting (no index of every key beside the rows: memory)
    parsed.sort(key=_key)
    kept: list[Parsed] = []
    for p in parsed:
        if kept and _key(kept[-1]) == _key(p):
            table.refuse_row(
                TableProblem(
                    f"giá trị này đã có ở dòng {kept[-1].row}.",
                    f"this value is already given on row {kept[-1].row}.",
                    p.row,
                    "value",
                )
            )
            continue
        kept.append(p)
    del parsed
    return kept, table.problems


def _key(p: Parsed) -> tuple:
    return (p.unit, p.form, p.period, p.indicator, p.disagg)


def _intern(text: str) -> str:
    """One copy of a code that repeats on many rows (memory: a million rows share a few thousand codes)."""
    return sys.intern(text)


def _refuse_if(table: LongTable, problems: list[TableProblem]) -> None:
    if table.problem_count:
        problems.sort(key=lambda p: p.row or 0)
        raise TableRefused(table.source, problems[:200], table.problem_count)


# -- legacy -----------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Out:
    unit: str
    unit_list: str
    form: str
    period: str
    indicator: str
    disagg: str
    value: str
    flag: str
    sources: list[str]
    row: int


def map_legacy(
    parsed: list[Parsed], catalog: Catalog, cw: Crosswalk, source: str = ""
) -> tuple[list[_Out], dict]:
    """The stored rows of a legacy table and the import's report (nothing written).

    Raises:
        TableRefused: a sum of merged communes does not fit a value (more than 15 digits), located at the
            rows that make it up; nothing is stored.
    """
    sums: dict[tuple, _Out] = {}
    rows_of: dict[tuple, list[int]] = {}
    totals: dict[tuple, Decimal] = {}
    out: list[_Out] = []
    partial: dict[str, dict] = {}
    not_sum: set[str] = set()
    for p in parsed:
        ind = catalog.indicator(p.indicator)
        new = cw.merged_whole(p.unit)
        if new is not None and ind.how_aggregated == "sum":
            key = (new, p.form, p.period, p.indicator, p.disagg)
            totals[key] = totals.get(key, Decimal(0)) + Decimal(p.value)
            if key not in sums:
                sums[key] = _Out(
                    new, NEW_UNIT_LIST, p.form, p.period, p.indicator, p.disagg, "", "", [], p.row
                )
            sums[key].sources.append(p.unit)
            rows_of.setdefault(key, []).append(p.row)
            continue
        if new is None:
            flag = "partial"
            entry = partial.setdefault(
                p.unit,
                {
                    "unit": p.unit,
                    "name": cw.old_names.get(p.unit, ""),
                    "new_units": sorted(x.new for x in cw.targets[p.unit]),
                    "values": 0,
                },
            )
            entry["values"] += 1
        else:
            flag = "not_sum"
            not_sum.add(p.unit)
        out.append(
            _Out(
                p.unit, OLD_UNIT_LIST, p.form, p.period, p.indicator, p.disagg, p.value, flag, [p.unit], p.row
            )
        )
    incomplete: dict[str, list[str]] = {}
    too_large: list[TableProblem] = []
    for key, o in sums.items():
        ind = catalog.indicator(o.indicator)
        try:
            o.value = (
                canonical_of(totals[key], "decimal" if ind.value_type != "integer" else "integer") or "0"
            )
        except DttsError:
            rows = ", ".join(str(r) for r in sorted(rows_of[key]))
            cell = f"{o.indicator}{' [' + o.disagg + ']' if o.disagg else ''}"
            too_large.append(
                TableProblem(
                    f"các xã cũ {', '.join(sorted(set(o.sources)))} gộp vào xã {o.unit}: tổng của chỉ tiêu {cell}, kỳ {o.period} là "
                    f"{totals[key]}, quá 15 chữ số nên không lưu được (các dòng {rows}). Kiểm tra các số này "
                    "(đơn vị, số bị nhập hai lần).",
                    f"old communes {', '.join(sorted(set(o.sources)))} merged into {o.unit}: the sum of indicator {cell}, period {o.period} is "
                    f"{totals[key]}, more than 15 digits, so it cannot be stored (rows {rows}). Check these "
                    "figures (the unit, a number typed twice).",
                    row=min(rows_of[key]),
                    column="value",
                )
            )
            continue
        expected = cw.whole_parts.get(o.unit, set())
        lacking = sorted(expected - set(o.sources))
        if lacking or o.unit in cw.split_into:
            o.flag = "incomplete"
            incomplete.setdefault(o.unit, sorted(set(lacking) | set(incomplete.get(o.unit, []))))
        o.sources.sort()
        out.append(o)
    if too_large:
        too_large.sort(key=lambda x: x.row or 0)
        raise TableRefused(source, too_large[:200], len(too_large))
    report = {
        "values_read": len(parsed),
        "values_stored": len(out),
        "summed_into_2025": len(sums),
        "new_units": len({o.unit for o in sums.values()}),
        "partial": sorted(partial.values(), key=lambda e: e["unit"]),
        "not_sum_units": sorted(not_sum),
        "incomplete": [
            {
                "unit": unit,
                "name": getattr(refdata.commune(unit), "commune_name", ""),
                "missing_old_units": lacking,
                "took_part_of_split_units": unit in cw.split_into,
            }
            for unit, lacking in sorted(incomplete.items())
        ],
    }
    return out, report


def import_legacy(
    db: Database,
    catalogs: Catalogs,
    path: str | Path,
    unit_list: str,
    by: str,
    now,
    crosswalk: str | Path | None = None,
    eth_system: str = "",
) -> dict:
    """Import a legacy long table keyed by pre-2025 communes (see the module docstring).

    Returns:
        The import's report: ``import_id``, ``source``, counts, ``partial`` (old units left on their own,
        with the new communes that took part of them), ``not_sum_units``, ``incomplete`` (new communes
        whose sums lack old communes).

    Raises:
        BadRequest: an unknown ``unit_list``.
        TableRefused: any row refused, or already imported (nothing is written).
    """
    if unit_list != OLD_UNIT_LIST:
        raise BadRequest(
            "bad_unit_list",
            f"Chỉ nhập được số liệu theo danh mục xã trước 01/07/2025 ('{OLD_UNIT_LIST}'), không phải '{unit_list}'.",
            f"Only data keyed by the communes before 01/07/2025 ('{OLD_UNIT_LIST}') can be imported, not '{unit_list}'.",
        )
    cw = load_crosswalk(crosswalk)
    table = read_long_table(path)
    catalog = current_catalog(catalogs)
    parsed, problems = _check_rows(
        table,
        catalog,
        lambda u: u in cw.targets,
        (
            "'{unit}' không phải mã xã của danh mục trước 01/07/2025 (vn-pre-2025) trong bảng chuyển đổi.",
            "'{unit}' is not a commune code of the list before 01/07/2025 (vn-pre-2025) in the crosswalk.",
        ),
        eth_system,
    )
    _refuse_if(table, problems)
    rows, report = map_legacy(parsed, catalog, cw, table.source)
    meta = {"kind": "legacy", "unit_list": OLD_UNIT_LIST, "survey": "", "reference_date": ""}
    return _store(db, table, rows, report, meta, LEGACY_SERIES, by, now)


def import_baseline(
    db: Database,
    catalogs: Catalogs,
    path: str | Path,
    survey: str,
    reference_date: str,
    by: str,
    now,
    unit_known=None,
    eth_system: str = "",
) -> dict:
    """Import a survey's published figures for 2025 units as baseline values (series = ``survey``).

    Args:
        unit_known: tells whether a unit code exists (communes of the 2025 list and the hub's agencies);
            None: communes only.

    Raises:
        BadRequest: an empty or too long survey name, a reference date that is not YYYY-MM-DD.
        TableRefused: any row refused, or already imported (nothing is written).
    """
    survey = survey.strip()
    if not survey or len(survey) > MAX_SURVEY:
        raise BadRequest(
            "bad_survey",
            f"Cần tên cuộc điều tra (1–{MAX_SURVEY} ký tự).",
            f"The survey needs a name (1–{MAX_SURVEY} characters).",
        )
    try:
        reference = date.fromisoformat(reference_date).isoformat()
    except (TypeError, ValueError) as exc:
        raise BadRequest(
            "bad_reference_date",
            f"Ngày tham chiếu phải dạng NĂM-THÁNG-NGÀY (2024-10-01), không phải '{reference_date}'.",
            f"The reference date must be YEAR-MONTH-DAY (2024-10-01), not '{reference_date}'.",
        ) from exc
    table = read_long_table(path)
    catalog = current_catalog(catalogs)
    known = unit_known or (lambda u: refdata.commune(u) is not None)
    parsed, problems = _check_rows(
        table,
        catalog,
        known,
        (
            "'{unit}' không phải mã xã (danh mục 2025) hay cơ quan của máy chủ.",
            "'{unit}' is not a commune code (2025 list) nor an agency of the hub.",
        ),
        eth_system,
    )
    _refuse_if(table, problems)
    rows = [
        _Out(p.unit, NEW_UNIT_LIST, p.form, p.period, p.indicator, p.disagg, p.value, "", [], p.row)
        for p in parsed
    ]
    report = {"values_read": len(parsed), "values_stored": len(rows), "units": len({p.unit for p in parsed})}
    meta = {"kind": "baseline", "unit_list": NEW_UNIT_LIST, "survey": survey, "reference_date": reference}
    return _store(db, table, rows, report, meta, survey, by, now)


def _store(
    db: Database, table: LongTable, rows: list[_Out], report: dict, meta: dict, series: str, by: str, now
) -> dict:
    """Write the import and its rows in one transaction; refuse values already imported in the series."""
    hv = t.historical_values.c
    forms_periods = {(o.form, o.period) for o in rows}
    with db.begin() as conn:
        existing = set()
        for form, period in sorted(forms_periods):
            for r in conn.execute(
                sa.select(hv.unit_list, hv.unit, hv.indicator, hv.disagg, hv.import_id).where(
                    hv.series == series, hv.form == form, hv.period == period
                )
            ):
                existing.add((r.unit_list, r.unit, form, period, r.indicator, r.disagg))
        clashes = [
            o for o in rows if (o.unit_list, o.unit, o.form, o.period, o.indicator, o.disagg) in existing
        ]
        if clashes:
            problems = [
                TableProblem(
                    f"giá trị {o.indicator} {o.disagg or ''} của {o.unit}, kỳ {o.period} đã được nhập trước đây.",
                    f"the value {o.indicator} {o.disagg or ''} of {o.unit}, period {o.period} was imported before.",
                    o.row,
                    "value",
                )
                for o in sorted(clashes, key=lambda o: o.row)
            ]
            raise TableRefused(table.source, problems[:200], len(problems))
        import_id = conn.execute(
            t.imports.insert().values(
                kind=meta["kind"],
                source=table.source[:255],
                sha256=table.sha256,
                unit_list=meta["unit_list"],
                survey=meta["survey"],
                reference_date=meta["reference_date"],
                imported_at=iso(now),
                imported_by=by[:64],
                report_json="{}",
            )
        ).inserted_primary_key[0]
        full = {
            "ok": True,
            "import_id": import_id,
            "kind": meta["kind"],
            "source": table.source,
            "sha256": table.sha256,
            "series": series,
            **meta,
            **report,
        }
        conn.execute(
            t.imports.update().where(t.imports.c.id == import_id).values(report_json=json.dumps(full))
        )
        batch = (
            {
                "import_id": import_id,
                "series": series,
                "unit": o.unit,
                "unit_list": o.unit_list,
                "form": o.form,
                "period": o.period,
                "indicator": o.indicator,
                "disagg": o.disagg,
                "value": o.value,
                "flag": o.flag,
                "sources": ",".join(o.sources),
            }
            for o in rows
        )
        while chunk := list(itertools.islice(batch, 5000)):  # built 5,000 at a time: memory stays flat
            conn.execute(t.historical_values.insert(), chunk)
    logger.info("%s import %s: %s values from %s", meta["kind"], import_id, len(rows), table.source)
    return full


def historical(
    db: Database, unit: str | None = None, form: str | None = None, series: str | None = None
) -> list[dict]:
    """Stored historical and baseline values, with the source and code list of their import."""
    hv, im = t.historical_values.c, t.imports.c
    conds = []
    if unit is not None:
        conds.append(hv.unit == unit)
    if form is not None:
        conds.append(hv.form == form)
    if series is not None:
        conds.append(hv.series == series)
    with db.read() as conn:
        rows = conn.execute(
            sa.select(
                hv.series,
                hv.unit,
                hv.unit_list,
                hv.form,
                hv.period,
                hv.indicator,
                hv.disagg,
                hv.value,
                hv.flag,
                hv.sources,
                im.kind,
                im.source,
                im.survey,
                im.reference_date,
                im.id.label("import_id"),
            )
            .select_from(t.historical_values.join(t.imports, im.id == hv.import_id))
            .where(*conds)
            .order_by(hv.unit, hv.form, hv.period, hv.indicator, hv.disagg)
        ).all()
    return [dict(r._mapping) for r in rows]


MAX_BASELINES = 20_000
"""Most baseline values one unit gets in ``GET baselines``."""


def baselines_of(db: Database, unit: str) -> list[dict]:
    """The survey baselines of ``unit`` (items of ``BaselinesReply``), newest reference date first."""
    hv, im = t.historical_values.c, t.imports.c
    with db.read() as conn:
        rows = conn.execute(
            sa.select(im.survey, im.reference_date, hv.form, hv.period, hv.indicator, hv.disagg, hv.value)
            .select_from(t.historical_values.join(t.imports, im.id == hv.import_id))
            .where(im.kind == "baseline", hv.unit == unit, hv.unit_list == NEW_UNIT_LIST)
            .order_by(im.reference_date.desc(), im.survey, hv.form, hv.indicator, hv.disagg)
            .limit(MAX_BASELINES)
        ).all()
    return [dict(r._mapping) for r in rows]


@dataclass(frozen=True)
class SurveySums:
    """One survey's baseline figures for a form, added up over a set of units (the console's totals page).

    Attributes:
        survey / reference_date / period: the survey, its reference date (YYYY-MM-DD), the period it gave.
        units: how many of the units asked about have any figure of this survey for the form.
        cells: ``{(indicator, disagg): (sum, units)}``; key ``(indicator, "")`` is the indicator's total:
            each unit's own total where the survey gave one, else the sum of that unit's cells.
    """

    survey: str
    reference_date: str
    period: str
    units: int
    cells: dict[tuple[str, str], tuple[Decimal, int]]


_NUMBER_PG = r"^-?[0-9]+(\.[0-9]+)?$"
_BASELINE_CHUNK = 5000  # units per query (bind parameters stay far below every limit)


def exact_sum(dialect: str):
    """``(number, add)`` for exact sums of ``historical_values.value``: ``number`` is true for a numeric value,
    ``add(cond)`` the exact sum of the values where ``cond`` holds (PostgreSQL ``NUMERIC``; on SQLite the
    aggregate ``db.DECIMAL_SUM`` over the canonical text, its result text)."""
    hv = t.historical_values.c
    if dialect == "sqlite":
        number = sa.and_(hv.value != "", hv.value.op("NOT GLOB", is_comparison=True)("*[^0-9.-]*"))

        def add(cond):
            return sa.type_coerce(getattr(sa.func, DECIMAL_SUM)(sa.case((cond, hv.value))), sa.String)

    else:
        number = hv.value.op("~", is_comparison=True)(_NUMBER_PG)

        def add(cond):
            return sa.func.sum(sa.case((cond, sa.cast(hv.value, sa.Numeric))))

    return number, add


def baseline_sums(
    db: Database, form: str, units: list[str] | tuple[str, ...], indicators
) -> list[SurveySums]:
    """The survey baselines of ``form`` added up over ``units``, per survey, newest reference date first.

    Only numeric values of the indicators given (those that add up) are summed, exactly (PostgreSQL
    ``NUMERIC``; on SQLite the exact aggregate ``db.DECIMAL_SUM`` over the canonical text). Two grouped
    queries per 5,000 units, whatever the number of cells.

    Args:
        form: the form code.
        units: the units in scope (codes of the 2025 list or agencies).
        indicators: the indicator codes to add up.
    """
    hv, im = t.historical_values.c, t.imports.c
    codes = sorted(set(indicators))
    units = list(units)
    if not codes or not units:
        return []
    number, add = exact_sum(db.dialect)
    key_cols = (im.survey, im.reference_date, hv.period, hv.indicator)
    cells: dict[tuple, dict[tuple[str, str], tuple[Decimal, int]]] = {}
    totals: dict[tuple, dict[str, tuple[Decimal, int]]] = {}
    covered: dict[tuple, set[str]] = {}
    with db.read() as conn:
        for start in range(0, len(units), _BASELINE_CHUNK):
            where = (
                im.kind == "baseline",
                hv.unit_list == NEW_UNIT_LIST,
                hv.form == form,
                hv.indicator.in_(codes),
                hv.unit.in_(units[start : start + _BASELINE_CHUNK]),
            )
            joined = t.historical_values.join(t.imports, im.id == hv.import_id)
            # the cells: one row per survey, period, indicator and breakdown
            for r in conn.execute(
                sa.select(*key_cols, hv.disagg, add(number).label("total"), sa.func.count().label("n"))
                .select_from(joined)
                .where(*where, hv.disagg != "", number)
                .group_by(*key_cols, hv.disagg)
            ):
                into = cells.setdefault((r.survey, r.reference_date, r.period), {})
                _add_figure(into, (r.indicator, r.disagg), r.total, r.n)
            # the totals: one row per survey, period, indicator and unit (its own total, its cells' sum)
            for r in conn.execute(
                sa.select(
                    *key_cols,
                    hv.unit,
                    add(sa.and_(number, hv.disagg == "")).label("own"),
                    add(sa.and_(number, hv.disagg != "")).label("parts"),
                )
                .select_from(joined)
                .where(*where)
                .group_by(*key_cols, hv.unit)
            ):
                key = (r.survey, r.reference_date, r.period)
                covered.setdefault(key, set()).add(r.unit)
                value = r.own if r.own is not None else r.parts
                if value is not None:
                    _add_figure(totals.setdefault(key, {}), r.indicator, value, 1)
    out = []
    for key in sorted(covered, key=lambda k: (k[1], k[0], k[2]), reverse=True):
        figures = dict(cells.get(key, {}))
        figures.update({(code, ""): v for code, v in totals.get(key, {}).items()})
        figures = {k: (Decimal(canonical_decimal(v)), n) for k, (v, n) in figures.items()}
        out.append(SurveySums(key[0], key[1], key[2], len(covered[key]), figures))
    return out


def _add_figure(into: dict, key, total: object, n: int) -> None:
    """Add a sum as the database returns it (Decimal, or text on SQLite) and its unit count into ``into``."""
    if total is None:
        return
    value = Decimal(str(total))
    old = into.get(key)
    into[key] = (value, n) if old is None else (old[0] + value, old[1] + n)
