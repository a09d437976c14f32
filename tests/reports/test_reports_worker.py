"""A match report runs as a background job through a real RQ worker on Redis, and from the CLI."""

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import MatchResult, MatchRun
from tests.workers import InProcessWorker


@pytest.mark.redis
def test_report_runs_on_a_worker_and_reports_progress(
    client, as_office, program, posts, seekers, redis_queue
):
    response = client.post(
        "/api/v1/reports/match", json={"program_id": program.id, "k": 3}, headers=as_office
    )
    assert response.status_code == 202
    assert response.json["status"] == "queued" and response.json["progress"] == 0.0
    run_id = response.json["id"]
    assert len(redis_queue) == 1
    waiting = client.get(f"/api/v1/reports/match/{run_id}", headers=as_office).json
    assert waiting["status"] == "queued" and waiting["posts"] == []
    worker = InProcessWorker([redis_queue], connection=redis_queue.connection)
    assert worker.work(burst=True)
    db.session.expire_all()
    done = client.get(f"/api/v1/reports/match/{run_id}", headers=as_office).json
    assert done["status"] == "done" and done["progress"] == 1.0 and done["stage"] == "done"
    assert all(p["candidates"] for p in done["posts"])
    assert db.session.get(MatchRun, run_id).parameters["job_id"]


def test_match_report_cli_writes_the_stored_run(app, ctx, program, posts, seekers, tmp_path):
    out = tmp_path / "report.xlsx"
    result = app.test_cli_runner().invoke(
        args=["match", "report", "--program", program.key, "--k", "3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "no seeker tops every list" in result.output
    run = db.session.scalar(select(MatchRun).order_by(MatchRun.id.desc()))
    assert run.status == "done" and run.created_by is None
    stored = db.session.scalars(select(MatchResult).where(MatchResult.run_id == run.id)).all()
    book = load_workbook(out)
    posts_rows = [r for r in book["岗位候选 Posts"].iter_rows(min_row=2, values_only=True) if r[5]]
    seeker_rows = [
        r for r in book["重点群体推荐 Seekers"].iter_rows(min_row=2, values_only=True) if r[3]
    ]
    assert len(posts_rows) + len(seeker_rows) == len(stored)
    both = app.test_cli_runner().invoke(
        args=["match", "report", "--program", program.key, "--district", "500156"]
    )
    assert both.exit_code != 0
