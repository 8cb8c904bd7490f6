"""Who may see and write what: the unit scope of an account.

An officer has one commune (5-digit code) or one province agency (``19-SGDDT``, :mod:`dttshub.units`); a
reviewer or admin has a province (2-digit code of ``communes_2025.csv``, covering its communes and its
agencies, whose code starts with the province's) or ``"*"`` (everything). Reviewers and admins never hold
a single commune.
"""

from __future__ import annotations

from dataclasses import dataclass

from dttscore import refdata
from dttshub.errors import BadRequest, Forbidden
from dttshub.units import agency_province, is_agency_code

ROLES = ("officer", "reviewer", "admin")
ALL_UNITS = "*"
UNIT_LIST = "vn-2025-07"


@dataclass(frozen=True)
class Account:
    """The authenticated caller of a hub operation."""

    username: str
    role: str
    unit: str
    device_id: str = ""

    @property
    def is_reviewer(self) -> bool:
        return self.role in ("reviewer", "admin")

    def covers(self, unit: str) -> bool:
        """True when ``unit`` (a commune code) is inside this account's scope."""
        return unit_covers(self.unit, unit)

    def require_unit(self, unit: str) -> None:
        """Raise :class:`Forbidden` unless ``unit`` is in scope."""
        if not self.covers(unit):
            raise Forbidden(
                "out_of_scope",
                f"Tài khoản {self.username} không có quyền với đơn vị {unit}.",
                f"Account {self.username} has no rights on unit {unit}.",
            )

    def require_reviewer(self) -> None:
        """Raise :class:`Forbidden` unless the account is a reviewer or an admin."""
        if not self.is_reviewer:
            raise Forbidden(
                "role_required",
                "Chỉ cán bộ thẩm định hoặc quản trị mới được làm việc này.",
                "Only a reviewer or an admin may do this.",
            )

    def to_json(self, unit_name: str | None = None) -> dict:
        """The ``account`` object of the token reply: units as codes plus their details.

        Args:
            unit_name: the name of an agency (held by the hub's database, not by the unit list).
        """
        return {
            "username": self.username,
            "role": self.role,
            "unit": self.unit,
            "unit_list": UNIT_LIST,
            "units": [self.unit],
            "unit_details": unit_details(self.unit, unit_name),
        }


def unit_covers(scope: str, unit: str) -> bool:
    """True when the scope ``scope`` ("*", a province or a commune code) covers the commune ``unit``."""
    if scope == ALL_UNITS:
        return True
    if len(scope) == 2:
        if is_agency_code(unit):
            return agency_province(unit) == scope
        commune = refdata.commune(unit)
        return commune is not None and commune.province_code == scope
    return scope == unit


def province_of(unit: str) -> str | None:
    if is_agency_code(unit):
        return agency_province(unit)
    commune = refdata.commune(unit)
    return commune.province_code if commune else None


def check_account_unit(role: str, unit: str) -> None:
    """Raise :class:`BadRequest` unless ``unit`` suits ``role`` and exists in the 2025 unit list."""
    if role not in ROLES:
        raise BadRequest(
            "bad_role",
            f"Vai trò không hợp lệ: {role} (officer, reviewer hoặc admin).",
            f"Invalid role: {role} (officer, reviewer or admin).",
        )
    if role == "officer":
        if is_agency_code(unit):
            return  # whether the agency exists (and is enabled) is for the hub's database (Accounts.add_user)
        if refdata.commune(unit) is None:
            raise BadRequest(
                "bad_unit",
                f"Cán bộ cần mã xã 5 chữ số có trong danh mục 2025 hoặc mã cơ quan của tỉnh (19-SGDDT); "
                f"'{unit}' không phải.",
                f"An officer needs a 5-digit commune code of the 2025 list or a province agency code "
                f"(19-SGDDT); '{unit}' is neither.",
            )
        return
    if unit == ALL_UNITS:
        return
    if unit not in {p.code for p in refdata.provinces()}:
        raise BadRequest(
            "bad_unit",
            f"Cán bộ thẩm định/quản trị cần mã tỉnh 2 chữ số hoặc '*'; '{unit}' không hợp lệ.",
            f"A reviewer/admin needs a 2-digit province code or '*'; '{unit}' is not valid.",
        )


def unit_details(scope: str, unit_name: str | None = None) -> list[dict]:
    """Names of the units of a scope, from ``communes_2025.csv``.

    A commune gives itself; an agency itself (``level`` "agency", named ``unit_name``) with its province;
    a province gives the province and every commune in it; ``"*"`` gives the provinces only (3,321
    communes would make every token reply large).
    """
    if is_agency_code(scope):
        province = agency_province(scope)
        communes = refdata.communes_in(province)
        return [
            {
                "code": scope,
                "name": unit_name or "",
                "level": "agency",
                "province_code": province,
                "province_name": communes[0].province_name if communes else "",
            }
        ]
    if scope == ALL_UNITS:
        return [{"code": p.code, "name": p.name, "level": "province"} for p in refdata.provinces()]
    if len(scope) == 2:
        communes = refdata.communes_in(scope)
        name = communes[0].province_name if communes else ""
        return [{"code": scope, "name": name, "level": "province"}] + [
            {
                "code": c.commune_code,
                "name": c.commune_name,
                "level": "commune",
                "province_code": c.province_code,
                "province_name": c.province_name,
            }
            for c in communes
        ]
    c = refdata.commune(scope)
    if c is None:
        return [{"code": scope, "name": "", "level": "commune"}]
    return [
        {
            "code": c.commune_code,
            "name": c.commune_name,
            "level": "commune",
            "province_code": c.province_code,
            "province_name": c.province_name,
        }
    ]
