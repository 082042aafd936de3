"""The documentation: the site builds strictly (a broken link, a missing page or an API page
that cannot be collected fails), every public object has a docstring, and every command's
--help teaches (an example line, help on every option)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO
from paradiplomacy.cli.examples import EXAMPLES
from paradiplomacy.cli.reference import commands

SRC = REPO / "src" / "paradiplomacy"


@pytest.mark.skipif(shutil.which("mkdocs") is None and not os.environ.get("CI"),
                    reason="mkdocs not installed (pip install '.[test]')")
def test_the_site_builds_strictly(tmp_path):
    """`mkdocs build --strict`: the notebooks are executed and rendered with their outputs, the
    API reference is collected from the docstrings, the command reference from the CLI."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                           str(tmp_path / "site")], cwd=REPO, capture_output=True, text=True,
                          env=env, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-4000:]
    site = tmp_path / "site"
    cli_page = (site / "cli" / "index.html").read_text(encoding="utf-8")
    assert 'id="paradiplomacy-index"' in cli_page and "--max-cells" in cli_page
    api = (site / "api" / "index-engine" / "index.html").read_text(encoding="utf-8")
    assert "IndexBuild" in api and "regenerate" in api
    for nb in ("01-the-chapter", "02-all-of-russia", "03-from-coinr"):
        page = (site / "notebooks" / nb / "index.html").read_text(encoding="utf-8")
        assert "jp-OutputArea-output" in page, f"{nb} rendered without outputs"
    method = (site / "index-method" / "index.html").read_text(encoding="utf-8")
    assert 'class="arithmatex"' in method  # formulas rendered by MathJax


def _public_without_docstring() -> list[str]:
    missing = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name = str(path.relative_to(SRC))
        if not ast.get_docstring(tree):
            missing.append(f"{name}: module")

        def visit(body, prefix, name=name):
            for node in body:
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    if node.name.startswith("_"):
                        continue
                    if not ast.get_docstring(node):
                        missing.append(f"{name}:{node.lineno} {prefix}{node.name}")
                    if isinstance(node, ast.ClassDef):
                        visit(node.body, f"{node.name}.")

        visit(tree.body, "")
    return missing


def test_every_public_object_has_a_docstring():
    assert _public_without_docstring() == []


@pytest.mark.parametrize(("name", "cmd"), commands(), ids=[n for n, _ in commands()])
def test_every_command_help_teaches(cli, name, cmd):
    res = cli(*name.split(), "--help")
    assert res.exit_code == 0
    assert "Example:" in res.stdout and f"paradiplomacy {name.split()[0]}" in res.stdout
    assert name in EXAMPLES
    for p in cmd.params:
        if p.param_type_name == "option" and p.name != "help":
            assert (p.help or "").strip(), f"{name} {p.opts[0]} has no help"


def test_an_error_naming_an_option_points_to_its_documentation(cli):
    res = cli("index", "--decimals", "11")
    assert res.exit_code == 2
    assert res.stderr.rstrip().endswith("(see docs/cli.md#paradiplomacy-index)")
    assert res.stderr.count("\n") == 1
    res = cli("uncertainty", "run", str(REPO / "examples" / "asem" / "example.yaml"), "-n", "0")
    assert res.exit_code == 2 and "docs/cli.md#paradiplomacy-uncertainty-run" in res.stderr
