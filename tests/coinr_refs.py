"""COINr 1.1.14's reference outputs (tests/fixtures/coinr-cases/, made by
scripts/coinr_cases.R) and the builds the tests compare with them: shared by
test_coinr_cases.py and test_coinr_panels.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from paradiplomacy.index import IndexBuild
from paradiplomacy.index.framework import Framework
from paradiplomacy.index.spec import _resolve

CASES = Path(__file__).parent / "fixtures" / "coinr-cases"
RTOL = 1e-12


def ref(name: str, index: str | list[str] | None = "uCode") -> pd.DataFrame:
    df = pd.read_csv(CASES / name, na_values=["NA"], keep_default_na=False)
    return df.set_index(index) if index else df


def numeric(df: pd.DataFrame) -> pd.DataFrame:
    return df.select_dtypes("number").astype(float)


def assert_frames(got: pd.DataFrame, want: pd.DataFrame, rtol: float = RTOL,
                  atol: float = 0.0) -> None:
    got = got.reindex(index=want.index, columns=want.columns)
    np.testing.assert_allclose(got.to_numpy(float), want.to_numpy(float), rtol=rtol,
                               atol=atol, equal_nan=True)


def asem_data() -> tuple[Framework, pd.DataFrame]:
    """COINr's ASEM framework and unit data, as the package embeds them."""
    imeta = pd.read_csv(_resolve("package:asem/iMeta.csv", Path(".")))
    idata = pd.read_csv(_resolve("package:asem/iData.csv", Path("."))).set_index("uCode")
    return Framework.from_imeta(imeta), idata


def example_build(asem: tuple[Framework, pd.DataFrame]) -> IndexBuild:
    """COINr's example build up to normalisation (build_example_coin's steps)."""
    fw, idata = asem
    b = IndexBuild(fw, idata)
    b.denominate("Raw").impute("Denominated", "group_mean", group="EurAsia_group")
    b.screen("Imputed", 0.9).treat("Screened", winmax=5)
    b.normalise("Treated", "minmax", params={"lower": 0, "upper": 100})
    return b

