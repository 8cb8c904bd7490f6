"""The whitelisted rule grammar of docs/catalogue.md: a tokenizer, a Pratt parser and an evaluator. Never eval.

Grammar (loosest binding first)::

    rule       := expr                                  (must be a condition, e.g. a comparison)
    expr       := expr "or" expr | expr "and" expr | "not" expr
                | sum ("<" | "<=" | ">" | ">=" | "==" | "!=") sum
                | "(" expr ")"
    sum        := sum ("+" | "-") term | term
    term       := term ("*" | "/") unary | unary
    unary      := "-" unary | atom
    atom       := NUMBER | CODE | CODE "[" [dim "=" option ("," dim "=" option)*] "]"
                | ("abs" | "min" | "max") "(" sum ("," sum)* ")" | "(" sum ")"

Tokens. A *word* is a run of ``[0-9A-Za-z_.]`` that starts with a digit or a letter. ``and``, ``or``,
``not``, ``abs``, ``min`` and ``max`` are keywords in any letter case and cannot be codes. Every other
word is a NUMBER when it is written like one — ``0``, or digits not starting with ``0``, with an
optional ``.`` and decimals (``5``, ``100``, ``0.5``, ``12.25``) — and an indicator CODE otherwise
(``0101``, ``0203``, ``A12``). The 4-digit codes of the catalogues start with ``0`` for groups 01–09;
a code that reads like a number (``1001``) is written with brackets, ``1001[]`` (a word followed by
``[`` is always a code, and empty brackets mean the total). :func:`dttscore.validate.rule_problems`
refuses a rule whose number literal is also an indicator code, so the ambiguity is caught when the
catalogue is loaded; it also refuses a four-digit number that names no indicator (``1102 <= 9999``: a
mistyped code must not silently become a constant, see :func:`code_like_numbers`). An author who means
the number writes it so it cannot be a code: ``9999.0``. An option is a word or ``*``.

Types. Arithmetic works on numbers, ``and``/``or``/``not`` on conditions; mixing them, a rule that is not
a condition, and chained comparisons (``a < b < c``; write ``a < b and b < c``) are syntax errors.

Semantics (docs/catalogue.md). ``CODE`` is the indicator's total: its single value, or the sum of all its cells
when disaggregated; ``CODE[dim=opt, ...]`` is the sum of the matching cells; ``*`` is bound by the caller
(:func:`dttscore.validate.check_report` checks the rule once per option present). The caller's
``lookup`` gives the number of a reference, or None when it has no cell at all. A rule with an empty
operand is skipped: :func:`evaluate` returns None as soon as any operand it evaluates is empty, and
``and``/``or`` evaluate both sides, so the outcome never depends on the order of the operands. Division
by zero also skips the rule. Arithmetic is exact :class:`~decimal.Decimal` arithmetic except division,
which is rounded to 40 significant digits. yes/no values count as 1 and 0; text values have no number
(the lookup treats them as empty, and the catalogue loader refuses rules on text indicators).
"""

from __future__ import annotations

import functools
import itertools
import logging
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from types import MappingProxyType

from dttscore.errors import RuleSyntaxError

logger = logging.getLogger(__name__)

MAX_LENGTH = 4000
"""Longest expression accepted, in characters."""

MAX_DEPTH = 100
"""Deepest nesting accepted (parentheses, chains of operators), so evaluation never overflows the stack."""

KEYWORDS = frozenset({"and", "or", "not"})
FUNCTIONS = frozenset({"abs", "min", "max"})
COMPARISONS = frozenset({"<", "<=", ">", ">=", "==", "!="})
ARITHMETIC = frozenset({"+", "-", "*", "/"})

_NUMBER_RE = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")
_CODE_SHAPE_RE = re.compile(r"[0-9]{4}")  # the shape of the catalogues' indicator codes
_DIM_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_WORD_START = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_WORD_CHARS = _WORD_START | frozenset("_.")
_TWO_CHAR_OPS = ("<=", ">=", "==", "!=")
_ONE_CHAR_OPS = frozenset("<>+-*/()[],=")

_OFFSET_RE = re.compile(r"[1-9][0-9]*")
PERIOD = "period"
"""The selector that names another period of the same report (``0101[period=-1]``); not a dimension."""
MAX_PERIOD_OFFSET = 120
"""The furthest back a ``period=-N`` reaches (ten years of months)."""

# binding powers of the Pratt parser
_BP_OR, _BP_AND, _BP_NOT, _BP_CMP, _BP_ADD, _BP_MUL, _BP_NEG, _BP_ATOM = 10, 20, 30, 40, 50, 60, 70, 100


# -- the tree -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    """A number literal."""

    value: Decimal


@dataclass(frozen=True)
class Ref:
    """A reference to an indicator: its total (no selectors) or the sum of the matching cells.

    Attributes:
        code: the indicator code.
        selectors: (dimension, option) pairs sorted by dimension; the option may be "*".
        period: 0 for the report itself; -1 for the previous period of the same kind, -4 for four
            periods back (the same quarter a year earlier on a quarterly form): ``0101[period=-1]``.
        form: "" for the report's own form; another form of the same unit and year: ``BM01.0101``.
    """

    code: str
    selectors: tuple[tuple[str, str], ...] = ()
    period: int = 0
    form: str = ""

    @property
    def elsewhere(self) -> bool:
        """Whether the reference reads another report (another period or another form)."""
        return bool(self.period or self.form)

    def bind(self, options: Mapping[str, str]) -> Ref:
        """This reference with each ``*`` replaced by the option chosen for its dimension."""
        if not any(opt == "*" for _, opt in self.selectors):
            return self
        return Ref(
            self.code,
            tuple((dim, options[dim] if opt == "*" else opt) for dim, opt in self.selectors),
            self.period,
            self.form,
        )


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    operand: Expr


@dataclass(frozen=True)
class BinOp:
    """Arithmetic: ``op`` is one of + - * /."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Compare:
    """A comparison: ``op`` is one of < <= > >= == !=."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class BoolOp:
    """``and`` / ``or``."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Not:
    """``not``."""

    operand: Expr


@dataclass(frozen=True)
class Call:
    """``abs(x)``, ``min(a, b, ...)``, ``max(a, b, ...)``."""

    name: str
    args: tuple[Expr, ...]


Expr = Num | Ref | Neg | BinOp | Compare | BoolOp | Not | Call

Lookup = Callable[[Ref], "Decimal | int | None"]


# -- tokens -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "op" or "end"
    text: str
    pos: int


def _error(vi: str, en: str, pos: int | None) -> RuleSyntaxError:
    # The place is in ``position``, not in the text: the catalogue loader adds "(ký tự thứ N)" itself.
    return RuleSyntaxError(vi, en, pos)


def describe(err: RuleSyntaxError, lang: str = "vi") -> str:
    """The message of a syntax error with its place: "Thừa dấu “)” (ký tự thứ 9)"."""
    text = err.text(lang)
    if err.position is None:
        return text
    return (
        f"{text} (character {err.position + 1})" if lang == "en" else f"{text} (ký tự thứ {err.position + 1})"
    )


def tokenize(expression: str) -> list[_Token]:
    """The tokens of an expression, ending with an "end" token.

    Raises:
        RuleSyntaxError: a character the grammar does not know.
    """
    tokens = []
    i, n = 0, len(expression)
    while i < n:
        ch = expression[i]
        if ch in " \t\r\n":
            i += 1
        elif ch in _WORD_START:
            j = i + 1
            while j < n and expression[j] in _WORD_CHARS:
                j += 1
            tokens.append(_Token("word", expression[i:j], i))
            i = j
        elif expression[i : i + 2] in _TWO_CHAR_OPS:
            tokens.append(_Token("op", expression[i : i + 2], i))
            i += 2
        elif ch in _ONE_CHAR_OPS:
            tokens.append(_Token("op", ch, i))
            i += 1
        else:
            raise _error(
                f"Ký tự “{ch}” không dùng được trong quy tắc",
                f"The character “{ch}” cannot be used in a rule",
                i,
            )
    tokens.append(_Token("end", "", n))
    return tokens


# -- parser -------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2048)
def parse(expression: str, codes: frozenset[str] = frozenset()) -> Expr:
    """The tree of a rule expression (cached: the same string gives the same immutable tree).

    Args:
        expression: the rule as written in the catalogue.
        codes: the catalogue's indicator codes. A word written like a number ("1002") is that
            indicator when it is one of ``codes`` (province catalogues have codes such as 1001 for
            group 10), and a number otherwise. Without ``codes`` such a word is always a number.

    Raises:
        RuleSyntaxError: the expression does not follow the grammar; ``position`` is the 0-based
            character where the problem is.
    """
    if not isinstance(expression, str):
        raise RuleSyntaxError("Quy tắc phải là chuỗi ký tự", "A rule must be a text", None)
    if len(expression) > MAX_LENGTH:
        raise _error(
            f"Quy tắc quá dài ({len(expression)} ký tự, tối đa {MAX_LENGTH})",
            f"The rule is too long ({len(expression)} characters, at most {MAX_LENGTH})",
            None,
        )
    if not expression.strip():
        raise _error("Quy tắc trống", "The rule is empty", None)
    node, kind = _parse_any(expression, codes)
    if kind != "bool":
        raise _error(
            "Quy tắc phải là một điều kiện có phép so sánh, ví dụ 0102 <= 0101",
            "A rule must be a condition with a comparison, e.g. 0102 <= 0101",
            None,
        )
    return node


@functools.lru_cache(maxsize=512)
def parse_arithmetic(expression: str, codes: frozenset[str] = frozenset()) -> Expr:
    """The tree of an arithmetic expression (a derived figure: ``0405 / 0401 * 100``), no comparison.

    Raises:
        RuleSyntaxError: the expression does not follow the grammar, or it is a condition.
    """
    if not isinstance(expression, str) or not expression.strip():
        raise _error("Công thức trống", "The expression is empty", None)
    if len(expression) > MAX_LENGTH:
        raise _error(
            f"Công thức quá dài ({len(expression)} ký tự, tối đa {MAX_LENGTH})",
            f"The expression is too long ({len(expression)} characters, at most {MAX_LENGTH})",
            None,
        )
    node, kind = _parse_any(expression, codes)
    if kind != "num":
        raise _error(
            "Công thức phải là phép tính ra một số (không có so sánh), ví dụ 0405 / 0401 * 100",
            "The expression must compute a number (no comparison), e.g. 0405 / 0401 * 100",
            None,
        )
    return node


def evaluate_number(expr: Expr, lookup: Lookup, *, context: Context | None = None) -> Decimal | None:
    """The number of an arithmetic tree from :func:`parse_arithmetic`; None when an operand is empty
    or on a division by zero."""
    ctx = context if context is not None else arithmetic_context()
    try:
        result = _eval(expr, lookup, ctx)
    except (_Skip, DivisionByZero, InvalidOperation, Overflow):
        return None
    if isinstance(result, bool):
        raise TypeError("not an arithmetic expression")  # parse_arithmetic() refuses these
    return result


def _parse_any(expression: str, codes: frozenset[str]) -> tuple[Expr, str]:
    parser = _Parser(tokenize(expression), codes)
    node, kind, _depth = parser.expression(0)
    tok = parser.peek()
    if tok.kind != "end":
        if tok.text == ")":
            raise _error("Thừa dấu “)”", "An extra “)”", tok.pos)
        raise _error(
            f"Không hiểu “{tok.text}” ở đây; thiếu phép toán giữa hai phần?",
            f"Unexpected “{tok.text}” here; is an operator missing between two parts?",
            tok.pos,
        )
    return node, kind


class _Parser:
    """Pratt parser over a token list. Every method returns (node, kind, depth), kind "num" or "bool"."""

    def __init__(self, tokens: list[_Token], codes: frozenset[str] = frozenset()) -> None:
        self.tokens = tokens
        self.codes = codes
        self.i = 0
        self.nesting = 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def advance(self) -> _Token:
        tok = self.tokens[self.i]
        if tok.kind != "end":
            self.i += 1
        return tok

    def expect(self, text: str, what_vi: str, what_en: str) -> _Token:
        tok = self.peek()
        if tok.kind != "op" or tok.text != text:
            if tok.kind == "end":
                found_vi, found_en = "hết quy tắc", "the end of the rule"
            else:
                found_vi = found_en = f"“{tok.text}”"
            raise _error(
                f"Thiếu “{text}” {what_vi}, gặp {found_vi}",
                f"Missing “{text}” {what_en}, found {found_en}",
                tok.pos,
            )
        return self.advance()

    # binding power of a token in infix position
    @staticmethod
    def infix_bp(tok: _Token) -> int:
        if tok.kind == "op":
            if tok.text in COMPARISONS:
                return _BP_CMP
            if tok.text in ("+", "-"):
                return _BP_ADD
            if tok.text in ("*", "/"):
                return _BP_MUL
            return 0
        if tok.kind == "word":
            low = tok.text.lower()
            if low == "or":
                return _BP_OR
            if low == "and":
                return _BP_AND
        return 0

    def expression(self, rbp: int) -> tuple[Expr, str, int]:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise _error("Quy tắc lồng nhau quá sâu", "The rule is nested too deeply", self.peek().pos)
        try:
            left = self.prefix(self.advance())
            while True:
                tok = self.peek()
                bp = self.infix_bp(tok)
                if bp <= rbp:
                    if tok.kind == "op" and tok.text == "=":
                        raise _error("Dùng “==” để so sánh bằng", "Use “==” to compare for equality", tok.pos)
                    break
                left = self.infix(self.advance(), left)
            return left
        finally:
            self.nesting -= 1

    @staticmethod
    def _depth_ok(depth: int, pos: int) -> int:
        if depth > MAX_DEPTH:
            raise _error("Quy tắc quá phức tạp", "The rule is too complex", pos)
        return depth

    def prefix(self, tok: _Token) -> tuple[Expr, str, int]:
        if tok.kind == "end":
            raise _error("Quy tắc kết thúc giữa chừng", "The rule ends too early", tok.pos)
        if tok.kind == "op":
            if tok.text == "(":
                node, kind, depth = self.expression(0)
                self.expect(")", "để đóng “(”", "to close “(”")
                return node, kind, depth
            if tok.text == "-":
                node, kind, depth = self.expression(_BP_NEG)
                self.need_num(kind, "-", tok.pos)
                return Neg(node), "num", self._depth_ok(depth + 1, tok.pos)
            raise _error(
                f"Không hiểu “{tok.text}” ở đây; thiếu số hoặc mã chỉ tiêu",
                f"Unexpected “{tok.text}” here; a number or an indicator code is missing",
                tok.pos,
            )
        low = tok.text.lower()
        if low == "not":
            node, kind, depth = self.expression(_BP_NOT)
            self.need_bool(kind, "not", tok.pos)
            return Not(node), "bool", self._depth_ok(depth + 1, tok.pos)
        if low in ("and", "or"):
            raise _error(
                f"Thiếu điều kiện trước “{tok.text}”",
                f"A condition is missing before “{tok.text}”",
                tok.pos,
            )
        if low in FUNCTIONS:
            return self.call(low, tok)
        nxt = self.peek()
        if (
            _NUMBER_RE.fullmatch(tok.text)
            and tok.text not in self.codes
            and not (nxt.kind == "op" and nxt.text == "[")
        ):
            return Num(Decimal(tok.text)), "num", 1
        form, code = _split_form(tok, self.codes)
        if nxt.kind == "op" and nxt.text == "[":
            self.advance()
            selectors, period = self.selectors(tok)
            return Ref(code, selectors, period, form), "num", 1
        return Ref(code, (), 0, form), "num", 1

    def call(self, name: str, tok: _Token) -> tuple[Expr, str, int]:
        self.expect("(", f"sau tên hàm {name}", f"after the function name {name}")
        args: list[Expr] = []
        depth = 0
        while True:
            arg_tok = self.peek()
            node, kind, d = self.expression(0)
            self.need_num(kind, name, arg_tok.pos)
            args.append(node)
            depth = max(depth, d)
            sep = self.peek()
            if sep.kind == "op" and sep.text == ",":
                self.advance()
                continue
            self.expect(")", f"để đóng hàm {name}", f"to close the function {name}")
            break
        if name == "abs" and len(args) != 1:
            raise _error("Hàm abs nhận đúng một số", "The function abs takes exactly one number", tok.pos)
        return Call(name, tuple(args)), "num", self._depth_ok(depth + 1, tok.pos)

    def period_offset(self, dim_tok: _Token) -> int:
        """The ``-N`` after ``period=``: how many periods of the form's kind back (N ≥ 1)."""
        minus = self.peek()
        if minus.kind == "op" and minus.text == "-":
            self.advance()
        num = self.advance()
        if (
            not (minus.kind == "op" and minus.text == "-")
            or num.kind != "word"
            or not _OFFSET_RE.fullmatch(num.text)
        ):
            raise _error(
                "Sau “period=” cần số kỳ lùi lại, ví dụ period=-1 (kỳ trước) hoặc period=-4",
                "“period=” needs how many periods back, e.g. period=-1 (the previous period) or period=-4",
                num.pos if minus.kind == "op" and minus.text == "-" else minus.pos,
            )
        if int(num.text) > MAX_PERIOD_OFFSET:
            raise _error(
                f"Chỉ lùi được tối đa {MAX_PERIOD_OFFSET} kỳ",
                f"At most {MAX_PERIOD_OFFSET} periods back",
                num.pos,
            )
        return -int(num.text)

    def selectors(self, code_tok: _Token) -> tuple[tuple[tuple[str, str], ...], int]:
        pairs: dict[str, str] = {}
        period = 0
        if self.peek().kind == "op" and self.peek().text == "]":
            self.advance()
            return (), 0
        while True:
            dim_tok = self.advance()
            if dim_tok.kind != "word" or not _DIM_RE.fullmatch(dim_tok.text):
                raise _error(
                    f"Sau “{code_tok.text}[” cần tên chiều phân tổ, ví dụ {code_tok.text}[sex=F]",
                    f"A dimension name must follow “{code_tok.text}[”, e.g. {code_tok.text}[sex=F]",
                    dim_tok.pos,
                )
            self.expect("=", f"sau tên chiều {dim_tok.text}", f"after the dimension name {dim_tok.text}")
            if dim_tok.text == PERIOD:
                if period:
                    raise _error("“period” được chọn hai lần", "“period” is selected twice", dim_tok.pos)
                period = self.period_offset(dim_tok)
                sep = self.peek()
                if sep.kind == "op" and sep.text == ",":
                    self.advance()
                    continue
                self.expect("]", f"để đóng “{code_tok.text}[”", f"to close “{code_tok.text}[”")
                return tuple(sorted(pairs.items())), period
            opt_tok = self.advance()
            if opt_tok.kind == "word":
                opt = opt_tok.text
            elif opt_tok.kind == "op" and opt_tok.text == "*":
                opt = "*"
            else:
                raise _error(
                    f"Thiếu mã phân tổ sau “{dim_tok.text}=”",
                    f"An option code is missing after “{dim_tok.text}=”",
                    opt_tok.pos,
                )
            if dim_tok.text in pairs:
                raise _error(
                    f"Chiều “{dim_tok.text}” được chọn hai lần",
                    f"The dimension “{dim_tok.text}” is selected twice",
                    dim_tok.pos,
                )
            pairs[dim_tok.text] = opt
            sep = self.peek()
            if sep.kind == "op" and sep.text == ",":
                self.advance()
                continue
            self.expect("]", f"để đóng “{code_tok.text}[”", f"to close “{code_tok.text}[”")
            return tuple(sorted(pairs.items())), period

    def infix(self, tok: _Token, left: tuple[Expr, str, int]) -> tuple[Expr, str, int]:
        lnode, lkind, ldepth = left
        op = tok.text.lower() if tok.kind == "word" else tok.text
        if op in ("and", "or"):
            self.need_bool(lkind, op, tok.pos)
            rnode, rkind, rdepth = self.expression(_BP_AND if op == "and" else _BP_OR)
            self.need_bool(rkind, op, tok.pos)
            return BoolOp(op, lnode, rnode), "bool", self._depth_ok(max(ldepth, rdepth) + 1, tok.pos)
        if op in COMPARISONS:
            if lkind == "bool":
                raise _error(
                    "Không nối liền hai phép so sánh; dùng and, ví dụ a < b and b < c",
                    "Comparisons cannot be chained; use and, e.g. a < b and b < c",
                    tok.pos,
                )
            rnode, rkind, rdepth = self.expression(_BP_CMP)
            self.need_num(rkind, op, tok.pos)
            return Compare(op, lnode, rnode), "bool", self._depth_ok(max(ldepth, rdepth) + 1, tok.pos)
        # arithmetic, left-associative
        self.need_num(lkind, op, tok.pos)
        rnode, rkind, rdepth = self.expression(self.infix_bp(tok))
        self.need_num(rkind, op, tok.pos)
        return BinOp(op, lnode, rnode), "num", self._depth_ok(max(ldepth, rdepth) + 1, tok.pos)

    @staticmethod
    def need_num(kind: str, op: str, pos: int) -> None:
        if kind != "num":
            raise _error(
                f"“{op}” cần số, không phải điều kiện",
                f"“{op}” needs numbers, not a condition",
                pos,
            )

    @staticmethod
    def need_bool(kind: str, op: str, pos: int) -> None:
        if kind != "bool":
            raise _error(
                f"“{op}” cần điều kiện (phép so sánh) ở hai bên, ví dụ 0101 > 0 {op} 0102 > 0",
                f"“{op}” needs conditions (comparisons), e.g. 0101 > 0 {op} 0102 > 0",
                pos,
            )


def _split_form(tok: _Token, codes: frozenset[str]) -> tuple[str, str]:
    """(form, code) of a reference word: ``BM01.0101`` names indicator 0101 on form BM01.

    The form code must start with a letter: a word that starts with a digit (``01.02``) or is itself one
    of ``codes`` (codes may hold a ".") is an indicator code of the report's own form.
    """
    word = tok.text
    if "." not in word or word in codes or not word[0].isalpha():
        return "", word
    form, _, code = word.partition(".")
    if not code or not form:
        raise _error(
            f"“{word}” không đúng dạng BIỂU.MÃ (ví dụ BM01.0101)",
            f"“{word}” is not written FORM.CODE (e.g. BM01.0101)",
            tok.pos,
        )
    return form, code


# -- walking the tree ---------------------------------------------------------------------------------


def _children(node: Expr) -> tuple[Expr, ...]:
    if isinstance(node, (BinOp, Compare, BoolOp)):
        return (node.left, node.right)
    if isinstance(node, (Neg, Not)):
        return (node.operand,)
    if isinstance(node, Call):
        return node.args
    return ()


def references(expr: Expr) -> list[Ref]:
    """The indicator references of a tree, in reading order, each once."""
    out: dict[Ref, None] = {}
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Ref):
            out.setdefault(node, None)
        else:
            stack.extend(reversed(_children(node)))
    return list(out)


def code_like_numbers(expression: str, codes: frozenset[str]) -> list[tuple[str, int]]:
    """Number literals written like an indicator code (four digits, ``9999``) that name no indicator.

    Such a word is a number to the parser, so a mistyped code would silently become a constant; the
    catalogue loader reports each one. ``9999.0`` (or any decimal point) is plainly a number and is not
    returned, nor is a word that is one of ``codes``, one followed by ``[`` (always a code) or an option
    inside brackets.

    Args:
        expression: the rule as written.
        codes: the catalogue's indicator codes.

    Returns:
        ``(word, 0-based character position)`` pairs in reading order; [] for a rule that does not
        tokenize (its syntax error is reported instead).
    """
    try:
        tokens = tokenize(expression)
    except RuleSyntaxError:
        return []
    out = []
    brackets = 0
    for tok, nxt in itertools.pairwise(tokens):
        if tok.kind == "op" and tok.text in ("[", "]"):
            brackets += 1 if tok.text == "[" else -1
            continue
        if (
            tok.kind == "word"
            and brackets == 0
            and _CODE_SHAPE_RE.fullmatch(tok.text)
            and _NUMBER_RE.fullmatch(tok.text)
            and tok.text not in codes
            and not (nxt.kind == "op" and nxt.text == "[")
        ):
            out.append((tok.text, tok.pos))
    return out


def numbers(expr: Expr) -> list[Decimal]:
    """The number literals of a tree, in reading order."""
    out = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Num):
            out.append(node.value)
        else:
            stack.extend(reversed(_children(node)))
    return out


def star_dimensions(expr: Expr) -> set[str]:
    """The dimensions used with the ``*`` option anywhere in the tree."""
    return {dim for ref in references(expr) for dim, opt in ref.selectors if opt == "*"}


# -- evaluation ---------------------------------------------------------------------------------------


class _Skip(Exception):
    """An operand is empty, or a division by zero: the rule is skipped."""


def arithmetic_context() -> Context:
    """The decimal context rules compute in: 40 significant digits, errors trapped (they skip the rule)."""
    return Context(prec=40, traps=[DivisionByZero, InvalidOperation, Overflow])


def evaluate(expr: Expr, lookup: Lookup, *, context: Context | None = None) -> bool | None:
    """Check a rule.

    Args:
        expr: a tree from :func:`parse` (a condition).
        lookup: gives the number of a reference (``*`` already bound by the caller), or None when the
            reference has no value at all.
        context: a context from :func:`arithmetic_context` to reuse over many evaluations (making one
            costs about as much as evaluating a small rule); a new one when None.

    Returns:
        True when the rule holds, False when it fails, None when it is skipped (an empty operand, or a
        division by zero).
    """
    ctx = context if context is not None else arithmetic_context()
    try:
        result = _eval(expr, lookup, ctx)
    except _Skip:
        return None
    except (DivisionByZero, InvalidOperation, Overflow):
        return None
    if not isinstance(result, bool):
        raise TypeError("a rule must be a condition")  # parse() refuses such rules; a bug if reached
    return result


def _eval(node: Expr, lookup: Lookup, ctx: Context) -> Decimal | bool:
    # most frequent node types first: this runs for every rule and option while the officer types
    if isinstance(node, Ref):
        value = lookup(node)
        if value is None:
            raise _Skip
        return value if isinstance(value, Decimal) else Decimal(value)
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Compare):
        return _COMPARE[node.op](_eval(node.left, lookup, ctx), _eval(node.right, lookup, ctx))
    if isinstance(node, BinOp):
        a = _eval(node.left, lookup, ctx)
        b = _eval(node.right, lookup, ctx)
        if node.op == "+":
            return ctx.add(a, b)
        if node.op == "-":
            return ctx.subtract(a, b)
        if node.op == "*":
            return ctx.multiply(a, b)
        return ctx.divide(a, b)
    if isinstance(node, BoolOp):
        # both sides always, so that an empty operand skips the rule whatever the order
        a = _eval(node.left, lookup, ctx)
        b = _eval(node.right, lookup, ctx)
        return (a and b) if node.op == "and" else (a or b)
    if isinstance(node, Neg):
        return ctx.minus(_eval(node.operand, lookup, ctx))
    if isinstance(node, Not):
        return not _eval(node.operand, lookup, ctx)
    if isinstance(node, Call):
        args = [_eval(arg, lookup, ctx) for arg in node.args]
        if node.name == "abs":
            return ctx.abs(args[0])
        return min(args) if node.name == "min" else max(args)
    raise TypeError(f"not a rule node: {node!r}")


_COMPARE: Mapping[str, Callable[[Decimal, Decimal], bool]] = MappingProxyType(
    {
        "<": operator.lt,
        "<=": operator.le,
        ">": operator.gt,
        ">=": operator.ge,
        "==": operator.eq,
        "!=": operator.ne,
    }
)


# -- printing -----------------------------------------------------------------------------------------


def _precedence(node: Expr) -> int:
    if isinstance(node, BoolOp):
        return _BP_OR if node.op == "or" else _BP_AND
    if isinstance(node, Not):
        return _BP_NOT
    if isinstance(node, Compare):
        return _BP_CMP
    if isinstance(node, BinOp):
        return _BP_ADD if node.op in ("+", "-") else _BP_MUL
    if isinstance(node, Neg):
        return _BP_NEG
    return _BP_ATOM


def unparse(expr: Expr) -> str:
    """The text of a tree, with only the parentheses it needs: ``parse(unparse(t)) == t``."""
    if isinstance(expr, Num):
        if expr.value < 0:
            return f"-{format(-expr.value, 'f')}"
        return format(expr.value, "f")
    if isinstance(expr, Ref):
        word = f"{expr.form}.{expr.code}" if expr.form else expr.code
        parts = [f"{dim}={opt}" for dim, opt in expr.selectors]
        if expr.period:
            parts.append(f"{PERIOD}={expr.period}")
        if parts:
            return f"{word}[{', '.join(parts)}]"
        return f"{word}[]" if _NUMBER_RE.fullmatch(word) else word
    if isinstance(expr, Call):
        return f"{expr.name}({', '.join(unparse(a) for a in expr.args)})"
    prec = _precedence(expr)
    if isinstance(expr, (Neg, Not)):
        inner = _wrap(expr.operand, _precedence(expr.operand) < prec)
        return f"-{inner}" if isinstance(expr, Neg) else f"not {inner}"
    left = _wrap(expr.left, _precedence(expr.left) < prec)
    right = _wrap(expr.right, _precedence(expr.right) <= prec)
    return f"{left} {expr.op} {right}"


def _wrap(node: Expr, needed: bool) -> str:
    text = unparse(node)
    return f"({text})" if needed else text
