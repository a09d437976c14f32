import datetime as dt
import re

from tests.factories import PostingFactory, SeekerFactory, UserFactory, login


def test_employer_sees_ranked_candidates_with_reasons(client, posts, seekers, as_host):
    tester_post = posts[0]
    response = client.get(f"/api/v1/postings/{tester_post.id}/candidates?k=5", headers=as_host)
    assert response.status_code == 200, response.json
    results = response.json["results"]
    names = [r["seeker"]["name"] for r in results]
    assert names[0] in {"见习生0", "见习生2", "见习生4"}
    assert "超龄者" not in names and "早毕业" not in names
    first = results[0]
    assert set(first["parts"]) >= {"text", "occupation", "skills"}
    assert "职业相符" in first["reasons_text"] and "技能 2/2" in first["reasons_text"]
    assert "id_number" not in first["seeker"]
    assert [r["rank"] for r in results] == list(range(1, len(results) + 1))
    assert results == sorted(results, key=lambda r: -r["score"])


def test_ineligible_are_marked_when_asked_never_first(client, posts, seekers, as_host):
    response = client.get(
        f"/api/v1/postings/{posts[0].id}/candidates?k=20&include_ineligible=true&lang=en",
        headers=as_host,
    )
    rows = response.json["results"]
    marked = [r for r in rows if not r["eligible"]]
    assert {r["seeker"]["name"] for r in marked} == {"超龄者", "早毕业"}
    assert all(r["eligible"] for r in rows[: len(rows) - len(marked)])
    assert all("Not eligible" in r["reasons_text"] for r in marked)
    # An employer learns that a person does not qualify, never the dates or facts why.
    assert {r["ineligible_reason"] for r in marked} == {
        "不符合本见习计划的申请条件 / does not meet this program's conditions"
    }
    assert not any(re.search(r"(19|20)\d\d", r["reasons_text"]) for r in marked)


def test_priority_group_boost_is_reported_to_the_office_only(
    client, ctx, posts, seekers, as_host, as_office
):
    from app.extensions import db

    seekers[1].priority_groups = ["difficult_graduate"]
    db.session.commit()
    url = f"/api/v1/postings/{posts[0].id}/candidates?k=6"
    seen_by_host = client.get(url, headers=as_host).json["results"]
    assert not any(r["boosted"] or r["rank_without_boost"] for r in seen_by_host)
    assert all(r["code"] != "priority" for row in seen_by_host for r in row["reasons"])
    assert all(abs(r["score"] - sum(r["parts"].values())) < 1e-5 for r in seen_by_host)
    rows = client.get(url, headers=as_office).json["results"]
    boosted = [r for r in rows if r["boosted"]]
    assert [r["seeker"]["name"] for r in boosted] == ["见习生1"]
    assert boosted[0]["rank_without_boost"] >= boosted[0]["rank"]


def test_other_employers_and_seekers_cannot_see_candidates(
    client, posts, seekers, as_other_employer, as_beibei_office
):
    assert (
        client.get(
            f"/api/v1/postings/{posts[0].id}/candidates", headers=as_other_employer
        ).status_code
        == 403
    )
    assert (
        client.get(
            f"/api/v1/postings/{posts[0].id}/candidates", headers=as_beibei_office
        ).status_code
        == 403
    )
    assert client.get(f"/api/v1/postings/{posts[0].id}/candidates").status_code == 401
    assert (
        client.get(
            f"/api/v1/postings/{posts[0].id}/candidates?k=1000", headers=as_other_employer
        ).status_code
        == 422
    )


def test_new_and_edited_seekers_appear_without_rebuild(client, ctx, posts, seekers, as_host):
    url = f"/api/v1/postings/{posts[0].id}/candidates?k=3"
    assert client.get(url, headers=as_host).status_code == 200
    index = ctx.extensions["jianxi.indexes"]["seekers"].index
    SeekerFactory(
        name="新来的",
        graduation_date=dt.date(2023, 6, 30),
        desired_occupations=["4-04-05-02"],
        skills=["Python", "SQL", "Linux"],
        summary="软件测试 Python SQL 自动化测试 软件测试员",
    )
    names = [r["seeker"]["name"] for r in client.get(url, headers=as_host).json["results"]]
    assert "新来的" in names
    assert ctx.extensions["jianxi.indexes"]["seekers"].index is index


def test_seeker_recommendations_leave_out_trainee_posts_they_cannot_take(
    client, ctx, posts, seekers, hosts
):
    job = PostingFactory(
        employer=hosts[0],
        kind="job",
        title="软件测试工程师",
        occupation_code="4-04-05-02",
        skills=["Python"],
        description="软件测试 Python",
    )
    user = UserFactory(username="too_old", role="seeker")
    seekers[6].user_id = user.id
    from app.extensions import db

    db.session.commit()
    headers = login(client, "too_old")
    response = client.get(f"/api/v1/seekers/{seekers[6].id}/recommendations?k=10", headers=headers)
    assert response.status_code == 200, response.json
    ids = [r["posting"]["id"] for r in response.json["results"]]
    assert job.id in ids
    assert not {p.id for p in posts} & set(ids)
    assert (
        client.get(f"/api/v1/seekers/{seekers[0].id}/recommendations", headers=headers).status_code
        == 403
    )


def test_eligible_seeker_gets_trainee_posts_with_reasons(client, ctx, posts, seekers):
    user = UserFactory(username="grad", role="seeker")
    seekers[0].user_id = user.id
    from app.extensions import db

    db.session.commit()
    rows = client.get(
        f"/api/v1/seekers/{seekers[0].id}/recommendations?k=2&lang=en",
        headers=login(client, "grad"),
    ).json["results"]
    assert rows[0]["posting"]["title"] == "软件测试员" and "Skills 2/2" in rows[0]["reasons_text"]


def _bachelor_tester_job(host):
    """A software-tester job that asks for a bachelor's degree."""
    return PostingFactory(
        employer=host,
        kind="job",
        title="软件测试工程师",
        occupation_code="4-04-05-02",
        skills=["Python", "SQL"],
        description="软件测试 Python SQL",
        min_education="bachelor",
    )


def test_below_minimum_education_is_last_and_marked_or_left_out(client, ctx, hosts, as_host):
    """Issue 21 item 1: a seeker below the stated minimum never outranks one who meets it."""
    post = _bachelor_tester_job(hosts[0])
    below = SeekerFactory(
        name="初中生",
        education="junior_high",
        desired_occupations=["4-04-05-02"],
        skills=["Python", "SQL"],
        summary="软件测试 Python SQL 软件测试工程师",
    )
    meets = SeekerFactory(name="本科生", desired_occupations=[], skills=[], summary="求职")
    url = f"/api/v1/postings/{post.id}/candidates?k=10"
    rows = client.get(url, headers=as_host).json["results"]
    names = [r["seeker"]["name"] for r in rows]
    assert names.index("本科生") < names.index("初中生")
    marked = {r["seeker"]["name"]: r["meets_education"] for r in rows}
    assert marked == {"本科生": True, "初中生": False}
    assert "学历低于要求 (本科)" in rows[names.index("初中生")]["reasons_text"]
    left_out = client.get(url + "&below_education=exclude", headers=as_host).json["results"]
    assert [r["seeker"]["id"] for r in left_out] == [meets.id]
    assert below.id not in {r["seeker"]["id"] for r in left_out}
    wrong = client.get(url + "&below_education=first", headers=as_host)
    assert wrong.status_code == 422 and "below_education" in str(wrong.json["errors"])


def test_recommendations_put_posts_above_the_seeker_education_last(client, ctx, hosts):
    seeker = SeekerFactory(
        education="junior_high",
        desired_occupations=["4-04-05-02"],
        skills=["Python", "SQL"],
        summary="软件测试 Python SQL",
        user=UserFactory(username="jh_seeker", role="seeker"),
    )
    fits_but_above = _bachelor_tester_job(hosts[0])
    open_to_all = PostingFactory(employer=hosts[0], kind="job", title="仓库管理员")
    rows = client.get(
        f"/api/v1/seekers/{seeker.id}/recommendations?k=5", headers=login(client, "jh_seeker")
    ).json["results"]
    ids = [r["posting"]["id"] for r in rows]
    assert ids.index(open_to_all.id) < ids.index(fits_but_above.id)
    assert not rows[ids.index(fits_but_above.id)]["meets_education"]


def test_employment_status_is_shown_and_employed_can_be_left_out(
    client, ctx, hosts, seekers, as_host
):
    """Issue 21 item 2: who is available."""
    from app.extensions import db

    seekers[0].employed = True
    db.session.commit()
    job = PostingFactory(employer=hosts[0], kind="job", title="软件测试员", description="软件测试")
    url = f"/api/v1/postings/{job.id}/candidates?k=10"
    rows = client.get(url, headers=as_host).json["results"]
    status = {r["seeker"]["id"]: r["seeker"]["employed"] for r in rows}
    assert status[seekers[0].id] is True and status[seekers[2].id] is False
    available = client.get(url + "&exclude_employed=true", headers=as_host).json["results"]
    assert seekers[0].id not in {r["seeker"]["id"] for r in available}
    assert {r["seeker"]["id"] for r in available} == set(status) - {seekers[0].id}


def test_exposure_cap_keeps_one_strong_seeker_out_of_every_employers_list(
    client, ctx, hosts, as_host
):
    """Issue 21 item 4: the diversity rule applies to the live candidate lists too."""
    jobs = [
        PostingFactory(
            employer=hosts[0],
            kind="job",
            title=f"软件测试员{n}",
            occupation_code="4-04-05-02",
            skills=["Python", "SQL", "Linux"],
            description="软件测试 Python SQL Linux",
        )
        for n in range(5)
    ]
    star = SeekerFactory(
        name="明星",
        desired_occupations=["4-04-05-02"],
        skills=["Python", "SQL", "Linux"],
        summary="软件测试 Python SQL Linux 软件测试员",
    )
    for n in range(40):
        SeekerFactory(desired_occupations=["4-04-05-02"], skills=["Python"], summary=f"测试 {n}")
    shown = 0
    for job in jobs:
        body = client.get(f"/api/v1/postings/{job.id}/candidates?k=10", headers=as_host).json
        assert len(body["results"]) == 10 and body["short_reason"] is None
        shown += star.id in {r["seeker"]["id"] for r in body["results"]}
        assert body["exposure"]["max_lists"] == 3
    assert shown == 3


def test_posting_index_holds_published_postings_only(ctx, hosts):
    """Issue 23: recommendations score published postings only, and a closed one leaves the index."""
    from app.extensions import db
    from app.services.recommendations import posting_index

    published = PostingFactory(employer=hosts[0], kind="job", title="仓库管理员")
    draft = PostingFactory(employer=hosts[0], kind="job", title="草稿岗位", status="draft")
    index = posting_index()
    assert str(published.id) in index and str(draft.id) not in index
    published.status = "closed"
    draft.status = "published"
    db.session.commit()
    index = posting_index()
    assert str(published.id) not in index and str(draft.id) in index
