"""After a hub restore: rows the hub had stored and no longer holds go back to the queue, nothing else."""

from __future__ import annotations

from dttsclient.store import Store
from tests.support.store_catalog import UNIT, good_values

WHO = "can_bo_a"


def test_only_stored_rows_go_back_to_the_queue(data_dir, catalog):
    with Store.open(data_dir) as store:
        store.catalogs.import_catalog(catalog)
        subs = []
        for period in ("2026", "2027", "2028", "2029"):
            r = store.reports.report(UNIT, "BM01", period, create=True)
            store.reports.set_eth_rows(r.id, ["02", "08"])
            store.reports.set_cells(r.id, good_values(), WHO)
            subs.append(store.outbox.finalize(r.id, WHO))
        ids = [s.submission_id for s in subs]
        store.outbox.claim(4, 600)
        store.outbox.apply_results(
            [
                {
                    "submission_id": ids[0],
                    "status": "accepted",
                    "receipt_no": "01849-27-0001",
                    "server_revision": 1,
                },
                {
                    "submission_id": ids[1],
                    "status": "late",
                    "receipt_no": "01849-27-0002",
                    "server_revision": 1,
                },
                {
                    "submission_id": ids[2],
                    "status": "rejected",
                    "errors": [{"code": "x", "message_vi": "sai"}],
                },
                {"submission_id": ids[3], "status": "unknown"},
            ]
        )
        assert store.outbox.held_ids() == ids[:2]
        assert store.outbox.requeue_lost(ids, "máy chủ đã khôi phục") == 2
        rows = {i.submission_id: i for i in store.outbox.items()}
        assert [rows[i].state for i in ids] == ["queued", "queued", "needs_attention", "queued"]
        assert rows[ids[0]].receipt_no is None and rows[ids[0]].server_revision is None
        assert rows[ids[0]].last_error == "máy chủ đã khôi phục"
        assert store.outbox.held_ids() == []
