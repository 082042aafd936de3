"""The command line's error boundary: which exceptions are a user's mistake (one ``error:``
line, exit code 2) and which are bugs (exit code 1, the traceback only with ``--debug``).

Exceptions are recognised by their classes' names and modules, so that this module imports
nothing heavy: ``paradiplomacy --help`` must not pay for pandas or SQLAlchemy.
"""

from __future__ import annotations

import os

EXIT_INPUT = 2
EXIT_BUG = 1
DEBUG = {"on": os.environ.get("PARADIPLOMACY_DEBUG", "") not in ("", "0")}

_CLICK = {"Exit", "Abort", "UsageError", "ClickException", "NoArgsIsHelpError"}
_WORKBOOK = {"BadZipFile", "XLRDError", "InvalidFileException", "CompDocError"}
_DATABASE_MODULES = ("sqlalchemy", "psycopg", "sqlite3", "alembic")


def _names(exc: BaseException) -> set[str]:
    return {c.__name__ for c in type(exc).__mro__}


def is_click(exc: BaseException) -> bool:
    """Click's (or Typer's copy of Click's) own control-flow exceptions."""
    return bool(_names(exc) & _CLICK)


def one_line(text: str) -> str:
    """A message on one line: lines joined with '; ', runs of spaces collapsed."""
    parts = [" ".join(p.split()) for p in str(text).splitlines()]
    return "; ".join(p for p in parts if p) or "(no message)"


def _oserror(exc: OSError) -> str:
    import errno

    what = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
    reason = exc.strerror or str(exc)
    if exc.errno == errno.EADDRINUSE:
        return f"the address is already in use ({reason}); choose another --port"
    if isinstance(exc, IsADirectoryError):
        return f"{what}is a folder, not a file"
    if isinstance(exc, NotADirectoryError):
        return f"{what}a part of the path is a file, not a folder"
    if isinstance(exc, FileNotFoundError):
        return f"{what}no such file or folder"
    if isinstance(exc, PermissionError):
        return f"{what}permission denied"
    return f"cannot read or write {what}{reason}"


def user_message(exc: BaseException) -> str | None:
    """The one-line message for a user's mistake, or None when ``exc`` is a bug."""
    names = _names(exc)
    module = type(exc).__module__ or ""
    if "YAMLError" in names:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return one_line(f"YAML syntax error{where}: {problem}")
    if "TOMLDecodeError" in names:
        return one_line(f"TOML syntax error: {exc}")
    if "UnicodeDecodeError" in names:
        return "cannot read the file as text (not UTF-8, or not a text file)"
    if "ParseError" in names and module.startswith("xml"):
        return one_line(f"not well-formed XML: {exc}")
    if names & _WORKBOOK:
        return one_line(f"cannot read the workbook (damaged, or not an Excel file): {exc}")
    if module.startswith(_DATABASE_MODULES):
        orig = getattr(exc, "orig", None)
        text = str(orig) if orig is not None else str(exc)
        return one_line(f"database: {text.splitlines()[0] if text else type(exc).__name__}")
    if isinstance(exc, OSError):
        return _oserror(exc)
    if isinstance(exc, KeyError):
        return one_line(str(exc.args[0]) if exc.args else "unknown key")
    if isinstance(exc, LookupError):  # e.g. an unknown region
        return one_line(str(exc))
    if isinstance(exc, ValueError | OverflowError):
        return one_line(str(exc))
    return None


def bug_message(exc: BaseException) -> str:
    """The one line shown for a bug (the traceback with ``--debug``)."""
    return one_line(f"internal error (a bug; please report it): {type(exc).__name__}: {exc} "
                    "— run with --debug to see the traceback")
