"""Legacy data through the 2025 crosswalk, and survey baselines (issue 17 items 2 and 4), on a real hub."""

from __future__ import annotations

import csv
import json

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from dttshub import db as t
from dttshub.cli import main
from dttshub.legacy import historical, load_crosswalk, parse_crosswalk, shipped_crosswalk
from dttshub.longtable import MAX_COLUMNS, TableRefused

HEADER = ["unit", "form", "period", "indicator", "eth", "sex", "value"]
# Old communes of the crosswalk sample: 01849 and 01984 went whole into 01849 (Xã Phong Quang); 22768
# (Phường Đông Hải) was split between 22780 and 22888; 22771 went whole into 22780, which also took
# 22779, 22780 and part of 22768.
GOOD = [
    ["01849", "BM01", "2024", "0102", "", "", "100"],
    ["01984", "BM01", "2024", "0102", "", "", "50"],
    ["01849", "BM01", "2024", "0101", "02", "F", "10"],
    ["01984", "BM01", "2024", "0101", "02", "F", "5"],
    ["01849", "BM01", "2024", "0201", "", "", "80.5"],
    ["22768", "BM01", "2024", "0102", "", "", "30"],
    ["22771", "BM01", "2024", "0102", "", "", "20"],
]


def write_csv(path, rows, header=HEADER):
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def stored(hub) -> list[tuple]:
    with hub.db.read() as conn:
        return conn.execute(
            sa.select(
                t.historical_values.c.unit,
                t.historical_values.c.unit_list,
                t.historical_values.c.indicator,
                t.historical_values.c.disagg,
                t.historical_values.c.value,
                t.historical_values.c.flag,
            ).order_by(
                t.historical_values.c.unit, t.historical_values.c.indicator, t.historical_values.c.disagg
            )
        ).all()


def test_shipped_crosswalk_is_the_whole_country():
    cw = shipped_crosswalk()
    assert sum(len(x) for x in cw.targets.values()) == 10_604
    assert len(cw.targets) == 10_052
    assert cw.merged_whole("01984") == "01849"
    assert cw.merged_whole("22768") is None


def test_merged_communes_add_up_and_split_ones_stay_on_the_old_unit(hub, tmp_path):
    path = write_csv(tmp_path / "cu.csv", GOOD)
    report = hub.hub.import_legacy(path, "vn-pre-2025", "test")
    rows = {(r.unit, r.unit_list, r.indicator, r.disagg): (r.value, r.flag) for r in stored(hub.hub)}
    assert rows[("01849", "vn-2025-07", "0102", "")] == ("150", "")
    assert rows[("01849", "vn-2025-07", "0101", "eth=02|sex=F")] == ("15", "")
    # a percentage does not add up: it stays on its old commune
    assert rows[("01849", "vn-pre-2025", "0201", "")] == ("80.5", "not_sum")
    # a split commune cannot be apportioned without weights
    assert rows[("22768", "vn-pre-2025", "0102", "")] == ("30", "partial")
    # 22780 got only 22771 of its whole parts, and part of the split 22768: its sum is incomplete
    assert rows[("22780", "vn-2025-07", "0102", "")] == ("20", "incomplete")
    assert len(rows) == 5
    assert [p["unit"] for p in report["partial"]] == ["22768"]
    assert report["partial"][0]["new_units"] == ["22780", "22888"]
    assert report["not_sum_units"] == ["01849"]
    assert [i["unit"] for i in report["incomplete"]] == ["22780"]
    assert report["incomplete"][0]["missing_old_units"] == ["22779", "22780"]
    # the rows say where they came from: the import, its source file and code list
    values = historical(hub.hub.db, unit="22768")
    assert values[0]["source"] == "cu.csv" and values[0]["kind"] == "legacy"
    assert values[0]["unit_list"] == "vn-pre-2025"
    with hub.hub.db.read() as conn:
        imp = conn.execute(sa.select(t.imports)).one()
    assert imp.unit_list == "vn-pre-2025" and json.loads(imp.report_json)["values_stored"] == 5


def test_xlsx_is_read_like_csv(hub, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["01849", "BM01", 2024, "0102", None, None, 100])
    ws.append(["01984", "BM01", 2024, "0102", None, None, 50])
    wb.save(tmp_path / "cu.xlsx")
    hub.hub.import_legacy(tmp_path / "cu.xlsx", "vn-pre-2025", "test")
    assert [(r.unit, r.value) for r in stored(hub.hub)] == [("01849", "150")]


def test_a_refused_file_changes_nothing_and_says_where(hub, tmp_path):
    bad = [
        *GOOD,
        ["99999", "BM01", "2024", "0102", "", "", "1"],
        ["01849", "BM01", "2024", "0103", "", "", "x"],
    ]
    path = write_csv(tmp_path / "cu.csv", bad)
    with pytest.raises(TableRefused) as info:
        hub.hub.import_legacy(path, "vn-pre-2025", "test")
    places = [(p.row, p.column) for p in info.value.problems]
    assert places == [(9, "unit"), (10, "value")]
    assert "dòng 9, cột unit" in info.value.message_vi and "99999" in info.value.message_vi
    assert stored(hub.hub) == []
    with hub.hub.db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.imports)).scalar() == 0


def test_a_sum_of_merged_communes_too_large_to_store_is_refused_at_its_rows(hub, tmp_path):
    """Each value fits (15 digits), their sum does not: the file is refused, located, nothing stored."""
    big = "999999999999999"
    rows = [
        *GOOD[2:],
        ["01849", "BM01", "2023", "0102", "", "", big],
        ["01984", "BM01", "2023", "0102", "", "", big],
    ]
    path = write_csv(tmp_path / "cu.csv", rows)
    with pytest.raises(TableRefused) as info:
        hub.hub.import_legacy(path, "vn-pre-2025", "test")
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (7, "value")
    assert "01849, 01984 gộp vào xã 01849" in problem.message_vi and "các dòng 7, 8" in problem.message_vi
    assert "quá 15 chữ số" in problem.message_vi and "more than 15 digits" in problem.message_en
    assert stored(hub.hub) == []


def test_values_already_imported_are_refused_whole(hub, tmp_path):
    hub.hub.import_legacy(write_csv(tmp_path / "a.csv", GOOD[:2]), "vn-pre-2025", "test")
    with pytest.raises(TableRefused) as info:
        hub.hub.import_legacy(write_csv(tmp_path / "b.csv", GOOD), "vn-pre-2025", "test")
    assert "đã được nhập" in info.value.problems[0].message_vi
    assert len(stored(hub.hub)) == 1


@pytest.mark.parametrize(
    ("header", "rows", "where"),
    [
        (["unit", "form", "period", "value"], [], (1, None)),  # no indicator column
        (HEADER, [["01849", "BM01", "2024S1", "0102", "", "", "1"]], (2, "period")),
        (HEADER, [["01849", "BM09", "2024", "0102", "", "", "1"]], (2, "form")),
        (HEADER, [["01849", "BM01", "2024", "0101", "02", "", "1"]], (2, "sex")),  # half a breakdown
        (HEADER, [["01849", "BM01", "2024", "0101", "77", "F", "1"]], (2, "eth")),
        (HEADER, [["01849", "BM01", "2024", "0102", "02", "", "1"]], (2, "eth")),  # not broken down
        (HEADER, [["01849", "BM01", "2024", "0102", "", "", "1", "extra"]], (2, None)),
        (HEADER, [GOOD[0], GOOD[0]], (3, "value")),  # the same value twice
    ],
)
def test_bad_rows_are_located(hub, tmp_path, header, rows, where):
    with pytest.raises(TableRefused) as info:
        hub.hub.import_legacy(write_csv(tmp_path / "cu.csv", rows, header), "vn-pre-2025", "test")
    assert (info.value.problems[0].row, info.value.problems[0].column) == where
    assert stored(hub.hub) == []


def test_hostile_files_are_refused_unread(hub, tmp_path):
    with pytest.raises(TableRefused):
        hub.hub.import_legacy(
            write_csv(tmp_path / "wide.csv", [], [f"c{i}" for i in range(MAX_COLUMNS + 1)]),
            "vn-pre-2025",
            "test",
        )
    (tmp_path / "fake.xlsx").write_bytes(b"PK\x03\x04 not a zip at all")
    with pytest.raises(TableRefused) as info:
        hub.hub.import_legacy(tmp_path / "fake.xlsx", "vn-pre-2025", "test")
    assert ".xlsx" in info.value.message_vi
    (tmp_path / "latin1.csv").write_bytes(",".join(HEADER).encode() + b"\n01849,BM01,2024,0102,,,\xe9\n")
    with pytest.raises(TableRefused) as info:
        hub.hub.import_legacy(tmp_path / "latin1.csv", "vn-pre-2025", "test")
    assert "UTF-8" in info.value.message_vi
    (tmp_path / "x.txt").write_text("a")
    with pytest.raises(TableRefused):
        hub.hub.import_legacy(tmp_path / "x.txt", "vn-pre-2025", "test")


def test_another_unit_list_is_refused(hub, tmp_path):
    from dttshub.errors import BadRequest

    with pytest.raises(BadRequest) as info:
        hub.hub.import_legacy(write_csv(tmp_path / "cu.csv", GOOD), "vn-2025-07", "test")
    assert info.value.code == "bad_unit_list"


def test_any_crosswalk_of_the_same_shape(hub, tmp_path):
    text = "new_commune_code,old_commune_code,merge_type\n01849,00001,full\n01849,00002,full\n"
    (tmp_path / "cw.csv").write_text(text, encoding="utf-8")
    path = write_csv(
        tmp_path / "cu.csv",
        [["00001", "BM01", "2024", "0102", "", "", "1"], ["00002", "BM01", "2024", "0102", "", "", "2"]],
    )
    hub.hub.import_legacy(path, "vn-pre-2025", "test", crosswalk=tmp_path / "cw.csv")
    assert [(r.unit, r.value, r.flag) for r in stored(hub.hub)] == [("01849", "3", "")]
    assert load_crosswalk(tmp_path / "cw.csv").merged_whole("00002") == "01849"
    with pytest.raises(TableRefused):
        parse_crosswalk("new_commune_code,old_commune_code\n01849,00001\n")
    with pytest.raises(TableRefused):
        parse_crosswalk("new_commune_code,old_commune_code,merge_type\n01849,00001,whole\n")


def test_baseline_import(hub, tmp_path):
    rows = [
        ["01849", "BM01", "2024", "0102", "", "", "90"],
        ["01849", "BM01", "2024", "0101", "02", "F", "12"],
    ]
    report = hub.hub.import_baseline(write_csv(tmp_path / "ks.csv", rows), "DTTS 2024", "2024-10-01", "test")
    assert report["values_stored"] == 2
    values = historical(hub.hub.db, unit="01849", series="DTTS 2024")
    assert {(v["indicator"], v["value"], v["reference_date"]) for v in values} == {
        ("0102", "90", "2024-10-01"),
        ("0101", "12", "2024-10-01"),
    }
    with pytest.raises(TableRefused):  # a pre-2025 code is not a 2025 unit
        hub.hub.import_baseline(
            write_csv(tmp_path / "b.csv", [["01984", "BM01", "2024", "0102", "", "", "1"]]),
            "DTTS 2024",
            "2024-10-01",
            "test",
        )


def run_cli(hub, capsys, *args):
    code = main([*args, "--db", hub.db_url, "--data-dir", str(hub.data_dir), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_cli_legacy_import(hub, tmp_path, capsys):
    code, doc = run_cli(
        hub,
        capsys,
        "legacy",
        "import",
        str(write_csv(tmp_path / "cu.csv", GOOD)),
        "--unit-list",
        "vn-pre-2025",
    )
    assert code == 0 and doc["ok"] and doc["values_stored"] == 5
    assert doc["partial"][0]["unit"] == "22768"
    bad = write_csv(tmp_path / "bad.csv", [["99999", "BM01", "2024", "0102", "", "", "1"]])
    code, doc = run_cli(hub, capsys, "legacy", "import", str(bad), "--unit-list", "vn-pre-2025")
    assert code == 1 and doc["error"]["code"] == "import_refused"
    assert (doc["problems"][0]["row"], doc["problems"][0]["column"]) == (2, "unit")
    code, doc = run_cli(
        hub,
        capsys,
        "baseline",
        "import",
        str(write_csv(tmp_path / "ks.csv", GOOD[:1])),
        "--survey",
        "DTTS 2024",
        "--reference-date",
        "2024-10-01",
    )
    assert code == 0 and doc["survey"] == "DTTS 2024"
    code, doc = run_cli(hub, capsys, "legacy", "show", "--unit", "22768")
    assert code == 0 and [(v["value"], v["flag"], v["source"]) for v in doc["values"]] == [
        ("30", "partial", "cu.csv")
    ]


def test_a_file_in_the_2008_ethnic_list_is_refused_naming_the_list_expected(hub, tmp_path):
    rows = [["01849", "BM01", "2024", "0101", "04", "F", "10", "gso-2008"], GOOD[0] + [""]]
    path = write_csv(tmp_path / "cu.csv", rows, [*HEADER, "eth_system"])
    with pytest.raises(TableRefused) as info:
        hub.hub.import_legacy(path, "vn-pre-2025", "test")
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (2, "eth_system")
    assert "gso-1979" in problem.message_vi and "1019/QĐ-TCTK" in problem.message_vi
    # the whole file said so on the command line: every row with an ethnic code is refused
    path = write_csv(tmp_path / "cu2.csv", GOOD)
    with pytest.raises(TableRefused) as info:
        hub.hub.import_legacy(path, "vn-pre-2025", "test", eth_system="gso-2008")
    assert [(p.row, p.column) for p in info.value.problems] == [(4, "eth"), (5, "eth")]
    assert stored(hub.hub) == []
    # stated as the catalogue's own system, the file goes in
    hub.hub.import_legacy(path, "vn-pre-2025", "test", eth_system="gso-1979")
    assert stored(hub.hub)


def test_too_many_rows_or_a_cell_too_long_is_refused(hub, tmp_path, monkeypatch):
    from dttshub import longtable

    monkeypatch.setattr(longtable, "MAX_ROWS", 3)
    rows = [[u, "BM01", y, "0102", "", "", "1"] for u in ("01849", "01984") for y in ("2022", "2023")]
    with pytest.raises(TableRefused) as info:
        hub.hub.import_legacy(write_csv(tmp_path / "long.csv", rows), "vn-pre-2025", "test")
    assert "3" in info.value.message_vi and "chia nhỏ" in info.value.message_vi
    monkeypatch.setattr(longtable, "MAX_CELL", 5)
    with pytest.raises(TableRefused) as info:
        hub.hub.import_legacy(
            write_csv(tmp_path / "wide.csv", [["01849", "BM01", "2024", "0102", "", "", "1234567"]]),
            "vn-pre-2025",
            "test",
        )
    assert (info.value.problems[0].row, info.value.problems[0].column) == (2, "value")
    assert stored(hub.hub) == []
