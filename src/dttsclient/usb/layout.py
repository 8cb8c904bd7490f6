"""The printed layout of a report, shared by the Excel and the PDF writers (one content, two renderings).

The table has the columns *Mã số | Chỉ tiêu | Đơn vị tính | value columns … | Tổng số | Ghi chú*. Each
group of the catalogue starts with a group row; each indicator of the form has an indicator row (code,
name, unit, its single value or its total). A disaggregated indicator then has a small table (its shape:
:mod:`dttscore.layout`, as on screen): when it has the column dimension (sex), a sub-header row
names the options of the columns, and one data row per combination of its other dimensions (ethnic
groups: the report's rows for forms with ``eth_options = present``, all groups otherwise; areas, levels)
holds the values with the row total; a "Cộng" row adds the columns. Totals are computed values (never
formulas), only for integer and decimal indicators (a sum of percentages means nothing).

Value cells carry their (code, disagg) key, which the Excel writer records in its hidden ``_dtts`` sheet
so the import finds every cell again. :func:`export_report` is the common way out for both: render to the
profile's disk, then copy atomically and verified to the target.
"""

from __future__ import annotations

import dataclasses
import shutil
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from dttsclient.usb.atomic import DiskUsage, Wrap, copy_atomic, work_beside
from dttscore import disagg as disagg_keys
from dttscore import indicator_options, periods, refdata, unitcodes, values
from dttscore.errors import DttsError, ValueInputError
from dttscore.labels import local_time_label
from dttscore.layout import IndicatorTable, indicator_table
from dttscore.model import Catalog, Indicator

if TYPE_CHECKING:
    from dttsclient.store import Store

TOTAL_TYPES = ("integer", "decimal")
COLUMN_HEADERS = ("Mã số", "Chỉ tiêu", "Đơn vị tính", "Tổng số", "Ghi chú")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Cell:
    """One cell of the value area.

    Attributes:
        text: what is printed (Vietnamese number format, "Có"/"Không", the text).
        value: what goes into Excel: int / float for numbers, str otherwise, None when empty.
        key: (code, disagg) for a cell holding a value of the report; None for totals and labels.
        value_type: the indicator's value type ("" for labels).
    """

    text: str = ""
    value: int | float | str | None = None
    key: tuple[str, str] | None = None
    value_type: str = ""


@dataclass(frozen=True)
class Row:
    """A row of the table. ``kind``: "group", "indicator", "subheader", "data" or "total"."""

    kind: str
    code: str = ""
    label: str = ""
    unit: str = ""
    cells: tuple[Cell, ...] = ()
    total: Cell = field(default_factory=Cell)
    note: str = ""
    span: bool = False  # a text value: printed across the value and total columns


@dataclass(frozen=True)
class ReportLayout:
    """Everything both renderings print, plus the metadata the import needs."""

    form: str
    form_name: str
    unit: str
    unit_name: str
    province_name: str
    period: str
    period_label: str
    catalog_id: str
    catalog_version: int
    catalog_title: str
    legal_basis: str
    sample: bool
    state: str
    value_columns: int
    rows: tuple[Row, ...]
    place: str
    submission_lines: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    unit_kind: str = "commune"  # or "agency": a province agency (19-SGDDT) prints under its own name

    @property
    def issuer(self) -> str:
        """The reporting body as the heading prints it: "UBND Xã …" for a commune, the agency's name."""
        return self.unit_name if self.unit_kind == "agency" else f"UBND {self.unit_name}"

    @property
    def head_title(self) -> str:
        """Who signs on the right of the signature block."""
        return "THỦ TRƯỞNG CƠ QUAN" if self.unit_kind == "agency" else "THỦ TRƯỞNG ĐƠN VỊ"

    @property
    def headers(self) -> tuple[str, ...]:
        """Column headers: Mã số, Chỉ tiêu, Đơn vị tính, Số liệu (× value columns), Tổng số, Ghi chú."""
        return (*COLUMN_HEADERS[:3], *(["Số liệu"] * self.value_columns), *COLUMN_HEADERS[3:])

    @property
    def header_lines(self) -> tuple[tuple[str, str], ...]:
        """(label, text) lines printed under the title."""
        lines = [
            (
                "Đơn vị báo cáo",
                f"{self.issuer} (mã {self.unit})" + (f", {self.province_name}" if self.province_name else ""),
            ),
            ("Kỳ báo cáo", f"{self.period_label} (mã kỳ {self.period})"),
            ("Danh mục chỉ tiêu", f"{self.catalog_title}, phiên bản {self.catalog_version}"),
            ("Căn cứ", self.legal_basis),
            *self.submission_lines,
        ]
        return tuple(lines)

    @property
    def title(self) -> str:
        return self.form_name.upper()

    @property
    def date_line(self) -> str:
        return f"{self.place}, ngày …… tháng …… năm ……"


def number_value(canonical: str) -> int | float:
    """The spreadsheet number of a canonical numeric string (int when whole)."""
    dec = values.to_decimal(canonical)
    if dec == dec.to_integral_value() and abs(dec) < Decimal(10) ** 15:
        return int(dec)
    return float(dec)


def value_cell(indicator: Indicator, key: tuple[str, str], canonical: str | None) -> Cell:
    vt = indicator.value_type
    if canonical is None or canonical == "":
        return Cell(key=key, value_type=vt)
    text = values.format_value(canonical, vt)
    if vt in values.NUMERIC_TYPES:
        try:
            return Cell(text=text, value=number_value(canonical), key=key, value_type=vt)
        except ValueInputError:  # a stored value that is not a number: show it as it is
            return Cell(text=canonical, value=canonical, key=key, value_type=vt)
    return Cell(text=text, value=text, key=key, value_type=vt)


def total_cell(indicator: Indicator, canonicals: list[str | None]) -> Cell:
    """The sum of some cells, for integer and decimal indicators with at least one value."""
    if indicator.value_type not in TOTAL_TYPES:
        return Cell()
    nums = []
    for c in canonicals:
        if c:
            try:
                nums.append(values.to_decimal(c))
            except ValueInputError:  # a damaged stored value is shown, not summed
                continue
    if not nums:
        return Cell()
    total = sum(nums, Decimal(0))
    plain = format(total, "f")
    return Cell(text=values.format_decimal(total), value=number_value(plain), value_type=indicator.value_type)


def _place(unit_name: str) -> str:
    for prefix in ("Xã ", "Phường ", "Đặc khu ", "Thị trấn "):
        if unit_name.startswith(prefix):
            return unit_name[len(prefix) :]
    return unit_name or "……"


def _eth_codes(
    catalog: Catalog, form_eth: str, eth_rows: list[str], cells: Mapping[tuple[str, str], str]
) -> list[str]:
    return disagg_keys.report_eth_codes(catalog, form_eth, eth_rows, (key for _, key in cells))


def build_layout(
    catalog: Catalog,
    form_code: str,
    unit: str,
    period: str,
    cells: Mapping[tuple[str, str], str],
    comments: Mapping[tuple[str, str], Any] | None = None,
    eth_rows: list[str] | None = None,
    state: str = "draft",
    unit_name: str | None = None,
) -> ReportLayout:
    """The layout of one report.

    Args:
        catalog: the catalogue version the report is pinned to.
        form_code: the form.
        unit / period: the report's commune and period codes.
        cells: ``(code, disagg) -> canonical``.
        comments: ``(code, disagg) -> comment`` (objects with ``.text``, or strings).
        eth_rows: the report's ethnic-group rows (forms with ``eth_options = present``).
        state: the report's state, printed as a mark for drafts.
        unit_name: the unit's name when the unit list does not hold it (a province agency: from the
            profile, as the hub named it).
    """
    comments = comments or {}
    form = catalog.form(form_code)
    indicators = catalog.form_indicators(form)
    eth = _eth_codes(catalog, form.eth_options, list(eth_rows or []), cells)

    def options(dim: str) -> list[tuple[str, str]]:
        opts = {o.code: o.name_vi for o in catalog.options_for(dim)}
        codes = eth if dim == "eth" else list(opts)
        return [(c, opts.get(c, c)) for c in codes]

    def note_of(keys: list[tuple[str, str]], labels: list[str]) -> str:
        parts = []
        for key, label in zip(keys, labels, strict=True):
            c = comments.get(key)
            if c is None:
                continue
            text = getattr(c, "text", c)
            parts.append(f"{label}: {text}" if label else str(text))
        return "; ".join(parts)

    def options_of(ind: Indicator):
        # the options the indicator's ``options`` column keeps: an excluded one gets no row nor column
        if not ind.options:
            return options
        return lambda dim: [(c, name) for c, name in options(dim) if indicator_options.allows(ind, dim, c)]

    def codes_of(ind: Indicator):
        keep = options_of(ind)
        return lambda dim: [c for c, _ in keep(dim)]

    tables = {
        ind.code: indicator_table(dims, codes_of(ind))
        for ind in indicators
        if (dims := catalog.dimensions_of(ind))
    }
    width = max([len(t.col_codes) for t in tables.values() if t.col_dim] or [1])

    rows: list[Row] = []
    group_names = {g.code: g.name_vi for g in catalog.groups}
    current_group = None
    group_no = 0
    for ind in indicators:
        if ind.group != current_group:
            current_group = ind.group
            group_no += 1
            rows.append(
                Row(
                    "group",
                    code=ind.group,
                    label=f"{_roman(group_no)}. {group_names.get(ind.group, ind.group)}",
                )
            )
        dims = catalog.dimensions_of(ind)
        if not dims:
            key = (ind.code, "")
            rows.append(
                Row(
                    "indicator",
                    ind.code,
                    ind.name_vi,
                    ind.unit,
                    cells=(value_cell(ind, key, cells.get(key)),) + (Cell(),) * (width - 1),
                    note=note_of([key], [""]),
                    span=ind.value_type == "text",
                )
            )
            continue
        rows.extend(_block(ind, tables[ind.code], cells, options_of(ind), note_of, width))
    kind = unitcodes.unit_kind(unit)
    if kind == "agency":
        province = unitcodes.province_name(unitcodes.agency_province(unit) or "")
        unit_name = unit_name or unit
        place = province or "……"
    else:
        unit_info = refdata.commune(unit)
        unit_name = unit_info.commune_name if unit_info else unit
        province = unit_info.province_name if unit_info else ""
        place = _place(unit_name)
    return ReportLayout(
        form=form.code,
        form_name=nfc(form.name_vi),
        unit=unit,
        unit_name=unit_name,
        province_name=province,
        period=period,
        period_label=periods.parse_period(period).label("vi"),
        catalog_id=catalog.catalog_id,
        catalog_version=catalog.version,
        catalog_title=catalog.title,
        legal_basis=catalog.legal_basis,
        sample=catalog.sample,
        state=state,
        value_columns=width,
        rows=tuple(rows),
        place=place,
        unit_kind=kind,
    )


def _block(ind, table: IndicatorTable, cells, options, note_of, width) -> list[Row]:
    """The rows of one disaggregated indicator (its shape: :func:`dttscore.layout.indicator_table`)."""
    col_dim, row_dims = table.col_dim, table.row_dims
    col_opts = options(col_dim) if col_dim else [(None, "")]
    names = {d: dict(options(d)) for d in row_dims}
    all_keys: list[tuple[str, str]] = []
    data_rows: list[Row] = []
    col_values: list[list[str | None]] = [[] for _ in col_opts]
    for trow in table.rows:
        label = " — ".join(names[d].get(c, c) for d, c in zip(row_dims, trow.codes, strict=True))
        keys, row_cells, row_vals = [], [], []
        for i, disagg in enumerate(trow.keys):
            key = (ind.code, disagg)
            keys.append(key)
            v = cells.get(key)
            row_vals.append(v)
            col_values[i].append(v)
            row_cells.append(value_cell(ind, key, v))
        all_keys += keys
        total = total_cell(ind, row_vals) if len(col_opts) > 1 else Cell()
        data_rows.append(
            Row(
                "data",
                label=label or "Số liệu",
                cells=_pad(row_cells, width),
                total=total,
                note=note_of(keys, [o[1] for o in col_opts] if col_dim else [""] * len(keys)),
            )
        )
    own = (ind.code, "")
    head = Row(
        "indicator",
        ind.code,
        ind.name_vi,
        ind.unit,
        cells=(Cell(),) * width,
        total=total_cell(ind, [cells.get(k) for k in all_keys]),
        note=note_of([own], [""]),
    )
    out = [head]
    if col_dim and data_rows:
        row_label = ", ".join(disagg_keys.dimension_name(d) for d in row_dims)
        out.append(
            Row(
                "subheader",
                label=row_label,
                cells=_pad([Cell(text=o[1]) for o in col_opts], width),
                total=Cell(text="Cộng" if ind.value_type in TOTAL_TYPES else ""),
            )
        )
    out += data_rows
    if len(data_rows) > 1 and ind.value_type in TOTAL_TYPES:
        totals = [total_cell(ind, vals) for vals in col_values]
        out.append(
            Row(
                "total",
                label="Cộng",
                cells=_pad(totals, width),
                total=total_cell(ind, [cells.get(k) for k in all_keys]),
            )
        )
    return out


def _pad(cells: list[Cell], width: int) -> tuple[Cell, ...]:
    return tuple(cells) + (Cell(),) * (width - len(cells))


def _roman(n: int) -> str:
    table = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in table:
        while n >= value:
            out += letters
            n -= value
    return out


def layout_for_report(store: Store, report_id: int) -> ReportLayout:
    """The layout of a stored report, against the catalogue version it is pinned to."""
    report = store.reports.report_by_id(report_id)
    if report.catalog_id is not None and report.catalog_version is not None:
        catalog = store.catalogs.catalog_version(report.catalog_id, report.catalog_version)
    else:  # a report pulled before any catalogue pinned it
        catalog = store.catalogs.current_catalog()
        if catalog is None:
            from dttsclient.store import NoCatalog

            raise NoCatalog()
    layout = build_layout(
        catalog,
        report.form,
        report.unit,
        report.period,
        store.reports.cells(report_id),
        store.reports.comments(report_id),
        store.reports.eth_rows(report_id),
        report.state,
        unit_name=_profile_unit_name(store, report.unit),
    )
    lines, notes = submission_facts(store, report)
    return dataclasses.replace(layout, submission_lines=lines, notes=notes)


BLANK = "blank"
"""The state of a :func:`layout_for_blank` layout: the empty form, printed to collect figures on paper."""


def state_mark(layout: ReportLayout) -> str:
    """The line printed under the title of a report that is not finalized."""
    if layout.state == BLANK:
        return "(Biểu trống — để ghi số liệu trên giấy)"
    return "(Bản nháp — chưa chốt số liệu)"


def layout_for_blank(store: Store, unit: str, form: str, period: str) -> ReportLayout:
    """The empty form of a report that does not exist yet, to print and fill in by hand.

    Against the current catalogue; the ethnic rows are those present in the commune: the groups of the
    unit's reports in the store (rows added and groups with values), the most recent period first. Nothing
    is written to the store.

    Raises:
        NoCatalog: no catalogue is installed.
        KeyError: the catalogue has no such form (the caller checks it first).
    """
    catalog = store.catalogs.current_catalog()
    if catalog is None:
        from dttsclient.store import NoCatalog

        raise NoCatalog()
    eth = commune_eth_rows(store, catalog, unit)
    return build_layout(catalog, form, unit, period, {}, {}, eth, BLANK)


def commune_eth_rows(store: Store, catalog: Catalog, unit: str) -> list[str]:
    """The ethnic groups present in the commune: those of its reports in the store, newest period first."""
    found: dict[str, None] = {}
    for report in sorted(store.reports.all(unit=unit), key=lambda r: r.period, reverse=True):
        keys = (key for _, key in store.reports.cells(report.id))
        for code in disagg_keys.report_eth_codes(catalog, "present", store.reports.eth_rows(report.id), keys):
            found.setdefault(code, None)
    return list(found)


def _profile_unit_name(store: Store, unit: str) -> str | None:
    """The profile's name of ``unit`` (how the hub named the officer's agency), None for another unit."""
    profile = store.settings.profile()
    return profile.unit_name if profile.unit == unit else None


def submission_facts(store: Store, report: Any) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """What a finalized report's paper says about its submission.

    Returns:
        The header lines "Lần nộp" (revision, when and by whom it was finalized) and "Số biên nhận" (the
        hub's receipt, when known), and the notes: the officer's reason for each warning, as recorded in
        the submission ("Ghi chú" under the table). Nothing for a draft: its values are not a submission.
    """
    if report.state != "finalized" or report.dirty:
        return (), ()
    subs = store.outbox.submissions(report.id)
    if not subs:  # pulled from the hub: only its revision there is known
        if report.server_revision:
            return (("Lần nộp", f"bản {report.server_revision} trên máy chủ"),), ()
        return (), ()
    sub = subs[-1]
    lines = [
        (
            "Lần nộp",
            f"bản {sub.revision_no}, chốt lúc {local_time_label(sub.finalized_at)} ({sub.finalized_by})",
        )
    ]
    item = next((o for o in store.outbox.items() if o.submission_id == sub.submission_id), None)
    if item is not None and item.receipt_no:
        received = f", nhận lúc {local_time_label(item.received_at)}" if item.received_at else ""
        lines.append(("Số biên nhận", f"{item.receipt_no}{received}"))
    else:
        lines.append(("Số biên nhận", "chưa có (máy chủ chưa nhận bản này)"))
    return tuple(lines), _warning_notes(store, report.id, sub.document.get("warnings") or [])


def _warning_notes(store: Store, report_id: int, recorded: list[dict[str, Any]]) -> tuple[str, ...]:
    """ "Cảnh báo R05 (0101): <message> — Giải trình: <reason>" per recorded warning."""
    if not recorded:
        return ()
    try:
        warnings = [p for p in store.reports.check(report_id) if not p.is_error]
    except DttsError:  # no catalogue to check against: the rule codes still say which warning
        warnings = []
    same = len(warnings) == len(recorded) and all(
        w.code == r.get("rule") and w.option == (r.get("option") or "")
        for w, r in zip(warnings, recorded, strict=True)
    )
    notes = []
    for n, doc in enumerate(recorded):
        rule, option = str(doc.get("rule") or ""), str(doc.get("option") or "")
        problem = (
            warnings[n]
            if same
            else next((w for w in warnings if w.code == rule and w.option == option), None)
        )
        where = f" ({problem.indicator})" if problem is not None and problem.indicator else ""
        what = (
            f": {problem.message_vi.rstrip('.')}"
            if problem is not None
            else (f" [{option}]" if option else "")
        )
        reason = str(doc.get("reason") or "").strip() or "(không ghi giải trình)"
        notes.append(f"Cảnh báo {rule}{where}{what} — Giải trình: {reason}")
    return tuple(notes)


# -- writing a rendering -------------------------------------------------------------------------------
Render = Callable[[ReportLayout, Path], None]


class ExportOptions(TypedDict, total=False):
    """The keyword options of :func:`export_report` (and of the writers that call it)."""

    disk_usage: DiskUsage
    wrap: Wrap | None


def report_target(path: Path, layout: ReportLayout, suffix: str) -> Path:
    """``path`` itself, or ``<form>-<unit>-<period><suffix>`` inside it when it is a folder."""
    if path.is_dir():
        return path / f"{layout.form}-{layout.unit}-{layout.period}{suffix}"
    return path


def export_report(
    store: Store,
    report_id: int,
    path: Path | str,
    *,
    suffix: str,
    render: Render,
    verify: Callable[[Path], object],
    disk_usage: DiskUsage = shutil.disk_usage,
    wrap: Wrap | None = None,
) -> Path:
    """Render a stored report into a work file beside ``path`` (its disk), then copy it there atomically.

    Args:
        store: the open profile.
        report_id: the report.
        path: the target file, or a folder (then ``<form>-<unit>-<period><suffix>`` inside it).
        suffix: the file type's suffix (".xlsx", ".pdf").
        render: writes the layout into a local file.
        verify: reads the written copy back and raises when it is not complete.
        disk_usage / wrap: passed to :func:`~dttsclient.usb.atomic.copy_atomic`.

    Returns:
        The file written.

    Raises:
        NotEnoughSpace, TargetVanished, TargetNotWritable, WriteCorrupted: the target failed.
    """
    return export_layout(
        layout_for_report(store, report_id),
        path,
        suffix=suffix,
        render=render,
        verify=verify,
        disk_usage=disk_usage,
        wrap=wrap,
    )


def export_layout(
    layout: ReportLayout,
    path: Path | str,
    *,
    suffix: str,
    render: Render,
    verify: Callable[[Path], object],
    disk_usage: DiskUsage = shutil.disk_usage,
    wrap: Wrap | None = None,
) -> Path:
    """Render ``layout`` beside ``path`` and copy it there atomically (see :func:`export_report`)."""
    target = report_target(Path(path), layout, suffix)
    with work_beside(target, disk_usage) as work:  # rendered on the target's disk, not the profile's
        local = work / f"report{suffix}"
        render(layout, local)
        copy_atomic(local, target, verify=verify, disk_usage=disk_usage, wrap=wrap)
    return target
