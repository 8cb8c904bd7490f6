"""Bad input, fuzzed: whatever an officer types or a stick carries, the software either does the job or
refuses with a clear sentence (Vietnamese by default) and changes nothing.

Covered: typed cell values (``parse_input`` and ``dttsclient values set``), catalogue JSON and workbooks
(fields edited, rows and sheets deleted, bytes damaged), Excel value imports (an exported report with
cells typed over, rows or sheets deleted, bytes damaged), backups, courier bundles (read by the client
and posted to the hub) and setup packages (random mutations of valid files, see ``mutate.py``).

Example counts come from the Hypothesis profile (``HYPOTHESIS_PROFILE``: "ci" by default, "long" for the
long run); tests that build a file per example take a fraction of it (``fuzz_settings``).
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dttsclient.cli.app import main as cli_main
from dttsclient.store import Store
from dttsclient.sync.login import setup_import
from dttsclient.usb.backup import export_backup, verify_backup
from dttsclient.usb.courier import export_courier, read_courier
from dttsclient.usb.restore import restore_backup
from dttsclient.usb.xlsx_import import import_values
from dttsclient.usb.xlsx_report import META_SHEET, export_xlsx
from dttscore import values
from dttscore.catalog import catalog_from_json, catalog_to_json, load_catalog
from dttscore.errors import CatalogError, DttsError, ValueInputError
from dttscore.formats.setup_package import SetupPackage, read_setup_package
from dttscore.model import Catalog
from tests.support import mutate
from tests.support.fuzz_checks import (
    assert_clean_message,
    assert_clean_refusal,
    fuzz_settings,
    hub_digest,
    profile_digest,
    refused_or_done,
)
from tests.support.hubfixture import COMMUNE_A, SAMPLE_CATALOG, TEST_NOW, TIMEOUT, start_hub
from tests.support.usbutil import USER, accept, fill, finalize, open_profile

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_XLSX = ROOT / "resources" / "catalog" / "sample.xlsx"
VALUE_TYPES = ("integer", "decimal", "percent", "yes_no", "text")


def cli(data_dir: Path, *args: str) -> tuple[int, str, str]:
    """``dttsclient --data-dir D ARGS`` in this process (the CLI's own parse and dispatch)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(["--data-dir", str(data_dir), *args])
    return code, out.getvalue(), err.getvalue()


def cli_refusal_changes_nothing(data_dir: Path, *args: str) -> int:
    """Run a CLI command: exit 0/3, or exit 1 with a Vietnamese message and the profile unchanged."""
    before = profile_digest(data_dir)
    code, _, err = cli(data_dir, *args)
    assert code in (0, 1, 3), (code, err)
    if code == 1:
        assert_clean_message(err)
        assert profile_digest(data_dir) == before, f"refused ({err.strip()}) but the profile changed"
    return code


def all_cells(data_dir: Path) -> dict[tuple, str]:
    """Every cell of every report of a profile, keyed by (unit, form, period, code, disagg)."""
    with Store.open(data_dir) as store:
        return {
            (r.unit, r.form, r.period, code, key): value
            for r in store.reports.all()
            for (code, key), value in store.reports.cells(r.id).items()
        }


def scratch() -> tempfile.TemporaryDirectory:
    """A folder for one example's files (function-scoped fixtures do not reset between examples)."""
    return tempfile.TemporaryDirectory(prefix="fuzz-")


# -- typed cell values ------------------------------------------------------------------------------------
numberish = st.text(alphabet="0123456789.,- +\u00a0\u2212eE%", max_size=24)
typed = numberish | st.text(max_size=30) | st.sampled_from(mutate.NASTY_STRINGS)


@given(text=typed, value_type=st.sampled_from(VALUE_TYPES))
def test_a_typed_value_is_a_canonical_value_or_a_clear_refusal(text, value_type):
    try:
        canonical = values.parse_input(text, value_type)
    except ValueInputError as exc:
        assert_clean_refusal(exc)
        return
    if canonical is None:
        assert not text.strip(), f"{text!r} read as empty"
        return
    if value_type != "text":
        assert values.is_canonical(canonical, value_type), canonical
    # what the grid shows for it reads back as the same value
    assert values.parse_input(values.format_value(canonical, value_type), value_type) == canonical


@pytest.fixture(scope="module")
def entry_profile(tmp_path_factory) -> Path:
    """A profile of commune A with the small test catalogue and a BM01 2026 draft."""
    data_dir = tmp_path_factory.mktemp("entry") / "profile"
    with open_profile(data_dir) as store:
        fill(store)
    return data_dir


codes = st.sampled_from(["0101", "0102", "0103", "0201", "9999", "01O2", "", "0102 ", "٠١٠٢"])
keys = st.sampled_from(
    ["", "eth=02|sex=F", "sex=F|eth=02", "eth=99|sex=F", "eth=02", "sex=X", "eth=02|sex=F|x=1", "=", "|"]
)
assignment = st.builds(
    lambda code, key, value: f"{code}{'@' + key if key else ''}={value}",
    codes,
    keys,
    typed.filter(lambda v: "\n" not in v),
)


@given(items=st.lists(assignment, min_size=1, max_size=4))
def test_values_set_saves_good_values_and_refuses_bad_ones_without_a_trace(entry_profile, items):
    code = cli_refusal_changes_nothing(
        entry_profile, "values", "set", "--form", "BM01", "--period", "2026", *items
    )
    if code == 0:
        with Store.open(entry_profile) as store:
            report = store.reports.report(COMMUNE_A, "BM01", "2026")
            catalog = store.catalogs.catalog_version(report.catalog_id, report.catalog_version)
            for (ind, _), value in store.reports.cells(report.id).items():
                assert values.is_canonical(value, catalog.indicator(ind).value_type), (ind, value)


@pytest.mark.parametrize(
    "args",
    [
        ["--form", "BM01", "--period", "2026", "0102=12abc"],
        ["--form", "BM01", "--period", "2026Q9", "0102=1"],
        ["--form", "BM99", "--period", "2026", "0102=1"],
        ["--form", "BM01", "--period", "2026", "0101@eth=02|sex=F=-5", "0201=120"],
        ["--form", "BM01", "--period", "2026", "0102"],
    ],
)
def test_values_set_in_a_real_process_exits_1_with_vietnamese_on_stderr(entry_profile, args):
    before = profile_digest(entry_profile)
    proc = subprocess.run(
        [sys.executable, "-m", "dttsclient", "--data-dir", str(entry_profile), "values", "set", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**__import__("os").environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert_clean_message(proc.stderr)
    assert profile_digest(entry_profile) == before


# -- catalogues -----------------------------------------------------------------------------------------
SAMPLE_JSON = json.loads(SAMPLE_CATALOG.read_text(encoding="utf-8"))


def loaded_or_refused(load) -> Catalog | CatalogError:
    """A catalogue load: a catalogue, or a CatalogError listing each problem in both languages."""
    try:
        catalog = load()
    except CatalogError as exc:
        assert_clean_refusal(exc)
        assert exc.problems
        for problem in exc.problems:
            assert problem.text("vi").strip() and problem.text("en").strip()
        return exc
    assert isinstance(catalog, Catalog)
    # a catalogue that loads survives its JSON round trip (what the hub and the store keep)
    assert catalog_from_json(json.loads(json.dumps(catalog_to_json(catalog)))) == catalog
    return catalog


@given(edits=st.lists(mutate.json_edits(SAMPLE_JSON), min_size=1, max_size=3))
def test_catalogue_json_with_fields_edited_or_deleted(edits):
    doc = SAMPLE_JSON
    for path, value in edits:
        try:
            doc = mutate.edit_json(doc, path, value)
        except (KeyError, IndexError, TypeError):  # an earlier edit removed or replaced the parent
            continue
    loaded_or_refused(lambda: catalog_from_json(doc))


@pytest.fixture(scope="module")
def catalog_profile(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("cat") / "profile"
    with open_profile(data_dir) as store:
        fill(store)
    return data_dir


@fuzz_settings(0.5)
@given(mutation=mutate.byte_mutations(SAMPLE_CATALOG.read_bytes()))
def test_catalogue_json_file_with_damaged_bytes(catalog_profile, mutation):
    with scratch() as tmp:
        path = Path(tmp) / "danh-muc.json"
        path.write_bytes(mutation(SAMPLE_CATALOG.read_bytes()))
        loaded_or_refused(lambda: load_catalog(path))
        cli_refusal_changes_nothing(catalog_profile, "catalog", "import", str(path))


SAMPLE_SHAPE = mutate.xlsx_shape(SAMPLE_XLSX)


@st.composite
def workbook_edits(draw: st.DrawFn, shape: dict[str, tuple[int, int]]) -> dict:
    """Edits of a workbook of ``shape``: cells typed over, rows deleted, sheets deleted."""
    sheets = sorted(shape)
    cells = {}
    for _ in range(draw(st.integers(0, 4))):
        sheet = draw(st.sampled_from(sheets))
        rows, cols = shape[sheet]
        row, col = draw(st.integers(1, rows + 1)), draw(st.integers(1, cols + 1))
        from openpyxl.utils import get_column_letter

        cells[(sheet, f"{get_column_letter(col)}{row}")] = draw(mutate.cell_values)
    rows_to_delete = {}
    if draw(st.booleans()):
        sheet = draw(st.sampled_from(sheets))
        rows_to_delete[sheet] = draw(st.lists(st.integers(1, shape[sheet][0]), min_size=1, max_size=3))
    delete_sheets = draw(st.lists(st.sampled_from(sheets), max_size=1))
    if not (cells or rows_to_delete or delete_sheets):
        cells[(sheets[0], "A1")] = None
    return {"cells": cells, "delete_rows": rows_to_delete, "delete_sheets": delete_sheets}


@fuzz_settings(0.25)
@given(edits=workbook_edits(SAMPLE_SHAPE))
def test_catalogue_workbook_with_cells_rows_or_sheets_edited(catalog_profile, edits):
    with scratch() as tmp:
        path = mutate.edit_xlsx(SAMPLE_XLSX, Path(tmp) / "danh-muc.xlsx", **edits)
        loaded_or_refused(lambda: load_catalog(path))
        cli_refusal_changes_nothing(catalog_profile, "catalog", "import", str(path))


@fuzz_settings(0.25)
@given(mutation=mutate.zip_mutations(SAMPLE_XLSX.read_bytes()))
def test_catalogue_workbook_with_damaged_bytes_or_members(mutation):
    with scratch() as tmp:
        path = Path(tmp) / "danh-muc.xlsx"
        path.write_bytes(mutation(SAMPLE_XLSX.read_bytes()))
        loaded_or_refused(lambda: load_catalog(path))


# -- Excel value import -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def exported_report(tmp_path_factory) -> tuple[Path, Path]:
    """(profile, an exported BM01 2026 workbook of it)."""
    base = tmp_path_factory.mktemp("xlsx")
    with open_profile(base / "profile") as store:
        path = export_xlsx(store, fill(store), base / "bm01.xlsx")
    return base / "profile", path


def _import(data_dir: Path, path: Path):
    with Store.open(data_dir) as store:
        return import_values(store, path)


@fuzz_settings(0.25)
@given(data=st.data())
def test_value_import_of_an_edited_export(exported_report, data):
    data_dir, source = exported_report
    edits = data.draw(workbook_edits(mutate.xlsx_shape(source)))
    with scratch() as tmp:
        path = mutate.edit_xlsx(source, Path(tmp) / "bm01.xlsx", **edits)
        before = all_cells(data_dir)
        result = refused_or_done(data_dir, lambda: _import(data_dir, path))
        if not isinstance(result, DttsError):
            after = all_cells(data_dir)
            assert set(before) <= set(after), "an import erased a value"


@fuzz_settings(0.25)
@given(data=st.data())
def test_value_import_of_a_damaged_file(exported_report, data):
    data_dir, source = exported_report
    mutation = data.draw(mutate.zip_mutations(source.read_bytes()))
    with scratch() as tmp:
        path = Path(tmp) / "bm01.xlsx"
        path.write_bytes(mutation(source.read_bytes()))
        refused_or_done(data_dir, lambda: _import(data_dir, path))


def test_value_import_refusal_names_the_sheet_and_cell(exported_report, tmp_path):
    data_dir, source = exported_report
    from openpyxl import load_workbook

    rows = list(load_workbook(source)[META_SHEET].iter_rows(values_only=True))
    start = rows.index(("sheet", "cell", "code", "disagg", "value_type"))
    sheet, ref = rows[start + 1][0], rows[start + 1][1]
    path = mutate.edit_xlsx(source, tmp_path / "bad.xlsx", cells={(sheet, ref): "mười hai"})
    result = refused_or_done(data_dir, lambda: _import(data_dir, path))
    assert isinstance(result, DttsError) and ref in result.text("vi") and sheet in result.text("vi")


# -- backups ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def backup_file(tmp_path_factory) -> tuple[Path, bytes]:
    """(a live profile, the bytes of a backup of it: accepted, queued and draft reports)."""
    base = tmp_path_factory.mktemp("bak")
    with open_profile(base / "profile") as store:
        accept(store, finalize(store, "2025"), "BN-2025")
        finalize(store, "2026")
        store.reports.set_comment(fill(store, "2027"), "0102", "", "Số hộ theo điều tra tháng 6", USER)
        path = export_backup(store, base / "ban-sao.dttsbak").path
    return base / "profile", path.read_bytes()


def _restore_checked(data_dir: Path, path: Path) -> None:
    before = all_cells(data_dir)
    result = refused_or_done(data_dir, lambda: restore_backup(data_dir, path))
    if not isinstance(result, DttsError):
        assert set(before) <= set(all_cells(data_dir)), "a restore deleted a value"


@fuzz_settings(0.25)
@given(data=st.data())
def test_damaged_backup_is_refused_and_changes_nothing(backup_file, data):
    data_dir, original = backup_file
    resealed = data.draw(st.booleans())
    mutation = data.draw(mutate.zip_mutations(original, reseal_after=resealed))
    with scratch() as tmp:
        path = Path(tmp) / "ban-sao.dttsbak"
        path.write_bytes(mutation(original))
        try:
            verify_backup(path)
        except DttsError as exc:
            assert_clean_refusal(exc)
        _restore_checked(data_dir, path)


# -- courier bundles ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def courier_setup(tmp_path_factory):
    """A hub with the small catalogue and officer A's account; a bundle of two unsent submissions."""
    base = tmp_path_factory.mktemp("courier")
    hub = start_hub(base, clock=TEST_NOW)
    try:
        hub.publish_catalog()
        hub.add_user(USER, "officer", COMMUNE_A)
        with open_profile(base / "profile") as store:
            finalize(store, "2025")
            finalize(store, "2026")
            bundle = export_courier(store, base / "goi.dttsgoi").path.read_bytes()
        session = hub.session(USER)
        yield hub, session, bundle
    finally:
        hub.stop()


@fuzz_settings(0.5)
@given(data=st.data())
def test_damaged_courier_bundle_is_refused_by_client_and_hub(courier_setup, data):
    hub, session, original = courier_setup
    mutation = data.draw(mutate.zip_mutations(original, reseal_after=data.draw(st.booleans())))
    damaged = mutation(original)
    with scratch() as tmp:
        path = Path(tmp) / "goi.dttsgoi"
        path.write_bytes(damaged)
        try:
            read_courier(path)
        except DttsError as exc:
            assert_clean_refusal(exc)
    before = hub_digest(hub)
    r = session.post(hub.api + "/bundles", data=damaged, timeout=TIMEOUT)
    assert r.status_code < 500, r.text
    assert r.headers["content-type"].startswith("application/json")
    doc = r.json()
    assert doc["server_id"] == hub.server_id
    if r.status_code == 200:
        assert all(
            res["status"] in ("accepted", "duplicate", "rejected", "conflict", "late")
            for res in doc["results"]
        )
        for res in doc["results"]:
            for err in res["errors"]:
                assert_clean_message(err["message_vi"], err["message_en"])
    else:
        assert_clean_message(doc["error"]["message_vi"], doc["error"]["message_en"])
        assert hub_digest(hub) == before, f"bundle refused ({doc['error']['code']}) but the hub changed"


# -- setup packages -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def setup_file(courier_setup, tmp_path_factory) -> tuple[bytes, SetupPackage, Path]:
    """(a signed setup package for officer A, what it reads as, an empty profile)."""
    hub = courier_setup[0]
    data = hub.hub.setup_package(hub.hub.accounts.get_user(USER), "https://dtts.example/")
    data_dir = tmp_path_factory.mktemp("setup") / "profile"
    Store.open(data_dir).close()
    return data, read_setup_package(data), data_dir


@fuzz_settings(0.5)
@given(data=st.data())
def test_damaged_setup_package_is_refused_and_changes_nothing(setup_file, data):
    original, good, data_dir = setup_file
    damaged = data.draw(mutate.zip_mutations(original))(original)
    try:
        package = read_setup_package(damaged)
    except DttsError as exc:
        assert_clean_refusal(exc)
    else:  # only damage that leaves every signed byte as it was may pass
        assert (package.catalog_json, package.account, package.server) == (
            good.catalog_json,
            good.account,
            good.server,
        )
    with scratch() as tmp:
        path = Path(tmp) / "can_bo.dttssetup"
        path.write_bytes(damaged)
        with Store.open(data_dir) as store:
            before = profile_digest(data_dir)
            try:
                setup_import(store, path)
            except DttsError as exc:
                assert_clean_refusal(exc)
                assert profile_digest(data_dir) == before


# -- deeply nested JSON (Python's parser gives up with RecursionError, not ValueError) ------------------
DEEP = b"[" * 100_000 + b"]" * 100_000


def test_deeply_nested_catalogue_json_is_refused(catalog_profile, tmp_path):
    path = tmp_path / "danh-muc.json"
    path.write_bytes(DEEP)
    assert isinstance(loaded_or_refused(lambda: load_catalog(path)), CatalogError)
    assert cli_refusal_changes_nothing(catalog_profile, "catalog", "import", str(path)) == 1


def test_deeply_nested_manifest_in_a_backup_is_refused(backup_file, tmp_path):
    data_dir, original = backup_file
    path = tmp_path / "ban-sao.dttsbak"
    path.write_bytes(mutate.replace_member(original, "manifest.json", DEEP, reseal_after=True))
    with pytest.raises(DttsError) as info:
        verify_backup(path)
    assert_clean_refusal(info.value)
    assert isinstance(refused_or_done(data_dir, lambda: restore_backup(data_dir, path)), DttsError)


def _bundle_with_deep_member(original: bytes) -> bytes:
    """The bundle with its first submission replaced by deep JSON, the manifest's hash made to fit."""
    import hashlib

    manifest = json.loads(dict(mutate.zip_members(original))["manifest.json"])
    entry = manifest["submissions"][0]
    entry["sha256"], entry["size"] = hashlib.sha256(DEEP).hexdigest(), len(DEEP)
    data = mutate.replace_member(original, entry["file"], DEEP)
    return mutate.replace_member(data, "manifest.json", mutate.dump_json(manifest), reseal_after=True)


@pytest.mark.parametrize("where", ["manifest", "submission"])
def test_deeply_nested_json_in_a_courier_bundle_is_refused_by_client_and_hub(courier_setup, tmp_path, where):
    hub, session, original = courier_setup
    if where == "manifest":
        damaged = mutate.replace_member(original, "manifest.json", DEEP, reseal_after=True)
    else:
        damaged = _bundle_with_deep_member(original)
    path = tmp_path / "goi.dttsgoi"
    path.write_bytes(damaged)
    with pytest.raises(DttsError) as info:
        read_courier(path)
    assert_clean_refusal(info.value)
    before = hub_digest(hub)
    r = session.post(hub.api + "/bundles", data=damaged, timeout=TIMEOUT)
    assert r.status_code == 400, r.text
    assert_clean_message(r.json()["error"]["message_vi"], r.json()["error"]["message_en"])
    assert hub_digest(hub) == before


def test_deeply_nested_json_in_a_setup_package_is_refused(setup_file, tmp_path):
    original, _, data_dir = setup_file
    path = tmp_path / "can_bo.dttssetup"
    path.write_bytes(mutate.replace_member(original, "manifest.json", DEEP))
    with Store.open(data_dir) as store:
        assert isinstance(refused_or_done(data_dir, lambda: setup_import(store, path)), DttsError)


def test_a_deeply_nested_reply_from_the_server_is_no_connection(courier_setup, tmp_path):
    from dttsclient.sync.credentials import MemoryCredentials
    from dttsclient.sync.errors import SyncError
    from dttsclient.sync.login import login
    from tests.support.faultproxy import FaultProxy
    from tests.support.hubfixture import DEFAULT_PASSWORD
    from tests.support.syncutil import FAST

    hub = courier_setup[0]
    data_dir = tmp_path / "profile"
    Store.open(data_dir).close()
    with FaultProxy(hub.url, lifetime=60) as proxy, Store.open(data_dir) as store:
        proxy.fault("rewrite", path="/ping", rewrite=lambda body: DEEP)
        before = profile_digest(data_dir)
        with pytest.raises(SyncError) as info:
            login(store, proxy.url, USER, DEFAULT_PASSWORD, MemoryCredentials(), "PC xã", config=FAST)
        assert_clean_refusal(info.value)
        assert profile_digest(data_dir) == before


@pytest.mark.parametrize("field", ["profile", "schema", "commune"])
@pytest.mark.parametrize("value", [True, 5, "x", ["a"], {"a": 1}])
def test_a_backup_manifest_with_fields_of_the_wrong_type_is_refused(backup_file, tmp_path, field, value):
    data_dir, original = backup_file
    if (field, type(value)) in {("profile", dict), ("schema", list), ("commune", str)}:
        return  # the right type: not bad input
    path = tmp_path / "ban-sao.dttsbak"
    path.write_bytes(mutate.edit_zip_json(original, "manifest.json", (field,), value, reseal_after=True))
    with pytest.raises(DttsError) as info:
        verify_backup(path)
    assert_clean_refusal(info.value)
    assert isinstance(refused_or_done(data_dir, lambda: restore_backup(data_dir, path)), DttsError)


@pytest.mark.parametrize("version", [None, "1", 1.5, True, 0, -1, [1]])
def test_a_setup_package_manifest_with_a_bad_format_version_is_refused(setup_file, tmp_path, version):
    original, _, data_dir = setup_file
    damaged = mutate.edit_zip_json(original, "manifest.json", ("format_version",), version)
    with pytest.raises(DttsError) as info:
        read_setup_package(damaged)
    assert_clean_refusal(info.value)
    path = tmp_path / "can_bo.dttssetup"
    path.write_bytes(damaged)
    with Store.open(data_dir) as store:
        assert isinstance(refused_or_done(data_dir, lambda: setup_import(store, path)), DttsError)
