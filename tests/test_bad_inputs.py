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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from battery_cases_a import (
    AUDIT,
    BUILD,
    DATASETS,
    IMPORT,
    INDEX,
    REGIONS,
    REPLAY,
    TABLES,
    UNCERTAINTY,
)
from battery_cases_b import ACTIVITY, CODING_CASES, LEAGUES, MAP, REPORT, SERVE, TOP
from battery_inputs import (
    DIR,
    LIMIT,
    PANEL,
    SUBPROCESS,
    Case,
    Content,
)

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
