"""Traineeship eligibility: every rule, exact boundaries, reasons, and the `eligible` CLI."""

import datetime as dt
import json
from pathlib import Path

import pytest

from matching.conditions import add_years, age_on
from matching.policy import Person, check_eligibility, load_rulebook, main

POLICY = Path(__file__).resolve().parents[2] / "seed" / "policy"
WULONG = load_rulebook(POLICY / "wulong-2023.toml")
BEIBEI = load_rulebook(POLICY / "beibei-2019.toml")
ON = dt.date(2023, 11, 1)


def graduate(**changes):
    base = {
        "person_id": "G",
        "birth_date": dt.date(2000, 1, 1),
        "hukou_district": "500156",
        "education": "bachelor",
        "graduation_date": dt.date(2023, 6, 30),
        "employed": False,
        "registered_unemployed_since": None,
    }
    return Person(**{**base, **changes})


def youth(**changes):
    base = {
        "person_id": "Y",
        "birth_date": dt.date(1999, 11, 2),
        "hukou_district": "500101",
        "education": "senior_high",
        "graduation_date": None,
        "employed": False,
        "registered_unemployed_since": dt.date(2023, 5, 1),
    }
    return Person(**{**base, **changes})


def reason(decision, rule_id):
    return next(r for r in decision.reasons if r.rule == rule_id)


CASES = [
    # (case, person, program, months, eligible, failing rule)
    ("recent graduate, enterprise", graduate(), "enterprise", 6, True, None),
    (
        "left school 2 years ago to the day",
        graduate(graduation_date=dt.date(2021, 11, 1)),
        "enterprise",
        6,
        True,
        None,
    ),
    (
        "left school 2 years and 1 day ago",
        graduate(graduation_date=dt.date(2021, 10, 31)),
        "enterprise",
        6,
        False,
        "traineeship.eligibility.target_group",
    ),
    (
        "graduate already employed",
        graduate(employed=True),
        "enterprise",
        6,
        False,
        "traineeship.eligibility.target_group",
    ),
    (
        "not yet graduated",
        graduate(graduation_date=dt.date(2024, 6, 30)),
        "enterprise",
        6,
        False,
        "traineeship.eligibility.target_group",
    ),
    (
        "secondary education is not a college graduate",
        graduate(education="senior_high"),
        "enterprise",
        6,
        False,
        "traineeship.eligibility.target_group",
    ),
    (
        "registered unemployed aged 23",
        youth(birth_date=dt.date(2000, 1, 1)),
        "enterprise",
        6,
        True,
        None,
    ),
    ("aged 24 on the start date (25th birthday tomorrow)", youth(), "enterprise", 6, True, None),
    (
        "aged 25 on the start date (25th birthday today)",
        youth(birth_date=dt.date(1998, 11, 1)),
        "enterprise",
        6,
        False,
        "traineeship.eligibility.target_group",
    ),
    ("aged 16 today", youth(birth_date=dt.date(2007, 11, 1)), "enterprise", 6, True, None),
    (
        "aged 15",
        youth(birth_date=dt.date(2007, 11, 2)),
        "enterprise",
        6,
        False,
        "traineeship.eligibility.target_group",
    ),
    (
        "youth not registered unemployed",
        youth(registered_unemployed_since=None),
        "enterprise",
        6,
        False,
        "traineeship.eligibility.target_group",
    ),
    ("3 months", graduate(), "enterprise", 3, True, None),
    ("12 months", graduate(), "enterprise", 12, True, None),
    ("2 months", graduate(), "enterprise", 2, False, "traineeship.eligibility.duration"),
    ("13 months", graduate(), "enterprise", 13, False, "traineeship.eligibility.duration"),
    (
        "already in a traineeship",
        graduate(has_active_traineeship=True),
        "enterprise",
        6,
        False,
        "traineeship.eligibility.one_active",
    ),
    ("public post, Wulong graduate", graduate(), "public", 12, True, None),
    (
        "public post, non-Wulong hukou",
        graduate(hukou_district="500101"),
        "public",
        12,
        False,
        "traineeship.eligibility.wulong_hukou",
    ),
    (
        "public post, 13 months",
        graduate(),
        "public",
        13,
        False,
        {"traineeship.eligibility.duration", "traineeship.eligibility.public_max_months"},
    ),
    (
        "public post is for graduates, not unemployed youth",
        youth(hukou_district="500156"),
        "public",
        6,
        False,
        "traineeship.eligibility.public_graduate",
    ),
]


@pytest.mark.parametrize(
    ("case", "person", "program", "months", "eligible", "failing"), CASES, ids=[c[0] for c in CASES]
)
def test_eligibility_table(case, person, program, months, eligible, failing):
    decision = check_eligibility(WULONG, person, program, ON, planned_months=months)
    assert decision.eligible is eligible
    failed = {r.rule for r in decision.reasons if not r.passed}
    expected = failing if isinstance(failing, set) else {failing} - {None}
    assert failed == expected
    for r in decision.reasons:
        assert r.source and r.message_zh and r.message_en


def test_reasons_name_the_field_in_both_languages():
    decision = check_eligibility(WULONG, graduate(hukou_district="500101"), "public", ON, 12)
    hukou = reason(decision, "traineeship.eligibility.wulong_hukou")
    assert hukou.source == "000 § 11"
    assert "户籍区县" in hukou.message_zh and "500101" in hukou.message_zh
    assert "hukou district" in hukou.message_en
    assert decision.as_dict()["reasons"][0].keys() == {"rule", "source", "passed", "message"}


def test_every_reason_is_returned_not_just_the_first_failure():
    person = graduate(hukou_district="500101", has_active_traineeship=True)
    decision = check_eligibility(WULONG, person, "public", ON, 12)
    assert {r.rule for r in decision.reasons if not r.passed} == {
        "traineeship.eligibility.wulong_hukou",
        "traineeship.eligibility.one_active",
    }
    assert len(decision.reasons) == 5


def test_duration_is_skipped_without_planned_months():
    decision = check_eligibility(WULONG, graduate(), "enterprise", ON)
    assert "traineeship.eligibility.duration" not in {r.rule for r in decision.reasons}


def test_rule_out_of_force_fails_with_its_dates():
    decision = check_eligibility(WULONG, graduate(), "enterprise", dt.date(2024, 1, 2), 6)
    assert not decision.eligible
    assert "2023-12-31" in reason(decision, "traineeship.eligibility.target_group").message_en


def test_beibei_2019_youth_extension():
    decision = check_eligibility(BEIBEI, youth(), "enterprise", dt.date(2019, 6, 1), 6)
    assert reason(decision, "traineeship.eligibility.target_group").source == "001 § 6"
    assert decision.eligible


def test_leap_day_birthdays_and_anniversaries():
    assert age_on(dt.date(2000, 2, 29), dt.date(2023, 2, 28)) == 22
    assert age_on(dt.date(2000, 2, 29), dt.date(2023, 3, 1)) == 23
    assert add_years(dt.date(2020, 2, 29), 2) == dt.date(2022, 3, 1)


ROWS = [
    {
        "person_id": "A",
        "birth_date": "2000-01-01",
        "hukou_district": "500156",
        "education": "bachelor",
        "graduation_date": "2021-11-01",
        "employed": False,
        "registered_unemployed_since": None,
    },
    {
        "person_id": "B",
        "birth_date": "1998-11-01",
        "hukou_district": "500101",
        "education": "senior_high",
        "graduation_date": None,
        "employed": False,
        "registered_unemployed_since": "2023-01-01",
    },
    {
        "person_id": "C",
        "birth_date": "01/02/2000",
        "hukou_district": "500156",
        "education": "bachelor",
        "graduation_date": None,
        "employed": False,
        "registered_unemployed_since": None,
    },
    {
        "person_id": "D",
        "birth_date": "2000-01-01",
        "hukou_district": "500156",
        "education": "phd",
        "graduation_date": None,
        "employed": "maybe",
        "registered_unemployed_since": None,
    },
]


def test_eligible_cli_json(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    people = tmp_path / "people.json"
    people.write_text(json.dumps(ROWS), encoding="utf-8")
    code = main(
        [
            "eligible",
            "--rulebook",
            str(POLICY / "wulong-2023.toml"),
            "--program",
            "enterprise",
            "--on",
            "2023-11-01",
            "--people",
            str(people),
        ]
    )
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert code == 2
    assert [row["person_id"] for row in out] == ["A", "B", "C", "D"]
    assert out[0]["eligible"] is True
    assert out[1]["eligible"] is False
    assert out[2]["error"]["row"] == 3 and out[2]["error"]["field"] == "birth_date"
    assert out[3]["error"]["field"] == "education"
    assert f"{people}: item 3, column birth_date: " in captured.err


def test_eligible_cli_csv(tmp_path, capsys):
    people = tmp_path / "people.csv"
    people.write_text(
        "person_id,birth_date,hukou_district,education,graduation_date,employed,registered_unemployed_since\n"
        "A,2000-01-01,500156,bachelor,2023-06-30,false,\n"
        "B,2000-01-01,500101,bachelor,2023-06-30,false,\n",
        encoding="utf-8",
    )
    code = main(
        [
            "eligible",
            "--rulebook",
            str(POLICY / "wulong-2023.toml"),
            "--program",
            "public",
            "--on",
            "2023-11-01",
            "--people",
            str(people),
            "--months",
            "12",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [row["eligible"] for row in out] == [True, False]
