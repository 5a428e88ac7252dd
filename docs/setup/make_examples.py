"""Writes the example files of docs/setup.md (run from the project folder):

    .venv/bin/python docs/setup/make_examples.py

Units and lineage: the Đầm Hà part of Quảng Ninh before and after 1/7/2025, from
/work/shared/data/after_2025.md (new codes 06913, 06895 from a secondary source; the old units'
codes are placeholders, 900 and 90001-90009, outside the national list's range: their real
codes were not available to us). The 2026-2030 indicators are
ILLUSTRATIVE: the official list of Quyết định 51/2025/QĐ-TTg is not in the reference data, so
each criterion gets two yes/no indicators named "Chỉ tiêu minh hoạ".
"""

import csv
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parents[1] / "criteria" / "reference" / "criteria_sets.csv"
SET_CODE = "xa-ntm-2026-2030"
REFORM = "01/07/2025"
SOURCE = "NQ 1679/NQ-UBTVQH15 ngày 16/6/2025 (theo nguồn thứ cấp; chưa rõ xã nào chỉ nhập một phần)"

UNIT_HEADER = [
    "Mã ĐVHC",
    "Tên",
    "Loại",
    "Mã ĐVHC cấp trên",
    "Hiệu lực từ",
    "Hết hiệu lực từ",
    "Vùng",
    "Nhóm xã",
    "Xã ĐBKK",
]
NORTH = "Trung du và miền núi phía Bắc"
OLD = [  # code, name, kind: the former district's communes (placeholder codes, not the real ones)
    ("90001", "Đầm Hà", "Thị trấn"),
    ("90002", "Đại Bình", "Xã"),
    ("90003", "Đầm Hà", "Xã"),
    ("90004", "Dực Yên", "Xã"),
    ("90005", "Quảng An", "Xã"),
    ("90006", "Quảng Lâm", "Xã"),
    ("90007", "Quảng Tân", "Xã"),
    ("90008", "Tân Bình", "Xã"),
    ("90009", "Tân Lập", "Xã"),
]
NEW = {  # new commune code: (name, the old units it was formed from)
    "06913": ("Quảng Tân", ["90005", "90004", "90006", "90007"]),
    "06895": ("Đầm Hà", ["90001", "90008", "90002", "90009", "90003"]),
}
ACCOUNTS = [  # username, full name, e-mail, role, unit code, password (change at first login)
    (
        "canbo.quangtan",
        "Cán bộ xã Quảng Tân (minh hoạ)",
        "quangtan@example.vn",
        "Cán bộ xã",
        "06913",
        "QuangTan-2026-doi-ngay",
    ),
    ("canbo.damha", "Cán bộ xã Đầm Hà (minh hoạ)", "damha@example.vn", "Cán bộ xã", "06895", "DamHa-2026-doi-ngay"),
]


def _csv(name, header, rows):
    with open(HERE / name, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def units():
    rows = [["22", "Quảng Ninh", "Tỉnh", "", "", "", NORTH, "", ""]]
    rows.append(["900", "Đầm Hà", "Huyện", "22", "", REFORM, NORTH, "", ""])
    rows += [[code, name, kind, "900", "", REFORM, NORTH, "", ""] for code, name, kind in OLD]
    rows += [[code, name, "Xã", "22", REFORM, "", "", "", ""] for code, (name, _old) in NEW.items()]
    _csv("don-vi-quang-ninh.csv", UNIT_HEADER, rows)


def lineage():
    header = ["Mã ĐVHC cũ", "Mã ĐVHC mới", "Toàn bộ hay một phần", "Ngày hiệu lực", "Nguồn"]
    rows = [[old, new, "Toàn bộ", REFORM, SOURCE] for new, (_name, olds) in NEW.items() for old in olds]
    _csv("lich-su-don-vi-2025.csv", header, rows)


def accounts():
    header = ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Vai trò", "Mã đơn vị", "Mật khẩu"]
    _csv("tai-khoan-can-bo-xa.csv", header, ACCOUNTS)


def criteria_set():
    """The set workbook as the app's template gives it for the 2026-2030 set, with indicators."""
    with open(REFERENCE, newline="", encoding="utf-8") as f:
        reference = [r for r in csv.DictReader(f) if r["set_code"] == SET_CODE]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bộ tiêu chí"
    sheet.append(
        [
            "Mã bộ tiêu chí",
            "Tên bộ tiêu chí",
            "Áp dụng cho",
            "Mức",
            "Từ năm",
            "Đến năm",
            "Số quyết định",
            "Ngày quyết định",
            "Phạm vi",
            "Mã tỉnh ban hành",
            "Minh hoạ",
            "Ghi chú",
        ]
    )
    sheet.append(
        [
            SET_CODE,
            reference[0]["set_name_vi"],
            "Cấp xã",
            "Nông thôn mới",
            2026,
            2030,
            "51/2025/QĐ-TTg",
            "29/12/2025",
            "Quốc gia",
            "",
            "Có",
            "Chỉ tiêu minh hoạ để thử thiết lập (2 chỉ tiêu mỗi tiêu chí); danh sách 47 chỉ tiêu chính "
            "thức chưa có: nạp lại bộ này từ tệp chính thức trước khi báo cáo thật.",
        ]
    )
    criteria = book.create_sheet("Tiêu chí")
    criteria.append(["Số tiêu chí", "Tên tiêu chí", "Tên tiếng Anh", "Nhóm tiêu chí", "Độ tin cậy của nguồn"])
    indicators = book.create_sheet("Chỉ tiêu")
    indicators.append(
        [
            "Số tiêu chí",
            "Mã chỉ tiêu",
            "Tên chỉ tiêu",
            "Loại",
            "So sánh",
            "Đơn vị tính",
            "Thứ tự",
            "Văn bản hướng dẫn",
            "Số mục cần đạt",
        ]
    )
    for row in reference:
        number = int(row["criterion_no"])
        criteria.append([number, row["criterion_name_vi"], row["criterion_name_en"], "", row["name_status"]])
        for k in (1, 2):
            code = f"{number}.{k}"
            indicators.append([number, code, f"Chỉ tiêu minh hoạ {code}", "Đạt / không đạt", "", "", k, "", ""])
    book.create_sheet("Mức đạt").append(["Mã chỉ tiêu", "Vùng", "Nhóm xã", "Mức đạt", "Đến dưới"])
    book.create_sheet("Mục").append(["Mã chỉ tiêu", "Mã mục", "Tên mục", "Thứ tự"])
    for ws in book:  # codes and dates stay text, as the template writes them
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                cell.number_format = "@"
    book.save(HERE / "bo-tieu-chi-xa-ntm-2026-2030-minh-hoa.xlsx")


if __name__ == "__main__":
    units()
    lineage()
    accounts()
    criteria_set()
