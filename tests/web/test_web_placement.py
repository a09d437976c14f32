"""Office placement pages: propose, override, second round, confirm, seat transfer, traineeship register."""

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import MatchRun, Program, Traineeship
from tests import scenario
from tests.factories import ProgramFactory, UserFactory
from tests.factories import login as api_login
from tests.web.conftest import login


@pytest.fixture
def wulong(ctx):
    """A program with two hosts, four trainee posts and seven seekers (six eligible)."""
    prog = scenario.program()
    host_list = scenario.hosts()
    return {
        "program": prog,
        "hosts": host_list,
        "posts": scenario.posts(prog, host_list),
        "seekers": scenario.graduates(),
    }


def propose(client, program_id: int, **form) -> str:
    """Propose through the form; the URL of the run page."""
    response = client.post(
        f"/office/programs/{program_id}/placements", data={"mode": "stable", "seed": 0, **form}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def test_placement_page_renders_for_the_district_office_only(
    client, wulong, office_user, employer_user
):
    url = f"/office/programs/{wulong['program'].id}/placements"
    login(client, office_user)
    html = client.get(url).get_data(as_text=True)
    assert "生成安置方案" in html and 'name="csrf_token"' in html and "暂无方案" in html
    assert '<label for="mode">' in html and '<label for="seed">' in html
    programs = client.get("/office/programs").get_data(as_text=True)
    assert f'href="{url}"' in programs
    login(client, UserFactory(role="office", office_district="500109"))
    assert client.get(url).status_code == 403
    assert client.post(url, data={"mode": "stable", "seed": 0}).status_code == 403
    login(client, employer_user)
    assert client.get(url).status_code == 403


def test_propose_review_override_and_confirm_from_the_pages(client, wulong, office_user):
    login(client, office_user)
    program_id = wulong["program"].id
    bad = client.post(
        f"/office/programs/{program_id}/placements", data={"mode": "random", "seed": -1}
    )
    assert bad.status_code == 422 and 'id="seed-error"' in bad.get_data(as_text=True)
    db.session.add(MatchRun(kind="match_report", district_code="500156"))
    db.session.commit()
    run_url = propose(client, program_id)
    html = client.get(run_url).get_data(as_text=True)
    assert "<h1>方案 #1</h1>" in html  # numbered apart from the match report that took id 1
    assert "尚缺 1" in html and "已安置" in html and "岗位对其排名" in html
    assert html.count("<tr>") == 6 and "武隆见习基地0" in html
    assert html.index('id="confirm-title"') < html.index('id="placements-title"')  # decision on top
    technical = html.split('<details class="technical">')[1].split("</details>")[0]
    assert "阻塞" in technical and "规则库" in technical  # jargon behind a details toggle
    english = client.get(run_url + "?lang=en").get_data(as_text=True)
    assert "short by 1" in english and "Blocking pairs" in english
    run_id = int(run_url.rsplit("/", 1)[1])
    placed = db.session.get(MatchRun, run_id).results[0]
    no_reason = client.post(
        f"/office/placements/{run_id}/override",
        data={"seeker_id": placed.seeker_id, "posting_id": "", "reason": ""},
    )
    assert no_reason.status_code == 422
    assert 'id="reason-error"' in no_reason.get_data(as_text=True)
    choices = no_reason.get_data(as_text=True).split('id="seeker_id"')[1].split("</select>")[0]
    offered = set(re.findall(r'<option value="(\d+)"', choices))
    assert offered and offered <= {str(s.id) for s in wulong["seekers"][:6]}
    removed = client.post(
        f"/office/placements/{run_id}/override",
        data={"seeker_id": placed.seeker_id, "posting_id": "", "reason": "本人已就业"},
    )
    assert removed.status_code == 302
    db.session.expire_all()
    assert db.session.get(MatchRun, run_id).parameters["overrides"][0]["reason"] == "本人已就业"
    no_date = client.post(f"/office/placements/{run_id}/confirm", data={"start_date": ""})
    assert no_date.status_code == 422 and 'id="start_date-error"' in no_date.get_data(as_text=True)
    outside = client.post(f"/office/placements/{run_id}/confirm", data={"start_date": "2024-03-01"})
    assert outside.status_code == 302
    db.session.expire_all()
    confirmed = db.session.get(MatchRun, run_id)
    refused = confirmed.parameters["confirmation"]["refused"]
    assert confirmed.status == "confirmed" and len(refused) == 4
    html = client.get(run_url).get_data(as_text=True)
    assert "未通过" in html and "开始日期应在计划期内" in html and "生成第二轮方案" not in html


def test_confirm_enrols_and_the_register_lists_the_trainees(client, wulong, office_user):
    login(client, office_user)
    run_url = propose(client, wulong["program"].id, mode="best_total", seed=3)
    run_id = int(run_url.rsplit("/", 1)[1])
    done = client.post(f"/office/placements/{run_id}/confirm", data={"start_date": "2023-11-01"})
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "已确认：录入 5 人，未通过 0 人" in page and "全部录入" in page
    assert db.session.scalar(select(func.count()).select_from(Traineeship)) == 5
    register = client.get("/office/traineeships").get_data(as_text=True)
    assert "共 5 条见习" in register and "见习中" in register
    host = wulong["hosts"][0]
    filtered = client.get(f"/office/traineeships?host_id={host.id}&outcome=active")
    assert host.name in filtered.get_data(as_text=True)
    none = client.get("/office/traineeships?outcome=retained").get_data(as_text=True)
    assert "没有符合筛选条件的见习" in none
    login(client, UserFactory(role="office", office_district="500109"))
    assert "共 0 条见习" in client.get("/office/traineeships").get_data(as_text=True)
    assert client.get(run_url).status_code == 403


def test_second_round_keeps_the_first_rounds_placements(client, wulong, office_user):
    program = db.session.get(Program, wulong["program"].id)
    program.quota = 50
    db.session.commit()
    login(client, office_user)
    run_url = propose(client, program.id, seed=1)
    run_id = int(run_url.rsplit("/", 1)[1])
    dropped = db.session.get(MatchRun, run_id).results[0].seeker_id
    client.post(
        f"/office/placements/{run_id}/override",
        data={"seeker_id": dropped, "posting_id": "", "reason": "暂缓"},
    )
    again = client.post(
        f"/office/placements/{run_id}/second-round", data={"mode": "stable", "seed": 1}
    )
    assert again.status_code == 302 and again.headers["Location"] != run_url
    html = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "第 2 轮" in html


def test_seat_transfer_needs_an_approval_and_moves_seats(client, wulong, office_user):
    public = ProgramFactory(key="wl-pub", kind="public", quota=50, floor=50, monthly_rate=2100)
    login(client, office_user)
    url = f"/office/programs/{public.id}/seat-transfer"
    data = {"to_program_id": wulong["program"].id, "seats": 10, "approval": ""}
    missing = client.post(url, data=data)
    assert missing.status_code == 422 and 'id="approval-error"' in missing.get_data(as_text=True)
    too_many = client.post(url, data={**data, "seats": 51, "approval": "领导小组同意"})
    assert too_many.status_code == 422 and 'id="seats-error"' in too_many.get_data(as_text=True)
    moved = client.post(url, data={**data, "approval": "区就业领导小组 2023-11-20 会议同意"})
    assert moved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Program, public.id).quota == 40
    assert db.session.get(Program, wulong["program"].id).quota == 15


def test_register_is_for_offices(client, ctx, employer_user, seeker_user):
    login(client, employer_user)
    assert client.get("/office/traineeships").status_code == 403
    login(client, seeker_user)
    assert client.get("/office/traineeships").status_code == 403


def test_register_flags_a_traineeship_past_its_planned_end(client, wulong, office_user):
    post = wulong["posts"][0]
    trainee = Traineeship(
        seeker_id=wulong["seekers"][0].id,
        posting_id=post.id,
        program_id=wulong["program"].id,
        host_id=post.employer_id,
        started_on=dt.date(2023, 10, 7),
        planned_months=12,
    )
    db.session.add(trainee)
    db.session.commit()
    login(client, office_user)
    later = client.get("/office/traineeships?on=2026-01-10").get_data(as_text=True)
    assert "已过计划结束日，待登记结果" in later and "status-active" not in later
    during = client.get("/office/traineeships?on=2024-03-01").get_data(as_text=True)
    assert "status-active" in during and "待登记结果" not in during
    header = api_login(client, office_user.username)
    found = client.get(f"/api/v1/traineeships/{trainee.id}", headers=header).json
    assert found["planned_end"] == "2024-10-06" and found["awaiting_outcome"] is True
