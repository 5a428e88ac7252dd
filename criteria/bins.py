"""Nhóm số tiêu chí đạt: the bins a province reports its communes in ("đạt 19 tiêu chí: 35 xã;
đạt 15-18 tiêu chí: 14 xã; ...; dưới 5 tiêu chí: 0").

A set stores its bins as text ("19; 15-18; 10-14; 5-9; 0-4"); blank means the default below. The
bins must cover every count from 0 to the set's number of criteria exactly once. Counting units
into them is the engine's (`reports.engine.distribution`); this module only reads and checks them.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SEPARATOR = ";"
_BIN = re.compile(r"^(\d{1,3})(?:\s*[-–—]\s*(\d{1,3}))?$")


@dataclass(frozen=True)
class Bin:
    """One bin: units meeting from `low` to `high` criteria (both included)."""

    low: int
    high: int

    def __contains__(self, count):
        return self.low <= count <= self.high

    @property
    def text(self):
        """'19', '15-18': as written in the set workbook."""
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"

    def label(self, total):
        """'đạt 19 tiêu chí', 'đạt 15-18 tiêu chí', 'dưới 5 tiêu chí' (of a `total`-criterion set)."""
        if self.low == 0 and 0 < self.high < total:
            return _("dưới %(n)d tiêu chí") % {"n": self.high + 1}
        return _("đạt %(range)s tiêu chí") % {"range": self.text}


def default_bins(total):
    """The 19-criterion pattern for any size: every criterion, then fives counted from zero
    (19: 19 / 15-18 / 10-14 / 5-9 / 0-4; 10: 10 / 5-9 / 0-4; 4: 4 / 0-3). Not an official rule:
    a set (the province) writes its own bins when it reports otherwise."""
    bins = [Bin(total, total)]
    high = total - 1
    while high >= 0:
        low = (high // 5) * 5
        bins.append(Bin(low, high))
        high = low - 1
    return bins


def bins_text(bins):
    """The text form of `bins`: '19; 15-18; 10-14; 5-9; 0-4'."""
    return f"{SEPARATOR} ".join(b.text for b in bins)


def parse_bins(raw, total=None):
    """The bins written in `raw`, highest first; the default for a blank text.

    With `total` (the set's number of criteria) the bins must cover 0..total with no gap and no
    overlap; without it (a set whose criteria are not loaded yet) only their form is checked.
    Raises ValidationError with a Vietnamese message.
    """
    raw = (raw or "").strip()
    if not raw:
        return default_bins(total) if total is not None else []
    bins = []
    for part in raw.split(SEPARATOR):
        part = part.strip()
        if not part:
            continue
        match = _BIN.match(part)
        if match is None:
            raise ValidationError(
                _("Nhóm “%(part)s” không hợp lệ: ghi một số (19) hoặc một khoảng (15-18), cách nhau bởi “;”.")
                % {"part": part}
            )
        low, high = int(match[1]), int(match[2] if match[2] is not None else match[1])
        if low > high:
            raise ValidationError(
                _("Nhóm “%(part)s”: số đầu phải không lớn hơn số cuối (ví dụ 15-18).") % {"part": part}
            )
        bins.append(Bin(low, high))
    bins.sort(key=lambda b: -b.low)
    for upper, lower in zip(bins, bins[1:]):
        if lower.high >= upper.low:
            raise ValidationError(
                _("Hai nhóm “%(a)s” và “%(b)s” trùng nhau: mỗi số tiêu chí chỉ thuộc một nhóm.")
                % {"a": lower.text, "b": upper.text}
            )
    if total is not None:
        _check_cover(bins, total)
    return bins


def _check_cover(bins, total):
    if bins[0].high > total:
        raise ValidationError(
            _("Nhóm “%(part)s” vượt quá số tiêu chí của bộ (%(n)d).") % {"part": bins[0].text, "n": total}
        )
    missing = [n for n in range(total + 1) if not any(n in b for b in bins)]
    if missing:
        raise ValidationError(
            _("Các nhóm chưa phủ hết từ 0 đến %(n)d tiêu chí: thiếu %(missing)s.")
            % {"n": total, "missing": ", ".join(str(n) for n in missing)}
        )
