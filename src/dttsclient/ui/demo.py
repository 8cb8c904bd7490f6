"""``dttsclient --demo``: an embedded hub on 127.0.0.1, a demo officer, the sample catalogue, a demo profile.

Everything lives in a temporary folder (the hub's database, its signing key and the demo profile) that
is removed at :meth:`DemoEnvironment.stop`; the officer's real profile and keyring are never touched
(the demo's sign-in is kept in memory). The hub needs the ``hub`` extra (fastapi, uvicorn, sqlalchemy);
without it :class:`DemoUnavailable` says so in plain words, with the pip command.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import sys
import tempfile
import threading
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from dttsclient.store import Store
from dttsclient.sync.credentials import MemoryCredentials
from dttsclient.sync.login import LoginResult
from dttsclient.ui.session import SyncSession
from dttscore import refdata
from dttscore.catalog import load_catalog
from dttscore.cli.usage import bi
from dttscore.errors import DttsError

logger = logging.getLogger(__name__)

DEMO_UNIT = "02701"  # Xã Y Tý, Lào Cai: a mountain commune of the 2025 list
DEMO_USER = "canbo.yty"
DEMO_REVIEWER = "tinh.duyet"
PIP_COMMAND = "pip install -e ./core -e ./hub"  # from the source folder, as README.md says


class DemoUnavailable(DttsError):
    """The demo cannot start: the hub's libraries are missing."""

    def __init__(self, missing: str) -> None:
        if getattr(sys, "frozen", False):  # the installed app: pip means nothing to its user
            super().__init__(
                "Bản cài đặt này không kèm chế độ thử (--demo). Hãy chạy chế độ thử từ bản mã nguồn "
                "(xem README của dự án), hoặc xin cán bộ tỉnh bản cài đặt dùng để tập huấn.",
                "This installed version does not include the demo (--demo). Run the demo from the source "
                "install (see the project README), or ask the province for the training build.",
            )
        else:
            super().__init__(
                f"Chế độ thử (--demo) cần thêm phần máy chủ (thiếu thư viện “{missing}”). Hãy cài bằng lệnh:\n"
                f"    {PIP_COMMAND}\nrồi chạy lại: dttsclient --demo",
                f"The demo (--demo) needs the server part (the library “{missing}” is missing). Install it with:\n"
                f"    {PIP_COMMAND}\nthen run again: dttsclient --demo",
            )
        self.missing = missing


def sample_catalog_path() -> Path:
    with as_file(files("dttsclient.resources") / "catalog" / "sample.json") as path:
        return Path(path)


class DemoEnvironment:
    """The demo's hub, accounts and profile.

    Args:
        root: the folder to work in; a fresh temporary folder (removed at stop) by default.
        unit: the demo commune.

    Attributes:
        url: the hub's address (after :meth:`start`).
        profile_dir: the demo profile's folder.
        session: a :class:`SyncSession` for the profile, its sign-in kept in memory.
        password: the demo officer's password (random per run; shown in the banner's tooltip).
    """

    def __init__(self, root: Path | None = None, unit: str = DEMO_UNIT) -> None:
        self._own_root = root is None
        self.root = Path(root) if root is not None else Path(tempfile.mkdtemp(prefix="dttsclient-demo-"))
        self.unit = unit
        self.profile_dir = self.root / "profile"
        self.password = secrets.token_urlsafe(9)
        self.reviewer_password = secrets.token_urlsafe(9)
        self.hub: Any = None
        self.session = SyncSession(self.profile_dir, MemoryCredentials(), lang="vi")
        self.login_result: LoginResult | None = None

    @property
    def url(self) -> str:
        return self.hub.url if self.hub is not None else ""

    def start(self) -> DemoEnvironment:
        """Start the hub, create the accounts, publish the sample catalogue, sign the profile in.

        Raises:
            DemoUnavailable: fastapi, uvicorn or sqlalchemy is not installed.
            DttsError: the hub could not start or the login failed.
        """
        try:
            from dttshub.embedded import EmbeddedHub
        except ModuleNotFoundError as exc:
            raise DemoUnavailable(exc.name or "fastapi") from exc
        hub_dir = self.root / "hub"
        hub_dir.mkdir(parents=True, exist_ok=True)
        self.hub = EmbeddedHub(
            f"sqlite:///{hub_dir / 'hub.sqlite'}",
            environment="demo",
            data_dir=hub_dir,
            argon2_time_cost=1,
            argon2_memory_cost=8 * 1024,
            argon2_parallelism=1,
        )
        try:
            self.hub.start()
            service = self.hub.hub
            service.accounts.add_user(DEMO_USER, "officer", self.unit, self.password)
            commune = refdata.commune(self.unit)
            province = commune.province_code if commune is not None else "*"
            service.accounts.add_user(DEMO_REVIEWER, "reviewer", province, self.reviewer_password)
            service.catalogs.publish(load_catalog(sample_catalog_path()), by="demo")
            with Store.open(self.profile_dir) as store:
                store.settings.set_profile(lang="vi")
            self.login_result = self.session.login(
                self.url, DEMO_USER, self.password, lambda _p: None, threading.Event()
            )
        except BaseException:
            self.stop()
            raise
        logger.info("demo hub at %s, profile %s", self.url, self.profile_dir)
        return self

    def banner(self) -> str:
        """The DEMO banner: what this is and which server it talks to (the window shows the Vietnamese or,
        in English, its ``.en``)."""
        return bi(
            f"DEMO — dữ liệu thử, máy chủ thử {self.url} (tự tắt khi đóng chương trình)",
            f"DEMO — trial data, trial server {self.url} (stops when the program closes)",
        )

    def stop(self) -> None:
        """Stop the hub and remove the demo folder (when it was a temporary one)."""
        if self.hub is not None:
            try:
                self.hub.stop()
            finally:
                self.hub = None
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> DemoEnvironment:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
