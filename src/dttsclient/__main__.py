"""The composition root: ``dttsclient`` with a command runs the CLI, without one it opens the GUI.

Nothing else in the package parses arguments, resolves directories or configures logging.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import sys
from pathlib import Path

logger = logging.getLogger(__name__)


class QuietRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that gives up quietly when it cannot write (a full disk, a removed folder).

    The standard handler prints "--- Logging error ---" and a traceback to stderr for every record it
    fails to write; on a full profile disk that buries the officer's message. This one writes a single
    line to stderr the first time, then stops logging to the file for the rest of the run.
    """

    failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if self.failed:
            return
        super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        if self.failed:
            return
        self.failed = True
        with contextlib.suppress(Exception):
            self.close()
        with contextlib.suppress(Exception):
            sys.stderr.write(
                "(Không ghi được nhật ký vào tệp, ổ đĩa có thể đã đầy; chương trình vẫn chạy tiếp. / "
                "The log file cannot be written, the disk may be full; carrying on.)\n"
            )


def setup_logging(log_dir: Path, verbose: bool = False) -> Path | None:
    """A rotating log file in ``log_dir`` (1 MB × 5); never a password, token or full payload."""
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "dttsclient.log"
        handler = QuietRotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return path


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``dttsclient`` console script (a closed pipe ends it quietly)."""
    from dttscore.cli.pipes import run_quietly

    return run_quietly(lambda: _main(argv))


def _main(argv: list[str] | None) -> int:
    from dttsclient.cli.app import execute, parse

    args = list(sys.argv[1:] if argv is None else argv)
    ns = parse(args)
    if isinstance(ns, int):  # --help, --version or a usage error
        return ns
    from dttsclient.appdirs import resolve_dirs

    dirs = resolve_dirs(ns.data_dir)  # the one place the run's folders are worked out
    if not getattr(ns, "smoke_test", False):  # the packaging self-check touches no profile, logs included
        setup_logging(dirs.log_dir)
    if ns.command is None:
        from dttsclient.ui.app import run_gui

        return run_gui(ns, dirs)
    return execute(ns, dirs.data_dir)


if __name__ == "__main__":
    sys.exit(main())
