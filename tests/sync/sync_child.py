"""A sync run in a child process, for the crash test: ``python sync_child.py DATA_DIR`` with the tokens
as JSON on stdin (an in-memory keyring holds them, set through keyring's own mechanism)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2])]  # the repository root, for tests.support

import keyring  # noqa: E402

from dttsclient.store import Store  # noqa: E402
from dttsclient.sync.credentials import KeyringCredentials, Tokens  # noqa: E402
from dttsclient.sync.engine import SyncEngine  # noqa: E402
from tests.support.fast import FAST  # noqa: E402
from tests.support.memkeyring import MemoryKeyring  # noqa: E402


def main() -> None:
    data_dir = Path(sys.argv[1])
    tokens = json.loads(sys.stdin.readline())
    keyring.set_keyring(MemoryKeyring())
    creds = KeyringCredentials()
    with Store.open(data_dir) as store:
        creds.save(
            store.settings.device_id,
            store.settings.profile().username,
            Tokens(tokens["access"], tokens["refresh"]),
        )
        print("syncing", flush=True)
        SyncEngine.for_profile(store, creds, config=FAST).sync()
    print("done", flush=True)


if __name__ == "__main__":
    main()
