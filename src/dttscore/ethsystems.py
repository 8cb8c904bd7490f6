"""The code systems of ethnic groups, and the refusal of data coded in a system the project cannot convert.

Two official GSO lists number the 54 groups differently from code 04 on: the 1979 list (QĐ 121-TCTK/PPCĐ
of 02/3/1979, ``gso-1979``: 04 Hoa, 05 Khơ-me, 06 Mường …), which the catalogues, the 2019 census and the
53-group survey tables use and which ``resources/ref/ethnic_groups_1979.csv`` ships; and the 2008 list
(QĐ 1019/QĐ-TCTK of 12/11/2008, ``gso-2008``: 04 Mường, 05 Khơ-me, 06 Hoa …). No source for the whole
2008 list could be read and cited (issue 17 item 3: the public copies seen show its first 13–20 codes
only), so no conversion table is shipped: data that says it is coded in another system is refused with a
message naming the system expected (:func:`refusal`), never converted by guess.
"""

from __future__ import annotations

SYSTEMS: dict[str, tuple[str, str]] = {
    "gso-1979": (
        "danh mục dân tộc năm 1979 của Tổng cục Thống kê (QĐ 121-TCTK/PPCĐ; 04 là Hoa)",
        "the GSO ethnic list of 1979 (QĐ 121-TCTK/PPCĐ; 04 is Hoa)",
    ),
    "gso-2008": (
        "danh mục dân tộc năm 2008 của Tổng cục Thống kê (QĐ 1019/QĐ-TCTK; 04 là Mường)",
        "the GSO ethnic list of 2008 (QĐ 1019/QĐ-TCTK; 04 is Mường)",
    ),
}
DEFAULT = "gso-1979"


def describe(system: str, lang: str = "vi") -> str:
    """The code system in words ("danh mục dân tộc năm 1979 …"), the code itself when unknown."""
    names = SYSTEMS.get(system)
    if names is None:
        return f"'{system[:40]}'"
    return f"{names[0] if lang == 'vi' else names[1]} ({system})"


def refusal(given: str, expected: str) -> tuple[str, str]:
    """The message (vi, en) for data coded in ``given`` where ``expected`` is needed."""
    return (
        f"mã dân tộc theo {describe(given, 'vi')}, nhưng cần mã theo {describe(expected, 'vi')}. Chưa có bảng "
        "chuyển đổi có nguồn chính thức giữa hai danh mục: hãy đổi mã sang danh mục được yêu cầu rồi nhập lại.",
        f"ethnic codes of {describe(given, 'en')}, but {describe(expected, 'en')} is needed. There is no "
        "conversion table from an official source between the two lists: recode to the list needed and try again.",
    )
