"""Cells of the spreadsheets offices and employers download, made safe to open (ASVS V5.2.10).

Excel, WPS and LibreOffice run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula: an employer named ``=HYPERLINK(...)`` would become a
live link in the office's claims sheet. Such text gets a leading apostrophe and stays text.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with text that a spreadsheet would run as a formula turned into plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row of values, each made safe with ``safe_cell``."""
    return [safe_cell(v) for v in values]
