"""The exception tree of the sync layer.

Every failure the sync layer raises on purpose is a :class:`SyncError` (a
:class:`~dttscore.errors.DttsError`), carrying one plain sentence in Vietnamese and in English that
says what happened and what the officer can do. The local data is never changed by a failed sync beyond
what docs/sync-protocol.md allows, so every message can end with "press Sync again".

Families:

* :class:`NoConnection` — the hub could not be reached, or what answered was not the hub:
  :class:`Offline` (network down, reset, stalled), :class:`Unreachable` (no connection could be made at
  all: refused, name not found, no route, connect timeout — said at once, never retried), :class:`LoginPageInTheWay` (a Wi-Fi login
  page, an HTML page or a proxy's 200), :class:`WrongServer` (a hub with another ``server_id``),
  :class:`StallTimeout` (no byte for the stall timeout), :class:`CertificateProblem` (TLS).
* :class:`AuthRequired` (401: log in again; the queue is kept) and :class:`WrongPassword` at login.
* :class:`Throttled` (429 after the retries), :class:`ServerError` (5xx after the retries),
  :class:`RequestTooLarge` (413), :class:`ClientTooOld` (426), :class:`RequestRefused` (another 4xx).
* :class:`Cancelled` — the officer pressed Sync again (or closed the window) while we waited.
* :class:`NotLoggedIn`, :class:`NoKeyring`, :class:`SetupImportFailed`, :class:`WrongAccountForProfile`,
  :class:`BadServerAddress` — the local side: sign-in, credential storage, setup packages, profiles.
"""

from __future__ import annotations

from dttscore.errors import DttsError

_AGAIN_VI = "Dữ liệu trên máy vẫn được giữ nguyên."
_AGAIN_EN = "Everything on this computer is kept as it was."


class SyncError(DttsError):
    """Base of every expected failure of the sync layer."""


# -- the hub could not be reached ----------------------------------------------------------------
class NoConnection(SyncError):
    """No usable reply from the hub: nothing was exchanged that counts.

    Args:
        detail: technical detail for the log (never shown as the officer's sentence).
    """

    def __init__(
        self, detail: str = "", message_vi: str | None = None, message_en: str | None = None
    ) -> None:
        super().__init__(
            message_vi
            or (
                "Không kết nối được với máy chủ. Có thể mạng đang chập chờn hoặc một trang đăng nhập Wi-Fi "
                "đang chặn: hãy mở trình duyệt, đăng nhập Wi-Fi nếu được yêu cầu, rồi bấm Đồng bộ lại. "
                + _AGAIN_VI
            ),
            message_en
            or (
                "Could not connect to the server. The network may be unstable, or a Wi-Fi login page may be "
                "in the way: open a web browser, sign in to the Wi-Fi if asked, then press Sync again. "
                + _AGAIN_EN
            ),
        )
        self.detail = detail


class Offline(NoConnection):
    """The network failed: no route, name not found, connection refused or cut, TLS failure."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            detail,
            "Không có kết nối mạng tới máy chủ (mạng mất, chập chờn hoặc máy chủ không trả lời). "
            "Hãy kiểm tra mạng, nếu dùng Wi-Fi có trang đăng nhập thì mở trình duyệt để đăng nhập, "
            "rồi bấm Đồng bộ lại. " + _AGAIN_VI,
            "There is no network connection to the server (the network is down or unstable, or the "
            "server does not answer). Check the network; if the Wi-Fi has a login page, open a web "
            "browser and sign in, then press Sync again. " + _AGAIN_EN,
        )


class Unreachable(Offline):
    """No connection could be made: refused, name not found, no route, connect timeout.

    The sentence says it plainly and offers the way forward that needs no network: the courier bundle.

    Args:
        server: the hub's address, named in the sentence.
        detail: technical detail for the log.
    """

    def __init__(self, server: str = "", detail: str = "") -> None:
        where = f" {server.rstrip('/')}" if server else ""
        NoConnection.__init__(
            self,
            detail,
            f"Không kết nối được máy chủ{where} (máy chủ không trả lời hoặc mạng không thông) — dữ liệu vẫn "
            "an toàn trên máy; có thể xuất gói chuyển tay (USB) để gửi qua nơi có mạng, hoặc bấm Đồng bộ lại "
            "khi có mạng.",
            f"Cannot connect to the server{where} (the server does not answer or the network is down) — the "
            "data is safe on this computer; you can export a courier bundle (USB) to send from a place with "
            "a network, or press Sync again when the network is back.",
        )
        self.server = server


class StallTimeout(Offline):
    """No byte arrived for the stall timeout (60 s): the link is too slow or stuck."""

    def __init__(self, detail: str = "") -> None:
        NoConnection.__init__(
            self,
            detail,
            "Máy chủ không gửi dữ liệu trong thời gian quá lâu: đường truyền quá chậm hoặc bị treo. "
            "Hãy bấm Đồng bộ lại khi mạng tốt hơn. " + _AGAIN_VI,
            "The server sent nothing for too long: the link is too slow or stuck. "
            "Press Sync again when the network is better. " + _AGAIN_EN,
        )


class LoginPageInTheWay(NoConnection):
    """Something answered that is not the hub: a Wi-Fi login page, an HTML page, a proxy's reply."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            detail,
            "Có một trang khác trả lời thay cho máy chủ — thường là trang đăng nhập Wi-Fi (khách sạn, "
            "nhà nghỉ, quán cà phê). Hãy mở trình duyệt, đăng nhập Wi-Fi, rồi bấm Đồng bộ lại. " + _AGAIN_VI,
            "Something other than the server answered — usually a Wi-Fi login page (hotel, guest house, "
            "café). Open a web browser, sign in to the Wi-Fi, then press Sync again. " + _AGAIN_EN,
        )


class CertificateProblem(NoConnection):
    """The server's TLS certificate could not be verified (a login page intercepting, or a wrong CA file)."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            detail,
            "Không xác minh được chứng chỉ bảo mật của máy chủ. Thường là do một trang đăng nhập Wi-Fi "
            "đang chặn giữa đường: hãy mở trình duyệt, đăng nhập Wi-Fi, rồi bấm Đồng bộ lại. Nếu vẫn lỗi, "
            "hãy kiểm tra tệp chứng chỉ (CA) của tỉnh trong phần Cài đặt. " + _AGAIN_VI,
            "The server's security certificate could not be verified. Usually a Wi-Fi login page is in "
            "the way: open a web browser, sign in to the Wi-Fi, then press Sync again. If it goes on, "
            "check the province's certificate (CA) file in Settings. " + _AGAIN_EN,
        )


class WrongServer(NoConnection):
    """The hub that answered is not the one this profile belongs to (another ``server_id``)."""

    def __init__(self, expected: str, got: str | None) -> None:
        super().__init__(
            f"expected server_id {expected!r}, got {got!r}",
            "Máy chủ trả lời không phải máy chủ của hồ sơ này (mã máy chủ khác). Có thể địa chỉ máy chủ "
            "đã bị đổi, hoặc mạng đang chuyển hướng sang nơi khác. Hãy kiểm tra địa chỉ máy chủ trong "
            "phần Cài đặt hoặc hỏi cán bộ tỉnh. " + _AGAIN_VI,
            "The server that answered is not this profile's server (a different server ID). The server "
            "address may have changed, or the network is redirecting elsewhere. Check the server address "
            "in Settings or ask the province staff. " + _AGAIN_EN,
        )
        self.expected = expected
        self.got = got


class UntrustedServer(NoConnection):
    """The hub's signing key is not in the installation's ``hub-keys.txt`` (nothing was sent to it)."""

    def __init__(self, fingerprint: str | None) -> None:
        shown = fingerprint or "?"
        super().__init__(
            f"signing key {shown} is not in the trusted keys file",
            f"Máy chủ này (mã nhận diện {shown}) không có trong danh sách máy chủ của tỉnh được cài trên máy, "
            "nên mật khẩu chưa được gửi đi. Hãy kiểm tra địa chỉ máy chủ, hoặc gọi cán bộ tỉnh để đối chiếu "
            "mã nhận diện.",
            f"This server (fingerprint {shown}) is not in the province's server list installed on this PC, so "
            "the password was not sent. Check the server address, or call the province staff to compare the "
            "fingerprint.",
        )
        self.fingerprint = fingerprint


# -- the hub answered, with a whole-request problem ------------------------------------------------
class AuthRequired(SyncError):
    """The hub refused the device token (401) and refreshing it did not help: log in again."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Phiên đăng nhập đã hết hạn hoặc không còn hợp lệ. Hãy đăng nhập lại (tên đăng nhập và mật "
            "khẩu), rồi bấm Đồng bộ. Các báo cáo chờ gửi vẫn được giữ nguyên.",
            "Your sign-in has expired or is no longer valid. Sign in again (username and password), then "
            "press Sync. The reports waiting to be sent are kept.",
        )
        self.detail = detail


class WrongPassword(AuthRequired):
    """The username or password given at login is wrong (401 from ``auth/token``)."""

    def __init__(self, detail: str = "") -> None:
        SyncError.__init__(
            self,
            "Tên đăng nhập hoặc mật khẩu không đúng. Hãy kiểm tra lại (chú ý chữ hoa, chữ thường và bộ "
            "gõ tiếng Việt) rồi thử lại.",
            "The username or password is wrong. Check them (mind upper/lower case and the Vietnamese "
            "keyboard) and try again.",
        )
        self.detail = detail


class Throttled(SyncError):
    """The hub asked us to slow down (429) and the retries ran out, or a login was throttled.

    Args:
        retry_after: seconds the hub asked us to wait, when it said.
    """

    def __init__(self, retry_after: float | None = None, detail: str = "") -> None:
        minutes = None if retry_after is None else max(1, round(retry_after / 60))
        wait_vi = f"khoảng {minutes} phút" if minutes else "một lúc"
        wait_en = f"about {minutes} minute(s)" if minutes else "a while"
        super().__init__(
            f"Máy chủ đang bận hoặc đã có quá nhiều lần thử. Hãy đợi {wait_vi} rồi thử lại. " + _AGAIN_VI,
            f"The server is busy or there were too many attempts. Wait {wait_en} and try again. " + _AGAIN_EN,
        )
        self.retry_after = retry_after
        self.detail = detail


class ServerError(SyncError):
    """The hub kept failing (5xx) through every retry."""

    def __init__(self, status: int | None = None, detail: str = "") -> None:
        super().__init__(
            "Máy chủ đang gặp sự cố và chưa nhận được dữ liệu. Hãy thử đồng bộ lại sau; nếu lỗi kéo dài, "
            "hãy báo cán bộ tỉnh. " + _AGAIN_VI,
            "The server has a problem and could not take the data. Try syncing again later; if it goes "
            "on, tell the province staff. " + _AGAIN_EN,
        )
        self.status = status
        self.detail = detail


class RequestTooLarge(SyncError):
    """The hub refused the request body as too large (413). The engine halves the batch."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Báo cáo quá lớn so với giới hạn của máy chủ nên chưa gửi được. Hãy báo cán bộ tỉnh để nâng "
            "giới hạn. " + _AGAIN_VI,
            "The report is larger than the server accepts, so it was not sent. Ask the province staff "
            "to raise the limit. " + _AGAIN_EN,
        )
        self.detail = detail


class ClientTooOld(SyncError):
    """The hub needs a newer DTTS Client (426, or ``min_client_version`` above ours)."""

    def __init__(self, min_version: str | None = None, detail: str = "") -> None:
        need_vi = f" (cần phiên bản {min_version} trở lên)" if min_version else ""
        need_en = f" (version {min_version} or later is needed)" if min_version else ""
        super().__init__(
            f"Phần mềm DTTS trên máy này đã cũ, máy chủ không nhận nữa{need_vi}. Hãy cài bản mới do "
            "cán bộ tỉnh cung cấp rồi đồng bộ lại. " + _AGAIN_VI,
            f"This DTTS Client is too old for the server{need_en}. Install the new version from the "
            "province staff, then sync again. " + _AGAIN_EN,
        )
        self.min_version = min_version
        self.detail = detail


class RequestRefused(SyncError):
    """The hub refused the request for a reason of its own (400, 403, 404 …), with its own sentence."""

    def __init__(self, status: int, message_vi: str | None = None, message_en: str | None = None) -> None:
        super().__init__(
            (message_vi or "Máy chủ từ chối yêu cầu.") + " Hãy báo cán bộ tỉnh nếu lỗi lặp lại. " + _AGAIN_VI,
            (message_en or "The server refused the request.")
            + " Tell the province staff if it happens again. "
            + _AGAIN_EN,
        )
        self.status = status


class Cancelled(SyncError):
    """The sync was stopped on purpose (Dừng pressed, or the window closed)."""

    def __init__(self) -> None:
        super().__init__(
            "Đã dừng đồng bộ theo yêu cầu. Những gì đã gửi xong được giữ; bấm Đồng bộ để tiếp tục.",
            "Sync stopped as asked. Whatever was already sent is kept; press Sync to continue.",
        )


class BadServerAddress(SyncError):
    """The server address is not a web address this program can use."""

    def __init__(self, address: str) -> None:
        super().__init__(
            f"Địa chỉ máy chủ “{address}” không hợp lệ. Hãy nhập đúng địa chỉ do cán bộ tỉnh cung cấp, "
            "bắt đầu bằng https://",
            f"The server address “{address}” is not valid. Enter the address the province staff gave "
            "you, starting with https://",
        )
        self.address = address


# -- local side --------------------------------------------------------------------------------------
class NotLoggedIn(SyncError):
    """The profile has no server or no stored sign-in yet."""

    def __init__(self, reason_vi: str = "", reason_en: str = "") -> None:
        super().__init__(
            "Máy này chưa đăng nhập vào máy chủ. Hãy đăng nhập (địa chỉ máy chủ, tên đăng nhập, mật "
            "khẩu) rồi bấm Đồng bộ." + (" " + reason_vi if reason_vi else ""),
            "This computer is not signed in to the server yet. Sign in (server address, username, "
            "password), then press Sync." + (" " + reason_en if reason_en else ""),
        )


class NoKeyring(SyncError):
    """The system has no password store, so the sign-in is kept in memory for this session only."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Máy tính này không có kho mật khẩu an toàn của hệ điều hành, nên phần mềm không lưu phiên "
            "đăng nhập: mỗi lần mở phần mềm, hãy nhập lại mật khẩu trước khi đồng bộ.",
            "This computer has no secure password store, so the sign-in is not saved: each time you "
            "open the program, enter your password again before syncing.",
        )
        self.detail = detail


class WrongAccountForProfile(SyncError):
    """The account's commune is not the commune this profile already holds reports for."""

    def __init__(self, profile_unit: str, account_units: list[str]) -> None:
        units = ", ".join(account_units) or "—"
        super().__init__(
            f"Hồ sơ trên máy này là của xã {profile_unit}, còn tài khoản vừa đăng nhập thuộc {units}. Để không "
            "trộn số liệu, hãy dùng đúng tài khoản của xã, hoặc tạo một hồ sơ mới cho tài khoản này.",
            f"The profile on this computer belongs to commune {profile_unit}, but the account is for {units}. "
            "To keep the data apart, use the commune's own account, or create a new profile for this one.",
        )


class SetupImportFailed(SyncError):
    """A setup package could not be used (with the reader's own sentence when it gave one)."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(message_vi, message_en)
