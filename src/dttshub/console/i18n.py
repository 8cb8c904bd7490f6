"""The console's words in Vietnamese (the default) and English: one entry per key, both languages.

Templates call ``t("key", name=value)``; a key missing here is a bug (``tests/console/test_console_i18n.py``
checks that every key used in a template or in the console's code is here, with both languages).
"""

from __future__ import annotations

from typing import Any

LANGS = ("vi", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    "app_title": ("Bảng điều khiển tỉnh — DTTS", "Province console — DTTS"),
    "nav_start": ("Trang đầu", "Start"),
    "nav_board": ("Tình hình nộp", "Completeness"),
    "nav_queue": ("Chờ thẩm định", "Review queue"),
    "nav_totals": ("Tổng hợp tỉnh", "Province totals"),
    "nav_conflicts": ("Xung đột", "Conflicts"),
    "nav_admin": ("Quản trị", "Administration"),
    "scope": ("phạm vi", "scope"),
    "role_officer": ("cán bộ xã", "commune officer"),
    "role_reviewer": ("thẩm định", "reviewer"),
    "role_admin": ("quản trị", "admin"),
    "sign_in": ("Đăng nhập", "Sign in"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "sign_in_title": ("Đăng nhập bảng điều khiển tỉnh", "Sign in to the province console"),
    "sign_in_help": (
        "Dùng tài khoản thẩm định hoặc quản trị của máy chủ. Cán bộ xã nộp báo cáo bằng phần mềm trên máy tính.",
        "Use a reviewer or admin account of the hub. Commune officers report with the desktop application.",
    ),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "login_expired": (
        "Trang đăng nhập đã hết hạn; hãy nhập lại tên và mật khẩu.",
        "The sign-in page had expired; enter your username and password again.",
    ),
    "officer_refused": (
        "Tài khoản cán bộ xã không dùng được bảng điều khiển tỉnh. Hãy dùng phần mềm trên máy tính để nộp "
        "báo cáo, hoặc đăng nhập bằng tài khoản thẩm định/quản trị.",
        "A commune officer's account cannot use the province console. Use the desktop application to "
        "report, or sign in with a reviewer or admin account.",
    ),
    "error_title": ("Không làm được việc này", "This could not be done"),
    "back_start": ("Về trang đầu", "Back to the start page"),
    "start_title": ("Các biểu đến hạn", "Forms due"),
    "period": ("Kỳ", "Period"),
    "deadline": ("Hạn nộp", "Deadline"),
    "completeness": ("Tình hình nộp", "Completeness"),
    "expected": ("Phải nộp", "Expected"),
    "received": ("Đã nhận", "Received"),
    "on_time": ("Đúng hạn", "On time"),
    "accepted": ("Đã chấp nhận", "Accepted"),
    "waiting_review": ("Chờ thẩm định", "Waiting for review"),
    "see_totals": ("Xem tổng hợp tỉnh", "See the province totals"),
    "bar_title": (
        "Phải nộp {expected}, đã nhận {received}, đúng hạn {on_time}, đã chấp nhận {accepted}",
        "Expected {expected}, received {received}, on time {on_time}, accepted {accepted}",
    ),
    "board_title": ("Tình hình nộp", "Completeness"),
    "board_summary": (
        "{received}/{expected} xã đã gửi ({on_time} đúng hạn, {late} muộn); {accepted} đã chấp nhận. "
        "Hạn nộp {deadline}.",
        "{received}/{expected} communes sent ({on_time} on time, {late} late); {accepted} accepted. "
        "Deadline {deadline}.",
    ),
    "form": ("Biểu", "Form"),
    "state": ("Trạng thái", "State"),
    "all_states": ("Tất cả", "All"),
    "search": ("Tìm xã", "Find commune"),
    "search_hint": ("tên xã, có hoặc không dấu", "commune name, with or without diacritics"),
    "sort": ("Sắp xếp", "Sort"),
    "sort_unit": ("theo mã", "by code"),
    "sort_name": ("theo tên", "by name"),
    "sort_state": ("theo trạng thái", "by state"),
    "sort_received_at": ("theo lúc nhận", "by time received"),
    "sort_last_seen": ("theo lần liên lạc cuối", "by last contact"),
    "show": ("Xem", "Show"),
    "export_excel": ("Tải danh sách (Excel)", "Download the list (Excel)"),
    "rows_shown": ("Đang hiện {n}/{total} xã.", "Showing {n} of {total} communes."),
    "col_unit": ("Mã", "Code"),
    "col_name": ("Đơn vị", "Unit"),
    "col_state": ("Trạng thái", "State"),
    "col_received": ("Lúc nhận", "Received"),
    "col_receipt": ("Biên nhận", "Receipt"),
    "col_revision": ("Lần sửa", "Revision"),
    "col_last_seen": ("Liên lạc cuối", "Last contact"),
    "col_officers": ("Tài khoản cần gọi", "Account to call"),
    "never": ("chưa bao giờ", "never"),
    "no_rows": ("Không có xã nào khớp.", "No commune matches."),
    "board_sheet": ("Tình hình nộp", "Completeness"),
    "board_file": ("tinh-hinh-nop", "completeness"),
    "done_accepted": ("Đã chấp nhận báo cáo.", "The report was accepted."),
    "done_returned": (
        "Đã trả lại báo cáo; nhận xét sẽ đến cán bộ xã ở lần đồng bộ tới.",
        "The report was returned; the comment reaches the officer at the next sync.",
    ),
    "compare_with": ("So với kỳ", "Compared with"),
    "none": ("không có", "none"),
    "not_sent_then": ("kỳ đó chưa nộp", "not sent that period"),
    "last_review": ("Lần thẩm định cuối: {state} bởi {by} lúc {at}", "Last review: {state} by {by} at {at}"),
    "review_accepted": ("chấp nhận", "accepted"),
    "review_returned": ("trả lại", "returned"),
    "changed_after_acceptance_title": ("Đã sửa sau khi chấp nhận", "Changed after acceptance"),
    "changed_after_acceptance_help": (
        "Xã đã gửi bản sửa sau khi báo cáo được chấp nhận. Các ô đã đổi so với bản được chấp nhận:",
        "The commune sent a correction after the report was accepted. The cells changed since the accepted "
        "version:",
    ),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "cell": ("Ô", "Cell"),
    "accepted_value": ("Bản đã chấp nhận", "Accepted"),
    "now_value": ("Bây giờ", "Now"),
    "before_value": ("Lần trước", "Before"),
    "conflict_waiting": (
        "Có một bản nộp xung đột đang chờ bạn chọn.",
        "A conflicting submission waits for your choice.",
    ),
    "see_both": ("Xem hai bản", "See both versions"),
    "decision": ("Quyết định", "Decision"),
    "comment_label": ("Nhận xét", "Comment"),
    "accept": ("Chấp nhận", "Accept"),
    "return": ("Trả lại", "Return"),
    "return_needs_comment": (
        "Trả lại cần ghi nhận xét: cán bộ xã sẽ đọc nó.",
        "A return needs a comment: the officer will read it.",
    ),
    "comment_required": (
        "Hãy ghi nhận xét để cán bộ xã biết cần sửa gì.",
        "Write a comment so the officer knows what to fix.",
    ),
    "warnings": ("Cảnh báo và lý do của cán bộ xã", "The officer's warnings and reasons"),
    "reason": ("lý do", "reason"),
    "comments": ("Ghi chú của cán bộ xã", "The officer's comments"),
    "changes_since_revision": ("Thay đổi so với lần gửi trước", "Changes since the previous revision"),
    "no_changes": ("Không ô nào thay đổi.", "No cell changed."),
    "values": ("Số liệu", "Values"),
    "values_legend": (
        "Mỗi ô: số liệu kỳ này; “kỳ trước” và mức thay đổi %; thay đổi từ {pct}% trở lên được đánh dấu; ô "
        "tô vàng đã đổi so với lần gửi trước.",
        "Each cell: this period's value; “before” and the change in %; changes of {pct}% or more are marked; "
        "yellow cells changed since the previous revision.",
    ),
    "ethnic_group": ("Dân tộc", "Ethnic group"),
    "value": ("Số liệu", "Value"),
    "was": ("trước:", "was:"),
    "prev_short": ("kỳ trước", "before"),
    "swing": ("biến động lớn", "large swing"),
    "changed_since_revision": ("Đã đổi so với lần gửi trước", "Changed since the previous revision"),
    "revisions": ("Các lần sửa", "Revisions"),
    "kind": ("Loại", "Kind"),
    "kind_submission": ("bản nộp", "submission"),
    "kind_review": ("thẩm định", "review"),
    "by": ("Người", "By"),
    "at": ("Lúc", "At"),
    "device": ("Máy", "Device"),
    "reviews": ("Các lần thẩm định", "Reviews"),
    "no_reviews": ("Chưa thẩm định lần nào.", "Not reviewed yet."),
    "queue_title": ("Báo cáo chờ thẩm định", "Reports waiting for review"),
    "queue_help": (
        "Chọn các báo cáo rồi bấm “Chấp nhận các báo cáo đã chọn”: báo cáo có lỗi hoặc xung đột được để lại "
        "kèm lý do. Muốn trả lại một báo cáo, ghi nhận xét ở dòng của nó rồi bấm “Trả lại”.",
        "Select reports and press “Accept the selected reports”: a report with errors or a conflict is left "
        "with the reason. To return one, write a comment on its row and press “Return”.",
    ),
    "select_all": ("Chọn tất cả", "Select all"),
    "open_report": ("Xem", "Open"),
    "return_comment_hint": ("nhận xét khi trả lại", "comment to return"),
    "queue_empty": ("Không có báo cáo nào chờ thẩm định.", "No report waits for review."),
    "accept_selected": ("Chấp nhận các báo cáo đã chọn", "Accept the selected reports"),
    "bulk_done": (
        "Đã chấp nhận {accepted} báo cáo; để lại {skipped}.",
        "{accepted} report(s) accepted; {skipped} left.",
    ),
    "totals_title": ("Tổng hợp tỉnh", "Province totals"),
    "accepted_only": ("Chỉ bản đã chấp nhận", "Accepted versions only"),
    "accepted_only_yes": ("Chỉ cộng bản đã được chấp nhận.", "Only accepted versions are added up."),
    "accepted_only_no": (
        "Cộng bản mới nhận của mỗi xã.",
        "Each commune's latest received version is added up.",
    ),
    "totals_summary": (
        "Đã tổng hợp {included}/{expected} xã; thiếu {missing} xã.",
        "{included} of {expected} communes added up; {missing} missing.",
    ),
    "downloads": ("Tải về", "Downloads"),
    "format_xlsx": ("Báo cáo tỉnh (Excel)", "Province report (Excel)"),
    "format_csv": ("CSV", "CSV"),
    "format_dvs": ("DHIS2 dataValueSets", "DHIS2 dataValueSets"),
    "format_adx": ("ADX", "ADX"),
    "trend_title": ("Xu hướng của chỉ tiêu {code} qua các kỳ", "Trend of indicator {code} over the periods"),
    "indicators": ("Các chỉ tiêu", "Indicators"),
    "code": ("Mã số", "Code"),
    "unit_of_measure": ("Đơn vị tính", "Unit"),
    "total": ("Tổng số", "Total"),
    "units_reporting": ("Số xã có số liệu", "Communes reporting"),
    "missing_title": ("Xã chưa có trong tổng hợp ({n})", "Communes missing from the totals ({n})"),
    "none_missing": ("Không thiếu xã nào.", "No commune is missing."),
    "drill_total": ("Tổng: {value}, từ {n} xã.", "Total: {value}, from {n} communes."),
    "back_totals": ("Về tổng hợp tỉnh", "Back to the province totals"),
    "baseline_figure": (
        "{survey} ({date}): {value} · {n}/{total} {what}",
        "{survey} ({date}): {value} · {n}/{total} {what}",
    ),
    "baseline_legend": (
        "Mốc so sánh: {survey} (ngày tham chiếu {date}), có số liệu của {n}/{total} {what}; mỗi số liệu điều "
        "tra được cộng trên các {what} có số liệu đó.",
        "Baseline: {survey} (reference date {date}), with figures for {n} of {total} {what}; each survey figure "
        "adds up the {what} that have it.",
    ),
    "legacy_note": (
        "Gồm số liệu cũ (nhập từ tệp, quy đổi theo danh mục xã 2025) của {n} xã chưa có báo cáo trong tổng hợp "
        "(tệp: {files}). Số liệu cũ là số liệu lịch sử, không phải báo cáo đã nhận: xã có báo cáo thì lấy "
        "báo cáo.",
        "Includes legacy data (imported from a file, mapped onto the 2025 commune list) of {n} communes with "
        "no report in the totals (file: {files}). Legacy data is history, not a report received: a commune's "
        "report, when there is one, is used instead.",
    ),
    "legacy_incomplete_note": (
        "Số liệu cũ của {n} xã có thể chưa đầy đủ (thiếu một số xã cũ đã sáp nhập vào): {units}.",
        "The legacy data of {n} communes may be incomplete (some of the old communes merged into them are "
        "missing): {units}.",
    ),
    "legacy_cell": ("gồm số liệu cũ của {n} xã", "includes legacy data of {n} communes"),
    "legacy_drill": (
        "Trong đó số liệu cũ (nhập từ tệp) của {n} xã.",
        "Of which legacy data (imported from a file) of {n} communes.",
    ),
    "legacy_left_title": (
        "Số liệu cũ không được cộng vào tổng ({n} xã cũ)",
        "Legacy data in no total ({n} old communes)",
    ),
    "legacy_left_help": (
        "Các xã cũ (trước 01/07/2025) này bị chia tách giữa nhiều xã mới, hoặc chỉ tiêu không cộng dồn được "
        "(tỷ lệ, văn bản): số liệu giữ nguyên theo xã cũ, không cộng vào xã mới nào. Xem bằng lệnh: {command}",
        "These old communes (before 01/07/2025) were split between several new ones, or their indicators do "
        "not add up (rates, text): their values stay on the old commune and are added to no new one. See "
        "them with: {command}",
    ),
    "legacy_flag_partial": ("xã bị chia tách", "split commune"),
    "legacy_flag_not_sum": ("chỉ tiêu không cộng dồn", "does not add up"),
    "legacy_values": ("{n} giá trị", "{n} values"),
    "legacy_from": ("Số liệu cũ, từ tệp {file}", "Legacy data, from the file {file}"),
    "legacy_maybe_incomplete": ("có thể chưa đầy đủ", "possibly incomplete"),
    "trend_legacy": ("gồm số liệu cũ", "includes legacy data"),
    "word_communes": ("xã", "communes"),
    "word_units": ("đơn vị", "units"),
    "conflicts_title": ("Báo cáo có xung đột", "Reports in conflict"),
    "conflicts_help": (
        "Hai máy đã gửi hai bản khác nhau của cùng một báo cáo. Mở từng báo cáo để chọn bản nào được giữ, "
        "hoặc trả lại cho xã.",
        "Two devices sent different versions of the same report. Open each to choose which version stands, "
        "or return it to the commune.",
    ),
    "no_conflicts": ("Không có xung đột nào.", "No conflicts."),
    "conflict_title": ("Xung đột", "Conflict"),
    "version_standing": ("Bản đang dùng", "Standing version"),
    "version_other": ("Bản xung đột", "Conflicting version"),
    "keep_standing": ("Giữ bản đang dùng và chấp nhận", "Keep the standing version and accept"),
    "take_other": ("Dùng bản xung đột và chấp nhận", "Take the conflicting version and accept"),
    "bad_choice": ("Lựa chọn không hợp lệ.", "Not a valid choice."),
    "admin_title": ("Quản trị", "Administration"),
    "accounts": ("Tài khoản", "Accounts"),
    "role": ("Vai trò", "Role"),
    "actions": ("Thao tác", "Actions"),
    "disabled": ("đã khoá", "disabled"),
    "active": ("đang dùng", "active"),
    "disable": ("Khoá", "Disable"),
    "enable": ("Mở khoá", "Enable"),
    "new_password": ("mật khẩu mới", "new password"),
    "set_password": ("Đặt mật khẩu", "Set password"),
    "set_unit": ("Đổi đơn vị", "Change unit"),
    "setup_package": ("Gói cài đặt (USB)", "Setup package (USB)"),
    "add_account": ("Thêm tài khoản", "Add an account"),
    "add": ("Thêm", "Add"),
    "user_added": ("Đã tạo tài khoản {name}.", "Account {name} created."),
    "user_disabled": (
        "Đã khoá tài khoản {name}; các máy của tài khoản phải đăng nhập lại.",
        "Account {name} disabled; its devices are signed out.",
    ),
    "user_enabled": ("Đã mở khoá tài khoản {name}.", "Account {name} enabled."),
    "user_password": (
        "Đã đặt mật khẩu mới cho {name}; các máy phải đăng nhập lại.",
        "New password set for {name}; its devices must sign in again.",
    ),
    "user_unit": ("Đã chuyển {name} sang đơn vị {unit}.", "{name} moved to unit {unit}."),
    "agencies": ("Cơ quan báo cáo của tỉnh", "The province's reporting agencies"),
    "agencies_help": (
        "Các sở, ngành của tỉnh nộp những biểu dành cho cơ quan, như một xã. Cơ quan đã ngừng vẫn giữ các "
        "báo cáo cũ nhưng không còn phải nộp và không nhận tài khoản mới.",
        "The province's departments report like a commune (the forms reported by agencies). A disabled "
        "agency keeps its reports but is no longer expected to report and gets no new accounts.",
    ),
    "no_agencies": ("Chưa có cơ quan nào.", "No agencies yet."),
    "agency_name": ("Tên cơ quan", "Agency name"),
    "agency_code": ("Mã cơ quan", "Agency code"),
    "agency_code_hint": (
        "mã tỉnh, gạch ngang, 1–5 chữ in hoa hoặc số, ví dụ {example}",
        "the province code, a dash, 1–5 capital letters or digits, e.g. {example}",
    ),
    "add_agency": ("Thêm cơ quan", "Add an agency"),
    "agency_disabled": ("đã ngừng", "disabled"),
    "agency_enabled": ("đang báo cáo", "reporting"),
    "disable_agency": ("Ngừng", "Disable"),
    "enable_agency": ("Dùng lại", "Enable"),
    "unit_added": (
        "Đã thêm cơ quan {code}; giờ có thể tạo tài khoản cán bộ cho cơ quan này.",
        "Agency {code} added; officer accounts can now be created for it.",
    ),
    "unit_disabled": (
        "Đã ngừng cơ quan {code}: báo cáo cũ giữ nguyên, cơ quan không còn phải nộp.",
        "Agency {code} disabled: its reports stay, it is no longer expected to report.",
    ),
    "unit_enabled": ("Đã dùng lại cơ quan {code}.", "Agency {code} enabled again."),
    "unit_hint": ("xã, cơ quan hoặc tỉnh", "commune, agency or province"),
    "catalog_title": ("Công bố danh mục chỉ tiêu", "Publish the indicator catalogue"),
    "catalog_help": (
        "Chọn tệp danh mục (.xlsx). Mọi lỗi được chỉ rõ trang, dòng, cột; có lỗi thì không thay đổi gì.",
        "Choose the catalogue workbook (.xlsx). Every error is shown with its sheet, row and column; with "
        "any error nothing changes.",
    ),
    "catalog_versions": ("Các phiên bản gần đây", "Recent versions"),
    "publish": ("Kiểm tra và công bố", "Check and publish"),
    "no_file": ("Chưa chọn tệp danh mục.", "No catalogue file was chosen."),
    "catalog_refused": (
        "Danh mục có {n} lỗi; chưa công bố gì. Sửa các ô dưới đây rồi gửi lại.",
        "The catalogue has {n} problem(s); nothing was published. Fix the cells below and send it again.",
    ),
    "catalog_published": (
        "Đã công bố danh mục {id} phiên bản {version}.",
        "Catalogue {id} version {version} published.",
    ),
    "sheet": ("Trang", "Sheet"),
    "row": ("Dòng", "Row"),
    "column": ("Cột", "Column"),
    "problem": ("Lỗi", "Problem"),
}


def tr(lang: str, key: str, **kw: Any) -> str:
    """The text of ``key`` in ``lang`` ("vi" or "en"), with ``{name}`` fields filled from ``kw``."""
    vi, en = MESSAGES[key]
    text = en if lang == "en" else vi
    return text.format(**kw) if kw else text
