"""Employer traineeships with outcomes and subsidy; office settlement page, claim sheets and dashboard charts."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import SubsidyLine, Traineeship
from tests import scenario
from tests.factories import EmployerFactory, SeekerFactory, UserFactory
from tests.web.conftest import login

START = dt.date(2023, 7, 1)


@pytest.fixture
def hosted(ctx):
    """An enterprise program of 2023 with two hosts: one retained and one completed at A, one active at B."""
    prog = scenario.program(key="wl-ent-2023", quota=200, floor=200, starts_on=dt.date(2023, 1, 1))
    host_a, host_b = scenario.hosts()
    post_a, _a2, post_b, _b2 = scenario.posts(prog, [host_a, host_b])
    end = dt.date(2023, 12, 31)
    rows = [
        scenario.traineeship(SeekerFactory(name="留用者"), post_a, START, 6, "retained", end),
        scenario.traineeship(SeekerFactory(name="期满者"), post_a, START, 6, "completed", end),
        scenario.traineeship(SeekerFactory(name="在岗者"), post_b, START, 6),
    ]
    return {"program": prog, "hosts": (host_a, host_b), "rows": rows}


def test_employer_sees_trainees_retention_tier_and_records_an_outcome(client, hosted):
    host_b = hosted["hosts"][1]
    active = hosted["rows"][2]
    login(client, UserFactory(role="employer", employer_id=host_b.id))
    html = client.get("/employer/traineeships").get_data(as_text=True)
    assert "见习与补贴" in html and "在岗者" in html and "留用者" not in html
    assert "预计总额" in html and "补贴档次" in html
    assert f'id="t{active.id}-outcome"' in html and f'<label for="t{active.id}-ended_on">' in html
    assert 'href="/employer/traineeships"' in html
    url = f"/employer/traineeships/{active.id}/outcome"
    wrong = client.post(
        url, data={f"t{active.id}-outcome": "completed", f"t{active.id}-ended_on": "2023-10-01"}
    )
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and f'id="t{active.id}-ended_on-error"' in page
    assert "期满结束日期应为 2023-12-31" in page
    done = client.post(
        url, data={f"t{active.id}-outcome": "left_early", f"t{active.id}-ended_on": "2023-10-01"}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Traineeship, active.id).outcome == "left_early"
    assert "提前离岗" in client.get("/employer/traineeships").get_data(as_text=True)


def test_employer_sees_how_far_the_higher_tier_is(client, hosted):
    host_a = hosted["hosts"][0]
    login(client, UserFactory(role="employer", employer_id=host_a.id))
    html = client.get("/employer/traineeships").get_data(as_text=True)
    assert "50%" in html and 'class="notice notice-ok tier-distance"' in html


def test_employers_cannot_touch_other_hosts_trainees(client, hosted, office_user):
    other = UserFactory(role="employer", employer_id=EmployerFactory(name="别家").id)
    login(client, other)
    empty = client.get("/employer/traineeships").get_data(as_text=True)
    assert "暂无见习人员" in empty and "暂无补贴" in empty
    row = hosted["rows"][2]
    response = client.post(
        f"/employer/traineeships/{row.id}/outcome",
        data={f"t{row.id}-outcome": "left_early", f"t{row.id}-ended_on": "2023-10-01"},
    )
    assert response.status_code == 403
    login(client, office_user)
    assert client.get("/employer/traineeships").status_code == 403


def test_office_runs_and_reads_a_settlement_with_the_tier_chart(client, hosted, office_user):
    prog = hosted["program"]
    login(client, office_user)
    url = f"/office/programs/{prog.id}/settlement"
    empty = client.get(url).get_data(as_text=True)
    assert "尚未结算" in empty and '<label for="month">' in empty
    bad = client.post(url, data={"month": "2023-13"})
    assert bad.status_code == 422 and 'id="month-error"' in bad.get_data(as_text=True)
    done = client.post(url, data={"month": "2023-08"})
    assert done.status_code == 302 and done.headers["Location"].endswith("month=2023-08")
    assert db.session.scalar(select(func.count()).select_from(SubsidyLine)) > 0
    html = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "2023-08 补贴明细" in html and "依据条款" in html and "¥1,300" in html
    assert 'id="retention-chart"' in html and '"line": 50' in html
    host_a = hosted["hosts"][0]
    claim = f"/api/v1/programs/{prog.id}/claims.xlsx?host_id={host_a.id}&amp;month=2023-08"
    assert claim in html and "50%" in html
    sheet = client.get(claim.replace("&amp;", "&"))
    assert sheet.status_code == 200 and sheet.data[:2] == b"PK"
    english = client.get(done.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "Source clause" in english and '"Retention rate (%)": [50.0' in english
    dashboard = client.get("/office/").get_data(as_text=True)
    assert 'id="subsidy-chart"' in dashboard and '"2023-08"' in dashboard
    assert 'id="retention-chart"' in dashboard and "武隆见习基地0" in dashboard


def test_settlement_pages_are_for_the_district_office(client, hosted, employer_user):
    url = f"/office/programs/{hosted['program'].id}/settlement"
    login(client, UserFactory(role="office", office_district="500109"))
    assert client.get(url).status_code == 403
    assert client.post(url, data={"month": "2023-08"}).status_code == 403
    login(client, employer_user)
    assert client.get(url).status_code == 403


def test_dashboard_has_designed_empty_states_for_the_subsidy_charts(client, office_user):
    login(client, office_user)
    html = client.get("/office/").get_data(as_text=True)
    assert "尚未结算补贴" in html and "暂无留用率" in html


def test_an_employer_name_cannot_run_script_in_office_charts(client, hosted, office_user):
    payload = "</script><script>alert(1)</script>"
    hosted["hosts"][0].name = payload
    db.session.commit()
    login(client, office_user)
    prog = hosted["program"]
    client.post(f"/office/programs/{prog.id}/settlement", data={"month": "2023-08"})
    for url in ("/office/", f"/office/programs/{prog.id}/settlement?month=2023-08"):
        html = client.get(url).get_data(as_text=True)
        assert 'id="retention-data"' in html
        assert payload not in html and "<script>alert(1)" not in html
        assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in html  # kept as data
