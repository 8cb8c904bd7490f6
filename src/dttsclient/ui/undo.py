"""Undo and redo of cell edits (a ``QUndoStack`` of :class:`SetCellsCommand`).

An edit is written to the store *before* its command is pushed (so a failed write never lands on the
stack); the command's first ``redo()``, which ``QUndoStack.push`` calls, therefore does nothing. Undo
and redo write through the same durable path as typing: the old value is written back, in one
transaction, and the change log records it like any other edit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

logger = logging.getLogger(__name__)

Change = tuple[str, str, str | None]  # (code, disagg, canonical value or None)
Apply = Callable[[list[Change]], bool]


class SetCellsCommand(QUndoCommand):
    """One edit of one or more cells (a typed value, a cleared selection, a pasted block).

    Args:
        apply: writes changes durably and shows them; returns False when the write failed (the
            callback has already told the officer why).
        before: the cells' values before the edit.
        after: the values the edit wrote.
        text: what the Edit menu shows ("Nhập 0102 · Tày · Nam").
    """

    def __init__(self, apply: Apply, before: Sequence[Change], after: Sequence[Change], text: str) -> None:
        super().__init__(text)
        self._apply = apply
        self._before = list(before)
        self._after = list(after)
        self._done = True  # the edit is already written when the command is pushed
        self.failed = False

    @property
    def cells(self) -> list[tuple[str, str]]:
        """The (code, disagg) of every cell the command touches."""
        return [(code, disagg) for code, disagg, _ in self._after]

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.failed = not self._apply(self._after)

    def undo(self) -> None:
        self.failed = not self._apply(self._before)
