"""Early warning: fill against floor and quota over time, projected to the program's end."""

import datetime as dt

from app.extensions import db
from app.models import Traineeship
from app.services.reports.early_warning import early_warnings, program_progress
from tests.factories import PostingFactory, ProgramFactory


def _start(seeker, post, day):
    db.session.add(
        Traineeship(
            seeker_id=seeker.id,
            posting_id=post.id,
            program_id=post.program_id,
            host_id=post.employer_id,
            started_on=day,
            planned_months=6,
        )
    )


def test_program_behind_pace_is_flagged_with_what_it_needs(office, program, posts, seekers):
    for p in posts:
        p.published_at = dt.datetime(2023, 10, 8, tzinfo=dt.UTC)
    _start(seekers[0], posts[0], dt.date(2023, 10, 10))
    _start(seekers[1], posts[1], dt.date(2023, 10, 20))
    db.session.commit()
    row = program_progress(program, dt.date(2023, 11, 5))
    assert row["phase"] == "running" and row["placements"] == 2 and row["posts"] == 8
    assert row["days_elapsed"] == 30 and row["days_left"] == 56
    # 2 in 30 days → 2 + 2/30 × 56 = 5.7 → 5 projected, floor 10.
    assert row["projected"]["placements"] == 5
    assert row["at_risk"]
    assert row["needs"] == {"placements": 8, "posts": 2, "placements_per_week": 1.0}
    assert "below its floor of 10" in row["message"]["en"]
    assert row["timeline"][0]["on"] == program.starts_on
    assert row["timeline"][-1] == {"on": dt.date(2023, 11, 5), "posts": 8, "placements": 2}


def test_on_course_program_comes_after_the_ones_at_risk(office, program, posts, seekers):
    easy = ProgramFactory(
        key="wl-easy",
        floor=1,
        quota=5,
        starts_on=dt.date(2023, 10, 7),
        ends_on=dt.date(2023, 12, 31),
    )
    for p in posts:
        p.published_at = dt.datetime(2023, 10, 8, tzinfo=dt.UTC)
    easy_post = PostingFactory(
        employer=posts[0].employer, kind="traineeship", program=easy, duration_months=6
    )
    _start(seekers[0], posts[0], dt.date(2023, 10, 10))
    _start(seekers[1], easy_post, dt.date(2023, 10, 12))
    db.session.commit()
    rows = early_warnings(office, None, dt.date(2023, 11, 5))
    assert [r["program_key"] for r in rows] == [program.key, easy.key]
    assert rows[0]["at_risk"] and not rows[1]["at_risk"]
    assert rows[1]["needs"]["placements"] == 0


def test_api_lists_programs(client, as_office, program):
    response = client.get("/api/v1/reports/early-warning?on=2023-10-01", headers=as_office)
    assert response.status_code == 200
    assert response.json[0]["phase"] == "not_started" and not response.json[0]["at_risk"]


def test_ended_program_says_so(office, program, posts, seekers):
    _start(seekers[0], posts[0], dt.date(2023, 10, 10))
    db.session.commit()
    row = program_progress(program, dt.date(2024, 2, 1))
    assert row["phase"] == "ended" and row["days_left"] == 0
    assert row["projected"]["placements"] == 1
    # An ended program can no longer be "at risk": it missed its floor.
    assert not row["at_risk"] and row["missed_floor"]
    assert row["needs"]["placements"] == 0
    assert row["message"]["en"].endswith("ended with 1 placements against a floor of 10")


def test_cli_takes_on_and_says_an_ended_program_missed_its_floor(
    app, office, program, posts, seekers
):
    _start(seekers[0], posts[0], dt.date(2023, 10, 10))
    db.session.commit()
    runner = app.test_cli_runner()
    ended = runner.invoke(
        args=["report", "early-warning", "--as", office.username, "--on", "2024-02-01"]
    )
    assert ended.exit_code == 0, ended.output
    assert "已结束，安置 1 人，下限 10" in ended.output and "⚠" in ended.output
    running = runner.invoke(
        args=["report", "early-warning", "--as", office.username, "--on", "2023-11-05"]
    )
    assert "低于下限 10" in running.output
    bad = runner.invoke(args=["report", "early-warning", "--on", "2024-13-01"])
    assert bad.exit_code == 2 and "--on" in bad.output
