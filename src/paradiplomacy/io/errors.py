"""The one error type for bad input: it names the file, row and column."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input data. ``row`` is the row as a spreadsheet shows it (header = 1)."""

    def __init__(
        self,
        file: str | None,
        message: str,
        row: int | None = None,
        column: str | None = None,
    ):
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [str(self.file)] if self.file else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message
