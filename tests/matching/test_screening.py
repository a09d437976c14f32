import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.screening import DEFAULT_LEXICON, load_lexicon, screen

# (posting, offending phrase exactly as written in it, category)
FLAGGED = [
    ("招聘仓库管理员，限男性，月薪4500-6000元，包住。", "限男性", "gender"),
    ("诚聘前台文员2名，仅限女性，形象气质佳。", "仅限女性", "gender"),
    ("快递分拣员，男性优先，能适应夜班。", "男性优先", "gender"),
    ("招聘行政助理，女士优先，熟练使用Office。", "女士优先", "gender"),
    ("装卸工：限 男 性，日结工资。", "限 男 性", "gender"),
    ("装卸工：限　男　性，日结工资。", "限　男　性", "gender"),
    ("普工若干，限ｍａｌｅ，包吃住。", "限ｍａｌｅ", "gender"),
    ("出纳一名，已婚已育优先，工作稳定。", "已婚已育优先", "gender"),
    ("销售内勤，近两年无生育计划，有责任心。", "近两年无生育计划", "gender"),
    ("任职要求：性别：女，25岁以上。", "性别：女", "gender"),
    ("Warehouse assistant, male only, night shifts.", "male only", "gender"),
    ("Receptionist wanted. Ｆｅｍａｌｅ ｏｎｌｙ.", "Ｆｅｍａｌｅ ｏｎｌｙ", "gender"),
    ("餐厅服务员若干，仅限汉族，包吃住。", "仅限汉族", "ethnicity"),
    ("保安员，少数民族勿扰，需夜班。", "少数民族勿扰", "ethnicity"),
    ("Security guard, Han ethnicity only.", "Han ethnicity only", "ethnicity"),
    ("英语外教，限白人，待遇从优。", "限白人", "race"),
    ("English teacher, whites only, housing provided.", "whites only", "race"),
    ("食品厂包装工，不招穆斯林，两班倒。", "不招穆斯林", "religion"),
    ("客服专员，本地户口优先，五险一金。", "本地户口优先", "household_registration"),
    ("社区网格员，限本地户籍，大专以上学历。", "限本地户籍", "household_registration"),
    ("保洁员，农村户口勿扰。", "农村户口勿扰", "household_registration"),
    ("物业管家，外地人勿扰，熟悉小区情况。", "外地人勿扰", "region"),
    ("导游，仅限重庆籍，持导游证。", "仅限重庆籍", "region"),
    ("收银员，身体健康，无残疾，能站立工作。", "无残疾", "disability"),
    ("搬运工，四肢健全，能吃苦耐劳。", "四肢健全", "disability"),
    ("管培生，985/211 院校毕业，本科及以上学历。", "985/211 院校毕业", "school"),
    ("研发工程师，硕士及以上学历，985、211院校优先。", "985、211院校优先", "school"),
    ("文员，统招本科及以上学历，熟悉办公软件。", "统招本科", "school"),
    ("会计，自考勿扰，持初级会计证。", "自考勿扰", "school"),
]

# (posting, why it is fine)
NOT_FLAGGED = [
    ("男装销售，负责门店陈列与顾客接待，有服装销售经验优先。", "goods, not applicants"),
    ("女装店导购，熟悉女装搭配，底薪加提成。", "goods, not applicants"),
    ("招聘女装导购2名，男女不限。", "goods, and says gender is open"),
    ("中学语文教师，汉语言文学专业，持教师资格证。", "a subject of study"),
    ("少儿民族舞蹈老师，舞蹈专业毕业，有教学经验。", "a skill, open to anyone"),
    # Knowing a cuisine is a skill anyone can learn; the posting restricts no one.
    ("熟悉回族饮食文化的厨师，能独立制作清真菜品。", "a skill, open to anyone"),
    ("回族餐厅招聘服务员，包吃住。", "the employer's kind of business"),
    ("仓管员，身体健康，能吃苦，适应倒班。", "health, not disability"),
    ("客服专员，性别不限，户籍不限，大专以上学历。", "says origin and gender are open"),
    ("营业员，不限男女，有无经验均可。", "says gender is open"),
    ("社区服务岗，残疾人优先，退役军人优先。", "priority groups the offices serve"),
    ("辅导员，我校为211高校，硕士研究生学历。", "a university describing itself"),
    ("项目地址：211国道旁工业园，全日制工作，双休。", "a road number and a work schedule"),
    ("人事专员，熟悉重庆人力资源政策，协助办理户口迁移。", "no barrier, just words nearby"),
    ("导游，尊重游客宗教信仰和民族习俗。", "respecting beliefs is not a barrier"),
    ("Sales assistant for our menswear store, experience preferred.", "goods, not applicants"),
]


@pytest.mark.parametrize(("posting", "phrase", "category"), FLAGGED)
def test_flags_barrier_at_its_offsets(posting: str, phrase: str, category: str) -> None:
    result = screen(posting)
    assert result.flagged
    start = posting.index(phrase)
    finding = next(f for f in result.findings if f.category == category)
    assert (finding.start, finding.end) == (start, start + len(phrase))
    assert finding.phrase == phrase
    assert finding.source in {"003 § 30", "004 § 四.4"}
    assert finding.explanation_zh
    assert finding.explanation_en


@pytest.mark.parametrize(("posting", "phrase", "category"), FLAGGED)
def test_suggestion_removes_the_barrier(posting: str, phrase: str, category: str) -> None:
    suggested = screen(posting).suggested_text
    assert phrase not in suggested
    assert not screen(suggested).flagged
    assert "，，" not in suggested


@pytest.mark.parametrize(("posting", "reason"), NOT_FLAGGED)
def test_leaves_neutral_wording_alone(posting: str, reason: str) -> None:
    result = screen(posting)
    assert not result.flagged, (reason, result.findings)
    assert result.suggested_text == posting


def test_sources_follow_categories() -> None:
    by_category = {f.category: f.source for p, _, _ in FLAGGED for f in screen(p).findings}
    assert by_category["ethnicity"] == by_category["race"] == by_category["religion"] == "003 § 30"
    assert by_category["gender"] == "003 § 30"
    for category in ("household_registration", "region", "disability", "school"):
        assert by_category[category] == "004 § 四.4"


def test_suggestions_keep_what_is_legitimate() -> None:
    assert screen("招聘仓管员，限男性，月薪5000").suggested_text == "招聘仓管员，性别不限，月薪5000"
    assert screen("文员，统招本科及以上学历").suggested_text == "文员，本科及以上学历"
    assert screen("招聘男服务员3名，包吃住").suggested_text == "招聘服务员3名，包吃住"
    assert screen("岗位要求：本科，本地户口优先。").suggested_text == "岗位要求：本科。"


def test_adjacent_removals_leave_no_dangling_separator() -> None:
    assert screen("要求：男性，35岁以下，未婚，汉族。").suggested_text == "性别不限，35岁以下。"
    assert screen("限男性;35岁以下;已婚;").suggested_text == "性别不限;35岁以下"


def test_removes_list_item_with_its_number() -> None:
    result = screen("任职要求：1、男性，25-35岁；2、汉族")
    assert [f.category for f in result.findings] == ["gender", "ethnicity"]
    assert result.suggested_text == "任职要求：25-35岁"


def test_fuzzy_catches_look_alike_characters() -> None:
    for posting, phrase in [
        ("出纳，已婚己育优先", "已婚己育优先"),
        ("客服，本地户囗优先", "本地户囗优先"),
    ]:
        (finding,) = screen(posting).findings
        assert finding.method == "fuzzy"
        assert finding.phrase == phrase
        assert finding.score < 100


def test_allow_list_does_not_hide_neighbouring_barrier() -> None:
    result = screen("男女不限，女士优先")
    assert [f.phrase for f in result.findings] == ["女士优先"]
    assert result.suggested_text == "男女不限"


def test_reports_every_barrier_in_a_posting() -> None:
    posting = "诚聘仓管，限男性，汉族优先，本地户口优先，无残疾，985院校毕业。"
    categories = [f.category for f in screen(posting).findings]
    assert categories == ["gender", "ethnicity", "household_registration", "disability", "school"]


def test_empty_text() -> None:
    result = screen("")
    assert not result.flagged
    assert result.suggested_text == ""


def test_lexicon_entries_are_well_formed() -> None:
    lexicon = load_lexicon()
    assert lexicon.version
    assert set(lexicon.sources) == {"003 § 30", "004 § 四.4"}
    assert {e.category for e in lexicon.entries} == set(lexicon.categories)
    assert "age" not in lexicon.categories
    # Every canonical phrase is caught by its own entry.
    for entry in lexicon.entries:
        found = screen(entry.phrase, lexicon).findings
        assert any(f.category == entry.category for f in found), entry.id


def test_lexicon_rejects_source_outside_category(tmp_path: Path) -> None:
    text = DEFAULT_LEXICON.read_text(encoding="utf-8")
    bad = text.replace(
        'category = "disability"\nsource = "004 § 四.4"',
        'category = "disability"\nsource = "003 § 30"',
        1,
    )
    path = tmp_path / "lexicon.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ValueError, match="does not cover"):
        load_lexicon(path)


def test_screens_a_long_posting_finding_every_repeat() -> None:
    """A 2,000-character posting with the same barriers repeated: each repeat is found at its
    own place (speed is for benchmarks, not for a timed unit test)."""
    block = (
        "岗位职责：负责仓库货物的收发、盘点和日常管理，熟练使用办公软件，身体健康，能吃苦耐劳。"
        "任职要求：本科及以上学历，限男性，本地户口优先，已婚已育优先。Male only.\n"
    )
    posting = (block * 25)[:2000]
    once = screen(block).findings
    starts = {f.start for f in screen(posting).findings if f.phrase == "限男性"}
    expected = {i for i in range(len(posting)) if posting.startswith("限男性", i)}
    assert once and starts == expected and len(expected) > 10


def test_screening_does_not_import_web_stack() -> None:
    code = (
        "import sys, matching.screening as s; s.screen('限男性'); "
        "print(sorted(m for m in ('flask', 'sqlalchemy', 'marshmallow', 'app') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# Characters of neutral postings, without those that could turn a barrier into its own
# negation or an allowed phrase ("不限男性", "残疾人优先", "我校为985"), and without digits,
# which would merge with "985" into another number.
_NEUTRAL_CHARS = sorted(
    set(
        "负责仓库货物收发盘点和日常管理熟练使用办公软件能吃苦耐劳工作地点在渝北区交通便利"
        "月薪五险一金包吃住双休带薪年假节日福利有经验者可面谈欢迎投递简历"
        "abcxyz，。；：、（） "
    )
    - set("不无非限男女性别户籍口族校人优先民汉语婚育残疾健康装鞋科服")
)
_CJK_PHRASES = [p for _, p, _ in FLAGGED if not p.isascii() and "ｍａｌｅ" not in p]


@settings(max_examples=150, deadline=None)
@given(
    prefix=st.text(alphabet=_NEUTRAL_CHARS, max_size=60),
    phrase=st.sampled_from(_CJK_PHRASES),
    suffix=st.text(alphabet=_NEUTRAL_CHARS, max_size=60),
)
def test_neutral_text_around_a_barrier_keeps_it_flagged(
    prefix: str, phrase: str, suffix: str
) -> None:
    posting = prefix + phrase + suffix
    start = len(prefix)
    findings = screen(posting).findings
    assert any(f.start <= start and start + len(phrase) <= f.end for f in findings), findings


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.text(alphabet=_NEUTRAL_CHARS, max_size=40),
    phrase=st.sampled_from(
        ["male only", "Han ethnicity only", "whites only", "local hukou required"]
    ),
    suffix=st.text(alphabet=_NEUTRAL_CHARS, max_size=40),
)
def test_neutral_text_around_english_barrier_keeps_it_flagged(
    prefix: str, phrase: str, suffix: str
) -> None:
    posting = f"{prefix} {phrase}. {suffix}"
    start = len(prefix) + 1
    findings = screen(posting).findings
    assert any(f.start <= start and start + len(phrase) <= f.end for f in findings), findings
