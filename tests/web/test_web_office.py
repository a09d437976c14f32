"""Office pages: dashboard with the quota chart, review queue, blacklist, lists scoped to the district."""

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from tests.factories import (
    EmployerFactory,
    PostingFactory,
    ProgramFactory,
    SeekerFactory,
    UserFactory,
)
from tests.web.conftest import login

HELD = {
    "flagged": True,
    "findings": [
        {
            "phrase": "限男性",
            "category": "gender",
            "source": "003 § 30",
            "start": 5,
            "end": 8,
            "explanation_zh": "不得限定性别。",
            "explanation_en": "No gender limits.",
            "suggestion": "性别不限",
        }
    ],
    "suggested_text": "招聘前台\n性别不限",
}


def held_posting(employer, district="500156"):
    """A posting held by the screening."""
    return PostingFactory(
        employer=employer,
        title="招聘前台",
        description="限男性",
        status="pending_review",
        screening=HELD,
        district_code=district,
        published_at=None,
    )


def test_dashboard_shows_counts_and_quota_chart_in_both_languages(client, office_user):
    ProgramFactory(
        quota=200, floor=150, seats_taken=42, name_en="Wulong 2023 traineeships (enterprises)"
    )
    held_posting(EmployerFactory())
    login(client, office_user)
    html = client.get("/office/").get_data(as_text=True)
    assert "工作台" in html and "待审核岗位" in html
    assert 'id="quota-chart"' in html and "echarts.min.js" in html
    assert '"已用名额": [42]' in html
    html = client.get("/office/?lang=en").get_data(as_text=True)
    assert '"Seats taken": [42]' in html and "Wulong 2023 traineeships (enterprises)" in html


def test_dashboard_empty_state(client, office_user):
    login(client, office_user)
    html = client.get("/office/").get_data(as_text=True)
    assert "本区县暂无见习计划" in html
    nav = html.split('class="nav-links"')[1].split("</nav>")[0]
    assert len(nav.split('class="dropdown nav-group"')) - 1 == 5  # four groups and the account
    assert nav.index("退出") > nav.index("月度调度")  # logout comes last, not in the middle
    assert nav[: nav.index("<details")].count("href=") == 1  # only the dashboard stands alone


def test_review_queue_highlights_and_approves(client, office_user):
    posting = held_posting(EmployerFactory())
    login(client, office_user)
    html = client.get("/office/review").get_data(as_text=True)
    assert "限男性</mark>" in html
    assert (
        "在岗位描述中" in html and "渝人社办〔2022〕209号" in html
    )  # where, and the rule in words
    assert 'value="approve" required>' in html  # no decision is pre-selected
    response = client.post(f"/office/review/{posting.id}", data={"decision": "approve"})
    assert response.status_code == 302
    db.session.refresh(posting)
    assert posting.status == "published"
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review_approve"))
        is not None
    )
    assert "暂无待审核的岗位" in client.get("/office/review").get_data(as_text=True)


def test_rejecting_needs_a_reason(client, office_user):
    posting = held_posting(EmployerFactory())
    login(client, office_user)
    response = client.post(
        f"/office/review/{posting.id}", data={"decision": "reject"}, follow_redirects=True
    )
    assert "请说明驳回理由" in response.get_data(as_text=True)
    db.session.refresh(posting)
    assert posting.status == "pending_review"
    client.post(
        f"/office/review/{posting.id}", data={"decision": "reject", "note": "请删除性别限制"}
    )
    db.session.refresh(posting)
    assert posting.status == "rejected" and posting.review_note == "请删除性别限制"


def test_office_cannot_review_outside_its_district(client, office_user):
    posting = held_posting(EmployerFactory(district_code="500109"), district="500109")
    login(client, office_user)
    assert "招聘前台" not in client.get("/office/review").get_data(as_text=True)
    assert (
        client.post(f"/office/review/{posting.id}", data={"decision": "approve"}).status_code == 403
    )


def test_blacklisting_an_employer(client, office_user):
    employer = EmployerFactory()
    login(client, office_user)
    html = client.post(f"/office/employers/{employer.id}", data={"blacklisted": "y"}).get_data(
        as_text=True
    )
    assert 'id="blacklist_reason-error"' in html
    client.post(
        f"/office/employers/{employer.id}",
        data={"blacklisted": "y", "blacklist_reason": "招聘性别歧视"},
    )
    db.session.refresh(employer)
    assert employer.blacklisted and employer.blacklist_reason == "招聘性别歧视"
    assert employer.name in client.get("/office/employers?blacklisted=1").get_data(as_text=True)


def test_lists_are_scoped_to_the_office_district(client, office_user):
    EmployerFactory(name="武隆本地单位")
    other = EmployerFactory(name="北碚外地单位", district_code="500109")
    local = SeekerFactory(name="武隆求职者")
    SeekerFactory(name="北碚求职者", hukou_district="500109", district_code="500109")
    ProgramFactory(name="武隆计划")
    login(client, office_user)
    html = client.get("/office/employers").get_data(as_text=True)
    assert "武隆本地单位" in html and "北碚外地单位" not in html
    html = client.get("/office/seekers").get_data(as_text=True)
    assert "武隆求职者" in html and "北碚求职者" not in html
    assert local.id_number not in html and local.id_number[:6] in html
    assert "武隆计划" in client.get("/office/programs").get_data(as_text=True)
    assert client.get(f"/office/employers/{other.id}").status_code == 403


def test_other_roles_cannot_open_office_pages(client, seeker_user, employer_user):
    for user in (seeker_user, employer_user):
        login(client, user)
        for path in (
            "/office/",
            "/office/review",
            "/office/employers",
            "/office/seekers",
            "/office/programs",
        ):
            assert client.get(path).status_code == 403


def test_city_office_and_admin_see_everything(client):
    EmployerFactory(name="北碚外地单位", district_code="500109")
    for user in (UserFactory(role="office"), UserFactory(role="admin")):
        login(client, user)
        assert "北碚外地单位" in client.get("/office/employers").get_data(as_text=True)
        assert "重庆全市" in client.get("/office/").get_data(as_text=True)
