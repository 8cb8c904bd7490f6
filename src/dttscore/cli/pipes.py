"""A closed pipe ends a command quietly, as in other Unix tools (``dttsclient values show --json | head``).

Python turns the ``SIGPIPE`` that would end a C program into :class:`BrokenPipeError`, which would end
the command with a traceback. :func:`run_quietly` catches it at the entry point, the way the Python
documentation recommends (``signal`` module, "Note on SIGPIPE"): point stdout at ``os.devnull`` so the
interpreter's last flush at exit has nowhere to fail, and exit with 141 (128 + SIGPIPE), the status a
shell shows for ``yes | head``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from dttscore.cli.exits import EXIT_BROKEN_PIPE


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (pythonw, a test's capture)
        pass


def run_quietly(main: Callable[[], int]) -> int:
    """Run ``main`` and return its exit code; a reader that went away gives 141 and no traceback."""
    try:
        code = main()
        sys.stdout.flush()  # text still buffered fails here, not in the interpreter's exit
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    return code
