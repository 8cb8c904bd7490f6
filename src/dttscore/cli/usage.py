"""Command-line usage errors in the officer's language.

argparse writes its errors in English ("the following arguments are required: --form"), through gettext.
Every message of bad input must be Vietnamese by default, so :class:`LocalizedParser` gives argparse a
gettext catalogue of its own message ids (:class:`ArgparseCatalog`) for the run, and adds a hint to
``--help``. The
language comes from ``--lang`` on the command line, else ``DTTS_LANG``, else Vietnamese — decided before
parsing, since the error may be that very parsing failing. Used by ``dttsclient`` and ``dttshub``.

``--help`` speaks the same language: every help text is written in both languages with :func:`bi`
(a ``str`` that is the Vietnamese and carries the English), and :class:`LocalizedHelpFormatter` picks one
when the help is printed, and words argparse's own headings ("options", "positional arguments", "show this
help message and exit") in Vietnamese.
"""

from __future__ import annotations

import argparse
import gettext
import os
import sys
from collections.abc import Sequence
from typing import ClassVar, NoReturn

from dttscore.cli.exits import EXIT_USAGE


class ArgparseCatalog(gettext.NullTranslations):
    """Vietnamese for argparse's own messages, a gettext catalogue keyed by argparse's message ids.

    argparse words every message through ``gettext`` (``_("the following arguments are required: %s")``),
    so translating its message ids — not its rendered English — keeps the values it fills in (argument
    names, choices) exactly as they are. The ids are those of Python 3.11–3.13; one this catalogue does not
    know stays English, never garbled.
    """

    MESSAGES: ClassVar[dict[str, str]] = {
        "usage: ": "cú pháp: ",
        "positional arguments": "tham số",
        "options": "tùy chọn",
        "optional arguments": "tùy chọn",
        "show this help message and exit": "xem hướng dẫn này rồi thoát",
        "show program's version number and exit": "xem số phiên bản rồi thoát",
        "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
        "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
        "unrecognized arguments: %s": "không hiểu tham số: %s",
        "one of the arguments %s is required": "cần một trong các tham số: %s",
        "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s chưa rõ, có thể là: %(matches)s",
        "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r không hợp lệ (chọn một trong: %(choices)s)",
        "invalid %(type)s value: %(value)r": "%(value)r không phải giá trị hợp lệ (%(type)s)",
        "expected one argument": "cần một giá trị",
        "expected at most one argument": "cần nhiều nhất một giá trị",
        "expected at least one argument": "cần ít nhất một giá trị",
        "not allowed with argument %s": "không dùng được cùng với %s",
        "ignored explicit argument %r": "không nhận giá trị %r",
        "unexpected option string: %s": "tùy chọn không mong đợi: %s",
        "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
        "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh %(parser_name)r (chọn một trong: %(choices)s)",
    }
    PLURALS: ClassVar[dict[str, str]] = {"expected %s argument": "cần %s giá trị"}

    def gettext(self, message: str) -> str:
        return self.MESSAGES.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.PLURALS.get(msgid1) or (msgid1 if n == 1 else msgid2)


VIETNAMESE = ArgparseCatalog()
_ENGLISH = gettext.NullTranslations()


def use_language(lang: str) -> None:
    """Make argparse word its messages in ``lang`` (argparse reads its ``_``/``ngettext`` at each call)."""
    catalog = _ENGLISH if lang == "en" else VIETNAMESE
    argparse._ = catalog.gettext  # type: ignore[attr-defined]
    argparse.ngettext = catalog.ngettext  # type: ignore[attr-defined]


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


def pick(text: str | None) -> str | None:
    """``text`` in the language of the command line (:attr:`LocalizedParser.lang`)."""
    if text is None:
        return None
    if LocalizedParser.lang == "en":
        return text.en if isinstance(text, Bilingual) else text
    return VIETNAMESE.gettext(str(text))  # argparse's own headings and help, made before parsing began


class LocalizedHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, with help texts and headings in the language of the command line."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return pick(action.help)

    def start_section(self, heading: str | None) -> None:
        super().start_section(pick(heading))

    def add_text(self, text: str | None) -> None:
        super().add_text(pick(text))


_TYPE_NAMES = {"(int)": "(số nguyên)", "(float)": "(số)", "(Path)": "(đường dẫn)"}


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
        use_language(LocalizedParser.lang)  # for this parse only: parsers are built with argparse's English
        try:
            return super().parse_args(args, namespace)
        finally:
            use_language("en")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        if LocalizedParser.lang == "en":
            text = f"{self.prog}: error: {message}\nSee: {self.prog} --help"
        else:
            for english, vietnamese in _TYPE_NAMES.items():  # the one word argparse takes from code
                message = message.replace(english, vietnamese)
            text = f"{self.prog}: lỗi: {message}\nXem hướng dẫn: {self.prog} --help"
        self.exit(EXIT_USAGE, text + "\n")
