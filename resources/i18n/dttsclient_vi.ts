<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="vi_VN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>Giới thiệu DTTS Client</source>
        <translation>Giới thiệu DTTS Client</translation>
    </message>
    <message>
        <source>Phiên bản phần mềm</source>
        <translation>Phiên bản phần mềm</translation>
    </message>
    <message>
        <source>Danh mục chỉ tiêu</source>
        <translation>Danh mục chỉ tiêu</translation>
    </message>
    <message>
        <source>Căn cứ pháp lý</source>
        <translation>Căn cứ pháp lý</translation>
    </message>
    <message>
        <source>Hiệu lực từ</source>
        <translation>Hiệu lực từ</translation>
    </message>
    <message>
        <source>Máy chủ</source>
        <translation>Máy chủ</translation>
    </message>
    <message>
        <source>Thư mục dữ liệu</source>
        <translation>Thư mục dữ liệu</translation>
    </message>
    <message>
        <source>Nền tảng</source>
        <translation>Nền tảng</translation>
    </message>
    <message>
        <source>Phần mềm báo cáo chỉ tiêu thống kê công tác dân tộc cấp xã</source>
        <translation>Phần mềm báo cáo chỉ tiêu thống kê công tác dân tộc cấp xã</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>chưa có</source>
        <translation>chưa có</translation>
    </message>
    <message>
        <source>%1 — phiên bản %2</source>
        <translation>%1 — phiên bản %2</translation>
    </message>
    <message>
        <source>MẪU (chỉ để thử)</source>
        <translation>MẪU (chỉ để thử)</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>Hồ sơ «%1» đang mở trong một cửa sổ DTTS khác — cửa sổ đó đã được đưa lên trước. Hãy làm việc tiếp trong cửa sổ đó.</source>
        <translation>Hồ sơ «%1» đang mở trong một cửa sổ DTTS khác — cửa sổ đó đã được đưa lên trước. Hãy làm việc tiếp trong cửa sổ đó.</translation>
    </message>
    <message>
        <source>Hồ sơ «%1» có vẻ đang mở trong một cửa sổ DTTS khác, nhưng cửa sổ đó không trả lời.</source>
        <translation>Hồ sơ «%1» có vẻ đang mở trong một cửa sổ DTTS khác, nhưng cửa sổ đó không trả lời.</translation>
    </message>
    <message>
        <source>Nếu chắc chắn không còn cửa sổ DTTS nào đang mở hồ sơ này (ví dụ máy vừa bị tắt đột ngột), bấm «Vẫn mở». Nếu không, bấm «Không mở» rồi tìm cửa sổ đó trên thanh tác vụ.</source>
        <translation>Nếu chắc chắn không còn cửa sổ DTTS nào đang mở hồ sơ này (ví dụ máy vừa bị tắt đột ngột), bấm «Vẫn mở». Nếu không, bấm «Không mở» rồi tìm cửa sổ đó trên thanh tác vụ.</translation>
    </message>
    <message>
        <source>Vẫn mở</source>
        <translation>Vẫn mở</translation>
    </message>
    <message>
        <source>Không mở</source>
        <translation>Không mở</translation>
    </message>
</context>
<context>
    <name>Badges</name>
    <message>
        <source>Chưa nhập</source>
        <translation>Chưa nhập</translation>
    </message>
    <message>
        <source>Nháp</source>
        <translation>Nháp</translation>
    </message>
    <message>
        <source>Chờ gửi</source>
        <translation>Chờ gửi</translation>
    </message>
    <message>
        <source>Đang gửi</source>
        <translation>Đang gửi</translation>
    </message>
    <message>
        <source>Đã gửi ✓</source>
        <translation>Đã gửi ✓</translation>
    </message>
    <message>
        <source>Cần xử lý</source>
        <translation>Cần xử lý</translation>
    </message>
    <message>
        <source>Xung đột</source>
        <translation>Xung đột</translation>
    </message>
    <message>
        <source>Nộp muộn</source>
        <translation>Nộp muộn</translation>
    </message>
    <message>
        <source>Bị trả lại</source>
        <translation>Bị trả lại</translation>
    </message>
    <message>
        <source>Đã sửa sau khi chấp nhận</source>
        <translation>Đã sửa sau khi chấp nhận</translation>
    </message>
</context>
<context>
    <name>CarryDialog</name>
    <message>
        <source>Lấy số kỳ trước</source>
        <translation>Lấy số kỳ trước</translation>
    </message>
    <message>
        <source>Chọn các chỉ tiêu ít thay đổi (trường học, đường, cán bộ…) để lấy số của %1 làm bản nháp. Chỉ ô còn trống được điền; mỗi ô lấy sang được đánh dấu cho đến khi anh/chị xác nhận hoặc sửa số. Có thể hoàn tác (Ctrl+Z).</source>
        <translation>Chọn các chỉ tiêu ít thay đổi (trường học, đường, cán bộ…) để lấy số của %1 làm bản nháp. Chỉ ô còn trống được điền; mỗi ô lấy sang được đánh dấu cho đến khi anh/chị xác nhận hoặc sửa số. Có thể hoàn tác (Ctrl+Z).</translation>
    </message>
    <message>
        <source>(%1 ô)</source>
        <translation>(%1 ô)</translation>
    </message>
    <message>
        <source>Lấy số</source>
        <translation>Lấy số</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <source>Chọn tất cả</source>
        <translation>Chọn tất cả</translation>
    </message>
</context>
<context>
    <name>ChangesDialog</name>
    <message>
        <source>Nhập vào báo cáo đã chốt</source>
        <translation>Nhập vào báo cáo đã chốt</translation>
    </message>
    <message>
        <source>(trống)</source>
        <translation>(trống)</translation>
    </message>
    <message>
        <source>Chỉ tiêu</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <source>Phân tổ</source>
        <translation>Phân tổ</translation>
    </message>
    <message>
        <source>Giá trị cũ</source>
        <translation>Giá trị cũ</translation>
    </message>
    <message>
        <source>Giá trị mới</source>
        <translation>Giá trị mới</translation>
    </message>
    <message>
        <source>Nhập và đưa về bản nháp</source>
        <translation>Nhập và đưa về bản nháp</translation>
    </message>
    <message>
        <source>Không nhập</source>
        <translation>Không nhập</translation>
    </message>
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <source>Ghi chú cho ô</source>
        <translation>Ghi chú cho ô</translation>
    </message>
    <message>
        <source>Ghi chú cho ô %1 (gửi kèm báo cáo):</source>
        <translation>Ghi chú cho ô %1 (gửi kèm báo cáo):</translation>
    </message>
    <message>
        <source>Lưu ghi chú</source>
        <translation>Lưu ghi chú</translation>
    </message>
    <message>
        <source>Xoá ghi chú</source>
        <translation>Xoá ghi chú</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Huỷ</translation>
    </message>
</context>
<context>
    <name>Completeness</name>
    <message>
        <source>Đã nhập %1/%2 chỉ tiêu</source>
        <translation>Đã nhập %1/%2 chỉ tiêu</translation>
    </message>
    <message>
        <source>còn %1 chỉ tiêu bắt buộc chưa nhập</source>
        <translation>còn %1 chỉ tiêu bắt buộc chưa nhập</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Hai bản khác nhau: %1</source>
        <translation>Hai bản khác nhau: %1</translation>
    </message>
    <message>
        <source>Báo cáo này trên máy chủ (lần %1) khác với bản trên máy này ở %2 ô (tô màu). Không có bản nào bị ghi đè: hãy xem rồi chọn giữ bản nào. Nếu chưa chắc, bấm «Để sau» và hỏi cán bộ tỉnh.</source>
        <translation>Báo cáo này trên máy chủ (lần %1) khác với bản trên máy này ở %2 ô (tô màu). Không có bản nào bị ghi đè: hãy xem rồi chọn giữ bản nào. Nếu chưa chắc, bấm «Để sau» và hỏi cán bộ tỉnh.</translation>
    </message>
    <message>
        <source>Giữ bản trên máy này</source>
        <translation>Giữ bản trên máy này</translation>
    </message>
    <message>
        <source>Dùng bản trên máy chủ</source>
        <translation>Dùng bản trên máy chủ</translation>
    </message>
    <message>
        <source>Để sau</source>
        <translation>Để sau</translation>
    </message>
</context>
<context>
    <name>ConflictModel</name>
    <message>
        <source>Chỉ tiêu</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <source>Phân tổ</source>
        <translation>Phân tổ</translation>
    </message>
    <message>
        <source>Bản trên máy này</source>
        <translation>Bản trên máy này</translation>
    </message>
    <message>
        <source>Bản trên máy chủ</source>
        <translation>Bản trên máy chủ</translation>
    </message>
</context>
<context>
    <name>ConnectPage</name>
    <message>
        <source>Kết nối với máy chủ của tỉnh</source>
        <translation>Kết nối với máy chủ của tỉnh</translation>
    </message>
    <message>
        <source>Nhập địa chỉ máy chủ và tài khoản do cán bộ tỉnh cấp.</source>
        <translation>Nhập địa chỉ máy chủ và tài khoản do cán bộ tỉnh cấp.</translation>
    </message>
    <message>
        <source>Đăng nhập qua mạng</source>
        <translation>Đăng nhập qua mạng</translation>
    </message>
    <message>
        <source>Tôi có gói cài đặt (tệp .dttssetup trên USB) — dùng khi chưa có mạng</source>
        <translation>Tôi có gói cài đặt (tệp .dttssetup trên USB) — dùng khi chưa có mạng</translation>
    </message>
    <message>
        <source>Địa chỉ máy chủ:</source>
        <translation>Địa chỉ máy chủ:</translation>
    </message>
    <message>
        <source>Tên đăng nhập:</source>
        <translation>Tên đăng nhập:</translation>
    </message>
    <message>
        <source>Mật khẩu:</source>
        <translation>Mật khẩu:</translation>
    </message>
    <message>
        <source>Chọn tệp…</source>
        <translation>Chọn tệp…</translation>
    </message>
    <message>
        <source>Lưu ý: %1</source>
        <translation>Lưu ý: %1</translation>
    </message>
    <message>
        <source>Chọn gói cài đặt</source>
        <translation>Chọn gói cài đặt</translation>
    </message>
    <message>
        <source>Gói cài đặt (*.dttssetup);;Mọi tệp (*)</source>
        <translation>Gói cài đặt (*.dttssetup);;Mọi tệp (*)</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Sẵn sàng</source>
        <translation>Sẵn sàng</translation>
    </message>
    <message>
        <source>Máy này đã được cài đặt cho %1. Bấm «Hoàn tất» để bắt đầu nhập số liệu.</source>
        <translation>Máy này đã được cài đặt cho %1. Bấm «Hoàn tất» để bắt đầu nhập số liệu.</translation>
    </message>
    <message>
        <source>Đã nhận về %1 báo cáo của các kỳ trước.</source>
        <translation>Đã nhận về %1 báo cáo của các kỳ trước.</translation>
    </message>
    <message>
        <source>Mã nhận diện máy chủ: %1.</source>
        <translation>Mã nhận diện máy chủ: %1.</translation>
    </message>
    <message>
        <source>Máy chủ có trong danh sách máy chủ của tỉnh được cài trên máy.</source>
        <translation>Máy chủ có trong danh sách máy chủ của tỉnh được cài trên máy.</translation>
    </message>
    <message>
        <source>Nếu chưa chắc gói này do tỉnh gửi, hãy gọi cán bộ tỉnh để đối chiếu mã này.</source>
        <translation>Nếu chưa chắc gói này do tỉnh gửi, hãy gọi cán bộ tỉnh để đối chiếu mã này.</translation>
    </message>
    <message>
        <source>Máy này không có kho mật khẩu an toàn, nên phiên đăng nhập không được lưu: mỗi lần mở phần mềm sẽ được hỏi lại mật khẩu trước khi đồng bộ.</source>
        <translation>Máy này không có kho mật khẩu an toàn, nên phiên đăng nhập không được lưu: mỗi lần mở phần mềm sẽ được hỏi lại mật khẩu trước khi đồng bộ.</translation>
    </message>
</context>
<context>
    <name>EarlierPeriods</name>
    <message>
        <source>Các kỳ trước</source>
        <translation>Các kỳ trước</translation>
    </message>
    <message>
        <source>nay %1</source>
        <translation>nay %1</translation>
    </message>
    <message>
        <source>để trống</source>
        <translation>để trống</translation>
    </message>
    <message>
        <source>chưa có báo cáo</source>
        <translation>chưa có báo cáo</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Phần mềm gặp lỗi</source>
        <translation>Phần mềm gặp lỗi</translation>
    </message>
    <message>
        <source>Phần mềm vừa gặp một lỗi ngoài dự kiến. Số liệu đã nhập vẫn an toàn: mỗi ô được lưu ngay khi rời khỏi ô.

Hãy bấm «Sao chép chi tiết» rồi gửi cho cán bộ hỗ trợ của tỉnh (dán vào thư hoặc tin nhắn). Sau đó có thể tiếp tục làm việc.</source>
        <translation>Phần mềm vừa gặp một lỗi ngoài dự kiến. Số liệu đã nhập vẫn an toàn: mỗi ô được lưu ngay khi rời khỏi ô.

Hãy bấm «Sao chép chi tiết» rồi gửi cho cán bộ hỗ trợ của tỉnh (dán vào thư hoặc tin nhắn). Sau đó có thể tiếp tục làm việc.</translation>
    </message>
    <message>
        <source>Sao chép chi tiết</source>
        <translation>Sao chép chi tiết</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Đã sao chép ✓</source>
        <translation>Đã sao chép ✓</translation>
    </message>
</context>
<context>
    <name>EthnicModel</name>
    <message>
        <source>đã có</source>
        <translation>đã có</translation>
    </message>
</context>
<context>
    <name>EthnicPicker</name>
    <message>
        <source>Thêm dân tộc</source>
        <translation>Thêm dân tộc</translation>
    </message>
    <message>
        <source>Gõ tên dân tộc hoặc tên gọi khác (ví dụ: Mèo, Mán, Thổ). Enter: thêm dân tộc đang chọn; Space: đánh dấu để thêm nhiều dân tộc một lúc.</source>
        <translation>Gõ tên dân tộc hoặc tên gọi khác (ví dụ: Mèo, Mán, Thổ). Enter: thêm dân tộc đang chọn; Space: đánh dấu để thêm nhiều dân tộc một lúc.</translation>
    </message>
    <message>
        <source>Tìm dân tộc…</source>
        <translation>Tìm dân tộc…</translation>
    </message>
    <message>
        <source>Thêm</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Huỷ</translation>
    </message>
</context>
<context>
    <name>FinalizeDialog</name>
    <message>
        <source>Chốt báo cáo</source>
        <translation>Chốt báo cáo</translation>
    </message>
    <message>
        <source>Sau khi chốt, báo cáo được lưu thành một lần nộp không sửa được và đưa vào hộp thư đi; lần đồng bộ tới sẽ gửi lên máy chủ.</source>
        <translation>Sau khi chốt, báo cáo được lưu thành một lần nộp không sửa được và đưa vào hộp thư đi; lần đồng bộ tới sẽ gửi lên máy chủ.</translation>
    </message>
    <message>
        <source>Biểu mẫu:</source>
        <translation>Biểu mẫu:</translation>
    </message>
    <message>
        <source>Kỳ báo cáo:</source>
        <translation>Kỳ báo cáo:</translation>
    </message>
    <message>
        <source>Đơn vị:</source>
        <translation>Đơn vị:</translation>
    </message>
    <message>
        <source>Số giá trị:</source>
        <translation>Số giá trị:</translation>
    </message>
    <message>
        <source>%1 ô lấy từ kỳ trước chưa xác nhận (được gửi như đang có)</source>
        <translation>%1 ô lấy từ kỳ trước chưa xác nhận (được gửi như đang có)</translation>
    </message>
    <message>
        <source>Lấy từ kỳ trước:</source>
        <translation>Lấy từ kỳ trước:</translation>
    </message>
    <message>
        <source>Lần nộp %1</source>
        <translation>Lần nộp %1</translation>
    </message>
    <message>
        <source>(thay cho lần nộp %1)</source>
        <translation>(thay cho lần nộp %1)</translation>
    </message>
    <message>
        <source>Lần nộp:</source>
        <translation>Lần nộp:</translation>
    </message>
    <message>
        <source>Danh mục chỉ tiêu:</source>
        <translation>Danh mục chỉ tiêu:</translation>
    </message>
    <message>
        <source>%1 (phiên bản %2)</source>
        <translation>%1 (phiên bản %2)</translation>
    </message>
    <message>
        <source>Báo cáo đã chốt ở lần nộp %1 và chưa sửa gì sau đó; không cần chốt lại.</source>
        <translation>Báo cáo đã chốt ở lần nộp %1 và chưa sửa gì sau đó; không cần chốt lại.</translation>
    </message>
    <message>
        <source>Còn %1 lỗi nên chưa chốt được. Sửa các lỗi sau rồi chốt lại:</source>
        <translation>Còn %1 lỗi nên chưa chốt được. Sửa các lỗi sau rồi chốt lại:</translation>
    </message>
    <message>
        <source>%1 cảnh báo: ghi lý do cho từng cảnh báo (lý do được gửi kèm báo cáo).</source>
        <translation>%1 cảnh báo: ghi lý do cho từng cảnh báo (lý do được gửi kèm báo cáo).</translation>
    </message>
    <message>
        <source>Không có lỗi hay cảnh báo nào.</source>
        <translation>Không có lỗi hay cảnh báo nào.</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <source>Lý do (bắt buộc), ví dụ: số liệu đúng, đã kiểm tra lại</source>
        <translation>Lý do (bắt buộc), ví dụ: số liệu đúng, đã kiểm tra lại</translation>
    </message>
    <message>
        <source>Ghi lý do cho mọi cảnh báo để chốt.</source>
        <translation>Ghi lý do cho mọi cảnh báo để chốt.</translation>
    </message>
</context>
<context>
    <name>FormHeader</name>
    <message>
        <source>Đi tới chỉ tiêu… (Ctrl+G)</source>
        <translation>Đi tới chỉ tiêu… (Ctrl+G)</translation>
    </message>
    <message>
        <source>+ Thêm dân tộc</source>
        <translation>+ Thêm dân tộc</translation>
    </message>
    <message>
        <source>Thêm dòng cho một dân tộc có trong xã (Ctrl+D)</source>
        <translation>Thêm dòng cho một dân tộc có trong xã (Ctrl+D)</translation>
    </message>
    <message>
        <source>Chốt báo cáo…</source>
        <translation>Chốt báo cáo…</translation>
    </message>
</context>
<context>
    <name>FormListModel</name>
    <message>
        <source>Biểu</source>
        <translation>Biểu</translation>
    </message>
    <message>
        <source>Tên biểu</source>
        <translation>Tên biểu</translation>
    </message>
    <message>
        <source>Kỳ</source>
        <translation>Kỳ</translation>
    </message>
    <message>
        <source>Trạng thái</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Hạn nộp</source>
        <translation>Hạn nộp</translation>
    </message>
    <message>
        <source>còn %1 ngày</source>
        <translation>còn %1 ngày</translation>
    </message>
    <message>
        <source>quá hạn %1 ngày</source>
        <translation>quá hạn %1 ngày</translation>
    </message>
    <message>
        <source>hôm nay</source>
        <translation>hôm nay</translation>
    </message>
    <message>
        <source>Đã nhập</source>
        <translation>Đã nhập</translation>
    </message>
    <message>
        <source>Số biên nhận: %1</source>
        <translation>Số biên nhận: %1</translation>
    </message>
    <message>
        <source>Ý kiến người duyệt: %1</source>
        <translation>Ý kiến người duyệt: %1</translation>
    </message>
</context>
<context>
    <name>FormView</name>
    <message>
        <source>Danh mục mẫu (chỉ để thử)</source>
        <translation>Danh mục mẫu (chỉ để thử)</translation>
    </message>
    <message>
        <source>Sao chép</source>
        <translation>Sao chép</translation>
    </message>
    <message>
        <source>Dán (ô trống trong khối dán được bỏ qua)</source>
        <translation>Dán (ô trống trong khối dán được bỏ qua)</translation>
    </message>
    <message>
        <source>Xoá giá trị</source>
        <translation>Xoá giá trị</translation>
    </message>
    <message>
        <source>Ghi chú…</source>
        <translation>Ghi chú…</translation>
    </message>
    <message>
        <source>Lịch sử giá trị…</source>
        <translation>Lịch sử giá trị…</translation>
    </message>
    <message>
        <source>Lấy số kỳ trước…</source>
        <translation>Lấy số kỳ trước…</translation>
    </message>
    <message>
        <source>Xác nhận số lấy từ kỳ trước</source>
        <translation>Xác nhận số lấy từ kỳ trước</translation>
    </message>
    <message>
        <source>Thêm dân tộc…</source>
        <translation>Thêm dân tộc…</translation>
    </message>
    <message>
        <source>Bỏ dòng dân tộc này</source>
        <translation>Bỏ dòng dân tộc này</translation>
    </message>
    <message>
        <source>Hoàn tác</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <source>Làm lại</source>
        <translation>Làm lại</translation>
    </message>
    <message>
        <source>Đi tới chỉ tiêu</source>
        <translation>Đi tới chỉ tiêu</translation>
    </message>
    <message>
        <source>Vấn đề này không gắn với ô nào của biểu: %1</source>
        <translation>Vấn đề này không gắn với ô nào của biểu: %1</translation>
    </message>
    <message>
        <source>Báo cáo đã chốt; chưa sửa gì.</source>
        <translation>Báo cáo đã chốt; chưa sửa gì.</translation>
    </message>
    <message>
        <source>Chưa lưu được: %1</source>
        <translation>Chưa lưu được: %1</translation>
    </message>
    <message>
        <source>Đang khôi phục hoặc nhập số liệu; ô vừa nhập sẽ được lưu ngay khi việc đó xong.</source>
        <translation>Đang khôi phục hoặc nhập số liệu; ô vừa nhập sẽ được lưu ngay khi việc đó xong.</translation>
    </message>
    <message>
        <source>Chưa hoàn tác được: %1</source>
        <translation>Chưa hoàn tác được: %1</translation>
    </message>
    <message>
        <source>Kỳ trước (%1) không có số liệu nào để lấy vào các ô còn trống.</source>
        <translation>Kỳ trước (%1) không có số liệu nào để lấy vào các ô còn trống.</translation>
    </message>
    <message>
        <source>Lấy số kỳ trước (%1 ô)</source>
        <translation>Lấy số kỳ trước (%1 ô)</translation>
    </message>
    <message>
        <source>Đã lấy %1 ô từ %2. Các ô này được tô xanh cho đến khi anh/chị xác nhận (Ctrl+Shift+K) hoặc sửa số.</source>
        <translation>Đã lấy %1 ô từ %2. Các ô này được tô xanh cho đến khi anh/chị xác nhận (Ctrl+Shift+K) hoặc sửa số.</translation>
    </message>
    <message>
        <source>%1 đã có số liệu. Bấm Ctrl+Shift+L để chọn chỉ tiêu lấy số kỳ trước làm bản nháp.</source>
        <translation>%1 đã có số liệu. Bấm Ctrl+Shift+L để chọn chỉ tiêu lấy số kỳ trước làm bản nháp.</translation>
    </message>
    <message>
        <source>Chọn các ô tô xanh cần xác nhận (Ctrl+A: cả biểu) rồi bấm Ctrl+Shift+K.</source>
        <translation>Chọn các ô tô xanh cần xác nhận (Ctrl+A: cả biểu) rồi bấm Ctrl+Shift+K.</translation>
    </message>
    <message>
        <source>Nhập %1 ô</source>
        <translation>Nhập %1 ô</translation>
    </message>
    <message>
        <source>Nhập ô %1</source>
        <translation>Nhập ô %1</translation>
    </message>
    <message>
        <source>Chọn ô đầu tiên cần dán rồi bấm Ctrl+V.</source>
        <translation>Chọn ô đầu tiên cần dán rồi bấm Ctrl+V.</translation>
    </message>
    <message>
        <source>Bộ nhớ tạm không có gì để dán.</source>
        <translation>Bộ nhớ tạm không có gì để dán.</translation>
    </message>
    <message>
        <source>Đã dán %1 ô.</source>
        <translation>Đã dán %1 ô.</translation>
    </message>
    <message>
        <source>Bỏ qua %1 ô trống (ô trống không xoá số đã có).</source>
        <translation>Bỏ qua %1 ô trống (ô trống không xoá số đã có).</translation>
    </message>
    <message>
        <source>%1 giá trị nằm ngoài bảng nên không dán.</source>
        <translation>%1 giá trị nằm ngoài bảng nên không dán.</translation>
    </message>
    <message>
        <source>%1 ô không nhận:</source>
        <translation>%1 ô không nhận:</translation>
    </message>
    <message>
        <source>Chọn một ô số liệu để ghi chú.</source>
        <translation>Chọn một ô số liệu để ghi chú.</translation>
    </message>
    <message>
        <source>Chưa lưu được ghi chú: %1</source>
        <translation>Chưa lưu được ghi chú: %1</translation>
    </message>
    <message>
        <source>Chọn một ô số liệu để xem lịch sử.</source>
        <translation>Chọn một ô số liệu để xem lịch sử.</translation>
    </message>
    <message>
        <source>Đã chốt lần nộp %1. Báo cáo nằm trong hộp thư đi và sẽ được gửi khi đồng bộ.</source>
        <translation>Đã chốt lần nộp %1. Báo cáo nằm trong hộp thư đi và sẽ được gửi khi đồng bộ.</translation>
    </message>
    <message>
        <source>Chọn một dòng dân tộc để bỏ.</source>
        <translation>Chọn một dòng dân tộc để bỏ.</translation>
    </message>
    <message>
        <source>Dòng %1 còn số liệu; xoá các số liệu của dòng trước khi bỏ dòng.</source>
        <translation>Dòng %1 còn số liệu; xoá các số liệu của dòng trước khi bỏ dòng.</translation>
    </message>
    <message>
        <source>%1 lỗi</source>
        <translation>%1 lỗi</translation>
    </message>
    <message>
        <source>%1 cảnh báo</source>
        <translation>%1 cảnh báo</translation>
    </message>
    <message>
        <source>Báo cáo đã chốt (lần nộp %1). Nếu sửa, một lần nộp mới sẽ được tạo.</source>
        <translation>Báo cáo đã chốt (lần nộp %1). Nếu sửa, một lần nộp mới sẽ được tạo.</translation>
    </message>
    <message>
        <source>Đã sửa sau lần nộp %1; bấm “Chốt báo cáo” để tạo lần nộp %2.</source>
        <translation>Đã sửa sau lần nộp %1; bấm “Chốt báo cáo” để tạo lần nộp %2.</translation>
    </message>
    <message>
        <source>Báo cáo đã được chấp nhận trước đó; lần nộp sửa sau đó đang chờ người duyệt xem lại.</source>
        <translation>Báo cáo đã được chấp nhận trước đó; lần nộp sửa sau đó đang chờ người duyệt xem lại.</translation>
    </message>
    <message>
        <source>Người duyệt đã trả lại báo cáo.</source>
        <translation>Người duyệt đã trả lại báo cáo.</translation>
    </message>
    <message>
        <source>Ý kiến: %1</source>
        <translation>Ý kiến: %1</translation>
    </message>
    <message>
        <source>Báo cáo đã chốt và chưa sửa gì sau đó.</source>
        <translation>Báo cáo đã chốt và chưa sửa gì sau đó.</translation>
    </message>
    <message>
        <source>Kiểm tra và chốt báo cáo</source>
        <translation>Kiểm tra và chốt báo cáo</translation>
    </message>
</context>
<context>
    <name>GridLayout</name>
    <message>
        <source>Tổng</source>
        <translation>Tổng</translation>
    </message>
    <message>
        <source>Tổng số</source>
        <translation>Tổng số</translation>
    </message>
    <message>
        <source>Giá trị</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Số lượng</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <source>Chưa có dân tộc nào. Bấm “Thêm dân tộc” (Ctrl+D) để thêm dòng.</source>
        <translation>Chưa có dân tộc nào. Bấm “Thêm dân tộc” (Ctrl+D) để thêm dòng.</translation>
    </message>
    <message>
        <source>Chỉ tiêu này không có dòng cho các dân tộc đã thêm (danh mục loại trừ).</source>
        <translation>Chỉ tiêu này không có dòng cho các dân tộc đã thêm (danh mục loại trừ).</translation>
    </message>
</context>
<context>
    <name>GridModel</name>
    <message>
        <source>Chỉ tiêu</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <source>Kiểm tra</source>
        <translation>Kiểm tra</translation>
    </message>
    <message>
        <source>Chưa nhập (bắt buộc)</source>
        <translation>Chưa nhập (bắt buộc)</translation>
    </message>
    <message>
        <source>%1 (và %2 vấn đề khác)</source>
        <translation>%1 (và %2 vấn đề khác)</translation>
    </message>
    <message>
        <source>Số lấy từ %1, chưa xác nhận: sửa số, hoặc xác nhận (Ctrl+Shift+K).</source>
        <translation>Số lấy từ %1, chưa xác nhận: sửa số, hoặc xác nhận (Ctrl+Shift+K).</translation>
    </message>
    <message>
        <source>Ghi chú: %1</source>
        <translation>Ghi chú: %1</translation>
    </message>
    <message>
        <source>Tự tính, không nhập</source>
        <translation>Tự tính, không nhập</translation>
    </message>
</context>
<context>
    <name>HelpWindow</name>
    <message>
        <source>Hướng dẫn sử dụng — DTTS Client</source>
        <translation>Hướng dẫn sử dụng — DTTS Client</translation>
    </message>
    <message>
        <source>◀ Quay lại</source>
        <translation>◀ Quay lại</translation>
    </message>
    <message>
        <source>Tiếp ▶</source>
        <translation>Tiếp ▶</translation>
    </message>
    <message>
        <source>Mục lục</source>
        <translation>Mục lục</translation>
    </message>
    <message>
        <source>Tìm trong hướng dẫn…</source>
        <translation>Tìm trong hướng dẫn…</translation>
    </message>
    <message>
        <source>%1 trang có «%2»</source>
        <translation>%1 trang có «%2»</translation>
    </message>
    <message>
        <source>Không trang nào có «%1»</source>
        <translation>Không trang nào có «%1»</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>Lịch sử giá trị</source>
        <translation>Lịch sử giá trị</translation>
    </message>
    <message>
        <source>Các lần thay đổi ô %1, mới nhất ở trên:</source>
        <translation>Các lần thay đổi ô %1, mới nhất ở trên:</translation>
    </message>
    <message>
        <source>Ô này chưa từng được nhập.</source>
        <translation>Ô này chưa từng được nhập.</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Nhập tay</source>
        <translation>Nhập tay</translation>
    </message>
    <message>
        <source>Nhập từ Excel</source>
        <translation>Nhập từ Excel</translation>
    </message>
    <message>
        <source>Từ máy chủ</source>
        <translation>Từ máy chủ</translation>
    </message>
    <message>
        <source>Bản máy chủ</source>
        <translation>Bản máy chủ</translation>
    </message>
    <message>
        <source>Khôi phục từ bản sao lưu</source>
        <translation>Khôi phục từ bản sao lưu</translation>
    </message>
    <message>
        <source>Thời gian</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Người sửa</source>
        <translation>Người sửa</translation>
    </message>
    <message>
        <source>Cũ → mới</source>
        <translation>Cũ → mới</translation>
    </message>
    <message>
        <source>Cách nhập</source>
        <translation>Cách nhập</translation>
    </message>
    <message>
        <source>(trống)</source>
        <translation>(trống)</translation>
    </message>
</context>
<context>
    <name>IndicatorPanel</name>
    <message>
        <source>Số nguyên</source>
        <translation>Số nguyên</translation>
    </message>
    <message>
        <source>Số thập phân</source>
        <translation>Số thập phân</translation>
    </message>
    <message>
        <source>Phần trăm</source>
        <translation>Phần trăm</translation>
    </message>
    <message>
        <source>Có/Không</source>
        <translation>Có/Không</translation>
    </message>
    <message>
        <source>Chữ</source>
        <translation>Chữ</translation>
    </message>
    <message>
        <source>Ghi chú… (Shift+F2)</source>
        <translation>Ghi chú… (Shift+F2)</translation>
    </message>
    <message>
        <source>Lịch sử… (Ctrl+H)</source>
        <translation>Lịch sử… (Ctrl+H)</translation>
    </message>
    <message>
        <source>Chọn một ô để xem giải thích chỉ tiêu.</source>
        <translation>Chọn một ô để xem giải thích chỉ tiêu.</translation>
    </message>
    <message>
        <source>Đơn vị tính</source>
        <translation>Đơn vị tính</translation>
    </message>
    <message>
        <source>Kiểu số liệu</source>
        <translation>Kiểu số liệu</translation>
    </message>
    <message>
        <source>Giới hạn</source>
        <translation>Giới hạn</translation>
    </message>
    <message>
        <source>Bắt buộc</source>
        <translation>Bắt buộc</translation>
    </message>
    <message>
        <source>Có</source>
        <translation>Có</translation>
    </message>
    <message>
        <source>Không</source>
        <translation>Không</translation>
    </message>
    <message>
        <source>Khái niệm</source>
        <translation>Khái niệm</translation>
    </message>
    <message>
        <source>Phương pháp tính</source>
        <translation>Phương pháp tính</translation>
    </message>
    <message>
        <source>Nguồn số liệu</source>
        <translation>Nguồn số liệu</translation>
    </message>
    <message>
        <source>Số liệu điều tra</source>
        <translation>Số liệu điều tra</translation>
    </message>
    <message>
        <source>từ %1 đến %2</source>
        <translation>từ %1 đến %2</translation>
    </message>
    <message>
        <source>không nhỏ hơn %1</source>
        <translation>không nhỏ hơn %1</translation>
    </message>
    <message>
        <source>không lớn hơn %1</source>
        <translation>không lớn hơn %1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Đăng nhập</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Phiên đăng nhập đã hết hạn. Hãy nhập mật khẩu để tiếp tục đồng bộ.</source>
        <translation>Phiên đăng nhập đã hết hạn. Hãy nhập mật khẩu để tiếp tục đồng bộ.</translation>
    </message>
    <message>
        <source>Máy này chưa đăng nhập. Hãy nhập tên đăng nhập và mật khẩu do cán bộ tỉnh cấp.</source>
        <translation>Máy này chưa đăng nhập. Hãy nhập tên đăng nhập và mật khẩu do cán bộ tỉnh cấp.</translation>
    </message>
    <message>
        <source>Máy chủ:</source>
        <translation>Máy chủ:</translation>
    </message>
    <message>
        <source>Địa chỉ máy chủ:</source>
        <translation>Địa chỉ máy chủ:</translation>
    </message>
    <message>
        <source>Tên đăng nhập:</source>
        <translation>Tên đăng nhập:</translation>
    </message>
    <message>
        <source>Mật khẩu:</source>
        <translation>Mật khẩu:</translation>
    </message>
    <message>
        <source>Để sau</source>
        <translation>Để sau</translation>
    </message>
    <message>
        <source>Hãy nhập đủ địa chỉ máy chủ, tên đăng nhập và mật khẩu.</source>
        <translation>Hãy nhập đủ địa chỉ máy chủ, tên đăng nhập và mật khẩu.</translation>
    </message>
    <message>
        <source>Đang đăng nhập…</source>
        <translation>Đang đăng nhập…</translation>
    </message>
    <message>
        <source>Bấm «Để sau» để tiếp tục làm việc không cần mạng.</source>
        <translation>Bấm «Để sau» để tiếp tục làm việc không cần mạng.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>DTTS — Báo cáo chỉ tiêu thống kê công tác dân tộc</source>
        <translation>DTTS — Báo cáo chỉ tiêu thống kê công tác dân tộc</translation>
    </message>
    <message>
        <source>Kỳ báo cáo:</source>
        <translation>Kỳ báo cáo:</translation>
    </message>
    <message>
        <source>Đồng bộ</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <source>Gửi các báo cáo đã chốt, nhận phản hồi và danh mục mới. Bấm lại lúc nào cũng an toàn.</source>
        <translation>Gửi các báo cáo đã chốt, nhận phản hồi và danh mục mới. Bấm lại lúc nào cũng an toàn.</translation>
    </message>
    <message>
        <source>Nháy đúp vào một biểu (hoặc chọn rồi bấm Enter) để nhập số liệu.</source>
        <translation>Nháy đúp vào một biểu (hoặc chọn rồi bấm Enter) để nhập số liệu.</translation>
    </message>
    <message>
        <source>Các biểu của kỳ</source>
        <translation>Các biểu của kỳ</translation>
    </message>
    <message>
        <source>Chưa mở biểu nào. Hãy chọn một biểu trong danh sách các biểu của kỳ.</source>
        <translation>Chưa mở biểu nào. Hãy chọn một biểu trong danh sách các biểu của kỳ.</translation>
    </message>
    <message>
        <source>Nhập số liệu</source>
        <translation>Nhập số liệu</translation>
    </message>
    <message>
        <source>&amp;Tệp</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>Đổi hồ sơ…</source>
        <translation>Đổi hồ sơ…</translation>
    </message>
    <message>
        <source>Đăng xuất</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>Cài đặt…</source>
        <translation>Cài đặt…</translation>
    </message>
    <message>
        <source>Thoát</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>Trợ &amp;giúp</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>Giới thiệu…</source>
        <translation>Giới thiệu…</translation>
    </message>
    <message>
        <source>Chưa có danh mục chỉ tiêu — hãy đồng bộ.</source>
        <translation>Chưa có danh mục chỉ tiêu — hãy đồng bộ.</translation>
    </message>
    <message>
        <source>Đã gửi đủ các biểu của kỳ này.</source>
        <translation>Đã gửi đủ các biểu của kỳ này.</translation>
    </message>
    <message>
        <source>Hạn nộp %1: hôm nay</source>
        <translation>Hạn nộp %1: hôm nay</translation>
    </message>
    <message>
        <source>● Có kết nối (%1)</source>
        <translation>● Có kết nối (%1)</translation>
    </message>
    <message>
        <source>Lần liên lạc gần nhất với máy chủ thành công.</source>
        <translation>Lần liên lạc gần nhất với máy chủ thành công.</translation>
    </message>
    <message>
        <source>○ Không kết nối được (%1)</source>
        <translation>○ Không kết nối được (%1)</translation>
    </message>
    <message>
        <source>Lần liên lạc gần nhất với máy chủ không thành công. Dữ liệu vẫn an toàn trên máy.</source>
        <translation>Lần liên lạc gần nhất với máy chủ không thành công. Dữ liệu vẫn an toàn trên máy.</translation>
    </message>
    <message>
        <source>Hạn nộp %1: còn %2 ngày</source>
        <translation>Hạn nộp %1: còn %2 ngày</translation>
    </message>
    <message>
        <source>Đăng nhập…</source>
        <translation>Đăng nhập…</translation>
    </message>
    <message>
        <source>Hướng dẫn sử dụng</source>
        <translation>Hướng dẫn sử dụng</translation>
    </message>
    <message>
        <source>Các biểu đến hạn nộp</source>
        <translation>Các biểu đến hạn nộp</translation>
    </message>
    <message>
        <source>Mỗi biểu với kỳ vừa kết thúc của nó (tháng, quý, 6 tháng, năm)</source>
        <translation>Mỗi biểu với kỳ vừa kết thúc của nó (tháng, quý, 6 tháng, năm)</translation>
    </message>
    <message>
        <source>Đã quá hạn nộp %1 được %2 ngày (vẫn gửi được, ghi nhận là nộp muộn)</source>
        <translation>Đã quá hạn nộp %1 được %2 ngày (vẫn gửi được, ghi nhận là nộp muộn)</translation>
    </message>
    <message>
        <source>chưa gắn xã</source>
        <translation>chưa gắn xã</translation>
    </message>
    <message>
        <source>Máy chủ: %1</source>
        <translation>Máy chủ: %1</translation>
    </message>
    <message>
        <source>Chưa kết nối máy chủ</source>
        <translation>Chưa kết nối máy chủ</translation>
    </message>
    <message>
        <source>Cán bộ: %1</source>
        <translation>Cán bộ: %1</translation>
    </message>
    <message>
        <source>Danh mục: %1 (phiên bản %2)</source>
        <translation>Danh mục: %1 (phiên bản %2)</translation>
    </message>
    <message>
        <source>MẪU</source>
        <translation>MẪU</translation>
    </message>
    <message>
        <source>Chờ gửi: %1</source>
        <translation>Chờ gửi: %1</translation>
    </message>
    <message>
        <source>Cần xử lý: %1</source>
        <translation>Cần xử lý: %1</translation>
    </message>
    <message>
        <source>Đồng bộ gần nhất: %1</source>
        <translation>Đồng bộ gần nhất: %1</translation>
    </message>
    <message>
        <source>Lần đồng bộ gần nhất chưa xong: %1</source>
        <translation>Lần đồng bộ gần nhất chưa xong: %1</translation>
    </message>
    <message>
        <source>Chưa đồng bộ lần nào</source>
        <translation>Chưa đồng bộ lần nào</translation>
    </message>
    <message>
        <source>Kết nối: chưa rõ</source>
        <translation>Kết nối: chưa rõ</translation>
    </message>
    <message>
        <source>(%1 lỗi, %2 cảnh báo)</source>
        <translation>(%1 lỗi, %2 cảnh báo)</translation>
    </message>
    <message>
        <source>Hồ sơ này chưa kết nối máy chủ. Hãy đăng nhập trong phần Cài đặt ban đầu.</source>
        <translation>Hồ sơ này chưa kết nối máy chủ. Hãy đăng nhập trong phần Cài đặt ban đầu.</translation>
    </message>
    <message>
        <source>Đang đồng bộ…</source>
        <translation>Đang đồng bộ…</translation>
    </message>
    <message>
        <source>Đồng bộ dừng vì một lỗi ngoài dự kiến.</source>
        <translation>Đồng bộ dừng vì một lỗi ngoài dự kiến.</translation>
    </message>
    <message>
        <source>Xuất bản nộp ra tệp</source>
        <translation>Xuất bản nộp ra tệp</translation>
    </message>
    <message>
        <source>Đã lưu %1</source>
        <translation>Đã lưu %1</translation>
    </message>
    <message>
        <source>Bỏ bản nộp</source>
        <translation>Bỏ bản nộp</translation>
    </message>
    <message>
        <source>Bỏ bản nộp này? Số liệu vẫn còn trong báo cáo (thành bản nháp) để sửa rồi chốt lại.</source>
        <translation>Bỏ bản nộp này? Số liệu vẫn còn trong báo cáo (thành bản nháp) để sửa rồi chốt lại.</translation>
    </message>
    <message>
        <source>đổi máy chủ</source>
        <translation>đổi máy chủ</translation>
    </message>
    <message>
        <source>Chưa thể %1: còn %2 báo cáo chưa gửi lên máy chủ. Hãy bấm «Đồng bộ» để gửi, hoặc xuất gói chuyển tay (USB) hay bản sao lưu trước, rồi thử lại.</source>
        <translation>Chưa thể %1: còn %2 báo cáo chưa gửi lên máy chủ. Hãy bấm «Đồng bộ» để gửi, hoặc xuất gói chuyển tay (USB) hay bản sao lưu trước, rồi thử lại.</translation>
    </message>
    <message>
        <source>đổi hồ sơ</source>
        <translation>đổi hồ sơ</translation>
    </message>
    <message>
        <source>đăng xuất</source>
        <translation>đăng xuất</translation>
    </message>
    <message>
        <source>mã nhận diện %1</source>
        <translation>mã nhận diện %1</translation>
    </message>
    <message>
        <source>DTTS</source>
        <translation>DTTS</translation>
    </message>
    <message>
        <source>Hồ sơ này đang mở ở cửa sổ này — phần mềm không mở thêm cửa sổ thứ hai.</source>
        <translation>Hồ sơ này đang mở ở cửa sổ này — phần mềm không mở thêm cửa sổ thứ hai.</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <source>Chờ gửi</source>
        <translation>Chờ gửi</translation>
    </message>
    <message>
        <source>Đang gửi</source>
        <translation>Đang gửi</translation>
    </message>
    <message>
        <source>Đã nhận ✓</source>
        <translation>Đã nhận ✓</translation>
    </message>
    <message>
        <source>Cần xử lý</source>
        <translation>Cần xử lý</translation>
    </message>
    <message>
        <source>Xung đột</source>
        <translation>Xung đột</translation>
    </message>
    <message>
        <source>Nộp muộn</source>
        <translation>Nộp muộn</translation>
    </message>
    <message>
        <source>Đã thay bằng bản mới</source>
        <translation>Đã thay bằng bản mới</translation>
    </message>
    <message>
        <source>Đã bỏ</source>
        <translation>Đã bỏ</translation>
    </message>
    <message>
        <source>Biểu</source>
        <translation>Biểu</translation>
    </message>
    <message>
        <source>Kỳ</source>
        <translation>Kỳ</translation>
    </message>
    <message>
        <source>Lần</source>
        <translation>Lần</translation>
    </message>
    <message>
        <source>Kết quả</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <source>Số biên nhận</source>
        <translation>Số biên nhận</translation>
    </message>
    <message>
        <source>Lý do / ghi chú</source>
        <translation>Lý do / ghi chú</translation>
    </message>
</context>
<context>
    <name>ProblemsModel</name>
    <message>
        <source>Ở đâu</source>
        <translation>Ở đâu</translation>
    </message>
    <message>
        <source>Nội dung</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>Lỗi</source>
        <translation>Lỗi</translation>
    </message>
    <message>
        <source>Cảnh báo</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Chưa nhập</source>
        <translation>Chưa nhập</translation>
    </message>
</context>
<context>
    <name>ProblemsPanel</name>
    <message>
        <source>Không có lỗi hay cảnh báo nào.</source>
        <translation>Không có lỗi hay cảnh báo nào.</translation>
    </message>
    <message>
        <source>Cần xem: %1 lỗi, %2 cảnh báo</source>
        <translation>Cần xem: %1 lỗi, %2 cảnh báo</translation>
    </message>
    <message>
        <source>Còn %1 chỉ tiêu bắt buộc chưa nhập.</source>
        <translation>Còn %1 chỉ tiêu bắt buộc chưa nhập.</translation>
    </message>
</context>
<context>
    <name>ProfilePicker</name>
    <message>
        <source>Chọn hồ sơ</source>
        <translation>Chọn hồ sơ</translation>
    </message>
    <message>
        <source>Máy này có nhiều hồ sơ (mỗi cán bộ một hồ sơ). Hãy chọn hồ sơ của mình rồi bấm «Mở».</source>
        <translation>Máy này có nhiều hồ sơ (mỗi cán bộ một hồ sơ). Hãy chọn hồ sơ của mình rồi bấm «Mở».</translation>
    </message>
    <message>
        <source>(%1 báo cáo chưa gửi)</source>
        <translation>(%1 báo cáo chưa gửi)</translation>
    </message>
    <message>
        <source>Mở</source>
        <translation>Mở</translation>
    </message>
    <message>
        <source>Hồ sơ mới…</source>
        <translation>Hồ sơ mới…</translation>
    </message>
    <message>
        <source>Thoát</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <source>Hồ sơ mới</source>
        <translation>Hồ sơ mới</translation>
    </message>
    <message>
        <source>Tên hồ sơ (ví dụ: tên cán bộ):</source>
        <translation>Tên hồ sơ (ví dụ: tên cán bộ):</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <source>Đang tải danh mục và số liệu</source>
        <translation>Đang tải danh mục và số liệu</translation>
    </message>
    <message>
        <source>Thử lại</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <source>Đang đăng nhập và tải danh mục chỉ tiêu, số liệu các kỳ trước…</source>
        <translation>Đang đăng nhập và tải danh mục chỉ tiêu, số liệu các kỳ trước…</translation>
    </message>
    <message>
        <source>Đang đọc gói cài đặt…</source>
        <translation>Đang đọc gói cài đặt…</translation>
    </message>
    <message>
        <source>Đã đăng nhập, nhưng chưa tải xong: %1 Bấm «Đồng bộ» trong cửa sổ chính để tải tiếp.</source>
        <translation>Đã đăng nhập, nhưng chưa tải xong: %1 Bấm «Đồng bộ» trong cửa sổ chính để tải tiếp.</translation>
    </message>
    <message>
        <source>Xong.</source>
        <translation>Xong.</translation>
    </message>
    <message>
        <source>Có lỗi ngoài dự kiến.</source>
        <translation>Có lỗi ngoài dự kiến.</translation>
    </message>
    <message>
        <source>Sai tên đăng nhập hoặc mật khẩu</source>
        <translation>Sai tên đăng nhập hoặc mật khẩu</translation>
    </message>
    <message>
        <source>Một trang đăng nhập Wi-Fi đang chặn kết nối</source>
        <translation>Một trang đăng nhập Wi-Fi đang chặn kết nối</translation>
    </message>
    <message>
        <source>Máy chủ này không phải máy chủ của tỉnh</source>
        <translation>Máy chủ này không phải máy chủ của tỉnh</translation>
    </message>
    <message>
        <source>Không kết nối được với máy chủ</source>
        <translation>Không kết nối được với máy chủ</translation>
    </message>
    <message>
        <source>Đã thử quá nhiều lần</source>
        <translation>Đã thử quá nhiều lần</translation>
    </message>
    <message>
        <source>Phần mềm cần được cập nhật</source>
        <translation>Phần mềm cần được cập nhật</translation>
    </message>
    <message>
        <source>Không dùng được gói cài đặt này</source>
        <translation>Không dùng được gói cài đặt này</translation>
    </message>
    <message>
        <source>Máy chủ đang gặp sự cố</source>
        <translation>Máy chủ đang gặp sự cố</translation>
    </message>
    <message>
        <source>Chưa hoàn tất được</source>
        <translation>Chưa hoàn tất được</translation>
    </message>
    <message>
        <source>Bấm «Quay lại» để nhập lại.</source>
        <translation>Bấm «Quay lại» để nhập lại.</translation>
    </message>
    <message>
        <source>Nếu chưa có mạng, có thể bấm «Quay lại» và dùng gói cài đặt trên USB.</source>
        <translation>Nếu chưa có mạng, có thể bấm «Quay lại» và dùng gói cài đặt trên USB.</translation>
    </message>
</context>
<context>
    <name>ReviseConfirm</name>
    <message>
        <source>Sửa báo cáo đã chốt</source>
        <translation>Sửa báo cáo đã chốt</translation>
    </message>
    <message>
        <source>Báo cáo này đã chốt (lần nộp %1). Nếu sửa, khi chốt lại sẽ tạo lần nộp %2 thay cho lần nộp cũ.</source>
        <translation>Báo cáo này đã chốt (lần nộp %1). Nếu sửa, khi chốt lại sẽ tạo lần nộp %2 thay cho lần nộp cũ.</translation>
    </message>
    <message>
        <source>Bạn có muốn sửa không?</source>
        <translation>Bạn có muốn sửa không?</translation>
    </message>
    <message>
        <source>Sửa báo cáo</source>
        <translation>Sửa báo cáo</translation>
    </message>
    <message>
        <source>Không sửa</source>
        <translation>Không sửa</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Ngôn ngữ giao diện</source>
        <translation>Ngôn ngữ giao diện</translation>
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
        <translation>Địa chỉ máy chủ</translation>
    </message>
    <message>
        <source>Tệp chứng chỉ (CA) của tỉnh</source>
        <translation>Tệp chứng chỉ (CA) của tỉnh</translation>
    </message>
    <message>
        <source>Thư mục sao lưu tự động</source>
        <translation>Thư mục sao lưu tự động</translation>
    </message>
    <message>
        <source>Tự động thử đồng bộ khi có kết nối mạng</source>
        <translation>Tự động thử đồng bộ khi có kết nối mạng</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Cài đặt</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Đổi ngôn ngữ: cửa sổ chính được dựng lại ngay bằng ngôn ngữ mới (không cần khởi động lại; số liệu đã nhập đều đã được lưu).</source>
        <translation>Đổi ngôn ngữ: cửa sổ chính được dựng lại ngay bằng ngôn ngữ mới (không cần khởi động lại; số liệu đã nhập đều đã được lưu).</translation>
    </message>
    <message>
        <source>Lưu</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Huỷ</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Cài đặt ban đầu — DTTS Client</source>
        <translation>Cài đặt ban đầu — DTTS Client</translation>
    </message>
    <message>
        <source>&lt; Quay lại</source>
        <translation>&lt; Quay lại</translation>
    </message>
    <message>
        <source>Tiếp theo &gt;</source>
        <translation>Tiếp theo &gt;</translation>
    </message>
    <message>
        <source>Hoàn tất</source>
        <translation>Hoàn tất</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Huỷ</translation>
    </message>
</context>
<context>
    <name>SyncView</name>
    <message>
        <source>Bấm «Đồng bộ» để gửi các báo cáo đã chốt và nhận phản hồi của tỉnh.</source>
        <translation>Bấm «Đồng bộ» để gửi các báo cáo đã chốt và nhận phản hồi của tỉnh.</translation>
    </message>
    <message>
        <source>Dừng</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <source>Xuất gói chuyển tay…</source>
        <translation>Xuất gói chuyển tay…</translation>
    </message>
    <message>
        <source>Ghi các báo cáo chưa gửi ra một tệp (USB) để gửi từ nơi có mạng.</source>
        <translation>Ghi các báo cáo chưa gửi ra một tệp (USB) để gửi từ nơi có mạng.</translation>
    </message>
    <message>
        <source>Kết quả lần đồng bộ này</source>
        <translation>Kết quả lần đồng bộ này</translation>
    </message>
    <message>
        <source>Sửa báo cáo</source>
        <translation>Sửa báo cáo</translation>
    </message>
    <message>
        <source>Xuất ra tệp…</source>
        <translation>Xuất ra tệp…</translation>
    </message>
    <message>
        <source>Bỏ bản nộp này</source>
        <translation>Bỏ bản nộp này</translation>
    </message>
    <message>
        <source>Cần xử lý — máy chủ chưa nhận các bản này (các báo cáo khác vẫn được gửi)</source>
        <translation>Cần xử lý — máy chủ chưa nhận các bản này (các báo cáo khác vẫn được gửi)</translation>
    </message>
    <message>
        <source>Xem hai bản…</source>
        <translation>Xem hai bản…</translation>
    </message>
    <message>
        <source>Xung đột — máy chủ giữ cả hai bản, cần chọn</source>
        <translation>Xung đột — máy chủ giữ cả hai bản, cần chọn</translation>
    </message>
    <message>
        <source>Bị trả lại — ý kiến của người duyệt</source>
        <translation>Bị trả lại — ý kiến của người duyệt</translation>
    </message>
    <message>
        <source>Đang đồng bộ… Có thể tiếp tục nhập số liệu trong lúc chờ.</source>
        <translation>Đang đồng bộ… Có thể tiếp tục nhập số liệu trong lúc chờ.</translation>
    </message>
    <message>
        <source>Đang dừng… (những gì đã gửi xong được giữ)</source>
        <translation>Đang dừng… (những gì đã gửi xong được giữ)</translation>
    </message>
    <message>
        <source>%1 · kỳ %2 — Ý kiến%3: %4</source>
        <translation>%1 · kỳ %2 — Ý kiến%3: %4</translation>
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
        <translation>Xuất gói chuyển tay (báo cáo chưa gửi)…</translation>
    </message>
    <message>
        <source>Sao lưu ra USB…</source>
        <translation>Sao lưu ra USB…</translation>
    </message>
    <message>
        <source>Kiểm tra một bản sao lưu…</source>
        <translation>Kiểm tra một bản sao lưu…</translation>
    </message>
    <message>
        <source>Khôi phục từ bản sao lưu…</source>
        <translation>Khôi phục từ bản sao lưu…</translation>
    </message>
    <message>
        <source>Xuất báo cáo đang mở ra Excel…</source>
        <translation>Xuất báo cáo đang mở ra Excel…</translation>
    </message>
    <message>
        <source>Xuất báo cáo đang mở ra PDF (để in)…</source>
        <translation>Xuất báo cáo đang mở ra PDF (để in)…</translation>
    </message>
    <message>
        <source>Nhập số liệu từ Excel vào báo cáo đang mở…</source>
        <translation>Nhập số liệu từ Excel vào báo cáo đang mở…</translation>
    </message>
    <message>
        <source>Hãy mở một biểu (nháy đúp trong danh sách các biểu) trước.</source>
        <translation>Hãy mở một biểu (nháy đúp trong danh sách các biểu) trước.</translation>
    </message>
    <message>
        <source>Chọn ổ USB hoặc thư mục để lưu gói chuyển tay</source>
        <translation>Chọn ổ USB hoặc thư mục để lưu gói chuyển tay</translation>
    </message>
    <message>
        <source>Đã ghi gói chuyển tay: %1. Mang tệp này tới nơi có mạng để gửi lên máy chủ.</source>
        <translation>Đã ghi gói chuyển tay: %1. Mang tệp này tới nơi có mạng để gửi lên máy chủ.</translation>
    </message>
    <message>
        <source>Lưu ý: ổ đĩa chứa dữ liệu DTTS đã đầy nên máy này chưa ghi nhận được thời điểm xuất; tệp trên vẫn tốt. Hãy xoá bớt tệp trên ổ đĩa đó.</source>
        <translation>Lưu ý: ổ đĩa chứa dữ liệu DTTS đã đầy nên máy này chưa ghi nhận được thời điểm xuất; tệp trên vẫn tốt. Hãy xoá bớt tệp trên ổ đĩa đó.</translation>
    </message>
    <message>
        <source>Vẫn gộp bản sao lưu này vào hồ sơ đang mở? Dữ liệu mới hơn trên máy được giữ nguyên.</source>
        <translation>Vẫn gộp bản sao lưu này vào hồ sơ đang mở? Dữ liệu mới hơn trên máy được giữ nguyên.</translation>
    </message>
    <message>
        <source>Bản sao lưu của xã khác</source>
        <translation>Bản sao lưu của xã khác</translation>
    </message>
    <message>
        <source>Vẫn khôi phục</source>
        <translation>Vẫn khôi phục</translation>
    </message>
    <message>
        <source>Không khôi phục</source>
        <translation>Không khôi phục</translation>
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
        <translation>Lưu báo cáo</translation>
    </message>
    <message>
        <source>Đã lưu %1</source>
        <translation>Đã lưu %1</translation>
    </message>
    <message>
        <source>Chọn tệp Excel</source>
        <translation>Chọn tệp Excel</translation>
    </message>
    <message>
        <source>biểu %1, kỳ %2, %3</source>
        <translation>biểu %1, kỳ %2, %3</translation>
    </message>
    <message>
        <source>Tệp Excel của báo cáo khác</source>
        <translation>Tệp Excel của báo cáo khác</translation>
    </message>
    <message>
        <source>Nhập vào biểu %1</source>
        <translation>Nhập vào biểu %1</translation>
    </message>
    <message>
        <source>Không nhập</source>
        <translation>Không nhập</translation>
    </message>
    <message>
        <source>Báo cáo %1 đã chốt và đã gửi lên máy chủ. Nhập tệp này sẽ thay đổi %2 ô dưới đây; báo cáo trở lại thành bản nháp, cần chốt và gửi lại. Chọn “Không nhập” thì không có gì thay đổi.</source>
        <translation>Báo cáo %1 đã chốt và đã gửi lên máy chủ. Nhập tệp này sẽ thay đổi %2 ô dưới đây; báo cáo trở lại thành bản nháp, cần chốt và gửi lại. Chọn “Không nhập” thì không có gì thay đổi.</translation>
    </message>
    <message>
        <source>Báo cáo %1 đã chốt. Nhập tệp này sẽ thay đổi %2 ô dưới đây; báo cáo trở lại thành bản nháp, cần chốt lại. Chọn “Không nhập” thì không có gì thay đổi.</source>
        <translation>Báo cáo %1 đã chốt. Nhập tệp này sẽ thay đổi %2 ô dưới đây; báo cáo trở lại thành bản nháp, cần chốt lại. Chọn “Không nhập” thì không có gì thay đổi.</translation>
    </message>
    <message>
        <source>Đã nhập số liệu từ Excel. Báo cáo trở lại thành bản nháp: hãy chốt và gửi lại.</source>
        <translation>Đã nhập số liệu từ Excel. Báo cáo trở lại thành bản nháp: hãy chốt và gửi lại.</translation>
    </message>
    <message>
        <source>Đã nhập số liệu từ Excel.</source>
        <translation>Đã nhập số liệu từ Excel.</translation>
    </message>
    <message>
        <source>Chọn ổ USB hoặc thư mục để lưu bản sao</source>
        <translation>Chọn ổ USB hoặc thư mục để lưu bản sao</translation>
    </message>
    <message>
        <source>Đang sao lưu…</source>
        <translation>Đang sao lưu…</translation>
    </message>
    <message>
        <source>Đã sao lưu và kiểm tra lại: %1. Có thể rút USB.</source>
        <translation>Đã sao lưu và kiểm tra lại: %1. Có thể rút USB.</translation>
    </message>
    <message>
        <source>Chọn bản sao lưu</source>
        <translation>Chọn bản sao lưu</translation>
    </message>
    <message>
        <source>Bản sao lưu DTTS (*.dttsbak)</source>
        <translation>Bản sao lưu DTTS (*.dttsbak)</translation>
    </message>
    <message>
        <source>Dữ liệu mới hơn trên máy được giữ nguyên.</source>
        <translation>Dữ liệu mới hơn trên máy được giữ nguyên.</translation>
    </message>
    <message>
        <source>Tệp “%1” là số liệu của %2.

Báo cáo đang mở là %3.

Nhập số liệu của tệp vào báo cáo đang mở?</source>
        <translation>Tệp “%1” là số liệu của %2.

Báo cáo đang mở là %3.

Nhập số liệu của tệp vào báo cáo đang mở?</translation>
    </message>
    <message>
        <source>Bản sao lưu còn nguyên vẹn (tạo lúc %1, %2 báo cáo).</source>
        <translation>Bản sao lưu còn nguyên vẹn (tạo lúc %1, %2 báo cáo).</translation>
    </message>
</context>
<context>
    <name>_PathField</name>
    <message>
        <source>Chọn…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <source>Chọn thư mục</source>
        <translation>Chọn thư mục</translation>
    </message>
    <message>
        <source>Chọn tệp chứng chỉ</source>
        <translation>Chọn tệp chứng chỉ</translation>
    </message>
    <message>
        <source>Chứng chỉ (*.pem *.crt *.cer)</source>
        <translation>Chứng chỉ (*.pem *.crt *.cer)</translation>
    </message>
</context>
</TS>
