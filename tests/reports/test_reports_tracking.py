"""1-3-1-1 files of difficult graduates, who still misses what, and monthly contact of the registered unemployed."""

import datetime as dt

from app.services.reports.service_tracking import tracking_report


def _record(client, headers, seeker, kind, on=None, posting=None):
    body = {"seeker_id": seeker.id, "kind": kind}
    if on:
        body["delivered_on"] = on.isoformat()
    if posting:
        body["posting_id"] = posting.id
    response = client.post("/api/v1/services", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def test_package_counts_and_still_missing(client, as_office, office, posts, seekers):
    first = seekers[0]
    record = _record(client, as_office, first, "guidance", dt.date(2023, 9, 1))
    assert record["by_name"] == "wl_office" and record["delivered_on"] == "2023-09-01"
    for post in posts[:3]:
        _record(client, as_office, first, "recommendation", posting=post)
    _record(client, as_office, first, "training")
    _record(client, as_office, first, "traineeship", posting=posts[0])
    _record(client, as_office, seekers[1], "guidance")
    report = client.get("/api/v1/reports/services", headers=as_office).json
    assert report["difficult_graduates"] == 4 and report["complete"] == 1
    missing = {g["seeker_id"]: g["missing"] for g in report["still_missing"]}
    assert first.id not in missing
    assert missing[seekers[1].id] == {"recommendation": 3, "training": 1, "traineeship": 1}
    assert missing[seekers[2].id] == {
        "guidance": 1,
        "recommendation": 3,
        "training": 1,
        "traineeship": 1,
    }
    assert report["missing_totals"]["recommendation"] == 9
    file = client.get(f"/api/v1/seekers/{first.id}/services", headers=as_office).json
    assert file["package"]["complete"] and len(file["records"]) == 6
    assert file["records"][0]["kind"] == "guidance"


def test_registered_unemployed_not_contacted_in_a_month(client, as_office, office, seekers):
    long_term = seekers[8]
    report = tracking_report(office, None, dt.date(2023, 10, 31))
    assert [u["seeker_id"] for u in report["uncontacted"]] == [long_term.id]
    assert report["uncontacted"][0]["last_contact_on"] is None
    _record(client, as_office, long_term, "contact", dt.date(2023, 10, 15))
    assert tracking_report(office, None, dt.date(2023, 10, 31))["uncontacted"] == []
    later = tracking_report(office, None, dt.date(2023, 12, 1))["uncontacted"]
    assert later[0]["days_since_contact"] == 47


def test_services_are_validated(client, as_office, seekers):
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    bad = client.post(
        "/api/v1/services",
        json={"seeker_id": seekers[0].id, "kind": "contact", "delivered_on": future},
        headers=as_office,
    )
    assert bad.status_code == 422
    unknown = client.post(
        "/api/v1/services", json={"seeker_id": seekers[0].id, "kind": "party"}, headers=as_office
    )
    assert unknown.status_code == 422
