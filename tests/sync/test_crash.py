"""A client killed mid-POST (SIGKILL while the proxy holds the hub's reply) sends nothing twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from dttsclient.store import Store
from tests.support.syncutil import USER, batch_ids, finalize, finalize_many, hub_submissions, states, sync

CHILD = Path(__file__).with_name("sync_child.py")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_mid_post_then_restarted_sends_nothing_twice(data_dir, store, creds, hub, proxy):
    killed = finalize_many(store, 3)
    tokens = creds.load(store.settings.device_id, USER)
    store.close()
    proxy.fault("hold", path="submissions:batch", times=1)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        child.stdin.write(json.dumps({"access": tokens.access_token, "refresh": tokens.refresh_token}) + "\n")
        child.stdin.flush()
        # the hub has committed the batch; its reply is held by the proxy: kill the client now
        assert proxy.held.wait(30), child.stderr.read() if child.poll() is not None else "not held"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        for stream in (child.stdin, child.stdout, child.stderr):
            stream.close()
    assert child.returncode == -signal.SIGKILL
    proxy.release()
    ids = {s.submission_id for s in killed}
    assert hub_submissions(hub) == Counter(dict.fromkeys(ids, 1))

    with Store.open(data_dir) as again:
        assert states(again) == Counter(sending=3)  # the killed run's claims, lease still running
        fresh = finalize(again, "2040")  # something new queued after the restart
        proxy.reset_stats()
        result = sync(again, creds)
        assert result.settled == 3
        # only the new submission went out in a batch; the killed batch was settled through status
        assert batch_ids(proxy) == [[fresh.submission_id]]
        status_calls = proxy.requests_to("submissions:status")
        assert len(status_calls) == 1
        assert proxy.log.index(status_calls[0]) < proxy.log.index(proxy.requests_to("submissions:batch")[0])
        assert states(again) == Counter(accepted=4)
        assert hub_submissions(hub) == Counter(dict.fromkeys([*ids, fresh.submission_id], 1))
