"""Match reports through the API: lists with reasons, eligibility, exposure cap, re-open, exports, push."""

import csv
import io
from collections import Counter
from unittest import mock

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.models import (
    MatchResult,
    MatchRun,
    Notification,
    OutboxMessage,
    PushedRecommendation,
    Seeker,
    ServiceRecord,
)
from app.services.reports import match_report
from app.services.reports.match_report import pushed_recommendations
from tests.factories import PostingFactory, SeekerFactory


def _run(client, headers, **body):
    response = client.post("/api/v1/reports/match", json=body, headers=headers)
    assert response.status_code == 202, response.json
    assert response.json["status"] == "done"
    return response.json["id"]


def test_program_report_lists_eligible_candidates_with_reasons(
    client, as_office, program, posts, seekers
):
    run_id = _run(client, as_office, program_id=program.id, k=3)
    report = client.get(f"/api/v1/reports/match/{run_id}", headers=as_office).json
    assert report["progress"] == 1.0
    assert report["model_version"] and report["rulebook_version"]
    assert "at most 3" in report["exposure_note"]["en"]
    trainee_posts = {p.id for p in posts if p.kind == "traineeship"}
    assert {p["posting_id"] for p in report["posts"]} == trainee_posts
    ineligible = {seekers[8].id, seekers[9].id}
    for post in report["posts"]:
        assert 1 <= len(post["candidates"]) <= 3
        assert [c["rank"] for c in post["candidates"]] == list(
            range(1, len(post["candidates"]) + 1)
        )
        assert not ineligible & {c["seeker_id"] for c in post["candidates"]}
        assert all(c["reasons"] for c in post["candidates"])
        scores = [c["score"] for c in post["candidates"]]
        assert scores == sorted(scores, reverse=True)
    exposure = Counter(c["seeker_id"] for p in report["posts"] for c in p["candidates"])
    assert max(exposure.values()) <= 3
    priority = {s.id for s in seekers if s.priority_groups}
    assert {s["seeker_id"] for s in report["seekers"]} == priority
    for s in report["seekers"]:
        if s["seeker_id"] in ineligible:
            assert s["posts"] == []
        else:
            assert len(s["posts"]) == 3


def test_district_report_includes_jobs_and_exposure_cap(client, as_office, posts, seekers):
    run_id = _run(client, as_office, district_code="500156", k=5, max_lists=2)
    report = client.get(f"/api/v1/reports/match/{run_id}", headers=as_office).json
    assert {p["posting_id"] for p in report["posts"]} == {p.id for p in posts}
    job = next(p for p in report["posts"] if p["kind"] == "job")
    assert seekers[8].id in {c["seeker_id"] for c in job["candidates"]} or job["candidates"]
    exposure = Counter(c["seeker_id"] for p in report["posts"] for c in p["candidates"])
    assert max(exposure.values()) <= 2
    assert report["summary"]["max_lists"] == 2


def test_reopened_run_is_exactly_as_stored(client, as_office, program, posts, seekers):
    run_id = _run(client, as_office, program_id=program.id, k=3, seed=7)
    before = client.get(f"/api/v1/reports/match/{run_id}", headers=as_office).json
    seekers[0].name = "改名了"
    posts[0].title = "改了标题"
    db.session.commit()
    after = client.get(f"/api/v1/reports/match/{run_id}", headers=as_office).json
    assert after == before
    run = db.session.get(MatchRun, run_id)
    assert run.seed == 7
    assert run.parameters["inputs"]["seeker_ids"] == sorted(s.id for s in seekers)
    assert set(run.parameters["inputs"]["weights"]) >= {"text", "skills"}


def test_xlsx_and_csv_exports_match_the_database(client, as_office, program, posts, seekers):
    run_id = _run(client, as_office, program_id=program.id, k=3)
    response = client.get(f"/api/v1/reports/match/{run_id}/export.xlsx", headers=as_office)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["说明 About", "岗位候选 Posts", "重点群体推荐 Seekers"]
    rows = list(book["岗位候选 Posts"].iter_rows(min_row=2, values_only=True))
    stored = db.session.execute(
        select(
            MatchResult.posting_id, MatchResult.rank, MatchResult.seeker_id, MatchResult.score
        ).where(MatchResult.run_id == run_id)
    ).all()
    results = db.session.scalars(select(MatchResult).where(MatchResult.run_id == run_id)).all()
    post_view = {
        (r.posting_id, r.rank, r.seeker_id, r.score)
        for r in results
        if r.reasons[0] == {"code": "view", "view": "post"}
    }
    assert {(r[0], r[5], r[6], r[8]) for r in rows if r[5] is not None} == post_view
    names = {s.id: s.name for s in seekers}
    assert all(r[7] == names[r[6]] for r in rows)
    seeker_rows = list(book["重点群体推荐 Seekers"].iter_rows(min_row=2, values_only=True))
    seeker_view = {(r.seeker_id, r.rank, r.posting_id) for r in results} - {
        (p[2], p[1], p[0]) for p in post_view
    }
    assert {(r[0], r[3], r[4]) for r in seeker_rows if r[3] is not None} <= {
        (s, rk, p) for s, rk, p in seeker_view
    } | {(s, rk, p) for p, rk, s, _ in stored}
    sheet = book["岗位候选 Posts"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["J"].width == 70
    about = dict(book["说明 About"].iter_rows(min_row=2, values_only=True))
    assert "at most 3" in about["曝光上限 Exposure cap"]
    response = client.get(
        f"/api/v1/reports/match/{run_id}/export.csv?view=seekers", headers=as_office
    )
    text = response.data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][0] == "求职者ID Seeker id"
    assert len(lines) - 1 == len(seeker_rows)


def test_push_recommendations_reach_the_seeker_and_count_as_services(
    client, as_office, as_seeker, program, posts, seekers
):
    run_id = _run(client, as_office, program_id=program.id, k=3)
    response = client.post(f"/api/v1/reports/match/{run_id}/push", headers=as_office)
    assert response.status_code == 200
    pushed = response.json["pushed"]
    assert pushed == 3 * 4
    again = client.post(f"/api/v1/reports/match/{run_id}/push", headers=as_office).json
    assert again["pushed"] == 0 and again["already_pushed"] == pushed
    assert db.session.scalar(select(db.func.count()).select_from(PushedRecommendation)) == pushed
    records = db.session.scalars(
        select(ServiceRecord).where(ServiceRecord.kind == "recommendation")
    ).all()
    assert len(records) == pushed and all(r.match_run_id == run_id for r in records)
    mine = client.get(f"/api/v1/seekers/{seekers[0].id}/office-recommendations", headers=as_seeker)
    assert mine.status_code == 200
    assert len(mine.json) == 3
    assert mine.json[0]["recommended_by"]["en"] == "Recommended by your employment office"
    assert mine.json[0]["posting"]["id"] == mine.json[0]["posting_id"]
    other = client.get(f"/api/v1/seekers/{seekers[1].id}/office-recommendations", headers=as_seeker)
    assert other.status_code == 403
    seeker = db.session.get(Seeker, seekers[0].id)
    assert [r["posting_id"] for r in pushed_recommendations(seeker)] == [
        r["posting_id"] for r in mine.json
    ]


def test_report_marks_education_and_employment_and_says_why_lists_are_short(
    client, as_office, hosts, posts, seekers
):
    """Issue 21 items 1 and 2 in the match report: requirement, availability, short lists."""
    post = PostingFactory(
        employer=hosts[0],
        title="软件测试工程师",
        occupation_code="4-04-05-02",
        skills=["Python", "SQL"],
        description="软件测试 Python SQL",
        min_education="master",
        slots=3,
    )
    below = SeekerFactory(
        name="强但学历低",
        education="junior_high",
        desired_occupations=["4-04-05-02"],
        skills=["Python", "SQL"],
        summary="软件测试 Python SQL 软件测试工程师",
    )
    master = SeekerFactory(name="硕士", education="master", summary="求职", employed=True)
    run_id = _run(client, as_office, district_code="500156", k=20, max_lists=50)
    report = client.get(f"/api/v1/reports/match/{run_id}", headers=as_office).json
    listed = next(p for p in report["posts"] if p["posting_id"] == post.id)
    ids = [c["seeker_id"] for c in listed["candidates"]]
    meets = {c["seeker_id"]: c["meets_education"] for c in listed["candidates"]}
    assert ids[0] == master.id and meets[master.id] and not meets[below.id]
    assert all(not meets[s] for s in ids[1:])
    employed = {c["seeker_id"]: c["employed"] for c in listed["candidates"]}
    assert employed[master.id] is True and employed[below.id] is False
    assert listed["short_reason"] == "too_few_candidates"
    assert report["summary"]["short_too_few"] >= 1
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    f"/api/v1/reports/match/{run_id}/export.csv", headers=as_office
                ).data.decode("utf-8-sig")
            )
        )
    )
    mine = [r for r in rows[1:] if r[0] == str(post.id)]
    assert {(r[6], r[10], r[11]) for r in mine} >= {
        (str(master.id), "是 Yes", "是 Yes"),
        (str(below.id), "否 No", "否 No"),
    }
    assert all("符合条件的候选人不够" in r[12] for r in mine)

    strict = _run(
        client,
        as_office,
        district_code="500156",
        k=20,
        max_lists=1,
        below_education="exclude",
        exclude_employed=True,
    )
    report = client.get(f"/api/v1/reports/match/{strict}", headers=as_office).json
    assert report["below_education"] == "exclude" and report["exclude_employed"] is True
    shown = {c["seeker_id"] for p in report["posts"] for c in p["candidates"]}
    assert master.id not in shown
    listed = next(p for p in report["posts"] if p["posting_id"] == post.id)
    assert below.id not in {c["seeker_id"] for c in listed["candidates"]}
    assert {p["short_reason"] for p in report["posts"]} >= {"exposure_cap"}
    assert report["summary"]["short_by_cap"] >= 1


def test_a_push_tells_each_seeker_once_and_a_second_push_tells_nobody(
    client, as_office, as_seeker, program, posts, seekers
):
    run_id = _run(client, as_office, program_id=program.id, k=3)
    client.post(f"/api/v1/reports/match/{run_id}/push", headers=as_office)
    client.post(f"/api/v1/reports/match/{run_id}/push", headers=as_office)
    told = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "recommendation")
    ).all()
    pushed_to = {p.seeker_id for p in db.session.scalars(select(PushedRecommendation))}
    assert sorted(m.seeker_id for m in told) == sorted(pushed_to) and len(pushed_to) == 4
    mine = next(m for m in told if m.seeker_id == seekers[0].id)
    assert mine.body.startswith("就业服务机构为您推荐了 3 个岗位")
    note = db.session.get(Notification, mine.notification_id)
    assert note.user_id == seekers[0].user_id and note.payload["run_id"] == run_id


def test_a_run_that_lost_the_database_is_marked_failed_once_it_is_back(
    office, posts, seekers, monkeypatch
):
    """A PostgreSQL restart mid-run: the failure is recorded when the database answers again."""
    lost = OperationalError("SELECT", {}, ConnectionError("database system is shutting down"))
    refusals = [lost, lost]
    real_commit = match_report.commit

    def commit_when_back(*, what):
        if what == "match report failed" and refusals:
            raise refusals.pop()
        real_commit(what=what)

    monkeypatch.setattr(match_report, "_compute", mock.Mock(side_effect=lost))
    monkeypatch.setattr(match_report, "commit", commit_when_back)
    monkeypatch.setattr(match_report, "DATABASE_WAIT", 0)
    with pytest.raises(OperationalError):
        match_report.start_report(office, "500156", background=False)
    assert not refusals
    db.session.expire_all()
    run = db.session.scalars(select(MatchRun)).one()
    assert run.status == "failed"
    assert "shutting down" in run.parameters["error"]


def test_a_run_that_lost_the_database_starts_over_once_it_is_back(
    office, posts, seekers, monkeypatch
):
    """A PostgreSQL restart ends the connection the run holds: it is computed again, once."""
    real_compute = match_report._compute
    tries = []

    def lose_the_first(run, progress):
        tries.append(run.id)
        if len(tries) == 1:
            raise OperationalError("UPDATE", {}, ConnectionError("terminating connection"))
        real_compute(run, progress)

    monkeypatch.setattr(match_report, "_compute", lose_the_first)
    monkeypatch.setattr(match_report, "DATABASE_WAIT", 0)
    run = match_report.start_report(office, "500156", background=False)
    assert len(tries) == 2
    assert run.status == "done"
    assert db.session.scalars(select(MatchResult).where(MatchResult.run_id == run.id)).first()
