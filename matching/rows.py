"""Read JSON or CSV rows for the policy CLIs and parse typed fields with row-and-field errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_TRUE = {"true", "1", "yes", "y", "是"}
_FALSE = {"false", "0", "no", "n", "否"}


class RowError(ValueError):
    """A malformed input row: names the row (1-based), the field and the reason in zh and en."""

    def __init__(self, row: int, field: str, en: str, zh: str) -> None:
        super().__init__(f"row {row}, field {field}: {en}")
        self.row = row
        self.field = field
        self.en = en
        self.zh = zh

    def as_dict(self) -> dict[str, Any]:
        """Return the error as JSON-ready data."""
        return {
            "row": self.row,
            "field": self.field,
            "message": {"zh": f"第 {self.row} 行，字段 {self.field}：{self.zh}", "en": str(self)},
        }


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSON array of objects, or a CSV file with a header row."""
    text = Path(path).read_text(encoding="utf-8-sig")
    if str(path).lower().endswith(".csv") or not text.lstrip().startswith("["):
        return [dict(row) for row in csv.DictReader(io.StringIO(text))]
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON array of objects")
    return [item if isinstance(item, dict) else {"__not_an_object__": item} for item in data]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in {"", "null", "None"})


def text(row: Mapping[str, Any], key: str, index: int, *, required: bool = True) -> str | None:
    """Return a non-empty string field."""
    value = row.get(key)
    if _blank(value):
        if required:
            raise RowError(index, key, "is required", "必填")
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise RowError(index, key, f"must be text, got {value!r}", f"应为文本，实际为 {value!r}")
    return str(value).strip()


def date(row: Mapping[str, Any], key: str, index: int, *, required: bool = True) -> dt.date | None:
    """Return an ISO date field (YYYY-MM-DD)."""
    value = row.get(key)
    if _blank(value):
        if required:
            raise RowError(index, key, "is required (YYYY-MM-DD)", "必填（YYYY-MM-DD）")
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise RowError(
            index, key, f"{value!r} is not a date (YYYY-MM-DD)", f"{value!r} 不是日期（YYYY-MM-DD）"
        ) from None


def required_date(row: Mapping[str, Any], key: str, index: int) -> dt.date:
    """Return a required ISO date field."""
    value = date(row, key, index)
    if value is None:
        raise RowError(index, key, "is required (YYYY-MM-DD)", "必填（YYYY-MM-DD）")
    return value


def boolean(row: Mapping[str, Any], key: str, index: int, *, default: bool | None = None) -> bool:
    """Return a boolean field (true/false, 1/0, yes/no, 是/否)."""
    value = row.get(key)
    if isinstance(value, bool):
        return value
    if _blank(value) and default is not None:
        return default
    token = str(value).strip().lower() if value is not None else ""
    if token in _TRUE:
        return True
    if token in _FALSE:
        return False
    raise RowError(
        index, key, f"must be true or false, got {value!r}", f"应为 true 或 false，实际为 {value!r}"
    )


def integer(row: Mapping[str, Any], key: str, index: int, *, default: int | None = None) -> int:
    """Return a whole-number field."""
    value = row.get(key)
    if _blank(value) and default is not None:
        return default
    if isinstance(value, bool | float):
        raise RowError(
            index, key, f"must be a whole number, got {value!r}", f"应为整数，实际为 {value!r}"
        )
    try:
        return int(str(value).strip())
    except ValueError:
        raise RowError(
            index, key, f"must be a whole number, got {value!r}", f"应为整数，实际为 {value!r}"
        ) from None


def choice(row: Mapping[str, Any], key: str, index: int, allowed: tuple[str, ...]) -> str:
    """Return a field that must be one of the allowed codes."""
    value = text(row, key, index)
    if value not in allowed:
        raise RowError(
            index,
            key,
            f"{value!r} is not one of {', '.join(allowed)}",
            f"{value!r} 不在允许值 {', '.join(allowed)} 中",
        )
    return value
