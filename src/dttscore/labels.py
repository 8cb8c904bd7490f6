"""Words a person reads in place of the codes and machine values the layers carry.

The store and the hub speak in codes ("production", "2026-12-05T00:02:00+00:00", "người"); the screens,
the PDF and the command line show these helpers' results instead, in the interface language. Period names
are :func:`dttscore.periods.period_label`. Qt-free, so the command line uses them too.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

_ENVIRONMENTS = {
    "production": ("chính thức", "live"),
    "test": ("thử nghiệm", "test"),
    "demo": ("chạy thử", "demo"),
}

# The units of measure of the catalogue (its "unit" column is Vietnamese only).
_MEASURES_EN = {
    "người": "persons",
    "hộ": "households",
    "lượt người": "person-times",
    "học sinh": "pupils",
    "cặp": "couples",
    "thôn": "villages",
    "xã": "communes",
    "trường": "schools",
    "lớp": "classes",
    "giường": "beds",
    "chợ": "markets",
    "công trình": "works",
    "di tích": "relics",
    "lễ hội": "festivals",
    "buổi": "sessions",
    "đội": "teams",
    "HTX": "cooperatives",
    "triệu đồng": "million VND",
    "triệu đồng/người/năm": "million VND/person/year",
    "kg/người/năm": "kg/person/year",
    "nghìn đồng": "thousand VND",
    "đồng": "VND",
    "ha": "ha",
    "km": "km",
    "%": "%",
}


def parse_time(text: Any) -> datetime | None:
    """An ISO 8601 time as an aware datetime (UTC when it has no zone; "Z" accepted), or None.

    The one reader of stored and received times: the sync layer, the USB layer and the screens use it.
    """
    if isinstance(text, datetime):
        return text if text.tzinfo else text.replace(tzinfo=timezone.utc)
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def local_time_label(stamp: str | datetime | None, lang: str = "vi") -> str:
    """An ISO time as the PC's local time: "05/12/2026 07:02" (English: "05 Dec 2026 07:02").

    A time without a zone is taken as UTC (the layers store UTC). Something unreadable is returned as is;
    None or "" gives "—".
    """
    if stamp is None or stamp == "":
        return "—"
    moment = parse_time(stamp if isinstance(stamp, datetime) else str(stamp))
    if moment is None:
        return str(stamp)
    moment = moment.astimezone()
    if lang == "en":
        return f"{moment.day:02d} {moment.strftime('%b')} {moment.year} {moment:%H:%M}"
    return moment.strftime("%d/%m/%Y %H:%M")


def environment_label(environment: str | None, lang: str = "vi") -> str:
    """The hub's environment ("production", "test", "demo") as a word: "chính thức" / "live"."""
    if not environment:
        return ""
    names = _ENVIRONMENTS.get(environment)
    if names is None:
        return environment
    return names[1] if lang == "en" else names[0]


def measure_label(unit: str | None, lang: str = "vi") -> str:
    """A catalogue unit of measure in the interface language ("người" → "persons" in English)."""
    if not unit:
        return ""
    return _MEASURES_EN.get(unit, unit) if lang == "en" else unit


def commune_phrase(unit_name: str | None, unit: str | None, lang: str = "vi") -> str:
    """How a sentence names a commune: its name, which already says "Xã"/"Phường" ("Xã Sơn Đông"), else
    "xã 02701" / "commune 02701" from its code."""
    if unit_name:
        return unit_name
    if unit:
        return f"commune {unit}" if lang == "en" else f"xã {unit}"
    return "—"
