"""The GUI's handle on the sync layer for one profile: sync, ping, login, logout.

The methods marked *worker* run on the background runner and open their own
:class:`~dttsclient.store.Store` on the profile's folder (SQLite WAL lets it work beside the GUI
thread's store); they return plain data. Nothing here touches a widget.
"""

from __future__ import annotations

import logging
import platform
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dttsclient.store import Store

if TYPE_CHECKING:  # the sync layer (requests, urllib3, keyring) loads on first use, after the first paint
    from dttsclient.sync.api import PingInfo
    from dttsclient.sync.credentials import CredentialStore
    from dttsclient.sync.engine import SyncResult
    from dttsclient.sync.login import LoginResult, SetupResult

logger = logging.getLogger(__name__)

Progress = Callable[[Any], None]


@dataclass(frozen=True)
class SyncSummary:
    """What the window shows after a sync.

    Attributes:
        submission_ids: the submissions the hub answered for in this sync (per-item results).
        attention: True when some item was rejected or is in conflict.
        pulled: reports received.
        catalog_updated: a new catalogue version arrived.
        warnings_vi / warnings_en: the engine's warnings (clock skew, too large …).
    """

    submission_ids: tuple[str, ...]
    attention: bool
    sent: int
    accepted: int
    rejected: int
    conflicts: int
    late: int
    pulled: int
    catalog_updated: bool
    warnings_vi: tuple[str, ...] = ()
    warnings_en: tuple[str, ...] = ()
    environment: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, result: SyncResult) -> SyncSummary:
        ids = [o.submission_id for o in (*result.receipts, *result.late, *result.rejected, *result.conflicts)]
        return cls(
            submission_ids=tuple(dict.fromkeys(ids)),
            attention=result.needs_attention,
            sent=result.sent,
            accepted=result.accepted,
            rejected=len(result.rejected),
            conflicts=len(result.conflicts),
            late=len(result.late),
            pulled=result.pulled,
            catalog_updated=result.catalog_updated,
            warnings_vi=tuple(w.text("vi") for w in result.warnings),
            warnings_en=tuple(w.text("en") for w in result.warnings),
        )

    def text(self, lang: str = "vi") -> str:
        """One or two plain sentences about the sync."""
        if lang == "en":
            parts = [f"Sync finished: {self.sent} sent, {self.accepted} accepted"]
            if self.late:
                parts.append(f"{self.late} accepted as late")
            if self.rejected:
                parts.append(f"{self.rejected} need attention")
            if self.conflicts:
                parts.append(f"{self.conflicts} in conflict")
            text = ", ".join(parts) + f"; {self.pulled} report(s) received."
            if self.catalog_updated:
                text += " A new catalogue version arrived."
            warnings = self.warnings_en
        else:
            parts = [f"Đồng bộ xong: đã gửi {self.sent}, máy chủ nhận {self.accepted}"]
            if self.late:
                parts.append(f"{self.late} nhận là nộp muộn")
            if self.rejected:
                parts.append(f"{self.rejected} cần xử lý")
            if self.conflicts:
                parts.append(f"{self.conflicts} xung đột")
            text = ", ".join(parts) + f"; nhận về {self.pulled} báo cáo."
            if self.catalog_updated:
                text += " Đã có danh mục chỉ tiêu phiên bản mới."
            warnings = self.warnings_vi
        return " ".join([text, *warnings])


def device_name() -> str:
    """A name for this PC that the province sees in its device list."""
    return (platform.node() or "PC")[:64]


class SyncSession:
    """Sync, ping and sign-in for the profile in ``data_dir``.

    Args:
        data_dir: the profile folder (the worker opens its own store there).
        credentials: where tokens live (the OS keyring, or memory when there is none).
        lang: the language of the progress messages.
    """

    def __init__(self, data_dir: Path, credentials: CredentialStore | None = None, lang: str = "vi") -> None:
        self.data_dir = Path(data_dir)
        self._credentials = credentials
        self.lang = lang
        self._live: set[threading.Event] = set()
        self._live_lock = threading.Lock()

    # -- cancelling ---------------------------------------------------------------------------------
    def _enter(self, cancel: threading.Event | None) -> threading.Event:
        """Register the cancel token of a worker call (a fresh one when none is given)."""
        if cancel is None:
            from dttsclient.sync.transport import CancelEvent

            cancel = CancelEvent()
        with self._live_lock:
            self._live.add(cancel)
        return cancel

    def _leave(self, cancel: threading.Event) -> None:
        with self._live_lock:
            self._live.discard(cancel)

    def stop_all(self) -> None:
        """Cancel every sync, ping and sign-in in flight (the window is closing).

        Safe from the GUI thread: it only sets events (a :class:`~dttsclient.sync.transport.CancelEvent`
        also shuts its transport's sockets, so a request blocked on a silent hub returns at once).
        """
        with self._live_lock:
            live = list(self._live)
        for cancel in live:
            cancel.set()

    @property
    def credentials(self) -> CredentialStore:
        """The OS keyring, or memory when there is none (looked up on first use)."""
        if self._credentials is None:
            from dttsclient.sync.credentials import default_credentials

            self._credentials = default_credentials()
        return self._credentials

    @property
    def keyring_reason(self) -> Any:
        """The NoKeyring error to explain why the password is asked each session, or None."""
        return getattr(self.credentials, "reason", None)

    def signed_in(self, store: Store) -> bool:
        """True when the profile has a server, a username and a stored token."""
        p = store.settings.profile()
        return bool(
            p.server_url and p.username and self.credentials.load(store.settings.device_id, p.username)
        )

    # -- worker -------------------------------------------------------------------------------------
    def sync(self, progress: Progress, cancel: threading.Event, background: bool = False) -> SyncSummary:
        """*Worker*: one push + pull. ``progress`` gets ``(message, done, total)`` tuples.

        Args:
            progress: called with ``(message, done, total)``.
            cancel: the cancel token (a :class:`~dttsclient.sync.transport.CancelEvent` also interrupts a
                request in flight).
            background: the auto-sync timer started it: transient faults are retried patiently. A sync the
                officer started retries once, briefly, so the answer comes in seconds.

        Raises:
            SyncError: the sync stopped (nothing local was lost; see the error's sentence).
        """

        from dttsclient.sync.engine import SyncEngine
        from dttsclient.sync.transport import TransportConfig

        def relay(done: int, total: int, message: str) -> None:
            progress((message, done, total))

        config = TransportConfig() if background else TransportConfig.interactive()
        cancel = self._enter(cancel)
        try:
            with Store.open(self.data_dir) as store:
                engine = SyncEngine.for_profile(
                    store, self.credentials, config=config, cancel=cancel, progress=relay
                )
                try:
                    return SyncSummary.of(engine.sync())
                finally:
                    engine.transport.close()
        finally:
            self._leave(cancel)

    def ping_job(self, store: Store) -> Callable[[], PingInfo]:
        """On the GUI thread: read what a ping needs from ``store``; the job returned touches no profile.

        The job (for the runner's network lane) asks the hub who it is, like :meth:`ping`, so a ping
        never waits behind a restore or a sync on the profile lane.
        """
        from dttsclient.store import setting_keys

        profile = store.settings.profile()
        url, server_id, device_id = profile.server_url, profile.server_id, store.settings.device_id
        ca_bundle = store.settings.get_setting(setting_keys.CA_BUNDLE)

        def job() -> PingInfo:
            from dataclasses import replace

            from dttsclient.sync.api import HubApi
            from dttsclient.sync.errors import NotLoggedIn
            from dttsclient.sync.transport import Transport, TransportConfig

            if not url:
                raise NotLoggedIn()
            cancel = self._enter(None)
            try:
                config = TransportConfig.interactive()
                if ca_bundle and not config.ca_bundle:
                    config = replace(config, ca_bundle=str(ca_bundle))
                transport = Transport(url, device_id, server_id=server_id, config=config, cancel=cancel)
                try:
                    return HubApi(transport).ping()
                finally:
                    transport.close()
            finally:
                self._leave(cancel)

        return job

    def ping(self) -> PingInfo:
        """*Worker*: ask the hub who it is (for the banner's environment and the connection state)."""
        from dttsclient.sync.api import HubApi
        from dttsclient.sync.engine import make_transport
        from dttsclient.sync.errors import NotLoggedIn
        from dttsclient.sync.transport import TransportConfig

        cancel = self._enter(None)
        try:
            with Store.open(self.data_dir) as store:
                url = store.settings.profile().server_url
                if not url:
                    raise NotLoggedIn()
                transport = make_transport(store, url, config=TransportConfig.interactive(), cancel=cancel)
                try:
                    return HubApi(transport).ping()
                finally:
                    transport.close()
        finally:
            self._leave(cancel)

    def login(
        self,
        server: str,
        username: str,
        password: str,
        progress: Progress,
        cancel: threading.Event,
        pull: bool = True,
    ) -> LoginResult:
        """*Worker*: sign in, keep the tokens, then download the catalogue and the history.

        Raises:
            WrongPassword, LoginPageInTheWay, NoConnection, Throttled …: see :func:`dttsclient.sync.login.login`.
        """

        from dttsclient.sync.login import login
        from dttsclient.sync.transport import TransportConfig

        def relay(done: int, total: int, message: str) -> None:
            progress((message, done, total))

        cancel = self._enter(cancel)
        try:
            with Store.open(self.data_dir) as store:
                return login(
                    store,
                    server,
                    username,
                    password,
                    self.credentials,
                    device_name(),
                    config=TransportConfig.interactive(),
                    cancel=cancel,
                    progress=relay,
                    pull=pull,
                )
        finally:
            self._leave(cancel)

    def setup_import(self, path: Path) -> SetupResult:
        """*Worker*: set the profile up from a setup package file (offline first run)."""
        from dttsclient.sync.login import setup_import

        with Store.open(self.data_dir) as store:
            return setup_import(store, path)

    # -- GUI thread ---------------------------------------------------------------------------------
    def logout(self) -> None:
        """Forget this profile's tokens (the keyring entry)."""
        with Store.open(self.data_dir) as store:
            p = store.settings.profile()
            if p.username:
                self.credentials.delete(store.settings.device_id, p.username)
        logger.info("signed out of %s", self.data_dir)

    def server_changed(self) -> None:
        """The server address changed: the old server's identity and sign-in no longer apply."""
        with Store.open(self.data_dir) as store:
            p = store.settings.profile()
            if p.username:
                self.credentials.delete(store.settings.device_id, p.username)
            store.settings.set_profile(server_id=None)
