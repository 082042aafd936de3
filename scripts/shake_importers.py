"""Shake the importers with heavily damaged files (1–30 random byte edits each) and count what
escapes as anything but the project's InputError. Complements the Hypothesis tests, whose
mutations are lighter; what this finds belongs in the malformed corpus.

    python scripts/shake_importers.py [--seed 1] [--n 20000]

Prints ``N inputs; K escaped`` and, for each kind of escape, its count, format and exception.
"""

from __future__ import annotations

import argparse
import collections
import io
import random
import tempfile
import traceback
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from paradiplomacy.data.importing import read_files
from paradiplomacy.io.errors import InputError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "import"


def seeds() -> dict[str, bytes]:
    """One valid file per binary or markup format (the examples, a tiny workbook and panel)."""
    wb = Workbook()
    for row in (["ИМПОРТ (млн долларов США)"], [None, 2012, 2013],
                ["Амурская область", 1.5, "2,5"]):
        wb.active.append(row)
    xlsx, parquet = io.BytesIO(), io.BytesIO()
    wb.save(xlsx)
    pd.DataFrame({"region": ["Amur Oblast"], "year": [2013], "fdi": [1.5]}).to_parquet(parquet)
    return {".xlsx": xlsx.getvalue(), ".parquet": parquet.getvalue(),
            ".xls": (EXAMPLES / "illustrative-students-emiss.xls").read_bytes(),
            ".xml": (EXAMPLES / "illustrative-fdi-emiss.xml").read_bytes(),
            ".html": (EXAMPLES / "illustrative-imports-rosstat.html").read_bytes()}


def damage(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 30)):
        j = rng.randrange(max(len(out), 1))
        op = rng.random()
        if op < 0.6 and out:
            out[j] = rng.randrange(256)
        elif op < 0.8:
            del out[j:j + rng.randint(1, 50)]
        else:
            out[j:j] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--n", type=int, default=20000)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    base = seeds()
    escaped: collections.Counter = collections.Counter()
    first: dict[tuple, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(a.n):
            suffix = rng.choice(list(base))
            f = Path(tmp) / f"damaged{suffix}"
            f.write_bytes(damage(base[suffix], rng))
            spec = str(f) if suffix == ".parquet" else f"{f}:exports"
            try:
                read_files([spec])
            except InputError:
                pass
            except Exception as exc:  # what the importers must never let through
                key = (suffix, type(exc).__name__, traceback.extract_tb(exc.__traceback__)[-1].name)
                escaped[key] += 1
                first.setdefault(key, repr(exc)[:200])
    print(f"{a.n} inputs; {sum(escaped.values())} escaped")
    for key, count in escaped.most_common():
        print(count, *key, first[key])


if __name__ == "__main__":
    main()
