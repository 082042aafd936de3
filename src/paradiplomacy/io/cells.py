"""One cell of a statistics table as a number, the way Rosstat prints it."""

from __future__ import annotations

import math
import re

_FOOT = re.compile(r"\s*\d\)\s*$")
DASHES = ("-", "–", "—", "‐", "‑", "−", "―")
_TIMES = re.compile(r"^в\s*(\d+(?:[.,]\d+)?)\s*р(?:аза?)?\.?$")


def parse_value(text: str) -> float:
    """A Rosstat cell: '…'/'...' → NaN (no data), a dash → 0 (absent), 'x' → NaN
    (confidential), decimal comma, spaces between thousands, a footnote marker after the
    number; "в 5,8 р." (5.8 times, printed in percentage columns) → 580."""
    s = str(text).strip().replace("\u00a0", " ")
    s = _FOOT.sub("", s).strip()
    if s in ("", "…", "...", "x", "х", "X", "Х"):
        return math.nan
    if s in DASHES:
        return 0.0
    if m := _TIMES.match(s):
        return 100.0 * float(m.group(1).replace(",", "."))
    s = s.replace(" ", "").replace(",", ".")
    return float(s)


def col_letter(i: int) -> str:
    """The spreadsheet letters of a 0-based column (0 → 'A', 26 → 'AA')."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out
