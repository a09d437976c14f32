"""Employer pages: registration, profile, postings with wording screening, applicants and their moves."""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Application, Employer, Posting
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    PostingFactory,
    UserFactory,
    make_credit_code,
)
from tests.web.conftest import login

POSTING = {
    "kind": "job",
    "title": "前台接待",
    "description": "接待来访客户，接听电话。",
    "occupation_code": "4-04-05-02",
    "salary_min": "3500",
    "salary_max": "4500",
    "district_code": "500156",
    "slots": "2",
    "publish": "y",
}


def test_employer_registers_and_lands_on_its_postings(client):
    response = client.post(
        "/register/employer",
        data={
            "username": "shanshui",
            "password": "plenty-long-password-7",
            "name": "武隆山水酒店",
            "credit_code": make_credit_code(),
            "size_class": "sme",
            "district_code": "500156",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/employer/"
    assert "暂无岗位" in client.get("/employer/").get_data(as_text=True)


def test_employer_registration_checks_the_credit_code_next_to_the_field(client):
    response = client.post(
        "/register/employer",
        data={
            "username": "shanshui",
            "password": "plenty-long-password-7",
            "name": "武隆山水酒店",
            "credit_code": "91500156MA00000000",
            "size_class": "sme",
            "district_code": "500156",
        },
    )
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 422
        and 'id="credit_code-error"' in html
        and "统一社会信用代码无效" in html
    )


def test_home_counts_applicants_and_new_ones_per_posting(client, employer_user, posting):
    ApplicationFactory(posting=posting)
    ApplicationFactory(posting=posting, status="shortlisted")
    ApplicationFactory(posting=posting, status="withdrawn")
    login(client, employer_user)
    html = client.get("/employer/").get_data(as_text=True)
    assert "2 人申请" in html and "1 人待处理" in html


def test_clean_posting_is_published(client, employer_user):
    login(client, employer_user)
    response = client.post("/employer/postings/new", data=POSTING)
    assert response.status_code == 302
    posting = db.session.scalar(select(Posting))
    assert posting.status == "published"
    assert "已发布" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_discriminatory_posting_is_held_with_phrases_highlighted_and_fixed_with_the_suggestion(
    client, employer_user
):
    login(client, employer_user)
    data = {**POSTING, "description": "限男性，本地户口优先，接待来访客户。"}
    location = client.post("/employer/postings/new", data=data).headers["Location"]
    posting = db.session.scalar(select(Posting))
    assert posting.status == "pending_review"
    html = client.get(location).get_data(as_text=True)
    assert "<mark" in html and "限男性</mark>" in html and "本地户口优先</mark>" in html
    assert "性别不限" in html  # the suggested neutral wording
    assert "在岗位描述中" in html and "003 § 30" not in html  # where it was found; rule in words
    assert "招聘信息不得含有民族、种族、性别、宗教信仰等就业歧视内容" in html
    assert 'href="/rules/screening#clause-003-30"' in html
    rules = client.get("/rules/screening").get_data(as_text=True)
    assert 'id="clause-003-30"' in rules and "纳入黑名单" in rules
    form = client.get(f"/employer/postings/{posting.id}/edit?suggestion=1").get_data(as_text=True)
    assert (
        "性别不限" in form
        and "本地户口优先" not in form.split('name="description"')[1].split("</textarea>")[0]
    )
    fixed = {**POSTING, "description": "性别不限，接待来访客户。"}
    fixed.pop("kind")
    assert client.post(f"/employer/postings/{posting.id}/edit", data=fixed).status_code == 302
    db.session.refresh(posting)
    assert posting.status == "published"


def test_posting_form_errors_are_next_to_fields_in_both_languages(client, employer_user):
    login(client, employer_user)
    data = {
        **POSTING,
        "title": "",
        "salary_min": "5000",
        "salary_max": "3000",
        "kind": "traineeship",
        "duration_months": "24",
    }
    html = client.post("/employer/postings/new", data=data).get_data(as_text=True)
    assert 'id="title-error"' in html and 'id="salary_max-error"' in html
    summary = html.split('class="form-errors"')[1].split("</div>")[0]
    assert '<a href="#title">' in summary and '<a href="#salary_max">' in summary  # fields named
    assert "forms.js" in html  # which moves focus to that summary
    title_input = re.search(r'<input[^>]*id="title"[^>]*>', html).group(0)
    assert " required" in title_input  # marked beside its label by the style sheet
    assert html.count('class="trainee-only"') == 1  # program and months for traineeships only
    data = {**POSTING, "kind": "traineeship", "duration_months": "24"}
    response = client.post("/employer/postings/new?lang=en", data=data)
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 422
        and 'id="duration_months-error"' in html
        and "a traineeship lasts 3 to 12 months" in html
    )


def test_blacklisted_employer_cannot_post(client, employer_user):
    employer_user.employer.blacklisted = True
    db.session.commit()
    login(client, employer_user)
    response = client.post("/employer/postings/new", data=POSTING)
    assert response.status_code == 403
    assert "黑名单" in response.get_data(as_text=True)


def test_employer_closes_a_posting(client, employer_user, posting):
    login(client, employer_user)
    client.post(f"/employer/postings/{posting.id}/close")
    db.session.refresh(posting)
    assert posting.status == "closed"


def test_employer_cannot_open_or_edit_another_employers_posting(client, employer_user):
    other = PostingFactory(employer=EmployerFactory(), status="pending_review")
    login(client, employer_user)
    assert client.get(f"/employer/postings/{other.id}").status_code == 403
    assert client.post(f"/employer/postings/{other.id}/edit", data=POSTING).status_code == 403
    assert client.post(f"/employer/postings/{other.id}/close").status_code == 403


def test_applicants_are_only_the_employers_own_and_can_be_moved(client, employer_user, posting):
    mine = ApplicationFactory(posting=posting)
    theirs = ApplicationFactory(
        posting=PostingFactory(employer=EmployerFactory(), title="另一单位的岗位")
    )
    login(client, employer_user)
    html = client.get("/employer/applicants").get_data(as_text=True)
    assert mine.seeker.name in html and theirs.seeker.name not in html
    assert theirs.seeker.id_number not in html and mine.seeker.id_number not in html
    assert f'data-confirm="确定不录用 {mine.seeker.name}？' in html  # asks before rejecting
    other_posting = theirs.posting.id
    assert client.get(f"/employer/applicants?posting_id={other_posting}").status_code == 403
    client.post(f"/employer/applications/{mine.id}/move", data={"status": "shortlisted"})
    client.post(f"/employer/applications/{mine.id}/move", data={"status": "hired"})
    db.session.refresh(mine)
    assert mine.status == "hired"
    assert (
        client.post(
            f"/employer/applications/{theirs.id}/move", data={"status": "rejected"}
        ).status_code
        == 403
    )
    assert db.session.get(Application, theirs.id).status == "applied"


def test_a_wrong_move_is_explained(client, employer_user, posting):
    application = ApplicationFactory(posting=posting, status="withdrawn")
    login(client, employer_user)
    response = client.post(
        f"/employer/applications/{application.id}/move",
        data={"status": "hired"},
        follow_redirects=True,
    )
    assert response.status_code == 200 and "不能从" in response.get_data(as_text=True)


def test_profile_edit(client, employer_user):
    login(client, employer_user)
    assert employer_user.employer.credit_code in client.get("/employer/profile").get_data(
        as_text=True
    )
    response = client.post(
        "/employer/profile",
        data={
            "name": "武隆山水旅游集团",
            "size_class": "large",
            "district_code": "500156",
            "contact_phone": "023-7777777",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Employer, employer_user.employer_id).name == "武隆山水旅游集团"


def test_seekers_and_offices_cannot_open_employer_pages(client, seeker_user):
    login(client, seeker_user)
    assert client.get("/employer/").status_code == 403
    office = UserFactory(role="office", office_district="500156")
    login(client, office)
    assert client.get("/employer/postings/new").status_code == 403


def test_hiring_on_a_trainee_post_from_the_page_takes_the_start_date(client, ctx):
    import datetime as dt

    from app.models import Traineeship
    from tests import scenario
    from tests.factories import ApplicationFactory, UserFactory

    prog = scenario.program()
    posts = scenario.posts(prog, scenario.hosts())
    person = scenario.graduates()[0]
    application = ApplicationFactory(seeker=person, posting=posts[0], status="invited")
    login(client, UserFactory(role="employer", employer_id=posts[0].employer_id))
    page = client.get("/employer/applicants?status=invited").get_data(as_text=True)
    assert f'id="started_on-{application.id}"' in page and 'min="2023-10-07"' in page
    url = f"/employer/applications/{application.id}/move"
    client.post(url, data={"status": "hired", "started_on": "2024-03-01"})  # after the program
    assert db.session.query(Traineeship).count() == 0
    client.post(url, data={"status": "hired", "started_on": "2023-11-01"})
    traineeship = db.session.query(Traineeship).one()
    assert traineeship.started_on == dt.date(2023, 11, 1) and traineeship.seeker_id == person.id
