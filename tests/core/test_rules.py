"""The rule grammar: tokens, precedence, types, errors, references, evaluation, printing."""

import inspect
import re
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dttscore import rules
from dttscore.errors import RuleSyntaxError
from dttscore.rules import (
    BinOp,
    BoolOp,
    Call,
    Compare,
    Neg,
    Not,
    Num,
    Ref,
    describe,
    evaluate,
    parse,
    references,
    star_dimensions,
    unparse,
)


def run(expression, values=None):
    """Evaluate with a lookup from {code or (code, selectors): number}."""
    values = values or {}

    def lookup(ref):
        if ref.selectors:
            return values.get((ref.code, ref.selectors))
        return values.get(ref.code)

    return evaluate(parse(expression), lookup)


# -- parsing -------------------------------------------------------------------------------------------


def test_catalog_examples():
    assert parse("0102 <= 0101") == Compare("<=", Ref("0102"), Ref("0101"))
    assert parse("0305 <= 0301 * 5") == Compare("<=", Ref("0305"), BinOp("*", Ref("0301"), Num(Decimal(5))))
    assert parse("0203 >= 0 and 0203 <= 100") == BoolOp(
        "and", Compare(">=", Ref("0203"), Num(Decimal(0))), Compare("<=", Ref("0203"), Num(Decimal(100)))
    )
    assert parse("0303[eth=*] <= 0301[eth=*]") == Compare(
        "<=", Ref("0303", (("eth", "*"),)), Ref("0301", (("eth", "*"),))
    )
    assert parse("0102[eth=08, sex=F] > 0") == Compare(
        ">", Ref("0102", (("eth", "08"), ("sex", "F"))), Num(Decimal(0))
    )


def test_numbers_and_codes():
    assert parse("0101 > 5").right == Num(Decimal(5))
    assert parse("0101 > 0").right == Num(Decimal(0))
    assert parse("0101 > 0.5").right == Num(Decimal("0.5"))
    assert parse("0101 > 12.25").right == Num(Decimal("12.25"))
    assert parse("0101 > 1000000").right == Num(Decimal(1000000))
    assert parse("0101 > 1001[]").right == Ref("1001")  # a code that reads like a number
    assert parse("0101 > 01").right == Ref("01")  # a leading zero makes a code
    assert parse("0101 > A12").right == Ref("A12")
    assert parse("0101 > 01.02").right == Ref("01.02")
    assert parse("0101[sex=F, eth=08] > 0").left == Ref("0101", (("eth", "08"), ("sex", "F")))  # sorted
    assert parse("0101[] > 0").left == Ref("0101")


def test_whitespace_case_and_keywords():
    assert parse("0101<=0102") == parse("  0101   <=\n0102 ")
    assert parse("0101 > 0 AND NOT 0102 > 0") == parse("0101 > 0 and not 0102 > 0")
    assert parse("ABS(0101) > Max(1, 2)") == parse("abs(0101) > max(1, 2)")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2 * 3 == 7", True),
        ("(1 + 2) * 3 == 9", True),
        ("10 - 4 - 3 == 3", True),  # left-associative
        ("8 / 4 / 2 == 1", True),
        ("-2 * 3 == -6", True),
        ("--2 == 2", True),
        ("2 - -2 == 4", True),
        ("-(2 + 3) == -5", True),
        ("not 1 > 2 and 2 > 1", True),  # (not 1 > 2) and (2 > 1)
        ("1 > 2 or 2 > 1 and 3 > 4", False),  # and binds tighter than or
        ("(1 > 2 or 2 > 1) and 3 > 4", False),
        ("not (1 > 2 or 2 > 1)", False),
        ("abs(-5) == 5", True),
        ("min(3, 1, 2) == 1 and max(3, 1, 2) == 3", True),
        ("min(4) == 4", True),
        ("1 / 3 * 3 < 1.0000001", True),
        ("0.1 + 0.2 == 0.3", True),  # decimal, not float
        ("1 != 2", True),
        ("2 >= 2 and 2 <= 2 and not 2 < 2 and not 2 > 2", True),
    ],
)
def test_precedence_and_arithmetic(expression, expected):
    assert run(expression) is expected


@pytest.mark.parametrize(
    ("expression", "position", "vi_fragment"),
    [
        ("", None, "Quy tắc trống"),
        ("   ", None, "Quy tắc trống"),
        ("0101", None, "phải là một điều kiện"),
        ("0101 + 1", None, "phải là một điều kiện"),
        ("0101 < 0102 < 3", 12, "Không nối liền hai phép so sánh"),
        ("0101 and 0102", 5, "cần điều kiện"),
        ("0101 > 0 and 0102", 9, "cần điều kiện"),
        ("not 0101", 0, "cần điều kiện"),
        ("0101 + (0102 > 1) > 0", 5, "cần số"),
        ("-(1 > 0) > 0", 0, "cần số"),
        ("(0101 > 1", 9, "Thiếu “)”"),
        ("0101 > 1)", 8, "Thừa dấu “)”"),
        ("0101 = 2", 5, "Dùng “==”"),
        ("0101 $ 2", 5, "Ký tự “$”"),
        ("0101 > 1 ;", 9, "Ký tự “;”"),
        ("abs(1, 2) > 0", 0, "abs nhận đúng một số"),
        ("abs > 0", 4, "Thiếu “(”"),
        ("min() > 0", 4, "Không hiểu “)”"),
        ("max(1 > 0) > 0", 4, "cần số"),
        ("0101[sex=F > 0", 11, "Thiếu “]”"),
        ("0101[sex=F, sex=M] > 0", 12, "hai lần"),
        ("0101[=F] > 0", 5, "cần tên chiều"),
        ("0101[sex] > 0", 8, "Thiếu “=”"),
        ("0101[sex=] > 0", 9, "Thiếu mã phân tổ"),
        ("0101 > ", 7, "kết thúc giữa chừng"),
        ("and 0101 > 0", 0, "Thiếu điều kiện trước"),
        ("0101 0102 > 0", 5, "thiếu phép toán"),
        ("0101 > 0 0102", 9, "thiếu phép toán"),
        ("_x > 0", 0, "Ký tự “_”"),
        ("0101 ** 2 > 0", 6, "Không hiểu “*”"),
        ("0101 > 'a'", 7, "Ký tự “'”"),
        ("__import__('os') > 0", 0, "Ký tự “_”"),
        ("[1] > 0", 0, "Không hiểu “[”"),
    ],
)
def test_syntax_errors(expression, position, vi_fragment):
    with pytest.raises(RuleSyntaxError) as exc:
        parse(expression)
    assert exc.value.position == position
    assert vi_fragment in exc.value.message_vi
    assert exc.value.message_en and exc.value.message_en != exc.value.message_vi


def test_error_messages_and_describe():
    with pytest.raises(RuleSyntaxError) as exc:
        parse("0101 > 1)")
    assert exc.value.message_vi == "Thừa dấu “)”"
    assert exc.value.message_en == "An extra “)”"
    assert describe(exc.value) == "Thừa dấu “)” (ký tự thứ 9)"
    assert describe(exc.value, "en") == "An extra “)” (character 9)"
    with pytest.raises(RuleSyntaxError) as exc:
        parse("0101")
    assert describe(exc.value) == "Quy tắc phải là một điều kiện có phép so sánh, ví dụ 0102 <= 0101"


def test_limits_give_syntax_errors_not_crashes():
    for expression in (
        "(" * 500 + "1 > 0" + ")" * 500,
        "-" * 500 + "1 > 0",
        "not " * 300 + "1 > 0",
        "+".join(["1"] * 1500) + " > 0",  # a long left-deep chain
        "1 > 0" + " and 1 > 0" * 500,
        "x" * 5000 + " > 0",
        "abs(" * 300 + "1" + ")" * 300 + " > 0",
    ):
        with pytest.raises(RuleSyntaxError):
            parse(expression)
    # within the limits
    assert run("+".join(["1"] * 90) + " == 90") is True
    assert run("(" * 40 + "1" + ")" * 40 + " > 0") is True
    with pytest.raises(RuleSyntaxError):
        parse(None)


def test_never_eval():
    source = inspect.getsource(rules)
    assert not re.search(r"(?<![\w.])(eval|exec|compile)\(", source)
    assert "import ast" not in source


def test_parse_is_cached():
    assert parse("0101 > 0") is parse("0101 > 0")


# -- references ----------------------------------------------------------------------------------------


def test_references_and_star_dimensions():
    expr = parse("0303[eth=*] <= 0301[eth=*] and 0301[eth=*] > 0 or abs(0102[sex=F] - 0102) > max(0104, 1)")
    assert references(expr) == [
        Ref("0303", (("eth", "*"),)),
        Ref("0301", (("eth", "*"),)),
        Ref("0102", (("sex", "F"),)),
        Ref("0102"),
        Ref("0104"),
    ]
    assert star_dimensions(expr) == {"eth"}
    assert star_dimensions(parse("0101[eth=*, sex=*] > 0")) == {"eth", "sex"}
    assert star_dimensions(parse("0101 > 0")) == set()
    assert rules.numbers(parse("0101 > 5 and 0102 < 0.5")) == [Decimal(5), Decimal("0.5")]


def test_ref_bind():
    ref = Ref("0101", (("eth", "*"), ("sex", "F")))
    assert ref.bind({"eth": "08"}) == Ref("0101", (("eth", "08"), ("sex", "F")))
    plain = Ref("0101")
    assert plain.bind({"eth": "08"}) is plain


# -- evaluation ----------------------------------------------------------------------------------------


def test_evaluate_with_values():
    values = {"0101": Decimal(100), "0102": Decimal(40), ("0102", (("sex", "F"),)): Decimal(25)}
    assert run("0102 <= 0101", values) is True
    assert run("0102 > 0101", values) is False
    assert run("0102[sex=F] <= 0102", values) is True
    assert run("0102 / 0101 == 0.4", values) is True
    assert run("0101 - 0102 * 2 == 20", values) is True
    assert evaluate(parse("0101 > 3"), lambda ref: 5) is True  # an int from the lookup is fine


def test_empty_operand_skips_the_rule():
    values = {"0101": Decimal(100)}
    assert run("0102 <= 0101", values) is None
    assert run("0101 > 0 and 0102 > 0", values) is None
    # both sides of and/or are evaluated, so the order never matters
    assert run("0101 < 0 and 0102 > 0", values) is None
    assert run("0102 > 0 and 0101 < 0", values) is None
    assert run("0101 > 0 or 0102 > 0", values) is None
    assert run("min(0101, 0102) > 0", values) is None


def test_division_by_zero_skips_the_rule():
    values = {"0101": Decimal(100), "0102": Decimal(0)}
    assert run("0101 / 0102 > 0.5", values) is None
    assert run("0102 / 0102 == 1", values) is None  # 0/0
    assert run("0101 / (0101 - 100) > 0", values) is None
    assert run("0102 / 0101 == 0", values) is True


# -- properties ----------------------------------------------------------------------------------------

CODES = ["0101", "0102", "0203", "A1", "1001", "01.02"]
SELECTORS = [(), (("eth", "08"),), (("eth", "08"), ("sex", "F")), (("sex", "*"),)]

_literals = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
_refs = st.builds(Ref, st.sampled_from(CODES), st.sampled_from(SELECTORS))


def _num_exprs(literals=_literals, ops=("+", "-", "*", "/")):
    leaves = st.one_of(st.builds(Num, literals), _refs)

    def extend(children):
        return st.one_of(
            st.builds(Neg, children),
            st.builds(BinOp, st.sampled_from(ops), children, children),
            st.builds(Call, st.just("abs"), st.tuples(children)),
            st.builds(
                Call, st.sampled_from(["min", "max"]), st.lists(children, min_size=1, max_size=3).map(tuple)
            ),
        )

    return st.recursive(leaves, extend, max_leaves=8)


def _bool_exprs(nums):
    compares = st.builds(Compare, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), nums, nums)

    def extend(children):
        return st.one_of(
            st.builds(BoolOp, st.sampled_from(["and", "or"]), children, children),
            st.builds(Not, children),
        )

    return st.recursive(compares, extend, max_leaves=4)


_values = st.dictionaries(
    st.tuples(st.sampled_from(CODES), st.sampled_from(SELECTORS)),
    st.one_of(st.none(), st.sampled_from([Decimal(0), Decimal(1), Decimal("-2.5")]), _literals),
    max_size=len(CODES) * len(SELECTORS),
)


def _reference_eval(node, values):
    """A separate, direct evaluation of a tree with the semantics of docs/catalogue.md (None: skipped)."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        return values.get((node.code, node.selectors))
    if isinstance(node, Neg):
        v = _reference_eval(node.operand, values)
        return None if v is None else -v
    if isinstance(node, Call):
        args = [_reference_eval(a, values) for a in node.args]
        if any(a is None for a in args):
            return None
        return {"abs": lambda xs: abs(xs[0]), "min": min, "max": max}[node.name](args)
    if isinstance(node, Not):
        v = _reference_eval(node.operand, values)
        return None if v is None else not v
    left, right = _reference_eval(node.left, values), _reference_eval(node.right, values)
    if left is None or right is None:
        return None
    if isinstance(node, BinOp):
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        return None if right == 0 else left / right
    if isinstance(node, Compare):
        return {
            "<": left < right, "<=": left <= right, ">": left > right,
            ">=": left >= right, "==": left == right, "!=": left != right,
        }[node.op]  # fmt: skip
    return (left and right) if node.op == "and" else (left or right)


def _parenthesized(node):
    """Print a tree with every compound part in parentheses: independent of the module's printer."""
    if isinstance(node, Num):
        return str(node.value)
    if isinstance(node, Ref):
        inner = ",".join(f"{d}={o}" for d, o in node.selectors)
        return f"{node.code}[{inner}]"
    if isinstance(node, Neg):
        return f"(-{_parenthesized(node.operand)})"
    if isinstance(node, Not):
        return f"(not {_parenthesized(node.operand)})"
    if isinstance(node, Call):
        return f"{node.name}({','.join(_parenthesized(a) for a in node.args)})"
    return f"({_parenthesized(node.left)} {node.op} {_parenthesized(node.right)})"


_LEVEL = {"or": 1, "and": 2, "not": 3, "<": 4, "<=": 4, ">": 4, ">=": 4, "==": 4, "!=": 4,
          "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7}  # fmt: skip


def _level(node):
    if isinstance(node, (Num, Ref, Call)):
        return 9
    return _LEVEL["neg" if isinstance(node, Neg) else "not" if isinstance(node, Not) else node.op]


def _minimal(node):
    """Print with the fewest parentheses the documented precedence needs (the grammar in the module
    docstring), independently of the module's printer: checks the parser's precedence and associativity."""
    if isinstance(node, (Num, Ref, Call)):
        return _parenthesized(node)
    if isinstance(node, (Neg, Not)):
        inner = _minimal(node.operand)
        if _level(node.operand) < _level(node):
            inner = f"({inner})"
        return f"-{inner}" if isinstance(node, Neg) else f"not {inner}"
    left, right = _minimal(node.left), _minimal(node.right)
    if _level(node.left) < _level(node):
        left = f"({left})"
    if _level(node.right) <= _level(node):
        right = f"({right})"
    return f"{left} {node.op} {right}"


def _exact(value):
    return Fraction(value) if isinstance(value, Decimal) else value


@settings(max_examples=200, deadline=None)
@given(_bool_exprs(_num_exprs()), _values)
def test_printed_trees_parse_back_and_evaluate_the_same(tree, values):
    assert parse(_parenthesized(tree)) == tree
    assert parse(_minimal(tree)) == tree
    text = unparse(tree)
    parsed = parse(text)
    assert parsed == tree, text
    got = evaluate(parsed, lambda ref: values.get((ref.code, ref.selectors)))
    with localcontext() as ctx:
        ctx.prec = 40
        expected = _reference_eval(tree, values)
    assert got == expected, text
    assert references(parsed) == list(dict.fromkeys(references(tree)))


@settings(max_examples=200, deadline=None)
@given(
    _bool_exprs(
        _num_exprs(st.decimals(0, 99, places=1, allow_nan=False, allow_infinity=False), ("+", "-", "*"))
    ),
    _values.map(lambda d: {k: v for k, v in d.items() if v is None or abs(v) < 100}),
)
def test_evaluation_is_exact_without_division(tree, values):
    got = evaluate(parse(unparse(tree)), lambda ref: values.get((ref.code, ref.selectors)))
    exact = {k: _exact(v) for k, v in values.items()}
    expected = _reference_eval(_to_fractions(tree), exact)
    assert got == expected


def _to_fractions(node):
    if isinstance(node, Num):
        return Num(Fraction(node.value))
    if isinstance(node, Ref):
        return node
    if isinstance(node, (Neg, Not)):
        return type(node)(_to_fractions(node.operand))
    if isinstance(node, Call):
        return Call(node.name, tuple(_to_fractions(a) for a in node.args))
    return type(node)(node.op, _to_fractions(node.left), _to_fractions(node.right))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_random_text_raises_only_rule_syntax_error(text):
    try:
        tree = parse(text)
    except RuleSyntaxError as err:
        assert err.message_vi and err.message_en
        assert err.position is None or 0 <= err.position <= len(text)
        return
    assert parse(unparse(tree)) == tree


_TOKENS = ["0101", "0102", "5", "0.5", "1001", "A1", "eth", "sex", "08", "F", "*", "and", "or", "not", "abs",
           "min", "max", "(", ")", "[", "]", ",", "=", "+", "-", "/", "<", "<=", ">", ">=", "==", "!=", " "]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=25))
def test_token_soup_raises_only_rule_syntax_error(tokens):
    text = " ".join(tokens)
    try:
        tree = parse(text)
    except RuleSyntaxError as err:
        assert err.position is None or 0 <= err.position <= len(text)
        return
    assert parse(unparse(tree)) == tree
    evaluate(tree, lambda ref: Decimal(0))  # never raises: a division by zero only skips
