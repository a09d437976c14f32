import datetime as dt

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Program, Traineeship
from tests.factories import ProgramFactory


def propose(client, headers, program, **body):
    response = client.post(f"/api/v1/programs/{program.id}/placements", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def test_stable_proposal_respects_quota_eligibility_and_reports_floor(
    client, program, posts, seekers, as_office
):
    run = propose(client, as_office, program, mode="stable", seed=7)
    summary = run["summary"]
    placed = {p["seeker_id"] for p in run["placements"]}
    assert len(placed) == 5 == summary["placed"]  # 8 seats, 6 eligible, quota 5
    assert not placed & {seekers[6].id, seekers[7].id}
    assert summary["blocking_pairs"] == 0 and summary["capacity_problems"] == []
    assert summary["floor"]["shortfall"] == 1
    assert (
        "short by 1" in summary["floor"]["message_en"]
        and "尚缺 1" in summary["floor"]["message_zh"]
    )
    assert all(p["post_rank_of_seeker"] and p["seeker_rank_of_post"] for p in run["placements"])
    assert run["model_version"] and len(run["rulebook_version"]) == 64


def test_run_recomputes_identically_from_stored_inputs(
    client, ctx, program, posts, seekers, as_office
):
    run = propose(client, as_office, program, seed=3)
    again = client.post(f"/api/v1/placements/{run['id']}/recompute", headers=as_office)
    assert again.json == {"run_id": run["id"], "identical": True, "placed": 5}
    stored = client.get(f"/api/v1/placements/{run['id']}", headers=as_office).json
    assert stored["placements"] == run["placements"]


def test_best_total_mode_places_as_many_and_scores_at_least_as_much(
    client, program, posts, seekers, as_office
):
    stable = propose(client, as_office, program, mode="stable")["summary"]
    best = propose(client, as_office, program, mode="best_total")["summary"]
    assert best["placed"] == stable["placed"] == 5
    assert best["total_score"] >= stable["total_score"] - 1e-6


def test_override_with_reason_and_refusals(client, program, posts, seekers, as_office):
    run = propose(client, as_office, program)
    url = f"/api/v1/placements/{run['id']}/overrides"
    moved = run["placements"][0]
    ineligible = client.post(
        url,
        json={"seeker_id": seekers[6].id, "posting_id": posts[0].id, "reason": "试试"},
        headers=as_office,
    )
    assert ineligible.status_code == 422 and "seeker_id" in ineligible.json["errors"]
    no_reason = client.post(
        url, json={"seeker_id": moved["seeker_id"], "posting_id": None}, headers=as_office
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    removed = client.post(
        url,
        json={
            "seeker_id": moved["seeker_id"],
            "posting_id": None,
            "reason": "本人已就业 / found a job",
        },
        headers=as_office,
    )
    assert removed.status_code == 200
    assert moved["seeker_id"] not in {p["seeker_id"] for p in removed.json["placements"]}
    assert removed.json["overrides"][0]["reason"] == "本人已就业 / found a job"
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "override_placement")
        )
        == 1
    )


def test_second_round_keeps_first_round_and_fills_what_is_left(
    client, ctx, program, posts, seekers, as_office
):
    program_row = db.session.get(Program, program.id)
    program_row.quota = 50
    db.session.commit()
    first = propose(client, as_office, program, seed=1)
    url = f"/api/v1/placements/{first['id']}/overrides"
    dropped = first["placements"][0]["seeker_id"]
    client.post(
        url,
        json={"seeker_id": dropped, "posting_id": None, "reason": "暂缓 / deferred"},
        headers=as_office,
    )
    second = propose(client, as_office, program, seed=1, after_run_id=first["id"])
    assert second["round"] == 2
    assert {p["seeker_id"] for p in second["placements"]} == {dropped}


def test_confirm_turns_placements_into_traineeships(
    client, ctx, program, posts, seekers, as_office
):
    run = propose(client, as_office, program)
    confirmed = client.post(
        f"/api/v1/placements/{run['id']}/confirm",
        json={"start_date": "2023-11-01"},
        headers=as_office,
    )
    assert confirmed.status_code == 200, confirmed.json
    assert confirmed.json["status"] == "confirmed"
    assert (
        len(confirmed.json["confirmation"]["enrolled"]) == 5
        and confirmed.json["confirmation"]["refused"] == []
    )
    db.session.expire_all()
    assert db.session.get(Program, program.id).seats_taken == 5
    assert db.session.scalar(select(func.count()).select_from(Traineeship)) == 5
    again = client.post(
        f"/api/v1/placements/{run['id']}/confirm",
        json={"start_date": "2023-11-01"},
        headers=as_office,
    )
    assert again.status_code == 409
    assert (
        client.post(
            f"/api/v1/placements/{run['id']}/overrides",
            json={"seeker_id": seekers[0].id, "posting_id": None, "reason": "晚了"},
            headers=as_office,
        ).status_code
        == 409
    )


def test_seat_transfer_needs_unused_seats_and_records_approval(
    client, ctx, program, as_office, as_beibei_office
):
    public = ProgramFactory(key="wl-2023-pub", kind="public", quota=50, floor=50, monthly_rate=2100)
    body = {
        "from_program_id": public.id,
        "to_program_id": program.id,
        "seats": 10,
        "approval": "区就业领导小组 2023-11-20 会议同意",
    }
    assert (
        client.post(
            "/api/v1/programs/seat-transfers", json=body, headers=as_beibei_office
        ).status_code
        == 403
    )
    moved = client.post("/api/v1/programs/seat-transfers", json=body, headers=as_office)
    assert moved.status_code == 200
    assert [p["quota"] for p in moved.json] == [40, 15]
    too_many = client.post(
        "/api/v1/programs/seat-transfers", json={**body, "seats": 41}, headers=as_office
    )
    assert too_many.status_code == 409 and "seats" in too_many.json["errors"]
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "transfer_seats")
    ).one()
    assert event.after["approval"].startswith("区就业领导小组")


def test_other_districts_cannot_run_or_read_placements(
    client, program, posts, seekers, as_office, as_beibei_office
):
    assert (
        client.post(
            f"/api/v1/programs/{program.id}/placements", json={}, headers=as_beibei_office
        ).status_code
        == 403
    )
    run = propose(client, as_office, program)
    assert (
        client.get(f"/api/v1/placements/{run['id']}", headers=as_beibei_office).status_code == 403
    )
    assert client.get("/api/v1/placements/99999", headers=as_office).status_code == 404
    assert (
        client.post(
            f"/api/v1/programs/{program.id}/placements", json={"mode": "random"}, headers=as_office
        ).status_code
        == 422
    )
    assert dt.date.today().year >= 2023
