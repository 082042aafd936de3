"""The bad-input battery's inputs (files, specs, tables, a hostile workbook) and its case
machinery; the cases are in battery_cases_*.py and the test in test_bad_inputs.py."""


from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(os.environ.get("PARADIPLOMACY_SHARED", REPO.parent / "shared")) / "data"
SUBPROCESS = os.environ.get("PARADIPLOMACY_BATTERY_SUBPROCESS", "") not in ("", "0")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
LIMIT = 30.0  # seconds a bad input may take to be rejected
SERVE_LIMIT = 15.0  # a dashboard still running after this long has started: a failure


# ----------------------------------------------------------------------------- inputs

DIR = object()  # a file entry that is a folder
Content = str | bytes | Path | object | Callable[[Path], None]

BINARY = bytes(range(256)) * 8  # NULs and every other byte
GARBAGE_ZIP = b"PK\x03\x04" + b"\x14\x00\x00\x00\x08\x00" + bytes(range(200)) * 3
EXAMPLE_SPEC = (EXAMPLES / "asem" / "example.yaml").read_text(encoding="utf-8")
UA = (EXAMPLES / "asem" / "ua.yaml").read_text(encoding="utf-8")
UA_PARAMETERS = SHARED / "coinr-asem" / "ua_parameters.csv"
UA_WEIGHT_SETS = SHARED / "coinr-asem" / "ua_weight_sets.csv"
TABLE_4_1 = SHARED / "far-east-2013" / "table_4_1_published.csv"
ROSSTAT_XLSX = SHARED / "rosstat" / "regiony-rossii-2023" / "Раздел 10 - Инвестиции.xlsx"
MALFORMED = FIXTURES / "malformed"

LONG = """region,year,indicator,value,unit
Primorsky Krai,2013,students,100,persons
Primorsky Krai,2013,fdi,20,USD m
Primorsky Krai,2013,trade,1000,USD m
Primorsky Krai,2013,tourists,30,persons
Primorsky Krai,2013,population,2000,thousand
Khabarovsk Krai,2013,students,50,persons
Khabarovsk Krai,2013,fdi,40,USD m
Khabarovsk Krai,2013,trade,500,USD m
Khabarovsk Krai,2013,tourists,60,persons
Khabarovsk Krai,2013,population,1000,thousand
"""
PANEL = "region,year,fdi\nАмурская область,2013,5\nПриморский край,2013,7\n"
CODING = """case,group,region,date,question,coder,code,passage
T-1,administrative,Primorsky Krai,2015-10,A,c1,A11,Borders matter.
T-1,administrative,Primorsky Krai,2015-10,A,c2,A11,Borders matter.
T-1,administrative,Primorsky Krai,2015-10,C,c1,C2,Trade.
T-1,administrative,Primorsky Krai,2015-10,C,c2,C2,Trade.
T-2,expert,Khabarovsk Krai,2015-11,A,c1,A1,Globalisation.
T-2,expert,Khabarovsk Krai,2015-11,A,c2,A2,Regionalisation.
"""
TRANSCRIPT = (EXAMPLES / "coding" / "ILL-01.md").read_text(encoding="utf-8")
ACTIVITIES = ("region,kind,partner,partner_kind,partner_country,partner_region,date_signed,"
              "source\nPrimorsky Krai,agreement,Harbin,municipality,CN,,2014-05-01,test\n")
AUDIT_HEAD = ("region,students_pc,students_total,fdi_pc,fdi_total,trade_pc,trade_total,"
              "tourists_pc,tourists_total,total_pc,total_overall\n")
TWIN_CITIES = "id,name,lng,lat,country,countrycd,continent\n"


def mutate(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced by ``new``; ``old`` must occur (else the case is void)."""
    if old not in text:
        raise AssertionError(f"mutation target {old!r} not found")
    return text.replace(old, new, 1)


def table_4_1(old: str | None = None, new: str = "") -> str:
    text = TABLE_4_1.read_text(encoding="utf-8")
    return mutate(text, old, new) if old else text


def hostile_xlsx(path: Path, rows: int = 2_000_000) -> None:
    """A 1 MB workbook whose one sheet declares A1:Z2000000 and unpacks to ~180 MB of rows."""
    ns = "http://schemas.openxmlformats.org/"
    rel = f"{ns}officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml":
            f'<?xml version="1.0"?><Types xmlns="{ns}package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            f'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
            f'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            f'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels":
            f'<?xml version="1.0"?><Relationships xmlns="{ns}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            f"</Relationships>",
        "xl/workbook.xml":
            f'<?xml version="1.0"?><workbook xmlns="{ns}spreadsheetml/2006/main" '
            f'xmlns:r="{rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
            f"</sheets></workbook>",
        "xl/_rels/workbook.xml.rels":
            f'<?xml version="1.0"?><Relationships xmlns="{ns}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f"</Relationships>",
    }
    head = (f'<?xml version="1.0"?><worksheet xmlns="{ns}spreadsheetml/2006/main">'
            '<dimension ref="A1:Z2000000"/><sheetData><row>'
            + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in ("region", "year",
                                                                            "fdi"))
            + "</row>")
    row = (b'<row><c t="inlineStr"><is><t>Amur Oblast</t></is></c><c><v>2013</v></c>'
           b"<c><v>5</v></c></row>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(head.encode())
            chunk = row * 10_000
            for _ in range(rows // 10_000):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")


# ----------------------------------------------------------------------------- cases


@dataclass
class Case:
    """A command line on bad input, with the files it finds in its working folder."""

    args: tuple[str, ...]
    files: dict[str, Content] = field(default_factory=dict)
    registry: bool = False  # ./reg.sqlite: an initialised registry with the chapter's rows
    store: bool = False  # ./store/good: an imported dataset (PARADIPLOMACY_DATASETS=./store)
    modes: dict[str, int] = field(default_factory=dict)  # chmod after creating the files
    absent: tuple[str, ...] = ()  # absolute paths that must not exist afterwards
    message: str | None = None  # a regex the error line must match
    isolate: float | None = None  # always a subprocess, killed after this many seconds
    busy_port: bool = False  # {port}: a port another socket listens on


def case(id_: str, *args: str, nonroot: bool = False, **kw: object) -> object:
    """A ``pytest.param``; ``nonroot`` cases are skipped as root (root reads and writes all)."""
    marks = [pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions")] \
        if nonroot else []
    return pytest.param(Case(tuple(args), **kw), id=id_, marks=marks)  # type: ignore[arg-type]


def with_ua(spec: str) -> dict[str, Content]:
    """A spec and the good UA config beside it (the default --config)."""
    return {"spec.yaml": spec, "ua.yaml": UA}


def ua_case(id_: str, config: Content, *extra: str, **kw: object) -> object:
    return case(id_, "uncertainty", "run", "spec.yaml", "-c", "bad.yaml", "-n", "10", *extra,
                files={"spec.yaml": EXAMPLE_SPEC, "bad.yaml": config}, **kw)


def spec_case(id_: str, spec: str, name: str = "spec.yaml", **kw: object) -> object:
    return case(id_, "build", name, "-o", "out", files={name: spec}, **kw)


LINE = r"line \d+"  # a syntax error names its line
DB_BAD = {  # --db values that name no usable registry
    "nonexistent-dir": "sqlite:////nonexistent/dir/x.db",
    "malformed-url": "notaurl://",
    "unreachable-postgres": "postgresql://nobody@127.0.0.1:1/none",
    "text-file": "notes.txt",
    "typo": "sqlite:///{cwd}/typo.db",
}
DB_FILES: dict[str, Content] = {"notes.txt": "not a database, just some notes\n" * 20}


def db_cases(id_: str, *args: str, creates: bool = False) -> list[object]:
    """A command against each unusable --db value (a new path is no typo for ``creates``)."""
    return [case(f"{id_}-db-{k}", *args, "--db", v, files=DB_FILES,
                 absent=("/nonexistent/dir/x.db",)) for k, v in DB_BAD.items()
            if not (creates and k == "typo")]


