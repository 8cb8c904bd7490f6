"""The sync engine: push the outbox, then pull the catalogue and the account's reports (docs/sync-protocol.md).

One :meth:`SyncEngine.sync` does, in order:

1. ``ping`` — is it our hub (``server_id``; a fresh profile records it), is this client too old (426),
   is the PC's clock more than 5 minutes off (a warning, never a block).
2. Every row still ``sending`` (left by a crash or by a failed batch), whatever its lease, is settled
   through ``submissions:status`` *before anything is sent or released*: a known result is applied,
   ``unknown`` goes back to ``queued``. So nothing is sent twice and nothing is forgotten. (docs/sync-protocol.md lets
   an expired lease return to ``queued`` on its own; doing that before asking the hub would resend the
   batch over a slow link, or let a new finalize supersede a revision the hub already holds.)
3. Batches: ``store.outbox.claim()`` (a lease), ``submissions:batch``, ``store.outbox.apply_results()`` — one local
   transaction per batch. The batch starts at 5 submissions or 64 KB compressed, whichever is smaller;
   it doubles after a batch that took under 10 s (cap 50 / 512 KB) and halves after a stall timeout or a
   413 (floor 1). The size reached is remembered in the profile's settings for the next sync, so a good
   link does not relearn it every time (a bad one halves it again at the first timeout).
4. Pull: the catalogue when its ETag changed (``If-None-Match``), then ``changes?since=cursor`` until
   ``more`` is false, each page applied by ``store.sync.apply_pulled()``.

**When the hub's database was restored from an older copy** (docs/architecture.md, "Hub database
generations"): ``ping`` names the database generation and the profile remembers the last one it saw. A
new generation — or a ``changes`` reply with ``reset: true``, the hub's answer to a cursor it cannot
trust — means the hub may have lost what it accepted after the copy was made. Before pushing, the
engine then forgets its cursor (the pull starts from the beginning) and asks ``submissions:status``
about every row the hub had stored (accepted, late, conflict); those it answers ``unknown`` go back to
the queue (``store.outbox.requeue_lost``) and are sent again, getting new receipts. Only
then is the new generation recorded, so a sync cut short does it all again.

**When a batch fails** (network error after the retries, a stall, a login page, a bad reply, 5xx, 429,
401 …) its rows are *left in* ``sending`` with their lease rather than put back in ``queued``. The hub
may have committed some or all of them before the reply was lost; only the hub knows. Left in
``sending``, they are settled through ``submissions:status`` before anything is resent (within this sync
after a stall timeout, otherwise at the start of the next sync), so the outbox shows the hub's real
outcome and receipt, and a ``queued`` row — the only kind local actions may change or supersede — never
hides a submission that the hub in fact holds. Only a 413 or a 401 (the hub refused the whole request
before looking at its submissions) returns the rows to ``queued`` at once; even then a resend is
harmless, because the hub treats an identical resend as ``duplicate``. The lease (30 minutes) is longer than one batch
can take with every retry, so a live sync never loses its claim; a crashed one's rows are settled by
the next sync whatever their lease.

A 401 is answered by one ``auth/refresh`` with the refresh token; if that fails too,
:class:`~dttsclient.sync.errors.AuthRequired` is raised and the queue is kept for after the next login.
"""

from __future__ import annotations

import gzip
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, TypeVar

from dttsclient import __version__
from dttsclient.store import Store, setting_keys
from dttsclient.store.syncstate import CURSOR_KEY
from dttsclient.sync.api import BadReply, HubApi, PingInfo
from dttsclient.sync.credentials import CredentialStore, Tokens
from dttsclient.sync.errors import (
    AuthRequired,
    Cancelled,
    ClientTooOld,
    NoConnection,
    NotLoggedIn,
    RequestTooLarge,
    StallTimeout,
)
from dttsclient.sync.transport import Transport, TransportConfig
from dttscore.errors import DttsError
from dttscore.versions import older_than
from dttscore.wire import PAYLOAD_V2, compact_document

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, str], None]
T = TypeVar("T")

CA_BUNDLE_SETTING = setting_keys.CA_BUNDLE
SIGNING_KEY_SETTING = setting_keys.HUB_SIGNING_KEY
BATCH_ITEMS_SETTING = setting_keys.BATCH_ITEMS
BATCH_BYTES_SETTING = setting_keys.BATCH_BYTES
GENERATION_SETTING = setting_keys.HUB_GENERATION
CLOCK_SKEW_LIMIT = 300.0
LEASE_SECONDS = 30 * 60
STATUS_CHUNK = 200
MAX_PULL_PAGES = 10_000
MAX_CATALOG_FETCHES = 16
"""Catalogue versions one sync fetches for pulled reports made with a version the profile lacks."""
MAX_STALLS = 4


@dataclass(frozen=True)
class BatchPolicy:
    """The batch size rules of docs/sync-protocol.md, "A batch and its items"."""

    start_items: int = 5
    start_bytes: int = 64 * 1024
    max_items: int = 50
    max_bytes: int = 512 * 1024
    min_bytes: int = 4 * 1024
    fast_seconds: float = 10.0


@dataclass
class _BatchSize:
    items: int
    bytes: int
    policy: BatchPolicy

    def grow(self) -> None:
        self.items = min(self.policy.max_items, self.items * 2)
        self.bytes = min(self.policy.max_bytes, self.bytes * 2)

    def shrink(self) -> None:
        self.items = max(1, self.items // 2)
        self.bytes = max(self.policy.min_bytes, self.bytes // 2)


@dataclass(frozen=True)
class SyncWarning:
    """Something the officer should know that did not stop the sync."""

    code: str
    message_vi: str
    message_en: str

    def text(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi


@dataclass(frozen=True)
class ItemOutcome:
    """The hub's answer for one submission."""

    submission_id: str
    status: str
    unit: str = ""
    form: str = ""
    period: str = ""
    receipt_no: str | None = None
    server_revision: int | None = None
    errors: tuple[dict[str, Any], ...] = ()

    def reasons(self, lang: str = "vi") -> list[str]:
        """The hub's sentences for a rejection or a conflict."""
        key = "message_en" if lang == "en" else "message_vi"
        return [str(e.get(key) or e.get("message_vi") or e.get("code") or "") for e in self.errors]


@dataclass
class SyncResult:
    """What one sync did. ``accepted`` counts ``duplicate`` too (treated exactly like accepted)."""

    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: list[ItemOutcome] = field(default_factory=list)
    conflicts: list[ItemOutcome] = field(default_factory=list)
    late: list[ItemOutcome] = field(default_factory=list)
    receipts: list[ItemOutcome] = field(default_factory=list)
    settled: int = 0
    requeued: int = 0
    pulled: int = 0
    pull_actions: dict[str, int] = field(default_factory=dict)
    catalog_updated: bool = False
    bytes_up: int = 0
    bytes_down: int = 0
    duration: float = 0.0
    round_trips: int = 0
    warnings: list[SyncWarning] = field(default_factory=list)
    clock_skew: float | None = None
    server_id: str | None = None
    hub_restored: bool = False
    requeued_after_restore: int = 0
    error: str | None = None
    started_at: str = ""
    finished_at: str = ""

    @property
    def needs_attention(self) -> bool:
        return bool(self.rejected or self.conflicts)

    def summary(self) -> dict[str, Any]:
        """A JSON-able summary (for ``store.sync.record_sync_run`` and ``--json``). No tokens, no values."""
        data = asdict(self)
        for key in ("rejected", "conflicts", "late", "receipts"):
            data[key] = [
                {
                    "submission_id": o.submission_id,
                    "unit": o.unit,
                    "form": o.form,
                    "period": o.period,
                    "status": o.status,
                    "receipt_no": o.receipt_no,
                    "reasons": o.reasons(),
                }
                for o in getattr(self, key)
            ]
        data["warnings"] = [asdict(w) for w in self.warnings]
        data["duration"] = round(self.duration, 3)
        return data


def _clock() -> datetime:
    return datetime.now(timezone.utc)


def compressed_size(document: dict[str, Any]) -> int:
    """Bytes of one submission in a gzip-compressed batch body (an upper bound: batches share context)."""
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return len(gzip.compress(raw, compresslevel=6, mtime=0))


class SyncEngine:
    """Push and pull for one profile.

    Args:
        store: the profile's store.
        transport: the HTTP transport (its ``server_id`` None for a fresh profile; ping records it).
        credentials: where the tokens live (needed for the refresh after a 401).
        progress: called with (done, total, message) as the sync goes.
        policy: the batch size rules.
        lease_seconds: the claim's lease.
        clock: the local clock (aware datetime), for the clock-skew check.
        lang: the language of the progress messages.
    """

    def __init__(
        self,
        store: Store,
        transport: Transport,
        *,
        credentials: CredentialStore | None = None,
        progress: ProgressCallback | None = None,
        policy: BatchPolicy | None = None,
        lease_seconds: float = LEASE_SECONDS,
        clock: Callable[[], datetime] = _clock,
        lang: str = "vi",
    ) -> None:
        self.store = store
        self.transport = transport
        self.api = HubApi(transport)
        self.credentials = credentials
        self.progress = progress
        self.policy = policy or BatchPolicy()
        self.lease_seconds = lease_seconds
        self.clock = clock
        self.lang = lang
        self._refreshed = False
        self._ping: PingInfo | None = None
        self._recovered = False
        self._pushing = False
        self._done = 0
        self._total = 0
        if transport.on_wait is None:
            transport.on_wait = self._on_wait

    # -- construction from a profile --------------------------------------------------------------------
    @classmethod
    def for_profile(
        cls,
        store: Store,
        credentials: CredentialStore,
        *,
        config: TransportConfig | None = None,
        cancel: threading.Event | None = None,
        progress: ProgressCallback | None = None,
        policy: BatchPolicy | None = None,
        clock: Callable[[], datetime] = _clock,
    ) -> SyncEngine:
        """An engine for the profile's hub, with the token from ``credentials``.

        Raises:
            NotLoggedIn: the profile has no server address, no username or no stored token.
        """
        profile = store.settings.profile()
        if not profile.server_url or not profile.username:
            raise NotLoggedIn()
        tokens = credentials.load(store.settings.device_id, profile.username)
        if tokens is None:
            reason = getattr(credentials, "reason", None)
            if reason is not None:
                raise NotLoggedIn(reason.message_vi, reason.message_en)
            raise NotLoggedIn()
        transport = make_transport(store, profile.server_url, config=config, cancel=cancel)
        transport.token = tokens.access_token
        return cls(
            store,
            transport,
            credentials=credentials,
            progress=progress,
            policy=policy,
            clock=clock,
            lang=profile.lang or "vi",
        )

    # -- progress ---------------------------------------------------------------------------------------
    def _say(self, vi: str, en: str) -> None:
        msg = en if self.lang == "en" else vi
        logger.info("sync: %s", en)
        if self.progress is not None:
            self.progress(self._done, self._total, msg)

    def _on_wait(self, seconds: float, reason: str) -> None:
        busy = reason.startswith("HTTP 429") or reason.startswith("HTTP 5")
        self._say(
            (
                f"Máy chủ đang bận: đợi {seconds:.0f} giây rồi thử lại…"
                if busy
                else f"Đường truyền bị ngắt giữa chừng: đợi {seconds:.0f} giây rồi thử lại…"
            )
            + " Bấm «Dừng» nếu không muốn đợi.",
            f"{'The server is busy' if busy else 'The transfer was cut'} ({reason}): retrying in {seconds:.0f} s… "
            "Press Stop if you do not want to wait.",
        )

    # -- the whole sync ---------------------------------------------------------------------------------
    def sync(self, *, push: bool = True, pull: bool = True) -> SyncResult:
        """Push then pull; record the run in the store.

        Returns:
            What was done.

        Raises:
            SyncError: the sync stopped (the exception's ``result`` attribute holds what was done
                before it stopped; the run is recorded either way).
        """
        result = SyncResult(started_at=self.clock().isoformat(timespec="seconds"))
        before = self.transport.stats.snapshot()
        started = time.monotonic()
        self._recovered = False
        self._pushing = push
        try:
            self.ping(result)
            self.check_generation(result)
            if push:
                self.push(result)
            if pull:
                self.pull(result)
        except DttsError as exc:
            result.error = type(exc).__name__
            self._finish(result, before, started)
            exc.result = result  # type: ignore[attr-defined]
            raise
        self._finish(result, before, started)
        self._say(
            f"Đồng bộ xong: đã gửi {result.sent}, nhận {result.pulled} báo cáo.",
            f"Sync finished: {result.sent} sent, {result.pulled} received.",
        )
        return result

    def _finish(self, result: SyncResult, before: Any, started: float) -> None:
        wire = self.transport.stats.since(before)
        result.round_trips = wire.round_trips
        result.bytes_up = wire.bytes_up
        result.bytes_down = wire.bytes_down
        result.duration = time.monotonic() - started
        result.finished_at = self.clock().isoformat(timespec="seconds")
        try:
            self.store.sync.record_sync_run(result.summary())
        except DttsError as exc:  # recording is a courtesy; never hide the sync's own outcome
            logger.warning("could not record the sync run: %s", exc.message_en)

    # -- ping -------------------------------------------------------------------------------------------
    def ping(self, result: SyncResult) -> PingInfo:
        """``ping``: record a fresh profile's server_id, check the client version and the clock."""
        self._say("Đang kiểm tra kết nối tới máy chủ…", "Checking the connection to the server…")
        sent_at = self.clock()
        t0 = time.monotonic()
        info = self.api.ping()
        self._ping = info
        rtt = time.monotonic() - t0
        if self.transport.server_id is None:
            self.transport.server_id = info.server_id
            if self.store.settings.profile().server_id is None:
                self.store.settings.set_profile(server_id=info.server_id)
            if info.signing_key and not self.store.settings.get_setting(SIGNING_KEY_SETTING):
                self.store.settings.set_setting(SIGNING_KEY_SETTING, info.signing_key)
        result.server_id = info.server_id
        if info.min_client_version and older_than(__version__, info.min_client_version):
            raise ClientTooOld(info.min_client_version)
        if info.server_time is not None:
            local_mid = sent_at.timestamp() + rtt / 2
            skew = local_mid - info.server_time.timestamp()
            result.clock_skew = round(skew, 1)
            if abs(skew) > CLOCK_SKEW_LIMIT:
                minutes = round(abs(skew) / 60)
                ahead_vi, ahead_en = ("nhanh", "ahead of") if skew > 0 else ("chậm", "behind")
                result.warnings.append(
                    SyncWarning(
                        "clock_skew",
                        f"Đồng hồ máy tính đang {ahead_vi} hơn giờ máy chủ khoảng {minutes} phút. Hãy chỉnh "
                        "lại ngày giờ của máy tính (việc đồng bộ vẫn tiếp tục bình thường).",
                        f"This computer's clock is about {minutes} minute(s) {ahead_en} the server's. "
                        "Please correct the computer's date and time (the sync goes on normally).",
                    )
                )
        return info

    # -- a hub database restored from an older copy ------------------------------------------------------
    def check_generation(self, result: SyncResult) -> None:
        """Compare the hub's database generation (from ``ping``) with the one this profile last saw.

        A different one means the hub's database was restored from an older copy: the lost submissions
        are put back in the queue and the cursor forgotten (:meth:`recover_from_restore`), then the new
        generation is recorded. The first generation a profile sees is only recorded.
        """
        info = self._ping
        if info is None or info.generation is None:
            return
        known = self.store.settings.get_setting(GENERATION_SETTING)
        if known == info.generation:
            return
        if known is not None:
            logger.warning("the hub's database generation changed (%s -> %s)", known, info.generation)
            self.recover_from_restore(result)
        self.store.settings.set_setting(GENERATION_SETTING, info.generation)

    def recover_from_restore(self, result: SyncResult, *, reset_cursor: bool = True) -> int:
        """The hub lost what it accepted after an older copy of its database was made: recover.

        Forgets the pull cursor (the next pull starts from the beginning), asks ``submissions:status``
        about every submission the hub had stored, and puts those it no longer knows back in the queue.

        Args:
            result: the sync's result (``hub_restored``, ``requeued_after_restore``, a warning).
            reset_cursor: False when the hub has already restarted the feed (a ``reset`` page).

        Returns:
            How many submissions went back to the queue.
        """
        self._recovered = True
        result.hub_restored = True
        self._say(
            "Máy chủ đã được khôi phục từ một bản sao lưu cũ: đang kiểm tra lại các báo cáo đã gửi…",
            "The server's database was restored from an older backup: checking the reports sent before…",
        )
        if reset_cursor:
            self.store.settings.set_setting(CURSOR_KEY, None)
        ids = self.store.outbox.held_ids()
        lost: list[str] = []
        for i in range(0, len(ids), STATUS_CHUNK):
            chunk = ids[i : i + STATUS_CHUNK]
            results = self._authed(lambda chunk=chunk: self.api.status(chunk))
            lost += [str(r["submission_id"]) for r in results if r.get("status") == "unknown"]
        n = self.store.outbox.requeue_lost(
            lost,
            "Máy chủ đã được khôi phục từ bản sao lưu cũ và không còn giữ báo cáo này: sẽ gửi lại.",
        )
        result.requeued_after_restore += n
        result.warnings.append(
            SyncWarning(
                "hub_restored",
                "Máy chủ tỉnh đã được khôi phục từ một bản sao lưu cũ. Máy tính này nhận lại dữ liệu từ đầu"
                + (
                    f" và gửi lại {n} báo cáo máy chủ không còn giữ (các báo cáo này có số biên nhận mới)."
                    if n
                    else "; máy chủ vẫn giữ đủ các báo cáo đã gửi."
                ),
                "The province server was restored from an older backup. This computer receives everything "
                "again"
                + (
                    f" and re-sends {n} report(s) the server no longer held (they get new receipt numbers)."
                    if n
                    else "; the server still holds every report sent."
                ),
            )
        )
        return n

    # -- authentication ---------------------------------------------------------------------------------
    def _authed(self, call: Callable[[], T]) -> T:
        """Run ``call``; on a 401, refresh the access token once per sync and run it again."""
        try:
            return call()
        except AuthRequired as first:
            if self._refreshed or not self._refresh():
                raise AuthRequired(first.detail) from first
            return call()

    def _refresh(self) -> bool:
        self._refreshed = True
        profile = self.store.settings.profile()
        if self.credentials is None or not profile.username:
            return False
        tokens = self.credentials.load(self.store.settings.device_id, profile.username)
        if tokens is None or not tokens.refresh_token:
            return False
        self._say("Đang gia hạn phiên đăng nhập…", "Renewing the sign-in…")
        try:
            grant = self.api.refresh(tokens.refresh_token)
        except AuthRequired:
            logger.info("refresh token refused: a new login is needed")
            return False
        self.credentials.save(
            self.store.settings.device_id, profile.username, Tokens(grant.access_token, grant.refresh_token)
        )
        self.transport.token = grant.access_token
        return True

    # -- push -------------------------------------------------------------------------------------------
    def push(self, result: SyncResult) -> None:
        """Settle rows left ``sending``, then send the queue in growing/shrinking batches."""
        counts = self.store.outbox.counts()
        self._total = counts.get("queued", 0) + counts.get("sending", 0)
        self._done = 0
        # Ask the hub about EVERY row left sending, whatever its lease, before any lease is released:
        # a row released to queued unasked could be re-sent in full over 2G, or superseded locally by a
        # new finalize although the hub holds it (and has given it a receipt).
        self.settle_sending(result)
        released = self.store.outbox.release_expired_leases()
        if released:  # only rows the status call could not settle (none when it succeeded)
            logger.info("%d expired lease(s) returned to the queue", released)
        size = self._initial_size()
        stalls = 0
        too_large: set[str] = set()
        while True:
            self.transport.check_cancelled()
            claimed = self._claim(size, too_large)
            if not claimed:
                break
            docs = [self._wire_document(s) for s in claimed]
            ids = [s.submission_id for s in claimed]
            # Reports finalized while the sync runs join the queue: the total is what is sent so far plus
            # what still waits, so the progress never reads "5/3".
            left = self.store.outbox.counts()
            self._total = self._done + left.get("queued", 0) + left.get("sending", 0)
            self._say(
                f"Đang gửi {len(docs)} báo cáo ({self._done}/{self._total})…",
                f"Sending {len(docs)} report(s) ({self._done}/{self._total})…",
            )
            t0 = time.monotonic()
            try:
                results = self._authed(lambda docs=docs: self.api.batch(docs, short=self.compact))
            except AuthRequired:
                # refused before the hub read the body (and the refresh failed): back to the queue
                self._requeue(ids)
                raise
            except RequestTooLarge:
                # the hub refused the body before reading it: nothing stored, back to the queue
                self._requeue(ids)
                if len(docs) == 1:
                    result.warnings.append(_too_large_warning(claimed[0].document))
                    too_large.add(ids[0])
                    continue
                size.items = len(docs)
                size.shrink()
                self._remember(size)
                continue
            except StallTimeout:
                # the hub may have stored some of them: ask before sending anything again
                stalls += 1
                size.items = min(size.items, len(docs))
                size.shrink()
                self._remember(size)
                if stalls > MAX_STALLS:
                    raise
                self.settle_sending(result)
                continue
            results = self._send_full_where_needed(claimed, results)
            elapsed = time.monotonic() - t0
            self.store.outbox.apply_results(results)
            result.sent += len(results)
            self._tally(result, results, {s.submission_id: s.document for s in claimed})
            self._done += len(results)
            if elapsed < self.policy.fast_seconds:
                size.grow()
                self._remember(size)
        self._say(
            f"Đã gửi xong {self._done}/{self._total} báo cáo.",
            f"Sent {self._done}/{self._total} report(s).",
        )

    # -- compact payloads (issue 18) ------------------------------------------------------------------
    @property
    def compact(self) -> bool:
        """Whether the hub said (in ``ping``) that it accepts compact submissions (payload version 2)."""
        return self._ping is not None and PAYLOAD_V2 in self._ping.payload_versions

    def _wire_document(self, sub: Any, changes: bool = True) -> dict[str, Any]:
        """The document to send: compact (as changes from a base the hub holds, when there is one) if the
        hub accepts it, else the document as finalize made it. Any problem: the full version 1 document."""
        if not self.compact:
            return sub.document
        try:
            catalog = self.store.catalogs.catalog_version(sub.catalog_id, sub.catalog_version)
            base = self.store.outbox.held_base(sub.submission_id) if changes else None
            return compact_document(sub.document, catalog, base.document if base is not None else None)
        except (DttsError, KeyError, ValueError, TypeError) as exc:
            logger.warning("submission %s sent in full (version 1): %s", sub.submission_id, exc)
            return sub.document

    def _send_full_where_needed(self, claimed: list, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send again, in full, the revisions the hub answered ``need_full`` (it lacked their base)."""
        again = [s for s, r in zip(claimed, results, strict=True) if r.get("status") == "need_full"]
        if not again:
            return results
        logger.info("%d revision(s) sent in full: the hub lacked their base", len(again))
        docs = [self._wire_document(s, changes=False) for s in again]
        redone = {str(r["submission_id"]): r for r in self._authed(lambda: self.api.batch(docs, short=True))}
        out = [redone.get(str(r["submission_id"]), r) for r in results]
        for r in out:  # never left as need_full: the row stays sending and is settled by the next sync
            if r.get("status") == "need_full":
                raise BadReply("the hub asked twice for the full payload of a submission")
        return out

    def _requeue(self, ids: list[str]) -> None:
        self.store.outbox.apply_results([{"submission_id": i, "status": "unknown"} for i in ids])

    def settle_sending(self, result: SyncResult) -> None:
        """Ask the hub about every row in ``sending`` and apply what it knows; ``unknown`` → queued."""
        ids = self.store.outbox.sending_ids()
        if not ids:
            return
        self._say(
            f"Đang hỏi máy chủ về {len(ids)} báo cáo gửi dở lần trước…",
            f"Asking the server about {len(ids)} report(s) left half-sent…",
        )
        for i in range(0, len(ids), STATUS_CHUNK):
            chunk = ids[i : i + STATUS_CHUNK]
            results = self._authed(lambda chunk=chunk: self.api.status(chunk))
            self.store.outbox.apply_results(results)
            known = [r for r in results if r.get("status") != "unknown"]
            result.settled += len(known)
            result.requeued += len(results) - len(known)
            docs = {}
            for r in known:
                try:
                    docs[str(r["submission_id"])] = self.store.outbox.submission(
                        str(r["submission_id"])
                    ).document
                except DttsError:
                    continue
            self._tally(result, known, docs)
            self._done += len(known)

    def _initial_size(self) -> _BatchSize:
        p = self.policy
        items = self.store.settings.get_setting(BATCH_ITEMS_SETTING, p.start_items)
        nbytes = self.store.settings.get_setting(BATCH_BYTES_SETTING, p.start_bytes)
        try:
            items = max(1, min(p.max_items, int(items)))
            nbytes = max(p.min_bytes, min(p.max_bytes, int(nbytes)))
        except (TypeError, ValueError):
            items, nbytes = p.start_items, p.start_bytes
        return _BatchSize(items, nbytes, p)

    def _remember(self, size: _BatchSize) -> None:
        self.store.settings.set_setting(BATCH_ITEMS_SETTING, size.items)
        self.store.settings.set_setting(BATCH_BYTES_SETTING, size.bytes)

    def _claim(self, size: _BatchSize, skip: set[str]) -> list:
        """Claim the oldest queued rows that fit in the batch's count and compressed-size budget.

        Rows in ``skip`` (too large for the hub this time) are passed over, so they never block the rest.
        """
        queued = self.store.outbox.items(states=["queued"])
        picked = 0
        span = 0
        total = 0
        for pos, item in enumerate(queued):
            if item.submission_id in skip:
                continue
            if picked >= size.items:
                break
            total += compressed_size(self.store.outbox.submission(item.submission_id).document)
            if picked and total > size.bytes:
                break
            picked += 1
            span = pos + 1
        if not picked:
            return []
        claimed = self.store.outbox.claim(span, self.lease_seconds)
        passed_over = [s.submission_id for s in claimed if s.submission_id in skip]
        if passed_over:
            self._requeue(passed_over)
        return [s for s in claimed if s.submission_id not in skip]

    def _tally(
        self, result: SyncResult, results: list[dict[str, Any]], docs: dict[str, dict[str, Any]]
    ) -> None:
        for r in results:
            sid = str(r["submission_id"])
            doc = docs.get(sid, {})
            rev = r.get("server_revision")
            outcome = ItemOutcome(
                submission_id=sid,
                status=str(r.get("status")),
                unit=str(doc.get("unit", "")),
                form=str(doc.get("form", "")),
                period=str(doc.get("period", "")),
                receipt_no=None if r.get("receipt_no") in (None, "") else str(r["receipt_no"]),
                server_revision=int(rev)
                if isinstance(rev, (int, float, str)) and str(rev).isdigit()
                else None,
                errors=tuple(e for e in (r.get("errors") or []) if isinstance(e, dict)),
            )
            status = outcome.status
            if status in ("accepted", "duplicate"):
                result.accepted += 1
                result.duplicate += status == "duplicate"
                result.receipts.append(outcome)
            elif status == "rejected":
                result.rejected.append(outcome)
            elif status == "conflict":
                result.conflicts.append(outcome)
            elif status == "late":
                result.late.append(outcome)
                result.receipts.append(outcome)

    # -- pull -------------------------------------------------------------------------------------------
    def pull(self, result: SyncResult) -> None:
        """Refresh the catalogue when its ETag changed, then apply ``changes`` pages until ``more`` is false."""
        self._say("Đang kiểm tra danh mục chỉ tiêu…", "Checking the indicator catalogue…")
        self.refresh_catalog(result)
        fetches = _CatalogFetches()
        # versions that reports pulled by an earlier sync still wait for (that fetch had failed)
        waiting = self.store.catalogs.missing_catalogs()
        self.fetch_report_catalogs(waiting, fetches)
        for catalog_id, version in waiting:
            if not self.store.catalogs.has_catalog(catalog_id, version):
                result.warnings.append(_still_waiting_warning(catalog_id, version))
        self._say("Đang nhận báo cáo và ý kiến thẩm định từ máy chủ…", "Receiving reports and reviews…")
        cursor = self.store.sync.sync_cursor()
        reset = False
        generation = None
        for _ in range(MAX_PULL_PAGES):
            self.transport.check_cancelled()
            page = self._authed(lambda cursor=cursor: self.api.changes(cursor))
            # each report keeps the catalogue version it was made with: fetch the versions not held yet
            self.fetch_report_catalogs(_catalog_keys(page.reports), fetches)
            reset = reset or page.reset
            generation = page.generation or generation
            outcomes = self.store.sync.apply_pulled(page.reports, page.cursor)
            result.pulled += sum(1 for o in outcomes if o.action != "set_aside")
            for o in outcomes:
                result.pull_actions[o.action] = result.pull_actions.get(o.action, 0) + 1
                if o.action == "set_aside":
                    result.warnings.append(SyncWarning("pull_set_aside", o.message_vi, o.message_en))
                elif o.message_vi:  # kept with its own catalogue version, which could not be fetched
                    result.warnings.append(SyncWarning("pull_no_catalog", o.message_vi, o.message_en))
            if not page.more:
                break
            if page.cursor is None or page.cursor == cursor:
                raise BadReply("changes: 'more' without a new cursor")
            cursor = page.cursor
        if reset and not self._recovered:
            # the hub did not trust our cursor (restored without noticing, or since the ping): it may have
            # lost submissions too; ask, and send what it lost in this same sync
            logger.warning("the hub restarted the change feed from the beginning")
            if self.recover_from_restore(result, reset_cursor=False) and self._pushing:
                self.push(result)
        if generation is not None and self.store.settings.get_setting(GENERATION_SETTING) != generation:
            self.store.settings.set_setting(GENERATION_SETTING, generation)
        self.pull_baselines(result)

    def pull_baselines(self, result: SyncResult) -> bool:
        """Fetch the unit's survey baselines when the hub's ``baselines_version`` (from ping) changed.

        Never stops the sync: a failure is logged and the next sync asks again. True when fetched.
        """
        version = self._ping.baselines_version if self._ping is not None else None
        unit = self.store.settings.profile().unit
        if version is None or not unit or (self.store.baselines.version() or 0) == version:
            return False
        try:
            data = self._authed(lambda: self.api.baselines())
        except (AuthRequired, Cancelled, ClientTooOld):
            raise
        except DttsError as exc:
            logger.warning("survey baselines not fetched: %s", exc.message_en)
            return False
        items = data.get("items") if data.get("unit") == unit else None
        if not isinstance(items, list):
            logger.warning("survey baselines: a reply without this unit's items")
            return False
        got = data.get("version")
        self.store.baselines.replace(unit, got if isinstance(got, int) else version, items)
        return True

    def refresh_catalog(self, result: SyncResult) -> bool:
        """Download the catalogue if the hub's ETag differs from ours; True when a version was added."""
        from dttscore.catalog import catalog_from_json

        ours = self.store.catalogs.catalog_etag()
        if ours and self._ping is not None and self._ping.catalog_etag == ours:
            return False  # the ping already said the catalogue is unchanged: save a round trip
        reply = self._authed(lambda: self.api.catalog(ours))
        if not reply.modified:
            return False
        try:
            catalog = catalog_from_json(reply.data or {}, published=True)
        except DttsError as exc:
            logger.warning("the hub's catalogue could not be loaded: %s", exc.message_en[:500])
            result.warnings.append(
                SyncWarning(
                    "catalog_invalid",
                    "Danh mục chỉ tiêu trên máy chủ bị lỗi nên chưa cập nhật; vẫn dùng danh mục cũ. Hãy báo cán "
                    "bộ tỉnh.",
                    "The server's indicator catalogue has errors, so it was not updated; the old one is still "
                    "used. Tell the province staff.",
                )
            )
            return False
        added = self.store.catalogs.import_catalog(catalog, reply.etag)
        result.catalog_updated = result.catalog_updated or added
        return added

    def fetch_report_catalogs(self, keys: list[tuple[str, int]], fetches: _CatalogFetches) -> None:
        """Fetch and keep the catalogue versions in ``keys`` that the profile does not hold (older
        versions pulled reports were made with; the current catalogue is left as it is).

        A version that cannot be fetched (no connection, the hub no longer has it, a damaged catalogue)
        is skipped: its reports are kept with their own version, read-only, and a later sync tries again.
        At most :data:`MAX_CATALOG_FETCHES` versions per sync, each asked once; after a lost connection
        the others wait for the next sync.
        """
        from dttscore.catalog import catalog_from_json

        for key in keys:
            if fetches.stopped or key in fetches.tried or self.store.catalogs.has_catalog(*key):
                continue
            if len(fetches.tried) >= MAX_CATALOG_FETCHES:
                return
            fetches.tried.add(key)
            self.transport.check_cancelled()
            self._say(
                f"Đang tải danh mục chỉ tiêu {key[0]} phiên bản {key[1]}…",
                f"Downloading indicator catalogue {key[0]} version {key[1]}…",
            )
            try:
                reply = self._authed(lambda key=key: self.api.catalog_version(*key))
                catalog = catalog_from_json(reply.data or {}, published=True)
            except (AuthRequired, Cancelled, ClientTooOld):
                raise
            except NoConnection as exc:
                logger.warning("catalogue %s v%s not fetched: %s", *key, exc.message_en[:300])
                fetches.stopped = True
                continue
            except DttsError as exc:  # the hub does not have it (404), a damaged catalogue …
                logger.warning("catalogue %s v%s not fetched: %s", *key, exc.message_en[:300])
                continue
            if (catalog.catalog_id, int(catalog.version)) != key:
                logger.warning(
                    "asked the hub for catalogue %s v%s, got %s v%s",
                    *key,
                    catalog.catalog_id,
                    catalog.version,
                )
                continue
            self.store.catalogs.import_catalog(catalog, reply.etag, activate=False)
            logger.info("fetched catalogue %s v%s for pulled reports", *key)


@dataclass
class _CatalogFetches:
    """The catalogue versions one sync asked the hub for, and whether it stopped asking (connection lost)."""

    tried: set[tuple[str, int]] = field(default_factory=set)
    stopped: bool = False


def _catalog_keys(reports: list[Any]) -> list[tuple[str, int]]:
    """The distinct, well-formed (catalog_id, catalog_version) of pulled reports, in order."""
    from dttscore.bounds import ID_RE, MAX_REVISION

    keys: dict[tuple[str, int], None] = {}
    for item in reports:
        if not isinstance(item, dict):
            continue
        catalog_id, version = item.get("catalog_id"), item.get("catalog_version")
        if (
            isinstance(catalog_id, str)
            and ID_RE.fullmatch(catalog_id)
            and isinstance(version, int)
            and not isinstance(version, bool)
            and 1 <= version <= MAX_REVISION
        ):
            keys[(catalog_id, version)] = None
    return list(keys)


def _still_waiting_warning(catalog_id: str, version: int) -> SyncWarning:
    return SyncWarning(
        "pull_no_catalog",
        f"Máy này vẫn chưa tải được danh mục chỉ tiêu {catalog_id} phiên bản {version}, là phiên bản một số báo "
        "cáo nhận từ máy chủ được lập theo; số liệu vẫn được giữ nguyên nhưng các báo cáo đó chưa mở, sửa hay chốt "
        "được. Lần đồng bộ sau sẽ thử lại; nếu vẫn báo như vậy, hãy báo cán bộ tỉnh.",
        f"This PC still could not download indicator catalogue {catalog_id} version {version}, the version some "
        "reports received from the server were made with; their values are kept, but they cannot be opened, edited "
        "or finalized yet. The next sync tries again; if this message stays, tell the province staff.",
    )


def make_transport(
    store: Store,
    server_url: str,
    *,
    config: TransportConfig | None = None,
    cancel: threading.Event | None = None,
    server_id: str | None = None,
) -> Transport:
    """A transport for the profile: its device ID, recorded server_id and CA bundle setting."""
    config = config or TransportConfig()
    ca_bundle = store.settings.get_setting(CA_BUNDLE_SETTING)
    if ca_bundle and not config.ca_bundle:
        from dataclasses import replace

        config = replace(config, ca_bundle=str(ca_bundle))
    return Transport(
        server_url,
        store.settings.device_id,
        server_id=server_id if server_id is not None else store.settings.profile().server_id,
        config=config,
        cancel=cancel,
    )


def _too_large_warning(doc: dict[str, Any]) -> SyncWarning:
    what = f"{doc.get('form', '')} {doc.get('period', '')}".strip()
    return SyncWarning(
        "too_large",
        f"Báo cáo {what} lớn hơn giới hạn máy chủ cho phép nên chưa gửi được; báo cáo vẫn nằm trong hàng chờ. "
        "Hãy báo cán bộ tỉnh để nâng giới hạn, hoặc gửi bằng tệp chuyển tay (USB).",
        f"Report {what} is larger than the server accepts, so it was not sent; it stays in the queue. Ask the "
        "province staff to raise the limit, or send it with a courier file (USB).",
    )
