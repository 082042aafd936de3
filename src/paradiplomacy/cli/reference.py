"""The command reference (docs/cli.md) written from the commands themselves: each command's
help, usage, arguments, options and example, so the page cannot drift from the code."""

from __future__ import annotations

from typing import Any


def _walk(cmd: Any, path: list[str]):
    yield path, cmd
    for name, sub in sorted((getattr(cmd, "commands", None) or {}).items()):
        yield from _walk(sub, [*path, name])


def commands() -> list[tuple[str, Any]]:
    """Every command and group below ``paradiplomacy``, by its name ("activity add"), with
    its Click object, sorted."""
    import typer

    from paradiplomacy.cli.main import app

    return [(" ".join(p), c) for p, c in _walk(typer.main.get_command(app), []) if p]


def _md(text: str) -> str:
    """Help text as Markdown text: brackets (FILE[:INDICATOR]) are not links."""
    return text.replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;")


def _params(cmd: Any) -> list[str]:
    rows = []
    for p in cmd.params:
        if p.name in ("help",) or getattr(p, "hidden", False):
            continue
        names = ", ".join(f"`{o}`" for o in [*p.opts, *getattr(p, "secondary_opts", [])])
        if p.param_type_name == "argument":
            names = f"`{p.name.upper()}`"
        text = (getattr(p, "help", None) or "").replace("|", "\\|").replace("\n", " ")
        default = getattr(p, "default", None)
        if default not in (None, False, "", [], ()) and p.param_type_name == "option":
            text += f" Default: `{default}`."
        rows.append(f"| {names} | {_md(text.strip())} |")
    return ["| argument or option | meaning |", "| --- | --- |", *rows] if rows else []


def markdown() -> str:
    """Every command as a section of Markdown (heading ``paradiplomacy …`` for the anchor that
    error messages point to)."""
    from paradiplomacy.cli.examples import EXAMPLES

    out: list[str] = []
    for name, cmd in commands():
        path = ["paradiplomacy", *name.split()]
        out.append(f"## {' '.join(path)}\n")
        help_text = (cmd.help or "").replace("\b\n", "").strip()
        out.append(_md(help_text) + "\n")
        ctx = cmd.make_context(" ".join(path), [], resilient_parsing=True)
        usage = cmd.get_usage(ctx).removeprefix("Usage: ").strip()
        out.append(f"```\n{usage}\n```\n")
        table = _params(cmd)
        if table:
            out.append("\n".join(table) + "\n")
        if name in EXAMPLES:
            out.append(f"Example:\n\n```bash\n{EXAMPLES[name]}\n```\n")
    return "\n".join(out)
