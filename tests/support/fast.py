"""The tests' fast retries, in a module light enough for child processes (no hub, no uvicorn)."""

from __future__ import annotations

from dttsclient.sync.transport import RetryPolicy, TransportConfig

FAST = TransportConfig(
    connect_timeout=5, stall_timeout=10, retry=RetryPolicy(base=0.01, cap=0.05, max_retries=4)
)
