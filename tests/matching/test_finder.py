"""Policy finder: each one-off subsidy with evidence, what is missing, and no double listing."""

import datetime as dt
from pathlib import Path

import pytest

from matching.finder import Employer, Employment, find_subsidies
from matching.policy import Person
from matching.rulebook import load_rulebook

POLICY = Path(__file__).resolve().parents[2] / "seed" / "policy"
BOOKS = [
    load_rulebook(POLICY / f"{name}.toml")
    for name in ("wulong-2023", "chongqing-2022", "rongchang-2018")
]
WULONG = Employer("EW", "500156")
RONGCHANG = Employer("ER", "500153")


def person(pid, **changes):
    base = {
        "person_id": pid,
        "birth_date": dt.date(2000, 5, 1),
        "hukou_district": "500156",
        "education": "bachelor",
        "graduation_date": dt.date(2023, 6, 30),
        "employed": True,
        "registered_unemployed_since": None,
    }
    return Person(**{**base, **changes})


def found(people, hires, **kwargs):
    return {
        (f.person_id, f.rule): f
        for f in find_subsidies(BOOKS, people, [WULONG, RONGCHANG], hires, **kwargs)
    }


CASES = [
    # (case, person, hire, rule, qualifies)
    (
        "graduation-year graduate, 6 months insured",
        person("A"),
        Employment("A", "EW", dt.date(2023, 10, 10), 12, 6, 6),
        "hiring.youth",
        True,
    ),
    (
        "contract 11 months is short of 1 year",
        person("A"),
        Employment("A", "EW", dt.date(2023, 10, 10), 11, 6, 6),
        "hiring.youth",
        None,
    ),
    (
        "expansion subsidy with 3 months of UI",
        person("A"),
        Employment("A", "EW", dt.date(2023, 10, 10), 12, 3, 3),
        "hiring.expansion",
        True,
    ),
    (
        "registered unemployed exactly 6 months, Chongqing hukou",
        person(
            "L",
            birth_date=dt.date(1980, 1, 1),
            education="senior_high",
            graduation_date=None,
            registered_unemployed_since=dt.date(2023, 4, 10),
        ),
        Employment("L", "EW", dt.date(2023, 10, 10), 12, 6),
        "hiring.long_term_unemployed",
        True,
    ),
    (
        "registered unemployed 5 months",
        person(
            "L",
            birth_date=dt.date(1980, 1, 1),
            education="senior_high",
            graduation_date=None,
            registered_unemployed_since=dt.date(2023, 5, 11),
        ),
        Employment("L", "EW", dt.date(2023, 10, 10), 12, 6),
        "hiring.long_term_unemployed",
        None,
    ),
    (
        "priority group hired in Rongchang, 12 months insured",
        person(
            "P",
            priority_groups=frozenset({"low_income_family"}),
            registered_unemployed_since=dt.date(2022, 1, 1),
            registered_unemployed_district="500153",
            graduation_date=None,
        ),
        Employment("P", "ER", dt.date(2022, 3, 1), 12, 12),
        "hiring.priority_groups",
        True,
    ),
    # 000 § 7: 「招用毕业年度或离校2年内未就业高校毕业生」: both branches are college graduates.
    (
        "senior-high leaver hired in the year they finish school is not a 高校毕业生",
        person("S", birth_date=dt.date(2005, 3, 1), education="senior_high"),
        Employment("S", "EW", dt.date(2023, 10, 10), 12, 6, 6),
        "hiring.youth",
        None,
    ),
    # 004 § 三(三)5: 「吸纳我市登记失业的离校2年内的高校贫困毕业生…6000元/人」.
    (
        "poor graduate within 2 years, registered unemployed in Chongqing",
        person(
            "G",
            priority_groups=frozenset({"poor_graduate"}),
            graduation_date=dt.date(2020, 7, 1),
            registered_unemployed_since=dt.date(2021, 9, 1),
            registered_unemployed_district="500153",
        ),
        Employment("G", "ER", dt.date(2022, 6, 30), 12, 12),
        "hiring.priority_groups",
        True,
    ),
    (
        "poor graduate six years out of school is not 离校2年内",
        person(
            "G",
            priority_groups=frozenset({"poor_graduate"}),
            graduation_date=dt.date(2016, 7, 1),
            registered_unemployed_since=dt.date(2021, 9, 1),
            registered_unemployed_district="500153",
        ),
        Employment("G", "ER", dt.date(2022, 6, 30), 12, 12),
        "hiring.priority_groups",
        None,
    ),
    (
        "registered unemployed outside Chongqing is not 我市登记失业",
        person(
            "P",
            priority_groups=frozenset({"low_income_family"}),
            registered_unemployed_since=dt.date(2022, 1, 1),
            registered_unemployed_district="510104",
            graduation_date=None,
        ),
        Employment("P", "ER", dt.date(2022, 3, 1), 12, 12),
        "hiring.priority_groups",
        None,
    ),
    (
        "priority-group subsidy is Rongchang's, not Wulong's",
        person(
            "P",
            priority_groups=frozenset({"low_income_family"}),
            registered_unemployed_since=dt.date(2022, 1, 1),
            graduation_date=None,
        ),
        Employment("P", "EW", dt.date(2022, 3, 1), 12, 12),
        "hiring.priority_groups",
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "who", "hire", "rule", "qualifies"), CASES, ids=[c[0] for c in CASES]
)
def test_finder_table(case, who, hire, rule, qualifies):
    result = found([who], [hire])
    finding = result.get((who.person_id, rule))
    if qualifies is None:
        assert finding is None
    else:
        assert finding.qualifies is qualifies
        assert finding.evidence
        assert finding.missing == ()


def test_amounts_and_sources_come_from_the_rulebooks():
    result = found([person("A")], [Employment("A", "EW", dt.date(2023, 10, 10), 12, 6, 6)])
    assert (result[("A", "hiring.youth")].amount, result[("A", "hiring.youth")].source) == (
        2000,
        "000 § 7",
    )
    assert (result[("A", "hiring.expansion")].amount, result[("A", "hiring.expansion")].source) == (
        1000,
        "003 § 4",
    )


def test_missing_social_insurance_is_reported_in_both_languages():
    result = found([person("A")], [Employment("A", "EW", dt.date(2023, 10, 10), 12, 4, 4)])
    finding = result[("A", "hiring.youth")]
    assert not finding.qualifies
    assert [c.zh for c in finding.missing] == ["连续缴纳社保 4/6 个月"]
    assert [c.en for c in finding.missing] == ["social insurance 4 of 6 months"]


def test_no_double_listing_of_person_and_subsidy():
    hires = [
        Employment("A", "EW", dt.date(2023, 10, 10), 12, 4, 4),
        Employment("A", "EW", dt.date(2023, 11, 1), 12, 6, 6),
    ]
    listed = find_subsidies(BOOKS, [person("A")], [WULONG], hires)
    keys = [(f.person_id, f.rulebook, f.rule) for f in listed]
    assert len(keys) == len(set(keys))
    youth = next(f for f in listed if f.rule == "hiring.youth")
    assert youth.qualifies and youth.amount == 2000


def test_already_paid_is_left_out():
    hire = Employment("A", "EW", dt.date(2023, 10, 10), 12, 6, 6)
    result = found([person("A")], [hire], already_paid=[("A", "wulong-2023/hiring.youth")])
    assert ("A", "hiring.youth") not in result and ("A", "hiring.expansion") in result


def test_hire_outside_validity_is_not_listed():
    result = found([person("A")], [Employment("A", "EW", dt.date(2024, 1, 2), 12, 6, 6)])
    assert ("A", "hiring.youth") not in result
