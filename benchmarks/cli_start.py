"""Benchmark: how long the command line takes to answer, as a user waits for it.

Runs each command in a fresh process (the installed ``paradiplomacy`` script, output to
/dev/null) a number of times after one warm-up run (so the file-system cache is warm, as it is
for anyone who runs a command twice) and prints each command's median, minimum and maximum
wall-clock time against its target:

    paradiplomacy --help: median_s=<x> min_s=<y> max_s=<z> target_s=0.3 ok|SLOW
    paradiplomacy index: median_s=<x> min_s=<y> max_s=<z> target_s=1.0 ok|SLOW

    python benchmarks/cli_start.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

COMMANDS = [(["--help"], 0.3), (["index"], 1.0)]


def _exe() -> list[str]:
    """The installed console script if there is one, else the module (same code path)."""
    found = shutil.which("paradiplomacy")
    return [found] if found else [sys.executable, "-m", "paradiplomacy.cli.main"]


def timed(argv: list[str]) -> float:
    """Wall-clock seconds of one run (it must succeed)."""
    t = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "COLUMNS": "80"})
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15, help="timed runs per command")
    args = ap.parse_args()
    exe = _exe()
    print(f"# {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {' '.join(exe)}")
    for extra, target in COMMANDS:
        timed(exe + extra)  # warm-up
        times = [timed(exe + extra) for _ in range(args.repeat)]
        med = statistics.median(times)
        print(f"paradiplomacy {' '.join(extra)}: median_s={med:.3f} min_s={min(times):.3f} "
              f"max_s={max(times):.3f} target_s={target} {'ok' if med < target else 'SLOW'}")


if __name__ == "__main__":
    main()
