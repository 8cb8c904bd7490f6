"""Background operations with one default failure handler (the shape of Anki's ``aqt.operations``).

A screen describes an operation — the work, what to do with its result, where to say things — and the
operation runs it on the runner. A failure nobody handled goes to :func:`show_failure`: an expected
error (:class:`~dttscore.errors.DttsError`) becomes its sentence in the officer's language, which
already says the way forward, shown with the host's ``say`` (a message box the tests replace); anything
else is a bug and goes to the exception hook. Screens handle only the failures they answer differently
(a question to confirm, a sign-in to renew) and hand the rest to :meth:`Operation.fail`.

Example:
    >>> Operation(runner, work, say=window.say, lang="vi").success(show).run()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dttsclient.ui.excepthook import report_bug
from dttsclient.ui.tasks import Lane, Progress, Runner, Task
from dttscore.errors import DttsError


def show_failure(exc: BaseException, say: Callable[[str], None], lang: str) -> None:
    """The default failure handler: an expected error → ``say`` its text; a bug → the exception hook."""
    if isinstance(exc, DttsError):
        say(exc.text(lang))
    else:
        report_bug(exc)


class Operation:
    """One piece of background work with its result handler and the default failure handler.

    Args:
        runner: the runner (:class:`~dttsclient.ui.tasks.Runner`).
        func: the work (no widgets; plain data in and out).
        say: shows a message to the officer (the host's message box).
        lang: the officer's language for the error's text.
        lane: ``Lane.PROFILE`` (default) when the work opens the profile, ``Lane.NETWORK`` otherwise.
        long_write: the work holds the profile's write lock for long (restore, import).
        before_failure: called first on every failure (e.g. clear a "working…" status line).
    """

    def __init__(
        self,
        runner: Runner,
        func: Callable[..., Any],
        *,
        say: Callable[[str], None],
        lang: str,
        lane: Lane = Lane.PROFILE,
        long_write: bool = False,
        before_failure: Callable[[], None] | None = None,
    ) -> None:
        self._runner = runner
        self._func = func
        self._say = say
        self._lang = lang
        self._lane = lane
        self._long_write = long_write
        self._before_failure = before_failure
        self._on_done: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], bool] | None = None
        self._on_progress: Progress | None = None

    def success(self, handler: Callable[[Any], None]) -> Operation:
        """Call ``handler`` with the result on the GUI thread."""
        self._on_done = handler
        return self

    def failure(self, handler: Callable[[BaseException], bool]) -> Operation:
        """A screen's own answer to some failures: ``handler`` returns True when it handled ``exc``."""
        self._on_failure = handler
        return self

    def progress(self, handler: Progress) -> Operation:
        """Call ``handler`` with each progress value (the work then gets a ``progress`` callable)."""
        self._on_progress = handler
        return self

    def fail(self, exc: BaseException) -> None:
        """The failure path: the screen's handler first, then the default (message or bug hook)."""
        if self._before_failure is not None:
            self._before_failure()
        if self._on_failure is not None and self._on_failure(exc):
            return
        show_failure(exc, self._say, self._lang)

    def run(self) -> Task:
        """Submit the work to its lane."""
        return self._runner.run_task(
            self._func,
            self._on_done,
            self.fail,
            on_progress=self._on_progress,
            lane=self._lane,
            long_write=self._long_write,
        )
