"""Seeker recommendations and an employer's ranked candidates, as pages."""

from app.extensions import db
from app.models import Application
from tests import scenario
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    PostingFactory,
    SeekerFactory,
    UserFactory,
)
from tests.web.conftest import login


def test_seeker_sees_recommendations_with_reasons_and_an_apply_button(client, ctx):
    prog = scenario.program()
    posts = scenario.posts(prog, scenario.hosts())
    people = scenario.graduates()
    user = UserFactory(role="seeker")
    people[0].user_id = user.id
    db.session.commit()
    login(client, user)
    html = client.get("/me/recommended").get_data(as_text=True)
    assert "为我推荐" in html and "软件测试员" in html
    assert 'class="reasons"' in html
    assert f'name="posting_id" value="{posts[0].id}"' in html and 'name="csrf_token"' in html
    assert f'href="/listings/{posts[0].id}"' in html
    english = client.get("/me/recommended?lang=en").get_data(as_text=True)
    assert "Recommended for me" in english and "Why:" in english
    sent = client.post("/me/applications", data={"posting_id": posts[0].id})
    assert sent.status_code == 302
    again = client.get("/me/recommended").get_data(as_text=True)
    assert "已申请" in again


def test_recommendations_have_an_empty_state_and_are_for_seekers_only(
    client, seeker_user, employer_user
):
    login(client, seeker_user)
    html = client.get("/me/recommended").get_data(as_text=True)
    assert "暂无推荐" in html and 'href="/me/profile"' in html
    assert 'href="/me/recommended"' in html
    login(client, employer_user)
    assert client.get("/me/recommended").status_code == 403


def test_employer_ranks_candidates_without_id_numbers_and_shortlists_from_the_list(client, ctx):
    prog = scenario.program()
    host_list = scenario.hosts()
    posts = scenario.posts(prog, host_list)
    people = scenario.graduates()
    application = ApplicationFactory(seeker=people[0], posting=posts[0])
    user = UserFactory(role="employer", employer_id=host_list[0].id)
    login(client, user)
    page = client.get(f"/employer/postings/{posts[0].id}").get_data(as_text=True)
    assert f'href="/employer/postings/{posts[0].id}/candidates"' in page
    url = f"/employer/postings/{posts[0].id}/candidates"
    html = client.get(url).get_data(as_text=True)
    assert "候选人排名" in html and "见习生0" in html and "超龄者" not in html
    assert people[0].id_number not in html and people[0].phone not in html
    assert "138****0000" in html
    assert "<progress" in html and 'class="reasons"' in html
    assert f'action="/employer/applications/{application.id}/move"' in html
    assert 'value="shortlisted"' in html and "尚未申请" in html
    with_ineligible = client.get(url + "?ineligible=1").get_data(as_text=True)
    assert "超龄者" in with_ineligible and "不符合条件" in with_ineligible
    moved = client.post(
        f"/employer/applications/{application.id}/move",
        data={"status": "shortlisted", "back": url},
    )
    assert moved.status_code == 302 and moved.headers["Location"].endswith(url)
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "shortlisted"


def test_candidates_are_refused_to_other_employers_and_other_roles(
    client, ctx, seeker_user, office_user
):
    prog = scenario.program()
    posts = scenario.posts(prog, scenario.hosts())
    url = f"/employer/postings/{posts[0].id}/candidates"
    other = UserFactory(role="employer", employer_id=EmployerFactory(name="别家公司").id)
    login(client, other)
    assert client.get(url).status_code == 403
    login(client, seeker_user)
    assert client.get(url).status_code == 403
    login(client, office_user)
    assert client.get(url).status_code == 403


def test_candidates_page_marks_education_and_employment(client, ctx):
    host = scenario.hosts(1)[0]
    post = PostingFactory(
        employer=host,
        kind="job",
        title="软件测试工程师",
        occupation_code="4-04-05-02",
        skills=["Python"],
        description="软件测试 Python",
        min_education="bachelor",
    )
    SeekerFactory(name="初中生", education="junior_high", skills=["Python"], summary="软件测试")
    SeekerFactory(name="在职者", employed=True, summary="软件测试 Python")
    login(client, UserFactory(role="employer", employer_id=host.id))
    html = client.get(f"/employer/postings/{post.id}/candidates").get_data(as_text=True)
    assert html.index("在职者") < html.index("初中生")
    assert html.count("低于最低学历要求") == 1 and "已就业" in html and "求职中" in html


def test_candidates_page_keeps_priority_groups_and_refusal_details_from_the_employer(client, ctx):
    prog = scenario.program()
    host_list = scenario.hosts()
    posts = scenario.posts(prog, host_list)
    people = scenario.graduates()
    people[1].priority_groups = ["difficult_graduate"]
    db.session.commit()
    login(client, UserFactory(role="employer", employer_id=host_list[0].id))
    html = client.get(f"/employer/postings/{posts[0].id}/candidates?ineligible=1").get_data(
        as_text=True
    )
    assert "见习生1" in html and "超龄者" in html
    assert "重点群体" not in html and "优先" not in html
    assert "不符合本见习计划的申请条件" in html and "1993" not in html and "周岁" not in html


def test_candidates_page_says_when_the_exposure_cap_holds_people_elsewhere(client, ctx):
    host = scenario.hosts(1)[0]
    posts = [
        PostingFactory(employer=host, kind="job", title="软件测试员", description="软件测试 Python")
        for _ in range(4)
    ]
    SeekerFactory(name="明星", skills=["Python"], summary="软件测试 Python 软件测试员")
    login(client, UserFactory(role="employer", employer_id=host.id))
    pages = [
        client.get(f"/employer/postings/{p.id}/candidates").get_data(as_text=True) for p in posts
    ]
    assert sum("明星" in page for page in pages) == 3
    # Which of the four equal posts loses her is a tie (broken by id); that one says why.
    (without,) = [page for page in pages if "明星" not in page]
    assert "最多出现在本区县 3 个岗位的候选名单中" in without
