"""Rulebooks: every rule with its source clause and amounts, validation with line numbers, `check`."""

import datetime as dt
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from matching.policy import main
from matching.rulebook import RulebookError, load_rulebook, parse_rulebook

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "seed" / "policy"

# (rulebook, rule id, source clause, amounts in yuan, params)
RULES = [
    ("wulong-2023", "traineeship.eligibility.target_group", "000 § 11; 001 § 6", {}, {}),
    ("wulong-2023", "traineeship.eligibility.public_graduate", "000 § 11", {}, {}),
    ("wulong-2023", "traineeship.eligibility.wulong_hukou", "000 § 11", {}, {}),
    ("wulong-2023", "traineeship.eligibility.duration", "001 § 6", {}, {}),
    ("wulong-2023", "traineeship.eligibility.public_max_months", "000 § 11", {}, {}),
    ("wulong-2023", "traineeship.eligibility.one_active", "000 § 17", {}, {}),
    ("wulong-2023", "traineeship.enterprise.quota", "000 § 11", {}, {"min_posts": 200}),
    ("wulong-2023", "traineeship.public.quota", "000 § 11", {}, {"posts": 50}),
    ("wulong-2023", "traineeship.enterprise.monthly", "000 § 11", {"per_month": 1300}, {}),
    (
        "wulong-2023",
        "traineeship.enterprise.retention_tier",
        "000 § 11",
        {"per_month": 1500},
        {"threshold_percent": 50},
    ),
    ("wulong-2023", "traineeship.enterprise.early_conversion", "000 § 11", {}, {}),
    ("wulong-2023", "traineeship.accident_insurance", "000 § 11", {"once": 100}, {}),
    (
        "wulong-2023",
        "traineeship.public.monthly",
        "000 § 11",
        {"per_month": 2100},
        {"max_months": 12},
    ),
    ("wulong-2023", "ui_refund", "000 § 6", {}, {"sme_percent": 60, "large_percent": 30}),
    ("wulong-2023", "hiring.youth", "000 § 7", {"once": 2000}, {}),
    ("wulong-2023", "hiring.long_term_unemployed", "000 § 12", {"once": 2000}, {}),
    ("chongqing-2022", "ui_refund", "003 § 2", {}, {"large_percent": 50, "sme_percent": 60}),
    ("chongqing-2022", "hiring.expansion", "003 § 4", {"once": 1000}, {}),
    (
        "chongqing-2022",
        "service.difficult_graduates",
        "003 § (二十)",
        {},
        {
            "guidance_sessions": 1,
            "job_recommendations": 3,
            "training_offers": 1,
            "traineeship_offers": 1,
            "target_employed_percent": 100,
        },
    ),
    ("chongqing-2022", "obligation.layoff_report", "003 § 29", {}, {}),
    ("chongqing-2022", "posting.no_discrimination", "003 § 30", {}, {}),
    ("beibei-2019", "loan.individual", "001 § 4", {"max": 200000}, {}),
    ("beibei-2019", "loan.small_firm", "001 § 4", {"max": 3000000}, {"min_contract_months": 12}),
    ("beibei-2019", "traineeship.eligibility.target_group", "001 § 6", {}, {}),
    ("beibei-2019", "traineeship.eligibility.duration", "001 § 6", {}, {}),
    (
        "beibei-2019",
        "allowance.training_living",
        "001 § 9",
        {"per_day": 50},
        {"max_days_per_year": 30},
    ),
    ("beibei-2019", "allowance.skill_upgrade", "001 § 10", {}, {"times_per_year": 1}),
    ("dazu-2020", "loan.small_firm", "002 annex § 23", {}, {}),
    ("dazu-2020", "startup.returning_migrant", "002 annex § 29", {}, {}),
    (
        "dazu-2020",
        "obligation.contact_unemployed",
        "002 annex § 51",
        {},
        {"min_contacts_per_month": 1},
    ),
    ("rongchang-2018", "hiring.priority_groups", "004 § 三(三)5", {"once": 6000}, {}),
    ("rongchang-2018", "allowance.skill_upgrade", "004 § 三(四)2", {}, {}),
    ("rongchang-2018", "group.difficult", "004 § 三(三)5", {}, {}),
    ("rongchang-2018", "allowance.social_insurance_injury_maternity", "004 § 三(三)5", {}, {}),
    ("rongchang-2018", "startup.one_off", "004 § 三(二)3", {}, {}),
    ("rongchang-2018", "posting.no_barriers", "004 § 三(四)4", {}, {}),
    (
        "rongchang-2018",
        "target.annual",
        "004 § 二",
        {},
        {
            "new_urban_jobs": 12000,
            "registered_unemployment_max_bp": 340,
            "new_entrepreneurs": 6100,
            "trainings": 3000,
        },
    ),
    ("dazu-2020", "extension.rate_cuts", "002 annex § 1", {}, {}),
    ("dazu-2020", "extension.ui_refund", "002 annex § 1", {}, {}),
    ("dazu-2020", "extension.on_job_training", "002 annex § 1", {}, {}),
    (
        "dazu-2020",
        "extension.flexible_social_insurance",
        "002 annex § 32",
        {},
        {"extension_months": 12},
    ),
    ("dazu-2020", "extension.public_welfare_post", "002 annex § 33", {}, {"extension_months": 12}),
    ("chongqing-2022", "contribution.ui_rate", "003 § 3", {}, {"ui_rate_bp": 100}),
    (
        "chongqing-2022",
        "target.public_institution_hiring",
        "003 § (十一)",
        {},
        {"graduates_hired": 12000},
    ),
    (
        "chongqing-2022",
        "target.grassroots",
        "003 § (十二)",
        {},
        {
            "sanzhiyifu": 700,
            "street_community_posts": 300,
            "community_posts": 3500,
            "western_volunteers_min": 2500,
            "special_post_teachers": 200,
            "grassroots_posts_min": 2000,
            "graduates": 10000,
        },
    ),
    (
        "chongqing-2022",
        "target.startup_acceleration",
        "003 § (十三)",
        {},
        {
            "incubators": 10,
            "migrant_parks": 10,
            "returnee_parks": 1,
            "innovation_spaces": 10,
            "free_workstations": 10000,
        },
    ),
    ("chongqing-2022", "target.skills", "003 § (十四)", {}, {"trainings_min": 20000}),
    ("chongqing-2022", "target.talent_import", "003 § (十五)", {}, {"graduates_min": 10000}),
    ("chongqing-2022", "target.engineers", "003 § (十六)", {}, {"engineers_min": 10000}),
    (
        "chongqing-2022",
        "target.traineeship",
        "003 § (十七)",
        {},
        {"posts": 110000, "trainees_min": 10000},
    ),
    (
        "chongqing-2022",
        "target.internship",
        "003 § (十八)",
        {},
        {"internship_posts": 10000, "interns": 10000},
    ),
    ("chongqing-2022", "target.career_guidance", "003 § (十九)", {}, {"sessions_min": 50000}),
    (
        "chongqing-2022",
        "target.reemployment",
        "003 § 32",
        {},
        {
            "reemployed": 150000,
            "difficult_employed": 80000,
            "zero_employment_family_min_employed": 1,
        },
    ),
    (
        "wulong-2023",
        "target.grassroots",
        "000 § 8",
        {},
        {"recruits_min": 30, "community_graduate_percent_min": 35},
    ),
    (
        "wulong-2023",
        "target.poverty_alleviated_employment",
        "000 § 13",
        {},
        {"employed_min": 17410},
    ),
    (
        "wulong-2023",
        "award.full_employment_community",
        "000 § 15",
        {"once_per_community": 20000},
        {},
    ),
]

# Text each cited clause must contain in the source document: the clause numbers are checked.
CLAUSE_TEXT = {
    "000 § 6": "（六）继续实施失业保险稳岗返还政策",
    "000 § 7": "(七)鼓励企业吸纳就业",
    "000 § 11": "（十一）实施2023年就业见习岗位募集计划",
    "000 § 12": "（十二）加强困难人员就业帮扶",
    "000 § 17": "（十七）优化政策经办服务",
    "001 § 4": "（四）优化创业融资环境",
    "001 § 6": "（六）促进以高校毕业生为主的青年就业",
    "001 § 9": "（九）落实失业人员培训政策",
    "001 § 10": "（十）大力开展职业技能培训",
    "002 annex § 23": "23．进一步优化创业担保贷款经办流程",
    "002 annex § 29": "29．对符合条件的返乡农民工首次创业",
    "002 annex § 51": "51．实施基层公共就业服务经办能力提升计划",
    "003 § 2": "2．落实稳岗返还政策",
    "003 § 4": "4．落实扩岗补助",
    "003 § (二十)": "（二十）实施万名困难大学生帮扶计划",
    "003 § 29": "29．建立裁员报告制度",
    "003 § 30": "30．持续清理整顿人力资源市场秩序",
    "004 § 三(三)5": "5．实施就业援助",
    "004 § 三(四)2": "2．提升职业培训质量",
    "004 § 二": "二、总体目标",
    "004 § 三(四)4": "4．推进人力资源市场建设",
    "004 § 三(二)3": "3．强化政策支持。继续实施支持和促进重点群体创业就业的税收政策",
    "002 annex § 1": "1．阶段性降低失业保险费率、工伤保险费率政策，实施期限延长至2021年4月30日",
    "002 annex § 32": "32．对就业困难人员享受灵活就业社会保险补贴政策期满仍未实现稳定就业的",
    "002 annex § 33": "33．加大对就业困难人员的就业援助力度",
    "003 § 3": "3．降低失业保险费。阶段性降低失业保险费率至1%，执行至2023年4月底",
    "003 § (十一)": "（十一）实施万名事业单位招聘计划",
    "003 § (十二)": "（十二）实施万名大学生基层成长计划",
    "003 § (十三)": "（十三）实施万名大学生创业加速计划",
    "003 § (十四)": "（十四）实施万名大学生技能提升计划",
    "003 § (十五)": "（十五）实施万名紧缺急需大学生引进计划",
    "003 § (十六)": "（十六）实施万名卓越工程师培育计划",
    "003 § (十七)": "（十七）实施万名大学生就业见习计划",
    "003 § (十八)": "（十八）实施万名大学生实习实践计划",
    "003 § (十九)": "（十九）实施万名大学生职业指导计划",
    "003 § 32": "32．强化登记失业人员动态监测和帮扶",
    "000 § 8": "(八)鼓励引导基层就业",
    "000 § 13": "（十三）稳定脱贫人口务工规模",
    "000 § 15": "（十五）开展高质量充分就业区创建",
}
SEEDS = Path("/work/shared/seeds")


@pytest.mark.parametrize(("book", "rule_id", "source", "amounts", "params"), RULES)
def test_every_rule_has_its_source_amounts_and_names(book, rule_id, source, amounts, params):
    rule = load_rulebook(POLICY / f"{book}.toml").rule(rule_id)
    assert rule.source == source
    assert dict(rule.amounts) == amounts
    assert all(type(v) is int for v in rule.amounts.values())
    assert dict(rule.params) == params
    assert rule.name_zh and rule.name_en
    assert isinstance(rule.valid_from, dt.date)


def test_table_covers_every_rule_in_every_rulebook():
    listed = {(book, rule_id) for book, rule_id, *_ in RULES}
    present = {
        (path.stem, rule.id) for path in POLICY.glob("*.toml") for rule in load_rulebook(path).rules
    }
    assert listed == present


@pytest.mark.skipif(not SEEDS.exists(), reason="source documents not available")
@pytest.mark.parametrize(("source", "text"), sorted(CLAUSE_TEXT.items()))
def test_cited_clause_exists_in_source_document(source, text):
    doc = next(SEEDS.glob(f"{source[:3]}_*.txt")).read_text(encoding="utf-8")
    assert text in doc


def test_every_cited_source_is_checked_against_the_text():
    cited = {
        ref
        for path in POLICY.glob("*.toml")
        for rule in load_rulebook(path).rules
        for ref in rule.source.split("; ")
    }
    assert cited <= CLAUSE_TEXT.keys()


def test_version_is_sha256_of_file_bytes():
    path = POLICY / "wulong-2023.toml"
    assert load_rulebook(path).version == hashlib.sha256(path.read_bytes()).hexdigest()


def test_validity_periods():
    wulong = load_rulebook(POLICY / "wulong-2023.toml")
    assert wulong.rule("hiring.youth").in_force(dt.date(2023, 12, 31))
    assert not wulong.rule("hiring.youth").in_force(dt.date(2024, 1, 1))
    beibei = load_rulebook(POLICY / "beibei-2019.toml")
    assert beibei.rule("allowance.training_living").valid_until == dt.date(2020, 12, 31)


GOOD = """\
[rulebook]
id = "t"
jurisdiction = "500156"
name_zh = "测试"
name_en = "test"
documents = ["000"]
valid_from = 2023-01-01

[[rule]]
id = "r1"
kind = "hiring_subsidy"
name_zh = "甲"
name_en = "A"
source = "000 § 7"
valid_from = 2023-01-01
amounts = { once = 2000 }
when = { all = [
  { field = "employment.contract_months", op = "ge", value = 12 },
] }
"""

BROKEN = [
    ("unknown operator", GOOD.replace('op = "ge"', 'op = "approx"'), 18, "unknown operator"),
    (
        "unknown field",
        GOOD.replace("employment.contract_months", "person.shoe_size"),
        18,
        "unknown field",
    ),
    ("missing source", GOOD.replace('source = "000 § 7"\n', ""), 9, "missing or empty 'source'"),
    ("bad source", GOOD.replace('source = "000 § 7"', 'source = "section 7"'), 14, "must read"),
    (
        "uncited document",
        GOOD.replace('source = "000 § 7"', 'source = "003 § 4"'),
        14,
        "not listed",
    ),
    ("float amount", GOOD.replace("once = 2000", "once = 2000.5"), 16, "must be an integer"),
    (
        "string date",
        GOOD.replace("valid_from = 2023-01-01\namounts", 'valid_from = "soon"\namounts'),
        15,
        "valid_from",
    ),
    (
        "reversed dates",
        GOOD.replace(
            "valid_from = 2023-01-01\namounts",
            "valid_from = 2023-01-01\nvalid_until = 2022-01-01\namounts",
        ),
        16,
        "before",
    ),
    ("toml syntax", GOOD.replace('name_en = "A"', 'name_en = "A'), 13, "line 13"),
    (
        "unknown rule key",
        GOOD.replace('name_en = "A"', 'name_en = "A"\nformula = "x*2"'),
        14,
        "unknown key",
    ),
    ("bad value type", GOOD.replace("value = 12 }", 'value = "12" }'), 18, "must be int"),
]


@pytest.mark.parametrize(("case", "text", "line", "reason"), BROKEN, ids=[b[0] for b in BROKEN])
def test_malformed_rulebook_is_refused_with_line(case, text, line, reason):
    with pytest.raises(RulebookError) as info:
        parse_rulebook(text.encode(), "bad.toml")
    assert info.value.line == line, str(info.value)
    assert reason in str(info.value)
    assert str(info.value).startswith(f"bad.toml:{line}: ")


def test_good_rulebook_parses():
    assert parse_rulebook(GOOD.encode()).rule("r1").amount("once") == 2000


def test_check_cli_ok_and_refusal(tmp_path, capsys):
    assert main(["check", str(POLICY / "wulong-2023.toml")]) == 0
    assert "ok" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('op = "ge"', 'op = "approx"'), encoding="utf-8")
    assert main(["check", str(bad), "--lang", "en"]) == 2
    assert capsys.readouterr().err.strip() == f"{bad}:18: rule r1: unknown operator 'approx'"
    assert main(["check", str(bad), "--lang", "zh"]) == 2
    assert capsys.readouterr().err.strip() == (f"{bad}：第 18 行：规则 r1：未知运算符 'approx'")


@pytest.mark.parametrize(("case", "text", "line", "reason"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_refused_rulebook_reads_in_chinese_throughout(case, text, line, reason):
    """No English phrase (tomllib's reason, a type name) inside the Chinese line."""
    with pytest.raises(RulebookError) as info:
        parse_rulebook(text.encode(), "bad.toml")
    message = info.value.message("zh")
    assert message.startswith(f"bad.toml：第 {line} 行：")
    assert not re.search(r"\b(int|str|date|bool)\b|[A-Za-z]{2,} [A-Za-z]{2,}", message), message


@pytest.mark.parametrize(
    ("text", "line", "zh"),
    [
        (
            GOOD.replace('name_en = "A"', 'name_en = "A'),
            13,
            "字符串未闭合（行尾缺少引号），第 13 列",
        ),
        (GOOD.replace("once = 2000 }", "once = 2000"), 16, "内联表未闭合（缺少 }），第 24 列"),
        (
            GOOD.replace("valid_from = 2023-01-01\namounts", "valid_from = soon\namounts"),
            15,
            "无效的值（文字须加引号，日期写作 YYYY-MM-DD），第 14 列",
        ),
        (
            GOOD.replace('kind = "hiring_subsidy"', 'kind = "hiring_subsidy" 2'),
            11,
            "语句后应换行（一行只写一个键值），第 25 列",
        ),
        (GOOD.rstrip().removesuffix("] }") + "]", 19, "内联表未闭合（缺少 }），在文件末尾"),
    ],
)
def test_toml_syntax_errors_are_explained_in_chinese(text, line, zh):
    with pytest.raises(RulebookError) as info:
        parse_rulebook(text.encode(), "bad.toml")
    assert info.value.message("zh") == f"bad.toml：第 {line} 行：TOML 语法错误：{zh}"


def test_matching_stays_framework_free():
    code = (
        "import sys, matching.policy, matching.subsidy, matching.finder;"
        "print([m for m in ('flask', 'sqlalchemy', 'marshmallow', 'app') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"
