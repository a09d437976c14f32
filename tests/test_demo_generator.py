import datetime as dt
import time
from collections import Counter

import pytest

from app.identifiers import parse_id_number, validate_credit_code
from matching.education import EDUCATION_LEVELS
from matching.screening import screen
from seed.demo.generator import (
    ENTERPRISE_PROGRAM,
    PUBLIC_PROGRAM,
    WULONG,
    add_months,
    generate,
    load_districts,
    simulate_traineeship_history,
    strip_marker,
)

SMALL = {"employers": 120, "postings": 400, "seekers": 900}
COLLEGE = EDUCATION_LEVELS.index("junior_college")


@pytest.fixture(scope="module")
def full():
    started = time.perf_counter()
    data = generate()
    assert time.perf_counter() - started < 10
    return data


def _age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def test_same_seed_gives_equal_output_and_another_seed_differs():
    assert generate(5, **SMALL) == generate(5, **SMALL)
    assert generate(5, **SMALL).seekers != generate(6, **SMALL).seekers


def test_full_size_counts(full):
    assert len(full.employers) == 320
    assert len(full.postings) == 1600
    assert len(full.seekers) == 5000
    assert 7500 <= len(full.applications) <= 8500
    assert 200 <= len(full.traineeships) <= 1000
    kinds = Counter(p.kind for p in full.postings)
    assert kinds["job"] / 1600 == pytest.approx(0.55, abs=0.05)
    assert kinds["traineeship"] / 1600 == pytest.approx(0.30, abs=0.05)
    assert kinds["internship"] / 1600 == pytest.approx(0.15, abs=0.05)


def test_keys_id_numbers_credit_codes_and_phones_are_unique(full):
    for records in (full.employers, full.postings, full.seekers, full.programs):
        keys = [r.key for r in records]
        assert len(keys) == len(set(keys))
    assert len({s.id_number for s in full.seekers}) == len(full.seekers)
    assert len({e.credit_code for e in full.employers}) == len(full.employers)
    assert len({e.name for e in full.employers}) == len(full.employers)
    phones = [s.phone for s in full.seekers] + [e.contact_phone for e in full.employers]
    assert len(phones) == len(set(phones))


def test_identifiers_are_valid_and_consistent(full):
    districts = {d.code for d in load_districts()}
    for s in full.seekers:
        assert parse_id_number(s.id_number) == s.birth_date
        assert s.id_number[:6] in districts
        assert (int(s.id_number[16]) % 2 == 1) == (s.gender == "M")
        assert len(s.phone) == 11 and s.phone.startswith("1")
    for e in full.employers:
        assert validate_credit_code(e.credit_code) == e.credit_code
        assert e.credit_code[2:8] == e.district
        assert e.credit_code[:2] == ("12" if e.public_institution else "91")


def test_references_resolve(full):
    employers = {e.key for e in full.employers}
    postings = {p.key: p for p in full.postings}
    seekers = {s.key for s in full.seekers}
    programs = {p.key for p in full.programs}
    assert all(p.employer_key in employers for p in full.postings)
    for a in full.applications:
        assert a.seeker_key in seekers and a.posting_key in postings
        assert postings[a.posting_key].published_at <= a.applied_at <= full.today
    for t in full.traineeships:
        post = postings[t.posting_key]
        assert t.seeker_key in seekers and t.host_key == post.employer_key
        assert t.program_key == post.program_key and (
            t.program_key is None or t.program_key in programs
        )


def test_postings_are_well_formed(full):
    districts = {d.code for d in load_districts()}
    assert {p.district for p in full.postings} == districts
    for p in full.postings:
        assert p.kind in ("job", "traineeship", "internship")
        assert p.status in ("published", "closed", "draft", "pending_review")
        assert 0 < p.salary_min <= p.salary_max <= 15000
        if p.kind == "job":
            assert p.salary_min >= 2500
        assert 1 <= p.slots <= 10
        assert 80 <= len(p.description) <= 320
        assert p.min_education is None or p.min_education in EDUCATION_LEVELS
        assert p.skills
        if p.kind == "traineeship":
            assert 3 <= p.duration_months <= 12
        else:
            assert p.duration_months is None and p.program_key is None
        assert (p.published_at is None) == (p.status in ("draft", "pending_review"))
    assert Counter(p.status for p in full.postings).most_common(1)[0][0] == "published"


def test_postings_held_for_review_carry_wording_the_check_flags(full):
    held = [p for p in full.postings if p.status == "pending_review"]
    assert len(held) > 10
    assert all(screen(f"{p.title}\n{p.description}").flagged for p in held)


def test_wulong_programs_have_enough_seats(full):
    employers = {e.key: e for e in full.employers}
    enterprise = [p for p in full.postings if p.program_key == ENTERPRISE_PROGRAM]
    public = [p for p in full.postings if p.program_key == PUBLIC_PROGRAM]
    assert sum(p.slots for p in enterprise) >= 220
    assert len({p.employer_key for p in enterprise}) >= 40
    assert sum(p.slots for p in public) >= 55
    for p in enterprise + public:
        host = employers[p.employer_key]
        assert p.kind == "traineeship" and p.status == "published" and host.district == WULONG
        assert host.public_institution == (p.program_key == PUBLIC_PROGRAM)
    programs = {p.key: p for p in full.programs}
    assert (
        programs[ENTERPRISE_PROGRAM].floor == 200
        and programs[ENTERPRISE_PROGRAM].monthly_rate == 1300
    )
    assert programs[ENTERPRISE_PROGRAM].cap is None
    assert (
        programs[PUBLIC_PROGRAM].floor == programs[PUBLIC_PROGRAM].cap == 50
        and programs[PUBLIC_PROGRAM].monthly_rate == 2100
    )


def test_enough_wulong_seekers(full):
    wulong = [s for s in full.seekers if s.hukou_district == WULONG]
    assert len(wulong) >= 400
    recent = [s for s in wulong if s.graduation_date >= dt.date(2022, 6, 1)]
    assert len(recent) >= len(wulong) / 2


def test_seekers_are_consistent(full):
    for s in full.seekers:
        assert s.education in EDUCATION_LEVELS
        assert 1 <= len(s.desired_occupations) <= 3
        assert s.birth_date < s.graduation_date <= full.today
        assert not (s.employed and s.registered_unemployed_since)
        groups = set(s.priority_groups)
        if "graduate_2y" in groups:
            assert not s.employed and EDUCATION_LEVELS.index(s.education) >= COLLEGE
            assert s.graduation_date > add_months(full.today, -24)
        if "unemployed_youth" in groups:
            assert 16 <= _age(s.birth_date, full.today) <= 24 and not s.employed
        if "4050" in groups:
            assert _age(s.birth_date, full.today) >= (40 if s.gender == "F" else 50)
        if "difficult_graduate" in groups:
            assert "graduate_2y" in groups
        assert ("disabled" in groups) == s.disability
    assert 0.9 < sum(s.visible for s in full.seekers) / len(full.seekers) < 0.99


def test_applications_are_unique_per_seeker_and_posting(full):
    pairs = [(a.seeker_key, a.posting_key) for a in full.applications]
    assert len(pairs) == len(set(pairs))
    postings = {p.key: p for p in full.postings}
    published = sum(postings[a.posting_key].status == "published" for a in full.applications)
    assert published / len(full.applications) > 0.7


def test_traineeships_are_eligible_and_well_formed(full):
    seekers = {s.key: s for s in full.seekers}
    for t in full.traineeships:
        s = seekers[t.seeker_key]
        assert 3 <= t.planned_months <= 12
        graduate = EDUCATION_LEVELS.index(
            s.education
        ) >= COLLEGE and s.graduation_date <= t.start <= add_months(s.graduation_date, 24)
        youth = 16 <= _age(s.birth_date, t.start) <= 24
        if t.program_key == PUBLIC_PROGRAM:
            assert graduate and s.hukou_district == WULONG
        else:
            assert graduate or youth
        assert t.start < full.today
        if t.outcome == "active":
            assert t.end is None and not s.employed
        else:
            assert t.start < t.end <= full.today
        if t.outcome in ("retained", "converted_early"):
            assert s.employed
    active = Counter(t.seeker_key for t in full.traineeships if t.outcome == "active")
    assert max(active.values()) == 1
    assert {t.outcome for t in full.traineeships} == {
        "active",
        "completed",
        "retained",
        "converted_early",
        "left_early",
    }
    assert min(t.start for t in full.traineeships).year <= 2021


def test_hosts_have_history_before_the_program(full):
    program_hosts = {t.host_key for t in full.traineeships if t.program_key}
    decided = {t.host_key for t in full.traineeships if t.outcome in ("retained", "completed")}
    assert len(program_hosts & decided) >= len(program_hosts) / 3


def test_strip_marker_removes_book_markers_only():
    assert strip_marker("云计算工程技术人员S") == "云计算工程技术人员"
    assert strip_marker("大地测量工程技术人员L/S") == "大地测量工程技术人员"
    assert strip_marker("PLS") == "PLS"


def test_simulated_history_is_deterministic_and_plausible():
    rows = simulate_traineeship_history(2000, seed=3)
    assert rows == simulate_traineeship_history(2000, seed=3)
    outcomes = Counter(r.outcome for r in rows)
    decided = outcomes["retained"] + outcomes["converted_early"] + outcomes["completed"]
    assert 0.3 < (outcomes["retained"] + outcomes["converted_early"]) / decided < 0.8
    assert all(3 <= r.planned_months <= 12 for r in rows)
