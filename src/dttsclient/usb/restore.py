"""Restoring a backup: verify everything, copy the live database first, then merge in one transaction.

The merge itself is the store's (:meth:`Store.merge_from`, rules in :mod:`dttsclient.store.merge`):
newer local data is never overwritten and unsent submissions keep waiting. This module checks the file,
refuses a backup of another commune (:class:`~dttsclient.usb.errors.WrongCommune`) unless confirmed,
takes the safety copy and reports what was done.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from dttsclient.store import Store
from dttsclient.store.merge import RESTORE_KIND, MergeResult, upgrade_copy
from dttsclient.usb.atomic import DiskUsage
from dttsclient.usb.autobackup import auto_backup
from dttsclient.usb.backup import BackupInfo, Progress, open_backup, work_dir
from dttsclient.usb.errors import WrongCommune

logger = logging.getLogger(__name__)

__all__ = ["RESTORE_KIND", "RestoreReport", "restore_backup"]


@dataclass(kw_only=True)
class RestoreReport(MergeResult):
    """What a restore did: the counts of the merge (:class:`~dttsclient.store.merge.MergeResult`) and the file.

    Attributes:
        path: the backup restored. backup: its verified info.
        safety_copy: the backup of the live database taken first (None when the profile was empty).
    """

    path: Path
    backup: BackupInfo
    safety_copy: Path | None = None

    def summary(self, lang: str = "vi") -> str:
        """What the restore did, in plain words for the officer (the window's message, the CLI's output)."""

        def t(vi: str, en: str) -> str:
            return en if lang == "en" else vi

        if not self.changed:
            lines = [
                t(
                    "Đã khôi phục xong: tệp không có gì mới so với dữ liệu ở máy này, không có gì thay đổi.",
                    "Restore finished: the file holds nothing that is not already here; nothing changed.",
                )
            ]
        else:
            lines = [t("Đã khôi phục xong:", "Restore finished:")]

            def line(vi_head: str, en_head: str, parts: list[tuple[int, str, str]]) -> None:
                said = [(vi.format(n), en.format(n)) for n, vi, en in parts if n]
                if said:
                    lines.append(
                        "• "
                        + t(vi_head + ", ".join(v for v, _ in said), en_head + ", ".join(e for _, e in said))
                        + "."
                    )

            line(
                "Báo cáo: ",
                "Reports: ",
                [
                    (self.reports_added, "thêm mới {}", "{} added"),
                    (self.reports_merged, "gộp {}", "{} merged"),
                ],
            )
            line(
                "Số liệu: ",
                "Values: ",
                [
                    (self.cells_added, "{} ô mới", "{} new"),
                    (
                        self.cells_updated,
                        "{} ô lấy bản mới hơn từ tệp",
                        "{} taken from the newer copy in the file",
                    ),
                    (
                        self.cells_kept_local,
                        "{} ô giữ bản mới hơn ở máy này",
                        "{} kept because this computer's were newer",
                    ),
                ],
            )
            line(
                "Lần nộp: ",
                "Submissions: ",
                [
                    (self.submissions_added, "thêm {}", "{} added"),
                    (self.requeued, "{} chưa gửi được đưa lại vào hộp thư đi", "{} unsent, queued again"),
                ],
            )
            if self.carried_marks:
                lines.append(
                    t(
                        f"• {self.carried_marks} ô lấy từ kỳ trước vẫn được đánh dấu, chờ xác nhận.",
                        f"• {self.carried_marks} cell(s) copied from last period are still marked for confirmation.",
                    )
                )
            if self.baselines_taken:
                lines.append(
                    t(
                        f"• {self.baselines_taken} số liệu điều tra (số gốc) lấy từ tệp.",
                        f"• {self.baselines_taken} survey figure(s) (baselines) taken from the file.",
                    )
                )
        lines += [f"• {en if lang == 'en' else vi}" for vi, en in self.notes]
        if self.safety_copy:
            lines.append(
                t(
                    f"Dữ liệu trước khi khôi phục đã được sao lưu tại: {self.safety_copy}",
                    f"The data as it was before the restore is backed up at: {self.safety_copy}",
                )
            )
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "backup": self.backup.to_json(),
            "safety_copy": str(self.safety_copy) if self.safety_copy else None,
            "profile_set": self.profile_set,
            "catalogs_added": self.catalogs_added,
            "reports_added": self.reports_added,
            "reports_merged": self.reports_merged,
            "cells_added": self.cells_added,
            "cells_updated": self.cells_updated,
            "cells_kept_local": self.cells_kept_local,
            "history_added": self.history_added,
            "comments_changed": self.comments_changed,
            "submissions_added": self.submissions_added,
            "requeued": self.requeued,
            "outbox_updated": self.outbox_updated,
            "carried_marks": self.carried_marks,
            "baselines_taken": self.baselines_taken,
            "notes": [{"vi": vi, "en": en} for vi, en in self.notes],
            "changed": self.changed,
        }


def restore_backup(
    store_or_data_dir: Store | Path | str,
    path: Path | str,
    confirm_other_commune: bool = False,
    progress: Progress | None = None,
    *,
    now: datetime | None = None,
    disk_usage: DiskUsage = shutil.disk_usage,
) -> RestoreReport:
    """Restore a backup into an open profile or a profile folder (new or existing).

    Args:
        store_or_data_dir: the open :class:`Store`, or a profile folder (created when missing).
        path: the ``*.dttsbak`` file.
        confirm_other_commune: the officer confirmed merging a backup of another commune.
        progress: called with (fraction, stage).
        now: the time of the restore (change-log rows, the safety copy's name).
        disk_usage: free-space function for the safety copy (tests inject a full disk).

    Returns:
        What was merged.

    Raises:
        BadFile (UnsafeArchive, NewerFormat): the backup cannot be trusted; nothing changed.
        WrongCommune: another commune's backup without confirmation; nothing changed.
        NotEnoughSpace …: the safety copy could not be written; nothing changed.
    """
    path = Path(path)
    if isinstance(store_or_data_dir, Store):
        store = store_or_data_dir
        with work_dir(store.data_dir) as work:
            info, db_file = open_backup(path, work, _scaled(progress, 0.0, 0.4))
            return _restore(
                store, path, info, db_file, work, confirm_other_commune, progress, now, disk_usage
            )
    # A profile folder: check the file before creating or opening anything there.
    with tempfile.TemporaryDirectory(prefix="dtts-restore-") as tmp:
        work = Path(tmp)
        info, db_file = open_backup(path, work, _scaled(progress, 0.0, 0.4))
        with Store.open(Path(store_or_data_dir)) as store:
            return _restore(
                store, path, info, db_file, work, confirm_other_commune, progress, now, disk_usage
            )


def _scaled(progress: Progress | None, lo: float, hi: float) -> Progress | None:
    if progress is None:
        return None

    def inner(fraction: float, stage: str) -> None:
        progress(lo + (hi - lo) * fraction, stage)

    return inner


def _restore(
    store: Store,
    path: Path,
    info: BackupInfo,
    db_file: Path,
    work: Path,
    confirm: bool,
    progress: Progress | None,
    now: datetime | None,
    disk_usage: DiskUsage,
) -> RestoreReport:
    """Merge the verified, extracted backup database ``db_file`` into ``store``."""
    moment = now or datetime.now(timezone.utc)
    upgrade_copy(db_file, work)
    local_unit = store.settings.profile().unit
    if local_unit and info.commune and info.commune != local_unit and not confirm:
        raise WrongCommune(info.commune, local_unit)
    if progress is not None:
        progress(0.45, "backup")
    safety_copy = None
    if store.has_data():
        safety_copy = auto_backup(store, "restore", now=moment, disk_usage=disk_usage).path
    if progress is not None:
        progress(0.6, "merge")
    merged = store.merge_from(db_file, now=moment)
    report = RestoreReport(path=path, backup=info, safety_copy=safety_copy, **asdict(merged))
    if progress is not None:
        progress(1.0, "done")
    logger.info("restored %s: %s", path, {k: v for k, v in report.to_json().items() if isinstance(v, int)})
    return report
