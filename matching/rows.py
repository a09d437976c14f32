"""Read the offices' JSON or CSV files for the policy CLIs, with one-line errors an operator reads.

A CSV may be UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or GB18030, separated
by commas, semicolons or tabs, with English or Chinese column headers. Errors name the file, the
line as a spreadsheet counts it (the header is line 1) or the JSON item, and the column, in
Chinese or English.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from matching.conditions import TYPE_ZH

_TRUE = {"true", "1", "yes", "y", "是"}
_FALSE = {"false", "0", "no", "n", "否"}
_DELIMITERS = (",", ";", "\t")
EXIT_INPUT = 2


def language(option: str | None = None) -> str:
    """The operator's language: the --lang option, else English when LANG says so, else Chinese."""
    if option:
        return "en" if option.lower().startswith("en") else "zh"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


# argparse's own messages (Python 3.11) and their Chinese.
_USAGE_ZH = (
    (r"the following arguments are required: (.+)", "缺少必填参数：{0}"),
    (
        r"argument (\S+): invalid choice: (.+) \(choose from (.+)\)",
        "参数 {0}：{1} 不是可选值（可选：{2}）",
    ),
    (r"unrecognized arguments: (.+)", "无法识别的参数：{0}"),
    (r"argument (\S+): expected one argument", "参数 {0} 需要一个值"),
    (r"argument (\S+): invalid (\S+) value: (.+)", "参数 {0}：{2} 不是{1}"),
    (r"ambiguous option: (\S+) could match (.+)", "选项 {0} 有歧义，可能是：{1}"),
)


def usage_in_chinese(message: str) -> str:
    """An argparse usage error in Chinese (unknown wordings are kept as they are)."""
    for pattern, chinese in _USAGE_ZH:
        match = re.fullmatch(pattern, message)
        if match:
            return chinese.format(*(TYPE_ZH.get(group, group) for group in match.groups()))
    return message


def lang_option(argv: Sequence[str]) -> str | None:
    """The value of ``--lang X`` or ``--lang=X`` in a command line not yet parsed (None if absent)."""
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.removeprefix("--lang=")
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
    return None


class ToolParser(argparse.ArgumentParser):
    """Argument parser of the file tools: a usage error is one line in the operator's language, exit 2."""

    argv: Sequence[str] = ()

    def parse_args(self, args=None, namespace=None):
        """Parse, remembering the arguments so that an error can honour ``--lang``."""
        ToolParser.argv = list(sys.argv[1:] if args is None else args)
        return super().parse_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        """Print ``prog: reason`` in the operator's language and exit with status 2."""
        chosen = lang_option(ToolParser.argv)
        text = message if language(chosen) == "en" else usage_in_chinese(message)
        colon = ": " if language(chosen) == "en" else "："
        self.exit(EXIT_INPUT, f"{self.prog}{colon}{text}\n")


def run(main: Callable[[], int]) -> None:
    """Exit with ``main()``'s status; output cut short by a closed pipe (``| head``) ends quietly."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's recipe: point stdout at devnull so the flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 1
    sys.exit(status)


class InputError(Exception):
    """A problem that stops a tool: the file or option, where in it, and the reason in zh and en."""

    def __init__(
        self,
        source: str,
        en: str,
        zh: str,
        *,
        line: int | None = None,
        column: str | None = None,
        unit: str = "line",
    ) -> None:
        super().__init__(f"{source}: {en}")
        self.source = source
        self.en = en
        self.zh = zh
        self.line = line
        self.column = column
        self.unit = unit

    def message(self, lang: str) -> str:
        """The error as one line in the operator's language."""
        return place(self.source, self.line, self.column, self.unit, lang) + (
            self.en if lang == "en" else self.zh
        )


def place(source: str, line: int | None, column: str | None, unit: str, lang: str) -> str:
    """'file: line 3, column x: ' in English, 'file：第 3 行，「x」列：' in Chinese."""
    if lang == "en":
        parts = [f"{'item' if unit == 'item' else 'line'} {line}"] if line else []
        parts += [f"column {column}"] if column else []
        return f"{source}: " + (", ".join(parts) + ": " if parts else "")
    parts = [f"第 {line} {'项' if unit == 'item' else '行'}"] if line else []
    parts += [f"「{column}」列"] if column else []
    return f"{source}：" + ("，".join(parts) + "：" if parts else "")


class RowError(ValueError):
    """A malformed input row: its line (or JSON item), the field and the reason in zh and en."""

    def __init__(self, row: int, field: str, en: str, zh: str) -> None:
        super().__init__(f"line {row}, column {field}: {en}")
        self.row = row
        self.field = field
        self.en = en
        self.zh = zh

    def message(self, table: Table, lang: str) -> str:
        """The error as one line naming the file, the line (or item) and the column as headed."""
        where = place(table.path, self.row, table.header(self.field), table.unit, lang)
        return where + (self.en if lang == "en" else self.zh)

    def as_dict(self, table: Table) -> dict[str, Any]:
        """Return the error as JSON-ready data, naming the column as the file's header does."""
        return {
            "row": self.row,
            "field": self.field,
            "message": {"zh": self.message(table, "zh"), "en": self.message(table, "en")},
        }


@dataclass(frozen=True)
class Column:
    """An input column: its field name, its Chinese header and whether every file must have it."""

    name: str
    zh: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass
class Table:
    """The rows of an input file keyed by field name, each with its line (CSV) or item (JSON)."""

    path: str
    unit: str
    rows: list[tuple[int, dict[str, Any]]]
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        """The column as the file names it (its Chinese or English header)."""
        return self.headers.get(name, name)

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        return iter(self.rows)


def write_template(path: str | Path, columns: Sequence[Column], lang: str) -> str:
    """Write an empty spreadsheet (UTF-8 CSV with BOM, so Excel opens it) with the headers.

    Returns the line that says where it went.
    """
    headers = [c.name if lang == "en" else c.zh for c in columns]
    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerow(headers)
    except OSError as exc:
        raise InputError(
            str(path), f"cannot write: {exc.strerror}", f"无法写入：{exc.strerror}"
        ) from None
    return f"template written: {path}" if lang == "en" else f"已生成模板：{path}"


def require_options(args: Any, *options: str) -> None:
    """Refuse a run without one of its options (they are optional only beside --template)."""
    for option in options:
        if getattr(args, option) is None:
            raise InputError(f"--{option}", "is required", "必须提供此选项")


def read_bytes(path: str | Path) -> bytes:
    """Read a file, or raise InputError saying it is missing or unreadable."""
    source = str(path)
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(source, "file not found", "文件不存在") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory, not a file", "是文件夹，不是文件") from None
    except OSError as exc:
        raise InputError(
            source, f"cannot read: {exc.strerror}", f"无法读取：{exc.strerror}"
        ) from None


def decode(data: bytes, source: str) -> str:
    """Decode UTF-8 (BOM or not), UTF-16 with a BOM, or GB18030 (Excel's Chinese CSV)."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise InputError(
            source,
            "an Excel workbook, not text: save it as CSV UTF-8 (or use --template)",
            "这是 Excel 工作簿而不是文本：请另存为“CSV UTF-8”（或用 --template 生成模板）",
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(source, "broken UTF-16 text", "UTF-16 编码已损坏") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(
            source,
            "not text in UTF-8, UTF-16 or GB18030: save it as CSV UTF-8",
            "不是 UTF-8、UTF-16 或 GB18030 文本：请另存为 CSV UTF-8",
        ) from None


def read_table(path: str | Path, columns: Sequence[Column]) -> Table:
    """Read a JSON array of objects or a CSV file with a header line into field-named rows."""
    source = str(path)
    text = decode(read_bytes(path), source)
    suffix = Path(source).suffix.lower()
    if suffix == ".json" or (suffix not in {".csv", ".tsv", ".txt"} and _looks_json(text)):
        return _json_table(source, text, columns)
    return _csv_table(source, text, columns)


def _looks_json(text: str) -> bool:
    return text.lstrip()[:1] in {"[", "{"}


def _lookup(columns: Sequence[Column]) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in columns:
        for key in (c.name, c.zh, *c.aliases):
            out[key.strip().lower()] = c.name
    return out


def _expected(columns: Sequence[Column]) -> tuple[str, str]:
    return (
        ", ".join(c.name for c in columns),
        "、".join(c.zh for c in columns),
    )


def _unknown_column(source: str, name: str, columns: Sequence[Column], **where: Any) -> InputError:
    en, zh = _expected(columns)
    return InputError(
        source,
        f"unknown column; the columns are {en} (python -m … --template writes them)",
        f"列名无法识别；应为 {zh}（可用 --template 生成模板）",
        column=name,
        **where,
    )


def read_json_items(path: str | Path) -> list[tuple[int, dict[str, Any]]]:
    """Read a JSON array of objects as (item number, object); a non-object item is marked."""
    source = str(path)
    return _json_items(source, decode(read_bytes(path), source))


def _json_items(source: str, text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            source,
            f"invalid JSON: {exc.msg} (character {exc.colno})",
            f"JSON 格式错误：{exc.msg}（第 {exc.colno} 个字符）",
            line=exc.lineno,
        ) from None
    if not isinstance(data, list):
        kind = type(data).__name__
        raise InputError(
            source,
            f"expected a JSON array [ … ] of objects, got {'an object' if kind == 'dict' else kind}",
            f"应为 JSON 数组 [ … ]（每项一个对象），实际为{'对象' if kind == 'dict' else kind}",
        )
    return [
        (item, raw if isinstance(raw, dict) else {"__not_an_object__": raw})
        for item, raw in enumerate(data, start=1)
    ]


def _json_table(source: str, text: str, columns: Sequence[Column]) -> Table:
    lookup = _lookup(columns)
    out: list[tuple[int, dict[str, Any]]] = []
    for item, raw in _json_items(source, text):
        if "__not_an_object__" in raw:
            out.append((item, raw))
            continue
        row: dict[str, Any] = {}
        for key, value in raw.items():
            name = lookup.get(str(key).strip().lower())
            if name is None:
                raise _unknown_column(source, str(key), columns, line=item, unit="item")
            row[name] = value
        out.append((item, row))
    return Table(source, "item", out)


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_table(source: str, text: str, columns: Sequence[Column]) -> Table:
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    if not first:
        raise InputError(source, "the file is empty: no header line", "文件为空：没有表头行")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    try:
        return _read_csv(source, reader, columns)
    except csv.Error as exc:
        raise InputError(
            source, f"not a readable CSV: {exc}", f"无法按 CSV 读取：{exc}", line=reader.line_num
        ) from None


def _read_csv(source: str, reader: Any, columns: Sequence[Column]) -> Table:
    header = next((cells for cells in reader if any(c.strip() for c in cells)), None)
    if header is None:
        raise InputError(source, "the file is empty: no header line", "文件为空：没有表头行")
    header_line = reader.line_num
    lookup = _lookup(columns)
    names: list[str] = []
    headers: dict[str, str] = {}
    for cell in header:
        label = cell.strip().lstrip("\ufeff")
        name = lookup.get(label.lower())
        if name is None:
            raise _unknown_column(source, label or "（空）", columns, line=header_line)
        if name in headers:
            raise InputError(
                source, "the column appears twice", "该列重复出现", line=header_line, column=label
            )
        names.append(name)
        headers[name] = label
    for c in columns:
        if c.required and c.name not in headers:
            raise InputError(
                source,
                f"required column missing (header {c.name} or {c.zh})",
                f"缺少必需的列（表头 {c.zh} 或 {c.name}）",
                line=header_line,
                column=c.zh,
            )
    out: list[tuple[int, dict[str, Any]]] = []
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
            out.append((start, {"__extra_cells__": len(cells), "__columns__": len(names)}))
            continue
        out.append((start, dict(zip(names, cells, strict=False))))
    return Table(source, "line", out, headers)


def check_shape(row: Mapping[str, Any], index: int) -> None:
    """Refuse a JSON item that is not an object, or a CSV line with more cells than headers."""
    if "__not_an_object__" in row:
        raise RowError(index, "*", "must be a JSON object", "应为 JSON 对象")
    if "__extra_cells__" in row:
        cells, columns = row["__extra_cells__"], row["__columns__"]
        raise RowError(
            index,
            "*",
            f"has {cells} cells but the header has {columns} columns",
            f"有 {cells} 个单元格，但表头只有 {columns} 列",
        )


def parse_date_option(value: str, option: str) -> dt.date:
    """Parse a YYYY-MM-DD command-line date, or raise InputError naming the option."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            option,
            f"{value!r} is not a date: write YYYY-MM-DD, e.g. 2023-11-01",
            f"{value!r} 不是日期：应写作 YYYY-MM-DD，如 2023-11-01",
        ) from None


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
    if _blank(value):
        if default is not None:
            return default
        raise RowError(index, key, "is required (a whole number)", "必填（整数）")
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


def choice(
    row: Mapping[str, Any],
    key: str,
    index: int,
    allowed: tuple[str, ...],
    labels: Mapping[str, str] | None = None,
) -> str:
    """Return a field that must be one of the allowed codes (or a code's Chinese label)."""
    value = text(row, key, index)
    by_label = {label: code for code, label in (labels or {}).items()}
    value = by_label.get(str(value), value)
    if value not in allowed:
        shown = "、".join(f"{c}（{labels[c]}）" for c in allowed) if labels else "、".join(allowed)
        raise RowError(
            index,
            key,
            f"{value!r} is not one of {', '.join(allowed)}",
            f"{value!r} 不在允许值 {shown} 中",
        )
    return value
