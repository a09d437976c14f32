"""Rulebook targets (issue 20) in the early warning and the dispatch: what the service counts, year to date.

003 § (十七) 「全年筹集11万个见习岗位，大学生见习人数不少于1万人」 is a city-wide yearly target;
000 § 13 「全年脱贫人口就业规模不低于17410人」 is Wulong's, and the service does not hold it.
"""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import ServiceRecord, Traineeship
from app.services.reports.targets import target_progress
from app.services.rulebooks import default_files, load_files
from tests.factories import UserFactory, login

ON = dt.date(2023, 7, 2)  # day 183 of 365: the pace is half the yearly figure


@pytest.fixture
def year(program, posts, seekers):
    """Trainee posts published and traineeships started in 2023, and career guidance given."""
    load_files(default_files())
    for p in posts:
        p.published_at = dt.datetime(2023, 3, 1, tzinfo=dt.UTC)
    for seeker, post in zip(seekers[:3], posts[:3], strict=True):
        db.session.add(
            Traineeship(
                seeker_id=seeker.id,
                posting_id=post.id,
                program_id=post.program_id,
                host_id=post.employer_id,
                started_on=dt.date(2023, 4, 1),
                planned_months=6,
                outcome="active",
            )
        )
    for seeker in seekers[:4]:
        db.session.add(ServiceRecord(seeker_id=seeker.id, kind="guidance", delivered_on=ON))
    db.session.commit()
    return posts


def _by_figure(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["rule"], r["figure"]): r for r in rows}


def test_the_city_sees_its_targets_counted_against_the_pace_of_the_year(year):
    rows = _by_figure(target_progress(None, ON))
    trainee_slots = sum(p.slots for p in year if p.kind == "traineeship")
    posts = rows[("target.traineeship", "posts")]
    assert (posts["achieved"], posts["target"], posts["expected_by_now"]) == (
        trainee_slots,
        110000,
        int(110000 * 183 / 365),
    )
    assert posts["behind"] and posts["source"] == "003 § (十七)"
    assert "落后于进度" in posts["message"]["zh"]
    trainees = rows[("target.traineeship", "trainees_min")]
    assert (trainees["achieved"], trainees["share"]) == (3, round(3 / 10000, 4))
    assert rows[("target.career_guidance", "sessions_min")]["achieved"] == 4
    engineers = rows[("target.engineers", "engineers_min")]
    assert not engineers["counted"] and engineers["message"]["zh"] == "本系统不统计此项"
    assert "achieved" not in engineers


def test_a_district_sees_city_targets_as_city_wide_and_its_own_as_not_counted(year):
    rows = _by_figure(target_progress("500156", ON))
    city = rows[("target.traineeship", "trainees_min")]
    assert not city["counted"] and city["message"]["zh"] == "全市目标，按全市统计"
    poverty = rows[("target.poverty_alleviated_employment", "employed_min")]
    assert not poverty["counted"] and poverty["source"] == "000 § 13"


def test_early_warning_cli_and_api_flag_a_target_behind_pace(app, client, year):
    city = UserFactory(username="city_office", role="office", office_district=None)
    printed = app.test_cli_runner().invoke(
        args=["report", "early-warning", "--as", city.username, "--on", "2023-07-02"]
    )
    assert printed.exit_code == 0, printed.output
    assert "⚠ target.traineeship（003 § (十七)）见习岗位" in printed.output
    answer = client.get(
        "/api/v1/reports/targets?on=2023-07-02", headers=login(client, "city_office")
    )
    assert answer.status_code == 200, answer.json
    assert answer.json[0]["behind"] is True
    assert {r["rule"] for r in answer.json} >= {"target.traineeship", "target.engineers"}
    seeker_headers = login(client, UserFactory(role="seeker").username)
    assert client.get("/api/v1/reports/targets", headers=seeker_headers).status_code == 403


def test_the_dispatch_workbook_has_a_targets_sheet(client, year):
    UserFactory(username="city_xlsx", role="office", office_district=None)
    response = client.get(
        "/api/v1/reports/dispatch.xlsx?period=2023-06", headers=login(client, "city_xlsx")
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["目标 Targets"]
    rows = {(r[0], r[3]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    posts = rows[("target.traineeship", "posts")]
    assert posts[4] == 110000 and posts[5] == sum(p.slots for p in year if p.kind == "traineeship")
    assert rows[("target.engineers", "engineers_min")][5] is None
