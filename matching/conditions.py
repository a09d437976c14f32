"""Rule conditions: a closed set of operators over named fields, parsed from data, never eval'd."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

FieldType = Literal["date", "int", "str", "bool", "set"]


@dataclass(frozen=True)
class FieldSpec:
    """A named fact a condition may test, with its type and its labels in zh and en."""

    type: FieldType
    zh: str
    en: str
    unit_zh: str = ""
    unit_en: str = ""


FIELDS: dict[str, FieldSpec] = {
    "person.birth_date": FieldSpec("date", "出生日期", "birth date"),
    "person.hukou_district": FieldSpec("str", "户籍区县", "hukou district"),
    "person.education": FieldSpec("str", "学历", "education"),
    "person.graduation_date": FieldSpec("date", "离校日期", "graduation date"),
    "person.graduation_year": FieldSpec("int", "毕业年份", "graduation year"),
    "person.employed": FieldSpec("bool", "是否已就业", "employed"),
    "person.registered_unemployed_since": FieldSpec(
        "date", "失业登记日期", "registered unemployed since"
    ),
    "person.registered_unemployed_district": FieldSpec(
        "str", "失业登记地", "registered unemployed in (district code)"
    ),
    "person.has_active_traineeship": FieldSpec(
        "bool", "是否有在岗见习", "has an active traineeship"
    ),
    "person.priority_groups": FieldSpec("set", "重点群体类别", "priority groups"),
    "person.insured_months": FieldSpec(
        "int", "失业保险参保", "unemployment insurance", "个月", "months"
    ),
    "person.has_certificate": FieldSpec(
        "bool", "是否取得职业资格证书", "holds a vocational certificate"
    ),
    "person.certificate_obtained_on": FieldSpec("date", "取得证书日期", "certificate obtained on"),
    "person.receives_ui_benefit": FieldSpec(
        "bool", "是否领取失业保险金", "receives unemployment benefit"
    ),
    "traineeship.program": FieldSpec("str", "见习类别", "traineeship program"),
    "traineeship.planned_months": FieldSpec(
        "int", "见习期限", "traineeship duration", "个月", "months"
    ),
    "traineeship.start": FieldSpec("date", "见习开始日期", "traineeship start"),
    "employer.district": FieldSpec("str", "单位所在区县", "employer district"),
    "employer.size": FieldSpec("str", "企业规模", "employer size"),
    "employer.staff": FieldSpec("int", "在职职工人数", "staff", "人", "people"),
    "employer.insured_staff": FieldSpec("int", "参保职工人数", "insured staff", "人", "people"),
    "employer.headcount_reduction_bp": FieldSpec(
        "int", "参保人数减少率", "insured headcount reduction", "‱", "basis points"
    ),
    "employer.layoff_count": FieldSpec("int", "裁减人数", "layoffs", "人", "people"),
    "employer.layoff_bp": FieldSpec("int", "裁减人数占比", "layoff share", "‱", "basis points"),
    "employer.new_eligible_hires_bp": FieldSpec(
        "int", "新招用符合条件人员占比", "share of eligible new hires", "‱", "basis points"
    ),
    "posting.discrimination_categories": FieldSpec(
        "set", "招聘信息歧视性内容", "discriminatory content of the posting"
    ),
    "business.first_startup": FieldSpec("bool", "是否首次创业", "first business"),
    "business.started_in_graduation_year": FieldSpec(
        "bool", "毕业年度内创办", "started in the founder's graduation year"
    ),
    "business.jobs_created": FieldSpec("int", "带动就业", "jobs created", "人", "people"),
    "business.pension_insured": FieldSpec(
        "bool", "按规定缴纳企业职工基本养老保险", "pays employee basic pension insurance"
    ),
    "benefit.term_end": FieldSpec("date", "政策享受期满日期", "end of the subsidy's term"),
    "business.operating_months": FieldSpec("int", "正常经营", "in operation", "个月", "months"),
    "employment.hire_date": FieldSpec("date", "招用日期", "hire date"),
    "employment.in_graduation_year": FieldSpec(
        "bool", "毕业年度内招用", "hired in graduation year"
    ),
    "employment.contract_months": FieldSpec(
        "int", "劳动合同期限", "labour contract", "个月", "months"
    ),
    "employment.social_insurance_months": FieldSpec(
        "int", "连续缴纳社保", "social insurance", "个月", "months"
    ),
    "employment.unemployment_insurance_months": FieldSpec(
        "int", "参加失业保险", "unemployment insurance", "个月", "months"
    ),
    "employment.registered_unemployed_months": FieldSpec(
        "int", "招用前登记失业", "registered unemployed before hire", "个月", "months"
    ),
}

TYPE_ZH: dict[str, str] = {
    "date": "日期",
    "int": "整数",
    "float": "数",
    "str": "字符串",
    "bool": "布尔值（true/false）",
    "set": "集合",
}
"""Value types in Chinese, for the operator's messages (rulebook checks and command lines)."""

PRIORITY_GROUPS: tuple[str, ...] = (
    "graduate_2y",  # 离校2年内未就业高校毕业生
    "unemployed_youth",  # 16–24岁登记失业青年
    "difficult_graduate",  # 困难毕业生 (003 § 20)
    "poor_graduate",  # 贫困家庭高校毕业生 (004 § 三.5)
    "low_income_family",  # 低保家庭
    "zero_employment_family",  # 零就业家庭
    "poverty_alleviated",  # 脱贫家庭
    "rural_poor",  # 农村建档立卡贫困劳动力
    "disabled",  # 残疾人
    "long_term_unemployed",  # 长期失业人员
    "veteran",  # 退役军人
    "released_prisoner",  # 刑满释放人员
    "rehabilitated",  # 戒毒康复人员
    "capacity_reduction",  # 化解过剩产能企业职工
    "returning_migrant",  # 返乡农民工
    "retired_fisher",  # 长江禁捕退捕渔民
    "4050",  # 女40岁、男50岁以上
)
"""Priority groups (重点群体, POLICY.md § 3): the one vocabulary of rulebooks, profiles and the API."""

DISCRIMINATION_CATEGORIES: frozenset[str] = frozenset(
    {
        "ethnicity",
        "race",
        "gender",
        "religion",
        "origin",
        "region",
        "identity",
        "disability",
        "school",
    }
)

_VALUE_SETS: dict[str, frozenset[str]] = {
    "person.priority_groups": frozenset(PRIORITY_GROUPS),
    "posting.discrimination_categories": DISCRIMINATION_CATEGORIES,
}

OPERATORS: frozenset[str] = frozenset(
    {
        "eq",
        "ne",
        "in",
        "not_in",
        "lt",
        "le",
        "gt",
        "ge",
        "between",
        "age_between",
        "within_years_of",
        "same_year",
        "is_null",
        "not_null",
        "starts_with",
        "contains",
        "contains_any",
    }
)
_ORDERED = {"lt", "le", "gt", "ge", "between"}
_OP_TYPES: dict[str, set[str]] = {
    "lt": {"int", "date"},
    "le": {"int", "date"},
    "gt": {"int", "date"},
    "ge": {"int", "date"},
    "between": {"int", "date"},
    "age_between": {"date"},
    "within_years_of": {"date"},
    "same_year": {"date"},
    "starts_with": {"str"},
    "contains": {"set"},
    "contains_any": {"set"},
    "eq": {"int", "date", "str", "bool"},
    "ne": {"int", "date", "str", "bool"},
    "in": {"int", "str"},
    "not_in": {"int", "str"},
}


class ConditionError(ValueError):
    """A malformed condition; `needle` is text to find the offending line by; `reason_zh` in Chinese."""

    def __init__(self, reason: str, needle: str, reason_zh: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.needle = needle
        self.reason_zh = reason_zh


@dataclass(frozen=True)
class Leaf:
    """One test of one field: `field op value`."""

    field: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class All:
    """Passes when every item passes."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """Passes when at least one item passes."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """Passes when its item fails."""

    item: Condition


Condition = Leaf | All | AnyOf | Not


@dataclass(frozen=True)
class Check:
    """The outcome of one leaf test, with a message naming the field in zh and en."""

    field: str
    passed: bool
    zh: str
    en: str
    shortfall: bool = False


@dataclass(frozen=True)
class Outcome:
    """The outcome of a whole condition: passed, the leaf checks, and a summary in zh and en."""

    passed: bool
    checks: tuple[Check, ...]
    zh: str
    en: str


def add_years(day: dt.date, years: int) -> dt.date:
    """Return the same calendar day `years` later; 29 February falls on 1 March in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def age_on(birth: dt.date, on: dt.date) -> int:
    """Return completed years of age on a date (the birthday itself counts as the new age)."""
    age = on.year - birth.year
    if add_years(birth, age) > on:
        age -= 1
    return age


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def _type_ok(value: Any, type_: str) -> bool:
    if type_ == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_ == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if type_ == "bool":
        return isinstance(value, bool)
    return isinstance(value, str)


def parse_condition(raw: Any) -> Condition:
    """Parse a TOML condition table into a condition, refusing anything outside the closed set."""
    if not isinstance(raw, Mapping):
        raise ConditionError("a condition must be a table", "when", "条件须为表（table）")
    combinators = [key for key in ("all", "any", "not") if key in raw]
    if combinators:
        key = combinators[0]
        if len(raw) != 1:
            raise ConditionError(
                f"'{key}' must be the only key of its table", key, f"'{key}' 须是所在表中唯一的键"
            )
        if key == "not":
            return Not(parse_condition(raw["not"]))
        items = raw[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(
                f"'{key}' needs a non-empty array of conditions", key, f"'{key}' 须为非空的条件数组"
            )
        parsed = tuple(parse_condition(item) for item in items)
        return All(parsed) if key == "all" else AnyOf(parsed)
    for key in raw:
        if key not in {"field", "op", "value"}:
            raise ConditionError(f"unknown condition key '{key}'", key, f"未知的条件键 '{key}'")
    field, op = raw.get("field"), raw.get("op")
    if field not in FIELDS:
        raise ConditionError(f"unknown field '{field}'", f'"{field}"', f"未知字段 '{field}'")
    if op not in OPERATORS:
        raise ConditionError(f"unknown operator '{op}'", f'"{op}"', f"未知运算符 '{op}'")
    spec = FIELDS[field]
    needle = f'"{op}"'
    if op in _OP_TYPES and spec.type not in _OP_TYPES[op]:
        raise ConditionError(
            f"operator '{op}' does not apply to {spec.type} field '{field}'",
            needle,
            f"运算符 '{op}' 不适用于{TYPE_ZH[spec.type]}字段 '{field}'",
        )
    value = raw.get("value")
    if op in {"is_null", "not_null", "same_year"}:
        if "value" in raw:
            raise ConditionError(f"operator '{op}' takes no value", needle, f"运算符 '{op}' 不带值")
        return Leaf(field, op)
    if value is None:
        raise ConditionError(f"operator '{op}' needs a value", needle, f"运算符 '{op}' 需要一个值")
    _check_value(field, spec, op, value, needle)
    if isinstance(value, list):
        value = tuple(value)
    return Leaf(field, op, value)


def _check_value(field: str, spec: FieldSpec, op: str, value: Any, needle: str) -> None:
    if op in {"between", "age_between"}:
        item_type = "int" if op == "age_between" else spec.type
        if not (isinstance(value, list) and len(value) == 2):
            raise ConditionError(f"'{op}' needs [low, high]", needle, f"'{op}' 须为 [下限, 上限]")
        if not all(_type_ok(v, item_type) for v in value) or value[0] > value[1]:
            raise ConditionError(
                f"'{op}' bounds must be {item_type} and low <= high",
                needle,
                f"'{op}' 的上下限须为{TYPE_ZH[item_type]}，且下限不大于上限",
            )
    elif op == "within_years_of":
        if not _type_ok(value, "int") or value < 0:
            raise ConditionError(
                "'within_years_of' needs a whole number of years",
                needle,
                "'within_years_of' 须为整数年",
            )
    elif op in {"in", "not_in", "contains_any"}:
        item_type = "str" if spec.type == "set" else spec.type
        if not isinstance(value, list) or not all(_type_ok(v, item_type) for v in value):
            raise ConditionError(
                f"'{op}' needs an array of {item_type}",
                needle,
                f"'{op}' 须为{TYPE_ZH[item_type]}数组",
            )
    elif op == "contains":
        if not _type_ok(value, "str"):
            raise ConditionError("'contains' needs a string", needle, "'contains' 须为字符串")
    elif op == "starts_with":
        if not _type_ok(value, "str"):
            raise ConditionError("'starts_with' needs a string", needle, "'starts_with' 须为字符串")
    elif not _type_ok(value, spec.type):
        raise ConditionError(
            f"value for '{field}' must be {spec.type}",
            needle,
            f"'{field}' 的值须为{TYPE_ZH[spec.type]}",
        )
    allowed = _VALUE_SETS.get(field)
    if allowed is not None:
        values = value if isinstance(value, list) else [value]
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise ConditionError(
                f"unknown value {unknown[0]!r} for '{field}'",
                f'"{unknown[0]}"',
                f"'{field}' 没有取值 {unknown[0]!r}",
            )


def fields_of(condition: Condition) -> set[str]:
    """Return every field a condition reads."""
    if isinstance(condition, Leaf):
        return {condition.field}
    if isinstance(condition, Not):
        return fields_of(condition.item)
    return set().union(*(fields_of(item) for item in condition.items))


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return ", ".join(sorted(str(v) for v in value)) or "—"
    if isinstance(value, tuple | list):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


def _fmt_zh(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return _fmt(value)


def _leaf(leaf: Leaf, facts: Mapping[str, Any], on: dt.date) -> Check:
    spec = FIELDS[leaf.field]
    actual = facts.get(leaf.field)
    op, value = leaf.op, leaf.value
    if op == "is_null":
        passed = actual is None or actual == frozenset()
        return Check(
            leaf.field,
            passed,
            f"{spec.zh}：{_fmt_zh(actual)}（应为空）",
            f"{spec.en}: {_fmt(actual)} (must be empty)",
        )
    if op == "not_null":
        passed = actual is not None and actual != frozenset()
        shown = _fmt_zh(actual) if passed else "未填写"
        return Check(
            leaf.field,
            passed,
            f"{spec.zh}：{shown}",
            f"{spec.en}: {_fmt(actual) if passed else 'missing'}",
        )
    if actual is None:
        return Check(leaf.field, False, f"{spec.zh}：未填写", f"{spec.en}: missing")
    if op == "age_between":
        age = age_on(actual, on)
        passed = value[0] <= age <= value[1]
        return Check(
            leaf.field,
            passed,
            f"年龄 {age} 岁（{on.isoformat()}，{spec.zh} {actual.isoformat()}），要求 {value[0]}–{value[1]} 岁",
            f"age {age} on {on.isoformat()} ({spec.en} {actual.isoformat()}), required {value[0]}–{value[1]}",
        )
    if op == "same_year":
        passed = actual.year == on.year and actual <= on
        return Check(
            leaf.field,
            passed,
            f"{spec.zh} {actual.isoformat()}，要求为 {on.year} 年内（当年）且不晚于 {on.isoformat()}",
            f"{spec.en} {actual.isoformat()}, required in {on.year} (the same year) by {on.isoformat()}",
        )
    if op == "within_years_of":
        passed = actual <= on <= add_years(actual, value)
        return Check(
            leaf.field,
            passed,
            f"{spec.zh} {actual.isoformat()}，要求在 {on.isoformat()} 前 {value} 年以内（含当日）",
            f"{spec.en} {actual.isoformat()}, required within {value} years before {on.isoformat()} (inclusive)",
        )
    passed = _compare(op, actual, value)
    if op in {"ge", "gt"} and spec.unit_zh:
        need = value if op == "ge" else value + 1
        return Check(
            leaf.field,
            passed,
            f"{spec.zh} {actual}/{need} {spec.unit_zh}",
            f"{spec.en} {actual} of {need} {spec.unit_en}",
            shortfall=not passed,
        )
    symbol = {
        "eq": "为",
        "ne": "不为",
        "lt": "<",
        "le": "≤",
        "gt": ">",
        "ge": "≥",
        "between": "在",
        "in": "属于",
        "not_in": "不属于",
        "starts_with": "开头为",
        "contains": "包含",
        "contains_any": "包含其一",
    }[op]
    symbol_en = {
        "eq": "=",
        "ne": "≠",
        "between": "",
        "in": "one of",
        "not_in": "none of",
        "starts_with": "starting with",
        "contains": "including",
        "contains_any": "including one of",
    }.get(op, symbol)
    unit_zh = f" {spec.unit_zh}" if spec.unit_zh else ""
    unit_en = f" {spec.unit_en}" if spec.unit_en else ""
    if op == "between":
        want_zh = f"{_fmt(value[0])}–{_fmt(value[1])}{unit_zh}"
        want_en = f"{_fmt(value[0])}–{_fmt(value[1])}{unit_en}"
    else:
        want_zh, want_en = _fmt_zh(value), _fmt(value)
    return Check(
        leaf.field,
        passed,
        f"{spec.zh}：{_fmt_zh(actual)}{unit_zh}，要求{symbol} {want_zh}",
        f"{spec.en}: {_fmt(actual)}{unit_en}, required {symbol_en} {want_en}".replace("  ", " "),
    )


def _compare(op: str, actual: Any, value: Any) -> bool:
    if op == "eq":
        return bool(actual == value)
    if op == "ne":
        return bool(actual != value)
    if op == "in":
        return actual in value
    if op == "not_in":
        return actual not in value
    if op == "lt":
        return bool(actual < value)
    if op == "le":
        return bool(actual <= value)
    if op == "gt":
        return bool(actual > value)
    if op == "ge":
        return bool(actual >= value)
    if op == "between":
        return bool(value[0] <= actual <= value[1])
    if op == "starts_with":
        return str(actual).startswith(value)
    if op == "contains":
        return value in actual
    return bool(set(actual) & set(value))


def evaluate(condition: Condition, facts: Mapping[str, Any], on: dt.date) -> Outcome:
    """Evaluate a condition over facts on a date, keeping a check for every leaf."""
    if isinstance(condition, Leaf):
        check = _leaf(condition, facts, on)
        mark = "✓" if check.passed else "✗"
        return Outcome(check.passed, (check,), f"{mark} {check.zh}", f"{mark} {check.en}")
    if isinstance(condition, Not):
        inner = evaluate(condition.item, facts, on)
        return Outcome(not inner.passed, inner.checks, f"并非（{inner.zh}）", f"not ({inner.en})")
    parts = [evaluate(item, facts, on) for item in condition.items]
    checks = tuple(check for part in parts for check in part.checks)
    if isinstance(condition, All):
        passed = all(part.passed for part in parts)
        return Outcome(
            passed, checks, "；".join(p.zh for p in parts), "; ".join(p.en for p in parts)
        )
    passed = any(part.passed for part in parts)
    return Outcome(
        passed,
        checks,
        " 或 ".join(f"（{p.zh}）" for p in parts),
        " or ".join(f"({p.en})" for p in parts),
    )
