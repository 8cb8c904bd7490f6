<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="vi_VN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>Giới thiệu DTTS Client</source>
        <translation>About DTTS Client</translation>
    </message>
    <message>
        <source>Phiên bản phần mềm</source>
        <translation>Program version</translation>
    </message>
    <message>
        <source>Danh mục chỉ tiêu</source>
        <translation>Indicator catalogue</translation>
    </message>
    <message>
        <source>Căn cứ pháp lý</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <source>Hiệu lực từ</source>
        <translation>Effective from</translation>
    </message>
    <message>
        <source>Máy chủ</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Thư mục dữ liệu</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <source>Nền tảng</source>
        <translation>Platform</translation>
    </message>
    <message>
        <source>Phần mềm báo cáo chỉ tiêu thống kê công tác dân tộc cấp xã</source>
        <translation>Commune reporting of the statistical indicators of ethnic-minority affairs</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>chưa có</source>
        <translation>none yet</translation>
    </message>
    <message>
        <source>%1 — phiên bản %2</source>
        <translation>%1 — version %2</translation>
    </message>
    <message>
        <source>MẪU (chỉ để thử)</source>
        <translation>SAMPLE (for trying out only)</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>Hồ sơ «%1» đang mở trong một cửa sổ DTTS khác — cửa sổ đó đã được đưa lên trước. Hãy làm việc tiếp trong cửa sổ đó.</source>
        <translation>The profile “%1” is open in another DTTS window — that window has been brought to the front. Please continue working there.</translation>
    </message>
    <message>
        <source>Hồ sơ «%1» có vẻ đang mở trong một cửa sổ DTTS khác, nhưng cửa sổ đó không trả lời.</source>
        <translation>The profile “%1” seems to be open in another DTTS window, but that window does not answer.</translation>
    </message>
    <message>
        <source>Nếu chắc chắn không còn cửa sổ DTTS nào đang mở hồ sơ này (ví dụ máy vừa bị tắt đột ngột), bấm «Vẫn mở». Nếu không, bấm «Không mở» rồi tìm cửa sổ đó trên thanh tác vụ.</source>
        <translation>If you are sure no DTTS window has this profile open (for example, the computer was just switched off abruptly), press “Open anyway”. Otherwise press “Do not open” and look for that window on the taskbar.</translation>
    </message>
    <message>
        <source>Vẫn mở</source>
        <translation>Open anyway</translation>
    </message>
    <message>
        <source>Không mở</source>
        <translation>Do not open</translation>
    </message>
</context>
<context>
    <name>Badges</name>
    <message>
        <source>Chưa nhập</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>Nháp</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>Chờ gửi</source>
        <translation>Waiting to send</translation>
    </message>
    <message>
        <source>Đang gửi</source>
        <translation>Sending</translation>
    </message>
    <message>
        <source>Đã gửi ✓</source>
        <translation>Sent ✓</translation>
    </message>
    <message>
        <source>Cần xử lý</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>Xung đột</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>Nộp muộn</source>
        <translation>Late</translation>
    </message>
    <message>
        <source>Bị trả lại</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>Đã sửa sau khi chấp nhận</source>
        <translation>Changed after acceptance</translation>
    </message>
</context>
<context>
    <name>CarryDialog</name>
    <message>
        <source>Lấy số kỳ trước</source>
        <translation>Copy from last period</translation>
    </message>
    <message>
        <source>Chọn các chỉ tiêu ít thay đổi (trường học, đường, cán bộ…) để lấy số của %1 làm bản nháp. Chỉ ô còn trống được điền; mỗi ô lấy sang được đánh dấu cho đến khi anh/chị xác nhận hoặc sửa số. Có thể hoàn tác (Ctrl+Z).</source>
        <translation>Choose the indicators that change slowly (schools, roads, officials…) to copy the figures of %1 as a draft. Only empty cells are filled; every copied cell stays marked until you confirm or change it. You can undo it (Ctrl+Z).</translation>
    </message>
    <message>
        <source>(%1 ô)</source>
        <translation>(%1 cells)</translation>
    </message>
    <message>
        <source>Lấy số</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Chọn tất cả</source>
        <translation>Select all</translation>
    </message>
</context>
<context>
    <name>ChangesDialog</name>
    <message>
        <source>Nhập vào báo cáo đã chốt</source>
        <translation>Import into a finalized report</translation>
    </message>
    <message>
        <source>(trống)</source>
        <translation>(blank)</translation>
    </message>
    <message>
        <source>Chỉ tiêu</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>Phân tổ</source>
        <translation>Breakdown</translation>
    </message>
    <message>
        <source>Giá trị cũ</source>
        <translation>Old value</translation>
    </message>
    <message>
        <source>Giá trị mới</source>
        <translation>New value</translation>
    </message>
    <message>
        <source>Nhập và đưa về bản nháp</source>
        <translation>Import and make it a draft again</translation>
    </message>
    <message>
        <source>Không nhập</source>
        <translation>Do not import</translation>
    </message>
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <source>Ghi chú cho ô</source>
        <translation>Cell comment</translation>
    </message>
    <message>
        <source>Ghi chú cho ô %1 (gửi kèm báo cáo):</source>
        <translation>Comment for cell %1 (sent with the report):</translation>
    </message>
    <message>
        <source>Lưu ghi chú</source>
        <translation>Save comment</translation>
    </message>
    <message>
        <source>Xoá ghi chú</source>
        <translation>Delete comment</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Completeness</name>
    <message>
        <source>Đã nhập %1/%2 chỉ tiêu</source>
        <translation>%1/%2 indicators entered</translation>
    </message>
    <message>
        <source>còn %1 chỉ tiêu bắt buộc chưa nhập</source>
        <translation>%1 required still empty</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Hai bản khác nhau: %1</source>
        <translation>Two different versions: %1</translation>
    </message>
    <message>
        <source>Báo cáo này trên máy chủ (lần %1) khác với bản trên máy này ở %2 ô (tô màu). Không có bản nào bị ghi đè: hãy xem rồi chọn giữ bản nào. Nếu chưa chắc, bấm «Để sau» và hỏi cán bộ tỉnh.</source>
        <translation>The server&apos;s copy of this report (revision %1) differs from the one on this computer in %2 cell(s) (highlighted). Neither has been overwritten: look at both and choose which to keep. If unsure, press “Later” and ask the province staff.</translation>
    </message>
    <message>
        <source>Giữ bản trên máy này</source>
        <translation>Keep the version on this computer</translation>
    </message>
    <message>
        <source>Dùng bản trên máy chủ</source>
        <translation>Use the server&apos;s version</translation>
    </message>
    <message>
        <source>Để sau</source>
        <translation>Later</translation>
    </message>
</context>
<context>
    <name>ConflictModel</name>
    <message>
        <source>Chỉ tiêu</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>Phân tổ</source>
        <translation>Breakdown</translation>
    </message>
    <message>
        <source>Bản trên máy này</source>
        <translation>On this computer</translation>
    </message>
    <message>
        <source>Bản trên máy chủ</source>
        <translation>On the server</translation>
    </message>
</context>
<context>
    <name>ConnectPage</name>
    <message>
        <source>Kết nối với máy chủ của tỉnh</source>
        <translation>Connect to the province&apos;s server</translation>
    </message>
    <message>
        <source>Nhập địa chỉ máy chủ và tài khoản do cán bộ tỉnh cấp.</source>
        <translation>Enter the server address and the account the province staff gave you.</translation>
    </message>
    <message>
        <source>Đăng nhập qua mạng</source>
        <translation>Sign in over the network</translation>
    </message>
    <message>
        <source>Tôi có gói cài đặt (tệp .dttssetup trên USB) — dùng khi chưa có mạng</source>
        <translation>I have a setup package (a .dttssetup file on USB) — for when there is no network</translation>
    </message>
    <message>
        <source>Địa chỉ máy chủ:</source>
        <translation>Server address:</translation>
    </message>
    <message>
        <source>Tên đăng nhập:</source>
        <translation>Username:</translation>
    </message>
    <message>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Chọn tệp…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <source>Lưu ý: %1</source>
        <translation>Note: %1</translation>
    </message>
    <message>
        <source>Chọn gói cài đặt</source>
        <translation>Choose the setup package</translation>
    </message>
    <message>
        <source>Gói cài đặt (*.dttssetup);;Mọi tệp (*)</source>
        <translation>Setup package (*.dttssetup);;All files (*)</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Sẵn sàng</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>Máy này đã được cài đặt cho %1. Bấm «Hoàn tất» để bắt đầu nhập số liệu.</source>
        <translation>This computer is set up for %1. Press “Finish” to start entering data.</translation>
    </message>
    <message>
        <source>Đã nhận về %1 báo cáo của các kỳ trước.</source>
        <translation>%1 report(s) of earlier periods were downloaded.</translation>
    </message>
    <message>
        <source>Mã nhận diện máy chủ: %1.</source>
        <translation>Server fingerprint: %1.</translation>
    </message>
    <message>
        <source>Máy chủ có trong danh sách máy chủ của tỉnh được cài trên máy.</source>
        <translation>The server is in the province&apos;s server list installed on this PC.</translation>
    </message>
    <message>
        <source>Nếu chưa chắc gói này do tỉnh gửi, hãy gọi cán bộ tỉnh để đối chiếu mã này.</source>
        <translation>If you are not sure the province sent this package, call the province staff to compare this fingerprint.</translation>
    </message>
    <message>
        <source>Máy này không có kho mật khẩu an toàn, nên phiên đăng nhập không được lưu: mỗi lần mở phần mềm sẽ được hỏi lại mật khẩu trước khi đồng bộ.</source>
        <translation>This computer has no secure password store, so the sign-in is not saved: each time you open the program you will be asked for the password before syncing.</translation>
    </message>
</context>
<context>
    <name>EarlierPeriods</name>
    <message>
        <source>Các kỳ trước</source>
        <translation>Earlier periods</translation>
    </message>
    <message>
        <source>nay %1</source>
        <translation>now %1</translation>
    </message>
    <message>
        <source>để trống</source>
        <translation>left empty</translation>
    </message>
    <message>
        <source>chưa có báo cáo</source>
        <translation>no report</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Phần mềm gặp lỗi</source>
        <translation>The program ran into a problem</translation>
    </message>
    <message>
        <source>Phần mềm vừa gặp một lỗi ngoài dự kiến. Số liệu đã nhập vẫn an toàn: mỗi ô được lưu ngay khi rời khỏi ô.

Hãy bấm «Sao chép chi tiết» rồi gửi cho cán bộ hỗ trợ của tỉnh (dán vào thư hoặc tin nhắn). Sau đó có thể tiếp tục làm việc.</source>
        <translation>The program hit an unexpected error. The data you entered is safe: every cell is saved the moment you leave it.

Press “Copy details” and send them to the province&apos;s support staff (paste into an e-mail or a message). Then you can carry on working.</translation>
    </message>
    <message>
        <source>Sao chép chi tiết</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Đã sao chép ✓</source>
        <translation>Copied ✓</translation>
    </message>
</context>
<context>
    <name>EthnicModel</name>
    <message>
        <source>đã có</source>
        <translation>already added</translation>
    </message>
</context>
<context>
    <name>EthnicPicker</name>
    <message>
        <source>Thêm dân tộc</source>
        <translation>Add ethnic groups</translation>
    </message>
    <message>
        <source>Gõ tên dân tộc hoặc tên gọi khác (ví dụ: Mèo, Mán, Thổ). Enter: thêm dân tộc đang chọn; Space: đánh dấu để thêm nhiều dân tộc một lúc.</source>
        <translation>Type the name of an ethnic group or another name for it (e.g. Mèo, Mán, Thổ). Enter: add the selected group; Space: mark several groups to add at once.</translation>
    </message>
    <message>
        <source>Tìm dân tộc…</source>
        <translation>Find an ethnic group…</translation>
    </message>
    <message>
        <source>Thêm</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>FinalizeDialog</name>
    <message>
        <source>Chốt báo cáo</source>
        <translation>Finalize report</translation>
    </message>
    <message>
        <source>Sau khi chốt, báo cáo được lưu thành một lần nộp không sửa được và đưa vào hộp thư đi; lần đồng bộ tới sẽ gửi lên máy chủ.</source>
        <translation>Finalizing saves the report as a submission that cannot be changed and puts it in the outbox; the next sync sends it to the server.</translation>
    </message>
    <message>
        <source>Biểu mẫu:</source>
        <translation>Form:</translation>
    </message>
    <message>
        <source>Kỳ báo cáo:</source>
        <translation>Reporting period:</translation>
    </message>
    <message>
        <source>Đơn vị:</source>
        <translation>Unit:</translation>
    </message>
    <message>
        <source>Số giá trị:</source>
        <translation>Values:</translation>
    </message>
    <message>
        <source>%1 ô lấy từ kỳ trước chưa xác nhận (được gửi như đang có)</source>
        <translation>%1 cells copied from last period not confirmed (sent as they are)</translation>
    </message>
    <message>
        <source>Lấy từ kỳ trước:</source>
        <translation>Copied from last period:</translation>
    </message>
    <message>
        <source>Lần nộp %1</source>
        <translation>Submission %1</translation>
    </message>
    <message>
        <source>(thay cho lần nộp %1)</source>
        <translation>(replaces submission %1)</translation>
    </message>
    <message>
        <source>Lần nộp:</source>
        <translation>Submission:</translation>
    </message>
    <message>
        <source>Danh mục chỉ tiêu:</source>
        <translation>Indicator catalogue:</translation>
    </message>
    <message>
        <source>%1 (phiên bản %2)</source>
        <translation>%1 (version %2)</translation>
    </message>
    <message>
        <source>Báo cáo đã chốt ở lần nộp %1 và chưa sửa gì sau đó; không cần chốt lại.</source>
        <translation>The report was finalized as submission %1 and nothing has changed since; there is no need to finalize again.</translation>
    </message>
    <message>
        <source>Còn %1 lỗi nên chưa chốt được. Sửa các lỗi sau rồi chốt lại:</source>
        <translation>%1 error(s) remain, so the report cannot be finalized yet. Fix these, then finalize again:</translation>
    </message>
    <message>
        <source>%1 cảnh báo: ghi lý do cho từng cảnh báo (lý do được gửi kèm báo cáo).</source>
        <translation>%1 warning(s): give a reason for each (the reasons are sent with the report).</translation>
    </message>
    <message>
        <source>Không có lỗi hay cảnh báo nào.</source>
        <translation>No errors or warnings.</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Lý do (bắt buộc), ví dụ: số liệu đúng, đã kiểm tra lại</source>
        <translation>Reason (required), e.g. the figure is right, checked again</translation>
    </message>
    <message>
        <source>Ghi lý do cho mọi cảnh báo để chốt.</source>
        <translation>Give a reason for every warning to finalize.</translation>
    </message>
</context>
<context>
    <name>FormHeader</name>
    <message>
        <source>Đi tới chỉ tiêu… (Ctrl+G)</source>
        <translation>Go to indicator… (Ctrl+G)</translation>
    </message>
    <message>
        <source>+ Thêm dân tộc</source>
        <translation>+ Add ethnic group</translation>
    </message>
    <message>
        <source>Thêm dòng cho một dân tộc có trong xã (Ctrl+D)</source>
        <translation>Add a row for an ethnic group living in the commune (Ctrl+D)</translation>
    </message>
    <message>
        <source>Chốt báo cáo…</source>
        <translation>Finalize report…</translation>
    </message>
</context>
<context>
    <name>FormListModel</name>
    <message>
        <source>Biểu</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Tên biểu</source>
        <translation>Form name</translation>
    </message>
    <message>
        <source>Kỳ</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Trạng thái</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Hạn nộp</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>còn %1 ngày</source>
        <translation>%1 day(s) left</translation>
    </message>
    <message>
        <source>quá hạn %1 ngày</source>
        <translation>%1 day(s) overdue</translation>
    </message>
    <message>
        <source>hôm nay</source>
        <translation>today</translation>
    </message>
    <message>
        <source>Đã nhập</source>
        <translation>Entered</translation>
    </message>
    <message>
        <source>Số biên nhận: %1</source>
        <translation>Receipt number: %1</translation>
    </message>
    <message>
        <source>Ý kiến người duyệt: %1</source>
        <translation>Reviewer&apos;s comment: %1</translation>
    </message>
</context>
<context>
    <name>FormView</name>
    <message>
        <source>Danh mục mẫu (chỉ để thử)</source>
        <translation>Sample catalogue (for trying out only)</translation>
    </message>
    <message>
        <source>Sao chép</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Dán (ô trống trong khối dán được bỏ qua)</source>
        <translation>Paste (blank cells in the pasted block are skipped)</translation>
    </message>
    <message>
        <source>Xoá giá trị</source>
        <translation>Clear value</translation>
    </message>
    <message>
        <source>Ghi chú…</source>
        <translation>Comment…</translation>
    </message>
    <message>
        <source>Lịch sử giá trị…</source>
        <translation>Value history…</translation>
    </message>
    <message>
        <source>Lấy số kỳ trước…</source>
        <translation>Copy from last period…</translation>
    </message>
    <message>
        <source>Xác nhận số lấy từ kỳ trước</source>
        <translation>Confirm figures copied from last period</translation>
    </message>
    <message>
        <source>Thêm dân tộc…</source>
        <translation>Add ethnic group…</translation>
    </message>
    <message>
        <source>Bỏ dòng dân tộc này</source>
        <translation>Remove this ethnic group row</translation>
    </message>
    <message>
        <source>Hoàn tác</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>Làm lại</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>Đi tới chỉ tiêu</source>
        <translation>Go to indicator</translation>
    </message>
    <message>
        <source>Vấn đề này không gắn với ô nào của biểu: %1</source>
        <translation>This problem is not tied to a cell of the form: %1</translation>
    </message>
    <message>
        <source>Báo cáo đã chốt; chưa sửa gì.</source>
        <translation>The report is finalized; nothing has been edited.</translation>
    </message>
    <message>
        <source>Chưa lưu được: %1</source>
        <translation>Not saved: %1</translation>
    </message>
    <message>
        <source>Đang khôi phục hoặc nhập số liệu; ô vừa nhập sẽ được lưu ngay khi việc đó xong.</source>
        <translation>A restore or an import is running; the value you typed will be saved as soon as it is done.</translation>
    </message>
    <message>
        <source>Chưa hoàn tác được: %1</source>
        <translation>Could not undo: %1</translation>
    </message>
    <message>
        <source>Kỳ trước (%1) không có số liệu nào để lấy vào các ô còn trống.</source>
        <translation>The previous period (%1) has no figures to copy into the empty cells.</translation>
    </message>
    <message>
        <source>Lấy số kỳ trước (%1 ô)</source>
        <translation>Copy from last period (%1 cells)</translation>
    </message>
    <message>
        <source>Đã lấy %1 ô từ %2. Các ô này được tô xanh cho đến khi anh/chị xác nhận (Ctrl+Shift+K) hoặc sửa số.</source>
        <translation>Copied %1 cells from %2. They stay blue until you confirm them (Ctrl+Shift+K) or change the figure.</translation>
    </message>
    <message>
        <source>%1 đã có số liệu. Bấm Ctrl+Shift+L để chọn chỉ tiêu lấy số kỳ trước làm bản nháp.</source>
        <translation>%1 has figures. Press Ctrl+Shift+L to choose indicators to copy from last period as a draft.</translation>
    </message>
    <message>
        <source>Chọn các ô tô xanh cần xác nhận (Ctrl+A: cả biểu) rồi bấm Ctrl+Shift+K.</source>
        <translation>Select the blue cells to confirm (Ctrl+A: the whole form), then press Ctrl+Shift+K.</translation>
    </message>
    <message>
        <source>Nhập %1 ô</source>
        <translation>Enter %1 cells</translation>
    </message>
    <message>
        <source>Nhập ô %1</source>
        <translation>Enter cell %1</translation>
    </message>
    <message>
        <source>Chọn ô đầu tiên cần dán rồi bấm Ctrl+V.</source>
        <translation>Select the first cell to paste into, then press Ctrl+V.</translation>
    </message>
    <message>
        <source>Bộ nhớ tạm không có gì để dán.</source>
        <translation>The clipboard has nothing to paste.</translation>
    </message>
    <message>
        <source>Đã dán %1 ô.</source>
        <translation>Pasted %1 cell(s).</translation>
    </message>
    <message>
        <source>Bỏ qua %1 ô trống (ô trống không xoá số đã có).</source>
        <translation>Skipped %1 blank cell(s) (a blank cell does not erase a value).</translation>
    </message>
    <message>
        <source>%1 giá trị nằm ngoài bảng nên không dán.</source>
        <translation>%1 value(s) fall outside the table and were not pasted.</translation>
    </message>
    <message>
        <source>%1 ô không nhận:</source>
        <translation>%1 cell(s) not accepted:</translation>
    </message>
    <message>
        <source>Chọn một ô số liệu để ghi chú.</source>
        <translation>Select a data cell to comment on.</translation>
    </message>
    <message>
        <source>Chưa lưu được ghi chú: %1</source>
        <translation>The comment was not saved: %1</translation>
    </message>
    <message>
        <source>Chọn một ô số liệu để xem lịch sử.</source>
        <translation>Select a data cell to see its history.</translation>
    </message>
    <message>
        <source>Đã chốt lần nộp %1. Báo cáo nằm trong hộp thư đi và sẽ được gửi khi đồng bộ.</source>
        <translation>Submission %1 is finalized. The report is in the outbox and will be sent at the next sync.</translation>
    </message>
    <message>
        <source>Chọn một dòng dân tộc để bỏ.</source>
        <translation>Select an ethnic group row to remove.</translation>
    </message>
    <message>
        <source>Dòng %1 còn số liệu; xoá các số liệu của dòng trước khi bỏ dòng.</source>
        <translation>Row %1 still holds values; clear them before removing the row.</translation>
    </message>
    <message>
        <source>%1 lỗi</source>
        <translation>%1 error(s)</translation>
    </message>
    <message>
        <source>%1 cảnh báo</source>
        <translation>%1 warning(s)</translation>
    </message>
    <message>
        <source>Báo cáo đã chốt (lần nộp %1). Nếu sửa, một lần nộp mới sẽ được tạo.</source>
        <translation>The report is finalized (submission %1). Editing it makes a new submission.</translation>
    </message>
    <message>
        <source>Đã sửa sau lần nộp %1; bấm “Chốt báo cáo” để tạo lần nộp %2.</source>
        <translation>Edited after submission %1; press “Finalize report” to make submission %2.</translation>
    </message>
    <message>
        <source>Báo cáo đã được chấp nhận trước đó; lần nộp sửa sau đó đang chờ người duyệt xem lại.</source>
        <translation>The report had been accepted; the corrected revision sent since then awaits the reviewer&apos;s review.</translation>
    </message>
    <message>
        <source>Người duyệt đã trả lại báo cáo.</source>
        <translation>The reviewer returned the report.</translation>
    </message>
    <message>
        <source>Ý kiến: %1</source>
        <translation>Comment: %1</translation>
    </message>
    <message>
        <source>Báo cáo đã chốt và chưa sửa gì sau đó.</source>
        <translation>The report is finalized and unchanged since.</translation>
    </message>
    <message>
        <source>Kiểm tra và chốt báo cáo</source>
        <translation>Check and finalize the report</translation>
    </message>
</context>
<context>
    <name>GridLayout</name>
    <message>
        <source>Tổng</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Tổng số</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Giá trị</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Số lượng</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>Chưa có dân tộc nào. Bấm “Thêm dân tộc” (Ctrl+D) để thêm dòng.</source>
        <translation>No ethnic group yet. Press “Add ethnic group” (Ctrl+D) to add a row.</translation>
    </message>
    <message>
        <source>Chỉ tiêu này không có dòng cho các dân tộc đã thêm (danh mục loại trừ).</source>
        <translation>This indicator has no row for the ethnic groups added (the catalogue excludes them).</translation>
    </message>
</context>
<context>
    <name>GridModel</name>
    <message>
        <source>Chỉ tiêu</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>Kiểm tra</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Chưa nhập (bắt buộc)</source>
        <translation>Not entered yet (required)</translation>
    </message>
    <message>
        <source>%1 (và %2 vấn đề khác)</source>
        <translation>%1 (and %2 more problem(s))</translation>
    </message>
    <message>
        <source>Số lấy từ %1, chưa xác nhận: sửa số, hoặc xác nhận (Ctrl+Shift+K).</source>
        <translation>Copied from %1, not confirmed yet: change the figure, or confirm it (Ctrl+Shift+K).</translation>
    </message>
    <message>
        <source>Ghi chú: %1</source>
        <translation>Comment: %1</translation>
    </message>
    <message>
        <source>Tự tính, không nhập</source>
        <translation>Computed, not entered</translation>
    </message>
</context>
<context>
    <name>HelpWindow</name>
    <message>
        <source>Hướng dẫn sử dụng — DTTS Client</source>
        <translation>User guide — DTTS Client</translation>
    </message>
    <message>
        <source>◀ Quay lại</source>
        <translation>◀ Back</translation>
    </message>
    <message>
        <source>Tiếp ▶</source>
        <translation>Forward ▶</translation>
    </message>
    <message>
        <source>Mục lục</source>
        <translation>Contents</translation>
    </message>
    <message>
        <source>Tìm trong hướng dẫn…</source>
        <translation>Search the guide…</translation>
    </message>
    <message>
        <source>%1 trang có «%2»</source>
        <translation>Pages with “%2”: %1</translation>
    </message>
    <message>
        <source>Không trang nào có «%1»</source>
        <translation>No page has “%1”</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>Lịch sử giá trị</source>
        <translation>Value history</translation>
    </message>
    <message>
        <source>Các lần thay đổi ô %1, mới nhất ở trên:</source>
        <translation>Changes to cell %1, newest first:</translation>
    </message>
    <message>
        <source>Ô này chưa từng được nhập.</source>
        <translation>This cell has never been entered.</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Nhập tay</source>
        <translation>Typed</translation>
    </message>
    <message>
        <source>Nhập từ Excel</source>
        <translation>Imported from Excel</translation>
    </message>
    <message>
        <source>Từ máy chủ</source>
        <translation>From the server</translation>
    </message>
    <message>
        <source>Bản máy chủ</source>
        <translation>Server copy</translation>
    </message>
    <message>
        <source>Khôi phục từ bản sao lưu</source>
        <translation>Restored from a backup</translation>
    </message>
    <message>
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Người sửa</source>
        <translation>Changed by</translation>
    </message>
    <message>
        <source>Cũ → mới</source>
        <translation>Old → new</translation>
    </message>
    <message>
        <source>Cách nhập</source>
        <translation>How</translation>
    </message>
    <message>
        <source>(trống)</source>
        <translation>(blank)</translation>
    </message>
</context>
<context>
    <name>IndicatorPanel</name>
    <message>
        <source>Số nguyên</source>
        <translation>Whole number</translation>
    </message>
    <message>
        <source>Số thập phân</source>
        <translation>Decimal number</translation>
    </message>
    <message>
        <source>Phần trăm</source>
        <translation>Percent</translation>
    </message>
    <message>
        <source>Có/Không</source>
        <translation>Yes/No</translation>
    </message>
    <message>
        <source>Chữ</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Ghi chú… (Shift+F2)</source>
        <translation>Comment… (Shift+F2)</translation>
    </message>
    <message>
        <source>Lịch sử… (Ctrl+H)</source>
        <translation>History… (Ctrl+H)</translation>
    </message>
    <message>
        <source>Chọn một ô để xem giải thích chỉ tiêu.</source>
        <translation>Select a cell to see the indicator explained.</translation>
    </message>
    <message>
        <source>Đơn vị tính</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>Kiểu số liệu</source>
        <translation>Value type</translation>
    </message>
    <message>
        <source>Giới hạn</source>
        <translation>Limits</translation>
    </message>
    <message>
        <source>Bắt buộc</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>Có</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>Không</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Khái niệm</source>
        <translation>Definition</translation>
    </message>
    <message>
        <source>Phương pháp tính</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>Nguồn số liệu</source>
        <translation>Data source</translation>
    </message>
    <message>
        <source>Số liệu điều tra</source>
        <translation>Survey figure</translation>
    </message>
    <message>
        <source>từ %1 đến %2</source>
        <translation>from %1 to %2</translation>
    </message>
    <message>
        <source>không nhỏ hơn %1</source>
        <translation>at least %1</translation>
    </message>
    <message>
        <source>không lớn hơn %1</source>
        <translation>at most %1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Đăng nhập</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Phiên đăng nhập đã hết hạn. Hãy nhập mật khẩu để tiếp tục đồng bộ.</source>
        <translation>Your sign-in has expired. Enter your password to keep syncing.</translation>
    </message>
    <message>
        <source>Máy này chưa đăng nhập. Hãy nhập tên đăng nhập và mật khẩu do cán bộ tỉnh cấp.</source>
        <translation>This computer is not signed in. Enter the username and password the province gave you.</translation>
    </message>
    <message>
        <source>Máy chủ:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Địa chỉ máy chủ:</source>
        <translation>Server address:</translation>
    </message>
    <message>
        <source>Tên đăng nhập:</source>
        <translation>Username:</translation>
    </message>
    <message>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Để sau</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>Hãy nhập đủ địa chỉ máy chủ, tên đăng nhập và mật khẩu.</source>
        <translation>Please enter the server address, username and password.</translation>
    </message>
    <message>
        <source>Đang đăng nhập…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>Bấm «Để sau» để tiếp tục làm việc không cần mạng.</source>
        <translation>Press “Later” to go on working without the network.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>DTTS — Báo cáo chỉ tiêu thống kê công tác dân tộc</source>
        <translation>DTTS — Statistical indicators of ethnic-minority affairs</translation>
    </message>
    <message>
        <source>Kỳ báo cáo:</source>
        <translation>Reporting period:</translation>
    </message>
    <message>
        <source>Đồng bộ</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>Gửi các báo cáo đã chốt, nhận phản hồi và danh mục mới. Bấm lại lúc nào cũng an toàn.</source>
        <translation>Send the finalized reports, receive feedback and catalogue updates. It is always safe to press it again.</translation>
    </message>
    <message>
        <source>Nháy đúp vào một biểu (hoặc chọn rồi bấm Enter) để nhập số liệu.</source>
        <translation>Double-click a form (or select it and press Enter) to enter data.</translation>
    </message>
    <message>
        <source>Các biểu của kỳ</source>
        <translation>Forms of the period</translation>
    </message>
    <message>
        <source>Chưa mở biểu nào. Hãy chọn một biểu trong danh sách các biểu của kỳ.</source>
        <translation>No form is open. Choose one in the list of the forms of the period.</translation>
    </message>
    <message>
        <source>Nhập số liệu</source>
        <translation>Data entry</translation>
    </message>
    <message>
        <source>&amp;Tệp</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>Đổi hồ sơ…</source>
        <translation>Switch profile…</translation>
    </message>
    <message>
        <source>Đăng xuất</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>Cài đặt…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Trợ &amp;giúp</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>Giới thiệu…</source>
        <translation>About…</translation>
    </message>
    <message>
        <source>Chưa có danh mục chỉ tiêu — hãy đồng bộ.</source>
        <translation>No indicator catalogue yet — please sync.</translation>
    </message>
    <message>
        <source>Đã gửi đủ các biểu của kỳ này.</source>
        <translation>Every form of this period has been sent.</translation>
    </message>
    <message>
        <source>Hạn nộp %1: hôm nay</source>
        <translation>Deadline %1: today</translation>
    </message>
    <message>
        <source>● Có kết nối (%1)</source>
        <translation>● Connected (%1)</translation>
    </message>
    <message>
        <source>Lần liên lạc gần nhất với máy chủ thành công.</source>
        <translation>The last contact with the server succeeded.</translation>
    </message>
    <message>
        <source>○ Không kết nối được (%1)</source>
        <translation>○ Could not connect (%1)</translation>
    </message>
    <message>
        <source>Lần liên lạc gần nhất với máy chủ không thành công. Dữ liệu vẫn an toàn trên máy.</source>
        <translation>The last contact with the server failed. The data is safe on this computer.</translation>
    </message>
    <message>
        <source>Hạn nộp %1: còn %2 ngày</source>
        <translation>Deadline %1: %2 day(s) left</translation>
    </message>
    <message>
        <source>Đăng nhập…</source>
        <translation>Sign in…</translation>
    </message>
    <message>
        <source>Hướng dẫn sử dụng</source>
        <translation>User guide</translation>
    </message>
    <message>
        <source>Các biểu đến hạn nộp</source>
        <translation>Forms due now</translation>
    </message>
    <message>
        <source>Mỗi biểu với kỳ vừa kết thúc của nó (tháng, quý, 6 tháng, năm)</source>
        <translation>Each form with its period that has just ended (month, quarter, half-year, year)</translation>
    </message>
    <message>
        <source>Đã quá hạn nộp %1 được %2 ngày (vẫn gửi được, ghi nhận là nộp muộn)</source>
        <translation>The deadline %1 passed %2 day(s) ago (you can still send; it is recorded as late)</translation>
    </message>
    <message>
        <source>chưa gắn xã</source>
        <translation>no commune yet</translation>
    </message>
    <message>
        <source>Máy chủ: %1</source>
        <translation>Server: %1</translation>
    </message>
    <message>
        <source>Chưa kết nối máy chủ</source>
        <translation>No server yet</translation>
    </message>
    <message>
        <source>Cán bộ: %1</source>
        <translation>Officer: %1</translation>
    </message>
    <message>
        <source>Danh mục: %1 (phiên bản %2)</source>
        <translation>Catalogue: %1 (version %2)</translation>
    </message>
    <message>
        <source>MẪU</source>
        <translation>SAMPLE</translation>
    </message>
    <message>
        <source>Chờ gửi: %1</source>
        <translation>Waiting to send: %1</translation>
    </message>
    <message>
        <source>Cần xử lý: %1</source>
        <translation>Needs attention: %1</translation>
    </message>
    <message>
        <source>Đồng bộ gần nhất: %1</source>
        <translation>Last sync: %1</translation>
    </message>
    <message>
        <source>Lần đồng bộ gần nhất chưa xong: %1</source>
        <translation>The last sync did not finish: %1</translation>
    </message>
    <message>
        <source>Chưa đồng bộ lần nào</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <source>Kết nối: chưa rõ</source>
        <translation>Connection: unknown</translation>
    </message>
    <message>
        <source>(%1 lỗi, %2 cảnh báo)</source>
        <translation>(%1 errors, %2 warnings)</translation>
    </message>
    <message>
        <source>Hồ sơ này chưa kết nối máy chủ. Hãy đăng nhập trong phần Cài đặt ban đầu.</source>
        <translation>This profile has no server yet. Sign in through the first-run setup.</translation>
    </message>
    <message>
        <source>Đang đồng bộ…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>Đồng bộ dừng vì một lỗi ngoài dự kiến.</source>
        <translation>The sync stopped because of an unexpected error.</translation>
    </message>
    <message>
        <source>Xuất bản nộp ra tệp</source>
        <translation>Export the submission to a file</translation>
    </message>
    <message>
        <source>Đã lưu %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>Bỏ bản nộp</source>
        <translation>Discard submission</translation>
    </message>
    <message>
        <source>Bỏ bản nộp này? Số liệu vẫn còn trong báo cáo (thành bản nháp) để sửa rồi chốt lại.</source>
        <translation>Discard this submission? The values stay in the report (as a draft) so you can fix them and finalize again.</translation>
    </message>
    <message>
        <source>đổi máy chủ</source>
        <translation>change the server</translation>
    </message>
    <message>
        <source>Chưa thể %1: còn %2 báo cáo chưa gửi lên máy chủ. Hãy bấm «Đồng bộ» để gửi, hoặc xuất gói chuyển tay (USB) hay bản sao lưu trước, rồi thử lại.</source>
        <translation>Cannot %1 yet: %2 report(s) have not reached the server. Press “Sync” to send them, or export a courier bundle (USB) or a backup first, then try again.</translation>
    </message>
    <message>
        <source>đổi hồ sơ</source>
        <translation>switch profile</translation>
    </message>
    <message>
        <source>đăng xuất</source>
        <translation>sign out</translation>
    </message>
    <message>
        <source>mã nhận diện %1</source>
        <translation>fingerprint %1</translation>
    </message>
    <message>
        <source>DTTS</source>
        <translation>DTTS</translation>
    </message>
    <message>
        <source>Hồ sơ này đang mở ở cửa sổ này — phần mềm không mở thêm cửa sổ thứ hai.</source>
        <translation>This profile is open in this window — the program does not open a second window for it.</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <source>Chờ gửi</source>
        <translation>Waiting to send</translation>
    </message>
    <message>
        <source>Đang gửi</source>
        <translation>Sending</translation>
    </message>
    <message>
        <source>Đã nhận ✓</source>
        <translation>Received ✓</translation>
    </message>
    <message>
        <source>Cần xử lý</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>Xung đột</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>Nộp muộn</source>
        <translation>Late</translation>
    </message>
    <message>
        <source>Đã thay bằng bản mới</source>
        <translation>Replaced by a newer revision</translation>
    </message>
    <message>
        <source>Đã bỏ</source>
        <translation>Discarded</translation>
    </message>
    <message>
        <source>Biểu</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Kỳ</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Lần</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>Kết quả</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Số biên nhận</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <source>Lý do / ghi chú</source>
        <translation>Reason / note</translation>
    </message>
</context>
<context>
    <name>ProblemsModel</name>
    <message>
        <source>Ở đâu</source>
        <translation>Where</translation>
    </message>
    <message>
        <source>Nội dung</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Lỗi</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Cảnh báo</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>Chưa nhập</source>
        <translation>Not entered</translation>
    </message>
</context>
<context>
    <name>ProblemsPanel</name>
    <message>
        <source>Không có lỗi hay cảnh báo nào.</source>
        <translation>No errors or warnings.</translation>
    </message>
    <message>
        <source>Cần xem: %1 lỗi, %2 cảnh báo</source>
        <translation>To look at: %1 error(s), %2 warning(s)</translation>
    </message>
    <message>
        <source>Còn %1 chỉ tiêu bắt buộc chưa nhập.</source>
        <translation>%1 required indicator(s) not entered yet.</translation>
    </message>
</context>
<context>
    <name>ProfilePicker</name>
    <message>
        <source>Chọn hồ sơ</source>
        <translation>Choose a profile</translation>
    </message>
    <message>
        <source>Máy này có nhiều hồ sơ (mỗi cán bộ một hồ sơ). Hãy chọn hồ sơ của mình rồi bấm «Mở».</source>
        <translation>This computer has several profiles (one per officer). Choose yours and press “Open”.</translation>
    </message>
    <message>
        <source>(%1 báo cáo chưa gửi)</source>
        <translation>(%1 report(s) not sent)</translation>
    </message>
    <message>
        <source>Mở</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Hồ sơ mới…</source>
        <translation>New profile…</translation>
    </message>
    <message>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Hồ sơ mới</source>
        <translation>New profile</translation>
    </message>
    <message>
        <source>Tên hồ sơ (ví dụ: tên cán bộ):</source>
        <translation>Profile name (e.g. the officer&apos;s name):</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <source>Đang tải danh mục và số liệu</source>
        <translation>Downloading the catalogue and the data</translation>
    </message>
    <message>
        <source>Thử lại</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>Đang đăng nhập và tải danh mục chỉ tiêu, số liệu các kỳ trước…</source>
        <translation>Signing in and downloading the indicator catalogue and earlier reports…</translation>
    </message>
    <message>
        <source>Đang đọc gói cài đặt…</source>
        <translation>Reading the setup package…</translation>
    </message>
    <message>
        <source>Đã đăng nhập, nhưng chưa tải xong: %1 Bấm «Đồng bộ» trong cửa sổ chính để tải tiếp.</source>
        <translation>Signed in, but the download did not finish: %1 Press “Sync” in the main window to finish it.</translation>
    </message>
    <message>
        <source>Xong.</source>
        <translation>Done.</translation>
    </message>
    <message>
        <source>Có lỗi ngoài dự kiến.</source>
        <translation>An unexpected error occurred.</translation>
    </message>
    <message>
        <source>Sai tên đăng nhập hoặc mật khẩu</source>
        <translation>Wrong username or password</translation>
    </message>
    <message>
        <source>Một trang đăng nhập Wi-Fi đang chặn kết nối</source>
        <translation>A Wi-Fi login page is in the way</translation>
    </message>
    <message>
        <source>Máy chủ này không phải máy chủ của tỉnh</source>
        <translation>This is not the province&apos;s server</translation>
    </message>
    <message>
        <source>Không kết nối được với máy chủ</source>
        <translation>Cannot connect to the server</translation>
    </message>
    <message>
        <source>Đã thử quá nhiều lần</source>
        <translation>Too many attempts</translation>
    </message>
    <message>
        <source>Phần mềm cần được cập nhật</source>
        <translation>The program needs an update</translation>
    </message>
    <message>
        <source>Không dùng được gói cài đặt này</source>
        <translation>This setup package cannot be used</translation>
    </message>
    <message>
        <source>Máy chủ đang gặp sự cố</source>
        <translation>The server has a problem</translation>
    </message>
    <message>
        <source>Chưa hoàn tất được</source>
        <translation>Could not finish</translation>
    </message>
    <message>
        <source>Bấm «Quay lại» để nhập lại.</source>
        <translation>Press “Back” to enter them again.</translation>
    </message>
    <message>
        <source>Nếu chưa có mạng, có thể bấm «Quay lại» và dùng gói cài đặt trên USB.</source>
        <translation>Without a network, press “Back” and use the setup package on USB.</translation>
    </message>
</context>
<context>
    <name>ReviseConfirm</name>
    <message>
        <source>Sửa báo cáo đã chốt</source>
        <translation>Edit a finalized report</translation>
    </message>
    <message>
        <source>Báo cáo này đã chốt (lần nộp %1). Nếu sửa, khi chốt lại sẽ tạo lần nộp %2 thay cho lần nộp cũ.</source>
        <translation>This report is finalized (revision %1). If you edit it, finalizing again makes revision %2, which replaces the old one.</translation>
    </message>
    <message>
        <source>Bạn có muốn sửa không?</source>
        <translation>Do you want to edit it?</translation>
    </message>
    <message>
        <source>Sửa báo cáo</source>
        <translation>Edit the report</translation>
    </message>
    <message>
        <source>Không sửa</source>
        <translation>Don&apos;t edit</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Ngôn ngữ giao diện</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <source>Tiếng Việt</source>
        <translation>Tiếng Việt</translation>
    </message>
    <message>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <source>Địa chỉ máy chủ</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>Tệp chứng chỉ (CA) của tỉnh</source>
        <translation>Province&apos;s CA certificate file</translation>
    </message>
    <message>
        <source>Thư mục sao lưu tự động</source>
        <translation>Automatic backup folder</translation>
    </message>
    <message>
        <source>Tự động thử đồng bộ khi có kết nối mạng</source>
        <translation>Try quietly to sync when a connection appears</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Cài đặt</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Đổi ngôn ngữ: cửa sổ chính được dựng lại ngay bằng ngôn ngữ mới (không cần khởi động lại; số liệu đã nhập đều đã được lưu).</source>
        <translation>Changing the language rebuilds the main window in the new language at once (no restart needed; everything entered is already saved).</translation>
    </message>
    <message>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Cài đặt ban đầu — DTTS Client</source>
        <translation>First-run setup — DTTS Client</translation>
    </message>
    <message>
        <source>&lt; Quay lại</source>
        <translation>&lt; Back</translation>
    </message>
    <message>
        <source>Tiếp theo &gt;</source>
        <translation>Next &gt;</translation>
    </message>
    <message>
        <source>Hoàn tất</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SyncView</name>
    <message>
        <source>Bấm «Đồng bộ» để gửi các báo cáo đã chốt và nhận phản hồi của tỉnh.</source>
        <translation>Press “Sync” to send the finalized reports and receive the province&apos;s feedback.</translation>
    </message>
    <message>
        <source>Dừng</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Xuất gói chuyển tay…</source>
        <translation>Export a courier bundle…</translation>
    </message>
    <message>
        <source>Ghi các báo cáo chưa gửi ra một tệp (USB) để gửi từ nơi có mạng.</source>
        <translation>Write the unsent reports to a file (USB) to send from a place with a network.</translation>
    </message>
    <message>
        <source>Kết quả lần đồng bộ này</source>
        <translation>Results of this sync</translation>
    </message>
    <message>
        <source>Sửa báo cáo</source>
        <translation>Edit report</translation>
    </message>
    <message>
        <source>Xuất ra tệp…</source>
        <translation>Export to file…</translation>
    </message>
    <message>
        <source>Bỏ bản nộp này</source>
        <translation>Discard this submission</translation>
    </message>
    <message>
        <source>Cần xử lý — máy chủ chưa nhận các bản này (các báo cáo khác vẫn được gửi)</source>
        <translation>Needs attention — the server did not take these (the other reports were still sent)</translation>
    </message>
    <message>
        <source>Xem hai bản…</source>
        <translation>Compare both versions…</translation>
    </message>
    <message>
        <source>Xung đột — máy chủ giữ cả hai bản, cần chọn</source>
        <translation>Conflicts — the server kept both versions; choose one</translation>
    </message>
    <message>
        <source>Bị trả lại — ý kiến của người duyệt</source>
        <translation>Returned — the reviewer&apos;s comments</translation>
    </message>
    <message>
        <source>Đang đồng bộ… Có thể tiếp tục nhập số liệu trong lúc chờ.</source>
        <translation>Syncing… You can keep entering data meanwhile.</translation>
    </message>
    <message>
        <source>Đang dừng… (những gì đã gửi xong được giữ)</source>
        <translation>Stopping… (whatever was sent is kept)</translation>
    </message>
    <message>
        <source>%1 · kỳ %2 — Ý kiến%3: %4</source>
        <translation>%1 · period %2 — Comment%3: %4</translation>
    </message>
</context>
<context>
    <name>UsbActions</name>
    <message>
        <source>&amp;USB</source>
        <translation>&amp;USB</translation>
    </message>
    <message>
        <source>Xuất gói chuyển tay (báo cáo chưa gửi)…</source>
        <translation>Export a courier bundle (unsent reports)…</translation>
    </message>
    <message>
        <source>Sao lưu ra USB…</source>
        <translation>Back up to USB…</translation>
    </message>
    <message>
        <source>Kiểm tra một bản sao lưu…</source>
        <translation>Check a backup…</translation>
    </message>
    <message>
        <source>Khôi phục từ bản sao lưu…</source>
        <translation>Restore from a backup…</translation>
    </message>
    <message>
        <source>Xuất báo cáo đang mở ra Excel…</source>
        <translation>Export the open report to Excel…</translation>
    </message>
    <message>
        <source>Xuất báo cáo đang mở ra PDF (để in)…</source>
        <translation>Export the open report to PDF (for printing)…</translation>
    </message>
    <message>
        <source>Nhập số liệu từ Excel vào báo cáo đang mở…</source>
        <translation>Import values from Excel into the open report…</translation>
    </message>
    <message>
        <source>Hãy mở một biểu (nháy đúp trong danh sách các biểu) trước.</source>
        <translation>Open a form first (double-click it in the list of forms).</translation>
    </message>
    <message>
        <source>Chọn ổ USB hoặc thư mục để lưu gói chuyển tay</source>
        <translation>Choose the USB drive or folder for the courier bundle</translation>
    </message>
    <message>
        <source>Đã ghi gói chuyển tay: %1. Mang tệp này tới nơi có mạng để gửi lên máy chủ.</source>
        <translation>Courier bundle written: %1. Take this file to a place with a network connection to send it to the server.</translation>
    </message>
    <message>
        <source>Lưu ý: ổ đĩa chứa dữ liệu DTTS đã đầy nên máy này chưa ghi nhận được thời điểm xuất; tệp trên vẫn tốt. Hãy xoá bớt tệp trên ổ đĩa đó.</source>
        <translation>Note: the disk holding the DTTS data is full, so this computer could not note when the file was written; the file itself is good. Free some space on that disk.</translation>
    </message>
    <message>
        <source>Vẫn gộp bản sao lưu này vào hồ sơ đang mở? Dữ liệu mới hơn trên máy được giữ nguyên.</source>
        <translation>Merge this backup into the open profile anyway? Newer data on this computer is kept.</translation>
    </message>
    <message>
        <source>Bản sao lưu của xã khác</source>
        <translation>A backup of another commune</translation>
    </message>
    <message>
        <source>Vẫn khôi phục</source>
        <translation>Restore anyway</translation>
    </message>
    <message>
        <source>Không khôi phục</source>
        <translation>Do not restore</translation>
    </message>
    <message>
        <source>Excel (*.xlsx)</source>
        <translation>Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Lưu báo cáo</source>
        <translation>Save the report</translation>
    </message>
    <message>
        <source>Đã lưu %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>Chọn tệp Excel</source>
        <translation>Choose an Excel file</translation>
    </message>
    <message>
        <source>biểu %1, kỳ %2, %3</source>
        <translation>form %1, period %2, %3</translation>
    </message>
    <message>
        <source>Tệp Excel của báo cáo khác</source>
        <translation>An Excel file of another report</translation>
    </message>
    <message>
        <source>Nhập vào biểu %1</source>
        <translation>Import into form %1</translation>
    </message>
    <message>
        <source>Không nhập</source>
        <translation>Do not import</translation>
    </message>
    <message>
        <source>Báo cáo %1 đã chốt và đã gửi lên máy chủ. Nhập tệp này sẽ thay đổi %2 ô dưới đây; báo cáo trở lại thành bản nháp, cần chốt và gửi lại. Chọn “Không nhập” thì không có gì thay đổi.</source>
        <translation>The report %1 is finalized and already sent to the hub. Importing this file changes the %2 cell(s) below; the report becomes a draft again and must be finalized and sent again. Choose “Do not import” and nothing changes.</translation>
    </message>
    <message>
        <source>Báo cáo %1 đã chốt. Nhập tệp này sẽ thay đổi %2 ô dưới đây; báo cáo trở lại thành bản nháp, cần chốt lại. Chọn “Không nhập” thì không có gì thay đổi.</source>
        <translation>The report %1 is finalized. Importing this file changes the %2 cell(s) below; the report becomes a draft again and must be finalized again. Choose “Do not import” and nothing changes.</translation>
    </message>
    <message>
        <source>Đã nhập số liệu từ Excel. Báo cáo trở lại thành bản nháp: hãy chốt và gửi lại.</source>
        <translation>Values imported from Excel. The report is a draft again: finalize it and send it again.</translation>
    </message>
    <message>
        <source>Đã nhập số liệu từ Excel.</source>
        <translation>Values imported from Excel.</translation>
    </message>
    <message>
        <source>Chọn ổ USB hoặc thư mục để lưu bản sao</source>
        <translation>Choose the USB drive or folder for the backup</translation>
    </message>
    <message>
        <source>Đang sao lưu…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <source>Đã sao lưu và kiểm tra lại: %1. Có thể rút USB.</source>
        <translation>Backed up and checked: %1. You can remove the USB stick.</translation>
    </message>
    <message>
        <source>Chọn bản sao lưu</source>
        <translation>Choose a backup</translation>
    </message>
    <message>
        <source>Bản sao lưu DTTS (*.dttsbak)</source>
        <translation>DTTS backup (*.dttsbak)</translation>
    </message>
    <message>
        <source>Dữ liệu mới hơn trên máy được giữ nguyên.</source>
        <translation>Newer data on this computer is kept.</translation>
    </message>
    <message>
        <source>Tệp “%1” là số liệu của %2.

Báo cáo đang mở là %3.

Nhập số liệu của tệp vào báo cáo đang mở?</source>
        <translation>The file “%1” holds the values of %2.

The open report is %3.

Import the file&apos;s values into the open report?</translation>
    </message>
    <message>
        <source>Bản sao lưu còn nguyên vẹn (tạo lúc %1, %2 báo cáo).</source>
        <translation>The backup is intact (made %1, %2 report(s)).</translation>
    </message>
</context>
<context>
    <name>_PathField</name>
    <message>
        <source>Chọn…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Chọn thư mục</source>
        <translation>Choose a folder</translation>
    </message>
    <message>
        <source>Chọn tệp chứng chỉ</source>
        <translation>Choose the certificate file</translation>
    </message>
    <message>
        <source>Chứng chỉ (*.pem *.crt *.cer)</source>
        <translation>Certificates (*.pem *.crt *.cer)</translation>
    </message>
</context>
</TS>
