"""Office report pages: match report runs, push to seekers, dispatch, fairness and the early warning."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import MatchRun, Traineeship
from app.services.rulebooks import default_files, load_files
from tests import scenario
from tests.factories import PostingFactory, SeekerFactory, UserFactory
from tests.web.conftest import login

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def no_redis(app, monkeypatch):
    """Reports run inline in these tests."""
    monkeypatch.setitem(app.config, "REDIS_URL", None)


@pytest.fixture
def wulong(ctx):
    """A program with trainee posts and graduates, two of them difficult graduates with accounts."""
    prog = scenario.program()
    host_list = scenario.hosts()
    people = scenario.graduates()
    accounts = []
    for person in people[:2]:
        user = UserFactory(role="seeker")
        person.user_id = user.id
        person.priority_groups = ["difficult_graduate", "graduate_2y"]
        accounts.append(user)
    db.session.commit()
    return {
        "program": prog,
        "posts": scenario.posts(prog, host_list),
        "seekers": people,
        "accounts": accounts,
    }


def run_report(client, **form) -> str:
    """Start a report through the form; the URL of its page."""
    response = client.post(
        "/office/reports/match", data={"district_code": "500156", "k": 3, "max_lists": 3, **form}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def test_match_report_form_renders_for_the_office_only(client, office_user, employer_user):
    login(client, office_user)
    html = client.get("/office/reports/match").get_data(as_text=True)
    assert '<label for="district_code">' in html and '<label for="k">' in html
    assert '<label for="max_lists">' in html and 'name="csrf_token"' in html
    assert "暂无匹配报告" in html
    assert 'href="/office/reports/match"' in client.get("/office/").get_data(as_text=True)
    login(client, employer_user)
    assert client.get("/office/reports/match").status_code == 403
    assert client.post("/office/reports/match", data={"k": 3}).status_code == 403


def test_match_report_form_errors_sit_next_to_their_fields(client, office_user):
    login(client, office_user)
    response = client.post("/office/reports/match", data={"district_code": "", "k": 99})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="k-error"' in html and "1 到 50" in html
    response = client.post(
        "/office/reports/match", data={"district_code": "", "k": 3, "max_lists": 3}
    )
    assert response.status_code == 422
    assert 'id="district_code-error"' in response.get_data(as_text=True)


def test_a_report_runs_inline_and_shows_lists_recommendations_and_exports(
    client, wulong, office_user
):
    login(client, office_user)
    url = run_report(client)
    html = client.get(url).get_data(as_text=True)
    assert "已完成" in html and "曝光上限" in html
    assert "软件测试员" in html and "见习生0" in html
    assert 'hx-trigger="every 2s"' not in html
    run_id = int(url.rsplit("/", 1)[1])
    xlsx = client.get(f"/office/reports/match/{run_id}/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype == XLSX
    assert load_workbook(io.BytesIO(xlsx.data)).sheetnames
    csv = client.get(f"/office/reports/match/{run_id}/export.csv?view=seekers")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    listing = client.get("/office/reports/match").get_data(as_text=True)
    assert f'href="/office/reports/match/{run_id}"' in listing
    english = client.get(url + "?lang=en").get_data(as_text=True)
    assert "Exposure cap" in english and "Candidates for each open post" in english


def test_a_running_report_polls_its_status(client, wulong, office_user):
    from app.models import MatchRun
    from app.services.reports import match_report

    login(client, office_user)
    run = match_report.start_report(office_user, "500156", None, 3, 3, 0)
    run.status = "running"
    run.parameters = {**run.parameters, "progress": 0.4, "stage": "ranking"}
    db.session.commit()
    html = client.get(f"/office/reports/match/{run.id}").get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in html and "40%" in html
    fragment = client.get(f"/office/reports/match/{run.id}/status")
    assert "HX-Refresh" not in fragment.headers and "<progress" in fragment.get_data(as_text=True)
    db.session.get(MatchRun, run.id).status = "done"
    db.session.commit()
    assert client.get(f"/office/reports/match/{run.id}/status").headers["HX-Refresh"] == "true"


def test_another_district_cannot_open_a_run(client, wulong, office_user):
    login(client, office_user)
    run_id = int(run_report(client).rsplit("/", 1)[1])
    login(client, UserFactory(role="office", office_district="500109"))
    for suffix in ("", "/status", "/export.xlsx", "/export.csv"):
        assert client.get(f"/office/reports/match/{run_id}{suffix}").status_code == 403
    assert client.post(f"/office/reports/match/{run_id}/push").status_code == 403


def test_pushed_recommendations_show_on_the_seekers_page(client, wulong, office_user):
    login(client, office_user)
    url = run_report(client)
    response = client.post(url + "/push", follow_redirects=True)
    assert "已推送" in response.get_data(as_text=True)
    login(client, wulong["accounts"][0])
    html = client.get("/me/recommended").get_data(as_text=True)
    assert "就业服务机构为您推荐" in html and 'id="office-rec-' in html
    assert html.index("就业服务机构为您推荐") < html.index("按您的资料排序")


def test_dispatch_page_shows_figures_charts_and_downloads_xlsx(client, wulong, office_user):
    login(client, office_user)
    html = client.get("/office/reports/dispatch?period=2023-Q4").get_data(as_text=True)
    assert "月度调度" in html and 'id="graduates-data"' in html and '"line": 90' in html
    assert 'id="flows-chart"' in html and "2023-12" in html
    xlsx = client.get("/office/reports/dispatch.xlsx?period=2023-11")
    assert xlsx.status_code == 200 and xlsx.mimetype == XLSX
    assert "月调度 Summary" in load_workbook(io.BytesIO(xlsx.data)).sheetnames


def test_dispatch_opens_on_the_latest_month_with_data_and_offers_the_programs_period(
    client, wulong, office_user
):
    scenario.traineeship(wulong["seekers"][0], wulong["posts"][0], dt.date(2023, 11, 1), 6)
    db.session.commit()
    login(client, office_user)
    html = client.get("/office/reports/dispatch").get_data(as_text=True)
    assert 'name="period" value="2023-11"' in html
    program = wulong["program"]
    assert 'href="/office/reports/dispatch?period=2023-Q4"' in html and program.name in html


def test_dispatch_period_error_sits_next_to_the_field(client, office_user, seeker_user):
    login(client, office_user)
    response = client.get("/office/reports/dispatch?period=2023-13")
    assert response.status_code == 422
    assert 'id="period-error"' in response.get_data(as_text=True)
    login(client, seeker_user)
    assert client.get("/office/reports/dispatch").status_code == 403
    assert client.get("/office/reports/dispatch.xlsx").status_code == 403


def test_fairness_page_has_a_table_per_attribute(client, wulong, office_user, employer_user):
    login(client, office_user)
    html = client.get("/office/reports/fairness").get_data(as_text=True)
    for heading in ("居住区县", "户籍", "性别", "年龄段", "残疾"):
        assert heading in html
    assert 'id="gender-chart"' in html
    as_of = client.get("/office/reports/fairness?on=2023-11-01").get_data(as_text=True)
    assert 'name="on" value="2023-11-01"' in as_of
    assert client.get("/office/reports/fairness?on=2023-11-31").status_code == 422
    login(client, employer_user)
    assert client.get("/office/reports/fairness").status_code == 403


def test_fairness_page_without_seekers_is_an_empty_state(client, office_user):
    login(client, office_user)
    assert "暂无求职者" in client.get("/office/reports/fairness").get_data(as_text=True)


def test_dashboard_flags_a_program_on_course_to_miss_its_floor(client, office_user):
    today = dt.date.today()
    program = scenario.program(
        key="wl-behind",
        floor=10,
        quota=20,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
    )
    host = scenario.hosts(1)[0]
    post = PostingFactory(
        employer=host, kind="traineeship", program_id=program.id, slots=2, duration_months=6
    )
    seeker = SeekerFactory()
    db.session.add(
        Traineeship(
            seeker_id=seeker.id,
            posting_id=post.id,
            program_id=program.id,
            host_id=host.id,
            started_on=today - dt.timedelta(days=20),
            planned_months=6,
        )
    )
    db.session.commit()
    login(client, office_user)
    html = client.get("/office/").get_data(as_text=True)
    assert 'id="early-warning"' in html and "有未达下限的风险" in html
    assert "还需安置 9 人" in html


def test_dashboard_as_of_a_day_after_a_program_ended_shows_it_missed_the_floor(client, office_user):
    program = scenario.program(
        key="wl-ended",
        floor=10,
        quota=20,
        starts_on=dt.date(2023, 7, 1),
        ends_on=dt.date(2023, 12, 31),
    )
    host = scenario.hosts(1)[0]
    post = PostingFactory(
        employer=host, kind="traineeship", program_id=program.id, slots=2, duration_months=6
    )
    db.session.add(
        Traineeship(
            seeker_id=SeekerFactory().id,
            posting_id=post.id,
            program_id=program.id,
            host_id=host.id,
            started_on=dt.date(2023, 8, 1),
            planned_months=6,
        )
    )
    db.session.commit()
    login(client, office_user)
    ended = client.get("/office/").get_data(as_text=True)
    assert "有未达下限的风险" not in ended and "已结束，未达下限" in ended
    running = client.get("/office/?on=2023-09-01").get_data(as_text=True)
    assert "有未达下限的风险" in running and 'value="2023-09-01"' in running
    assert client.get("/office/?on=2023-02-30").status_code == 422


def test_match_reports_are_numbered_apart_from_placement_proposals(client, wulong, office_user):
    proposal = MatchRun(kind="placement", district_code="500156")
    db.session.add(proposal)
    db.session.commit()
    login(client, office_user)
    url = run_report(client)
    html = client.get(url).get_data(as_text=True)
    run_id = int(url.rsplit("/", 1)[1])
    assert run_id > proposal.id  # the shared id sequence: the report's id is not its number
    assert "第 1 号报告" in html and f"第 {run_id} 号报告" not in html
    assert "第 1 号报告" in client.get("/office/reports/match").get_data(as_text=True)


def test_dashboard_early_warning_flags_a_rulebook_target_behind_the_pace(client, wulong):
    """003 § (十七) 「全年筹集11万个见习岗位，大学生见习人数不少于1万人」: by 2 July 2023 (day 183 of 365)
    the pace is 55,150 posts; the few trainee posts published are behind it, with rule and clause."""
    load_files(default_files())
    for post in wulong["posts"]:
        post.published_at = dt.datetime(2023, 3, 1, tzinfo=dt.UTC)
    db.session.commit()
    slots = sum(p.slots for p in wulong["posts"] if p.kind == "traineeship")
    login(client, UserFactory(role="office", office_district=None))
    html = client.get("/office/?on=2023-07-02").get_data(as_text=True)
    section = html[html.index('id="targets"') :]
    row = section[
        section.index("target.traineeship") : section.index("</tr>", section.index("见习岗位"))
    ]
    assert "003 § (十七)" in row and "落后于进度" in row
    assert "110,000" in row and f"{slots:,}" in row and "55,150" in row
    assert (
        "本系统不统计此项" in section
    )  # 003 § (十六) engineers: a figure the service does not hold
    english = client.get("/office/?on=2023-07-02&lang=en").get_data(as_text=True)
    assert "Behind the pace" in english and "not counted by the service" in english


def test_dashboard_shows_a_districts_own_targets_as_not_counted(client, office_user):
    """000 § 13 「全年脱贫人口就业规模不低于17410人」 is Wulong's: the service does not hold that figure."""
    load_files(default_files())
    login(client, office_user)
    html = client.get("/office/?on=2023-07-02").get_data(as_text=True)
    section = html[html.index('id="targets"') :]
    assert "000 § 13" in section and "本系统不统计此项" in section
    assert "全市目标，按全市统计" in section
