"""The exception tree of the core.

Every error the officer can meet carries its message in Vietnamese and English; ``str(err)`` is the
Vietnamese text. Expected failures (bad input, a bad file) derive from :class:`DttsError`; anything else
is a bug and goes to the exception hook.
"""

from __future__ import annotations


class DttsError(Exception):
    """Base of every expected failure in dttsclient and dttshub.

    Args:
        message_vi: the sentence for the officer, in Vietnamese.
        message_en: the same sentence in English.
    """

    def __init__(self, message_vi: str, message_en: str | None = None) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi

    def text(self, lang: str = "vi") -> str:
        """The message in ``lang`` ("vi" or "en")."""
        return self.message_en if lang == "en" else self.message_vi


class CatalogError(DttsError):
    """A catalogue could not be loaded. ``problems`` lists every problem found, with its place."""

    def __init__(self, problems: list[CatalogProblem]) -> None:
        self.problems = list(problems)
        vi = "\n".join(p.text("vi") for p in self.problems)
        en = "\n".join(p.text("en") for p in self.problems)
        head_vi = f"Danh mục chỉ tiêu có {len(self.problems)} lỗi, chưa nạp gì:\n"
        head_en = f"The indicator catalogue has {len(self.problems)} problem(s); nothing was loaded:\n"
        super().__init__(head_vi + vi, head_en + en)


class CatalogProblem:
    """One problem in a catalogue file, with its place (sheet, row, column) when known."""

    def __init__(
        self,
        message_vi: str,
        message_en: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message_vi = message_vi
        self.message_en = message_en
        self.sheet = sheet
        self.row = row
        self.column = column

    def place(self, lang: str = "vi") -> str:
        parts = []
        if self.sheet is not None:
            parts.append("Sheet " + self.sheet)  # the sheet's own name, in both languages
        if self.row is not None:
            parts.append(("row " if lang == "en" else "dòng ") + str(self.row))
        if self.column is not None:
            parts.append(("column " if lang == "en" else "cột ") + self.column)
        return ", ".join(parts)

    def text(self, lang: str = "vi") -> str:
        msg = self.message_en if lang == "en" else self.message_vi
        where = self.place(lang)
        return f"{where}: {msg}" if where else msg

    def __repr__(self) -> str:
        return f"CatalogProblem({self.text('en')!r})"


class ValueInputError(DttsError):
    """A typed value could not be understood (not a number, wrong separators, out of range …)."""


class RuleSyntaxError(DttsError):
    """A rule expression does not follow the grammar of docs/catalogue.md."""

    def __init__(self, message_vi: str, message_en: str, position: int | None = None) -> None:
        super().__init__(message_vi, message_en)
        self.position = position


class IdentifierError(DttsError):
    """A period code, disaggregation key or unit code is malformed or unknown."""
