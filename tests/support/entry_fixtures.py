"""Fixtures of the data-entry tests: a real Store on tmp_path with the sample catalogue, and helpers.

Import what you need (``tests.support``) and make the fixture in the test module::

    from tests.support.entry_fixtures import make_entry, open_form, type_into

    @pytest.fixture
    def entry(tmp_path):
        with entry_for(tmp_path) as e:
            yield e

The sample catalogue is ``resources/catalog/sample.json`` (shipped with the app). Its biggest form is the
one with most cells when every ethnic group has a row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from dttsclient.store import Store
from dttscore.catalog import load_catalog
from dttscore.disagg import cell_keys
from dttscore.model import Catalog, Form
from dttscore.periods import containing

UNIT = "01849"
ETH_ROWS = ["02", "08", "09"]  # Tày, HMông, Dao: a typical mountain commune


def sample_path() -> Path:
    return Path(str(resources.files("dttsclient.resources") / "catalog" / "sample.json"))


def load_sample() -> Catalog:
    return load_catalog(sample_path())


def cells_of(catalog: Catalog, form: Form, eth: list[str] | None) -> int:
    return sum(len(cell_keys(catalog, ind, eth)) for ind in catalog.form_indicators(form))


def largest_form(catalog: Catalog) -> Form:
    """The form with the most cells when every ethnic group has a row."""
    all_eth = [o.code for o in catalog.options_for("eth")]
    return max(catalog.forms, key=lambda f: cells_of(catalog, f, all_eth))


def period_for(form: Form) -> str:
    """A period code of the form's period type (2026)."""
    import datetime as dt

    return containing(form.period_type, dt.date(2026, 3, 15)).code


@dataclass
class Entry:
    store: Store
    data_dir: Path
    catalog: Catalog
    form: Form
    report_id: int
    views: list = field(default_factory=list)

    def close(self) -> None:
        """Close the views opened on this entry, then the store (the GUI never outlives its store)."""
        for view in self.views:
            if shiboken6.isValid(view):
                view.close()
        self.views.clear()
        self.store.close()


def make_entry(
    data_dir: Path, form_code: str | None = None, eth: list[str] | None = None, *, pick=None
) -> Entry:
    """A store with the sample catalogue and one report of a form (the first "present" form by default).

    Args:
        data_dir: the profile directory.
        form_code: the form; default: ``pick(catalog)`` or the first form whose ethnic rows are "present".
        eth: ethnic-group rows to add (for "present" forms).
    """
    catalog = load_sample()
    store = Store.open(data_dir)
    store.catalogs.import_catalog(catalog)
    store.settings.set_profile(unit=UNIT, unit_name="Xã Thử Nghiệm", username="canbo")
    if form_code is None:
        form = pick(catalog) if pick else next(f for f in catalog.forms if f.eth_options == "present")
    else:
        form = catalog.form(form_code)
    report = store.reports.report(UNIT, form.code, period_for(form), create=True)
    assert report is not None
    if eth and form.eth_options == "present":
        store.reports.set_eth_rows(report.id, eth)
    return Entry(store, data_dir, catalog, form, report.id)


@contextmanager
def entry_for(
    tmp_path: Path, form_code: str | None = "BM03", eth: list[str] | None = None
) -> Iterator[Entry]:
    """An :class:`Entry` (closed afterwards); BM03 with three ethnic rows by default."""
    e = make_entry(tmp_path / "profile", form_code, ETH_ROWS if eth is None else eth)
    try:
        yield e
    finally:
        e.close()


def open_form(qtbot, entry: Entry, lang: str = "vi"):
    """A shown FormView of the entry's report, with keyboard focus in the grid."""
    from dttsclient.ui.form_view import FormView

    view = FormView(entry.store, entry.report_id, lang)
    qtbot.addWidget(view)
    entry.views.append(view)
    view.resize(1280, 800)
    with qtbot.waitActive(view):  # shortcuts (Ctrl+Z, Ctrl+V …) need an active window with focus
        view.show()
        view.activateWindow()
    view.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.view)
    return view


def key_target(view) -> QWidget:
    """Where a key goes: the focused widget when it is the grid or its open editor, else the grid."""
    focused = QApplication.focusWidget()
    editor = view.view.delegate.open_editor()
    return focused if focused is not None and focused in (view.view, editor) else view.view


def press(view, key: Qt.Key | str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(key_target(view), key, modifier)


def type_into(view, text: str, then: Qt.Key | None = Qt.Key.Key_Return) -> None:
    """Type ASCII text into the grid's current cell the way an officer does, then press ``then``."""
    for ch in text:
        press(view, ch)
    if then is not None:
        press(view, then)


def cell(view, code: str, disagg: str = "") -> tuple[int, int]:
    """The (row, column) of an input cell of a FormView."""
    place = view.model.place_of((code, disagg))
    assert place is not None, (code, disagg)
    return place.row, place.column


def go(view, code: str, disagg: str = "") -> None:
    """Put the cursor on a cell (as a click would)."""
    view.view.go_to(*cell(view, code, disagg))
    view.view.setFocus()


def current(view) -> tuple[int, int]:
    idx = view.view.currentIndex()
    return idx.row(), idx.column()


def send_text(widget: QWidget, text: str) -> None:
    """Type any text (Vietnamese included) with key events that carry the text (keyClicks would abort)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def input_cells(view) -> list[tuple[int, int]]:
    """Every input cell of a FormView's grid, in page order."""
    model = view.model
    return [
        (r, c) for r in range(model.rowCount()) for c in range(model.columnCount()) if model.is_input(r, c)
    ]
