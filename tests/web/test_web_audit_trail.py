"""The audit trail (issue 18): seekers' own writes are recorded too, with the district they
concern; a district's office reads and exports its district's trail only, city staff and
admins all of it, filtered by person, posting, user, action and date; others are refused."""

import csv
import io

from app.extensions import db
from tests.factories import EmployerFactory, SeekerFactory, UserFactory
from tests.factories import login as api_login
from tests.web.conftest import login


def _world(ctx):
    seeker_a = UserFactory(role="seeker")
    SeekerFactory(user_id=seeker_a.id, name="甲")
    seeker_b = UserFactory(role="seeker")
    SeekerFactory(user_id=seeker_b.id, name="乙", district_code="500101", hukou_district="500101")
    db.session.commit()
    return {
        "seekA": seeker_a,
        "seekB": seeker_b,
        "offA": UserFactory(role="office", office_district="500156"),
        "offB": UserFactory(role="office", office_district="500101"),
        "city": UserFactory(role="office", office_district=None),
        "emp": UserFactory(role="employer", employer_id=EmployerFactory().id),
    }


def test_each_office_reads_its_districts_trail_and_seekers_writes_are_in_it(client, ctx):
    users = _world(ctx)
    for who, salary, district in (("seekA", "4500", "500156"), ("seekB", "5000", "500101")):
        login(client, users[who])
        saved = client.post(
            "/me/profile",
            data={
                "name": "甲" if who == "seekA" else "乙",
                "education": "bachelor",
                "expected_salary": salary,
                "district_code": district,
            },
        )
        assert saved.status_code == 302
    api = ctx.test_client()
    seeker_a_id = users["seekA"].seeker.id

    def events(who: str, **query) -> list[dict]:
        headers = api_login(api, users[who].username)
        response = api.get("/api/v1/audit-events", query_string=query, headers=headers)
        assert response.status_code == 200, response.json
        return response.json

    mine = events("offA", seeker_id=seeker_a_id)
    assert [e["action"] for e in mine] == ["update"] and mine[0]["district"] == "500156"
    assert mine[0]["after"]["expected_salary"] == 4500 and mine[0]["ip"]
    assert all(e["district"] == "500156" for e in events("offA"))
    assert {e["district"] for e in events("city") if e["action"] == "update"} == {
        "500156",
        "500101",
    }
    assert events("offB", seeker_id=seeker_a_id) == []
    assert events("offA", action="login") != [] and events("offA", since="2099-01-01") == []
    for who in ("seekA", "emp"):
        headers = api_login(api, users[who].username)
        assert api.get("/api/v1/audit-events", headers=headers).status_code == 403


def test_the_trail_page_filters_and_its_csv_export_is_itself_audited(client, ctx):
    users = _world(ctx)
    login(client, users["seekA"])
    client.post(
        "/me/profile",
        data={"name": "=HYPERLINK(1)", "education": "bachelor", "district_code": "500156"},
    )
    login(client, users["offA"])
    page = client.get(f"/office/audit?seeker_id={users['seekA'].seeker.id}")
    assert page.status_code == 200 and "update" in page.get_data(as_text=True)
    bad = client.get("/office/audit?since=not-a-date").get_data(as_text=True)
    assert 'id="since-error"' in bad
    download = client.get(f"/office/audit.csv?seeker_id={users['seekA'].seeker.id}")
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert rows[0][0] == "id" and len(rows) == 2
    assert "'=HYPERLINK" in download.data.decode("utf-8-sig")  # no live formula in the export
    again = client.get("/office/audit?action=audit_trail_exported").get_data(as_text=True)
    assert "audit_trail_exported" in again
    login(client, users["seekA"])
    assert client.get("/office/audit").status_code == 403


def test_every_download_is_audited_with_the_file_and_the_address(client, ctx):
    users = _world(ctx)
    login(client, users["offA"])
    response = client.get("/office/reports/dispatch.xlsx?period=2023-11")
    assert response.status_code == 200
    api = ctx.test_client()
    headers = api_login(api, users["city"].username)
    assert (
        api.get("/api/v1/reports/dispatch.xlsx?period=2023-11", headers=headers).status_code == 200
    )
    exports = api.get("/api/v1/audit-events?action=export", headers=headers).json
    assert [e["after"]["path"] for e in exports] == [
        "/api/v1/reports/dispatch.xlsx",
        "/office/reports/dispatch.xlsx",
    ]
    assert exports[1]["district"] == "500156" and exports[1]["ip"]
    assert exports[1]["after"]["file"].endswith(".xlsx")


def test_a_city_wide_write_is_filed_under_the_district_it_touches(client, ctx):
    users = _world(ctx)
    seeker_b = users["seekB"].seeker
    api = ctx.test_client()
    city = api_login(api, users["city"].username)
    done = api.post(
        f"/api/v1/seekers/{seeker_b.id}/confirmations", json={"facts": ["hukou"]}, headers=city
    )
    assert done.status_code == 200, done.json
    office_b = api_login(api, users["offB"].username)
    seen = api.get(
        "/api/v1/audit-events", query_string={"action": "confirm_facts"}, headers=office_b
    ).json
    assert [(e["district"], e["entity_id"]) for e in seen] == [("500101", str(seeker_b.id))]
    office_a = api_login(api, users["offA"].username)
    assert (
        api.get(
            "/api/v1/audit-events", query_string={"action": "confirm_facts"}, headers=office_a
        ).json
        == []
    )
