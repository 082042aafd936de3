"""The tutorial notebooks in examples/notebooks/ run top to bottom without an error, each in a
fresh kernel with the notebook's folder as the working directory (as Jupyter and the docs
build run them). Each notebook's wall time is printed; ``benchmarks/notebooks.py`` prints the
same times on their own."""

from __future__ import annotations

import importlib.util

import pytest

from conftest import REPO

NOTEBOOKS = REPO / "examples" / "notebooks"
EXPECTED = ["01-the-chapter.ipynb", "02-all-of-russia.ipynb", "03-from-coinr.ipynb"]
CELL_TIMEOUT = 300  # seconds per cell
BUDGET = 120  # seconds per notebook: each runs in well under a minute; this catches a blow-up
TIMES: dict[str, float] = {}


# The benchmark's runner, so that the test and benchmarks/notebooks.py time the same thing.
_spec = importlib.util.spec_from_file_location("notebooks_bench",
                                               REPO / "benchmarks" / "notebooks.py")
_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench)


def test_the_notebooks_are_there():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == EXPECTED
    readme = (NOTEBOOKS / "README.md").read_text(encoding="utf-8")
    for name in EXPECTED:
        assert name in readme, f"{name} is not listed in examples/notebooks/README.md"


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_is_committed_clean(name):
    """No outputs or execution counts in the repository (CI and the docs build run them), and
    the kernel every runner expects."""
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["kernelspec"]["language"] == "python"  # mkdocs-jupyter reads it
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, \
                f"{name}: cell {i} has outputs; clear them before committing"


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_runs(name, capsys):
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    seconds = _bench.run(NOTEBOOKS / name, timeout=CELL_TIMEOUT)
    TIMES[name] = seconds
    with capsys.disabled():
        print(f"\n{name}: {seconds:.1f} s")
    assert seconds < BUDGET, f"{name} took {seconds:.0f} s (budget {BUDGET} s)"
