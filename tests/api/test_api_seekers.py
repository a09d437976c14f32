import datetime as dt

from app.extensions import db
from app.services.recommendations import seeker_index
from tests.factories import PASSWORD, SeekerFactory, make_id_number


def profile(**over):
    body = {
        "name": "王小雨",
        "id_number": make_id_number(dt.date(2001, 3, 9)),
        "education": "bachelor",
        "hukou_district": "500156",
        "district_code": "500156",
        "school": "重庆邮电大学",
        "major": "计算机科学与技术",
        "graduation_date": "2023-06-30",
        "skills": ["Python", "SQL"],
        "desired_occupations": ["4-04-05-02"],
        "expected_salary": 5000,
        "phone": "13812345678",
    }
    body.update(over)
    return body


def register(client, username="xiaoyu", **over):
    return client.post(
        "/api/v1/auth/register/seeker",
        json={"username": username, "password": "long enough pw", "profile": profile(**over)},
    )


def test_register_takes_birth_date_from_id_and_masks_identity(client):
    response = register(client)
    assert response.status_code == 201
    assert response.json["birth_year"] == 2001
    assert "*" in response.json["id_number"] and response.json["phone"] == "138****5678"


def test_no_field_of_a_seeker_list_undoes_the_id_mask(client, as_wulong_office):
    register(client)
    listed = client.get("/api/v1/seekers", headers=as_wulong_office).json
    body = str(listed)
    assert listed and "20010309" not in body and "2001-03-09" not in body


def test_desired_jobs_in_free_text_are_coded_and_kept(client, as_seeker, seeker_user):
    _, me = seeker_user
    response = client.patch(
        f"/api/v1/seekers/{me.id}",
        json={"desired_occupations": ["4-07-05-01"], "desired_jobs": ["软件测试员", " 保安 "]},
        headers=as_seeker,
    )
    assert response.status_code == 200, response.json
    codes = response.json["desired_occupations"]
    # 保安 codes to the given 4-07-05-01 and is not repeated; 软件测试员 lands among software jobs.
    assert codes[0] == "4-07-05-01" and len(codes) == 2
    assert codes[1].startswith(("2-02-10", "4-04-05"))
    jobs = response.json["desired_jobs"]
    assert [(j["title"], j["occupation_code"], j["occupation_source"]) for j in jobs] == [
        ("软件测试员", codes[1], "auto"),
        ("保安", "4-07-05-01", "auto"),
    ]
    again = client.get("/api/v1/seekers/me", headers=as_seeker).json
    assert again["desired_jobs"] == jobs
    too_many = client.patch(
        f"/api/v1/seekers/{me.id}", json={"desired_jobs": ["保安"] * 6}, headers=as_seeker
    )
    assert too_many.status_code == 422 and "desired_jobs" in too_many.json["errors"]


def test_jobs_named_are_in_the_ranking_text_and_the_index_follows_new_words(
    client, as_seeker, seeker_user
):
    _, me = seeker_user
    url = f"/api/v1/seekers/{me.id}"
    first = client.patch(
        url,
        json={"desired_occupations": ["4-07-05-01"], "desired_jobs": ["保安"]},
        headers=as_seeker,
    ).json
    assert "保安" in seeker_index().get(str(me.id)).text.split()
    second = client.patch(url, json={"desired_jobs": ["保安员"]}, headers=as_seeker).json
    # Same code, new words: only the words changed, and the index still picks them up.
    assert second["desired_occupations"] == first["desired_occupations"] == ["4-07-05-01"]
    db.session.expire_all()
    words = seeker_index().get(str(me.id)).text.split()
    assert "保安员" in words and "保安" not in words


def test_naming_jobs_again_keeps_the_codes_chosen_apart_from_them(client, as_seeker, seeker_user):
    _, me = seeker_user
    url = f"/api/v1/seekers/{me.id}"
    client.patch(url, json={"desired_occupations": ["4-14-05-01"]}, headers=as_seeker)
    first = client.patch(url, json={"desired_jobs": ["保安"]}, headers=as_seeker).json
    assert first["desired_occupations"] == ["4-14-05-01", "4-07-05-01"]
    second = client.patch(url, json={"desired_jobs": ["中式烹调师"]}, headers=as_seeker).json
    assert second["desired_occupations"][0] == "4-14-05-01"
    assert "4-07-05-01" not in second["desired_occupations"]
    assert [j["title"] for j in second["desired_jobs"]] == ["中式烹调师"]
    cleared = client.patch(url, json={"desired_jobs": []}, headers=as_seeker).json
    assert cleared["desired_jobs"] == [] and cleared["desired_occupations"] == ["4-14-05-01"]


def test_desired_occupations_with_the_jobs_named_are_at_most_five(client, as_seeker, seeker_user):
    _, me = seeker_user
    codes = ["4-14-05-01", "4-03-02-01", "4-04-05-02", "2-02-10-03", "6-29-04-01"]
    response = client.patch(
        f"/api/v1/seekers/{me.id}",
        json={"desired_occupations": codes, "desired_jobs": ["保安"]},
        headers=as_seeker,
    )
    assert response.status_code == 422
    assert "最多5个" in response.json["errors"]["desired_jobs"][0]
    unchanged = client.get(f"/api/v1/seekers/{me.id}", headers=as_seeker).json
    assert unchanged["desired_jobs"] == [] and unchanged["desired_occupations"] == []


def test_bad_id_number_is_named(client):
    response = register(client, id_number="500156200103090000")
    assert response.status_code == 422 and "id_number" in response.json["errors"]["profile"]


def test_duplicate_id_number_is_409(client):
    number = make_id_number()
    assert register(client, "one", id_number=number).status_code == 201
    second = register(client, "two", id_number=number)
    assert second.status_code == 409 and "id_number" in second.json["errors"]


def test_unknown_occupation_and_wrong_types_are_refused(client):
    assert register(client, desired_occupations=["9-99-99-99"]).status_code == 404
    wrong = register(client, expected_salary="lots", education="phd")
    assert wrong.status_code == 422
    assert {"expected_salary", "education"} <= set(wrong.json["errors"]["profile"])


def test_too_long_strings_are_refused(client):
    assert register(client, major="专" * 200).status_code == 422


def test_seeker_reads_and_edits_only_own_profile(client, ctx, as_seeker, seeker_user):
    _, me = seeker_user
    other = SeekerFactory()
    assert client.get("/api/v1/seekers/me", headers=as_seeker).json["id"] == me.id
    assert client.get(f"/api/v1/seekers/{other.id}", headers=as_seeker).status_code == 403
    edit = client.patch(
        f"/api/v1/seekers/{me.id}",
        json={"skills": ["Excel"], "expected_salary": 4500},
        headers=as_seeker,
    )
    assert edit.status_code == 200 and edit.json["skills"] == ["Excel"]
    assert (
        client.patch(
            f"/api/v1/seekers/{other.id}", json={"skills": []}, headers=as_seeker
        ).status_code
        == 403
    )


def test_only_offices_certify_priority_groups(client, as_seeker, seeker_user, as_wulong_office):
    _, me = seeker_user
    body = {
        "priority_groups": ["difficult_graduate"],
        "priority_certified_by": "武隆区就业和人才服务局",
    }
    assert client.patch(f"/api/v1/seekers/{me.id}", json=body, headers=as_seeker).status_code == 403
    missing_who = client.patch(
        f"/api/v1/seekers/{me.id}",
        json={"priority_groups": ["difficult_graduate"]},
        headers=as_wulong_office,
    )
    assert missing_who.status_code == 422 and "priority_certified_by" in missing_who.json["errors"]
    ok = client.patch(f"/api/v1/seekers/{me.id}", json=body, headers=as_wulong_office)
    assert ok.status_code == 200 and ok.json["priority_groups"] == ["difficult_graduate"]


def test_office_sees_its_district_and_filters(client, ctx, as_wulong_office, as_beibei_office):
    SeekerFactory(
        name="武隆人", hukou_district="500156", district_code="500156", priority_groups=["veteran"]
    )
    SeekerFactory(name="北碚人", hukou_district="500109", district_code="500109")
    names = [s["name"] for s in client.get("/api/v1/seekers", headers=as_wulong_office).json]
    assert names == ["武隆人"]
    assert [
        s["name"]
        for s in client.get("/api/v1/seekers?priority_group=veteran", headers=as_wulong_office).json
    ] == ["武隆人"]
    assert client.get("/api/v1/seekers?priority_group=4050", headers=as_wulong_office).json == []
    assert [s["name"] for s in client.get("/api/v1/seekers", headers=as_beibei_office).json] == [
        "北碚人"
    ]
    listed = client.get("/api/v1/seekers", headers=as_wulong_office).json[0]
    assert listed["id_number"].count("*") == 8


def test_office_registers_walk_in_seeker_only_in_its_district(
    client, as_wulong_office, as_beibei_office
):
    body = profile()
    assert client.post("/api/v1/seekers", json=body, headers=as_beibei_office).status_code == 403
    assert client.post("/api/v1/seekers", json=body, headers=as_wulong_office).status_code == 201


def test_employers_cannot_browse_seekers(client, as_employer_a):
    assert client.get("/api/v1/seekers", headers=as_employer_a).status_code == 403


def test_a_new_account_and_its_token_are_not_cached(client, seeker_user):
    assert register(client).headers["Cache-Control"] == "no-store"
    token = client.post("/api/v1/auth/token", json={"username": "seeker1", "password": PASSWORD})
    assert token.status_code == 200 and token.headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/postings").headers.get("Cache-Control") != "no-store"


def test_education_and_work_history_through_the_api(client, as_seeker, seeker_user):
    _, me = seeker_user
    entry = {"employer": "武隆区某酒店", "title": "前台", "start": "2023-07-01", "end": None}
    response = client.patch(
        f"/api/v1/seekers/{me.id}",
        json={
            "work_history": [entry],
            "education_history": [{"school": "重庆工商大学", "start": "2019-09-01"}],
        },
        headers=as_seeker,
    )
    assert response.status_code == 200, response.json
    assert response.json["work_history"] == [entry]
    assert response.json["education_history"][0]["school"] == "重庆工商大学"
    backwards = client.patch(
        f"/api/v1/seekers/{me.id}",
        json={"work_history": [{**entry, "end": "2020-01-01"}]},
        headers=as_seeker,
    )
    assert backwards.status_code == 422 and "work_history" in backwards.json["errors"]
