"""The command line as a thin layer: one answer by every route, light constants that agree with
the library, nothing outside cli/ importing it, a start that does not load pandas for --help,
a table that fits an 80-column terminal, and the README's Python example as written."""

from __future__ import annotations

import ast
import csv
import io
import os
import pty
import re
import subprocess
import sys

import pytest

from conftest import PUBLISHED, REPO

SRC = REPO / "src" / "paradiplomacy"

# Mixed units on purpose: population in thousands for two regions and in persons for the
# third, FDI in million and in thousand US dollars, tourists in thousands and in persons.
# (Invented values for the test, not statistics.)
PANEL = """region,year,indicator,value,unit
Амурская область,2013,population,809.9,тыс. человек
Приморский край,2013,population,1938500,человек
Хабаровский край,2013,population,1342.1,тыс. человек
Амурская область,2013,students,1200,человек
Приморский край,2013,students,5400,человек
Хабаровский край,2013,students,2100,человек
Амурская область,2013,fdi,25.5,млн долларов США
Приморский край,2013,fdi,120000,тыс. долларов США
Хабаровский край,2013,fdi,310.2,млн долларов США
Амурская область,2013,trade,1100,млн долларов США
Приморский край,2013,trade,13900,млн долларов США
Хабаровский край,2013,trade,5200,млн долларов США
Амурская область,2013,tourists,55,тыс. человек
Приморский край,2013,tourists,310000,человек
Хабаровский край,2013,tourists,120,тыс. человек
"""


def _hand() -> dict[str, dict[str, float]]:
    """The scores computed by hand from PANEL with every unit converted to persons / USD."""
    pop = {"AMU": 809_900, "PRI": 1_938_500, "KHA": 1_342_100}
    val = {"students": {"AMU": 1200, "PRI": 5400, "KHA": 2100},
           "fdi": {"AMU": 25.5e6, "PRI": 120e6, "KHA": 310.2e6},
           "trade": {"AMU": 1100e6, "PRI": 13900e6, "KHA": 5200e6},
           "tourists": {"AMU": 55_000, "PRI": 310_000, "KHA": 120_000}}
    out: dict[str, dict[str, float]] = {r: {} for r in pop}
    for ind, v in val.items():
        pc = {r: v[r] / pop[r] for r in pop}
        for r in pop:
            out[r][f"{ind}_total"] = 100 * v[r] / max(v.values())
            out[r][f"{ind}_pc"] = 100 * pc[r] / max(pc.values())
    return out


def test_one_answer_by_every_route(cli, tmp_path, monkeypatch):
    """index FILE, index --data FILE and import + index --dataset give the same scores, and
    they are the scores computed by hand with the units converted."""
    monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(tmp_path / "store"))
    f = tmp_path / "panel.csv"
    f.write_text(PANEL, encoding="utf-8")
    assert cli("import", str(f), "--to", "mine").exit_code == 0
    tables = []
    for args in ((str(f),), ("--data", str(f)), ("--dataset", "mine")):
        res = cli("index", *args, "--format", "csv", "--decimals", "6")
        assert res.exit_code == 0, res.output
        rows = list(csv.DictReader(io.StringIO(res.stdout)))
        tables.append({r["code"]: {k: v for k, v in r.items() if k != "source"} for r in rows})
    assert tables[0] == tables[1] == tables[2]
    hand = _hand()
    for code, row in tables[0].items():
        assert row["year"] == "2013"
        for col, want in hand[code.removeprefix("RU-")].items():
            assert float(row[col]) == pytest.approx(want, abs=1e-5), (code, col)


def test_light_constants_of_the_cli_agree_with_the_library():
    """Constants copied into cli/ so that --help need not import the library."""
    from paradiplomacy.cli import audit_cmd, index_cmd, regions_cmd
    from paradiplomacy.index import against, audit, internationalization, service
    from paradiplomacy.regions import SUBJECT_TYPES

    assert index_cmd.DEFAULT_DATASET == service.DEFAULT_DATASET
    assert index_cmd.CHAPTER_INDICATORS == internationalization.CHAPTER_INDICATORS
    assert audit_cmd.ERROR_FACTOR == audit.ERROR_FACTOR == against.ERROR_FACTOR
    assert tuple(regions_cmd.SUBJECT_TYPE_NAMES) == tuple(SUBJECT_TYPES)


def test_nothing_outside_cli_imports_it():
    offenders = []
    for path in SRC.rglob("*.py"):
        if "cli" in path.relative_to(SRC).parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(SRC)}: {n}" for n in names
                          if n.startswith("paradiplomacy.cli")]
    assert offenders == []


def test_help_does_not_load_the_heavy_libraries():
    """What makes --help fast (benchmarks/cli_start.py times it): no pandas, NumPy, SciPy,
    matplotlib or SQLAlchemy is imported to print it."""
    code = ("import sys\nfrom paradiplomacy.cli.main import main\nsys.argv=['paradiplomacy',"
            "'--help']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas','numpy',"
            "'scipy','matplotlib','sqlalchemy','plotly')), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0 and "Usage" in proc.stdout
    assert proc.stderr.strip().splitlines()[-1] == "[]"


def _on_terminal(*args: str, columns: int = 80) -> str:
    """What `paradiplomacy ARGS` shows on a terminal of ``columns`` columns (a pseudo-TTY)."""
    main, sub = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "50", "TERM": "dumb",
           "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "paradiplomacy.cli.main", *args],
                            stdout=sub, stderr=sub, env=env)
    os.close(sub)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(main)
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def test_the_index_fits_an_80_column_terminal(published_rows):
    shown = _on_terminal("index")
    assert max(len(line) for line in shown.splitlines()) <= 80
    for row in published_rows:  # every region's name whole, with its totals
        from paradiplomacy.regions import get, resolve

        name = get(resolve(row["region"])).name_en
        line = next((ln for ln in shown.splitlines() if name in ln), None)
        assert line is not None, name
        assert f"{float(row['total_pc']):.1f}" in line
        assert f"{float(row['total_overall']):.1f}" in line
    assert "Rank" in shown and "--wide" in shown
    wide = _on_terminal("index", "--wide")
    assert "Stud." in wide and "--wide" not in wide


def test_the_readme_python_example_runs_as_written(monkeypatch):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    code = re.search(r"### Python\n.*?```python\n(.*?)```", readme, re.S).group(1)
    monkeypatch.chdir(REPO)
    ns: dict = {}
    exec(compile(code, "README.md", "exec"), ns)
    with PUBLISHED.open(encoding="utf-8") as fh:
        published = list(csv.DictReader(fh))
    totals = sorted(round(float(r["total_overall"]), 1) for r in published)
    assert sorted(ns["table41"]["total_overall"].round(1)) == totals
    assert len(ns["russia"]) == 85
    assert ns["chapter"].build.data["Normalised"].max().round(6).eq(100).all()
    assert {"exports", "fdi"} <= set(ns["panel"]["indicator"])


def test_the_choices_listed_in_help_are_the_registrys():
    """The activity commands list their choices in --help without importing the models (to
    start fast): the lists must be the models' own."""
    import typer

    from paradiplomacy.activity import models
    from paradiplomacy.cli.main import app

    root = typer.main.get_command(app)
    helps = {(cmd, p.opts[0]): p.help for cmd in ("add", "classify")
             for p in root.commands["activity"].commands[cmd].params}
    for (cmd, opt), allowed in {("add", "--kind"): models.ACTIVITY_KINDS,
                                ("add", "--partner-kind"): models.PARTNER_KINDS,
                                ("add", "--status"): models.STATUSES,
                                ("add", "--initiated-by"): models.INITIATORS,
                                ("add", "--actor"): models.ACTORS,
                                ("classify", "--form"): models.FORMS,
                                ("classify", "--directness"): models.DIRECTNESS,
                                ("classify", "--model"): models.MODELS}.items():
        listed = [w.split(" ")[0] for w in helps[(cmd, opt)].split(" | ")]
        assert listed == list(allowed), (cmd, opt)
