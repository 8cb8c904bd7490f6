"""The repository's own docs stay true: every route the hub serves is described, every link resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _served_paths(tmp_path: Path) -> set[str]:
    from dttshub.app import create_app

    app = create_app({"db_url": f"sqlite:///{tmp_path / 'hub.sqlite'}", "data_dir": str(tmp_path)})
    return set(app.openapi()["paths"])


def test_every_served_route_is_described(tmp_path):
    """A route added to the hub without a word in docs/sync-protocol.md or docs/province.md fails here."""
    text = (DOCS / "sync-protocol.md").read_text(encoding="utf-8") + (DOCS / "province.md").read_text(
        encoding="utf-8"
    )
    paths = _served_paths(tmp_path)
    assert "/api/v1/submissions:batch" in paths  # the document really was read
    missing = sorted(p for p in paths if p not in text)
    assert not missing, f"describe these routes in docs/sync-protocol.md or docs/province.md: {missing}"


@pytest.mark.parametrize("page", sorted([*DOCS.glob("*.md"), ROOT / "README.md"]), ids=lambda p: p.name)
def test_relative_links_resolve(page):
    text = page.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        if not (page.parent / target.split("#", 1)[0]).exists():
            broken.append(target)
    assert not broken, f"{page.name}: {broken}"


def test_every_sheet_column_and_keyword_of_the_catalogue_is_described():
    """docs/catalogue.md names every sheet, column, meta key and choice the loader accepts."""
    from dttscore import catalog_tables, model

    text = (DOCS / "catalogue.md").read_text(encoding="utf-8")
    words = {*catalog_tables.SHEETS, *catalog_tables.META_KEYS, *model.VALUE_TYPES, *model.PERIOD_TYPES}
    words |= {*model.ETH_OPTIONS, *model.SEVERITIES}
    words |= {column for columns in catalog_tables.COLUMNS.values() for column in columns}
    missing = sorted(w for w in words if f"`{w}`" not in text)
    assert not missing, f"describe these in docs/catalogue.md: {missing}"


def test_the_code_cites_the_repository_docs_not_outside_files():
    """The design files outside the repository are not what the code answers to: its own docs are."""
    cited = []
    for path in [*ROOT.joinpath("src").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for name in ("SYNC", "CATALOG", "PRODUCT", "STYLE"):
            if f"{name}.md" in text and path.name != "test_docs.py":
                cited.append(f"{path.relative_to(ROOT)}: {name}.md")
    assert not cited, cited
