"""Benchmark: hostile files against the readers' limits, as ``paradiplomacy import`` meets them.

Builds each bomb in a temporary folder (span bombs, zip bombs, a lying <dimension>, a merged
range bomb, a huge page, deep nesting, a huge SDMX export), runs ``paradiplomacy import FILE
--to x`` on it in a fresh process (killed after ``--timeout`` seconds, address space capped at
``--cap-mb``) and prints one line per bomb:

    bomb=<name> size_kb=<x> seconds=<t> peak_rss_mb=<m> exit=<code>

Peak memory is the child's ``ru_maxrss`` (``resource.getrusage(RUSAGE_CHILDREN)``, one child
per run, so each run is measured in a process of its own). The builders are also used by
tests/test_bombs.py (with smaller sizes where a size does not matter).

    python benchmarks/bombs.py [--only NAME] [--timeout 300] [--cap-mb 8000]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

NS = "http://schemas.openxmlformats.org/"
REL = f"{NS}officeDocument/2006/relationships"
HEADER = "<html><head><meta charset='utf-8'></head><body><p>Экспорт</p><table>"
SPAN_TD = "<td colspan=1000 rowspan=65534>x</td>"


def _workbook_parts(member: str = "xl/worksheets/sheet1.xml") -> dict[str, str]:
    """Every part of a one-sheet workbook but the sheet, which is ``member``."""
    return {
        "[Content_Types].xml":
            f'<?xml version="1.0"?><Types xmlns="{NS}package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/{member}" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels":
            f'<?xml version="1.0"?><Relationships xmlns="{NS}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        "xl/workbook.xml":
            f'<?xml version="1.0"?><workbook xmlns="{NS}spreadsheetml/2006/main" '
            f'xmlns:r="{REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels":
            f'<?xml version="1.0"?><Relationships xmlns="{NS}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="/{member}"/>'
            "</Relationships>",
    }


def xlsx(path: Path, head: str, body: bytes, repeat: int, tail: str = "",
         member: str = "xl/worksheets/sheet1.xml") -> None:
    """A workbook whose sheet (the part ``member``) is ``head``, then ``body`` ``repeat``
    times, then ``tail`` (written in chunks: a bomb of gigabytes is built in constant
    memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in _workbook_parts(member).items():
            z.writestr(name, text)
        with z.open(member, "w") as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet xmlns="{NS}spreadsheetml/2006/main">'
                        f"{head}".encode())
            chunk = body * max(1, min(repeat, 1_000_000 // max(len(body), 1)))
            left = repeat
            while left > 0:
                n = min(left, len(chunk) // len(body))
                sheet.write(chunk[: n * len(body)])
                left -= n
            sheet.write(f"{tail}</worksheet>".encode())


ROW = (b'<row><c t="inlineStr"><is><t>Amur Oblast</t></is></c><c><v>2013</v></c>'
       b"<c><v>5</v></c></row>")


def zip_bomb_xlsx(path: Path, rows: int = 8_000_000) -> None:
    """A tiny workbook whose sheet unpacks to gigabytes (honest sizes in the zip)."""
    xlsx(path, "<sheetData>", ROW, rows, "</sheetData>")


def odd_name_xlsx(path: Path, rows: int = 8_000_000) -> None:
    """The zip bomb with its sheet in a part not named .xml (its relationship points there)."""
    xlsx(path, "<sheetData>", ROW, rows, "</sheetData>", member="xl/data/part.bin")


def lying_size_xlsx(path: Path, rows: int = 8_000_000) -> None:
    """The zip bomb again, its directory claiming the sheet unpacks to 1 KB."""
    zip_bomb_xlsx(path, rows)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    name = info.filename.encode()
    for sig, field in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local and central headers
        start = 0
        while (i := data.find(sig, start)) >= 0:
            start = i + 4
            n = 30 if sig == b"PK\x03\x04" else 46
            if data[i + n: i + n + len(name)] == name:
                data[i + field: i + field + 4] = (1024).to_bytes(4, "little")
    path.write_bytes(bytes(data))


def lying_dimension_xlsx(path: Path, rows: int = 2_200_000) -> None:
    """A sheet declaring A1:C3 whose rows go on past the cell limit (under the byte limit)."""
    xlsx(path, '<dimension ref="A1:C3"/><sheetData>', b"<row><c><v>1</v></c></row>", rows,
         "</sheetData>")


def inflated_dimension_xlsx(path: Path) -> None:
    """One cell, in a sheet declaring A1:XFD1048576 (openpyxl pads rows to the declaration)."""
    xlsx(path, '<dimension ref="A1:XFD1048576"/><sheetData>', b'<row r="1"><c r="A1"><v>1</v>'
         b"</c></row>", 1, "</sheetData>")


def gap_xlsx(path: Path) -> None:
    """Two cells: A1 and XFD1048576 (a sheet that expands to 17 billion cells)."""
    xlsx(path, "<sheetData>", b'<row r="1"><c r="A1"><v>1</v></c></row>', 1,
         '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')


def merge_bomb_xlsx(path: Path, merges: int = 200_000) -> None:
    """A small sheet with 200,000 merged ranges, each as large as a sheet can be."""
    body = b"".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{y}</t></is></c>'
                    f'<c r="B{r}"><v>1</v></c></row>'.encode()
                    for r, y in ((1, "Амурская область"), (2, "Приморский край")))
    xlsx(path, "<sheetData>" + body.decode() + "</sheetData>", b"", 0,
         '<mergeCells count="1">' + '<mergeCell ref="A1:XFD1048576"/>' * merges +
         "</mergeCells>")


def deep_xlsx(path: Path, depth: int = 2_000_000) -> None:
    """A sheet whose XML nests two million elements."""
    xlsx(path, "<sheetData><row><c><v>1</v></c></row>", b"<x>", depth, "")


def wide_row_xlsx(path: Path, cells: int = 4_000_000) -> None:
    """One row of four million cells (openpyxl builds a row before yielding it)."""
    xlsx(path, "<sheetData><row>", b"<c><v>1</v></c>", cells, "</row></sheetData>")


def shared_strings_xlsx(path: Path, strings: int = 8_000_000) -> None:
    """A workbook whose shared strings (not a sheet) unpack to gigabytes."""
    xlsx(path, "<sheetData/>", b"", 0)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as z, \
            z.open("xl/sharedStrings.xml", "w") as fh:
        fh.write(f'<?xml version="1.0"?><sst xmlns="{NS}spreadsheetml/2006/main">'.encode())
        chunk = b"<si><t>Amur Oblast</t></si>" * 40_000
        for _ in range(strings // 40_000):
            fh.write(chunk)
        fh.write(b"</sst>")


def span_html(path: Path, n: int = 2_200) -> None:
    """The tester's page: ~98 KB of rows of one <td colspan=1000 rowspan=65534>."""
    path.write_text(HEADER + "<tr><td>Регион</td><td>2020</td></tr>" +
                    f"<tr>{SPAN_TD}</tr>" * n + "</table></body></html>", encoding="utf-8")


def span_row_html(path: Path, n: int = 2_500) -> None:
    """One row of 2,500 such cells, then rows of one cell each."""
    path.write_text(HEADER + "<tr>" + SPAN_TD * n + "</tr>" + "<tr><td>y</td></tr>" * n +
                    "</table>", encoding="utf-8")


def span_unclosed_html(path: Path, n: int = 2_500) -> None:
    """Span cells in rows that never close (each <tr> starts the next row)."""
    path.write_text(HEADER + f"<tr>{SPAN_TD}" * n + "</table>", encoding="utf-8")


def huge_html(path: Path, rows: int = 3_000_000) -> None:
    """A page of three million short rows (~60 MB, under the byte limit)."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER + "<tr><td>Регион</td><td>2020</td></tr>")
        chunk = "<tr><td>a</td></tr>" * 100_000
        for _ in range(rows // 100_000):
            fh.write(chunk)
        fh.write("</table>")


def many_tables_html(path: Path, tables: int = 3_000_000) -> None:
    """Three million empty tables (no cell in any of them)."""
    path.write_text(HEADER + "</table>" + "<table></table>" * tables, encoding="utf-8")


def deep_html(path: Path, depth: int = 100_000) -> None:
    """Tables nested 100,000 deep."""
    path.write_text(HEADER + "<tr><td><table>" * depth + "</table>", encoding="utf-8")


def _sdmx(fh, series: int, body: str, depth: int = 0) -> None:
    fh.write('<?xml version="1.0" encoding="utf-8"?><GenericData xmlns:generic="g" '
             'xmlns:structure="s"><CodeLists><structure:CodeList id="s_OKATO">'
             '<structure:Code value="1"><structure:Description>Амурская область'
             "</structure:Description></structure:Code></structure:CodeList></CodeLists>"
             "<DataSet>" + "<x>" * depth)
    chunk = body * 10_000
    for _ in range(series // 10_000):
        fh.write(chunk)
    fh.write("</x>" * depth + "</DataSet></GenericData>")


SERIES = ('<generic:Series><generic:SeriesKey><generic:Value concept="s_OKATO" value="1"/>'
          "</generic:SeriesKey><generic:Obs><generic:Time>2013</generic:Time>"
          '<generic:ObsValue value="5"/></generic:Obs></generic:Series>')
OBS = '<generic:Obs><generic:Time>2013</generic:Time><generic:ObsValue value="5"/></generic:Obs>'


def huge_sdmx(path: Path, series: int = 250_000) -> None:
    """An SDMX export of 250,000 series (~55 MB, under the byte limit)."""
    with path.open("w", encoding="utf-8") as fh:
        _sdmx(fh, series, SERIES)


def long_series_sdmx(path: Path, obs: int = 700_000) -> None:
    """One series of 700,000 observations (~61 MB, under the byte limit)."""
    with path.open("w", encoding="utf-8") as fh:
        _sdmx(fh, 10_000, "", 0)
        fh.seek(fh.tell() - len("</DataSet></GenericData>"))
        fh.write(SERIES.replace("</generic:Series>", ""))
        for _ in range(obs // 10_000):
            fh.write(OBS * 10_000)
        fh.write("</generic:Series></DataSet></GenericData>")
        fh.truncate()


def deep_sdmx(path: Path, depth: int = 2_000_000) -> None:
    """An SDMX export whose data nest two million elements deep."""
    with path.open("w", encoding="utf-8") as fh:
        _sdmx(fh, 10_000, SERIES, depth)


BOMBS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "span-html": ("span.html", span_html),
    "span-row-html": ("span_row.html", span_row_html),
    "span-unclosed-html": ("span_unclosed.html", span_unclosed_html),
    "huge-html": ("huge.html", huge_html),
    "many-tables-html": ("tables.html", many_tables_html),
    "deep-html": ("deep.html", deep_html),
    "zip-bomb-xlsx": ("zip.xlsx", zip_bomb_xlsx),
    "odd-name-xlsx": ("odd.xlsx", odd_name_xlsx),
    "lying-size-xlsx": ("size.xlsx", lying_size_xlsx),
    "lying-dimension-xlsx": ("dim.xlsx", lying_dimension_xlsx),
    "inflated-dimension-xlsx": ("inflated.xlsx", inflated_dimension_xlsx),
    "gap-xlsx": ("gap.xlsx", gap_xlsx),
    "merge-bomb-xlsx": ("merge.xlsx", merge_bomb_xlsx),
    "wide-row-xlsx": ("wide.xlsx", wide_row_xlsx),
    "deep-xlsx": ("deep.xlsx", deep_xlsx),
    "shared-strings-xlsx": ("sst.xlsx", shared_strings_xlsx),
    "huge-sdmx": ("huge.xml", huge_sdmx),
    "long-series-sdmx": ("long.xml", long_series_sdmx),
    "deep-sdmx": ("deep.xml", deep_sdmx),
}


def _cap(mb: int) -> Callable[[], None]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mb * 2**20, mb * 2**20))
    return limit


def measure(file: str, timeout: float, cap_mb: int) -> None:
    """Run ``paradiplomacy import FILE --to x`` as this process's only child and print
    ``seconds peak_rss_mb exit`` and the command's last stderr line."""
    exe = shutil.which("paradiplomacy")
    argv = [exe] if exe else [sys.executable, "-m", "paradiplomacy.cli.main"]
    cwd = Path(file).parent
    t = time.perf_counter()
    try:
        proc = subprocess.run([*argv, "import", file, "--to", "x"], cwd=cwd,
                              capture_output=True, text=True, timeout=timeout,
                              preexec_fn=_cap(cap_mb), stdin=subprocess.DEVNULL,
                              env={**os.environ, "PARADIPLOMACY_DATASETS": str(cwd / "store")})
        code: int | str = proc.returncode
        err = proc.stderr.strip().splitlines()
    except subprocess.TimeoutExpired:
        code, err = "killed", []
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
    print(f"{seconds:.2f} {peak:.0f} {code}")
    print(err[-1][:200] if err else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", help="run only these bombs (repeatable)")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--cap-mb", type=int, default=8000, help="address-space cap of the child")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        measure(args.measure, args.timeout, args.cap_mb)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for name, (file, build) in BOMBS.items():
            if args.only and name not in args.only:
                continue
            work = Path(tmp) / name
            work.mkdir()
            path = work / file
            build(path)
            size = path.stat().st_size / 1024
            # a process of its own per bomb: RUSAGE_CHILDREN then holds this run alone
            out = subprocess.run([sys.executable, __file__, "--measure", str(path),
                                  "--timeout", str(args.timeout), "--cap-mb", str(args.cap_mb)],
                                 capture_output=True, text=True, check=True).stdout
            first, _, last = out.partition("\n")
            seconds, peak, code = first.split()
            print(f"bomb={name} size_kb={size:.0f} seconds={seconds} peak_rss_mb={peak} "
                  f"exit={code}", flush=True)
            if last.strip():
                print(f"  # {last.strip()}", flush=True)
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
