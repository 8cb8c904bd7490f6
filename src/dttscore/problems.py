"""A problem found in a report's values: a failing rule, a missing required value, a value out of range."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """One validation finding.

    Attributes:
        severity: "error" (blocks finalize) or "warning" (needs a reason at finalize); the entry page
            also shows "missing" — a required indicator not entered yet, before the officer asks to
            finalize (see :func:`dttscore.validate.as_typed`); it never leaves the client.
        code: the rule code, or one of "required", "type", "min", "max" for per-value checks.
        indicator: the indicator code the finding is about ("" when a rule spans several).
        disagg: the disaggregation key of the cell ("" for the indicator's total or a single value).
        option: for a ``*`` rule, the option that fails, e.g. "eth=08"; "" otherwise.
        message_vi / message_en: the sentence shown to the officer.
    """

    severity: str
    code: str
    indicator: str
    disagg: str
    message_vi: str
    message_en: str
    option: str = ""

    def text(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi

    def to_json(self) -> dict:
        return asdict(self)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    @property
    def is_missing(self) -> bool:
        """A required indicator not entered yet, shown as "chưa nhập" (not an error until finalize)."""
        return self.severity == MISSING


MISSING = "missing"
