"""Where a file dialog opens when no folder was used before: a USB stick, else home; never the CWD."""

from __future__ import annotations

from pathlib import Path

from dttsclient.usb.places import default_folder, removable_drives


def test_the_first_stick_found_else_home(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    media = tmp_path / "media"
    media.mkdir()
    assert default_folder([media], mounted_only=False) == Path.home()
    (media / "USB_XA").mkdir()
    (media / "ANOTHER").mkdir()
    assert removable_drives([media, tmp_path / "missing"], mounted_only=False) == [
        media / "ANOTHER",
        media / "USB_XA",
    ]
    assert default_folder([media], mounted_only=False) == media / "ANOTHER"
    # Plain folders are not mount points: on a real system only mounted sticks count.
    assert removable_drives([media]) == []
    assert default_folder() != Path.cwd()
