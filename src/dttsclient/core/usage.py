"""Command-line usage errors in the officer's language.

argparse writes its errors in English ("the following arguments are required: --form"). PRODUCT.md wants
every message of bad input in Vietnamese by default, so :class:`LocalizedParser` rewrites argparse's
error messages (Python 3.11–3.13 wording) before printing them, and adds a hint to ``--help``. The
language comes from ``--lang`` on the command line, else ``DTTS_LANG``, else Vietnamese — decided before
parsing, since the error may be that very parsing failing. Used by ``dttsclient`` and ``dttshub``.

``--help`` speaks the same language: every help text is written in both languages with :func:`bi`
(a ``str`` that is the Vietnamese and carries the English), and :class:`LocalizedHelpFormatter` picks one
when the help is printed, and words argparse's own headings ("options", "positional arguments", "show this
help message and exit") in Vietnamese.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from dttsclient.core.exits import EXIT_USAGE

# (pattern of argparse's English message, Vietnamese wording); {n} are the pattern's groups.
_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), vi)
    for pattern, vi in (
        (r"the following arguments are required: (.+)", "thiếu tham số bắt buộc: {1}"),
        (r"unrecognized arguments: (.+)", "không hiểu tham số: {1}"),
        (r"one of the arguments (.+) is required", "cần một trong các tham số: {1}"),
        (r"ambiguous option: (\S+) could match (.+)", "tùy chọn {1} chưa rõ, có thể là: {2}"),
        (
            r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)",
            "tham số {1}: {2} không hợp lệ (chọn một trong: {3})",
        ),
        (r"argument (\S+): invalid (\S+) value: (.+)", "tham số {1}: {3} không phải giá trị hợp lệ ({2})"),
        (r"argument (\S+): expected one argument", "tham số {1} cần một giá trị"),
        (r"argument (\S+): expected at least one argument", "tham số {1} cần ít nhất một giá trị"),
        (r"argument (\S+): expected (\d+) arguments?", "tham số {1} cần {2} giá trị"),
        (r"argument (\S+): not allowed with argument (\S+)", "không dùng được {1} cùng với {2}"),
        (r"argument (\S+): ignored explicit argument (.+)", "tham số {1} không nhận giá trị {2}"),
        (r"argument (\S+): (.+)", "tham số {1}: {2}"),
    )
)


def language(argv: Sequence[str] | None) -> str:
    """``en`` or ``vi``: ``--lang`` in ``argv`` (either form), else ``DTTS_LANG``, else ``vi``."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in ("vi", "en"):
            return args[i + 1]
        if arg in ("--lang=vi", "--lang=en"):
            return arg.split("=", 1)[1]
    return "en" if os.environ.get("DTTS_LANG") == "en" else "vi"


class Bilingual(str):
    """A text in both languages: the ``str`` is the Vietnamese, :attr:`en` the English."""

    en: str

    def __new__(cls, vi: str, en: str) -> Bilingual:
        text = super().__new__(cls, vi)
        text.en = en
        return text


def bi(vi: str, en: str) -> str:
    """A help text in Vietnamese and English (``help=bi("…", "…")``); the one printed follows the
    language of the command line."""
    return Bilingual(vi, en)


# argparse's own English in its help output (Python 3.10–3.13), in Vietnamese.
_HELP_WORDS = {
    "show this help message and exit": "xem hướng dẫn này rồi thoát",
    "show program's version number and exit": "xem số phiên bản rồi thoát",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
}


def pick(text: str | None) -> str | None:
    """``text`` in the language of the command line (:attr:`LocalizedParser.lang`)."""
    if text is None:
        return None
    if LocalizedParser.lang == "en":
        return text.en if isinstance(text, Bilingual) else text
    return _HELP_WORDS.get(text, str(text))


class LocalizedHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, with help texts and headings in the language of the command line."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return pick(action.help)

    def start_section(self, heading: str | None) -> None:
        super().start_section(pick(heading))

    def add_text(self, text: str | None) -> None:
        super().add_text(pick(text))

    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # type: ignore[override]
        if prefix is None and LocalizedParser.lang != "en":
            prefix = "cú pháp: "
        super().add_usage(usage, actions, groups, prefix)


_TYPE_NAMES = {"int": "số nguyên", "float": "số", "Path": "đường dẫn"}


def translate(message: str) -> str:
    """argparse's English error message in Vietnamese (unchanged when its wording is unknown)."""
    for pattern, vi in _MESSAGES:
        found = pattern.fullmatch(message.strip())
        if found:
            return vi.format(None, *(_TYPE_NAMES.get(g, g) for g in found.groups()))
    return message


class LocalizedParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors speak the language of :func:`language` (exit 2).

    Set ``LocalizedParser.lang`` (a class attribute, shared by the subcommand parsers argparse makes)
    before ``parse_args``; :meth:`parse_args` does it from its own ``args``.
    """

    lang = "vi"

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", LocalizedHelpFormatter)
        super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):  # type: ignore[override]
        LocalizedParser.lang = language(args)
        return super().parse_args(args, namespace)

    def format_usage(self) -> str:
        text = super().format_usage()
        if LocalizedParser.lang != "en" and text.startswith("usage: "):
            text = "cú pháp: " + text[len("usage: ") :].replace("\n" + " " * 7, "\n" + " " * 9)
        return text

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        if LocalizedParser.lang == "en":
            text = f"{self.prog}: error: {message}\nSee: {self.prog} --help"
        else:
            text = f"{self.prog}: lỗi: {translate(message)}\nXem hướng dẫn: {self.prog} --help"
        self.exit(EXIT_USAGE, text + "\n")
