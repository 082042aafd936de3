"""Reading and writing files: tolerant readers with precise errors, atomic writers."""

from paradiplomacy.io.errors import InputError
from paradiplomacy.io.tabular import RawTable, parse_number, read_table

__all__ = ["InputError", "RawTable", "parse_number", "read_table"]
