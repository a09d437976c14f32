"""Fairness report: outcomes by protected attribute, with ratios to the best group."""

import datetime as dt

from app.extensions import db
from app.models import Traineeship
from app.services.reports.fairness import age_band, fairness_report


def test_age_bands():
    on = dt.date(2023, 10, 1)
    assert age_band(dt.date(2001, 10, 2), on) == "16-24"
    assert age_band(dt.date(1998, 10, 1), on) == "25-34"
    assert age_band(dt.date(1960, 1, 1), on) == "55+"


def test_groups_and_ranking_outcomes(client, as_office, office, program, posts, seekers):
    run = client.post(
        "/api/v1/reports/match", json={"program_id": program.id, "k": 3}, headers=as_office
    ).json
    db.session.add(
        Traineeship(
            seeker_id=seekers[0].id,
            posting_id=posts[0].id,
            program_id=program.id,
            host_id=posts[0].employer_id,
            started_on=dt.date(2023, 10, 10),
            planned_months=6,
        )
    )
    db.session.commit()
    report = fairness_report(office, None, None, dt.date(2023, 10, 31))
    assert report["run_id"] == run["id"] and report["seekers"] == 10
    gender = {g["group"]: g for g in report["attributes"]["gender"]}
    assert gender["F"]["seekers"] == 4 and gender["F"]["placed"] == 1
    assert gender["F"]["placement_rate"] == 0.25
    assert gender["unknown"]["seekers"] == 2
    hukou = {g["group"]: g for g in report["attributes"]["hukou"]}
    assert hukou["local"]["seekers"] == 10
    ages = {g["group"]: g["seekers"] for g in report["attributes"]["age_band"]}
    assert ages == {"16-24": 8, "25-34": 2}
    shown = sum(g["shown"] for g in report["attributes"]["disability"])
    assert shown == len(
        {
            c["seeker_id"]
            for p in client.get(f"/api/v1/reports/match/{run['id']}", headers=as_office).json[
                "posts"
            ]
            for c in p["candidates"]
        }
    )
    assert all(not g["placement_rate_flag"] for g in report["attributes"]["gender"])
    api = client.get("/api/v1/reports/fairness?on=2023-10-31", headers=as_office)
    assert api.status_code == 200 and api.json["attributes"]["gender"][0]["group"] == "F"
