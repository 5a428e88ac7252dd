"""The committee's own sentences for a summary, shared by `ntm_report`, the brief and the pages.

Thực hiện Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021-2025, có 8 xã đạt bình quân
17,87/19 tiêu chí (94,1%); 55,75/57 chỉ tiêu (97,8%).
"""

from reports.engine.distribution import (
    BASE_RECOGNISED,
    BASIC,
    NOT_MAINTAINED,
    RECOGNISED,
    STANDARD_MET,
    distribution,
)
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


# How each average rule is named beside the figure (reports.models.AverageRule).
RULE_WORDS = {
    "truncate2": "hai chữ số thập phân, bỏ phần sau",
    "round2": "hai chữ số thập phân, làm tròn",
    "one_decimal": "một chữ số thập phân, làm tròn",
    "whole": "số nguyên, làm tròn",
}
# The distribution lines under a set's paragraph in the command's text, set apart from the
# committee paragraphs the brief repeats word for word.
STANDING_INDENT = "  - "
# Listing more names than this in a sentence helps no one: the API and exports list them all.
MAX_NAMED = 30


def share_text(share, noun):
    """'3/8 xã (37,5%)'; over the recognised units: '1/2 xã đã được công nhận (50%)'."""
    text = f"{share.count}/{share.base_count} {noun}"
    if share.base == BASE_RECOGNISED:
        text += " đã được công nhận"
    if share.base_count:
        text += f" ({vi_percent(share.percent)})"
    return text


def _unit_names(share, noun):
    """' (Quảng Tân, Tân Lập)', '' when there are none or they were counted, not listed (a
    rollup); the first MAX_NAMED and how many more."""
    if not share.count or not share.listed:
        return ""
    names = [u.name for u in share.units[:MAX_NAMED]]
    if share.count > MAX_NAMED:
        names.append(f"và {share.count - MAX_NAMED} {noun} khác")
    return f" ({', '.join(names)})"


def status_label(set_summary, dist, code):
    """'đạt đủ 19/19 tiêu chí', 'cơ bản đạt chuẩn (đạt từ 15/19 tiêu chí, ngưỡng của tỉnh)'."""
    total = set_summary.criteria_total
    if code == STANDARD_MET:
        return f"đạt đủ {total}/{total} tiêu chí"
    if code == BASIC:
        if dist.basic_threshold is None:
            return "cơ bản đạt chuẩn"
        whose = "ngưỡng minh hoạ" if dist.basic_threshold_illustrative else "ngưỡng của tỉnh"
        return f"cơ bản đạt chuẩn (đạt từ {dist.basic_threshold}/{total} tiêu chí, {whose})"
    if code == RECOGNISED:
        return "đã được công nhận đạt chuẩn"
    if code == NOT_MAINTAINED:
        return "đã được công nhận nhưng chưa duy trì chuẩn"
    raise ValueError(code)


def average_text(figure, what, noun):
    """'17,87 tiêu chí/xã (143 tiêu chí đạt / 8 xã; hai chữ số thập phân, bỏ phần sau)'."""
    return (
        f"{vi_number(figure.value)} {what}/{noun} ({figure.total} {what} đạt / {figure.count} {noun}; "
        f"{RULE_WORDS[figure.rule]})"
    )


def distribution_lines(set_summary, dist, with_names=True, with_averages=True):
    """The distribution, the statuses and the averages of a set, one sentence each; the units
    counted are named unless `with_names` is false (the brief's tables name them already), the
    averages' sums and counts given unless `with_averages` is false (the brief's table has them)."""
    s = set_summary
    noun = s.criteria_set.unit_noun

    def unit_names(share, noun):
        return _unit_names(share, noun) if with_names else ""

    bins = "; ".join(
        f"{b.label}: {b.share.count} {noun}{unit_names(b.share, noun)}" if b.share.count else f"{b.label}: 0"
        for b in dist.bins
    )
    statuses = []
    for status in dist.statuses:
        label = status_label(s, dist, status.code)
        if status.share is None:
            statuses.append(f"{label}: tỉnh chưa quy định ngưỡng")
        else:
            statuses.append(f"{label}: {share_text(status.share, noun)}{unit_names(status.share, noun)}")
    lines = [
        f"Phân theo số tiêu chí đạt (trên tổng số {s.unit_count} {noun}): {bins}.",
        f"Số {noun} {'; '.join(statuses)}.",
    ]
    if with_averages:
        lines.append(
            f"Bình quân {average_text(dist.average_criteria, 'tiêu chí', noun)}; "
            f"{average_text(dist.average_indicators, 'chỉ tiêu', noun)}."
        )
    return lines


def heading(summary):
    """'Huyện Đầm Hà — kết quả thực hiện đến ngày 19/08/2022'."""
    return f"{summary.unit.display_name} — kết quả thực hiện đến ngày {vi_date(summary.as_of)}"


def summary_text(summary):
    """The heading, one paragraph per set, and the illustrative note when any set needs it."""
    lines = [heading(summary)]
    if not summary.sets:
        lines.append("Chưa có đơn vị nào đăng ký thực hiện bộ tiêu chí.")
    for s in summary.sets:
        lines.append(set_paragraph(s))
        if s.unit_count > 1:
            lines.extend(STANDING_INDENT + line for line in distribution_lines(s, distribution(s)))
    if any(s.criteria_set.is_illustrative for s in summary.sets):
        lines.append(ILLUSTRATIVE_NOTE)
    return "\n".join(lines)
