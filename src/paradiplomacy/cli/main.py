"""Entry point of the ``paradiplomacy`` command: sub-commands and the error policy.

Bad input ends with a one-line message on stderr that names the file, row and column, and exit
code 2; nothing is written to the output file in that case. Anything else is a bug: one line
and exit code 1, the traceback with ``--debug`` (or PARADIPLOMACY_DEBUG=1). The sub-commands'
modules import their heavy libraries where they use them, so that starting is fast.
"""

from __future__ import annotations

import re
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

CURRENT = {"command": ""}  # the command running (for the pointer to its documentation)


def fail(message: str, code: int = EXIT_INPUT) -> None:
    """Print ``error: message`` (one line) to stderr and exit with ``code``; a user's error
    that names an option says where the option is explained."""
    if code == EXIT_INPUT:
        message = _pointed(message, CURRENT["command"])
    sys.stderr.write(f"error: {one_line(message)}\n")
    raise typer.Exit(code)


OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]+|-[a-zA-Z]\b)")


def _pointed(message: str, command: str) -> str:
    """An error that names an option ends by saying where the option is explained."""
    from paradiplomacy.cli.examples import docs_pointer

    if OPTION.search(message) and "docs/" not in message:
        return f"{message.rstrip()} ({docs_pointer(command)})"
    return message


def handles_input_errors(fn: Callable[..., Any], command: str = "") -> Callable[..., Any]:
    """The error boundary of one command: a user's mistake is one line and exit code 2; a bug
    is one line and exit code 1 (its traceback with --debug)."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        CURRENT["command"] = command
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, BrokenPipeError):
            raise
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


def _command(name: str, fn: Callable[..., Any]) -> None:
    from paradiplomacy.cli.examples import epilog

    app.command(name, epilog=epilog(name))(handles_input_errors(fn, name))


def _group(name: str, sub: typer.Typer) -> None:
    """A group of commands, each with its error boundary and example."""
    from paradiplomacy.cli.examples import epilog

    if sub.registered_callback is not None and sub.registered_callback.callback is not None:
        cb = sub.registered_callback
        cb.callback = handles_input_errors(cb.callback, name)
        cb.epilog = epilog(name)
    for cmd in sub.registered_commands:
        full = f"{name} {cmd.name or cmd.callback.__name__.strip('_').replace('_', '-')}"
        cmd.callback = handles_input_errors(cmd.callback, full)
        cmd.epilog = epilog(full)
    app.add_typer(sub, name=name, epilog=epilog(name))


def _register() -> None:
    from paradiplomacy.cli import (
        activity_cmd,
        activity_stats_cmd,  # noqa: F401 (registers its commands on activity_cmd.app)
        audit_cmd,
        build_cmd,
        coding_cmd,
        import_cmd,
        index_cmd,
        map_cmd,
        regions_cmd,
        report_cmd,
        serve_cmd,
        tables_cmd,
        uncertainty_cmd,
    )

    for name, fn in (("index", index_cmd.index), ("audit", audit_cmd.audit),
                     ("regions", regions_cmd.regions), ("tables", tables_cmd.tables),
                     ("build", build_cmd.build), ("import", import_cmd.import_),
                     ("leagues", coding_cmd.leagues), ("map", map_cmd.map_),
                     ("report", report_cmd.report), ("serve", serve_cmd.serve)):
        _command(name, fn)
    for name, sub in (("datasets", index_cmd.datasets_app), ("uncertainty", uncertainty_cmd.app),
                      ("activity", activity_cmd.app), ("coding", coding_cmd.app)):
        _group(name, sub)


_register()


def main() -> None:
    """Run the command; a usage mistake (a missing option or argument, a bad value) is one
    ``error:`` line and exit code 2, like the project's own errors. (Click's exceptions are
    recognised by their names: Typer ships its own copy of Click in recent versions.)"""
    import os

    os.environ.setdefault("MPLBACKEND", "Agg")  # files, never windows (the library leaves
    # the backend alone, so that notebooks keep their inline figures)
    try:
        rc = app(standalone_mode=False)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except BrokenPipeError:  # `paradiplomacy … | head`: the reader has gone; stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)  # 128 + SIGPIPE, as a shell reports it
    except Exception as exc:  # Click's usage errors, exits and aborts, whatever their module
        kind = {c.__name__ for c in type(exc).__mro__}
        if "NoArgsIsHelpError" in kind and getattr(exc, "ctx", None) is not None:
            sys.stdout.write(exc.ctx.get_help() + "\n")
            sys.exit(EXIT_INPUT)
        if "UsageError" in kind:
            ctx = getattr(exc, "ctx", None)
            from paradiplomacy.cli.examples import docs_pointer

            path = ctx.command_path.split(" ", 1)[1] if ctx is not None and " " in \
                ctx.command_path else ""
            hint = (f" (see: {ctx.command_path} --help; {docs_pointer(path)})"
                    if ctx is not None else "")
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
