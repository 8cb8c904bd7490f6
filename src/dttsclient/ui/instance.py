"""One running app per profile: a lock file in the profile folder, and a knock to bring its window forward.

The first app to open a profile holds ``dttsclient.lock`` (a :class:`QLockFile`, QtCore only — the
bundle leaves QtNetwork out). A second app that finds the lock taken writes ``dttsclient.knock`` beside
it; the first app looks for that file twice a second, removes it and brings its window forward, and the
second app — seeing the knock answered — exits saying where the profile is open. A lock left by a crash
is taken over: :class:`QLockFile` sees that the process that wrote it is gone. A lock whose owner never
answers (a hung app, or an unrelated process that got the dead owner's id) is reported as "busy", and
the officer may open the profile anyway — SQLite keeps the database consistent either way — so a stale
lock never blocks for ever.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QLockFile, QTimer

logger = logging.getLogger(__name__)

LOCK_FILENAME = "dttsclient.lock"
KNOCK_FILENAME = "dttsclient.knock"
ANSWER_WAIT_S = 3.0
LOOK_EVERY_MS = 500


class LockState(Enum):
    """What :meth:`ProfileLock.acquire` found."""

    OWNED = "owned"  # this app holds the profile now
    FORWARDED = "forwarded"  # another app holds it and brought its window forward
    BUSY = "busy"  # another app (or a stale lock nobody answers for) holds it


class ProfileLock:
    """The lock of one profile folder.

    Args:
        data_dir: the profile folder (created when missing).
        on_knock: called on the GUI thread when another app tried to open this profile.
    """

    def __init__(self, data_dir: Path, on_knock: Callable[[], None] | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.on_knock = on_knock
        self._lock: QLockFile | None = None
        self._timer: QTimer | None = None

    @property
    def owned(self) -> bool:
        return self._lock is not None

    @property
    def knock_path(self) -> Path:
        return self.data_dir / KNOCK_FILENAME

    def acquire(self, wait: float = ANSWER_WAIT_S) -> LockState:
        """Take the profile, or find out who has it (knocking brings that app's window forward).

        Args:
            wait: how long to wait for the other app to answer the knock, in seconds.
        """
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock = QLockFile(str(self.data_dir / LOCK_FILENAME))
        lock.setStaleLockTime(0)  # an app may run for weeks; only a dead owner makes the lock stale
        if lock.tryLock(0):
            self._own(lock)
            return LockState.OWNED
        if self._knock(wait):
            return LockState.FORWARDED
        return LockState.BUSY

    def take_over(self) -> bool:
        """Open anyway (the officer said no other window is open): remove the lock and take it."""
        lock = QLockFile(str(self.data_dir / LOCK_FILENAME))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            (self.data_dir / LOCK_FILENAME).unlink(missing_ok=True)
            if not lock.tryLock(0):
                return False
        self._own(lock)
        return True

    def release(self) -> None:
        """Let the profile go (switching profile, or quitting)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer.deleteLater()
            self._timer = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    # -- inside -------------------------------------------------------------------------------------
    def _own(self, lock: QLockFile) -> None:
        self._lock = lock
        self.knock_path.unlink(missing_ok=True)  # a knock nobody answered before
        self._timer = QTimer()
        self._timer.setInterval(LOOK_EVERY_MS)
        self._timer.timeout.connect(self._look)
        self._timer.start()
        logger.info("profile %s opened by this app (pid %s)", self.data_dir, os.getpid())

    def _look(self) -> None:
        """Answer a knock: remove the file and bring the window forward."""
        try:
            self.knock_path.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            logger.warning("cannot answer the knock in %s: %s", self.data_dir, exc)
            return
        logger.info("another app tried to open %s: bringing this window forward", self.data_dir)
        if self.on_knock is not None:
            self.on_knock()

    def _knock(self, wait: float) -> bool:
        path = self.knock_path
        try:
            path.write_text(str(os.getpid()), encoding="utf-8")
        except OSError as exc:
            logger.warning("cannot knock on %s: %s", self.data_dir, exc)
            return False
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not path.exists():
                return True
            time.sleep(0.05)
        path.unlink(missing_ok=True)
        return False


__all__ = ["KNOCK_FILENAME", "LOCK_FILENAME", "LockState", "ProfileLock"]
