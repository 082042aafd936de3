"""The dataset store under faults and hostile names: nothing written, deleted or read outside
it; a kill at any moment of a replace leaves the old dataset or the new one; what a killed
import leaves is never listed and is cleaned by the next import; files follow the umask."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from paradiplomacy.data.store import load_dataset
from paradiplomacy.data.store_fs import VERSIONS, clean, names

OLD = "region,year,fdi\nАмурская область,2013,5\nПриморский край,2013,7\n"
NEW = "region,year,fdi\nАмурская область,2013,11\nПриморский край,2013,13\n"


def _panel(tmp_path: Path, text: str, name: str = "p.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


def _fdi(root: Path, name: str = "d") -> list[float]:
    v = load_dataset(name, root).values
    return sorted(v.loc[v["indicator"] == "fdi", "value"].tolist())


@pytest.fixture
def store(tmp_path, monkeypatch, cli):
    """A store holding dataset 'd' (the OLD values), a sentinel file beside the store and one
    inside it."""
    root = tmp_path / "store"
    monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(root))
    assert cli("import", str(_panel(tmp_path, OLD)), "--to", "d").exit_code == 0
    (tmp_path / "thesis.docx").write_bytes(b"my thesis")
    return root


BAD_NAMES = ["", ".", "..", "../x", "..x", "a/b", "/tmp/x", "x/../..", ".hidden", "-x",
             "far-east-2013", "russia", "a\\b", "a b", "x" * 65, "~", "$HOME", "CON", "nul.txt",
             "com1"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_no_name_touches_anything(cli, store, tmp_path, name):
    before = _snapshot(tmp_path)
    res = cli("import", str(tmp_path / "p.csv"), "--to", name)
    assert res.exit_code == 2 and res.stderr.startswith("error:")
    assert res.stderr.count("\n") == 1
    for args in (("index", "--dataset", name), ("datasets", "export", name, "-o",
                                                 str(tmp_path / "out.csv"))):
        if (name == "far-east-2013" and args[0] == "index") or name == "russia":
            continue  # the embedded datasets are read (russia's statistics exported) by name
        res = cli(*args)
        assert res.exit_code == 2, (args, res.output)
    assert _snapshot(tmp_path) == before  # the thesis, the store and the panel unchanged


def test_a_link_out_of_the_store_is_neither_listed_nor_read(cli, store, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "dataset.yaml").write_text("name: x\n")
    (store / "sneaky").symlink_to(outside)
    assert names(store) == ["d"]
    res = cli("index", "--dataset", "sneaky")
    assert res.exit_code == 2 and "outside the datasets folder" in res.stderr


def test_outputs_follow_the_umask(cli, tmp_path, monkeypatch):
    for mask, dmode, fmode in ((0o022, 0o755, 0o644), (0o077, 0o700, 0o600)):
        root = tmp_path / f"s{mask:o}"
        monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(root))
        old = os.umask(mask)
        try:
            assert cli("import", str(_panel(tmp_path, OLD)), "--to", "d").exit_code == 0
            out = tmp_path / f"e{mask:o}.csv"
            assert cli("datasets", "export", "d", "-o", str(out)).exit_code == 0
        finally:
            os.umask(old)
        folder = (root / "d").resolve()
        assert folder.stat().st_mode & 0o777 == dmode
        assert {(f.stat().st_mode & 0o777) for f in folder.iterdir()} == {fmode}
        assert out.stat().st_mode & 0o777 == fmode


# A child process that imports NEW into 'd' and is killed (SIGKILL: no clean-up runs) at the
# moment named: before the link is renamed over the old one, or after it, before the old
# version is removed, or halfway through writing the new version's files.
KILLER = textwrap.dedent("""
    import os, signal, sys, shutil
    from paradiplomacy.data import store_fs
    where = sys.argv[1]
    def die(*a, **k):
        os.kill(os.getpid(), signal.SIGKILL)
    if where == "rename":
        store_fs.os.replace = die
    elif where == "remove-old":
        store_fs.shutil.rmtree = die
    elif where == "writing":
        import paradiplomacy.data.store as st
        st.yaml.safe_dump = die  # values.csv written, dataset.yaml not
    elif where == "legacy-move":
        store_fs.os.symlink = die  # after the old plain folder was moved aside
    from paradiplomacy.cli.main import main
    sys.argv = ["paradiplomacy", "import", sys.argv[2], "--to", "d"]
    main()
""")


def _killed_import(tmp_path: Path, root: Path, where: str) -> None:
    new = _panel(tmp_path, NEW, "new.csv")
    env = {**os.environ, "PARADIPLOMACY_DATASETS": str(root)}
    proc = subprocess.run([sys.executable, "-c", KILLER, where, str(new)], env=env,
                          capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr


@pytest.mark.parametrize(("where", "expect"), [("writing", [5.0, 7.0]),
                                               ("rename", [5.0, 7.0]),
                                               ("remove-old", [11.0, 13.0])])
def test_a_kill_during_replace_leaves_old_or_new(cli, store, tmp_path, where, expect):
    _killed_import(tmp_path, store, where)
    assert _fdi(store) == expect  # readable at once, before any clean-up
    listed = cli("datasets")
    assert listed.exit_code == 0
    assert [ln.split("\t")[0] for ln in listed.stdout.splitlines()
            if "\timported\t" in ln] == ["d"]
    assert len(list((store / VERSIONS).iterdir())) == 2  # the leftover, still hidden
    assert clean(store)  # the next writer removes it
    assert len(list((store / VERSIONS).iterdir())) == 1
    assert not list(store.glob(".link-*"))
    assert cli("import", str(tmp_path / "new.csv"), "--to", "d").exit_code == 0
    assert _fdi(store) == [11.0, 13.0]
    assert len(list((store / VERSIONS).iterdir())) == 1
    assert (tmp_path / "thesis.docx").read_bytes() == b"my thesis"


def _legacy(root: Path, cli, tmp_path: Path) -> None:
    """Turn 'd' into a plain folder, as releases before the links wrote it."""
    folder = (root / "d").resolve()
    (root / "d").unlink()
    folder.rename(root / "d")
    assert not (root / "d").is_symlink() and _fdi(root) == [5.0, 7.0]


def test_a_plain_folder_of_an_earlier_release_is_replaced(cli, store, tmp_path):
    _legacy(store, cli, tmp_path)
    assert cli("import", str(_panel(tmp_path, NEW, "new.csv")), "--to", "d").exit_code == 0
    assert _fdi(store) == [11.0, 13.0] and (store / "d").is_symlink()
    assert len(list((store / VERSIONS).iterdir())) == 1


def test_a_kill_while_moving_a_plain_folder_is_recovered(cli, store, tmp_path):
    _legacy(store, cli, tmp_path)
    _killed_import(tmp_path, store, "legacy-move")
    assert not os.path.lexists(store / "d")  # the old data is aside, under .versions
    clean(store)
    assert _fdi(store) == [5.0, 7.0]


def test_a_store_that_is_a_file_or_has_no_parent_is_refused(cli, tmp_path, monkeypatch):
    panel = _panel(tmp_path, OLD)
    for root in (tmp_path / "file.txt", tmp_path / "no" / "such" / "store"):
        if root.name == "file.txt":
            root.write_text("x")
        monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(root))
        res = cli("import", str(panel), "--to", "d")
        assert res.exit_code == 2 and res.stderr.count("\n") == 1, res.output
    assert not (tmp_path / "no").exists()
    assert (tmp_path / "file.txt").read_text() == "x"


def test_formula_cells_are_defused_in_exports_unless_raw(cli, tmp_path, monkeypatch):
    """A cell of an imported file that a spreadsheet would run (=HYPERLINK…, +, -, @) is
    written with a leading ' in CSV and Excel; numbers (also negative ones) are untouched."""
    import openpyxl
    import pandas as pd

    monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(tmp_path / "store"))
    p = _panel(tmp_path, "region,year,indicator,value\n"
                         'Амурская область,2013,"=HYPERLINK(""http://x"",""y"")",0.5\n'
                         "Приморский край,2013,@SUM(A1),7\n", "f.csv")
    res = cli("import", str(p), "--to", "d")
    assert res.exit_code == 0, res.output
    for suffix in (".csv", ".xlsx"):
        for raw in (False, True):
            out = tmp_path / f"out{int(raw)}{suffix}"
            args = ["datasets", "export", "d", "-o", str(out)] + (["--raw"] if raw else [])
            assert cli(*args).exit_code == 0
            if suffix == ".csv":
                t = pd.read_csv(out, dtype=str, keep_default_na=False)
            else:
                ws = openpyxl.load_workbook(out).active
                rows = list(ws.values)
                t = pd.DataFrame(rows[1:], columns=rows[0]).astype(str)
            names = sorted(t["indicator"].str.upper())  # import writes names in lower case
            if raw:
                assert names == ['=HYPERLINK("HTTP://X","Y")', "@SUM(A1)"]
            else:
                assert names == ["'=HYPERLINK(\"HTTP://X\",\"Y\")", "'@SUM(A1)"]
            assert sorted(float(v) for v in t["value"]) == [0.5, 7.0]


def test_a_name_in_other_letter_case_is_refused(cli, store, tmp_path):
    """'D' and 'd' are one folder on macOS and Windows: the second is refused."""
    res = cli("import", str(tmp_path / "p.csv"), "--to", "D")
    assert res.exit_code == 2 and "other letter case" in res.stderr
    assert names(store) == ["d"]


def test_embedded_statistics_export_and_published_scores_do_not(cli, tmp_path):
    out = tmp_path / "russia.csv"
    res = cli("datasets", "export", "russia", "-o", str(out))
    assert res.exit_code == 0 and out.read_text(encoding="utf-8").startswith(
        "code,year,indicator,value,unit")
    res = cli("datasets", "export", "far-east-2013", "-o", str(tmp_path / "f.csv"))
    assert res.exit_code == 2 and "index --dataset far-east-2013 -o" in res.stderr
    assert not (tmp_path / "f.csv").exists()
