"""Bad-input battery: every command of the CLI, given bad input, must end with exit code 2 and
exactly one ``error: …`` line on stderr (no traceback), and must write or change nothing.

Each case runs the real entry point, ``paradiplomacy.cli.main:main``, in its own empty working
folder (a ``tmp_path``, also the home of the dataset store and of the default activity
registry), with only the files the case puts there; the folder is snapshotted (paths, sizes,
mtimes, SHA-1) before and after. Cases run in-process; ``PARADIPLOMACY_BATTERY_SUBPROCESS=1``
runs every case as ``python -m paradiplomacy.cli.main`` instead. Cases that may block (the
dashboard's server, a hostile workbook) always run in a subprocess with a hard time limit.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import time
import traceback
import warnings
import zipfile
from collections.abc import Callable, Iterator
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


INDEX = [
    case("index-data-missing", "index", "--data", "nosuch.csv"),
    case("index-data-dir", "index", "--data", "adir", files={"adir": DIR}),
    case("index-data-empty", "index", "--data", "empty.csv", files={"empty.csv": ""}),
    case("index-data-binary-csv", "index", "--data", "bin.csv", files={"bin.csv": BINARY}),
    case("index-data-garbage-xlsx", "index", "--data", "bad.xlsx",
         files={"bad.xlsx": GARBAGE_ZIP}),
    case("index-data-wrong-ext", "index", "--data", "data.docx", files={"data.docx": LONG}),
    case("index-data-unreadable", "index", "--data", "raw.csv", files={"raw.csv": LONG},
         modes={"raw.csv": 0}, nonroot=True),
    case("index-data-header-only", "index", "--data", "raw.csv",
         files={"raw.csv": "region,year,indicator,value,unit\n"}),
    case("index-data-inf", "index", "--data", "raw.csv",
         files={"raw.csv": mutate(LONG, "fdi,20,", "fdi,inf,")}),
    case("index-data-nan", "index", "--data", "raw.csv",
         files={"raw.csv": mutate(LONG, "fdi,20,", "fdi,nan,")}),
    case("index-denominators-missing", "index", "--data", "raw.csv", "--denominators",
         "nosuch.csv", files={"raw.csv": LONG}),
    case("index-denominators-binary", "index", "--data", "raw.csv", "--denominators",
         "pop.csv", files={"raw.csv": LONG, "pop.csv": BINARY}),
    case("index-file-missing", "index", "nosuch.csv"),
    case("index-file-dir", "index", "adir", files={"adir": DIR}),
    case("index-file-empty", "index", "empty.csv", files={"empty.csv": ""}),
    case("index-file-binary", "index", "bin.csv", files={"bin.csv": BINARY}),
    case("index-file-unknown-table", "index", f"{ROSSTAT_XLSX}#99.99"),
    case("index-decimals-negative", "index", "--decimals", "-1"),
    case("index-decimals-text", "index", "--decimals", "abc"),
    case("index-year-text", "index", "--year", "abc"),
    case("index-year-1800", "index", "--year", "1800"),
    case("index-year-1800-russia", "index", "--dataset", "russia", "--year", "1800"),
    case("index-year-huge", "index", "--data", "raw.csv", "--year", "99999",
         files={"raw.csv": LONG}),
    case("index-format-unknown", "index", "--format", "xyz"),
    case("index-format-unknown-with-output", "index", "--format", "xyz", "-o", "out.csv"),
    case("index-sort-unknown", "index", "--sort", "bogus"),
    case("index-missing-unknown", "index", "--data", "raw.csv", "--missing", "bogus",
         files={"raw.csv": LONG}),
    case("index-missing-unknown-default", "index", "--missing", "bogus"),
    case("index-dataset-unknown", "index", "--dataset", "nosuch"),
    case("index-dataset-dotdot", "index", "--dataset", "../x"),
    case("index-dataset-slash", "index", "--dataset", "a/b"),
    case("index-dataset-empty", "index", "--dataset", ""),
    case("index-district-unknown", "index", "--district", "atlantis"),
    case("index-district-unknown-russia", "index", "--dataset", "russia", "--district",
         "atlantis"),
    case("index-indicators-unknown", "index", "--indicators", "nosuch"),
    case("index-indicators-empty", "index", "--indicators", ","),
    case("index-investment-unknown", "index", "--dataset", "russia", "--investment", "bogus"),
    case("index-data-and-dataset", "index", "--dataset", "far-east-2013", "--data", "raw.csv",
         files={"raw.csv": LONG}),
    case("index-output-missing-dir", "index", "-o", "nodir/out.csv"),
    case("index-output-is-dir", "index", "-o", "adir", files={"adir": DIR}),
    case("index-output-is-dir-csv", "index", "-o", "adir.csv", files={"adir.csv": DIR}),
    case("index-output-unknown-ext", "index", "-o", "out.xyz"),
    case("index-output-readonly-dir", "index", "-o", "ro/out.csv", files={"ro": DIR},
         modes={"ro": 0o555}, nonroot=True),
    case("index-unknown-option", "index", "--bogus"),
]

AUDIT = [
    case("audit-missing", "audit", "nosuch.csv"),
    case("audit-dir", "audit", "adir", files={"adir": DIR}),
    case("audit-empty", "audit", "t.csv", files={"t.csv": ""}),
    case("audit-binary-csv", "audit", "t.csv", files={"t.csv": BINARY}),
    case("audit-garbage-xlsx", "audit", "t.xlsx", files={"t.xlsx": GARBAGE_ZIP}),
    case("audit-wrong-ext", "audit", "t.pdf", files={"t.pdf": table_4_1()}),
    case("audit-unreadable", "audit", "t.csv", files={"t.csv": table_4_1()}, modes={"t.csv": 0},
         nonroot=True),
    case("audit-header-only", "audit", "t.csv", files={"t.csv": AUDIT_HEAD}),
    case("audit-negative", "audit", "t.csv",
         files={"t.csv": table_4_1("Khabarovsk Krai,80.0,", "Khabarovsk Krai,-80.0,")}),
    case("audit-inf", "audit", "t.csv",
         files={"t.csv": table_4_1("Khabarovsk Krai,80.0,", "Khabarovsk Krai,inf,")}),
    case("audit-nan", "audit", "t.csv",
         files={"t.csv": table_4_1("Khabarovsk Krai,80.0,", "Khabarovsk Krai,nan,")}),
    case("audit-text-value", "audit", "t.csv",
         files={"t.csv": table_4_1("Khabarovsk Krai,80.0,", "Khabarovsk Krai,eighty,")}),
    case("audit-no-total-columns", "audit", "t.csv", files={"t.csv": "\n".join(
        ",".join(line.split(",")[:-2]) for line in table_4_1().splitlines()) + "\n"}),
    case("audit-no-region-column", "audit", "t.csv", files={"t.csv": "\n".join(
        ",".join(line.split(",")[1:]) for line in table_4_1().splitlines()) + "\n"}),
    case("audit-unknown-region", "audit", "t.csv",
         files={"t.csv": table_4_1("Khabarovsk Krai,", "Atlantis,")}),
    case("audit-error-factor-zero", "audit", "--error-factor", "0"),
    case("audit-error-factor-negative", "audit", "--error-factor", "-1"),
    case("audit-error-factor-nan", "audit", "--error-factor", "nan"),
    case("audit-against-unknown", "audit", "--against", "nosuch"),
    case("audit-against-year-1800", "audit", "--against", "russia", "--year", "1800"),
    case("audit-year-text", "audit", "--year", "abc"),
]

REGIONS = [
    case("regions-district-unknown", "regions", "--district", "atlantis"),
    case("regions-on-text", "regions", "--on", "notadate"),
    case("regions-on-bad-month", "regions", "--on", "2013-13-45"),
    case("regions-on-1800", "regions", "--on", "1800"),
    case("regions-type-unknown", "regions", "--type", "bogus"),
    case("regions-format-unknown", "regions", "--format", "xyz"),
    case("regions-format-empty", "regions", "--format", ""),
]

TABLES = [
    case("tables-missing", "tables", "nosuch.xlsx"),
    case("tables-dir", "tables", "adir", files={"adir": DIR}),
    case("tables-empty", "tables", "t.csv", files={"t.csv": ""}),
    case("tables-binary-csv", "tables", "t.csv", files={"t.csv": BINARY}),
    case("tables-garbage-xlsx", "tables", "t.xlsx", files={"t.xlsx": GARBAGE_ZIP}),
    case("tables-text-as-xls", "tables", "t.xls", files={"t.xls": "just text\n"}),
    case("tables-wrong-ext", "tables", "t.docx", files={"t.docx": PANEL}),
    case("tables-unreadable", "tables", "t.csv", files={"t.csv": PANEL}, modes={"t.csv": 0},
         nonroot=True),
    case("tables-unknown-table", "tables", f"{ROSSTAT_XLSX}#99.99"),
    case("tables-broken-xml", "tables", str(MALFORMED / "broken.xml")),
]

BUILD = [
    case("build-spec-missing", "build", "nosuch.yaml", "-o", "out"),
    case("build-spec-dir", "build", "adir", "-o", "out", files={"adir": DIR}),
    spec_case("build-spec-empty", ""),
    case("build-spec-binary", "build", "spec.yaml", "-o", "out", files={"spec.yaml": BINARY}),
    case("build-spec-csv-as-spec", "build", "data.csv", "-o", "out",
         files={"data.csv": PANEL}),
    case("build-spec-unreadable", "build", "spec.yaml", "-o", "out",
         files={"spec.yaml": EXAMPLE_SPEC}, modes={"spec.yaml": 0}, nonroot=True),
    spec_case("build-yaml-syntax", mutate(EXAMPLE_SPEC, "winmax: 5}", "winmax: 5"),
              message=LINE),
    spec_case("build-yaml-tab", mutate(EXAMPLE_SPEC, "  - treat:", "\t- treat:"),
              message=LINE),
    spec_case("build-toml-syntax", 'name = "x"\nsteps = [\n  {normalise = {dset = "Raw"}\n',
              name="spec.toml", message=LINE),
    spec_case("build-toml-with-yaml", EXAMPLE_SPEC, name="spec.toml", message=LINE),
    spec_case("build-spec-list", "- a\n- b\n"),
    spec_case("build-key-step", mutate(EXAMPLE_SPEC, "steps:", "step:")),
    spec_case("build-key-framwork", mutate(EXAMPLE_SPEC, "framework:", "framwork:")),
    spec_case("build-key-unknown", EXAMPLE_SPEC + "wieghts: {Goods: 2}\n"),
    spec_case("build-steps-not-list", mutate(EXAMPLE_SPEC, "steps:\n", "steps: normalise\n"
                                             "unused:\n")),
    spec_case("build-step-not-mapping", mutate(EXAMPLE_SPEC, "- denominate: {dset: Raw}",
                                               "- denominate")),
    spec_case("build-step-unknown", mutate(EXAMPLE_SPEC, "- treat:", "- treatment:")),
    spec_case("build-step-param-unknown", mutate(EXAMPLE_SPEC, "winmax: 5}",
                                                 "winmax: 5, winmaks: 3}")),
    spec_case("build-winmax-negative", mutate(EXAMPLE_SPEC, "winmax: 5", "winmax: -5")),
    spec_case("build-winmax-text", mutate(EXAMPLE_SPEC, "winmax: 5", "winmax: five")),
    spec_case("build-min-availability-1.5", mutate(EXAMPLE_SPEC, "min_availability: 0.9",
                                                   "min_availability: 1.5")),
    spec_case("build-min-availability-negative",
              mutate(EXAMPLE_SPEC, "min_availability: 0.9", "min_availability: -0.1")),
    spec_case("build-min-availability-text", mutate(EXAMPLE_SPEC, "min_availability: 0.9",
                                                    "min_availability: most")),
    spec_case("build-normalise-method-unknown", mutate(EXAMPLE_SPEC, "method: minmax",
                                                       "method: nosuch")),
    spec_case("build-normalise-param-text", mutate(EXAMPLE_SPEC, "lower: 0", "lower: zero")),
    spec_case("build-aggregate-method-unknown", mutate(EXAMPLE_SPEC, "method: amean",
                                                       "method: bogus")),
    spec_case("build-impute-group-unknown", mutate(EXAMPLE_SPEC, "group: EurAsia_group",
                                                   "group: NoSuchGroup")),
    spec_case("build-dset-unknown", mutate(EXAMPLE_SPEC, "dset: Treated", "dset: Nope")),
    spec_case("build-imeta-missing", mutate(EXAMPLE_SPEC, '"package:asem/iMeta.csv"',
                                            "nosuch.csv")),
    spec_case("build-units-missing", mutate(EXAMPLE_SPEC, '"package:asem/iData.csv"',
                                            "nosuch.csv")),
    spec_case("build-units-id-unknown", mutate(EXAMPLE_SPEC, "id: uCode", "id: NoSuchId")),
    spec_case("build-units-dataset-unknown", "name: x\nunits: {dataset: nosuch}\n"
              "framework: {elements: [{code: a, level: 2}]}\nsteps: []\n"),
    spec_case("build-start-unknown", EXAMPLE_SPEC + "start: Nope\n"),
    spec_case("build-weights-not-mapping", EXAMPLE_SPEC + "weights: 5\n"),
    spec_case("build-extends-missing", "extends: nosuch.yaml\n"),
    case("build-extends-changes-unknown-step", "build", "alt.yaml", "-o", "out",
         files={"example.yaml": EXAMPLE_SPEC,
                "alt.yaml": "extends: example.yaml\nchanges: {nosuch: {a: 1}}\n"}),
    case("build-extends-winmax-negative", "build", "alt.yaml", "-o", "out",
         files={"example.yaml": EXAMPLE_SPEC,
                "alt.yaml": "extends: example.yaml\nchanges: {treat: {winmax: -5}}\n"}),
    case("build-out-is-file", "build", "spec.yaml", "-o", "afile",
         files={"spec.yaml": EXAMPLE_SPEC, "afile": "x\n"}),
    case("build-out-under-file", "build", "spec.yaml", "-o", "afile/out",
         files={"spec.yaml": EXAMPLE_SPEC, "afile": "x\n"}),
    case("build-out-readonly-dir", "build", "spec.yaml", "-o", "ro/out",
         files={"spec.yaml": EXAMPLE_SPEC, "ro": DIR}, modes={"ro": 0o555}, nonroot=True),
    case("build-no-out", "build", "spec.yaml", files={"spec.yaml": EXAMPLE_SPEC}),
]

UNCERTAINTY = [
    case("ua-run-spec-missing", "uncertainty", "run", "nosuch.yaml", "-n", "10"),
    case("ua-run-spec-yaml-syntax", "uncertainty", "run", "spec.yaml", "-n", "10",
         files=with_ua(mutate(EXAMPLE_SPEC, "winmax: 5}", "winmax: 5")), message=LINE),
    case("ua-run-spec-step-unknown", "uncertainty", "run", "spec.yaml", "-n", "10",
         files=with_ua(mutate(EXAMPLE_SPEC, "- treat:", "- treatment:"))),
    case("ua-run-default-config-missing", "uncertainty", "run", "spec.yaml", "-n", "10",
         files={"spec.yaml": EXAMPLE_SPEC}),
    case("ua-run-config-missing", "uncertainty", "run", "spec.yaml", "-c", "nosuch.yaml",
         files={"spec.yaml": EXAMPLE_SPEC}),
    ua_case("ua-run-config-dir", DIR),
    ua_case("ua-run-config-empty", ""),
    ua_case("ua-run-config-binary", BINARY),
    ua_case("ua-run-config-list", "- a\n- b\n"),
    ua_case("ua-run-config-yaml-syntax", mutate(UA, "levels: [2, 3]", "levels: [2, 3"),
            message=LINE),
    ua_case("ua-run-config-key-input", mutate(UA, "inputs:", "input:")),
    ua_case("ua-run-config-kind-unknown", mutate(UA, "- weights:", "- weightz:")),
    ua_case("ua-run-config-step-unknown", mutate(UA, "step: normalise", "step: normalize_all")),
    ua_case("ua-run-config-method-unknown", mutate(UA, "method: gmean", "method: bogus")),
    ua_case("ua-run-config-noise-negative", mutate(UA, "noise: 0.25", "noise: -0.25")),
    ua_case("ua-run-config-noise-text", mutate(UA, "noise: 0.25", "noise: lots")),
    ua_case("ua-run-config-level-unknown", mutate(UA, "levels: [2, 3]", "levels: [9]")),
    ua_case("ua-run-config-sets-zero", mutate(UA, "sets: 100", "sets: 0")),
    ua_case("ua-run-config-target-unknown", mutate(UA, "target: mean_abs_rank_shift",
                                                   "target: bogus")),
    ua_case("ua-run-config-sd-negative", mutate(UA, "sd: 2", "sd: -2")),
    ua_case("ua-run-n-zero", UA, "-n", "0"),
    ua_case("ua-run-n-negative", UA, "-n", "-3"),
    ua_case("ua-run-n-text", UA, "-n", "abc"),
    ua_case("ua-run-design-unknown", UA, "--design", "bogus"),
    ua_case("ua-run-backend-unknown", UA, "--backend", "bogus"),
    ua_case("ua-run-chunk-zero", UA, "--chunk", "0"),
    ua_case("ua-run-chunk-negative", UA, "--chunk", "-1"),
    case("ua-run-out-is-file", "uncertainty", "run", "spec.yaml", "-n", "10", "-o", "afile",
         files={**with_ua(EXAMPLE_SPEC), "afile": "x\n"}),
    case("ua-run-parquet-is-file", "uncertainty", "run", "spec.yaml", "-n", "10", "--parquet",
         "afile", files={**with_ua(EXAMPLE_SPEC), "afile": "x\n"}),
    case("ua-run-unknown-option", "uncertainty", "run", "spec.yaml", "--bogus",
         files=with_ua(EXAMPLE_SPEC)),
    case("ua-unknown-subcommand", "uncertainty", "bogus"),
]


def replay(id_: str, parameters: Content = UA_PARAMETERS,
           weight_sets: Content = UA_WEIGHT_SETS, *extra: str, out: str = "out",
           **kw: object) -> object:
    files = {**with_ua(EXAMPLE_SPEC), "p.csv": parameters, "w.csv": weight_sets}
    files.update(kw.pop("files", {}))  # type: ignore[call-overload]
    return case(id_, "uncertainty", "replay", "spec.yaml", "--parameters", "p.csv",
                "--weight-sets", "w.csv", "-o", out, *extra, files=files, **kw)


def ua_parameters(old: str, new: str) -> str:
    return UA_PARAMETERS.read_text(encoding="utf-8").replace(old, new)


REPLAY = [
    case("ua-replay-spec-missing", "uncertainty", "replay", "nosuch.yaml", "--parameters",
         str(UA_PARAMETERS), "--weight-sets", str(UA_WEIGHT_SETS), "-o", "out"),
    case("ua-replay-parameters-missing", "uncertainty", "replay", "spec.yaml", "--parameters",
         "nosuch.csv", "--weight-sets", str(UA_WEIGHT_SETS), "-o", "out",
         files=with_ua(EXAMPLE_SPEC)),
    case("ua-replay-weight-sets-missing", "uncertainty", "replay", "spec.yaml", "--parameters",
         str(UA_PARAMETERS), "--weight-sets", "nosuch.csv", "-o", "out",
         files=with_ua(EXAMPLE_SPEC)),
    replay("ua-replay-parameters-empty", ""),
    replay("ua-replay-parameters-binary", BINARY),
    replay("ua-replay-parameters-dir", DIR),
    replay("ua-replay-parameters-header-only", '"rep","normalisation","weight_set",'
           '"aggregation"\n'),
    replay("ua-replay-parameters-label-unknown", ua_parameters('"n_minmax"', '"n_bogus"')),
    replay("ua-replay-parameters-column-missing",
           "\n".join(line.rsplit(",", 1)[0] for line in
                     UA_PARAMETERS.read_text(encoding="utf-8").splitlines()) + "\n"),
    replay("ua-replay-parameters-weight-set-unknown", ua_parameters(',9,"a_amean"',
                                                                    ',9999,"a_amean"')),
    replay("ua-replay-weight-sets-empty", UA_PARAMETERS, ""),
    replay("ua-replay-weight-sets-garbage", UA_PARAMETERS, GARBAGE_ZIP),
    replay("ua-replay-weight-sets-icode-unknown", UA_PARAMETERS,
           UA_WEIGHT_SETS.read_text(encoding="utf-8").replace('"Goods"', '"Nope"')),
    replay("ua-replay-out-is-file", out="afile", files={"afile": "x\n"}),
    replay("ua-replay-config-yaml-syntax", UA_PARAMETERS, UA_WEIGHT_SETS, "-c", "bad.yaml",
           files={"bad.yaml": mutate(UA, "levels: [2, 3]", "levels: [2, 3")}, message=LINE),
]

DATASETS = [
    case("datasets-list-subcommand", "datasets", "list"),
    case("datasets-store-corrupt-yaml", "datasets",
         files={"store/broken/dataset.yaml": "name: [unclosed\n",
                "store/broken/values.csv": "code,year,indicator,value\n"}),
    case("datasets-store-binary-yaml", "datasets",
         files={"store/broken/dataset.yaml": BINARY, "store/broken/values.csv": BINARY}),
    case("datasets-export-unknown", "datasets", "export", "nosuch", "-o", "out.csv"),
    case("datasets-export-embedded", "datasets", "export", "far-east-2013", "-o", "out.csv"),
    case("datasets-export-embedded-russia-txt", "datasets", "export", "russia", "-o", "out.txt"),
    case("datasets-export-dotdot", "datasets", "export", "../x", "-o", "out.csv"),
    case("datasets-export-slash", "datasets", "export", "a/b", "-o", "out.csv"),
    case("datasets-export-empty-name", "datasets", "export", "", "-o", "out.csv"),
    case("datasets-export-missing-dir", "datasets", "export", "good", "-o", "nodir/out.csv",
         store=True),
    case("datasets-export-output-is-dir", "datasets", "export", "good", "-o", "adir",
         files={"adir": DIR}, store=True),
    case("datasets-export-output-unknown-ext", "datasets", "export", "good", "-o", "out.xyz",
         store=True),
    case("datasets-export-output-readonly-dir", "datasets", "export", "good", "-o",
         "ro/out.csv", files={"ro": DIR}, modes={"ro": 0o555}, store=True, nonroot=True),
    case("datasets-export-datasets-dir-missing", "datasets", "export", "good", "-o",
         "out.csv", "--datasets-dir", "nodir"),
    case("datasets-export-datasets-dir-file", "datasets", "export", "good", "-o", "out.csv",
         "--datasets-dir", "afile", files={"afile": "x\n"}),
    case("datasets-export-no-output", "datasets", "export", "good", store=True),
]


def imp(id_: str, *specs: str, files: dict[str, Content] | None = None, to: str = "new",
        **kw: object) -> object:
    return case(id_, "import", *specs, "--to", to, files=files or {}, **kw)


IMPORT = [
    imp("import-missing", "nosuch.csv"),
    imp("import-dir", "adir", files={"adir": DIR}),
    imp("import-empty", "e.csv", files={"e.csv": ""}),
    imp("import-binary-csv", "b.csv", files={"b.csv": BINARY}),
    imp("import-garbage-xlsx", "b.xlsx", files={"b.xlsx": GARBAGE_ZIP}),
    imp("import-binary-xlsx", "b.xlsx", files={"b.xlsx": BINARY}),
    imp("import-wrong-ext", "p.docx", files={"p.docx": PANEL}),
    imp("import-unreadable", "p.csv", files={"p.csv": PANEL}, modes={"p.csv": 0},
        nonroot=True),
    imp("import-good-and-missing", "p.csv", "nosuch.csv", files={"p.csv": PANEL}),
    imp("import-to-empty", "p.csv", files={"p.csv": PANEL}, to=""),
    imp("import-to-dotdot", "p.csv", files={"p.csv": PANEL}, to="../x"),
    imp("import-to-dot", "p.csv", files={"p.csv": PANEL}, to="."),
    imp("import-to-slash", "p.csv", files={"p.csv": PANEL}, to="a/b"),
    imp("import-to-space", "p.csv", files={"p.csv": PANEL}, to="a b"),
    imp("import-to-embedded", "p.csv", files={"p.csv": PANEL}, to="far-east-2013"),
    imp("import-to-embedded-russia", "p.csv", files={"p.csv": PANEL}, to="russia"),
    imp("import-population-basis-unknown", "p.csv", "--population-basis", "bogus",
        files={"p.csv": PANEL}),
    imp("import-oblasts-unknown", "p.csv", "--oblasts", "bogus", files={"p.csv": PANEL}),
    imp("import-former-unknown", "p.csv", "--former", "bogus", files={"p.csv": PANEL}),
    imp("import-where-no-equals", "p.csv", "--where", "noequals", files={"p.csv": PANEL}),
    imp("import-where-applies-to-nothing", "p.csv", "--where", "sex=female",
        files={"p.csv": PANEL}),
    imp("import-region-column-unknown", "p.csv", "--region-column", "nosuch",
        files={"p.csv": PANEL}),
    imp("import-unknown-table", f"{ROSSTAT_XLSX}#99.99"),
    imp("import-unknown-unit", "p.csv:fdi:parsecs", files={"p.csv": PANEL}),
    imp("import-unknown-region", str(MALFORMED / "unknown_region.csv")),
    imp("import-negative", str(MALFORMED / "negative.csv")),
    imp("import-infinite", str(MALFORMED / "infinite.csv")),
    imp("import-not-a-number", str(MALFORMED / "not_a_number.csv")),
    imp("import-truncated-xls", str(MALFORMED / "truncated_97_2003.xls")),
    imp("import-not-parquet", str(MALFORMED / "not_parquet.parquet")),
    imp("import-xml-entities", str(MALFORMED / "entities.xml")),
    imp("import-report-missing-dir", "b.csv", "--report", "nodir/r.csv",
        files={"b.csv": BINARY}),
    imp("import-report-is-dir", str(MALFORMED / "negative.csv"), "--report", "adir",
        files={"adir": DIR}),
    imp("import-datasets-dir-is-file", "p.csv", "--datasets-dir", "afile",
        files={"p.csv": PANEL, "afile": "x\n"}),
    imp("import-datasets-dir-readonly", "p.csv", "--datasets-dir", "ro",
        files={"p.csv": PANEL, "ro": DIR}, modes={"ro": 0o555}, nonroot=True),
    imp("import-hostile-xlsx", "h.xlsx", files={"h.xlsx": hostile_xlsx}, isolate=LIMIT),
    case("import-no-to", "import", "p.csv", files={"p.csv": PANEL}),
]

ACTIVITY = [
    *db_cases("activity-init", "activity", "init", creates=True),
    case("activity-init-db-dir", "activity", "init", "--db", "adir", files={"adir": DIR}),
    case("activity-init-db-under-file", "activity", "init", "--db", "afile/x.db",
         files={"afile": "x\n"}),
    *db_cases("activity-list", "activity", "list"),
    case("activity-list-default-db-absent", "activity", "list"),
    case("activity-list-region-unknown", "activity", "list", "--region", "Atlantis", "--db",
         "reg.sqlite", registry=True),
    case("activity-list-kind-unknown", "activity", "list", "--kind", "bogus", "--db",
         "reg.sqlite", registry=True),
    *db_cases("activity-add", "activity", "add", "--kind", "agreement", "--source", "s",
              "--region", "Primorsky Krai"),
    case("activity-add-kind-unknown", "activity", "add", "--kind", "bogus", "--source", "s",
         "--region", "Primorsky Krai", "--db", "reg.sqlite", registry=True),
    case("activity-add-region-unknown", "activity", "add", "--kind", "agreement", "--source",
         "s", "--region", "Atlantis", "--db", "reg.sqlite", registry=True),
    case("activity-add-date-bad", "activity", "add", "--kind", "agreement", "--source", "s",
         "--region", "Primorsky Krai", "--date", "13/45/2013", "--db", "reg.sqlite",
         registry=True),
    case("activity-add-source-empty", "activity", "add", "--kind", "agreement", "--source", "",
         "--region", "Primorsky Krai", "--db", "reg.sqlite", registry=True),
    case("activity-add-country-unknown", "activity", "add", "--kind", "agreement", "--source",
         "s", "--region", "Primorsky Krai", "--partner", "Harbin", "--partner-country", "ZZ",
         "--db", "reg.sqlite", registry=True),
    case("activity-add-status-unknown", "activity", "add", "--kind", "agreement", "--source",
         "s", "--region", "Primorsky Krai", "--status", "bogus", "--db", "reg.sqlite",
         registry=True),
    case("activity-add-no-source", "activity", "add", "--kind", "agreement", "--db",
         "reg.sqlite", registry=True),
    case("activity-import-missing", "activity", "import", "nosuch.csv", "--db", "reg.sqlite",
         registry=True),
    case("activity-import-dir", "activity", "import", "adir", "--db", "reg.sqlite",
         files={"adir": DIR}, registry=True),
    case("activity-import-empty", "activity", "import", "a.csv", "--db", "reg.sqlite",
         files={"a.csv": ""}, registry=True),
    case("activity-import-binary-csv", "activity", "import", "a.csv", "--db", "reg.sqlite",
         files={"a.csv": BINARY}, registry=True),
    case("activity-import-garbage-json", "activity", "import", "a.json", "--db", "reg.sqlite",
         files={"a.json": "[{\"region\": "}, registry=True),
    case("activity-import-json-not-list", "activity", "import", "a.json", "--db",
         "reg.sqlite", files={"a.json": "{\"region\": \"x\"}"}, registry=True),
    case("activity-import-xlsx-garbage", "activity", "import", "a.xlsx", "--db", "reg.sqlite",
         files={"a.xlsx": GARBAGE_ZIP}, registry=True),
    case("activity-import-bad-row", "activity", "import", "a.csv", "--db", "reg.sqlite",
         files={"a.csv": mutate(ACTIVITIES, "Primorsky Krai,", "Atlantis,")}, registry=True),
    case("activity-import-unknown-column", "activity", "import", "a.csv", "--db",
         "reg.sqlite", files={"a.csv": mutate(ACTIVITIES, ",source\n", ",sauce\n")},
         registry=True),
    case("activity-import-on-duplicate-unknown", "activity", "import", "a.csv",
         "--on-duplicate", "bogus", "--db", "reg.sqlite", files={"a.csv": ACTIVITIES},
         registry=True),
    case("activity-import-unreadable", "activity", "import", "a.csv", "--db", "reg.sqlite",
         files={"a.csv": ACTIVITIES}, modes={"a.csv": 0}, registry=True, nonroot=True),
    *[case(f"activity-import-db-{k}", "activity", "import", "a.csv", "--db", v,
           files={**DB_FILES, "a.csv": ACTIVITIES}, absent=("/nonexistent/dir/x.db",))
      for k, v in DB_BAD.items()],
    case("activity-export-format-unknown", "activity", "export", "--format", "xml", "--db",
         "reg.sqlite", registry=True),
    case("activity-export-missing-dir", "activity", "export", "-o", "nodir/a.csv", "--db",
         "reg.sqlite", registry=True),
    case("activity-export-output-is-dir", "activity", "export", "-o", "adir", "--db",
         "reg.sqlite", files={"adir": DIR}, registry=True),
    case("activity-export-output-unknown-ext", "activity", "export", "-o", "a.xyz", "--db",
         "reg.sqlite", registry=True),
    case("activity-export-output-readonly-dir", "activity", "export", "-o", "ro/a.csv",
         "--db", "reg.sqlite", files={"ro": DIR}, modes={"ro": 0o555}, registry=True,
         nonroot=True),
    *db_cases("activity-export", "activity", "export", "-o", "a.csv"),
    case("activity-stats-year-text", "activity", "stats", "--year", "abc", "--db",
         "reg.sqlite", registry=True),
    case("activity-stats-year-1800", "activity", "stats", "--year", "1800", "--db",
         "reg.sqlite", registry=True),
    *db_cases("activity-stats", "activity", "stats"),
    case("activity-classify-id-unknown", "activity", "classify", "999999", "--form", "global",
         "--reason", "r", "--db", "reg.sqlite", registry=True),
    case("activity-classify-form-unknown", "activity", "classify", "1", "--form", "bogus",
         "--reason", "r", "--db", "reg.sqlite", registry=True),
    case("activity-classify-directness-unknown", "activity", "classify", "1", "--directness",
         "bogus", "--reason", "r", "--db", "reg.sqlite", registry=True),
    case("activity-classify-model-unknown", "activity", "classify", "1", "--model", "bogus",
         "--reason", "r", "--db", "reg.sqlite", registry=True),
    case("activity-classify-no-reason", "activity", "classify", "1", "--form", "global",
         "--db", "reg.sqlite", registry=True),
    case("activity-classify-id-text", "activity", "classify", "abc", "--db", "reg.sqlite",
         registry=True),
    *db_cases("activity-classify", "activity", "classify"),
    case("activity-correct-id-unknown", "activity", "correct", "999999", "--set", "title=x",
         "--reason", "r", "--db", "reg.sqlite", registry=True),
    case("activity-correct-field-unknown", "activity", "correct", "1", "--set", "nosuch=x",
         "--reason", "r", "--db", "reg.sqlite", registry=True),
    case("activity-correct-set-no-equals", "activity", "correct", "1", "--set", "title",
         "--reason", "r", "--db", "reg.sqlite", registry=True),
    case("activity-correct-date-bad", "activity", "correct", "1", "--set",
         "date_signed=notadate", "--reason", "r", "--db", "reg.sqlite", registry=True),
    case("activity-correct-kind-unknown", "activity", "correct", "1", "--set", "kind=bogus",
         "--reason", "r", "--db", "reg.sqlite", registry=True),
    case("activity-correct-region-unknown", "activity", "correct", "1", "--set",
         "region=Atlantis", "--reason", "r", "--db", "reg.sqlite", registry=True),
    case("activity-correct-reason-empty", "activity", "correct", "1", "--set", "title=x",
         "--reason", "", "--db", "reg.sqlite", registry=True),
    *db_cases("activity-correct", "activity", "correct", "1", "--set", "title=x", "--reason",
              "r"),
    case("activity-history-id-unknown", "activity", "history", "999999", "--db", "reg.sqlite",
         registry=True),
    case("activity-history-id-text", "activity", "history", "abc", "--db", "reg.sqlite",
         registry=True),
    *db_cases("activity-history", "activity", "history", "1"),
    case("activity-twins-cities-missing", "activity", "import-twins", "nosuch.csv",
         str(SHARED / "twin-cities" / "links.csv"), "--db", "reg.sqlite", registry=True),
    case("activity-twins-links-missing", "activity", "import-twins",
         str(SHARED / "twin-cities" / "cities.csv"), "nosuch.csv", "--db", "reg.sqlite",
         registry=True),
    case("activity-twins-cities-empty", "activity", "import-twins", "c.csv",
         str(SHARED / "twin-cities" / "links.csv"), "--db", "reg.sqlite",
         files={"c.csv": ""}, registry=True),
    case("activity-twins-cities-binary", "activity", "import-twins", "c.csv",
         str(SHARED / "twin-cities" / "links.csv"), "--db", "reg.sqlite",
         files={"c.csv": BINARY}, registry=True),
    case("activity-twins-cities-dir", "activity", "import-twins", "adir",
         str(SHARED / "twin-cities" / "links.csv"), "--db", "reg.sqlite",
         files={"adir": DIR}, registry=True),
    case("activity-twins-cities-wrong-columns", "activity", "import-twins", "c.csv", "l.csv",
         "--db", "reg.sqlite", files={"c.csv": "a,b\n1,2\n", "l.csv": "source,target\n"},
         registry=True),
    case("activity-twins-links-garbage", "activity", "import-twins", "c.csv", "l.csv", "--db",
         "reg.sqlite", files={"c.csv": TWIN_CITIES, "l.csv": GARBAGE_ZIP}, registry=True),
    case("activity-twins-links-wrong-columns", "activity", "import-twins",
         str(SHARED / "twin-cities" / "cities.csv"), "l.csv", "--db", "reg.sqlite",
         files={"l.csv": "from,to\nQ734532,Q873835\n"}, registry=True),
    case("activity-twins-db-typo", "activity", "import-twins", "--db",
         "sqlite:///{cwd}/typo.db"),
    case("activity-map-indicator-unknown", "activity", "map", "--indicator", "bogus", "--db",
         "reg.sqlite", registry=True),
    case("activity-map-output-unknown-ext", "activity", "map", "-o", "m.xyz", "--db",
         "reg.sqlite", registry=True),
    case("activity-map-missing-dir", "activity", "map", "-o", "nodir/m.png", "--db",
         "reg.sqlite", registry=True),
    case("activity-map-output-is-dir", "activity", "map", "-o", "adir", "--db", "reg.sqlite",
         files={"adir": DIR}, registry=True),
    case("activity-map-top-negative", "activity", "map", "--top", "-1", "--db", "reg.sqlite",
         registry=True),
    case("activity-map-default-db-absent", "activity", "map"),
    case("activity-map-db-typo", "activity", "map", "--db", "sqlite:///{cwd}/typo.db"),
    case("activity-unknown-subcommand", "activity", "bogus"),
]


def coding(id_: str, sub: str, text: Content, *extra: str, name: str = "c.csv",
           **kw: object) -> object:
    return case(id_, "coding", sub, name, *extra, files={name: text}, **kw)


CODING_CASES = [
    case("coding-validate-missing", "coding", "validate", "nosuch.csv"),
    case("coding-validate-dir", "coding", "validate", "adir", files={"adir": DIR}),
    coding("coding-validate-empty", "validate", ""),
    coding("coding-validate-binary-csv", "validate", BINARY),
    coding("coding-validate-garbage-xlsx", "validate", GARBAGE_ZIP, name="c.xlsx"),
    coding("coding-validate-wrong-ext", "validate", CODING, name="c.pdf"),
    coding("coding-validate-unreadable", "validate", CODING, modes={"c.csv": 0}, nonroot=True),
    coding("coding-validate-code-unknown", "validate", mutate(CODING, ",A1,", ",A99,")),
    coding("coding-validate-question-unknown", "validate", mutate(CODING, ",C,c1,", ",Z,c1,")),
    coding("coding-validate-region-unknown", "validate",
           mutate(CODING, "Khabarovsk Krai", "Atlantis")),
    coding("coding-validate-date-month-13", "validate", mutate(CODING, "2015-11", "2015-13")),
    coding("coding-validate-date-day-45", "validate", mutate(CODING, "2015-11", "2015-02-45")),
    coding("coding-validate-date-word", "validate", mutate(CODING, "2015-11", "yesterday")),
    coding("coding-validate-column-missing", "validate",
           "\n".join(line.split(",", 1)[1] for line in CODING.splitlines()) + "\n"),
    coding("coding-validate-header-only", "validate", CODING.splitlines()[0] + "\n"),
    coding("coding-validate-duplicate", "validate", CODING + CODING.splitlines()[1] + "\n"),
    coding("coding-validate-md-no-front-matter", "validate", "## A\n> text\nc1: A1\n",
           name="t.md"),
    coding("coding-validate-md-bad-front-matter", "validate",
           mutate(TRANSCRIPT, "case: ILL-01", "case: [ILL-01"), name="t.md", message=LINE),
    coding("coding-validate-md-passage-first", "validate",
           mutate(TRANSCRIPT, "# Illustrative transcript ILL-01", "> orphan passage"),
           name="t.md"),
    coding("coding-validate-md-code-unknown", "validate", mutate(TRANSCRIPT, "c1: C2", "c1: C9"),
           name="t.md"),
    coding("coding-validate-md-binary", "validate", BINARY, name="t.md"),
    case("coding-validate-codebook-unknown", "coding", "validate", "--codebook", "nosuch"),
    case("coding-validate-codebook-yaml-syntax", "coding", "validate", "--codebook", "b.yaml",
         files={"b.yaml": "codebook: x\nquestions: [\n  {id: A\n"}, message=LINE),
    case("coding-validate-codebook-empty", "coding", "validate", "--codebook", "b.yaml",
         files={"b.yaml": ""}),
    case("coding-validate-codebook-list", "coding", "validate", "--codebook", "b.yaml",
         files={"b.yaml": "- a\n- b\n"}),
    case("coding-validate-codebook-extends-unknown", "coding", "validate", "--codebook",
         "b.yaml", files={"b.yaml": "extends: nosuch\n"}),
    case("coding-validate-codebook-dir", "coding", "validate", "--codebook", "adir",
         files={"adir": DIR}),
    coding("coding-summary-by-unknown", "summary", CODING, "--by", "bogus"),
    coding("coding-summary-format-unknown", "summary", CODING, "--format", "bogus"),
    coding("coding-summary-chart-unknown-ext", "summary", CODING, "--chart", "c.xyz"),
    coding("coding-summary-chart-missing-dir", "summary", CODING, "--chart", "nodir/c.png"),
    case("coding-summary-chart-is-dir", "coding", "summary", "c.csv", "--chart", "adir",
         files={"c.csv": CODING, "adir": DIR}),
    coding("coding-summary-code-unknown", "summary", mutate(CODING, ",A1,", ",A99,")),
    coding("coding-agreement-mode-unknown", "agreement", CODING, "--mode", "bogus"),
    coding("coding-agreement-format-unknown", "agreement", CODING, "--format", "bogus"),
    coding("coding-agreement-empty", "agreement", ""),
    coding("coding-profile-format-unknown", "profile", CODING, "--format", "bogus"),
    coding("coding-profile-codebook-unknown", "profile", CODING, "--codebook", "nosuch"),
    coding("coding-profile-binary", "profile", BINARY),
    case("coding-unknown-subcommand", "coding", "bogus"),
]

LEAGUES = [
    case("leagues-index-missing", "leagues", "--index", "nosuch.csv"),
    case("leagues-index-dir", "leagues", "--index", "adir", files={"adir": DIR}),
    case("leagues-index-empty", "leagues", "--index", "i.csv", files={"i.csv": ""}),
    case("leagues-index-binary", "leagues", "--index", "i.csv", files={"i.csv": BINARY}),
    case("leagues-index-garbage-xlsx", "leagues", "--index", "i.xlsx",
         files={"i.xlsx": GARBAGE_ZIP}),
    case("leagues-index-header-only", "leagues", "--index", "i.csv",
         files={"i.csv": AUDIT_HEAD}),
    case("leagues-index-no-region", "leagues", "--index", "i.csv",
         files={"i.csv": "name,total_overall\nx,1\n"}),
    case("leagues-index-region-unknown", "leagues", "--index", "i.csv",
         files={"i.csv": table_4_1("Khabarovsk Krai,", "Atlantis,")}),
    case("leagues-index-score-text", "leagues", "--index", "i.csv",
         files={"i.csv": table_4_1(",84.4\n", ",lots\n")}),
    case("leagues-column-unknown", "leagues", "--index", "i.csv", "--column", "nosuch",
         files={"i.csv": table_4_1()}),
    case("leagues-method-unknown", "leagues", "--index", "i.csv", "--method", "bogus",
         files={"i.csv": table_4_1()}),
    case("leagues-thresholds-text", "leagues", "--index", "i.csv", "--method", "thresholds",
         "--thresholds", "a,b", files={"i.csv": table_4_1()}),
    case("leagues-thresholds-absent", "leagues", "--index", "i.csv", "--method",
         "thresholds", files={"i.csv": table_4_1()}),
    case("leagues-thresholds-descending", "leagues", "--index", "i.csv", "--method",
         "thresholds", "--thresholds", "200,100,50", files={"i.csv": table_4_1()}),
    case("leagues-format-unknown", "leagues", "--format", "bogus"),
]

MAP = [
    case("map-dataset-unknown", "map", "--dataset", "nosuch"),
    case("map-dataset-dotdot", "map", "--dataset", "../x"),
    case("map-column-unknown", "map", "--column", "nosuch"),
    case("map-output-unknown-ext", "map", "-o", "m.xyz"),
    case("map-output-missing-dir", "map", "-o", "nodir/m.png"),
    case("map-output-missing-dir-html", "map", "-o", "nodir/m.html"),
    case("map-output-is-dir", "map", "-o", "adir", files={"adir": DIR}),
    case("map-output-is-dir-png", "map", "-o", "adir.png", files={"adir.png": DIR}),
    case("map-output-readonly-dir", "map", "-o", "ro/m.png", files={"ro": DIR},
         modes={"ro": 0o555}, nonroot=True),
    case("map-year-text", "map", "--year", "abc"),
    case("map-year-1800", "map", "--dataset", "russia", "--year", "1800"),
    case("map-district-unknown", "map", "--district", "atlantis"),
    case("map-investment-unknown", "map", "--dataset", "russia", "--investment", "bogus"),
]

REPORT = [
    case("report-dataset-unknown", "report", "--dataset", "nosuch"),
    case("report-n-negative", "report", "-n", "-3"),
    case("report-n-text", "report", "-n", "abc"),
    case("report-seed-negative", "report", "-n", "5", "--seed", "-1"),
    case("report-output-missing-dir", "report", "-o", "nodir/r.html"),
    case("report-output-is-dir", "report", "-o", "adir", files={"adir": DIR}),
    case("report-output-unknown-ext", "report", "-o", "r.xyz"),
    case("report-pdf-missing-dir", "report", "-o", "r.html", "--pdf", "nodir/r.pdf"),
    case("report-pdf-is-dir", "report", "-o", "r.html", "--pdf", "adir", files={"adir": DIR}),
    case("report-output-readonly-dir", "report", "-o", "ro/r.html", files={"ro": DIR},
         modes={"ro": 0o555}, nonroot=True),
    case("report-year-1800", "report", "--dataset", "russia", "--year", "1800"),
    case("report-district-unknown", "report", "--district", "atlantis"),
    case("report-investment-unknown", "report", "--dataset", "russia", "--investment",
         "bogus"),
]

SERVE = [
    case("serve-port-in-use", "serve", "--port", "{port}", busy_port=True,
         isolate=SERVE_LIMIT),
    case("serve-port-0", "serve", "--port", "0", isolate=SERVE_LIMIT),
    case("serve-port-negative", "serve", "--port", "-1", isolate=SERVE_LIMIT),
    case("serve-port-70000", "serve", "--port", "70000", isolate=SERVE_LIMIT),
    case("serve-port-text", "serve", "--port", "abc", isolate=SERVE_LIMIT),
    case("serve-host-invalid", "serve", "--host", "999.999.999.999", "--port", "8799",
         isolate=SERVE_LIMIT),
]

TOP = [
    case("top-unknown-command", "nosuchcommand"),
    case("top-unknown-option", "--bogus"),
]

CASES = [*INDEX, *AUDIT, *REGIONS, *TABLES, *BUILD, *UNCERTAINTY, *REPLAY, *DATASETS, *IMPORT,
         *ACTIVITY, *CODING_CASES, *LEAGUES, *MAP, *REPORT, *SERVE, *TOP]

# ----------------------------------------------------------------------------- running


@dataclass
class Outcome:
    code: int | None  # None: killed after the time limit
    out: str
    err: str
    seconds: float


def run_in_process(args: list[str], cwd: Path) -> Outcome:
    """``paradiplomacy ARGS`` through ``main()`` in this process, as a shell would run it:
    an uncaught exception is a traceback on stderr and exit code 1; warnings shown as the
    interpreter's default filters would."""
    out, err = io.StringIO(), io.StringIO()
    old_argv, old_cwd = sys.argv, Path.cwd()
    start = time.perf_counter()
    code: int | None = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.resetwarnings()  # then the interpreter's default filters
        warnings.simplefilter("default")
        for quiet in (DeprecationWarning, PendingDeprecationWarning, ImportWarning,
                      ResourceWarning):
            warnings.simplefilter("ignore", quiet)
        try:
            os.chdir(cwd)
            sys.argv = ["paradiplomacy", *args]
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    importlib.import_module("paradiplomacy.cli.main").main()
                except SystemExit as exc:
                    if exc.code is None:
                        code = 0
                    elif isinstance(exc.code, int):
                        code = exc.code
                    else:
                        err.write(f"{exc.code}\n")
                        code = 1
                except BaseException:  # what the interpreter would print
                    err.write(traceback.format_exc())
                    code = 1
        finally:
            sys.argv = old_argv
            os.chdir(old_cwd)
            if "matplotlib.pyplot" in sys.modules:  # a new process starts with no figure
                sys.modules["matplotlib.pyplot"].close("all")
        shown = "".join(warnings.formatwarning(w.message, w.category, w.filename, w.lineno,
                                               w.line) for w in caught)
    return Outcome(code, out.getvalue(), err.getvalue() + shown,
                   time.perf_counter() - start)


def run_subprocess(args: list[str], cwd: Path, limit: float) -> Outcome:
    """``python -m paradiplomacy.cli.main ARGS``, killed after ``limit`` seconds."""
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "paradiplomacy.cli.main", *args], cwd=cwd,
                              capture_output=True, text=True, timeout=limit,
                              stdin=subprocess.DEVNULL, env=dict(os.environ))
    except subprocess.TimeoutExpired as exc:
        def text(b: bytes | str | None) -> str:
            return b.decode(errors="replace") if isinstance(b, bytes) else (b or "")

        return Outcome(None, text(exc.stdout), text(exc.stderr), time.perf_counter() - start)
    return Outcome(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start)


def run_cli(args: list[str], cwd: Path, isolate: float | None = None) -> Outcome:
    if SUBPROCESS or isolate is not None:
        return run_subprocess(args, cwd, isolate or LIMIT * 2)
    return run_in_process(args, cwd)


Snapshot = dict[str, tuple[object, ...]]


def snapshot(root: Path) -> Snapshot:
    """Every file and folder under ``root``: kind, size, mtime and SHA-1 of files."""
    found: Snapshot = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        st = path.lstat()
        if stat.S_ISDIR(st.st_mode):
            found[rel] = ("dir", stat.S_IMODE(st.st_mode))
            continue
        try:
            digest = hashlib.sha1(path.read_bytes()).hexdigest()
        except OSError:
            digest = "unreadable"
        found[rel] = ("file", st.st_size, st.st_mtime_ns, digest, stat.S_IMODE(st.st_mode))
    return found


def diff(before: Snapshot, after: Snapshot) -> list[str]:
    changes = [f"+{p}" for p in after if p not in before]
    changes += [f"-{p}" for p in before if p not in after]
    changes += [f"~{p}" for p in before if p in after and before[p] != after[p]]
    return changes


class Templates:
    """An initialised registry and a dataset store, made once and copied into each case."""

    def __init__(self, root: Path):
        self.root = root
        self._registry: Path | None = None
        self._store: Path | None = None

    def registry(self) -> Path:
        if self._registry is None:
            from paradiplomacy.activity.db import engine_for, init_db, session
            from paradiplomacy.activity.sample import chapter_records
            from paradiplomacy.activity.store import Store

            path = self.root / "reg.sqlite"
            eng = engine_for(f"sqlite:///{path}")
            init_db(eng)
            with session(eng) as s:
                Store(s, "battery").add(chapter_records(), path="chapter")
            eng.dispose()
            self._registry = path
        return self._registry

    def store(self) -> Path:
        if self._store is None:
            from paradiplomacy.data.store import read_import, write_dataset

            src = self.root / "panel.csv"
            src.write_text(PANEL, encoding="utf-8")
            res = read_import([str(src)])
            write_dataset("good", res.values, [str(src)], self.root / "store", res.notes,
                          res.left_out)
            self._store = self.root / "store"
        return self._store


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    return Templates(tmp_path_factory.mktemp("battery-templates"))


def materialise(cwd: Path, files: dict[str, Content]) -> None:
    for rel, content in files.items():
        target = cwd / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if content is DIR:
            target.mkdir()
        elif isinstance(content, bytes):
            target.write_bytes(content)
        elif isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        elif isinstance(content, Path):
            shutil.copyfile(content, target)
        elif callable(content):
            content(target)
        else:  # pragma: no cover
            raise TypeError(f"{rel}: cannot create from {type(content).__name__}")


@contextlib.contextmanager
def busy_port(wanted: bool) -> Iterator[str]:
    """A port another socket listens on (while the block runs), or '' when not wanted."""
    if not wanted:
        yield ""
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield str(sock.getsockname()[1])


def summary(outcome: Outcome) -> str:
    """The first stderr line and, for a traceback, its last line (the exception)."""
    lines = outcome.err.splitlines()
    first = lines[0][:200] if lines else "(stderr empty)"
    text = f"stderr[0]={first!r}"
    if "Traceback" in outcome.err + outcome.out:
        tb = [ln for ln in (outcome.err + outcome.out).splitlines() if ln.strip()]
        text += f"; exception={tb[-1][:200]!r}"
    return text


@pytest.mark.parametrize("bad", CASES)
def test_bad_input_is_one_error_line_exit_2_and_writes_nothing(
        bad: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, templates: Templates,
) -> None:
    cwd = tmp_path / "work"
    cwd.mkdir()
    monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(cwd / "store"))
    monkeypatch.delenv("PARADIPLOMACY_DB", raising=False)  # the default: ./<file> in cwd
    monkeypatch.delenv("PARADIPLOMACY_DEBUG", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    materialise(cwd, bad.files)
    if bad.registry:
        shutil.copy2(templates.registry(), cwd / "reg.sqlite")
    if bad.store:
        shutil.copytree(templates.store(), cwd / "store")
    for rel, mode in bad.modes.items():
        (cwd / rel).chmod(mode)
    for p in bad.absent:
        assert not Path(p).exists(), f"{p} exists before the case ran"
    before = snapshot(cwd)
    try:
        with busy_port(bad.busy_port) as port:
            args = [a.replace("{cwd}", str(cwd)).replace("{port}", port) for a in bad.args]
            outcome = run_cli(args, cwd, bad.isolate)
        after = snapshot(cwd)
    finally:
        for rel in bad.modes:
            with contextlib.suppress(OSError):
                (cwd / rel).chmod(0o755 if (cwd / rel).is_dir() else 0o644)

    problems = []
    if outcome.code is None:
        problems.append(f"still running after {outcome.seconds:.0f} s (killed)")
    elif outcome.code != 2:
        problems.append(f"exit {outcome.code}")
    lines = outcome.err.splitlines()
    if len(lines) != 1:
        problems.append(f"stderr has {len(lines)} lines")
    if not outcome.err.startswith("error: "):
        problems.append("stderr does not start with 'error: '")
    elif bad.message and not re.search(bad.message, lines[0]):
        problems.append(f"error line does not match {bad.message!r}")
    if "Traceback" in outcome.out + outcome.err:
        problems.append("traceback")
    changed = diff(before, after)
    if changed:
        problems.append(f"changed files: {' '.join(changed[:8])}")
    problems += [f"created {p}" for p in bad.absent if Path(p).exists()]
    if outcome.code is not None and outcome.seconds > LIMIT:
        problems.append(f"took {outcome.seconds:.1f} s")
    assert not problems, f"{'; '.join(problems)}; {summary(outcome)}"


def test_the_battery_is_big_and_spans_every_command() -> None:
    assert len(CASES) >= 170
    commands = {" ".join(a for a in c.values[0].args[:2] if not a.startswith("-"))
                for c in CASES}  # type: ignore[attr-defined]
    for cmd in ("index", "audit", "regions", "tables", "build", "import", "datasets export",
                "uncertainty run", "uncertainty replay", "activity init", "activity add",
                "activity import", "activity list", "activity export", "activity stats",
                "activity classify", "activity correct", "activity history",
                "activity import-twins", "activity map", "coding validate", "coding summary",
                "coding agreement", "coding profile", "leagues", "map", "report", "serve"):
        assert any(c == cmd or c.startswith(f"{cmd} ") for c in commands), cmd
