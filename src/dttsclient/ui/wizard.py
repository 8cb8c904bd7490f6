"""First run: language, then sign in (or a setup package from USB), then the download, then done.

Pages set their texts when they are entered (``initializePage``), so the language chosen on the first
page applies to the rest at once. The sign-in and the download open the profile, so they run on the
runner's profile lane; the sync layer's distinct failures (wrong password, a Wi-Fi login page, no connection …) each get a heading and the
layer's own plain sentence about what to do.

:class:`LoginDialog` asks for the password again later (an expired sign-in, or a PC without a keyring,
where the sign-in is kept only for the session).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from dttsclient.sync import errors as sync_errors
from dttsclient.ui.excepthook import report_bug
from dttsclient.ui.help_view import install_f1
from dttsclient.ui.session import SyncSession
from dttsclient.ui.tasks import Lane, Runner
from dttscore.errors import DttsError

logger = logging.getLogger(__name__)

PAGE_LANGUAGE, PAGE_CONNECT, PAGE_PROGRESS, PAGE_DONE = range(4)


def error_kind(exc: BaseException) -> str:
    """The family of a setup failure: "password", "login_page", "untrusted", "offline", "throttled",
    "server", "package", "old_client" or "other"."""
    if isinstance(exc, sync_errors.UntrustedServer):
        return "untrusted"
    if isinstance(exc, sync_errors.WrongPassword):
        return "password"
    if isinstance(exc, sync_errors.LoginPageInTheWay):
        return "login_page"
    if isinstance(exc, sync_errors.NoConnection):
        return "offline"
    if isinstance(exc, sync_errors.Throttled):
        return "throttled"
    if isinstance(exc, sync_errors.ClientTooOld):
        return "old_client"
    if isinstance(exc, sync_errors.SetupImportFailed):
        return "package"
    if isinstance(exc, sync_errors.ServerError):
        return "server"
    return "other"


class LanguagePage(QWizardPage):
    """Vietnamese (default) or English; shown in both languages.

    Signals:
        languageChosen(str): "vi" or "en", as soon as the officer picks one.
    """

    languageChosen = Signal(str)

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.setTitle("Ngôn ngữ / Language")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Chọn ngôn ngữ giao diện. / Choose the language of the program."))
        self.vi = QRadioButton("Tiếng Việt")
        self.en = QRadioButton("English")
        (self.en if lang == "en" else self.vi).setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.vi)
        group.addButton(self.en)
        layout.addWidget(self.vi)
        layout.addWidget(self.en)
        layout.addStretch(1)
        self.vi.toggled.connect(lambda on: on and self.languageChosen.emit("vi"))
        self.en.toggled.connect(lambda on: on and self.languageChosen.emit("en"))

    @property
    def lang(self) -> str:
        return "en" if self.en.isChecked() else "vi"


class ConnectPage(QWizardPage):
    """Server address, username and password — or a setup package file."""

    def __init__(self, keyring_note: str | None) -> None:
        super().__init__()
        self._keyring_note = keyring_note
        layout = QVBoxLayout(self)
        self.online = QRadioButton()
        self.online.setChecked(True)
        self.package = QRadioButton()
        group = QButtonGroup(self)
        group.addButton(self.online)
        group.addButton(self.package)
        layout.addWidget(self.online)
        form = QFormLayout()
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://dtts.example.gov.vn")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.server_label, self.user_label, self.password_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.server_label, self.server)
        form.addRow(self.user_label, self.username)
        form.addRow(self.password_label, self.password)
        layout.addLayout(form)
        layout.addWidget(self.package)
        row = QHBoxLayout()
        self.package_path = QLineEdit()
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.package_path, 1)
        row.addWidget(self.browse)
        layout.addLayout(row)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color:#8a4b00;")
        layout.addWidget(self.note)
        layout.addStretch(1)
        for w in (self.server, self.username, self.password, self.package_path):
            w.textChanged.connect(self.completeChanged)
        self.online.toggled.connect(self._mode_changed)
        self._mode_changed()

    def initializePage(self) -> None:
        self.setTitle(self.tr("Kết nối với máy chủ của tỉnh"))
        self.setSubTitle(self.tr("Nhập địa chỉ máy chủ và tài khoản do cán bộ tỉnh cấp."))
        self.online.setText(self.tr("Đăng nhập qua mạng"))
        self.package.setText(self.tr("Tôi có gói cài đặt (tệp .dttssetup trên USB) — dùng khi chưa có mạng"))
        self.server_label.setText(self.tr("Địa chỉ máy chủ:"))
        self.user_label.setText(self.tr("Tên đăng nhập:"))
        self.password_label.setText(self.tr("Mật khẩu:"))
        self.browse.setText(self.tr("Chọn tệp…"))
        if self._keyring_note:
            self.note.setText(self.tr("Lưu ý: %1").replace("%1", self._keyring_note))
        self.note.setVisible(bool(self._keyring_note))

    def _mode_changed(self) -> None:
        online = self.online.isChecked()
        for w in (self.server, self.username, self.password):
            w.setEnabled(online)
        self.package_path.setEnabled(not online)
        self.browse.setEnabled(not online)
        self.completeChanged.emit()

    def _browse(self) -> None:
        from dttsclient.usb.places import default_folder  # a USB stick or home, never the working directory

        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Chọn gói cài đặt"),
            str(default_folder()),
            self.tr("Gói cài đặt (*.dttssetup);;Mọi tệp (*)"),
        )
        if path:
            self.package_path.setText(path)

    def isComplete(self) -> bool:
        if self.online.isChecked():
            return bool(self.server.text().strip() and self.username.text().strip() and self.password.text())
        return bool(self.package_path.text().strip())


class ProgressPage(QWizardPage):
    """Runs the sign-in and the download on the runner; explains a failure and lets the officer go back.

    Attributes:
        result: the :class:`~dttsclient.sync.login.LoginResult` / ``SetupResult`` once done.
        error: the last failure, if any.
    """

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.result: Any = None
        self.error: BaseException | None = None
        self.running = False
        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.bar = QProgressBar()
        layout.addWidget(self.bar)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight:bold;color:#9b1c1c;")
        self.heading.hide()
        layout.addWidget(self.heading)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.hide()
        layout.addWidget(self.explain)
        self.retry = QPushButton()
        self.retry.hide()
        self.retry.clicked.connect(self.start)
        layout.addWidget(self.retry)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.setTitle(self.tr("Đang tải danh mục và số liệu"))
        self.retry.setText(self.tr("Thử lại"))
        self.start()

    def start(self) -> None:
        self.result = None
        self.error = None
        self.heading.hide()
        self.explain.hide()
        self.retry.hide()
        self.bar.setRange(0, 0)
        self.bar.show()
        self.running = True
        self.completeChanged.emit()
        page = self._wizard.connect_page
        session = self._wizard.session
        cancel = self._wizard.cancel_event
        if page.online.isChecked():
            self.status.setText(self.tr("Đang đăng nhập và tải danh mục chỉ tiêu, số liệu các kỳ trước…"))
            server, user, password = (
                page.server.text().strip(),
                page.username.text().strip(),
                page.password.text(),
            )
            self._wizard.runner.run_task(
                lambda progress: session.login(server, user, password, progress, cancel),
                self._done,
                self._failed,
                on_progress=self._progress,
                lane=Lane.PROFILE,
            )
        else:
            self.status.setText(self.tr("Đang đọc gói cài đặt…"))
            path = Path(page.package_path.text().strip())
            self._wizard.runner.run_task(
                lambda: session.setup_import(path), self._done, self._failed, lane=Lane.PROFILE
            )

    def _progress(self, value: Any) -> None:
        message, done, total = value
        self.status.setText(message)
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    def _done(self, result: Any) -> None:
        self.running = False
        self.result = result
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        pull_error = getattr(result, "pull_error", None)
        if pull_error is not None:
            # signed in, but the download broke off: the next Sync finishes it
            self.status.setText(
                self.tr(
                    "Đã đăng nhập, nhưng chưa tải xong: %1 Bấm «Đồng bộ» trong cửa sổ chính để tải tiếp."
                ).replace("%1", pull_error.text(self._wizard.lang))
            )
        else:
            self.status.setText(self.tr("Xong."))
        self.completeChanged.emit()
        self._wizard.next()

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.error = exc
        self.bar.hide()
        if not isinstance(exc, DttsError):
            self.status.setText(self.tr("Có lỗi ngoài dự kiến."))
            report_bug(exc)
            self.completeChanged.emit()
            return
        headings = {
            "password": self.tr("Sai tên đăng nhập hoặc mật khẩu"),
            "login_page": self.tr("Một trang đăng nhập Wi-Fi đang chặn kết nối"),
            "untrusted": self.tr("Máy chủ này không phải máy chủ của tỉnh"),
            "offline": self.tr("Không kết nối được với máy chủ"),
            "throttled": self.tr("Đã thử quá nhiều lần"),
            "old_client": self.tr("Phần mềm cần được cập nhật"),
            "package": self.tr("Không dùng được gói cài đặt này"),
            "server": self.tr("Máy chủ đang gặp sự cố"),
            "other": self.tr("Chưa hoàn tất được"),
        }
        kind = error_kind(exc)
        self.status.setText("")
        self.heading.setText(headings[kind])
        self.heading.show()
        hint = ""
        if kind == "password":
            hint = " " + self.tr("Bấm «Quay lại» để nhập lại.")
        elif kind in ("offline", "login_page"):
            hint = " " + self.tr("Nếu chưa có mạng, có thể bấm «Quay lại» và dùng gói cài đặt trên USB.")
        self.explain.setText(exc.text(self._wizard.lang) + hint)
        self.explain.show()
        self.retry.show()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.result is not None and not self.running


class DonePage(QWizardPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.setTitle(self.tr("Sẵn sàng"))
        result = self._wizard.progress_page.result
        commune = getattr(result, "unit_name", None) or getattr(result, "unit", None) or "—"
        text = self.tr("Máy này đã được cài đặt cho %1. Bấm «Hoàn tất» để bắt đầu nhập số liệu.").replace(
            "%1", str(commune)
        )
        pull = getattr(result, "pull", None)
        if pull is not None:
            text += " " + self.tr("Đã nhận về %1 báo cáo của các kỳ trước.").replace("%1", str(pull.pulled))
        fingerprint = getattr(result, "key_fingerprint", None)
        if fingerprint:
            text += "\n\n" + self.tr("Mã nhận diện máy chủ: %1.").replace("%1", fingerprint) + " "
            if getattr(result, "key_listed", False):
                text += self.tr("Máy chủ có trong danh sách máy chủ của tỉnh được cài trên máy.")
            else:
                text += self.tr("Nếu chưa chắc gói này do tỉnh gửi, hãy gọi cán bộ tỉnh để đối chiếu mã này.")
        if getattr(result, "tokens_saved_persistently", True) is False:
            text += "\n\n" + self.tr(
                "Máy này không có kho mật khẩu an toàn, nên phiên đăng nhập không được lưu: mỗi lần mở "
                "phần mềm sẽ được hỏi lại mật khẩu trước khi đồng bộ."
            )
        self.summary.setText(text)


class SetupWizard(QWizard):
    """The first-run wizard of one profile.

    Args:
        session: the profile's sync session (its worker methods do the sign-in and the import).
        runner: the background runner.
        lang: the language to start in.
        on_language: called when the officer picks another language (installs the translator).
        parent: the owning window.

    Signals:
        languageChosen(str): re-emitted from the first page.
    """

    languageChosen = Signal(str)

    def __init__(
        self,
        session: SyncSession,
        runner: Runner,
        lang: str = "vi",
        on_language: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.lang = lang
        self._on_language = on_language
        self.cancel_event = threading.Event()
        reason = session.keyring_reason
        self.language_page = LanguagePage(lang)
        self.connect_page = ConnectPage(reason.text(lang) if reason is not None else None)
        self.progress_page = ProgressPage(self)
        self.done_page = DonePage(self)
        self.setPage(PAGE_LANGUAGE, self.language_page)
        self.setPage(PAGE_CONNECT, self.connect_page)
        self.setPage(PAGE_PROGRESS, self.progress_page)
        self.setPage(PAGE_DONE, self.done_page)
        self.language_page.languageChosen.connect(self._language)
        self.currentIdChanged.connect(lambda _id: self._retranslate())
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.resize(620, 460)
        install_f1(self, "setup", lambda: self.lang)
        self._retranslate()

    def _language(self, lang: str) -> None:
        self.lang = lang
        if self._on_language is not None:
            self._on_language(lang)
        reason = self.session.keyring_reason
        self.connect_page._keyring_note = reason.text(lang) if reason is not None else None
        self.languageChosen.emit(lang)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Cài đặt ban đầu — DTTS Client"))
        for which, text in (
            (QWizard.WizardButton.BackButton, self.tr("< Quay lại")),
            (QWizard.WizardButton.NextButton, self.tr("Tiếp theo >")),
            (QWizard.WizardButton.FinishButton, self.tr("Hoàn tất")),
            (QWizard.WizardButton.CancelButton, self.tr("Huỷ")),
        ):
            self.setButtonText(which, text)

    def reject(self) -> None:
        self.cancel_event.set()
        super().reject()


class LoginDialog(QDialog):
    """Ask for the password again and sign in (no download; the next Sync does that).

    Args:
        session: the profile's sync session.
        runner: the background runner.
        server / username: shown, not editable here (changing them is a Settings matter) — except when
            the profile has none (after Đăng xuất the username is forgotten): then the officer types it.
        lang: the interface language.
        parent: the owning window.
    """

    def __init__(
        self,
        session: SyncSession,
        runner: Runner,
        server: str,
        username: str,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.lang = lang
        self.signed_in = False
        self.setWindowTitle(self.tr("Đăng nhập"))
        layout = QVBoxLayout(self)
        reason = session.keyring_reason
        if reason is not None:
            text = reason.text(lang)
        elif username:
            text = self.tr("Phiên đăng nhập đã hết hạn. Hãy nhập mật khẩu để tiếp tục đồng bộ.")
        else:
            text = self.tr("Máy này chưa đăng nhập. Hãy nhập tên đăng nhập và mật khẩu do cán bộ tỉnh cấp.")
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.server_edit: QLineEdit | None = None
        self.username_edit: QLineEdit | None = None
        if server:
            form.addRow(self.tr("Máy chủ:"), QLabel(server))
        else:
            self.server_edit = QLineEdit()
            self.server_edit.setPlaceholderText("https://dtts.example.gov.vn")
            form.addRow(self.tr("Địa chỉ máy chủ:"), self.server_edit)
        if username:
            form.addRow(self.tr("Tên đăng nhập:"), QLabel(username))
        else:
            self.username_edit = QLineEdit()
            form.addRow(self.tr("Tên đăng nhập:"), self.username_edit)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Mật khẩu:"), self.password)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#9b1c1c;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(self.tr("Đăng nhập"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Để sau"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.clicked.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._server, self._username = server, username
        (self.server_edit or self.username_edit or self.password).setFocus()
        self._cancel: threading.Event | None = None

    def submit(self) -> None:
        server = self.server_edit.text().strip() if self.server_edit is not None else self._server
        user = self.username_edit.text().strip() if self.username_edit is not None else self._username
        password = self.password.text()
        if not server or not user or not password:
            self.message.setText(self.tr("Hãy nhập đủ địa chỉ máy chủ, tên đăng nhập và mật khẩu."))
            return
        self.ok.setEnabled(False)
        self.message.setText(self.tr("Đang đăng nhập…"))
        session = self.session
        cancel = self._cancel = threading.Event()
        self.runner.run_task(
            lambda progress: session.login(server, user, password, progress, cancel, pull=False),
            self._done,
            self._failed,
            on_progress=lambda _v: None,
            lane=Lane.PROFILE,  # the sign-in writes the profile (token, server id)
        )

    def reject(self) -> None:
        """Để sau: stop a sign-in in flight (a hub that is gone must not hold the officer) and close."""
        if getattr(self, "_cancel", None) is not None:
            self._cancel.set()
        super().reject()

    def _done(self, _result: Any) -> None:
        if self._cancel is not None and self._cancel.is_set():
            return  # the officer chose "Để sau" meanwhile
        self.signed_in = True
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if self._cancel is not None and self._cancel.is_set():
            return
        self.ok.setEnabled(True)
        if not isinstance(exc, DttsError):
            self.message.setText("")
            report_bug(exc)
            return
        from dttsclient.sync.errors import NoConnection

        text = exc.text(self.lang)
        if isinstance(exc, NoConnection):
            text += " " + self.tr("Bấm «Để sau» để tiếp tục làm việc không cần mạng.")
        self.message.setText(text)

    @classmethod
    def ask(cls, session: SyncSession, runner: Runner, lang: str, parent: QWidget | None = None) -> bool:
        """True when the officer signed in (tests replace this method)."""
        from dttsclient.store import Store

        with Store.open(session.data_dir) as store:
            p = store.settings.profile()
        dialog = cls(session, runner, p.server_url or "", p.username or "", lang, parent)
        dialog.exec()
        return dialog.signed_in
