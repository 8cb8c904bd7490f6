"""Receipt numbers an officer can read out over the phone.

Format ``UUUUU-YY-NNNN``, e.g. ``01849-26-0042``:

* ``UUUUU`` — the commune's 5-digit code;
* ``YY`` — the last two digits of the year the hub received the submission (Vietnam time, UTC+7);
* ``NNNN`` — the commune's running number within that year, at least four digits (``10000`` follows
  ``9999``).

Only digits and hyphens: nothing to confuse (no O/0, I/1), and a receipt says by itself which commune
and year it belongs to. Every stored submission (accepted, late or conflict) gets one; a duplicate gets
the original one back.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")
RECEIPT_RE = re.compile(r"(?P<unit>[0-9]{5}|[0-9]{2}-[A-Z0-9]{1,5})-(?P<year>[0-9]{2})-(?P<seq>[0-9]{4,})")


def vn_date(now: datetime):
    """The calendar date in Vietnam at ``now``."""
    return now.astimezone(VN_TZ).date()


def format_receipt(unit: str, year: int, seq: int) -> str:
    return f"{unit}-{year % 100:02d}-{seq:04d}"


def receipt_counter_name(unit: str, year: int) -> str:
    """The counter behind the receipt numbers of ``unit`` in ``year``."""
    return f"receipt:{unit}:{year}"
