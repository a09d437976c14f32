"""Placement across programs and rounds (issue 19 items 2 and 3): one pool, overrides that stick, floors over rounds."""

from app.extensions import db
from app.models import Program
from tests import scenario
from tests.factories import PostingFactory


def _propose(client, headers, program, **body):
    response = client.post(f"/api/v1/programs/{program.id}/placements", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def _override(client, headers, run, seeker_id, posting_id, reason="本人谢绝 / declined"):
    response = client.post(
        f"/api/v1/placements/{run['id']}/overrides",
        json={"seeker_id": seeker_id, "posting_id": posting_id, "reason": reason},
        headers=headers,
    )
    assert response.status_code == 200, response.json
    return response.json


def _people(run) -> set[int]:
    return {p["seeker_id"] for p in run["placements"]}


def test_two_programs_of_a_district_never_propose_the_same_person(
    client, ctx, program, posts, seekers, as_office
):
    other = scenario.program(key="wl-2023-other", quota=50, floor=0)
    scenario.posts(other, scenario.hosts(2))
    first = _propose(client, as_office, program)
    second = _propose(client, as_office, other)
    assert _people(first) and _people(second)
    assert not _people(first) & _people(second)
    for run in (second, first):
        confirmed = client.post(
            f"/api/v1/placements/{run['id']}/confirm",
            json={"start_date": "2023-11-01"},
            headers=as_office,
        )
        assert confirmed.status_code == 200
        assert confirmed.json["confirmation"]["refused"] == []


def test_second_round_does_not_put_a_declined_person_back(client, ctx, seekers, as_office):
    program = scenario.program(key="wl-one-post", quota=50, floor=0)
    [host] = scenario.hosts(1)
    post = PostingFactory(
        employer=host,
        kind="traineeship",
        program=program,
        slots=1,
        duration_months=6,
        title="软件测试员",
        occupation_code="4-04-05-02",
        skills=["Python", "SQL"],
        description="软件测试员见习岗位，需要 Python SQL",
    )
    first = _propose(client, as_office, program)
    [declined] = _people(first)
    after = _override(client, as_office, first, declined, None)
    second = _propose(client, as_office, program, after_run_id=after["id"])
    assert second["round"] == 2
    assert declined not in _people(second)
    assert {p["posting_id"] for p in second["placements"]} == {post.id}


def test_summary_is_recounted_after_an_override(client, ctx, program, posts, seekers, as_office):
    run = _propose(client, as_office, program)
    assert run["summary"]["placed"] == 5
    removed = run["placements"][0]
    after = _override(client, as_office, run, removed["seeker_id"], None)
    assert after["summary"]["placed"] == 4
    assert after["summary"]["floor"]["reached"] == 4
    assert str(removed["seeker_id"]) in after["summary"]["unplaced_seekers"]
    stored = client.get(f"/api/v1/placements/{run['id']}", headers=as_office).json
    assert stored["summary"] == after["summary"]


def test_second_rounds_floor_counts_the_first_round(
    client, ctx, program, posts, seekers, as_office
):
    program_row = db.session.get(Program, program.id)
    program_row.quota = 50
    db.session.commit()
    first = _propose(client, as_office, program, seed=1)
    assert first["summary"]["placed"] == 6
    _override(client, as_office, first, first["placements"][0]["seeker_id"], None)
    second = _propose(client, as_office, program, seed=1, after_run_id=first["id"])
    floor = second["summary"]["floor"]
    assert floor["reached"] == 5 + second["summary"]["placed"]
    assert f"{floor['reached']} of at least 6" in floor["message_en"]
    assert second["summary"]["kept_from_earlier_rounds"] == 5
