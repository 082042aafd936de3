"""Entry point of the ``paradiplomacy`` command: sub-commands and the error policy.

Bad input ends with a one-line message on stderr that names the file, row and column, and exit
code 2; nothing is written to the output file in that case. Anything else is a bug: one line
and exit code 1, the traceback with ``--debug`` (or PARADIPLOMACY_DEBUG=1). The sub-commands'
modules import their heavy libraries where they use them, so that starting is fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import typer

from paradiplomacy import __version__
from paradiplomacy.cli.boundary import (
    DEBUG,
    EXIT_BUG,
    EXIT_INPUT,
    bug_message,
    is_click,
    one_line,
    user_message,
)

app = typer.Typer(
    name="paradiplomacy",
    rich_markup_mode=None,  # plain help: Rich's Markdown renderer costs 0.15 s at every start
    help="Measure, explain and map the international activity of subnational regions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

def fail(message: str, code: int = EXIT_INPUT) -> None:
    """Print ``error: message`` (one line) to stderr and exit with ``code``."""
    sys.stderr.write(f"error: {one_line(message)}\n")
    raise typer.Exit(code)


def handles_input_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The error boundary of one command: a user's mistake is one line and exit code 2; a bug
    is one line and exit code 1 (its traceback with --debug)."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            if is_click(exc) or DEBUG["on"]:
                raise
            msg = user_message(exc)
            if msg is not None:
                fail(msg)
            fail(bug_message(exc), EXIT_BUG)

    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"paradiplomacy {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of an internal "
                               "error (a bug) instead of one line."),
) -> None:
    """Measure, explain and map the international activity of subnational regions."""
    if debug:
        DEBUG["on"] = True


def _register() -> None:
    from paradiplomacy.cli import audit_cmd, build_cmd, index_cmd, regions_cmd

    app.command("index")(handles_input_errors(index_cmd.index))
    app.command("audit")(handles_input_errors(audit_cmd.audit))
    app.command("regions")(handles_input_errors(regions_cmd.regions))
    index_cmd.datasets_app.registered_callback.callback = handles_input_errors(
        index_cmd.datasets)
    for cmd in index_cmd.datasets_app.registered_commands:
        cmd.callback = handles_input_errors(cmd.callback)
    app.add_typer(index_cmd.datasets_app, name="datasets")
    from paradiplomacy.cli import tables_cmd

    app.command("tables")(handles_input_errors(tables_cmd.tables))
    app.command("build")(handles_input_errors(build_cmd.build))
    from paradiplomacy.cli import import_cmd

    app.command("import")(handles_input_errors(import_cmd.import_))
    from paradiplomacy.cli import uncertainty_cmd

    for cmd in uncertainty_cmd.app.registered_commands:
        cmd.callback = handles_input_errors(cmd.callback)
    app.add_typer(uncertainty_cmd.app, name="uncertainty")
    from paradiplomacy.cli import activity_cmd, activity_stats_cmd  # noqa: F401 (registers)

    for cmd in activity_cmd.app.registered_commands:
        cmd.callback = handles_input_errors(cmd.callback)
    app.add_typer(activity_cmd.app, name="activity")
    from paradiplomacy.cli import coding_cmd

    for cmd in coding_cmd.app.registered_commands:
        cmd.callback = handles_input_errors(cmd.callback)
    app.add_typer(coding_cmd.app, name="coding")
    app.command("leagues")(handles_input_errors(coding_cmd.leagues))
    from paradiplomacy.cli import map_cmd

    app.command("map")(handles_input_errors(map_cmd.map_))
    from paradiplomacy.cli import report_cmd

    app.command("report")(handles_input_errors(report_cmd.report))
    from paradiplomacy.cli import serve_cmd

    app.command("serve")(handles_input_errors(serve_cmd.serve))


_register()


def main() -> None:
    """Run the command; a usage mistake (a missing option or argument, a bad value) is one
    ``error:`` line and exit code 2, like the project's own errors. (Click's exceptions are
    recognised by their names: Typer ships its own copy of Click in recent versions.)"""
    try:
        rc = app(standalone_mode=False)
    except Exception as exc:  # Click's usage errors, exits and aborts, whatever their module
        kind = {c.__name__ for c in type(exc).__mro__}
        if "NoArgsIsHelpError" in kind and getattr(exc, "ctx", None) is not None:
            sys.stdout.write(exc.ctx.get_help() + "\n")
            sys.exit(EXIT_INPUT)
        if "UsageError" in kind:
            ctx = getattr(exc, "ctx", None)
            hint = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
            sys.stderr.write(f"error: {exc.format_message()}{hint}\n")
            sys.exit(EXIT_INPUT)
        if "Exit" in kind:
            sys.exit(getattr(exc, "exit_code", 0))
        if "Abort" in kind:
            sys.stderr.write("error: aborted\n")
            sys.exit(EXIT_INPUT)
        if DEBUG["on"]:
            raise
        msg = user_message(exc)
        sys.stderr.write(f"error: {msg if msg is not None else bug_message(exc)}\n")
        sys.exit(EXIT_INPUT if msg is not None else EXIT_BUG)
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(130)
    if isinstance(rc, int) and rc:
        sys.exit(rc)


if __name__ == "__main__":  # pragma: no cover
    main()
