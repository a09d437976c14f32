"""Load and validate a rulebook: one TOML file per jurisdiction and version, policy as data."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matching.conditions import Condition, ConditionError, parse_condition

RULE_KINDS: frozenset[str] = frozenset(
    {
        "eligibility",
        "traineeship_subsidy",
        "hiring_subsidy",
        "refund",
        "loan",
        "allowance",
        "quota",
        "obligation",
        "service_package",
        "posting_prohibition",
        "startup_subsidy",
        "extension",
        "contribution_rate",
        "target",
        "award",
        "definition",
    }
)
PROGRAMS: frozenset[str] = frozenset({"enterprise", "public"})
DOCUMENTS: frozenset[str] = frozenset({"000", "001", "002", "003", "004"})
_SOURCE = re.compile(r"^(\d{3})( annex)? § \S+$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_RULEBOOK_KEYS = {
    "id",
    "jurisdiction",
    "name_zh",
    "name_en",
    "documents",
    "valid_from",
    "valid_until",
    "note",
}
_RULE_KEYS = {
    "id",
    "kind",
    "name_zh",
    "name_en",
    "source",
    "valid_from",
    "valid_until",
    "programs",
    "amounts",
    "params",
    "when",
    "note",
}


# tomllib's messages (Python 3.11) and their Chinese; the more specific wording first.
_TOML_ZH = tuple(
    (re.compile(pattern), chinese)
    for pattern, chinese in (
        (r"Illegal character '\\n'", "字符串未闭合（行尾缺少引号）"),
        (r"Illegal character (.+)", "非法字符 {0}"),
        (r"Unterminated string", "字符串未闭合（缺少引号）"),
        (r"Expected '=' after a key in a key/value pair", "键后缺少 ="),
        (r"Expected '\]' at the end of a table declaration", "表头缺少结尾的 ]"),
        (r"Expected '\]\]' at the end of an array declaration", "表数组头缺少结尾的 ]]"),
        (
            r"Expected newline or end of document after a statement",
            "语句后应换行（一行只写一个键值）",
        ),
        (r"Expected (.+)", "此处应为 {0}"),
        (r"Found invalid character (.+)", "非法字符 {0}"),
        (r"Invalid statement", "无法识别的语句"),
        (r"Invalid value", "无效的值（文字须加引号，日期写作 YYYY-MM-DD）"),
        (r"Invalid date or datetime", "无效的日期或时间"),
        (r"Invalid initial character for a key part", "键名的首字符无效"),
        (r"Invalid hex value", "无效的十六进制值"),
        (r"Escaped character is not a Unicode scalar value", "转义字符不是有效的 Unicode 字符"),
        (r"Unescaped '\\' in a string", "字符串中有未转义的 \\"),
        (r"Unclosed array", "数组未闭合（缺少 ]）"),
        (r"Unclosed inline table", "内联表未闭合（缺少 }}）"),
        (r"Cannot overwrite a value", "同一个键赋值两次"),
        (r"Cannot declare (.+) twice", "{0} 重复声明"),
        (r"Cannot mutate immutable namespace (.+)", "不能修改已定义的 {0}"),
        (r"Cannot redefine namespace (.+)", "不能重新定义 {0}"),
        (r"Duplicate inline table key (.+)", "内联表中的键 {0} 重复"),
    )
)
_TOML_AT = re.compile(r"(.*) \((?:at line \d+, column (\d+)|at end of document)\)")


def toml_syntax_zh(error: str) -> str:
    """A tomllib error in Chinese: the reason and the column (the line is given apart)."""
    at = _TOML_AT.fullmatch(error)
    head = at.group(1) if at else error
    where = (f"，第 {at.group(2)} 列" if at.group(2) else "，在文件末尾") if at else ""
    for pattern, chinese in _TOML_ZH:
        found = pattern.fullmatch(head)
        if found:
            return f"TOML 语法错误：{chinese.format(*found.groups())}{where}"
    return f"TOML 语法错误{where}"


class RulebookError(ValueError):
    """A rulebook refused at load, with the file, line (None for the whole file) and reason."""

    def __init__(self, path: str, line: int | None, reason: str, reason_zh: str) -> None:
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason
        self.reason_zh = reason_zh

    def message(self, lang: str) -> str:
        """One line in the operator's language."""
        if lang == "en":
            return str(self)
        where = f"{self.path}：第 {self.line} 行" if self.line else self.path
        return f"{where}：{self.reason_zh}"


@dataclass(frozen=True)
class Rule:
    """One rule: amounts in integer yuan, validity, conditions and its source clause."""

    id: str
    kind: str
    name_zh: str
    name_en: str
    source: str
    valid_from: dt.date
    valid_until: dt.date | None
    programs: tuple[str, ...] = ()
    amounts: Mapping[str, int] = field(default_factory=dict)
    params: Mapping[str, int] = field(default_factory=dict)
    when: Condition | None = None
    note: str = ""

    def in_force(self, on: dt.date) -> bool:
        """Whether the rule applies on a date."""
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    def amount(self, key: str) -> int:
        """Return one named amount in yuan."""
        return self.amounts[key]


@dataclass(frozen=True)
class Rulebook:
    """A versioned set of rules for one jurisdiction; `version` is the sha256 of the file bytes."""

    id: str
    jurisdiction: str
    name_zh: str
    name_en: str
    documents: tuple[str, ...]
    valid_from: dt.date
    valid_until: dt.date | None
    parameters: Mapping[str, int]
    rules: tuple[Rule, ...]
    version: str
    path: str = ""

    def rule(self, rule_id: str) -> Rule:
        """Return a rule by id, or raise KeyError naming the rulebook."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"rulebook {self.id} has no rule {rule_id!r}")

    def has_rule(self, rule_id: str) -> bool:
        """Whether the rulebook holds a rule with this id."""
        return any(rule.id == rule_id for rule in self.rules)

    def of_kind(self, kind: str) -> tuple[Rule, ...]:
        """Return the rules of one kind, in file order."""
        return tuple(rule for rule in self.rules if rule.kind == kind)

    def covers(self, district: str | None) -> bool:
        """Whether a district code falls in this rulebook's jurisdiction (500000 covers the city)."""
        if district is None:
            return False
        if self.jurisdiction.endswith("0000"):
            return district.startswith(self.jurisdiction[:2])
        return district == self.jurisdiction


class _Locator:
    """Find the line of an offending key in the file text, for semantic errors."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.rule_starts = [i for i, ln in enumerate(self.lines) if ln.strip() == "[[rule]]"]

    def _span(self, rule_index: int | None) -> tuple[int, int]:
        if rule_index is None:
            end = self.rule_starts[0] if self.rule_starts else len(self.lines)
            return 0, end
        start = self.rule_starts[rule_index]
        following = [s for s in self.rule_starts if s > start]
        return start, following[0] if following else len(self.lines)

    def line(self, rule_index: int | None, *needles: str) -> int:
        start, end = self._span(rule_index)
        for needle in needles:
            for i in range(start, end):
                text = self.lines[i].split("#", 1)[0]
                stripped = text.strip()
                if stripped.startswith(f"{needle} ") or stripped.startswith(f"{needle}="):
                    return i + 1
            for i in range(start, end):
                if needle in self.lines[i].split("#", 1)[0]:
                    return i + 1
        for needle in needles if rule_index is None else ():
            for i, text in enumerate(self.lines):
                if needle in text.split("#", 1)[0]:
                    return i + 1
        return start + 1

    def error(
        self, rule_index: int | None, reason: str, reason_zh: str, *needles: str
    ) -> RulebookError:
        return RulebookError(self.path, self.line(rule_index, *needles), reason, reason_zh)


def _date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _int_table(value: Any, what: str, loc: _Locator, index: int | None, key: str) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise loc.error(index, f"'{key}' must be a table of integers", f"'{key}' 须为整数表", key)
    out: dict[str, int] = {}
    for name, amount in value.items():
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise loc.error(
                index,
                f"{what} '{name}' must be an integer, got {amount!r}",
                f"'{name}' 须为整数，实为 {amount!r}",
                name,
                key,
            )
        if amount < 0:
            raise loc.error(
                index, f"{what} '{name}' must not be negative", f"'{name}' 不能为负数", name, key
            )
        out[name] = amount
    return out


def _text(raw: Mapping[str, Any], key: str, loc: _Locator, index: int | None) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        anchor = "[[rule]]" if index is not None else "[rulebook]"
        raise loc.error(index, f"missing or empty '{key}'", f"缺少 '{key}' 或其为空", key, anchor)
    return value


def _validity(
    raw: Mapping[str, Any], loc: _Locator, index: int | None
) -> tuple[dt.date, dt.date | None]:
    start = raw.get("valid_from")
    if not _date(start):
        anchor = "[[rule]]" if index is not None else "[rulebook]"
        raise loc.error(
            index,
            "'valid_from' must be a date (YYYY-MM-DD)",
            "'valid_from' 须为日期（YYYY-MM-DD）",
            "valid_from",
            anchor,
        )
    end = raw.get("valid_until")
    if end is not None and not _date(end):
        raise loc.error(
            index,
            "'valid_until' must be a date (YYYY-MM-DD)",
            "'valid_until' 须为日期（YYYY-MM-DD）",
            "valid_until",
        )
    if end is not None and end < start:
        raise loc.error(
            index,
            f"'valid_until' {end} is before 'valid_from' {start}",
            f"'valid_until' {end} 早于 'valid_from' {start}",
            "valid_until",
        )
    return start, end


def _rule(raw: Any, index: int, book_docs: tuple[str, ...], loc: _Locator) -> Rule:
    if not isinstance(raw, Mapping):
        raise loc.error(index, "each [[rule]] must be a table", "每个 [[rule]] 须为表")
    for key in raw:
        if key not in _RULE_KEYS:
            raise loc.error(index, f"unknown key '{key}' in rule", f"规则中有未知的键 '{key}'", key)
    rule_id = _text(raw, "id", loc, index)
    if not _ID.match(rule_id):
        raise loc.error(
            index,
            f"rule id {rule_id!r} must be lowercase letters, digits, '.', '_', '-'",
            f"规则编号 {rule_id!r} 只能由小写字母、数字和 '.'、'_'、'-' 组成",
            "id",
        )
    kind = _text(raw, "kind", loc, index)
    if kind not in RULE_KINDS:
        raise loc.error(index, f"unknown rule kind {kind!r}", f"未知的规则类型 {kind!r}", "kind")
    source = _text(raw, "source", loc, index)
    for ref in source.split("; "):
        match = _SOURCE.match(ref)
        if not match:
            raise loc.error(
                index,
                f"source {ref!r} must read 'NNN § clause' (e.g. '000 § 11')",
                f"出处 {ref!r} 须写作“NNN § 条款”（如 '000 § 11'）",
                "source",
            )
        if match.group(1) not in book_docs:
            raise loc.error(
                index,
                f"source {ref!r} cites a document not listed in 'documents'",
                f"出处 {ref!r} 引用的文件不在 'documents' 中",
                "source",
            )
    start, end = _validity(raw, loc, index)
    programs = raw.get("programs", [])
    if not isinstance(programs, list) or any(p not in PROGRAMS for p in programs):
        raise loc.error(
            index,
            f"'programs' must be a subset of {sorted(PROGRAMS)}",
            f"'programs' 只能取 {sorted(PROGRAMS)} 中的值",
            "programs",
        )
    when = None
    if "when" in raw:
        try:
            when = parse_condition(raw["when"])
        except ConditionError as exc:
            raise loc.error(
                index,
                f"rule {rule_id}: {exc.reason}",
                f"规则 {rule_id}：{exc.reason_zh}",
                exc.needle,
                "when",
            ) from None
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise loc.error(index, "'note' must be a string", "'note' 须为字符串", "note")
    return Rule(
        id=rule_id,
        kind=kind,
        name_zh=_text(raw, "name_zh", loc, index),
        name_en=_text(raw, "name_en", loc, index),
        source=source,
        valid_from=start,
        valid_until=end,
        programs=tuple(programs),
        amounts=_int_table(raw.get("amounts", {}), "amount", loc, index, "amounts"),
        params=_int_table(raw.get("params", {}), "parameter", loc, index, "params"),
        when=when,
        note=note,
    )


def parse_rulebook(data: bytes, path: str = "<rulebook>") -> Rulebook:
    """Parse and validate rulebook bytes, raising RulebookError with the line and reason."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RulebookError(
            path,
            None,
            "UTF-16 text: save the rulebook as UTF-8",
            "文件为 UTF-16 编码：请另存为 UTF-8",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RulebookError(
            path,
            None,
            f"not UTF-8: {exc.reason} at byte {exc.start}",
            "不是 UTF-8 编码：请另存为 UTF-8",
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        # "at end of document" has no line: the last one is where the reader looks.
        line = int(match.group(1)) if match else max(1, len(text.splitlines()))
        raise RulebookError(path, line, str(exc), toml_syntax_zh(str(exc))) from None
    loc = _Locator(path, text)
    for key in raw:
        if key not in {"rulebook", "parameters", "rule"}:
            raise loc.error(
                None, f"unknown top-level key '{key}'", f"未知的顶层键 '{key}'", f"[{key}]", key
            )
    head = raw.get("rulebook")
    if not isinstance(head, Mapping):
        raise RulebookError(path, 1, "missing [rulebook] table", "缺少 [rulebook] 表")
    for key in head:
        if key not in _RULEBOOK_KEYS:
            raise loc.error(
                None, f"unknown key '{key}' in [rulebook]", f"[rulebook] 中有未知的键 '{key}'", key
            )
    book_id = _text(head, "id", loc, None)
    jurisdiction = _text(head, "jurisdiction", loc, None)
    if not re.fullmatch(r"\d{6}", jurisdiction):
        raise loc.error(
            None,
            "'jurisdiction' must be a 6-digit GB/T 2260 code",
            "'jurisdiction' 须为 6 位 GB/T 2260 行政区划代码",
            "jurisdiction",
        )
    documents = head.get("documents")
    if (
        not isinstance(documents, list)
        or not documents
        or any(d not in DOCUMENTS for d in documents)
    ):
        raise loc.error(
            None,
            f"'documents' must list source files among {sorted(DOCUMENTS)}",
            f"'documents' 须列出 {sorted(DOCUMENTS)} 中的文件",
            "documents",
        )
    start, end = _validity(head, loc, None)
    parameters = _int_table(raw.get("parameters", {}), "parameter", loc, None, "[parameters]")
    rules_raw = raw.get("rule", [])
    if not isinstance(rules_raw, list) or not rules_raw:
        raise RulebookError(
            path,
            len(loc.lines) or 1,
            "a rulebook needs at least one [[rule]]",
            "规则库至少要有一条 [[rule]]",
        )
    rules = tuple(_rule(item, i, tuple(documents), loc) for i, item in enumerate(rules_raw))
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        if rule.id in seen:
            raise loc.error(i, f"duplicate rule id {rule.id!r}", f"规则编号 {rule.id!r} 重复", "id")
        seen.add(rule.id)
    return Rulebook(
        id=book_id,
        jurisdiction=jurisdiction,
        name_zh=_text(head, "name_zh", loc, None),
        name_en=_text(head, "name_en", loc, None),
        documents=tuple(documents),
        valid_from=start,
        valid_until=end,
        parameters=parameters,
        rules=rules,
        version=hashlib.sha256(data).hexdigest(),
        path=path,
    )


def load_rulebook(path: str | Path) -> Rulebook:
    """Load and validate a rulebook file; a missing or unreadable file is a RulebookError too."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise RulebookError(str(path), None, "file not found", "文件不存在") from None
    except OSError as exc:
        raise RulebookError(
            str(path), None, f"cannot read: {exc.strerror}", f"无法读取：{exc.strerror}"
        ) from None
    return parse_rulebook(data, str(path))
