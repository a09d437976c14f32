"""Text that a spreadsheet would run as a formula stays text in every export."""

import pytest

from app.services.cells import safe_cell, safe_row


@pytest.mark.parametrize("text", ["=1+1", "+86 023", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd"])
def test_formula_starts_become_text(text):
    assert safe_cell(text) == "'" + text


def test_other_values_are_untouched():
    assert safe_row(["张三", 0, -5, 3.5, None, "a=b"]) == ["张三", 0, -5, 3.5, None, "a=b"]
