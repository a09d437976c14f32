"""Reports are for offices, each over its own district; employers and seekers are refused."""

from app.services.reports.match_report import list_runs


def test_other_district_office_is_refused(client, as_office, as_beibei, program, posts, seekers):
    response = client.post(
        "/api/v1/reports/match", json={"program_id": program.id}, headers=as_beibei
    )
    assert response.status_code == 403
    response = client.post(
        "/api/v1/reports/match", json={"district_code": "500156"}, headers=as_beibei
    )
    assert response.status_code == 403
    run = client.post("/api/v1/reports/match", json={"program_id": program.id}, headers=as_office)
    run_id = run.json["id"]
    for path in ("", "/export.xlsx", "/export.csv"):
        assert (
            client.get(f"/api/v1/reports/match/{run_id}{path}", headers=as_beibei).status_code
            == 403
        )
    assert client.post(f"/api/v1/reports/match/{run_id}/push", headers=as_beibei).status_code == 403
    assert client.get("/api/v1/reports/match", headers=as_beibei).json == []
    assert [r["id"] for r in client.get("/api/v1/reports/match", headers=as_office).json] == [
        run_id
    ]
    for path in (
        "/api/v1/reports/dispatch?period=2023-10&district_code=500156",
        "/api/v1/reports/services?district_code=500156",
        "/api/v1/reports/early-warning?district_code=500156",
        "/api/v1/reports/fairness?district_code=500156",
        f"/api/v1/reports/fairness?run_id={run_id}",
        f"/api/v1/seekers/{seekers[0].id}/services",
    ):
        assert client.get(path, headers=as_beibei).status_code == 403, path
    response = client.post(
        "/api/v1/services", json={"seeker_id": seekers[0].id, "kind": "contact"}, headers=as_beibei
    )
    assert response.status_code == 403


def test_employers_and_seekers_are_refused(client, as_host, as_seeker, program, posts, seekers):
    for headers in (as_host, as_seeker):
        assert (
            client.post(
                "/api/v1/reports/match", json={"program_id": program.id}, headers=headers
            ).status_code
            == 403
        )
        for path in (
            "/api/v1/reports/match",
            "/api/v1/reports/dispatch?period=2023-10",
            "/api/v1/reports/dispatch.xlsx?period=2023-10",
            "/api/v1/reports/services",
            "/api/v1/reports/early-warning",
            "/api/v1/reports/fairness",
        ):
            assert client.get(path, headers=headers).status_code == 403, path


def test_one_scope_is_required(client, as_office):
    response = client.post("/api/v1/reports/match", json={}, headers=as_office)
    assert response.status_code == 422
    response = client.post(
        "/api/v1/reports/match",
        json={"district_code": "500156", "program_id": 1},
        headers=as_office,
    )
    assert response.status_code == 422


def test_city_office_sees_every_district(client, as_city, as_office, program, posts, seekers, ctx):
    client.post("/api/v1/reports/match", json={"program_id": program.id}, headers=as_office)
    assert len(client.get("/api/v1/reports/match", headers=as_city).json) == 1
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User

    city = db.session.scalar(select(User).where(User.username == "city_office"))
    assert len(list_runs(city)) == 1
