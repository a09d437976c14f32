"""Provisions encoded from 002, 003, 004 and 000 (issue 20): each scenario quotes its clause and
the figure or decision comes from the document's text."""

import datetime as dt
from pathlib import Path

from matching.conditions import evaluate
from matching.policy import Person, person_facts
from matching.rulebook import load_rulebook

POLICY = Path(__file__).resolve().parents[2] / "seed" / "policy"
RONGCHANG = load_rulebook(POLICY / "rongchang-2018.toml")
DAZU = load_rulebook(POLICY / "dazu-2020.toml")
CITY = load_rulebook(POLICY / "chongqing-2022.toml")
WULONG = load_rulebook(POLICY / "wulong-2023.toml")


def person(**changes) -> Person:
    base = {
        "person_id": "P",
        "birth_date": dt.date(1975, 5, 1),
        "hukou_district": "500153",
        "education": "senior_high",
        "graduation_date": None,
        "employed": False,
        "registered_unemployed_since": dt.date(2019, 3, 1),
    }
    return Person(**{**base, **changes})


def passes(book, rule_id: str, on: dt.date, who: Person, **facts) -> bool:
    """Whether a rule in force on a date holds for a person and the named facts."""
    rule = book.rule(rule_id)
    values = {**person_facts(who), **facts}
    return rule.in_force(on) and evaluate(rule.when, values, on).passed


def test_work_injury_and_maternity_cover_four_registered_groups():
    """004 三(三)5 「将登记失业的“4050”人员、低保家庭人员、零就业家庭人员、高校毕业生4类人员就业的
    社会保险补贴项目扩展到工伤保险和生育保险」."""
    rule = "allowance.social_insurance_injury_maternity"
    on = dt.date(2019, 6, 1)
    assert passes(RONGCHANG, rule, on, person(priority_groups=frozenset({"4050"})))
    assert passes(RONGCHANG, rule, on, person(education="bachelor"))
    assert not passes(RONGCHANG, rule, on, person(priority_groups=frozenset({"veteran"})))
    unregistered = person(priority_groups=frozenset({"4050"}), registered_unemployed_since=None)
    assert not passes(RONGCHANG, rule, on, unregistered)


def test_the_ten_difficult_groups_are_registered_unemployed():
    """004 三(三)5 「将登记失业的“4050”人员…去产能企业职工纳入就业困难人员范围」: ten groups."""
    groups = RONGCHANG.rule("group.difficult").when.items[1].value
    assert len(groups) == 10
    on = dt.date(2019, 6, 1)
    assert passes(RONGCHANG, "group.difficult", on, person(priority_groups=frozenset({"veteran"})))
    assert not passes(
        RONGCHANG, "group.difficult", on, person(priority_groups=frozenset({"returning_migrant"}))
    )


def startup(facts: dict) -> dict:
    base = {
        "business.first_startup": True,
        "business.started_in_graduation_year": False,
        "business.operating_months": 12,
        "business.jobs_created": 3,
        "business.pension_insured": True,
    }
    return {**base, **facts}


def test_one_off_startup_subsidy_conditions_without_an_amount():
    """004 三(二)3 「对普通高校应届毕业生和登记失业的低保家庭人员…首次创办小微企业或从事个体经营且正常
    经营1年以上、带动就业3人以上并按规定缴纳企业职工基本养老保险的，给予一次性创业补助」."""
    on = dt.date(2019, 6, 1)
    low_income = person(priority_groups=frozenset({"low_income_family"}))
    assert passes(RONGCHANG, "startup.one_off", on, low_income, **startup({}))
    for short in ({"business.jobs_created": 2}, {"business.operating_months": 11}):
        assert not passes(RONGCHANG, "startup.one_off", on, low_income, **startup(short))
    assert not passes(RONGCHANG, "startup.one_off", on, person(), **startup({}))
    graduate = person(education="bachelor", registered_unemployed_since=None)
    assert not passes(RONGCHANG, "startup.one_off", on, graduate, **startup({}))
    fresh = startup({"business.started_in_graduation_year": True})
    assert passes(RONGCHANG, "startup.one_off", on, graduate, **fresh)
    assert dict(RONGCHANG.rule("startup.one_off").amounts) == {}


def test_skill_subsidy_needs_a_certificate_of_the_same_year():
    """004 三(四)2 「依法参加失业保险3年以上、当年取得职业资格证书或职业技能等级证书的企业职工」."""
    on = dt.date(2019, 11, 1)
    this_year = person(insured_months=36, certificate_obtained_on=dt.date(2019, 3, 1))
    last_year = person(insured_months=36, certificate_obtained_on=dt.date(2018, 12, 31))
    assert passes(RONGCHANG, "allowance.skill_upgrade", on, this_year)
    assert not passes(RONGCHANG, "allowance.skill_upgrade", on, last_year)
    assert not passes(RONGCHANG, "allowance.skill_upgrade", on, person(insured_months=36))


def test_dazu_extensions_of_one_year_for_terms_ending_in_2020():
    """002 annex 32/33 「政策享受期限可延长1年，实施期限为2020年1月1日至12月31日」."""
    difficult = person(hukou_district="500111", priority_groups=frozenset({"4050"}))
    for rule in ("extension.flexible_social_insurance", "extension.public_welfare_post"):
        assert DAZU.rule(rule).params["extension_months"] == 12
        ended = dt.date(2020, 8, 31)
        assert passes(DAZU, rule, ended, difficult, **{"benefit.term_end": ended})
        assert not passes(
            DAZU,
            rule,
            ended,
            person(employed=True, priority_groups=frozenset({"4050"})),
            **{"benefit.term_end": ended},
        )
        late = dt.date(2021, 1, 15)
        assert not passes(DAZU, rule, late, difficult, **{"benefit.term_end": late})


def test_dazu_annex_1_extension_dates():
    """002 annex 1: rate cuts 「延长至2021年4月30日」; refund and training 「延长至2020年12月31日」."""
    assert DAZU.rule("extension.rate_cuts").valid_until == dt.date(2021, 4, 30)
    assert DAZU.rule("extension.ui_refund").valid_until == dt.date(2020, 12, 31)
    assert DAZU.rule("extension.on_job_training").valid_until == dt.date(2020, 12, 31)


def test_city_ui_rate_cut_until_april_2023():
    """003 § 3 「阶段性降低失业保险费率至1%，执行至2023年4月底」: 1% = 100 basis points."""
    rule = CITY.rule("contribution.ui_rate")
    assert rule.params["ui_rate_bp"] == 100
    assert rule.in_force(dt.date(2023, 4, 30)) and not rule.in_force(dt.date(2023, 5, 1))


def test_city_traineeship_target():
    """003 (十七) 「全年筹集11万个见习岗位…大学生见习人数不少于1万人」."""
    assert dict(CITY.rule("target.traineeship").params) == {"posts": 110000, "trainees_min": 10000}


def test_wulong_targets_and_award():
    """000 § 8 「30人以上…不低于35%」, § 13 「不低于17410人」, § 15 「2万元/个的一次性奖补」."""
    assert WULONG.rule("target.grassroots").params["recruits_min"] == 30
    assert WULONG.rule("target.grassroots").params["community_graduate_percent_min"] == 35
    assert WULONG.rule("target.poverty_alleviated_employment").params["employed_min"] == 17410
    award = WULONG.rule("award.full_employment_community")
    assert award.amount("once_per_community") == 20000 and award.valid_until == dt.date(
        2023, 12, 31
    )


def test_rongchang_postings_without_barriers():
    """004 三(四)4 「打破城乡、地区、行业分割和身份、性别、残疾、院校等歧视」."""
    rule = RONGCHANG.rule("posting.no_barriers")
    on = dt.date(2019, 6, 1)
    for found, allowed in ((frozenset(), True), (frozenset({"school"}), False)):
        facts = {"posting.discrimination_categories": found}
        assert evaluate(rule.when, facts, on).passed is allowed


def test_rongchang_annual_targets():
    """004 二 「确保每年城镇新增就业12000人，城镇登记失业率控制在3.4%以下，新增创业6100人…3000人」."""
    params = RONGCHANG.rule("target.annual").params
    assert (params["new_urban_jobs"], params["registered_unemployment_max_bp"]) == (12000, 340)
