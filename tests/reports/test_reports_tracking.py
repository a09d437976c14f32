"""1-3-1-1 files of difficult graduates, who still misses what, and monthly contact of the registered unemployed."""

import csv
import datetime as dt
import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, MatchRun, ServiceRecord
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


def test_a_push_of_a_match_run_is_not_a_contact(client, as_office, office, posts, seekers):
    long_term = seekers[8]
    run = MatchRun(kind="match_report", district_code="500156")
    db.session.add(run)
    db.session.flush()
    db.session.add(
        ServiceRecord(
            seeker_id=long_term.id,
            kind="recommendation",
            delivered_on=dt.date(2023, 10, 20),
            match_run_id=run.id,
            posting_id=posts[0].id,
        )
    )
    db.session.commit()
    report = tracking_report(office, None, dt.date(2023, 10, 31))
    assert [u["seeker_id"] for u in report["uncontacted"]] == [long_term.id]
    assert report["uncontacted"][0]["last_contact_on"] is None
    # An office's own recommendation, by a person, is a contact.
    _record(client, as_office, long_term, "recommendation", dt.date(2023, 10, 21), posts[1])
    assert tracking_report(office, None, dt.date(2023, 10, 31))["uncontacted"] == []


def test_the_contact_list_masks_phones_and_each_reveal_is_audited(
    client, as_office, as_beibei, office, seekers
):
    long_term = seekers[8]
    long_term.phone = "13812345678"
    db.session.commit()
    listed = client.get("/api/v1/reports/services?on=2023-10-31", headers=as_office).json
    row = listed["uncontacted"][0]
    assert row["phone_masked"] == "138****5678" and "phone" not in row
    url = f"/api/v1/seekers/{long_term.id}/phone"
    assert client.post(url, headers=as_beibei).status_code == 403
    shown = client.post(url, headers=as_office)
    assert shown.status_code == 200 and shown.json["phone"] == "13812345678"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reveal_phone")).all()
    assert [(e.user_id, e.entity_id) for e in events] == [(office.id, str(long_term.id))]
    assert "13812345678" not in str(events[0].after)


def test_the_contact_list_exports_with_phones_and_neutralised_cells(
    client, as_office, office, seekers
):
    long_term = seekers[8]
    long_term.phone = "13812345678"
    long_term.name = '=HYPERLINK("http://x")'
    db.session.commit()
    csv_text = client.get(
        "/api/v1/reports/services/contacts.csv?on=2023-10-31", headers=as_office
    ).data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(csv_text)))
    assert lines[1][:3] == [str(long_term.id), '\'=HYPERLINK("http://x")', "13812345678"]
    book = load_workbook(
        io.BytesIO(
            client.get(
                "/api/v1/reports/services/contacts.xlsx?on=2023-10-31", headers=as_office
            ).data
        )
    )
    sheet = book.active
    assert (
        sheet.cell(2, 2).value == '\'=HYPERLINK("http://x")' and sheet.cell(2, 2).data_type == "s"
    )
    assert sheet.cell(2, 3).value == "13812345678"
    exports = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export_contact_list")
    ).all()
    assert len(exports) == 2 and exports[0].after["seeker_ids"] == [long_term.id]
