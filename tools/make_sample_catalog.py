"""Generate the shipped sample catalogue: resources/catalog/sample.json and resources/catalog/sample.xlsx.

This script is the source of truth of the sample (CATALOG.md "The sample catalogue"): the official list
(Phụ lục I of Thông tư 03/2019/TT-UBDT and successors) is not available in machine-readable form, so the
sample follows its known structure and is labelled ``sample: yes`` everywhere. Edit the tables below,
then run::

    .venv/bin/python tools/make_sample_catalog.py          # write both files
    .venv/bin/python tools/make_sample_catalog.py --check  # exit 1 when the shipped files differ

The script writes the JSON form and the workbook, reloads both through the real loaders and checks that
they give the catalogue built here.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from dttscore.catalog import catalog_json_text, dump_catalog_json, load_catalog, resolved
from dttscore.model import Catalog, Disaggregation, Form, Group, Indicator, Option, Rule
from dttscore.workbook import write_workbook

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "resources" / "catalog"
JSON_PATH = OUT_DIR / "sample.json"
XLSX_PATH = OUT_DIR / "sample.xlsx"

# -- sources of data (nguồn số liệu) ------------------------------------------------------------------
UBND = "Báo cáo của UBND xã"
DT53 = "Điều tra thu thập thông tin về thực trạng kinh tế - xã hội của 53 dân tộc thiểu số"
CU_TRU = "Cơ sở dữ liệu về cư trú do Công an xã quản lý; sổ hộ tịch của UBND xã"
HO_TICH = "Sổ đăng ký hộ tịch (khai sinh, khai tử, kết hôn) của UBND xã"
LAO_DONG = "Báo cáo của công chức văn hoá - xã hội xã phụ trách lao động, việc làm"
NGHEO = "Kết quả rà soát hộ nghèo, hộ cận nghèo hằng năm được Chủ tịch UBND xã phê duyệt"
NHCS = "Số liệu của Ngân hàng Chính sách xã hội (Tổ tiết kiệm và vay vốn)"
MTQG = "Báo cáo thực hiện Chương trình mục tiêu quốc gia phát triển KT-XH vùng đồng bào DTTS và miền núi"
BHXH = "Số liệu của cơ quan Bảo hiểm xã hội khu vực"
TRUONG = "Báo cáo thống kê của các trường mầm non, phổ thông trên địa bàn xã"
PHO_CAP = "Hồ sơ phổ cập giáo dục, xoá mù chữ của xã"
TYT = "Sổ sách, báo cáo thống kê của Trạm Y tế xã"
GTNT = "Báo cáo của công chức địa chính - xây dựng xã về giao thông nông thôn"
DIEN = "Số liệu của đơn vị điện lực trên địa bàn; báo cáo của trưởng thôn, bản"
NUOC = "Bộ chỉ số theo dõi - đánh giá nước sạch nông thôn; báo cáo của UBND xã"
VHXH = "Báo cáo của công chức văn hoá - xã hội xã"
NOI_VU = "Hồ sơ cán bộ, công chức, đại biểu HĐND do UBND xã quản lý"
DAT_DAI = "Số liệu thống kê, kiểm kê đất đai của xã"
LAM_NGHIEP = "Hợp đồng giao khoán bảo vệ rừng; báo cáo của UBND xã"

CUOI_KY = "tại thời điểm cuối kỳ báo cáo"
TRONG_KY = "trong kỳ báo cáo"

# fmt: off
# -- groups --------------------------------------------------------------------------------------------
GROUPS = [
    ("01", "Dân số và dân tộc", "Population and ethnicity"),
    ("02", "Lao động, việc làm", "Labour and employment"),
    ("03", "Thu nhập", "Income"),
    ("04", "Nghèo đa chiều và an sinh xã hội", "Multidimensional poverty and social security"),
    ("05", "Giáo dục", "Education"),
    ("06", "Y tế", "Health"),
    (
        "07",
        "Kết cấu hạ tầng (đường, điện, nước sạch, trường, trạm y tế)",
        "Infrastructure (roads, electricity, clean water, schools, clinics)",
    ),
    ("08", "Văn hoá, thông tin", "Culture and information"),
    ("09", "Cán bộ, đại biểu là người dân tộc thiểu số", "Ethnic-minority officials and deputies"),
    ("10", "Đất đai, nhà ở", "Land and housing"),
]

# -- disaggregations and the options of the dimensions that have no default --------------------------
SEX, ETH, ETH_SEX, AREA, LEVEL = "by_sex", "by_ethnicity", "by_ethnicity_sex", "by_area", "by_level"
DISAGGREGATIONS = [
    (SEX, ("sex",)),
    (ETH, ("eth",)),
    (ETH_SEX, ("eth", "sex")),
    (AREA, ("area",)),
    (LEVEL, ("level",)),
]
OPTIONS = [
    ("area", "DBKK", "Thôn, bản đặc biệt khó khăn", "Extremely disadvantaged villages"),
    ("area", "KHAC", "Thôn, bản, tổ dân phố khác", "Other villages and residential groups"),
    ("level", "TH", "Tiểu học", "Primary"),
    ("level", "THCS", "Trung học cơ sở", "Lower secondary"),
    ("level", "THPT", "Trung học phổ thông", "Upper secondary"),
]

# -- indicators ----------------------------------------------------------------------------------------
# (code, name_vi, name_en, unit, value_type, disaggregation, required, definition_vi, method_vi, source_vi)
# Counts get min 0, percentages 0–100, other decimals min 0 unless LIMITS says otherwise.
INDICATORS = [
    # 01 Dân số và dân tộc
    ("0101", "Dân số người dân tộc thiểu số", "Ethnic-minority population", "người", "integer", ETH_SEX, True,
     f"Số người thuộc các dân tộc thiểu số (mọi dân tộc trừ dân tộc Kinh) thường trú trên địa bàn xã {CUOI_KY}.",
     "Đếm số nhân khẩu thường trú là người dân tộc thiểu số, chia theo dân tộc và giới tính.", CU_TRU),
    ("0102", "Số hộ dân tộc thiểu số", "Ethnic-minority households", "hộ", "integer", ETH, True,
     f"Số hộ có chủ hộ là người dân tộc thiểu số thường trú trên địa bàn xã {CUOI_KY}.",
     "Đếm số hộ theo dân tộc của chủ hộ.", CU_TRU),
    ("0103", "Tổng dân số của xã", "Total population of the commune", "người", "integer", SEX, True,
     f"Tổng số người thường trú trên địa bàn xã {CUOI_KY}, gồm cả người Kinh và người dân tộc thiểu số.",
     "Đếm toàn bộ nhân khẩu thường trú, chia theo giới tính.", CU_TRU),
    ("0104", "Tổng số hộ của xã", "Total households of the commune", "hộ", "integer", None, True,
     f"Tổng số hộ thường trú trên địa bàn xã {CUOI_KY}.",
     "Đếm toàn bộ số hộ thường trú trên địa bàn xã.", CU_TRU),
    ("0105", "Số trẻ em dân tộc thiểu số được sinh ra", "Ethnic-minority births", "người", "integer", ETH_SEX,
     False,
     f"Số trẻ em có cha hoặc mẹ là người dân tộc thiểu số được sinh ra sống {TRONG_KY}.",
     "Đếm số trẻ sinh ra sống theo sổ đăng ký khai sinh, chia theo dân tộc và giới tính của trẻ.", HO_TICH),
    ("0106", "Số người dân tộc thiểu số chết", "Ethnic-minority deaths", "người", "integer", ETH_SEX, False,
     f"Số người dân tộc thiểu số thường trú trên địa bàn xã bị chết {TRONG_KY}.",
     "Đếm số người chết theo sổ đăng ký khai tử, chia theo dân tộc và giới tính.", HO_TICH),
    ("0107", "Tỷ lệ người dân tộc thiểu số trong tổng dân số của xã",
     "Share of ethnic minorities in the population", "%", "percent", None, False,
     "Tỷ trọng dân số người dân tộc thiểu số trong tổng dân số của xã.",
     "= (Dân số người dân tộc thiểu số [0101] / Tổng dân số của xã [0103]) × 100.", CU_TRU),
    ("0108", "Số người dân tộc thiểu số chuyển đến", "Ethnic-minority in-migrants", "người", "integer", ETH, False,
     f"Số người dân tộc thiểu số đăng ký thường trú mới tại xã do chuyển đến từ nơi khác {TRONG_KY}.",
     "Đếm số người đăng ký thường trú chuyển đến, chia theo dân tộc.", CU_TRU),
    ("0109", "Số người dân tộc thiểu số chuyển đi", "Ethnic-minority out-migrants", "người", "integer", ETH, False,
     f"Số người dân tộc thiểu số xoá đăng ký thường trú tại xã do chuyển đi nơi khác {TRONG_KY}.",
     "Đếm số người xoá đăng ký thường trú do chuyển đi, chia theo dân tộc.", CU_TRU),
    ("0110", "Số thôn, bản có trên 50% số hộ là hộ dân tộc thiểu số",
     "Villages where most households are ethnic minorities", "thôn", "integer", None, False,
     f"Số thôn, bản, tổ dân phố có trên 50% số hộ là hộ dân tộc thiểu số {CUOI_KY}.",
     "Đếm các thôn, bản có số hộ dân tộc thiểu số chia cho tổng số hộ của thôn lớn hơn 50%.", UBND),
    ("0111", "Số người dân tộc thiểu số từ 60 tuổi trở lên", "Ethnic-minority people aged 60 and over", "người",
     "integer", SEX, False,
     f"Số người dân tộc thiểu số thường trú trên địa bàn xã có tuổi tròn từ 60 trở lên {CUOI_KY}.",
     "Đếm theo năm sinh trong cơ sở dữ liệu cư trú, chia theo giới tính.", CU_TRU),
    ("0112", "Số trẻ em dân tộc thiểu số dưới 16 tuổi", "Ethnic-minority children under 16", "người", "integer",
     SEX, False,
     f"Số người dân tộc thiểu số thường trú trên địa bàn xã chưa đủ 16 tuổi {CUOI_KY}.",
     "Đếm theo ngày sinh trong cơ sở dữ liệu cư trú, chia theo giới tính.", CU_TRU),
    ("0113", "Số cặp tảo hôn trong đồng bào dân tộc thiểu số", "Child marriages among ethnic minorities", "cặp",
     "integer", ETH, False,
     f"Số cặp chung sống như vợ chồng hoặc kết hôn khi một hoặc cả hai bên chưa đủ tuổi kết hôn theo Luật Hôn "
     f"nhân và gia đình (nam chưa đủ 20 tuổi, nữ chưa đủ 18 tuổi) phát hiện {TRONG_KY}.",
     "Đếm số cặp tảo hôn phát hiện được, chia theo dân tộc của người chưa đủ tuổi.", UBND),
    ("0114", "Số cặp kết hôn cận huyết thống trong đồng bào dân tộc thiểu số",
     "Consanguineous marriages among ethnic minorities", "cặp", "integer", ETH, False,
     f"Số cặp kết hôn hoặc chung sống như vợ chồng giữa những người có cùng dòng máu về trực hệ hoặc có họ "
     f"trong phạm vi ba đời phát hiện {TRONG_KY}.",
     "Đếm số cặp kết hôn cận huyết thống phát hiện được, chia theo dân tộc.", UBND),
    # 02 Lao động, việc làm
    ("0201", "Số người dân tộc thiểu số từ 15 tuổi trở lên", "Ethnic-minority people aged 15 and over", "người",
     "integer", ETH_SEX, True,
     f"Số người dân tộc thiểu số thường trú trên địa bàn xã có tuổi tròn từ 15 trở lên {CUOI_KY}.",
     "Đếm theo ngày sinh trong cơ sở dữ liệu cư trú, chia theo dân tộc và giới tính.", CU_TRU),
    ("0202", "Số lao động dân tộc thiểu số có việc làm", "Employed ethnic-minority workers", "người", "integer",
     ETH_SEX, True,
     f"Số người dân tộc thiểu số từ 15 tuổi trở lên có làm công việc tạo ra thu nhập từ 1 giờ trở lên trong "
     f"tuần trước thời điểm báo cáo, {CUOI_KY}.",
     "Tổng hợp từ danh sách lao động của các thôn, bản, chia theo dân tộc và giới tính.", LAO_DONG),
    ("0203", "Tỷ lệ lao động dân tộc thiểu số đã qua đào tạo", "Share of trained ethnic-minority workers", "%",
     "percent", SEX, False,
     "Tỷ lệ lao động dân tộc thiểu số có việc làm đã được đào tạo nghề hoặc có bằng, chứng chỉ chuyên môn "
     "từ 3 tháng trở lên.",
     "= (Số lao động DTTS có việc làm đã qua đào tạo / Số lao động DTTS có việc làm [0202]) × 100, "
     "tính riêng cho nam và nữ.", LAO_DONG),
    ("0204", "Số lao động dân tộc thiểu số làm nông, lâm nghiệp, thuỷ sản",
     "Ethnic-minority workers in agriculture, forestry and fishery", "người", "integer", SEX, False,
     f"Số lao động dân tộc thiểu số có việc làm chính thuộc ngành nông nghiệp, lâm nghiệp, thuỷ sản {CUOI_KY}.",
     "Đếm theo ngành của công việc chính, chia theo giới tính.", LAO_DONG),
    ("0205", "Số lao động dân tộc thiểu số được đào tạo nghề", "Ethnic-minority workers given vocational training",
     "người", "integer", SEX, False,
     f"Số lao động dân tộc thiểu số tham gia và hoàn thành khoá đào tạo nghề (sơ cấp hoặc dưới 3 tháng) "
     f"{TRONG_KY}.",
     "Đếm theo danh sách học viên hoàn thành khoá học, chia theo giới tính.", LAO_DONG),
    ("0206", "Số lao động dân tộc thiểu số đi làm việc ngoài tỉnh",
     "Ethnic-minority workers working outside the province", "người", "integer", SEX, False,
     f"Số lao động dân tộc thiểu số thường trú tại xã đang đi làm việc ở tỉnh, thành phố khác {CUOI_KY}.",
     "Tổng hợp từ báo cáo của trưởng thôn, bản, chia theo giới tính.", LAO_DONG),
    ("0207", "Số lao động dân tộc thiểu số đi làm việc ở nước ngoài theo hợp đồng",
     "Ethnic-minority workers abroad under contract", "người", "integer", SEX, False,
     f"Số lao động dân tộc thiểu số xuất cảnh đi làm việc ở nước ngoài theo hợp đồng {TRONG_KY}.",
     "Đếm theo danh sách lao động đã xuất cảnh, chia theo giới tính.", LAO_DONG),
    ("0208", "Số lao động dân tộc thiểu số được tạo việc làm mới", "Ethnic-minority workers placed in new jobs",
     "người", "integer", SEX, False,
     f"Số lao động dân tộc thiểu số có việc làm mới hoặc chuyển sang việc làm có thu nhập cao hơn {TRONG_KY}.",
     "Tổng hợp từ các chương trình giải quyết việc làm trên địa bàn, chia theo giới tính.", LAO_DONG),
    ("0209", "Số hợp tác xã, tổ hợp tác có thành viên là người dân tộc thiểu số",
     "Cooperatives with ethnic-minority members", "HTX", "integer", None, False,
     f"Số hợp tác xã, tổ hợp tác đang hoạt động trên địa bàn xã có ít nhất một thành viên là người dân tộc "
     f"thiểu số {CUOI_KY}.",
     "Đếm các hợp tác xã, tổ hợp tác đang hoạt động thoả mãn điều kiện.", UBND),
    ("0210", "Số người dân tộc thiểu số trong độ tuổi lao động chưa có việc làm",
     "Working-age ethnic-minority people without a job", "người", "integer", SEX, False,
     f"Số người dân tộc thiểu số từ 15 tuổi trở lên có khả năng lao động, đang tìm việc nhưng chưa có việc làm "
     f"{CUOI_KY}.",
     "Tổng hợp từ báo cáo của trưởng thôn, bản, chia theo giới tính.", LAO_DONG),
    # 03 Thu nhập
    ("0301", "Thu nhập bình quân đầu người của người dân tộc thiểu số",
     "Average income per head of ethnic minorities", "triệu đồng/người/năm", "decimal", None, True,
     "Tổng thu nhập trong năm của các hộ dân tộc thiểu số chia cho tổng số nhân khẩu của các hộ đó.",
     "= Tổng thu nhập của hộ DTTS / Tổng số nhân khẩu của hộ DTTS; thu nhập gồm tiền công, tiền lương, "
     "thu từ sản xuất (đã trừ chi phí) và các khoản thu khác.", DT53),
    ("0302", "Thu nhập bình quân đầu người của xã", "Average income per head in the commune",
     "triệu đồng/người/năm", "decimal", None, True,
     "Tổng thu nhập trong năm của các hộ trên địa bàn xã chia cho tổng dân số của xã.",
     "= Tổng thu nhập của các hộ / Tổng số nhân khẩu của các hộ.", UBND),
    ("0303", "Thu nhập bình quân đầu người chia theo dân tộc", "Average income per head by ethnic group",
     "triệu đồng/người/năm", "decimal", ETH, False,
     "Thu nhập bình quân đầu người một năm của các hộ có chủ hộ thuộc từng dân tộc thiểu số.",
     "Với mỗi dân tộc: tổng thu nhập của các hộ thuộc dân tộc đó / tổng số nhân khẩu của các hộ đó.", DT53),
    ("0304", "Số hộ dân tộc thiểu số có thu nhập chính từ nông, lâm nghiệp",
     "Ethnic-minority households living mainly on farming and forestry", "hộ", "integer", ETH, False,
     "Số hộ dân tộc thiểu số có nguồn thu nhập lớn nhất trong năm từ trồng trọt, chăn nuôi, lâm nghiệp, "
     "thuỷ sản.",
     "Đếm số hộ theo nguồn thu nhập chính, chia theo dân tộc của chủ hộ.", DT53),
    ("0305", "Số hộ dân tộc thiểu số có thu nhập từ tiền lương, tiền công",
     "Ethnic-minority households with wage income", "hộ", "integer", ETH, False,
     "Số hộ dân tộc thiểu số có ít nhất một thành viên có thu nhập từ tiền lương, tiền công trong năm.",
     "Đếm số hộ thoả mãn điều kiện, chia theo dân tộc của chủ hộ.", DT53),
    ("0306", "Giá trị sản xuất nông, lâm nghiệp, thuỷ sản trên địa bàn xã",
     "Output value of agriculture, forestry and fishery", "triệu đồng", "decimal", None, False,
     f"Tổng giá trị sản phẩm nông, lâm nghiệp, thuỷ sản sản xuất ra trên địa bàn xã {TRONG_KY} theo giá hiện "
     f"hành.",
     "= Σ (sản lượng từng sản phẩm × đơn giá bình quân trên thị trường địa phương).", UBND),
    ("0307", "Sản lượng lương thực có hạt bình quân đầu người", "Cereal output per head", "kg/người/năm",
     "decimal", None, False,
     "Sản lượng lúa, ngô và cây lương thực có hạt khác thu hoạch trong năm chia cho dân số của xã.",
     "= Tổng sản lượng lương thực có hạt (kg) / Tổng dân số của xã [0103].", UBND),
    ("0308", "Số hộ dân tộc thiểu số được vay vốn tín dụng chính sách",
     "Ethnic-minority households given policy loans", "hộ", "integer", ETH, False,
     f"Số hộ dân tộc thiểu số được Ngân hàng Chính sách xã hội giải ngân cho vay {TRONG_KY}.",
     "Đếm số hộ được giải ngân (mỗi hộ tính một lần), chia theo dân tộc của chủ hộ.", NHCS),
    ("0309", "Dư nợ cho vay hộ dân tộc thiểu số tại Ngân hàng Chính sách xã hội",
     "Outstanding policy loans to ethnic-minority households", "triệu đồng", "decimal", None, False,
     f"Tổng số tiền các hộ dân tộc thiểu số trên địa bàn xã còn nợ Ngân hàng Chính sách xã hội {CUOI_KY}.",
     "Tổng hợp dư nợ theo sổ theo dõi của các Tổ tiết kiệm và vay vốn.", NHCS),
    # 04 Nghèo đa chiều và an sinh xã hội
    ("0401", "Số hộ nghèo dân tộc thiểu số", "Poor ethnic-minority households", "hộ", "integer", ETH, True,
     f"Số hộ dân tộc thiểu số là hộ nghèo theo chuẩn nghèo đa chiều hiện hành {CUOI_KY}.",
     "Đếm theo danh sách hộ nghèo đã được phê duyệt, chia theo dân tộc của chủ hộ.", NGHEO),
    ("0402", "Số hộ cận nghèo dân tộc thiểu số", "Near-poor ethnic-minority households", "hộ", "integer", ETH,
     True,
     f"Số hộ dân tộc thiểu số là hộ cận nghèo theo chuẩn nghèo đa chiều hiện hành {CUOI_KY}.",
     "Đếm theo danh sách hộ cận nghèo đã được phê duyệt, chia theo dân tộc của chủ hộ.", NGHEO),
    ("0403", "Tỷ lệ hộ nghèo dân tộc thiểu số", "Poverty rate of ethnic-minority households", "%", "percent",
     None, True,
     "Tỷ lệ hộ nghèo trong tổng số hộ dân tộc thiểu số của xã.",
     "= (Số hộ nghèo DTTS [0401] / Số hộ DTTS [0102]) × 100.", NGHEO),
    ("0404", "Tỷ lệ hộ cận nghèo dân tộc thiểu số", "Near-poverty rate of ethnic-minority households", "%",
     "percent", None, False,
     "Tỷ lệ hộ cận nghèo trong tổng số hộ dân tộc thiểu số của xã.",
     "= (Số hộ cận nghèo DTTS [0402] / Số hộ DTTS [0102]) × 100.", NGHEO),
    ("0405", "Số hộ dân tộc thiểu số thoát nghèo", "Ethnic-minority households out of poverty", "hộ", "integer",
     ETH, False,
     f"Số hộ dân tộc thiểu số ra khỏi danh sách hộ nghèo {TRONG_KY}.",
     "So sánh danh sách hộ nghèo đầu kỳ và cuối kỳ, chia theo dân tộc của chủ hộ.", NGHEO),
    ("0406", "Số hộ dân tộc thiểu số nghèo phát sinh mới", "New poor ethnic-minority households", "hộ",
     "integer", ETH, False,
     f"Số hộ dân tộc thiểu số mới rơi vào nghèo hoặc tái nghèo {TRONG_KY}.",
     "So sánh danh sách hộ nghèo đầu kỳ và cuối kỳ, chia theo dân tộc của chủ hộ.", NGHEO),
    ("0407", "Số người dân tộc thiểu số có thẻ bảo hiểm y tế", "Ethnic-minority people with health insurance",
     "người", "integer", ETH_SEX, False,
     f"Số người dân tộc thiểu số thường trú trên địa bàn xã có thẻ bảo hiểm y tế còn giá trị sử dụng {CUOI_KY}.",
     "Đối chiếu danh sách cấp thẻ của cơ quan Bảo hiểm xã hội với cơ sở dữ liệu cư trú, chia theo dân tộc "
     "và giới tính.", BHXH),
    ("0408", "Số người dân tộc thiểu số hưởng trợ cấp xã hội hằng tháng",
     "Ethnic-minority people on monthly social allowances", "người", "integer", SEX, False,
     f"Số người dân tộc thiểu số đang hưởng trợ cấp xã hội hằng tháng (người cao tuổi, người khuyết tật, trẻ "
     f"mồ côi …) {CUOI_KY}.",
     "Đếm theo danh sách chi trả trợ cấp, chia theo giới tính.", VHXH),
    ("0409", "Số hộ dân tộc thiểu số thiếu đói", "Ethnic-minority households short of food", "hộ", "integer",
     ETH, False,
     f"Số hộ dân tộc thiểu số thiếu lương thực, phải nhận hỗ trợ gạo hoặc lương thực cứu đói {TRONG_KY}.",
     "Đếm theo danh sách hộ thiếu đói do các thôn, bản báo cáo, chia theo dân tộc của chủ hộ.", UBND),
    ("0410", "Số hộ dân tộc thiểu số được hỗ trợ nhà ở", "Ethnic-minority households given housing support",
     "hộ", "integer", None, False,
     f"Số hộ dân tộc thiểu số được hỗ trợ xây mới hoặc sửa chữa nhà ở từ các chương trình, chính sách {TRONG_KY}.",
     "Đếm số hộ đã nhận hỗ trợ (mỗi hộ tính một lần).", MTQG),
    ("0411", "Số hộ dân tộc thiểu số được hỗ trợ đất sản xuất",
     "Ethnic-minority households given farmland support", "hộ", "integer", None, False,
     f"Số hộ dân tộc thiểu số được giao đất sản xuất hoặc hỗ trợ chuyển đổi nghề thay cho đất sản xuất "
     f"{TRONG_KY}.",
     "Đếm số hộ đã nhận hỗ trợ.", MTQG),
    ("0412", "Số hộ dân tộc thiểu số được hỗ trợ nước sinh hoạt phân tán",
     "Ethnic-minority households given water-supply support", "hộ", "integer", None, False,
     f"Số hộ dân tộc thiểu số được hỗ trợ bể chứa, téc nước hoặc dụng cụ trữ nước sinh hoạt {TRONG_KY}.",
     "Đếm số hộ đã nhận hỗ trợ.", MTQG),
    ("0413", "Kinh phí Chương trình mục tiêu quốc gia vùng đồng bào dân tộc thiểu số đã giải ngân",
     "Disbursed funds of the national target programme for ethnic-minority areas", "triệu đồng", "decimal",
     None, False,
     f"Tổng kinh phí của Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc "
     f"thiểu số và miền núi đã giải ngân trên địa bàn xã {TRONG_KY}.",
     "Cộng số kinh phí đã giải ngân của các dự án, tiểu dự án thực hiện trên địa bàn xã.", MTQG),
    ("0414", "Xã đã thoát khỏi tình trạng đặc biệt khó khăn",
     "The commune is no longer extremely disadvantaged", "", "yes_no", None, False,
     "Xã đã được cấp có thẩm quyền công nhận hoàn thành mục tiêu thoát khỏi tình trạng đặc biệt khó khăn.",
     "Ghi 1 (có) nếu đã có quyết định công nhận, 0 (không) nếu chưa.", UBND),
    ("0415", "Số người dân tộc thiểu số tham gia bảo hiểm xã hội tự nguyện",
     "Ethnic-minority people in voluntary social insurance", "người", "integer", SEX, False,
     f"Số người dân tộc thiểu số đang đóng bảo hiểm xã hội tự nguyện {CUOI_KY}.",
     "Đối chiếu danh sách của cơ quan Bảo hiểm xã hội, chia theo giới tính.", BHXH),
    # 05 Giáo dục
    ("0501", "Số trẻ em dân tộc thiểu số từ 3 đến 5 tuổi", "Ethnic-minority children aged 3 to 5", "người",
     "integer", SEX, False,
     f"Số trẻ em dân tộc thiểu số thường trú trên địa bàn xã trong độ tuổi mẫu giáo (3–5 tuổi) {CUOI_KY}.",
     "Đếm theo năm sinh trong hồ sơ phổ cập giáo dục, chia theo giới tính.", PHO_CAP),
    ("0502", "Số trẻ em dân tộc thiểu số từ 3 đến 5 tuổi đi học mẫu giáo",
     "Ethnic-minority children aged 3 to 5 in pre-school", "người", "integer", SEX, False,
     f"Số trẻ em dân tộc thiểu số 3–5 tuổi đang học tại các cơ sở giáo dục mầm non {CUOI_KY}.",
     "Tổng hợp từ danh sách trẻ của các trường mầm non, chia theo giới tính.", TRUONG),
    ("0503", "Tỷ lệ trẻ em dân tộc thiểu số đi học đúng độ tuổi cấp tiểu học",
     "Net primary enrolment rate of ethnic-minority children", "%", "percent", None, False,
     "Tỷ lệ trẻ em dân tộc thiểu số 6–10 tuổi đang học tiểu học trong tổng số trẻ em dân tộc thiểu số 6–10 "
     "tuổi.",
     "= (Số trẻ DTTS 6–10 tuổi đang học tiểu học / Số trẻ DTTS 6–10 tuổi) × 100.", PHO_CAP),
    ("0504", "Tỷ lệ trẻ em dân tộc thiểu số đi học đúng độ tuổi cấp trung học cơ sở",
     "Net lower-secondary enrolment rate of ethnic-minority children", "%", "percent", None, False,
     "Tỷ lệ trẻ em dân tộc thiểu số 11–14 tuổi đang học trung học cơ sở trong tổng số trẻ em dân tộc thiểu số "
     "11–14 tuổi.",
     "= (Số trẻ DTTS 11–14 tuổi đang học THCS / Số trẻ DTTS 11–14 tuổi) × 100.", PHO_CAP),
    ("0505", "Số học sinh dân tộc thiểu số chia theo cấp học", "Ethnic-minority pupils by school level",
     "học sinh", "integer", LEVEL, True,
     f"Số học sinh là người dân tộc thiểu số thường trú tại xã đang theo học các cấp phổ thông {CUOI_KY}.",
     "Tổng hợp từ danh sách học sinh của các trường, chia theo cấp học.", TRUONG),
    ("0506", "Số học sinh dân tộc thiểu số bỏ học", "Ethnic-minority pupils who dropped out", "học sinh",
     "integer", LEVEL, False,
     f"Số học sinh dân tộc thiểu số thôi học, không tiếp tục theo học {TRONG_KY}.",
     "Tổng hợp từ báo cáo của các trường, chia theo cấp học.", TRUONG),
    ("0507", "Số học sinh dân tộc thiểu số học trường phổ thông dân tộc nội trú, bán trú",
     "Ethnic-minority pupils in boarding and semi-boarding schools", "học sinh", "integer", SEX, False,
     f"Số học sinh dân tộc thiểu số của xã đang học tại trường phổ thông dân tộc nội trú hoặc bán trú "
     f"{CUOI_KY}.",
     "Tổng hợp từ danh sách của các trường, chia theo giới tính.", TRUONG),
    ("0508", "Số người dân tộc thiểu số từ 15 tuổi trở lên biết đọc, biết viết",
     "Literate ethnic-minority people aged 15 and over", "người", "integer", ETH_SEX, False,
     f"Số người dân tộc thiểu số từ 15 tuổi trở lên đọc, viết và hiểu được một câu đơn giản bằng chữ quốc ngữ, "
     f"chữ dân tộc hoặc chữ nước ngoài {CUOI_KY}.",
     "Tổng hợp từ hồ sơ xoá mù chữ, chia theo dân tộc và giới tính.", PHO_CAP),
    ("0509", "Tỷ lệ người dân tộc thiểu số từ 15 đến 60 tuổi biết chữ",
     "Literacy rate of ethnic minorities aged 15 to 60", "%", "percent", None, False,
     "Tỷ lệ người dân tộc thiểu số 15–60 tuổi biết chữ trong tổng số người dân tộc thiểu số 15–60 tuổi.",
     "= (Số người DTTS 15–60 tuổi biết chữ / Số người DTTS 15–60 tuổi) × 100.", PHO_CAP),
    ("0510", "Số người dân tộc thiểu số có trình độ đại học trở lên",
     "Ethnic-minority people with a university degree", "người", "integer", SEX, False,
     f"Số người dân tộc thiểu số thường trú tại xã đã tốt nghiệp đại học, thạc sĩ hoặc tiến sĩ {CUOI_KY}.",
     "Tổng hợp từ báo cáo của các thôn, bản, chia theo giới tính.", DT53),
    ("0511", "Số giáo viên là người dân tộc thiểu số", "Ethnic-minority teachers", "người", "integer", SEX,
     False,
     f"Số giáo viên là người dân tộc thiểu số đang giảng dạy tại các trường trên địa bàn xã {CUOI_KY}.",
     "Tổng hợp từ danh sách giáo viên của các trường, chia theo giới tính.", TRUONG),
    ("0512", "Số học sinh dân tộc thiểu số được hỗ trợ tiền ăn, gạo",
     "Ethnic-minority pupils given meal or rice support", "học sinh", "integer", SEX, False,
     f"Số học sinh dân tộc thiểu số được hưởng chính sách hỗ trợ tiền ăn, hỗ trợ gạo {TRONG_KY}.",
     "Đếm theo danh sách được duyệt hưởng chính sách, chia theo giới tính.", TRUONG),
    ("0513", "Số lớp xoá mù chữ được mở", "Literacy classes opened", "lớp", "integer", None, False,
     f"Số lớp xoá mù chữ cho người dân tộc thiểu số được mở trên địa bàn xã {TRONG_KY}.",
     "Đếm số lớp đã khai giảng.", PHO_CAP),
    ("0514", "Xã đạt chuẩn phổ cập giáo dục tiểu học", "The commune meets the primary-education standard", "",
     "yes_no", None, False,
     "Xã được công nhận đạt chuẩn phổ cập giáo dục tiểu học (từ mức độ 1 trở lên) còn hiệu lực.",
     "Ghi 1 (có) nếu đã được công nhận và còn hiệu lực, 0 (không) nếu chưa.", PHO_CAP),
    ("0515", "Số trẻ em dân tộc thiểu số từ 6 đến 14 tuổi không đi học",
     "Out-of-school ethnic-minority children aged 6 to 14", "người", "integer", SEX, False,
     f"Số trẻ em dân tộc thiểu số 6–14 tuổi chưa từng đi học hoặc đã bỏ học {CUOI_KY}.",
     "Đối chiếu hồ sơ phổ cập giáo dục với danh sách học sinh, chia theo giới tính.", PHO_CAP),
    # 06 Y tế
    ("0601", "Xã đạt Bộ tiêu chí quốc gia về y tế xã", "The commune meets the national health criteria", "",
     "yes_no", None, False,
     "Xã được công nhận đạt Bộ tiêu chí quốc gia về y tế xã còn hiệu lực.",
     "Ghi 1 (có) nếu đã được công nhận, 0 (không) nếu chưa.", TYT),
    ("0602", "Số bác sĩ làm việc tại trạm y tế xã", "Doctors at the commune clinic", "người", "integer", None,
     False,
     f"Số bác sĩ (kể cả bác sĩ luân phiên, tăng cường) đang làm việc tại trạm y tế xã {CUOI_KY}.",
     "Đếm theo danh sách nhân lực của trạm y tế.", TYT),
    ("0603", "Số nhân viên y tế thôn, bản đang hoạt động", "Active village health workers", "người", "integer",
     None, False,
     f"Số nhân viên y tế thôn, bản đang hoạt động và hưởng phụ cấp {CUOI_KY}.",
     "Đếm theo danh sách chi trả phụ cấp.", TYT),
    ("0604", "Số cô đỡ thôn, bản", "Village midwives", "người", "integer", None, False,
     f"Số cô đỡ thôn, bản đã qua đào tạo đang hoạt động {CUOI_KY}.",
     "Đếm theo danh sách do trạm y tế quản lý.", TYT),
    ("0605", "Tỷ lệ phụ nữ dân tộc thiểu số sinh con tại cơ sở y tế",
     "Share of ethnic-minority births at health facilities", "%", "percent", None, False,
     "Tỷ lệ ca sinh của phụ nữ dân tộc thiểu số diễn ra tại cơ sở y tế hoặc có cán bộ y tế đỡ.",
     "= (Số ca sinh của phụ nữ DTTS tại cơ sở y tế / Tổng số ca sinh của phụ nữ DTTS) × 100.", TYT),
    ("0606", "Tỷ lệ phụ nữ dân tộc thiểu số mang thai được khám thai từ 4 lần trở lên",
     "Share of ethnic-minority pregnancies with 4 or more check-ups", "%", "percent", None, False,
     "Tỷ lệ phụ nữ dân tộc thiểu số sinh con trong kỳ đã được khám thai ít nhất 4 lần trong thời kỳ mang thai.",
     "= (Số phụ nữ DTTS đẻ được khám thai ≥ 4 lần / Tổng số phụ nữ DTTS đẻ) × 100.", TYT),
    ("0607", "Tỷ lệ trẻ em dân tộc thiểu số dưới 1 tuổi được tiêm chủng đầy đủ",
     "Full immunisation rate of ethnic-minority infants", "%", "percent", None, False,
     "Tỷ lệ trẻ em dân tộc thiểu số dưới 1 tuổi được tiêm đủ các loại vắc xin trong Chương trình tiêm chủng "
     "mở rộng.",
     "= (Số trẻ DTTS dưới 1 tuổi tiêm chủng đầy đủ / Số trẻ DTTS dưới 1 tuổi) × 100.", TYT),
    ("0608", "Số trẻ em dân tộc thiểu số dưới 5 tuổi suy dinh dưỡng thể thấp còi",
     "Stunted ethnic-minority children under 5", "người", "integer", SEX, False,
     "Số trẻ em dân tộc thiểu số dưới 5 tuổi có chiều cao theo tuổi thấp hơn −2 độ lệch chuẩn so với chuẩn "
     "tăng trưởng của WHO.",
     "Tổng hợp từ kết quả cân, đo trẻ em trong kỳ, chia theo giới tính.", TYT),
    ("0609", "Số trẻ em dân tộc thiểu số dưới 5 tuổi", "Ethnic-minority children under 5", "người", "integer",
     SEX, False,
     f"Số trẻ em dân tộc thiểu số dưới 5 tuổi thường trú trên địa bàn xã {CUOI_KY}.",
     "Đếm theo ngày sinh trong cơ sở dữ liệu cư trú, chia theo giới tính.", CU_TRU),
    ("0610", "Số bà mẹ dân tộc thiểu số tử vong liên quan đến thai sản", "Ethnic-minority maternal deaths",
     "người", "integer", None, False,
     f"Số phụ nữ dân tộc thiểu số tử vong trong thời kỳ mang thai, khi sinh hoặc trong 42 ngày sau sinh do "
     f"nguyên nhân liên quan đến thai sản {TRONG_KY}.",
     "Đếm theo sổ theo dõi tử vong của trạm y tế.", TYT),
    ("0611", "Số trẻ em dân tộc thiểu số dưới 1 tuổi tử vong", "Ethnic-minority infant deaths", "người",
     "integer", SEX, False,
     f"Số trẻ em dân tộc thiểu số sinh ra sống nhưng chết trước khi tròn 1 tuổi {TRONG_KY}.",
     "Đếm theo sổ theo dõi tử vong của trạm y tế, chia theo giới tính.", TYT),
    ("0612", "Số giường bệnh tại trạm y tế xã", "Beds at the commune clinic", "giường", "integer", None, False,
     f"Số giường bệnh được trang bị tại trạm y tế xã (kể cả các điểm trạm) {CUOI_KY}.",
     "Đếm số giường hiện có.", TYT),
    ("0613", "Tỷ lệ người dân tộc thiểu số tham gia bảo hiểm y tế",
     "Health-insurance coverage of ethnic minorities", "%", "percent", None, False,
     "Tỷ lệ người dân tộc thiểu số có thẻ bảo hiểm y tế còn giá trị trong tổng dân số dân tộc thiểu số của xã.",
     "= (Số người DTTS có thẻ BHYT [0407] / Dân số người DTTS [0101]) × 100.", BHXH),
    # 07 Kết cấu hạ tầng
    ("0701", "Xã có đường ô tô đến trung tâm xã được cứng hoá",
     "A paved road reaches the commune centre", "", "yes_no", None, True,
     "Có đường ô tô từ trung tâm xã cũ đi đến trung tâm xã mới đã được rải nhựa hoặc bê tông, đi lại được "
     "quanh năm.",
     "Ghi 1 (có) hoặc 0 (không).", GTNT),
    ("0702", "Tổng chiều dài đường giao thông nông thôn", "Length of rural roads", "km", "decimal", None, False,
     f"Tổng chiều dài đường trục xã, đường thôn, bản, đường ngõ xóm và đường trục chính nội đồng {CUOI_KY}.",
     "Cộng chiều dài các tuyến đường theo hồ sơ quản lý giao thông nông thôn.", GTNT),
    ("0703", "Chiều dài đường giao thông nông thôn được cứng hoá", "Length of paved rural roads", "km",
     "decimal", None, False,
     f"Chiều dài đường giao thông nông thôn đã được rải nhựa, bê tông hoặc lát gạch, đá {CUOI_KY}.",
     "Cộng chiều dài các đoạn đường đã cứng hoá.", GTNT),
    ("0704", "Số thôn, bản có đường ô tô đến trung tâm thôn được cứng hoá",
     "Villages reached by a paved road", "thôn", "integer", AREA, False,
     f"Số thôn, bản có đường ô tô từ trung tâm xã đến trung tâm thôn được cứng hoá {CUOI_KY}.",
     "Đếm số thôn, bản thoả mãn điều kiện, chia theo loại thôn.", GTNT),
    ("0705", "Tổng số thôn, bản, tổ dân phố của xã", "Villages and residential groups of the commune", "thôn",
     "integer", AREA, True,
     f"Số thôn, bản, tổ dân phố thuộc xã theo quyết định thành lập {CUOI_KY}.",
     "Đếm theo danh sách thôn, tổ dân phố, chia theo loại thôn (đặc biệt khó khăn hay không).", UBND),
    ("0706", "Số hộ dân tộc thiểu số được sử dụng điện lưới quốc gia",
     "Ethnic-minority households on the national grid", "hộ", "integer", AREA, False,
     f"Số hộ dân tộc thiểu số được sử dụng điện lưới quốc gia thường xuyên, an toàn {CUOI_KY}.",
     "Tổng hợp từ báo cáo của các thôn, bản, chia theo loại thôn.", DIEN),
    ("0707", "Tỷ lệ hộ dân tộc thiểu số được sử dụng điện lưới quốc gia",
     "Share of ethnic-minority households on the national grid", "%", "percent", None, False,
     "Tỷ lệ hộ dân tộc thiểu số được sử dụng điện lưới quốc gia trong tổng số hộ dân tộc thiểu số.",
     "= (Số hộ DTTS dùng điện lưới [0706] / Số hộ DTTS [0102]) × 100.", DIEN),
    ("0708", "Số hộ dân tộc thiểu số được sử dụng nước sinh hoạt hợp vệ sinh",
     "Ethnic-minority households with safe domestic water", "hộ", "integer", AREA, False,
     f"Số hộ dân tộc thiểu số sử dụng nước sinh hoạt từ nguồn hợp vệ sinh (nước máy, giếng khoan, giếng đào "
     f"được bảo vệ, nước khe suối qua xử lý …) {CUOI_KY}.",
     "Tổng hợp từ báo cáo của các thôn, bản, chia theo loại thôn.", NUOC),
    ("0709", "Tỷ lệ hộ dân tộc thiểu số sử dụng nước sạch đạt quy chuẩn",
     "Share of ethnic-minority households with standard clean water", "%", "percent", None, False,
     "Tỷ lệ hộ dân tộc thiểu số sử dụng nước sạch đáp ứng quy chuẩn kỹ thuật quốc gia.",
     "= (Số hộ DTTS dùng nước sạch đạt quy chuẩn / Số hộ DTTS [0102]) × 100.", NUOC),
    ("0710", "Số công trình cấp nước sinh hoạt tập trung", "Piped water schemes", "công trình", "integer",
     None, False,
     f"Số công trình cấp nước sinh hoạt tập trung trên địa bàn xã {CUOI_KY}.",
     "Đếm theo hồ sơ quản lý công trình.", NUOC),
    ("0711", "Số công trình cấp nước tập trung hoạt động bền vững",
     "Piped water schemes working sustainably", "công trình", "integer", None, False,
     f"Số công trình cấp nước sinh hoạt tập trung được đánh giá hoạt động bền vững hoặc tương đối bền vững "
     f"{CUOI_KY}.",
     "Đếm theo kết quả đánh giá hiện trạng công trình.", NUOC),
    ("0712", "Số trường học trên địa bàn xã", "Schools in the commune", "trường", "integer", None, False,
     f"Số trường mầm non, tiểu học, trung học cơ sở, trung học phổ thông và trường liên cấp đặt trên địa bàn "
     f"xã {CUOI_KY}.",
     "Đếm số trường (không tính điểm trường lẻ).", TRUONG),
    ("0713", "Số trường học đạt chuẩn quốc gia", "Schools meeting the national standard", "trường", "integer",
     None, False,
     f"Số trường học trên địa bàn xã được công nhận đạt chuẩn quốc gia còn hiệu lực {CUOI_KY}.",
     "Đếm theo quyết định công nhận.", TRUONG),
    ("0714", "Tỷ lệ phòng học được kiên cố hoá", "Share of permanent classrooms", "%", "percent", None, False,
     "Tỷ lệ phòng học kiên cố trong tổng số phòng học của các trường trên địa bàn xã.",
     "= (Số phòng học kiên cố / Tổng số phòng học) × 100.", TRUONG),
    ("0715", "Trạm y tế xã có nhà trạm kiên cố", "The commune clinic has a permanent building", "", "yes_no",
     None, False,
     "Trạm y tế xã có nhà trạm được xây dựng kiên cố, đủ phòng chức năng theo quy định.",
     "Ghi 1 (có) hoặc 0 (không).", TYT),
    ("0716", "Số chợ trên địa bàn xã", "Markets in the commune", "chợ", "integer", None, False,
     f"Số chợ (kể cả chợ phiên vùng cao) đang hoạt động trên địa bàn xã {CUOI_KY}.",
     "Đếm theo danh sách chợ do UBND xã quản lý.", UBND),
    ("0717", "Số thôn, bản có sóng điện thoại di động", "Villages with mobile-phone coverage", "thôn",
     "integer", AREA, False,
     f"Số thôn, bản, tổ dân phố có sóng điện thoại di động (2G trở lên) phủ khu dân cư {CUOI_KY}.",
     "Tổng hợp từ báo cáo của các thôn, bản, chia theo loại thôn.", UBND),
    # 08 Văn hoá, thông tin
    ("0801", "Số thôn, bản có nhà văn hoá", "Villages with a cultural house", "thôn", "integer", AREA, False,
     f"Số thôn, bản, tổ dân phố có nhà văn hoá hoặc nhà sinh hoạt cộng đồng {CUOI_KY}.",
     "Đếm theo danh sách thôn, bản, chia theo loại thôn.", VHXH),
    ("0802", "Số đội văn nghệ truyền thống đang hoạt động", "Active traditional performing troupes", "đội",
     "integer", None, False,
     f"Số đội, nhóm văn nghệ dân gian, truyền thống của đồng bào dân tộc thiểu số đang hoạt động {CUOI_KY}.",
     "Đếm theo danh sách đội văn nghệ do xã quản lý.", VHXH),
    ("0803", "Số lễ hội truyền thống của đồng bào dân tộc thiểu số được tổ chức",
     "Traditional festivals of ethnic minorities held", "lễ hội", "integer", None, False,
     f"Số lễ hội truyền thống của đồng bào dân tộc thiểu số được tổ chức trên địa bàn xã {TRONG_KY}.",
     "Đếm số lễ hội đã tổ chức.", VHXH),
    ("0804", "Tên các lễ hội truyền thống đã tổ chức", "Names of the traditional festivals held", "", "text",
     None, False,
     f"Tên các lễ hội truyền thống của đồng bào dân tộc thiểu số đã tổ chức trên địa bàn xã {TRONG_KY}.",
     "Ghi tên từng lễ hội, cách nhau bằng dấu phẩy (ví dụ: Lễ hội Lồng Tồng, Gầu Tào).", VHXH),
    ("0805", "Số nghệ nhân là người dân tộc thiểu số", "Ethnic-minority artisans", "người", "integer", SEX, False,
     f"Số người dân tộc thiểu số được phong tặng danh hiệu Nghệ nhân nhân dân, Nghệ nhân ưu tú hoặc được "
     f"công nhận là người nắm giữ di sản văn hoá {CUOI_KY}.",
     "Đếm theo quyết định phong tặng, công nhận, chia theo giới tính.", VHXH),
    ("0806", "Tỷ lệ hộ dân tộc thiểu số được nghe, xem phát thanh, truyền hình",
     "Share of ethnic-minority households reached by radio or television", "%", "percent", None, False,
     "Tỷ lệ hộ dân tộc thiểu số có phương tiện nghe đài, xem truyền hình hoặc được phủ sóng truyền thanh cơ "
     "sở.",
     "= (Số hộ DTTS được nghe, xem / Số hộ DTTS [0102]) × 100.", VHXH),
    ("0807", "Số thôn, bản có loa truyền thanh hoạt động", "Villages with working loudspeakers", "thôn",
     "integer", AREA, False,
     f"Số thôn, bản có cụm loa của đài truyền thanh cơ sở đang hoạt động {CUOI_KY}.",
     "Đếm theo báo cáo của các thôn, bản, chia theo loại thôn.", VHXH),
    ("0808", "Số buổi tuyên truyền, phổ biến pháp luật cho đồng bào dân tộc thiểu số",
     "Legal-awareness sessions for ethnic minorities", "buổi", "integer", None, False,
     f"Số buổi tuyên truyền, phổ biến, giáo dục pháp luật tổ chức cho đồng bào dân tộc thiểu số {TRONG_KY}.",
     "Đếm số buổi đã tổ chức.", VHXH),
    ("0809", "Số lượt người dân tộc thiểu số dự tuyên truyền, phổ biến pháp luật",
     "Ethnic-minority attendances at legal-awareness sessions", "lượt người", "integer", SEX, False,
     f"Số lượt người dân tộc thiểu số tham dự các buổi tuyên truyền, phổ biến pháp luật {TRONG_KY}.",
     "Cộng số người dự của các buổi, chia theo giới tính.", VHXH),
    ("0810", "Số di tích lịch sử - văn hoá được xếp hạng", "Ranked historical and cultural sites", "di tích",
     "integer", None, False,
     f"Số di tích lịch sử - văn hoá, danh lam thắng cảnh trên địa bàn xã đã được xếp hạng các cấp {CUOI_KY}.",
     "Đếm theo quyết định xếp hạng.", VHXH),
    ("0811", "Số thôn, bản đạt danh hiệu văn hoá", "Villages awarded the cultural-village title", "thôn",
     "integer", None, False,
     f"Số thôn, bản, tổ dân phố được công nhận danh hiệu thôn, tổ dân phố văn hoá {TRONG_KY}.",
     "Đếm theo quyết định công nhận.", VHXH),
    # 09 Cán bộ, đại biểu là người dân tộc thiểu số
    ("0901", "Tổng số cán bộ, công chức xã", "Commune officials and civil servants", "người", "integer", SEX,
     True,
     f"Tổng số cán bộ, công chức cấp xã đang làm việc {CUOI_KY}.",
     "Đếm theo hồ sơ cán bộ, công chức, chia theo giới tính.", NOI_VU),
    ("0902", "Số cán bộ, công chức xã là người dân tộc thiểu số",
     "Ethnic-minority commune officials and civil servants", "người", "integer", ETH_SEX, True,
     f"Số cán bộ, công chức cấp xã là người dân tộc thiểu số {CUOI_KY}.",
     "Đếm theo hồ sơ cán bộ, công chức, chia theo dân tộc và giới tính.", NOI_VU),
    ("0903", "Tỷ lệ cán bộ, công chức xã là người dân tộc thiểu số",
     "Share of ethnic minorities among commune officials", "%", "percent", None, False,
     "Tỷ lệ cán bộ, công chức xã là người dân tộc thiểu số trong tổng số cán bộ, công chức xã.",
     "= (Số CBCC xã là người DTTS [0902] / Tổng số CBCC xã [0901]) × 100.", NOI_VU),
    ("0904", "Tổng số đại biểu Hội đồng nhân dân xã", "Members of the commune People's Council", "người",
     "integer", SEX, False,
     f"Tổng số đại biểu Hội đồng nhân dân xã nhiệm kỳ hiện tại {CUOI_KY}.",
     "Đếm theo danh sách đại biểu, chia theo giới tính.", NOI_VU),
    ("0905", "Số đại biểu Hội đồng nhân dân xã là người dân tộc thiểu số",
     "Ethnic-minority members of the commune People's Council", "người", "integer", ETH_SEX, False,
     f"Số đại biểu Hội đồng nhân dân xã là người dân tộc thiểu số {CUOI_KY}.",
     "Đếm theo danh sách đại biểu, chia theo dân tộc và giới tính.", NOI_VU),
    ("0906", "Số người có uy tín trong đồng bào dân tộc thiểu số",
     "Prestigious persons among ethnic minorities", "người", "integer", ETH_SEX, False,
     f"Số người có uy tín trong đồng bào dân tộc thiểu số được Chủ tịch UBND tỉnh phê duyệt danh sách "
     f"{CUOI_KY}.",
     "Đếm theo danh sách người có uy tín được phê duyệt, chia theo dân tộc và giới tính.", UBND),
    ("0907", "Số trưởng thôn, bản là người dân tộc thiểu số", "Ethnic-minority village heads", "người",
     "integer", SEX, False,
     f"Số trưởng thôn, bản, tổ trưởng tổ dân phố là người dân tộc thiểu số {CUOI_KY}.",
     "Đếm theo danh sách trưởng thôn, chia theo giới tính.", NOI_VU),
    ("0908", "Số cán bộ, công chức xã là người dân tộc thiểu số có trình độ đại học trở lên",
     "Ethnic-minority commune officials with a university degree", "người", "integer", SEX, False,
     f"Số cán bộ, công chức xã là người dân tộc thiểu số có trình độ chuyên môn từ đại học trở lên {CUOI_KY}.",
     "Đếm theo hồ sơ cán bộ, công chức, chia theo giới tính.", NOI_VU),
    ("0909", "Số lượt cán bộ dân tộc thiểu số được đào tạo, bồi dưỡng",
     "Training courses attended by ethnic-minority officials", "lượt người", "integer", SEX, False,
     f"Số lượt cán bộ, công chức, người hoạt động không chuyên trách là người dân tộc thiểu số được cử đi đào "
     f"tạo, bồi dưỡng {TRONG_KY}.",
     "Cộng số lượt người được cử đi học, chia theo giới tính.", NOI_VU),
    ("0910", "Số đảng viên là người dân tộc thiểu số", "Ethnic-minority party members", "người", "integer",
     SEX, False,
     f"Số đảng viên là người dân tộc thiểu số sinh hoạt tại Đảng bộ xã {CUOI_KY}.",
     "Tổng hợp từ báo cáo của Đảng uỷ xã, chia theo giới tính.", NOI_VU),
    ("0911", "Xã có công chức được giao theo dõi công tác dân tộc",
     "A civil servant is assigned to ethnic affairs", "", "yes_no", None, False,
     "Xã có công chức được phân công theo dõi, tham mưu về công tác dân tộc.",
     "Ghi 1 (có) hoặc 0 (không).", NOI_VU),
    # 10 Đất đai, nhà ở
    ("1001", "Tổng diện tích đất tự nhiên của xã", "Total natural area of the commune", "ha", "decimal", None,
     True,
     f"Tổng diện tích các loại đất trong địa giới hành chính của xã {CUOI_KY}.",
     "Theo số liệu thống kê, kiểm kê đất đai gần nhất.", DAT_DAI),
    ("1002", "Diện tích đất sản xuất nông nghiệp", "Agricultural production land", "ha", "decimal", None,
     False,
     f"Diện tích đất trồng cây hằng năm và cây lâu năm của xã {CUOI_KY}.",
     "Theo số liệu thống kê đất đai.", DAT_DAI),
    ("1003", "Diện tích đất lâm nghiệp", "Forestry land", "ha", "decimal", None, False,
     f"Diện tích đất rừng sản xuất, rừng phòng hộ và rừng đặc dụng của xã {CUOI_KY}.",
     "Theo số liệu thống kê đất đai.", DAT_DAI),
    ("1004", "Số hộ dân tộc thiểu số thiếu đất sản xuất", "Ethnic-minority households short of farmland", "hộ",
     "integer", ETH, False,
     f"Số hộ dân tộc thiểu số sống chủ yếu bằng nghề nông, lâm nghiệp có diện tích đất sản xuất dưới mức quy "
     f"định của tỉnh {CUOI_KY}.",
     "Tổng hợp từ kết quả rà soát của các thôn, bản, chia theo dân tộc của chủ hộ.", UBND),
    ("1005", "Số hộ dân tộc thiểu số thiếu đất ở", "Ethnic-minority households short of residential land",
     "hộ", "integer", ETH, False,
     f"Số hộ dân tộc thiểu số chưa có đất ở hoặc có diện tích đất ở dưới mức quy định {CUOI_KY}.",
     "Tổng hợp từ kết quả rà soát của các thôn, bản, chia theo dân tộc của chủ hộ.", UBND),
    ("1006", "Số hộ dân tộc thiểu số ở nhà tạm, nhà dột nát",
     "Ethnic-minority households in makeshift or dilapidated houses", "hộ", "integer", ETH, False,
     f"Số hộ dân tộc thiểu số đang ở nhà tạm, nhà thiếu kiên cố bị hư hỏng, dột nát {CUOI_KY}.",
     "Tổng hợp từ kết quả rà soát nhà ở, chia theo dân tộc của chủ hộ.", UBND),
    ("1007", "Số hộ dân tộc thiểu số có nhà ở kiên cố, bán kiên cố",
     "Ethnic-minority households in permanent or semi-permanent houses", "hộ", "integer", ETH, False,
     f"Số hộ dân tộc thiểu số có nhà ở kiên cố hoặc bán kiên cố theo tiêu chí của Bộ Xây dựng {CUOI_KY}.",
     "Tổng hợp từ kết quả rà soát nhà ở, chia theo dân tộc của chủ hộ.", UBND),
    ("1008", "Diện tích rừng giao khoán bảo vệ cho hộ dân tộc thiểu số",
     "Forest contracted to ethnic-minority households for protection", "ha", "decimal", None, False,
     f"Diện tích rừng được giao khoán cho hộ, nhóm hộ dân tộc thiểu số quản lý, bảo vệ {CUOI_KY}.",
     "Cộng diện tích theo các hợp đồng giao khoán còn hiệu lực.", LAM_NGHIEP),
    ("1009", "Số hộ dân tộc thiểu số nhận khoán bảo vệ rừng",
     "Ethnic-minority households under forest-protection contracts", "hộ", "integer", None, False,
     f"Số hộ dân tộc thiểu số có hợp đồng nhận khoán bảo vệ rừng còn hiệu lực {CUOI_KY}.",
     "Đếm số hộ theo các hợp đồng giao khoán.", LAM_NGHIEP),
    ("1010", "Tình hình tranh chấp, khiếu nại về đất đai liên quan đến đồng bào dân tộc thiểu số",
     "Land disputes and complaints involving ethnic minorities", "", "text", None, False,
     f"Mô tả ngắn các vụ tranh chấp, khiếu nại về đất đai có liên quan đến đồng bào dân tộc thiểu số phát sinh "
     f"{TRONG_KY} và kết quả giải quyết.",
     "Ghi số vụ, nội dung chính và kết quả giải quyết; ghi \"Không có\" nếu không phát sinh.", UBND),
]
# Limits other than the defaults (counts ≥ 0, percentages 0–100, decimals ≥ 0).
LIMITS = {
    "0301": ("0", "2000"),
    "0302": ("0", "2000"),
    "0303": ("0", "2000"),
    "0307": ("0", "5000"),
}

# -- options per indicator (the ``options`` column): the minority counts have no Kinh (01) row ----------
INDICATOR_OPTIONS = {
    "0101": "eth: !01",  # Dân số người dân tộc thiểu số
    "0113": "eth: !01",  # Số cặp tảo hôn trong đồng bào dân tộc thiểu số
    "0114": "eth: !01",  # Số cặp kết hôn cận huyết thống trong đồng bào dân tộc thiểu số
}

# -- how the province adds indicators up (the ``aggregation`` column; empty = by the value type) ------
# Rates are derived from the province's totals of their parts, never summed over communes.
AGGREGATIONS = {
    "0107": "0101 / 0103 * 100",
    "0403": "0401 / 0102 * 100",
    "0404": "0402 / 0102 * 100",
    "0613": "0407 / 0101 * 100",
}

# -- swings from the previous period (the ``max_change_pct`` column; empty = 50% for counts, none for rates)
# Stocks that hardly move get a tighter limit; events counted per period (births, deaths, moves, marriages,
# meetings) are small numbers that swing by nature, so they are not checked.
MAX_CHANGE_PCT = {
    **dict.fromkeys(("0101", "0102", "0103", "0104", "0705", "0712", "0901"), "20"),
    **dict.fromkeys(("1001", "1002", "1003"), "10"),
    **dict.fromkeys(
        (
            "0105", "0106", "0108", "0109", "0113", "0114", "0206", "0207", "0208", "0405", "0406",
            "0506", "0513", "0610", "0611", "0803", "0808", "0809", "0909",
        ),
        "none",
    ),
}  # fmt: skip

# -- forms ---------------------------------------------------------------------------------------------
FORMS = [
    ("BM01", "Báo cáo thống kê công tác dân tộc năm", "Annual statistical report on ethnic affairs", "year",
     "0101-1010", 30, "present"),
    ("BM02", "Báo cáo 6 tháng về giảm nghèo, an sinh xã hội, giáo dục và y tế",
     "Half-year report on poverty reduction, social security, education and health", "half_year",
     "0401-0409, 0415, 0502, 0505-0506, 0512, 0605-0611", 20, "present"),
    ("BM03", "Báo cáo quý về biến động dân số và lao động dân tộc thiểu số",
     "Quarterly report on ethnic-minority population and labour changes", "quarter",
     "0101-0106, 0108-0109, 0206-0208", 15, "present"),
    ("BM04", "Báo cáo nhanh hằng tháng về thiếu đói, tảo hôn và hôn nhân cận huyết thống",
     "Monthly rapid report on food shortage, child and consanguineous marriage", "month",
     "0113-0114, 0409, 0610", 10, "all"),
]

# -- rules ---------------------------------------------------------------------------------------------
# (code, expression, severity, message_vi, message_en, forms)
RULES = [
    ("R01", "0102 <= 0101", "error",
     "Số hộ dân tộc thiểu số không thể lớn hơn dân số người dân tộc thiểu số.",
     "Ethnic-minority households cannot outnumber ethnic-minority people.", ()),
    ("R02", "0102[eth=*] <= 0101[eth=*]", "error",
     "Với từng dân tộc, số hộ không thể lớn hơn số người.",
     "For each ethnic group, households cannot outnumber people.", ()),
    ("R03", "0101 <= 0103", "error",
     "Dân số người dân tộc thiểu số không thể lớn hơn tổng dân số của xã.",
     "The ethnic-minority population cannot exceed the commune's population.", ()),
    ("R04", "0102 <= 0104", "error",
     "Số hộ dân tộc thiểu số không thể lớn hơn tổng số hộ của xã.",
     "Ethnic-minority households cannot exceed all households of the commune.", ()),
    ("R05", "abs(0107 - 0101 / 0103 * 100) <= 1", "warning",
     "Tỷ lệ người dân tộc thiểu số lệch quá 1 điểm phần trăm so với tính từ chỉ tiêu 0101 và 0103.",
     "The ethnic-minority share is more than 1 point off the value computed from 0101 and 0103.", ()),
    ("R06", "0202[eth=*] <= 0201[eth=*]", "error",
     "Với từng dân tộc, số lao động có việc làm không thể lớn hơn số người từ 15 tuổi trở lên.",
     "For each ethnic group, employed workers cannot exceed people aged 15 and over.", ()),
    ("R07", "0204 <= 0202", "error",
     "Số lao động làm nông, lâm nghiệp, thuỷ sản không thể lớn hơn tổng số lao động có việc làm.",
     "Workers in agriculture, forestry and fishery cannot exceed all employed workers.", ()),
    ("R08", "0301 <= 0302 * 2", "warning",
     "Thu nhập bình quân của người dân tộc thiểu số cao hơn 2 lần bình quân của xã: kiểm tra lại.",
     "Ethnic-minority income is more than twice the commune average: please check.", ()),
    ("R09", "0401[eth=*] + 0402[eth=*] <= 0102[eth=*]", "error",
     "Với từng dân tộc, số hộ nghèo cộng hộ cận nghèo không thể lớn hơn số hộ.",
     "For each ethnic group, poor plus near-poor households cannot exceed all households.", ()),
    ("R10", "abs(0403 - 0401 / 0102 * 100) <= 1", "warning",
     "Tỷ lệ hộ nghèo lệch quá 1 điểm phần trăm so với tính từ số hộ nghèo (0401) và số hộ (0102).",
     "The poverty rate is more than 1 point off the value computed from 0401 and 0102.", ("BM01",)),
    ("R11", "0407[eth=*] <= 0101[eth=*]", "error",
     "Với từng dân tộc, số người có thẻ bảo hiểm y tế không thể lớn hơn dân số.",
     "For each ethnic group, insured people cannot exceed the population.", ()),
    ("R12", "0502[sex=*] <= 0501[sex=*]", "error",
     "Số trẻ 3–5 tuổi đi học mẫu giáo không thể lớn hơn số trẻ 3–5 tuổi.",
     "Children aged 3–5 in pre-school cannot exceed children aged 3–5.", ("BM01",)),
    ("R13", "0506[level=*] <= 0505[level=*]", "error",
     "Với từng cấp học, số học sinh bỏ học không thể lớn hơn số học sinh.",
     "For each school level, drop-outs cannot exceed pupils.", ()),
    ("R14", "0508[eth=*] <= 0201[eth=*]", "error",
     "Với từng dân tộc, số người biết chữ không thể lớn hơn số người từ 15 tuổi trở lên.",
     "For each ethnic group, literate people cannot exceed people aged 15 and over.", ()),
    ("R15", "0608[sex=*] <= 0609[sex=*]", "error",
     "Số trẻ suy dinh dưỡng thể thấp còi không thể lớn hơn số trẻ dưới 5 tuổi.",
     "Stunted children cannot exceed children under 5.", ()),
    ("R16", "abs(0613 - 0407 / 0101 * 100) <= 2", "warning",
     "Tỷ lệ tham gia bảo hiểm y tế lệch quá 2 điểm phần trăm so với tính từ chỉ tiêu 0407 và 0101.",
     "Health-insurance coverage is more than 2 points off the value computed from 0407 and 0101.", ("BM01",)),
    ("R17", "0703 <= 0702", "error",
     "Chiều dài đường đã cứng hoá không thể lớn hơn tổng chiều dài đường giao thông nông thôn.",
     "Paved roads cannot be longer than all rural roads.", ()),
    ("R18", "0704[area=*] <= 0705[area=*]", "error",
     "Với từng loại thôn, số thôn có đường cứng hoá không thể lớn hơn tổng số thôn.",
     "For each kind of village, villages with paved roads cannot exceed all villages.", ()),
    ("R19", "0706 <= 0102 and 0708 <= 0102", "error",
     "Số hộ dùng điện lưới, nước hợp vệ sinh không thể lớn hơn số hộ dân tộc thiểu số.",
     "Households with grid power or safe water cannot exceed ethnic-minority households.", ()),
    ("R20", "0711 <= 0710", "error",
     "Số công trình cấp nước hoạt động bền vững không thể lớn hơn tổng số công trình.",
     "Sustainably working water schemes cannot exceed all schemes.", ()),
    ("R21", "0713 <= 0712", "error",
     "Số trường đạt chuẩn quốc gia không thể lớn hơn tổng số trường.",
     "Schools meeting the national standard cannot exceed all schools.", ()),
    ("R22", "0801[area=*] <= 0705[area=*] and 0717[area=*] <= 0705[area=*]", "error",
     "Với từng loại thôn, số thôn có nhà văn hoá, có sóng di động không thể lớn hơn tổng số thôn.",
     "For each kind of village, villages with a cultural house or mobile coverage cannot exceed all villages.",
     ()),
    ("R23", "0902[sex=*] <= 0901[sex=*]", "error",
     "Số cán bộ, công chức là người dân tộc thiểu số không thể lớn hơn tổng số cán bộ, công chức xã.",
     "Ethnic-minority officials cannot exceed all commune officials.", ()),
    ("R24", "0905 <= 0904 and 0908 <= 0902", "error",
     "Đại biểu HĐND là người DTTS không lớn hơn tổng số đại biểu; CBCC DTTS có trình độ đại học không lớn hơn "
     "số CBCC DTTS.",
     "Ethnic-minority deputies cannot exceed all deputies; graduate ethnic-minority officials cannot exceed "
     "ethnic-minority officials.", ()),
    ("R25", "1002[] + 1003[] <= 1001[]", "error",
     "Diện tích đất nông nghiệp cộng đất lâm nghiệp không thể lớn hơn diện tích tự nhiên của xã.",
     "Farmland plus forestry land cannot exceed the commune's natural area.", ()),
    ("R26", "1006[eth=*] <= 0102[eth=*]", "error",
     "Với từng dân tộc, số hộ ở nhà tạm không thể lớn hơn số hộ.",
     "For each ethnic group, households in makeshift houses cannot exceed all households.", ("BM01",)),
    ("R27", "0105 <= 0101 * 0.05 and 0106 <= 0101 * 0.03", "warning",
     "Số sinh hoặc số chết cao bất thường so với dân số (trên 5% hoặc 3%): kiểm tra lại.",
     "Births or deaths unusually high for the population (over 5% or 3%): please check.", ("BM01", "BM03")),
    ("R28", "0409[eth=*] <= 0102[eth=*] * 0.5", "warning",
     "Hơn một nửa số hộ của dân tộc này thiếu đói: kiểm tra lại.",
     "More than half of this group's households are short of food: please check.", ("BM01", "BM02")),
]
# fmt: on


def _limits(code: str, value_type: str) -> tuple[Decimal | None, Decimal | None]:
    if code in LIMITS:
        low, high = LIMITS[code]
        return Decimal(low), Decimal(high)
    if value_type == "percent":
        return Decimal(0), Decimal(100)
    if value_type in ("integer", "decimal"):
        return Decimal(0), None
    return None, None


def build_sample_catalog() -> Catalog:
    """The sample catalogue described by the tables of this script."""
    indicators = []
    for code, name_vi, name_en, unit, value_type, disagg, required, definition, method, source in INDICATORS:
        low, high = _limits(code, value_type)
        indicators.append(
            Indicator(
                code=code,
                group=code[:2],
                name_vi=name_vi,
                name_en=name_en,
                unit=unit,
                value_type=value_type,
                min=low,
                max=high,
                required=required,
                disaggregation=disagg,
                definition_vi=definition,
                method_vi=method,
                source_vi=source,
                order=int(code[2:]),
                aggregation=AGGREGATIONS.get(code, ""),
                options=INDICATOR_OPTIONS.get(code, ""),
                max_change_pct=MAX_CHANGE_PCT.get(code, ""),
            )
        )
    orders: dict[str, int] = {}
    options = []
    for dimension, code, name_vi, name_en in OPTIONS:
        orders[dimension] = orders.get(dimension, 0) + 1
        options.append(Option(dimension, code, name_vi, name_en, orders[dimension]))
    return resolved(
        Catalog(
            catalog_id="dtts-sample",
            version=1,
            title="Bộ chỉ tiêu thống kê công tác dân tộc cấp xã (MẪU)",
            legal_basis="Thông tư 03/2019/TT-UBDT (mẫu minh hoạ)",
            effective_from=date(2025, 7, 1),
            unit_list="vn-2025-07",
            ethnic_code_system="gso-1979",
            sample=True,
            groups=tuple(Group(code, vi, en, int(code)) for code, vi, en in GROUPS),
            indicators=tuple(indicators),
            disaggregations=tuple(Disaggregation(name, dims) for name, dims in DISAGGREGATIONS),
            options=tuple(options),
            forms=tuple(Form(*form) for form in FORMS),
            rules=tuple(Rule(*rule) for rule in RULES),
        )
    )


def write_sample(json_path: Path = JSON_PATH, xlsx_path: Path = XLSX_PATH) -> Catalog:
    """Write both files, reload them through the real loaders and check they give the built catalogue."""
    catalog = build_sample_catalog()
    json_path.parent.mkdir(parents=True, exist_ok=True)
    dump_catalog_json(catalog, json_path)
    write_workbook(catalog, xlsx_path)
    from_json, from_xlsx = load_catalog(json_path), load_catalog(xlsx_path)
    assert from_json == catalog, "the JSON file does not reload to the sample catalogue"
    assert from_xlsx == catalog, "the workbook does not reload to the sample catalogue"
    return catalog


def check_shipped(json_path: Path = JSON_PATH, xlsx_path: Path = XLSX_PATH) -> list[str]:
    """What differs between the shipped files and a fresh generation ([] when they agree)."""
    catalog = build_sample_catalog()
    problems = []
    if load_catalog(json_path) != catalog:
        problems.append(f"{json_path} is not the catalogue this script builds")
    elif json_path.read_text(encoding="utf-8") != catalog_json_text(catalog):
        problems.append(f"{json_path} is not formatted as this script writes it")
    if load_catalog(xlsx_path) != catalog:
        problems.append(f"{xlsx_path} is not the catalogue this script builds")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare the shipped files, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        problems = check_shipped()
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    catalog = write_sample()
    print(
        f"wrote {JSON_PATH.relative_to(ROOT)} and {XLSX_PATH.relative_to(ROOT)}: {len(catalog.groups)} groups, "
        f"{len(catalog.indicators)} indicators, {len(catalog.forms)} forms, {len(catalog.rules)} rules"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
