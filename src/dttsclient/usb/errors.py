"""The exception tree of the USB and paper features.

Everything raised on purpose derives from :class:`UsbError` (a :class:`~dttscore.errors.DttsError`,
so each carries a plain Vietnamese and an English sentence). Two families:

* a *file we read* is not acceptable — :class:`BadFile` and its children (:class:`UnsafeArchive`,
  :class:`NewerFormat`, :class:`NotAnXlsx` …): nothing was changed;
* the *target we write* failed — :class:`NotEnoughSpace`, :class:`TargetVanished`,
  :class:`TargetNotWritable`: the previous file on the target is intact and no half file is left.

:class:`WrongCommune`, :class:`WrongReport` and :class:`ReopensReport` ask for a confirmation (``--yes`` /
a dialog; the messages name no command-line option, the CLI adds its own hint);
:class:`ImportRefused` lists every refused cell; :class:`NothingToExport` means "nothing to do".
"""

from __future__ import annotations

from dttscore.errors import DttsError
from dttscore.periods import period_label


def human_size(n: int) -> str:
    """A byte count for people: "512 B", "1,5 MB" (Vietnamese decimal comma)."""
    value = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            if unit == "B":
                return f"{int(value)} B"
            return f"{value:.1f}".replace(".", ",") + f" {unit}"
        value /= 1024
    return f"{n} B"  # pragma: no cover


class UsbError(DttsError):
    """Base of every expected failure of the USB and paper features."""


# -- files we read --------------------------------------------------------------------------------
class BadFile(UsbError):
    """A file cannot be used: damaged, truncated, tampered with, or not what it claims to be.

    Args:
        path: the file.
        why_vi / why_en: what is wrong, as a short clause.
    """

    def __init__(self, path: object, why_vi: str, why_en: str) -> None:
        super().__init__(
            f"Không dùng được tệp “{path}”: {why_vi} Không có gì bị thay đổi.",
            f"The file “{path}” cannot be used: {why_en} Nothing was changed.",
        )
        self.path = str(path)
        self.why_vi = why_vi
        self.why_en = why_en


class UnsafeArchive(BadFile):
    """A zip that could harm the computer: ``..`` or absolute names, a zip bomb, overlapping members."""


class NewerFormat(BadFile):
    """The file was written by a newer DTTS Client than this one."""

    def __init__(self, path: object, found: object, supported: object) -> None:
        super().__init__(
            path,
            f"tệp được tạo bởi phiên bản DTTS Client mới hơn (định dạng {found}, phiên bản này đọc được "
            f"đến {supported}). Hãy cài phiên bản mới nhất rồi thử lại.",
            f"it was made by a newer DTTS Client (format {found}; this version reads up to {supported}). "
            "Install the latest version and try again.",
        )
        self.found = found
        self.supported = supported


class NotAnXlsx(BadFile):
    """The file is not an Excel workbook (.xlsx): a renamed text file, an old .xls, a damaged file."""


# -- targets we write -----------------------------------------------------------------------------
class NotEnoughSpace(UsbError):
    """The target has too little free space; says how much is needed.

    Attributes:
        needed: bytes needed. available: bytes free (None when unknown). target: the folder.
    """

    def __init__(self, target: object, needed: int, available: int | None = None) -> None:
        free_vi = f" (còn trống {human_size(available)})" if available is not None else ""
        free_en = f" (free: {human_size(available)})" if available is not None else ""
        need_vi = f"cần khoảng {human_size(needed)}" if needed > 0 else "ổ đĩa đã đầy"
        need_en = f"about {human_size(needed)} is needed" if needed > 0 else "the disk is full"
        super().__init__(
            f"Không đủ chỗ trống ở “{target}”: {need_vi}{free_vi}. "
            "Hãy xoá bớt tệp hoặc dùng USB khác rồi thử lại; tệp cũ trên đó không bị ảnh hưởng.",
            f"Not enough free space on “{target}”: {need_en}{free_en}. "
            "Free some space or use another USB stick and try again; the files already there are intact.",
        )
        self.target = str(target)
        self.needed = needed
        self.available = available


class TargetVanished(UsbError):
    """The USB stick (or folder) disappeared or failed while writing: pulled out, or an I/O error."""

    def __init__(self, target: object, detail: str = "") -> None:
        super().__init__(
            f"Không ghi xong được vào “{target}”: USB đã bị rút ra hoặc bị lỗi khi đang ghi. "
            "Hãy cắm lại USB và làm lại; tệp sao lưu trước đó (nếu có) vẫn còn nguyên, không để lại tệp dở.",
            f"Could not finish writing to “{target}”: the USB stick was removed or failed while writing. "
            "Plug it in again and retry; the previous file (if any) is intact and no half file was left.",
        )
        self.target = str(target)
        self.detail = detail


class FolderMissing(TargetVanished):
    """The folder to write into does not exist (a mistyped path, or a stick that is not plugged in)."""

    def __init__(self, target: object, detail: str = "") -> None:
        UsbError.__init__(
            self,
            f"Thư mục “{target}” không tồn tại nên không ghi được tệp vào đó. Hãy kiểm tra lại đường dẫn "
            "(hoặc cắm USB vào) rồi thử lại; không có tệp nào bị ghi.",
            f"The folder “{target}” does not exist, so nothing could be written there. Check the path "
            "(or plug the USB stick in) and try again; no file was written.",
        )
        self.target = str(target)
        self.detail = detail


class TargetNotWritable(UsbError):
    """The target folder is read-only or we have no permission to write there."""

    def __init__(self, target: object, detail: str = "") -> None:
        super().__init__(
            f"Không ghi được vào “{target}”: thư mục chỉ đọc, USB bị khoá chống ghi hoặc không có quyền. "
            "Hãy chọn nơi khác hoặc mở khoá USB rồi thử lại.",
            f"Cannot write to “{target}”: the folder is read-only, the USB stick is write-protected, or "
            "permission is denied. Choose another place or unlock the stick and try again.",
        )
        self.target = str(target)
        self.detail = detail


class WriteCorrupted(UsbError):
    """The file written to the target does not read back the same: the stick may be failing."""

    def __init__(self, target: object, detail: str = "") -> None:
        super().__init__(
            f"Tệp vừa ghi vào “{target}” đọc lại không giống bản gốc: USB có thể sắp hỏng. "
            "Tệp dở đã được xoá; hãy thử USB khác. Tệp cũ trên USB (nếu có) vẫn còn nguyên.",
            f"The file just written to “{target}” does not read back the same: the USB stick may be "
            "failing. The half file was removed; try another stick. The previous file (if any) is intact.",
        )
        self.target = str(target)
        self.detail = detail


# -- confirmations and refusals -------------------------------------------------------------------
class NeedsConfirmation(UsbError):
    """The operation is possible, but only after the officer confirms (``--yes`` or a dialog)."""


class WrongCommune(NeedsConfirmation):
    """A backup of another commune: restoring it needs a confirmation."""

    def __init__(self, file_unit: str | None, local_unit: str | None) -> None:
        super().__init__(
            f"Bản sao lưu này là của xã {file_unit or '?'}, còn hồ sơ đang mở là của xã {local_unit or '?'}. "
            "Không khôi phục gì.",
            f"This backup belongs to commune {file_unit or '?'}, but the open profile is commune "
            f"{local_unit or '?'}. Nothing was restored.",
        )
        self.file_unit = file_unit
        self.local_unit = local_unit


def _shown(field: str, value: str, lang: str = "vi") -> str:
    """A period by its name ("Quý 4/2026"), other values as they are."""
    return period_label(value, lang) if field == "period" else value


class WrongReport(NeedsConfirmation):
    """An Excel file of another form, commune or period: importing it needs a confirmation.

    Attributes:
        differences: (field, in the file, expected) triples.
    """

    def __init__(self, differences: list[tuple[str, str, str]]) -> None:
        names = {"form": ("biểu", "form"), "unit": ("xã", "commune"), "period": ("kỳ", "period")}
        vi = "; ".join(
            f"{names[f][0]} trong tệp là {_shown(f, a)}, không phải {_shown(f, b)}" for f, a, b in differences
        )
        en = "; ".join(
            f"the file's {names[f][1]} is {_shown(f, a, 'en')}, not {_shown(f, b, 'en')}"
            for f, a, b in differences
        )
        super().__init__(
            f"Tệp Excel này thuộc báo cáo khác ({vi}). Không nhập gì.",
            f"This Excel file belongs to another report ({en}). Nothing was imported.",
        )
        self.differences = list(differences)


MAX_LISTED_CHANGES = 40


class ReopensReport(NeedsConfirmation):
    """An import would change a finalized (or already sent) report, which then becomes a draft again.

    Nothing was changed; the caller shows :attr:`changes` (old → new) and, once the officer confirms,
    imports again with exactly these changes confirmed.

    Attributes:
        unit, form, period: the report. sent: a revision of it reached the hub (or is on its way).
        changes: the cells that would change (:class:`~dttsclient.usb.xlsx_import.CellChange`).
    """

    def __init__(self, unit: str, form: str, period: str, sent: bool, changes: list) -> None:
        self.unit, self.form, self.period, self.sent = unit, form, period, sent
        self.changes = list(changes)
        state_vi = "đã chốt và đã gửi lên máy chủ" if sent else "đã chốt"
        state_en = "finalized and already sent to the hub" if sent else "finalized"
        shown = self.changes[:MAX_LISTED_CHANGES]
        vi = "\n".join(f"- {c.line('vi')}" for c in shown)
        en = "\n".join(f"- {c.line('en')}" for c in shown)
        more = len(self.changes) - len(shown)
        if more:
            vi += f"\n- … và {more} ô nữa"
            en += f"\n- … and {more} more cell(s)"
        super().__init__(
            f"Báo cáo {unit} / {form} / {period} {state_vi}. Nhập tệp này sẽ thay đổi {len(self.changes)} ô "
            f"dưới đây và đưa báo cáo trở lại thành bản nháp (phải chốt và gửi lại):\n{vi}\nKhông nhập gì.",
            f"The report {unit} / {form} / {period} is {state_en}. Importing this file would change "
            f"{len(self.changes)} cell(s) listed below and turn the report back into a draft (to be finalized "
            f"and sent again):\n{en}\nNothing was imported.",
        )


MAX_LISTED_PROBLEMS = 50


class ImportRefused(UsbError):
    """Some cells of an Excel file were refused, so nothing at all was imported (all or nothing).

    Attributes:
        problems: one (message_vi, message_en) pair per refused cell, each naming its sheet and cell.
    """

    def __init__(self, path: object, problems: list[tuple[str, str]]) -> None:
        self.problems = list(problems)
        shown = self.problems[:MAX_LISTED_PROBLEMS]
        vi = "\n".join(f"- {p[0]}" for p in shown)
        en = "\n".join(f"- {p[1]}" for p in shown)
        more = len(self.problems) - len(shown)
        if more:  # a huge file must not print megabytes of errors
            vi += f"\n- … và {more:,} lỗi khác".replace(",", ".")
            en += f"\n- … and {more:,} more"
        super().__init__(
            f"Không nhập giá trị nào từ “{path}” (chỉ nhập khi mọi ô đều hợp lệ): {len(self.problems)} ô "
            f"bị từ chối. Sửa các ô sau rồi nhập lại:\n{vi}",
            f"Nothing was imported from “{path}” (values are imported only when every cell is valid): "
            f"{len(self.problems)} cell(s) refused. Fix these cells and import again:\n{en}",
        )
        self.path = str(path)


class MissingArgument(UsbError):
    """A value the operation needs was not given (e.g. the period of a plain long table)."""


class NothingToExport(UsbError):
    """There is nothing to write (no unsent submission for a courier bundle)."""


class TooLarge(UsbError):
    """What would be written exceeds what the reader accepts (e.g. the hub's bundle size limit)."""


class ReportMissing(UsbError):
    """The report to export does not exist yet."""

    def __init__(self, unit: str, form: str, period: str) -> None:
        super().__init__(
            f"Chưa có báo cáo {unit} / {form} / {period}: hãy nhập số liệu trước.",
            f"There is no report {unit} / {form} / {period} yet: enter values first.",
        )
