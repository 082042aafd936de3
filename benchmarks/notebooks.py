"""Benchmark: how long each tutorial notebook in examples/notebooks/ takes to run top to
bottom (a fresh kernel each, the notebook's folder as working directory, kernel start-up
included), as the tests and the docs build run them:

    notebook=01-the-chapter.ipynb seconds=<t>
    notebook=02-all-of-russia.ipynb seconds=<t>
    notebook=03-from-coinr.ipynb seconds=<t>

    python benchmarks/notebooks.py [--repeat N] [NAME ...]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "examples" / "notebooks"


def run(path: Path, timeout: int = 300) -> float:
    """Wall-clock seconds to execute one notebook in memory (the file is not changed); an
    error in any cell raises ``nbclient.exceptions.CellExecutionError`` (the tests use this
    runner too)."""
    import nbclient
    import nbformat

    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="notebooks to run (default: all)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per notebook (median shown)")
    args = ap.parse_args()
    paths = [NOTEBOOKS / n for n in args.names] or sorted(NOTEBOOKS.glob("*.ipynb"))
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        sys.exit(f"no such notebook: {', '.join(missing)}")
    print(f"# {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs")
    for path in paths:
        times = [run(path) for _ in range(args.repeat)]
        print(f"notebook={path.name} seconds={statistics.median(times):.1f}", flush=True)


if __name__ == "__main__":
    main()
