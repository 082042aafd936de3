"""Outputs for Stata and R users, read back with independent readers: ReadStat (pyreadstat,
the C library R's haven uses) for .dta, Arrow for .parquet."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pyreadstat
import pytest

from paradiplomacy.index.service import compute


def _csv(cli, *args: str) -> list[dict[str, str]]:
    res = cli(*args, "--format", "csv", "--decimals", "10")
    assert res.exit_code == 0, res.output
    return list(csv.DictReader(io.StringIO(res.stdout)))


@pytest.mark.parametrize("dataset", ["far-east-2013", "russia"])
def test_index_as_stata_and_parquet(cli, tmp_path, dataset):
    want = _csv(cli, "index", "--dataset", dataset)
    dta, parquet = tmp_path / "i.dta", tmp_path / "i.parquet"
    for out in (dta, parquet):
        res = cli("index", "--dataset", dataset, "-o", str(out))
        assert res.exit_code == 0, res.output
    frame, meta = pyreadstat.read_dta(str(dta))
    table = pq.read_table(parquet)
    back = table.to_pandas()
    assert list(frame.columns) == list(back.columns) == list(want[0])
    for got in (frame, back):
        assert list(got["code"]) == [r["code"] for r in want]
        for col in ("total_pc", "total_overall", "fdi_pc", "trade_total"):
            assert got[col].tolist() == pytest.approx([float(r[col]) for r in want], abs=1e-9)
    assert meta.column_names_to_labels["total_pc"].startswith("TOTAL per capita")
    assert meta.column_names_to_labels["fdi_total"].startswith("FDI (incoming), overall")
    source = want[0]["source"]
    assert meta.notes[0] == source and len(meta.file_label) <= 80
    assert source.startswith(meta.file_label.removesuffix("…"))  # cut at a word
    assert table.schema.metadata[b"paradiplomacy.source"].decode().startswith(source)


def test_dataset_export_as_stata_and_parquet(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(tmp_path / "store"))
    f = tmp_path / "p.csv"
    f.write_text("region,year,indicator,value,unit\nАмурская область,2013,fdi,25.5,"
                 "млн долларов США\nПриморский край,2013,fdi,120,млн долларов США\n",
                 encoding="utf-8")
    assert cli("import", str(f), "--to", "d").exit_code == 0
    for suffix in (".csv", ".dta", ".parquet"):
        assert cli("datasets", "export", "d", "-o", str(tmp_path / f"d{suffix}")).exit_code == 0
    with (tmp_path / "d.csv").open(encoding="utf-8") as fh:
        want = list(csv.DictReader(fh))
    frame, meta = pyreadstat.read_dta(str(tmp_path / "d.dta"))
    back = pq.read_table(tmp_path / "d.parquet").to_pandas()
    for got in (frame, back):
        assert list(got["code"]) == [r["code"] for r in want]
        assert got["value"].tolist() == [float(r["value"]) for r in want] == [25.5e6, 120e6]
        assert list(got["cell"]) == [r["cell"] for r in want]
    assert meta.column_names_to_labels["value"] == "Value (in the unit)"
    assert "p.csv" in meta.notes[0]


def test_python_api_writes_both(tmp_path):
    res = compute("far-east-2013")
    res.to_stata(str(tmp_path / "t.dta"))
    res.to_parquet(str(tmp_path / "t.parquet"))
    frame, meta = pyreadstat.read_dta(str(tmp_path / "t.dta"))
    assert frame["total_overall"].tolist() == pytest.approx(res.table["total_overall"].tolist())
    assert meta.notes[0] == res.source
    back = pq.read_table(tmp_path / "t.parquet").to_pandas()
    assert back["rank_pc"].tolist() == res.table["rank_pc"].tolist()


def test_binary_formats_need_a_file_and_stata_names(cli, tmp_path):
    for fmt in ("stata", "parquet"):
        res = cli("index", "--format", fmt)
        assert res.exit_code == 2 and res.stderr.startswith("error:") and "--output" in res.stderr
    import pandas as pd

    from paradiplomacy.io.stata import write_dta

    with pytest.raises(ValueError, match="not a Stata variable name"):
        write_dta(pd.DataFrame({"1bad": [1]}), tmp_path / "x.dta")
    assert not (tmp_path / "x.dta").exists()
