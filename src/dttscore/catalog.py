"""The catalogue loader: a file to a :class:`~dttscore.model.Catalog`, and the catalogue API in one place.

:func:`load_catalog` dispatches on the file's suffix to the JSON reader (:mod:`dttscore.catalog_build`) or
the authoring workbook (:mod:`dttscore.workbook`); both hand plain tables to
:func:`~dttscore.catalog_build.catalog_from_tables`, which checks everything, resolves the forms'
indicator codes and the default options, and builds the catalogue. This module sits above both, so neither
imports it (the workbook is imported when an .xlsx is loaded).

Example:
    >>> catalog = load_catalog("resources/catalog/sample.json")
    >>> [i.code for i in catalog.form_indicators("BM03")][:2]
    ['0101', '0102']
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from dttscore.catalog_build import (
    DEFAULTED_DIMENSIONS,
    catalog_etag,
    catalog_from_json,
    catalog_from_tables,
    catalog_json_text,
    catalog_to_json,
    dump_catalog_json,
    expand_indicator_spec,
    resolved,
)
from dttscore.errors import CatalogError, CatalogProblem
from dttscore.model import Catalog

__all__ = [
    "DEFAULTED_DIMENSIONS",
    "CatalogError",
    "CatalogProblem",
    "catalog_etag",
    "catalog_from_json",
    "catalog_from_tables",
    "catalog_json_text",
    "catalog_to_json",
    "dump_catalog_json",
    "expand_indicator_spec",
    "load_catalog",
    "resolved",
]

logger = logging.getLogger(__name__)


def _file_problem(path: Path, vi: str, en: str) -> CatalogError:
    return CatalogError([CatalogProblem(f"Tệp '{path.name}': {vi}", f"File '{path.name}': {en}")])


def load_catalog(path: str | Path) -> Catalog:
    """Load a catalogue file: ``.json`` (its JSON form) or ``.xlsx`` (the authoring workbook).

    Raises:
        CatalogError: the file cannot be read, is not what its name says, or has any problem.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        # Not a cycle (workbook never imports this module): openpyxl costs ~80 ms of the app's cold start
        # and only an .xlsx needs it. tests/test_architecture.py checks the graph with this import in it.
        from dttscore.workbook import load_workbook

        return load_workbook(path)
    if suffix != ".json":
        raise _file_problem(
            path,
            "chỉ nạp được danh mục dạng .xlsx hoặc .json",
            "only .xlsx and .json catalogue files can be loaded",
        )
    try:
        raw = path.read_bytes()
    except OSError as err:
        logger.warning("cannot read catalogue %s: %s", path, err)
        raise _file_problem(
            path,
            f"không đọc được tệp ({err.strerror or err})",
            f"cannot read the file ({err.strerror or err})",
        ) from err
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise _file_problem(
            path, f"không phải là tệp JSON hợp lệ ({err})", f"is not a valid JSON file ({err})"
        ) from err
    return catalog_from_json(data)
