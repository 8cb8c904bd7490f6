"""The exit codes of both command lines (``dttsclient`` and ``dttshub``), declared once.

=====  ==================  ==================================================================
code   name                meaning
=====  ==================  ==================================================================
0      ``EXIT_OK``         done
1      ``EXIT_FAILED``     an expected failure, said on stderr with the way forward
2      ``EXIT_USAGE``      the command line itself is wrong (argparse's convention)
3      ``EXIT_PARTLY``     done in part: some items were refused or left (``dttshub``: nothing
                           to do, ``EXIT_NOTHING``)
141    ``EXIT_BROKEN_PIPE`` the reader of our output went away (``… | head``), as a shell says
=====  ==================  ==================================================================
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTLY = 3
EXIT_NOTHING = 3  # dttshub: the command found nothing to do
EXIT_BROKEN_PIPE = 141

__all__ = ["EXIT_BROKEN_PIPE", "EXIT_FAILED", "EXIT_NOTHING", "EXIT_OK", "EXIT_PARTLY", "EXIT_USAGE"]
