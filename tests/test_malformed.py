"""The corpus of malformed files: each import fails with its own clear error, writes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from paradiplomacy.data.importing import read_files
from paradiplomacy.data.validate import ValidationFailed
from paradiplomacy.io.errors import InputError

CORPUS = Path(__file__).parent / "fixtures" / "malformed"
CASES = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))


def test_the_corpus_has_at_least_30_malformed_files():
    assert len(CASES) >= 30
    for case in CASES:
        for f in case["files"]:
            assert (CORPUS / f.split(":")[0]).is_file(), f


@pytest.mark.parametrize("case", CASES, ids=[c["files"][0].split(":")[0] for c in CASES])
def test_malformed_file_gives_its_error(case):
    specs = [str(CORPUS / f) for f in case["files"]]
    with pytest.raises(InputError) as info:
        read_files(specs)
    exc = info.value
    errors = exc.problems if isinstance(exc, ValidationFailed) else [exc]
    assert any(re.search(case["error"], str(e)) for e in errors), str(exc)
    hit = next(e for e in errors if re.search(case["error"], str(e)))
    assert str(CORPUS) in str(hit.file)  # names the file
    if "row" in case:
        assert hit.row == case["row"], str(hit)
    if "column" in case:
        assert hit.column == case["column"], str(hit)


def test_a_damaged_workbook_prints_nothing_on_stdout(capfd):
    """xlrd writes warnings to stdout by default; stdout is for the command's output."""
    with pytest.raises(InputError, match="Excel 97-2003"):
        read_files([str(CORPUS / "truncated_97_2003.xls")])
    assert capfd.readouterr().out == ""


def test_a_failed_import_changes_nothing(tmp_path, cli, monkeypatch):
    """All or nothing: a bad file among good ones leaves the existing dataset as it was and
    every problem is listed on stderr (and in --report)."""
    monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(tmp_path))
    good = tmp_path / "good.csv"
    good.write_text("region,year,fdi\nАмурская область,2013,5\n", encoding="utf-8")
    assert cli("import", str(good), "--to", "ds").exit_code == 0
    before = sorted((p.name, p.read_bytes()) for p in (tmp_path / "ds").iterdir())
    bad = tmp_path / "bad.csv"
    bad.write_text("region,year,indicator,value,unit\n"
                   "Амурская область,2013,population,809.9,человек\n"
                   "Приморский край,2013,population,1938,человек\n"
                   "Приморский край,1850,fdi,1,USD\n", encoding="utf-8")
    res = cli("import", str(good), str(bad), "--to", "ds", "--report",
              str(tmp_path / "problems.csv"))
    assert res.exit_code == 2
    assert "3 problem(s) in 1 file(s); nothing was imported" in res.stderr
    assert f"{bad}, row 2" in res.stderr and f"{bad}, row 3" in res.stderr
    assert f"{bad}, row 4" in res.stderr
    after = sorted((p.name, p.read_bytes()) for p in (tmp_path / "ds").iterdir())
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [".versions"]
    assert len(list((tmp_path / ".versions").iterdir())) == 1  # the dataset's only version
    report = (tmp_path / "problems.csv").read_text(encoding="utf-8").splitlines()
    assert report[0] == "file,row,column,check,message" and len(report) == 4


def test_every_problem_of_every_file_is_listed():
    """Four bad files of four kinds: four problems in one report, in the order of the files."""
    specs = [str(CORPUS / "not_a_number.csv"), str(CORPUS / "broken.xml") + ":fdi",
             str(CORPUS / "rosstat_unknown_region.csv") + ":exports"]
    with pytest.raises(ValidationFailed) as info:
        read_files([*specs, str(CORPUS / "population_scale.csv")])
    checks = [(Path(p.file).name, p.row, p.check) for p in info.value.problems]
    assert checks == [("not_a_number.csv", 2, "read"), ("broken.xml", 2, "read"),
                      ("rosstat_unknown_region.csv", 3, "region names"),
                      ("population_scale.csv", 2, "population range")]
