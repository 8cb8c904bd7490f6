"""The retry policy's decisions (the faults themselves are proved over a real hub in test_faults.py and
tests/proof/test_fault_matrix.py): which replies and errors get another attempt, and how long to wait."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from dttsclient.sync.errors import CertificateProblem, Offline, StallTimeout, Unreachable
from dttsclient.sync.transport import RetryPolicy, parse_retry_after

POLICY = RetryPolicy(base=1.0, cap=10.0, max_retries=2, jitter=0, retry_after_cap=30.0)


def test_a_retry_after_is_seconds_or_an_http_date():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 2.5 ") == 2.5
    assert parse_retry_after("-3") == 0.0
    soon = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=120), usegmt=True)
    assert 100 < parse_retry_after(soon) <= 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # already past
    assert parse_retry_after(None) is None and parse_retry_after("") is None
    assert parse_retry_after("soon") is None


def test_which_replies_are_asked_again_and_after_how_long():
    assert POLICY.wait_after_reply(503, None, 1) == 1.0  # backoff: 1, 2 …
    assert POLICY.wait_after_reply(502, None, 2) == 2.0
    assert POLICY.wait_after_reply(503, "5", 1) == 5.0  # as the hub asks
    assert POLICY.wait_after_reply(503, "999", 1) == 30.0  # at most the cap
    assert POLICY.wait_after_reply(429, "4", 1) == 4.0
    assert POLICY.wait_after_reply(429, None, 1) is None  # "too many" without saying when: the answer
    assert POLICY.wait_after_reply(429, "later", 1) == 1.0  # unreadable: the backoff
    assert POLICY.wait_after_reply(500, None, 1) is None  # the hub's bug: asking again does not help
    assert POLICY.wait_after_reply(200, None, 1) is None
    assert POLICY.wait_after_reply(503, None, 3) is None  # the attempts are used up
    limited = RetryPolicy.interactive()
    assert limited.wait_after_reply(503, "60", 1) is None  # longer than the officer waits: said at once


def test_which_errors_are_tried_again():
    cut, stall = Offline("reset"), StallTimeout("60 s")
    assert POLICY.retries_error(cut, 1, stalls=True, probe=False)
    assert POLICY.retries_error(stall, 2, stalls=True, probe=False)
    assert not POLICY.retries_error(stall, 3, stalls=True, probe=False)  # the attempts are used up
    assert not POLICY.retries_error(stall, 1, stalls=False, probe=False)  # the batch is halved instead
    assert not POLICY.retries_error(Unreachable("x"), 1, stalls=True, probe=False)  # said at once
    assert not POLICY.retries_error(CertificateProblem("x"), 1, stalls=True, probe=False)
    # the background sync asks a silent hub again
    assert POLICY.retries_error(stall, 1, stalls=True, probe=True)
    quick = RetryPolicy.interactive()
    assert not quick.retries_error(stall, 1, stalls=True, probe=True)  # the officer's sync does not
