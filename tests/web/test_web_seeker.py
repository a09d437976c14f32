"""Seeker pages: register, log in, profile, apply and withdraw, favourites, saved searches, notifications."""

import datetime as dt

from sqlalchemy import func, select

from app.extensions import db
from app.models import Application, Favourite, Notification, SavedSearch, Seeker
from app.services.saved_searches import notify_saved_searches
from tests.factories import PASSWORD, PostingFactory, UserFactory, make_id_number
from tests.web.conftest import login


def test_seeker_registers_and_lands_on_the_profile(client):
    response = client.post(
        "/register/seeker",
        data={
            "username": "wang_fang",
            "password": "plenty-long-password-7",
            "name": "王芳",
            "id_number": make_id_number(),
            "education": "bachelor",
            "district_code": "500156",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/me/profile"
    seeker = db.session.scalar(select(Seeker).where(Seeker.name == "王芳"))
    assert seeker is not None and seeker.user.username == "wang_fang"
    assert "王芳" in client.get("/me/profile").get_data(as_text=True)


def test_registration_errors_appear_next_to_their_fields(client):
    UserFactory(username="taken")
    response = client.post(
        "/register/seeker",
        data={
            "username": "x",
            "password": "short",
            "name": "",
            "id_number": "500156200105170000",
            "education": "",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("username", "password", "name", "id_number", "education"):
        assert f'id="{field}-error"' in html
    assert "身份证号码无效" in html
    response = client.post(
        "/register/seeker",
        data={
            "username": "taken",
            "password": "plenty-long-password-7",
            "name": "王芳",
            "id_number": make_id_number(),
            "education": "bachelor",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="username-error"' in html and "用户名已被使用" in html


def test_registration_errors_in_english(client):
    client.set_cookie("lang", "en")
    html = client.post("/register/seeker", data={"username": "x"}).get_data(as_text=True)
    assert "This field is required." in html and '<html lang="en">' in html


def test_login_with_wrong_password_says_so_next_to_the_field_and_logs_in_with_the_right_one(
    client, seeker_user
):
    response = client.post("/login", data={"username": seeker_user.username, "password": "wrong"})
    assert response.status_code == 422
    assert 'id="password-error"' in response.get_data(as_text=True)
    response = client.post(
        "/login",
        data={"username": seeker_user.username, "password": PASSWORD, "next": "/me/favourites"},
    )
    assert response.headers["Location"] == "/me/favourites"
    assert client.post("/logout").status_code == 302
    assert client.get("/me/favourites").status_code == 302


def test_login_ignores_a_next_on_another_site(client, seeker_user):
    response = client.post(
        "/login",
        data={"username": seeker_user.username, "password": PASSWORD, "next": "//evil.example/"},
    )
    assert response.headers["Location"] == "/me/applications"


def test_logging_in_from_the_home_page_lands_on_the_roles_own_page(client, employer_user):
    home = client.get("/").get_data(as_text=True)
    link = home.split('href="/login')[1].split('"')[0]
    assert link == ""  # no way back to the public home page
    data = {"username": employer_user.username, "password": PASSWORD}
    assert client.post("/login" + link, data=data).headers["Location"] == "/employer/"


def test_pages_send_anonymous_visitors_to_login_and_refuse_other_roles(client, employer_user):
    response = client.get("/me/applications")
    assert response.status_code == 302 and response.headers["Location"].startswith(
        "/login?next=/me/applications"
    )
    login(client, employer_user)
    response = client.get("/me/applications")
    assert response.status_code == 403
    assert "无权访问" in response.get_data(as_text=True)


def test_profile_saves_skills_desired_occupations_and_districts(client, seeker_user):
    login(client, seeker_user)
    response = client.post(
        "/me/profile",
        data={
            "name": "李明",
            "education": "junior_college",
            "major": "旅游管理",
            "graduation_date": "2024-06-30",
            "skills": "导游，英语, 导游",
            "add_occupation": "4-04-05-02",
            "desired_districts": ["500156", "500109"],
            "expected_salary": "4500",
            "visible": "y",
        },
    )
    assert response.status_code == 302
    seeker = seeker_user.seeker
    db.session.refresh(seeker)
    assert seeker.skills == ["导游", "英语"]
    assert seeker.desired_occupations == ["4-04-05-02"] and seeker.desired_districts == [
        "500156",
        "500109",
    ]
    assert seeker.graduation_date == dt.date(2024, 6, 30) and seeker.expected_salary == 4500


def test_profile_codes_the_jobs_named_in_own_words(client, seeker_user):
    login(client, seeker_user)
    data = {"name": "李明", "education": "bachelor", "add_occupation": "4-14-05-01"}
    response = client.post("/me/profile", data={**data, "desired_jobs": "保安，中式烹调师"})
    assert response.status_code == 302
    seeker = seeker_user.seeker
    db.session.refresh(seeker)
    jobs = [(job.title, job.occupation_code) for job in seeker.desired_jobs]
    assert jobs[0] == ("保安", "4-07-05-01") and jobs[1][0] == "中式烹调师"
    assert seeker.desired_occupations == ["4-14-05-01", "4-07-05-01", jobs[1][1]]
    page = client.get("/me/profile").get_data(as_text=True)
    assert "保安 → 保安员" in page
    assert 'name="desired_jobs" type="text" value="保安, 中式烹调师"' in page
    assert 'name="desired_occupations" type="checkbox" value="4-14-05-01"' in page
    kept = {"name": "李明", "education": "bachelor", "desired_occupations": ["4-14-05-01"]}
    client.post("/me/profile", data={**kept, "desired_jobs": "中式烹调师"})
    db.session.refresh(seeker)
    assert [job.title for job in seeker.desired_jobs] == ["中式烹调师"]
    assert seeker.desired_occupations == ["4-14-05-01", jobs[1][1]]


def test_profile_errors_show_next_to_fields(client, seeker_user):
    login(client, seeker_user)
    response = client.post(
        "/me/profile",
        data={
            "name": "李明",
            "education": "bachelor",
            "add_occupation": "9-99-99-99",
            "phone": "123",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="phone-error"' in html
    for unknown in ("9-99-99-99", "不存在的职业"):
        response = client.post(
            "/me/profile", data={"name": "李明", "education": "bachelor", "add_occupation": unknown}
        )
        html = response.get_data(as_text=True)
        assert 'id="add_occupation-error"' in html and "请从列表中选择一个职业" in html


def test_profile_keeps_education_and_work_history_and_picks_districts_by_ticking(
    client, seeker_user
):
    login(client, seeker_user)
    page = client.get("/me/profile").get_data(as_text=True)
    assert page.count("个人情况") <= 1 and "给用人单位的自我介绍" in page  # one "about you"
    assert 'type="checkbox" value="500156"' in page  # districts are ticked, not Ctrl-clicked
    base = {"name": "李明", "education": "bachelor", "add_occupation": "保安员"}
    response = client.post(
        "/me/profile",
        data={
            **base,
            "desired_districts": ["500156"],
            "education_history-0-school": "重庆工商大学",
            "education_history-0-major": "会计学",
            "education_history-0-level": "bachelor",
            "education_history-0-start": "2019-09",
            "education_history-0-end": "2023-06",
            "work_history-0-employer": "武隆区某酒店",
            "work_history-0-title": "前台接待",
            "work_history-0-start": "2023-07",
            "work_history-1-employer": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    seeker = seeker_user.seeker
    db.session.refresh(seeker)
    assert seeker.education_history == [
        {
            "school": "重庆工商大学",
            "major": "会计学",
            "level": "bachelor",
            "start": "2019-09-01",
            "end": "2023-06-01",
        }
    ]
    assert seeker.work_history == [
        {
            "employer": "武隆区某酒店",
            "title": "前台接待",
            "duties": None,
            "start": "2023-07-01",
            "end": None,
        }
    ]
    assert seeker.desired_occupations == ["4-07-05-01"] and seeker.desired_districts == ["500156"]
    page = client.get("/me/profile").get_data(as_text=True)
    assert 'value="重庆工商大学"' in page and 'name="education_history-1-school"' in page
    bad = client.post(
        "/me/profile",
        data={
            **base,
            "work_history-0-title": "司机",
            "work_history-0-start": "2024-05",
            "work_history-0-end": "2023-01",
        },
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert 'id="work_history-0-employer-error"' in html and 'id="work_history-0-end-error"' in html


def test_seeker_applies_sees_the_application_and_withdraws(client, seeker_user, posting):
    login(client, seeker_user)
    html = client.get(f"/listings/{posting.id}").get_data(as_text=True)
    assert 'action="/me/applications"' in html
    response = client.post(
        "/me/applications", data={"posting_id": posting.id, "note": "我熟悉武隆景区"}
    )
    assert response.headers["Location"] == "/me/applications"
    html = client.get("/me/applications").get_data(as_text=True)
    assert "导游讲解员" in html and "已申请" in html
    application = db.session.scalar(select(Application))
    assert client.post(f"/me/applications/{application.id}/withdraw").status_code == 302
    db.session.refresh(application)
    assert application.status == "withdrawn"


def test_applying_twice_is_explained_not_a_500(client, seeker_user, posting):
    login(client, seeker_user)
    client.post("/me/applications", data={"posting_id": posting.id})
    response = client.post(
        "/me/applications", data={"posting_id": posting.id}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "已申请过该岗位" in response.get_data(as_text=True)


def test_seeker_cannot_withdraw_someone_elses_application(client, seeker_user, posting):
    other = UserFactory(role="seeker")
    from tests.factories import SeekerFactory

    other_seeker = SeekerFactory(user_id=other.id)
    application = Application(seeker_id=other_seeker.id, posting_id=posting.id)
    db.session.add(application)
    db.session.commit()
    login(client, seeker_user)
    assert client.post(f"/me/applications/{application.id}/withdraw").status_code == 403


def test_empty_states(client, seeker_user):
    login(client, seeker_user)
    assert "您还没有申请任何岗位" in client.get("/me/applications").get_data(as_text=True)
    assert "还没有收藏" in client.get("/me/favourites").get_data(as_text=True)
    assert "还没有保存的搜索" in client.get("/me/searches").get_data(as_text=True)
    assert "暂无通知" in client.get("/me/notifications").get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert "You have not applied to any listing yet." in client.get("/me/applications").get_data(
        as_text=True
    )


def test_favourite_toggles_with_htmx_and_lists(client, seeker_user, posting):
    login(client, seeker_user)
    response = client.post(
        f"/me/favourites/{posting.id}", data={"marked": "0"}, headers={"HX-Request": "true"}
    )
    assert 'aria-pressed="true"' in response.get_data(as_text=True)
    assert (
        db.session.scalar(select(Favourite).where(Favourite.posting_id == posting.id)) is not None
    )
    assert "导游讲解员" in client.get("/me/favourites").get_data(as_text=True)
    client.post(f"/me/favourites/{posting.id}", data={"marked": "1"})
    assert db.session.scalar(select(Favourite)) is None


def test_saved_search_is_notified_of_new_listings_once(client, seeker_user, posting):
    login(client, seeker_user)
    assert "保存搜索" in client.get("/listings?q=导游").get_data(as_text=True)
    response = client.post(
        "/me/searches", data={"name": "导游", "query": '{"q": "导游", "district": "500156"}'}
    )
    assert response.headers["Location"] == "/me/searches"
    saved = db.session.scalar(select(SavedSearch))
    assert saved.query == {"q": "导游", "district": "500156"}
    saved.last_notified_at = posting.published_at - dt.timedelta(minutes=1)
    db.session.commit()
    assert notify_saved_searches()["notified"] == 1
    assert notify_saved_searches()["notified"] == 0
    html = client.get("/me/notifications").get_data(as_text=True)
    assert "1 个新岗位" in html
    assert 'class="badge"' in html
    client.post("/me/notifications/read")
    assert db.session.scalar(select(Notification)).read_at is not None
    client.post(f"/me/searches/{saved.id}/delete")
    assert db.session.scalar(select(SavedSearch)) is None


def test_saving_the_same_search_twice_keeps_one(client, seeker_user, posting):
    login(client, seeker_user)
    data = {"name": "导游", "query": '{"q": "导游", "district": "500156"}'}
    client.post("/me/searches", data=data)
    again = client.post("/me/searches", data={**data, "name": "又一次"}, follow_redirects=True)
    assert "已保存过此搜索" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SavedSearch)) == 1


def test_listing_filters_fold_away_with_chips_and_save_on_top(client, seeker_user, posting):
    login(client, seeker_user)
    html = client.get("/listings?q=导游&district=500156").get_data(as_text=True)
    assert '<details class="more-filters">' in html  # folded on a phone's first screen
    chips = html.split('class="chips active-filters"')[1].split("</ul>")[0]
    assert "武隆区 ×" in chips and 'href="/listings?q=' in chips
    assert html.index('class="save-search"') < html.index('class="cards"')


def test_notify_cli_command(app, ctx, seeker_user, posting):
    PostingFactory(employer=posting.employer, title="讲解员助理")
    result = app.test_cli_runner().invoke(args=["notify", "saved-searches"])
    assert result.exit_code == 0, result.output
    assert "searches: 0" in result.output


def test_password_change(client, seeker_user):
    login(client, seeker_user)
    response = client.post(
        "/account/password",
        data={"current": "nope", "new": "another-pass-1", "confirm": "another-pass-1"},
    )
    assert response.status_code == 422 and 'id="current-error"' in response.get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": "another-pass-1", "confirm": "another-pass-1"},
    )
    assert response.status_code == 302
    db.session.refresh(seeker_user)
    assert seeker_user.token_version == 1
