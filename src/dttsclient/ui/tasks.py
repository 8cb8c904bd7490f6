"""THE background helper of the GUI: run a callable off the GUI thread, hear back on the GUI thread.

Screens never start threads; they ask a runner. Workers never touch widgets: ``func`` gets plain data
(and, if asked, a thread-safe ``progress`` callable) and returns plain data.

Two lanes (:class:`Lane`), as in Anki's task manager:

* ``Lane.PROFILE`` (the default) — one thread, first in first out, for every task that opens the profile
  (``profile.sqlite``): sync, restore, import, exports, backups. Two of them never overlap, so no task
  waits out another's write lock.
* ``Lane.NETWORK`` — a pool of threads for work that touches no profile (a ping with the address read
  beforehand on the GUI thread, a backup file's check); it runs beside a long profile task.

A profile task that writes for long (a restore, an Excel import) is submitted with ``long_write=True``:
while one is queued or running, :attr:`TaskRunner.profile_writing` is true and the data-entry screen
keeps the officer's keystrokes pending instead of waiting on the lock (see ``FormView``).

Two runners share one interface, the :class:`Runner` protocol:

* :class:`TaskRunner` — the two ``QThreadPool`` lanes, for the app;
* :class:`SynchronousRunner` — runs the task at once on the calling thread, for tests that want no
  waiting (the Picard "fake pool" idea).

Example:
    >>> runner.run_task(lambda: 6 * 7, on_done=print, on_error=report_bug)  # doctest: +SKIP
"""

from __future__ import annotations

import enum
import logging
import sys
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

logger = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Progress = Callable[[Any], None]
SHUTDOWN_WAIT_MS = 1200


class Lane(enum.Enum):
    """Where a task runs: the serial profile lane (default) or the parallel network lane."""

    PROFILE = "profile"
    NETWORK = "network"


class Runner(Protocol):
    """What a screen may ask of a runner (:class:`TaskRunner`, or :class:`SynchronousRunner` in tests)."""

    @property
    def busy(self) -> bool: ...

    @property
    def profile_writing(self) -> bool: ...

    def run_task(
        self,
        func: Callable[..., Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        *,
        on_progress: Progress | None = None,
        lane: Lane = Lane.PROFILE,
        long_write: bool = False,
    ) -> Task: ...

    def when_profile_free(self, callback: Callable[[], None]) -> None: ...

    def wait_for_done(self, msecs: int = -1) -> bool: ...

    def drain(self, msecs: int = SHUTDOWN_WAIT_MS) -> bool: ...


def _default_error(exc: BaseException) -> None:
    """No ``on_error``: the failure is a bug as far as the caller said, so it goes to the hook."""
    sys.excepthook(type(exc), exc, exc.__traceback__)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the delivery onto the GUI thread.

    The slots are methods of this GUI-thread object, so an automatic connection is a queued one.

    Signals:
        done(object): the task returned this value.
        failed(object): the task raised this exception.
        progressed(object): the task reported this progress value.
    """

    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(object)

    def __init__(self, on_done: Done, on_error: Failed, on_progress: Progress | None) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self._on_progress = on_progress
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)
        self.progressed.connect(self._deliver_progress)

    @Slot(object)
    def _deliver_done(self, value: Any) -> None:
        self._on_done(value)

    @Slot(object)
    def _deliver_failed(self, exc: BaseException) -> None:
        self._on_error(exc)

    @Slot(object)
    def _deliver_progress(self, value: Any) -> None:
        if self._on_progress is not None:
            self._on_progress(value)


class _Job(QRunnable):
    def __init__(self, func: Callable[..., Any], relay: _Relay, with_progress: bool) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python keeps the reference until the result is delivered
        self._func = func
        self._relay = relay
        self._with_progress = with_progress

    def run(self) -> None:
        try:
            result = self._func(self._relay.progressed.emit) if self._with_progress else self._func()
        except BaseException as exc:  # every failure crosses back to the GUI thread
            self._deliver(self._relay.failed, exc)
            return
        self._deliver(self._relay.done, result)

    @staticmethod
    def _deliver(signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the application is shutting down: nobody is left to tell
            logger.info("result of a background task dropped at shutdown")


class Task:
    """A handle on one submitted task: ``finished`` tells whether its result was delivered."""

    def __init__(self) -> None:
        self.finished = False


class TaskRunner(QObject):
    """Runs callables on two lanes of private ``QThreadPool`` s and reports on the GUI thread.

    Args:
        parent: the Qt parent (the runner must be created on the GUI thread).
        pool: the network lane's pool; a private pool by default, so the app's work never waits behind
            another library's tasks. The profile lane is always a private pool of one thread.
    """

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._profile_pool = QThreadPool(self)
        self._profile_pool.setMaxThreadCount(1)  # one thread: profile tasks run one after another, FIFO
        self._network_pool = pool or QThreadPool(self)
        self._pending: dict[int, tuple[_Job, _Relay, Task]] = {}
        self._long_writes: set[int] = set()
        self._profile_keys: set[int] = set()
        self._when_free: list[Callable[[], None]] = []
        self._next = 0

    def _pool(self, lane: Lane) -> QThreadPool:
        return self._profile_pool if lane is Lane.PROFILE else self._network_pool

    def run_task(
        self,
        func: Callable[..., Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        *,
        on_progress: Progress | None = None,
        lane: Lane = Lane.PROFILE,
        long_write: bool = False,
    ) -> Task:
        """Run ``func`` on a worker thread of ``lane``.

        Args:
            func: called with no argument, or with one ``progress(value)`` callable when
                ``on_progress`` is given; must not touch widgets.
            on_done: called on the GUI thread with the return value.
            on_error: called on the GUI thread with the exception; by default the exception goes to
                ``sys.excepthook`` (the bug dialog).
            on_progress: called on the GUI thread with each value the task reported.
            lane: ``Lane.PROFILE`` (one thread, FIFO) for anything that opens the profile;
                ``Lane.NETWORK`` only for work that touches no profile.
            long_write: a profile task holding the write lock for long (restore, import): the GUI's
                own writes wait in :meth:`when_profile_free` instead of on the lock.

        Returns:
            A :class:`Task` handle.
        """
        task = Task()
        key = self._next
        self._next += 1
        if lane is Lane.PROFILE:
            self._profile_keys.add(key)
            if long_write:
                self._long_writes.add(key)

        def done(value: Any) -> None:
            self._finish(key)
            if on_done is not None:
                on_done(value)

        def failed(exc: BaseException) -> None:
            self._finish(key)
            if not isinstance(exc, Exception):
                logger.warning("background task stopped by %r", exc)
            (on_error or _default_error)(exc)

        relay = _Relay(done, failed, on_progress)
        job = _Job(func, relay, on_progress is not None)
        self._pending[key] = (job, relay, task)
        self._pool(lane).start(job)
        return task

    def _finish(self, key: int) -> None:
        entry = self._pending.pop(key, None)
        if entry is not None:
            entry[2].finished = True
        self._profile_keys.discard(key)
        if key in self._long_writes:
            self._long_writes.discard(key)
            if not self._long_writes:
                callbacks, self._when_free = self._when_free, []
                for callback in callbacks:  # before the task's own result handler (which may reload)
                    callback()

    @property
    def busy(self) -> bool:
        """True while a task's result has not been delivered yet."""
        return bool(self._pending)

    @property
    def profile_busy(self) -> bool:
        """True while a profile-lane task's result has not been delivered yet."""
        return bool(self._profile_keys)

    @property
    def profile_writing(self) -> bool:
        """True while a ``long_write`` profile task (restore, import) is queued or running."""
        return bool(self._long_writes)

    def when_profile_free(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` on the GUI thread once no ``long_write`` task is left (at once if none is)."""
        if self._long_writes:
            self._when_free.append(callback)
        else:
            callback()

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Block until both lanes' threads are idle (results may still be queued for the GUI thread)."""
        return self._profile_pool.waitForDone(msecs) and self._network_pool.waitForDone(msecs)

    def drain(self, msecs: int = SHUTDOWN_WAIT_MS) -> bool:
        """At exit, after the work was cancelled: wait at most ``msecs`` for the threads; True when idle.

        False means a thread is still blocked in something no cancel reaches (a DNS lookup, a locked
        file): the caller ends the process without waiting for it (:func:`exit_now`). Nothing is lost
        by that: every store write is one SQLite transaction, and outbox rows left ``sending`` are
        settled by the next sync.
        """
        for pool in (self._profile_pool, self._network_pool):
            pool.clear()  # tasks not started yet never start
        import time

        deadline = time.monotonic() + msecs / 1000
        idle = self._profile_pool.waitForDone(msecs)
        left = max(0, int((deadline - time.monotonic()) * 1000))
        idle = self._network_pool.waitForDone(left) and idle
        if not idle:
            logger.warning("a background task did not stop within %d ms at exit", msecs)
        return idle


def exit_now(code: int = 0) -> None:
    """End the process at once (background threads included), after flushing the logs and streams."""
    import contextlib
    import os

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(code)


class SynchronousRunner:
    """The same interface as :class:`TaskRunner`, running every task at once on the calling thread.

    For tests: the result handlers have run when :meth:`run_task` returns.
    """

    busy = False
    profile_writing = False

    def run_task(
        self,
        func: Callable[..., Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        *,
        on_progress: Progress | None = None,
        lane: Lane = Lane.PROFILE,
        long_write: bool = False,
    ) -> Task:
        task = Task()
        try:
            result = func(on_progress) if on_progress is not None else func()
        except Exception as exc:
            task.finished = True
            (on_error or _default_error)(exc)
            return task
        task.finished = True
        if on_done is not None:
            on_done(result)
        return task

    def when_profile_free(self, callback: Callable[[], None]) -> None:
        callback()

    def wait_for_done(self, msecs: int = -1) -> bool:
        return True

    def drain(self, msecs: int = SHUTDOWN_WAIT_MS) -> bool:
        return True
