"""The demo year loaded into the database recounts with SQL (issue 19): no phantom seats, one placement per person."""

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Program, User
from app.services import policy_finder
from app.services.demo import load_demo
from app.services.reports.dispatch import dispatch_report


@pytest.fixture
def demo(ctx):
    load_demo(1, employers=120, postings=400, seekers=900)
    return db.session.scalar(select(User).where(User.username == "wulong-office"))


def _rows(sql: str) -> list:
    return list(db.session.execute(text(sql)))


def test_seats_and_slots_are_held_by_people(demo):
    phantom = _rows(
        """
        SELECT p.id, p.slots_filled,
               (SELECT count(*) FROM traineeship t WHERE t.posting_id = p.id AND t.outcome = 'active')
             + (SELECT count(*) FROM application a
                WHERE a.posting_id = p.id AND a.status = 'hired' AND p.kind <> 'traineeship')
        FROM posting p
        """
    )
    assert [r for r in phantom if r[1] != r[2]] == []
    seats = _rows(
        """
        SELECT g.key, g.seats_taken,
               (SELECT count(*) FROM traineeship t
                WHERE t.program_id = g.id AND t.outcome <> 'left_early')
        FROM program g
        """
    )
    assert seats and [r for r in seats if r[1] != r[2]] == []
    programs = {p.key: p for p in db.session.scalars(select(Program))}
    enterprise, public = programs["wulong-2023-enterprise"], programs["wulong-2023-public"]
    assert (enterprise.floor, enterprise.quota) == (200, None)
    assert (public.floor, public.quota) == (50, 50)


def test_a_trainee_hire_is_one_traineeship_and_no_employment(demo):
    assert (
        _rows(
            """
        SELECT e.id FROM employment e
        JOIN application a ON a.id = e.application_id
        JOIN posting p ON p.id = a.posting_id
        WHERE p.kind = 'traineeship'
        """
        )
        == []
    )
    assert (
        _rows(
            """
        SELECT a.id FROM application a JOIN posting p ON p.id = a.posting_id
        WHERE a.status = 'hired' AND p.kind = 'traineeship' AND NOT EXISTS (
            SELECT 1 FROM traineeship t WHERE t.seeker_id = a.seeker_id AND t.posting_id = a.posting_id)
        """
        )
        == []
    )
    assert (
        _rows(
            "SELECT seeker_id FROM traineeship WHERE outcome = 'active' GROUP BY seeker_id HAVING count(*) > 1"
        )
        == []
    )


def test_dispatch_placements_are_people(demo):
    report = dispatch_report(demo, "2023", "500156")["figures"]
    people = db.session.scalar(
        text(
            """
            SELECT count(*) FROM (
                SELECT a.seeker_id AS seeker_id FROM application a JOIN posting p ON p.id = a.posting_id
                WHERE a.status = 'hired' AND p.kind <> 'traineeship' AND p.district_code = '500156'
                  AND a.decided_at >= '2023-01-01' AND a.decided_at < '2024-01-01'
                UNION ALL
                SELECT t.seeker_id AS seeker_id FROM traineeship t
                LEFT JOIN program g ON g.id = t.program_id JOIN employer e ON e.id = t.host_id
                WHERE coalesce(g.district_code, e.district_code) = '500156'
                  AND t.started_on BETWEEN '2023-01-01' AND '2023-12-31'
            ) placed
            """
        )
    )
    assert report["placements"] == people > 0
    counted_twice = _rows(
        """
        SELECT a.id FROM application a JOIN traineeship t
          ON t.seeker_id = a.seeker_id AND t.posting_id = a.posting_id
        JOIN posting p ON p.id = a.posting_id
        WHERE a.status = 'hired' AND p.kind <> 'traineeship'
        """
    )
    assert counted_twice == []


def test_hiring_subsidies_only_for_labour_contracts(demo):
    findings = policy_finder.find(demo)["findings"]
    contracted = {
        row[0]
        for row in _rows(
            """
            SELECT a.seeker_id FROM application a JOIN posting p ON p.id = a.posting_id
            WHERE a.status = 'hired' AND p.kind <> 'traineeship'
            UNION
            SELECT seeker_id FROM traineeship WHERE outcome IN ('retained', 'converted_early')
            """
        )
    }
    assert findings
    assert {f["seeker_id"] for f in findings} <= contracted
    assert db.session.scalar(select(func.count()).select_from(Program)) == 2
