"""The committee's own sentences for a summary, shared by `ntm_report`, the brief and the pages.

Thực hiện Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021-2025, có 8 xã đạt bình quân
17,87/19 tiêu chí (94,1%); 55,75/57 chỉ tiêu (97,8%).
"""

from shared.formatting import vi_date, vi_number, vi_percent

ILLUSTRATIVE_MARK = "(*)"
ILLUSTRATIVE_NOTE = "(*) Bộ tiêu chí có số chỉ tiêu minh hoạ, chưa đối chiếu với văn bản chính thức."


def figures(set_summary):
    """'17,87/19 tiêu chí (94,1%); 55,75/57 chỉ tiêu (97,8%)'."""
    s = set_summary
    return (
        f"{vi_number(s.average_criteria)}/{s.criteria_total} tiêu chí ({vi_percent(s.percent_criteria)}); "
        f"{vi_number(s.average_indicators)}/{s.indicators_total} chỉ tiêu ({vi_percent(s.percent_indicators)})"
    )


def set_paragraph(set_summary):
    """One paragraph per set: the average sentence, then where the units stand on the standard."""
    s = set_summary
    name = s.criteria_set.name
    if s.criteria_set.is_illustrative:
        name += f" {ILLUSTRATIVE_MARK}"
    # A set's figures over a large subtree (a rollup) carry no per-unit results: the general form.
    if s.unit_count == 1 and getattr(s, "units", None):
        only = s.units[0]
        text = f"Thực hiện {name}, {only.unit.name_in_sentence} đạt {figures(s)}."
        if only.standard_met:
            text += " Đã đạt đủ tiêu chí."
        else:
            text += f" Còn {only.criteria_total - only.criteria_met} tiêu chí chưa đạt."
        if only.recognised:
            text += " Đã được công nhận đạt chuẩn."
        return text
    noun = s.criteria_set.unit_noun
    return (
        f"Thực hiện {name}, có {s.unit_count} {noun} đạt bình quân {figures(s)}."
        f" Số {noun} đạt đủ {s.criteria_total}/{s.criteria_total} tiêu chí: "
        f"{s.units_meeting_standard}/{s.unit_count}; đã được công nhận: {s.units_recognised}."
    )


def heading(summary):
    """'Huyện Đầm Hà — kết quả thực hiện đến ngày 19/08/2022'."""
    return f"{summary.unit.display_name} — kết quả thực hiện đến ngày {vi_date(summary.as_of)}"


def summary_text(summary):
    """The heading, one paragraph per set, and the illustrative note when any set needs it."""
    lines = [heading(summary)]
    if not summary.sets:
        lines.append("Chưa có đơn vị nào đăng ký thực hiện bộ tiêu chí.")
    lines.extend(set_paragraph(s) for s in summary.sets)
    if any(s.criteria_set.is_illustrative for s in summary.sets):
        lines.append(ILLUSTRATIVE_NOTE)
    return "\n".join(lines)
