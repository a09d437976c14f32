import datetime as dt

from app.extensions import db
from app.services.rulebooks import default_files, load_files
from tests.factories import ApplicationFactory, PostingFactory, ProgramFactory


def posting_body(**over):
    body = {
        "kind": "job",
        "title": "软件测试员",
        "description": "负责功能测试与自动化测试，熟悉 Python、SQL。",
        "occupation_code": "4-04-05-02",
        "skills": ["Python", "SQL"],
        "min_education": "junior_college",
        "salary_min": 4500,
        "salary_max": 7000,
        "district_code": "500156",
        "slots": 2,
    }
    body.update(over)
    return body


def test_employer_posts_and_it_is_published(client, as_employer_a, employer_a):
    response = client.post("/api/v1/postings", json=posting_body(), headers=as_employer_a)
    assert response.status_code == 201
    assert (
        response.json["status"] == "published" and response.json["employer"]["id"] == employer_a.id
    )
    assert response.json["screening"]["flagged"] is False


def test_discriminatory_wording_is_held_for_review_then_approved(
    client, as_employer_a, as_wulong_office
):
    held = client.post(
        "/api/v1/postings",
        json=posting_body(description="限男性，本地户口优先。"),
        headers=as_employer_a,
    )
    assert held.status_code == 201 and held.json["status"] == "pending_review"
    categories = {f["category"] for f in held.json["screening"]["findings"]}
    assert {"gender", "household_registration"} <= categories
    posting_id = held.json["id"]
    assert client.get(f"/api/v1/postings/{posting_id}").status_code == 404
    assert client.get("/api/v1/postings?q=软件测试").json == []
    approved = client.post(
        f"/api/v1/postings/{posting_id}/review",
        json={"decision": "approve"},
        headers=as_wulong_office,
    )
    assert approved.status_code == 200 and approved.json["status"] == "published"
    assert (
        client.post(
            f"/api/v1/postings/{posting_id}/review",
            json={"decision": "approve"},
            headers=as_wulong_office,
        ).status_code
        == 422
    )


def test_employer_cannot_review_or_post_for_another(client, as_employer_a, employer_b):
    assert (
        client.post(
            "/api/v1/postings", json=posting_body(employer_id=employer_b.id), headers=as_employer_a
        ).status_code
        == 403
    )
    held = client.post(
        "/api/v1/postings", json=posting_body(description="仅限汉族"), headers=as_employer_a
    ).json
    assert (
        client.post(
            f"/api/v1/postings/{held['id']}/review",
            json={"decision": "approve"},
            headers=as_employer_a,
        ).status_code
        == 403
    )


def test_occupation_is_coded_automatically_when_missing(client, as_employer_a):
    response = client.post(
        "/api/v1/postings",
        json=posting_body(
            title="金房物业招聘保安", occupation_code=None, description="小区安保巡逻"
        ),
        headers=as_employer_a,
    )
    assert response.status_code == 201
    assert response.json["occupation_source"] == "auto" and response.json[
        "occupation_code"
    ].startswith("4-")


def test_bad_postings_name_their_fields(client, as_employer_a):
    cases = [
        (posting_body(salary_min=8000, salary_max=5000), "salary_min"),
        (posting_body(kind="traineeship", duration_months=13), "duration_months"),
        (posting_body(kind="traineeship"), "duration_months"),
        (posting_body(kind="gig"), "kind"),
        (posting_body(slots=0), "slots"),
        (posting_body(salary_min=-1), "salary_min"),
        (posting_body(title="x" * 300), "title"),
        (posting_body(bonus=1), "bonus"),
        (posting_body(salary_max="7k"), "salary_max"),
    ]
    for body, field in cases:
        response = client.post("/api/v1/postings", json=body, headers=as_employer_a)
        assert response.status_code == 422, (field, response.json)
        assert field in response.json["errors"], (field, response.json)


def test_unknown_references_are_404_with_field(client, as_employer_a):
    assert client.post(
        "/api/v1/postings", json=posting_body(district_code="500999"), headers=as_employer_a
    ).json["errors"] == {"district_code": ["区县代码 500999 不存在 / unknown district 500999"]}
    response = client.post(
        "/api/v1/postings", json=posting_body(occupation_code="9-99-99-99"), headers=as_employer_a
    )
    assert response.status_code == 404 and "occupation_code" in response.json["errors"]
    response = client.post(
        "/api/v1/postings",
        json=posting_body(kind="traineeship", duration_months=6, program_id=999),
        headers=as_employer_a,
    )
    assert response.status_code == 422 and "program_id" in response.json["errors"]


def test_public_program_takes_only_public_institutions(client, ctx, as_employer_a):
    program = ProgramFactory(kind="public", quota=50, floor=50, monthly_rate=2100)
    body = posting_body(kind="traineeship", duration_months=6, program_id=program.id)
    response = client.post("/api/v1/postings", json=body, headers=as_employer_a)
    assert response.status_code == 422 and "program_id" in response.json["errors"]


def test_search_filters_sorting_and_pagination(client, ctx, employer_a):
    PostingFactory(
        employer=employer_a,
        title="软件测试员",
        kind="job",
        district_code="500156",
        salary_min=5000,
        salary_max=8000,
        min_education="bachelor",
        occupation_code="4-04-05-02",
    )
    PostingFactory(
        employer=employer_a,
        title="保安员",
        description="物业巡逻 security guard",
        kind="traineeship",
        duration_months=6,
        district_code="500109",
        salary_min=1300,
        salary_max=1300,
        occupation_code="4-07-05-01",
    )
    PostingFactory(employer=employer_a, title="草稿岗位", status="draft")

    def titles(query):
        response = client.get(f"/api/v1/postings?{query}")
        assert response.status_code == 200, response.json
        return [p["title"] for p in response.json]

    assert sorted(titles("")) == ["保安员", "软件测试员"]
    assert titles("q=软件") == ["软件测试员"]
    assert titles("q=SECURITY") == ["保安员"]
    assert titles("district=500109") == ["保安员"]
    assert titles("kind=traineeship") == ["保安员"]
    assert titles("occupation=4-04") == ["软件测试员"]
    assert titles("occupation=4-07-05-01") == ["保安员"]
    assert titles("salary_min=4000") == ["软件测试员"]
    assert titles("education=junior_college") == ["保安员"]
    assert titles("sort=-salary_max") == ["软件测试员", "保安员"]
    assert titles("sort=salary_max") == ["保安员", "软件测试员"]
    page = client.get("/api/v1/postings?page_size=1&page=1")
    assert len(page.json) == 1 and '"total": 2' in page.headers["X-Pagination"]
    assert client.get("/api/v1/postings?district=abc").status_code == 422
    assert client.get("/api/v1/postings?sort=password").status_code == 422


def test_drafts_visible_to_owner_and_office_only(
    client, ctx, employer_a, as_employer_a, as_employer_b, as_wulong_office
):
    draft = PostingFactory(employer=employer_a, title="草稿岗位", status="draft")
    assert client.get(f"/api/v1/postings/{draft.id}", headers=as_employer_a).status_code == 200
    assert client.get(f"/api/v1/postings/{draft.id}", headers=as_wulong_office).status_code == 200
    assert client.get(f"/api/v1/postings/{draft.id}", headers=as_employer_b).status_code == 404
    assert "草稿岗位" in [
        p["title"] for p in client.get("/api/v1/postings?status=draft", headers=as_employer_a).json
    ]
    assert client.get("/api/v1/postings?status=draft", headers=as_employer_b).json == []


def test_owner_edits_closes_and_others_cannot(
    client, ctx, employer_a, as_employer_a, as_employer_b
):
    posting = PostingFactory(employer=employer_a)
    assert (
        client.patch(
            f"/api/v1/postings/{posting.id}", json={"salary_max": 9000}, headers=as_employer_b
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/postings/{posting.id}", json={"salary_max": 100}, headers=as_employer_a
        ).status_code
        == 422
    )
    edited = client.patch(
        f"/api/v1/postings/{posting.id}", json={"description": "女士优先"}, headers=as_employer_a
    )
    assert edited.json["status"] == "pending_review"
    closed = client.patch(
        f"/api/v1/postings/{posting.id}", json={"status": "closed"}, headers=as_employer_a
    )
    assert closed.status_code == 200 and closed.json["status"] == "closed"


def test_blacklisted_employer_cannot_post(client, ctx, employer_a, as_employer_a):
    from app.extensions import db

    employer_a.blacklisted = True
    db.session.commit()
    assert (
        client.post("/api/v1/postings", json=posting_body(), headers=as_employer_a).status_code
        == 403
    )


def test_seekers_cannot_post(client, as_seeker):
    assert (
        client.post("/api/v1/postings", json=posting_body(), headers=as_seeker).status_code == 403
    )


def test_programs_public_list_and_office_rules(
    client, ctx, as_wulong_office, as_beibei_office, as_seeker
):
    load_files(default_files())
    body = {
        "key": "wulong-2024-enterprise",
        "name": "武隆区2024年青年就业见习（企业）",
        "district_code": "500156",
        "kind": "enterprise",
        "quota": 200,
        "floor": 200,
        "monthly_rate": 1300,
        "rulebook": "wulong-2023.toml",
        "starts_on": "2024-01-01",
        "ends_on": "2024-12-31",
    }
    assert client.post("/api/v1/programs", json=body, headers=as_seeker).status_code == 403
    assert client.post("/api/v1/programs", json=body, headers=as_beibei_office).status_code == 403
    assert (
        client.post(
            "/api/v1/programs", json={**body, "ends_on": "2023-01-01"}, headers=as_wulong_office
        ).status_code
        == 422
    )
    created = client.post("/api/v1/programs", json=body, headers=as_wulong_office)
    assert created.status_code == 201
    assert client.post("/api/v1/programs", json=body, headers=as_wulong_office).status_code == 409
    program_id = created.json["id"]
    assert [p["key"] for p in client.get("/api/v1/programs?district=500156").json] == [
        "wulong-2024-enterprise"
    ]
    assert (
        client.patch(
            f"/api/v1/programs/{program_id}", json={"quota": 250}, headers=as_wulong_office
        ).json["quota"]
        == 250
    )
    from app.extensions import db
    from app.models import Program

    program = db.session.get(Program, program_id)
    program.seats_taken = 10
    db.session.commit()
    assert (
        client.patch(
            f"/api/v1/programs/{program_id}", json={"quota": 5}, headers=as_wulong_office
        ).status_code
        == 422
    )
    assert client.get("/api/v1/programs/99999").status_code == 404
    assert (
        dt.date.fromisoformat(client.get(f"/api/v1/programs/{program_id}").json["ends_on"]).year
        == 2024
    )


def test_the_coder_learns_from_an_office_correction(client, as_employer_a, as_wulong_office):
    def post(title):
        body = posting_body(title=title, occupation_code=None, description="带队骑行")
        response = client.post("/api/v1/postings", json=body, headers=as_employer_a)
        assert response.status_code == 201, response.json
        return response.json

    first = post("山地自行车领骑员")
    assert first["occupation_source"] == "auto" and first["occupation_code"] != "4-14-05-01"
    corrected = client.patch(
        f"/api/v1/postings/{first['id']}",
        json={"occupation_code": "4-14-05-01"},
        headers=as_wulong_office,
    )
    assert corrected.status_code == 200, corrected.json
    assert corrected.json["occupation_source"] == "office"

    second = post("招聘山地自行车领骑员 包吃住")
    assert second["occupation_source"] == "auto" and second["occupation_code"] == "4-14-05-01"


def test_a_code_follows_the_title_unless_someone_chose_it(client, as_employer_a, as_wulong_office):
    body = posting_body(title="金房物业招聘保安", occupation_code=None, description="小区安保巡逻")
    created = client.post("/api/v1/postings", json=body, headers=as_employer_a).json
    url = f"/api/v1/postings/{created['id']}"

    def patch(headers, **data):
        response = client.patch(url, json=data, headers=headers)
        assert response.status_code == 200, response.json
        return response.json["occupation_code"], response.json["occupation_source"]

    guard = created["occupation_code"]
    assert created["occupation_source"] == "auto" and guard.startswith("4-07-05")
    # The page form sends the code back unchanged: that is not a choice.
    assert patch(as_employer_a, occupation_code=guard, description="夜班巡逻") == (guard, "auto")
    cook, source = patch(as_employer_a, title="川菜厨师")
    assert source == "auto" and cook.startswith("4-03-02") and cook != guard
    assert patch(as_wulong_office, occupation_code=cook) == (cook, "office")
    assert patch(as_employer_a, title="中式烹调师")[1] == "auto"
    assert patch(as_employer_a, occupation_code="4-03-02-02") == ("4-03-02-02", "given")
    assert patch(as_employer_a, title="面点师") == ("4-03-02-02", "given")
    assert patch(as_employer_a, occupation_code=None)[1] == "auto"


def test_posting_details_are_kept_checked_and_a_past_deadline_refused(
    client, as_employer_a, employer_a
):
    details = {
        "work_address": "仙女山街道 1 号",
        "work_hours": "9:00–17:30",
        "benefits": ["social_insurance", "housing_fund"],
        "contact_phone": "023-77001234",
        "apply_by": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
    }
    made = client.post("/api/v1/postings", json=posting_body(**details), headers=as_employer_a)
    assert made.status_code == 201
    assert {k: made.json[k] for k in details} == details
    bad = client.post(
        "/api/v1/postings",
        json=posting_body(benefits=["free_lunch_forever"]),
        headers=as_employer_a,
    )
    assert bad.status_code == 422 and "benefits" in bad.json["errors"]
    past = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    late = client.post("/api/v1/postings", json=posting_body(apply_by=past), headers=as_employer_a)
    assert late.status_code == 422 and "apply_by" in late.json["errors"]


def test_a_posting_reads_for_everyone_and_only_its_managers_see_the_screening(
    client, as_employer_a, as_employer_b, as_seeker, as_beibei_office, employer_a
):
    made = client.post("/api/v1/postings", json=posting_body(), headers=as_employer_a).json
    url = f"/api/v1/postings/{made['id']}"
    for headers in ({}, as_seeker, as_employer_b, as_beibei_office):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.json["title"] == "软件测试员" and "screening" not in response.json
        assert response.json["published_at"] == made["published_at"]
    assert "screening" in client.get(url, headers=as_employer_a).json


def test_a_rejected_posting_goes_back_to_the_office_however_it_is_reworded(
    client, as_employer_a, as_wulong_office
):
    held = client.post(
        "/api/v1/postings", json=posting_body(description="限男性。"), headers=as_employer_a
    ).json
    url = f"/api/v1/postings/{held['id']}"
    client.post(
        f"{url}/review",
        json={"decision": "reject", "note": "请删除性别限制"},
        headers=as_wulong_office,
    )
    as_draft = client.patch(url, json={"status": "draft"}, headers=as_employer_a).json
    assert as_draft["status"] == "rejected"  # no way round the review through a draft
    clean = client.patch(
        url, json={"description": "负责功能测试。", "status": "published"}, headers=as_employer_a
    )
    assert clean.status_code == 200 and clean.json["status"] == "pending_review"
    assert client.get(url).status_code == 404  # not public until the office approves
    client.post(f"{url}/review", json={"decision": "reject"}, headers=as_wulong_office)
    closed = client.patch(url, json={"status": "closed"}, headers=as_employer_a)
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    reopened = client.patch(url, json={"status": "published"}, headers=as_employer_a)
    assert reopened.json["status"] == "pending_review"  # nor through closing and reopening


def test_a_blacklisted_employer_cannot_publish_invite_or_hire(
    client, ctx, as_employer_a, employer_a
):
    draft = client.post(
        "/api/v1/postings", json=posting_body(publish=False), headers=as_employer_a
    ).json
    applied = ApplicationFactory(posting=PostingFactory(employer=employer_a))
    employer_a.blacklisted = True
    db.session.commit()
    publish = client.patch(
        f"/api/v1/postings/{draft['id']}", json={"status": "published"}, headers=as_employer_a
    )
    assert publish.status_code == 403
    for status in ("invited", "hired"):
        moved = client.patch(
            f"/api/v1/applications/{applied.id}", json={"status": status}, headers=as_employer_a
        )
        assert moved.status_code == 403


def test_blacklisting_takes_the_employers_postings_down(
    client, ctx, employer_a, as_employer_a, as_wulong_office, as_seeker, seeker_user
):
    open_post = client.post("/api/v1/postings", json=posting_body(), headers=as_employer_a).json
    held = client.post(
        "/api/v1/postings", json=posting_body(description="限男性。"), headers=as_employer_a
    ).json
    blacklisted = client.patch(
        f"/api/v1/employers/{employer_a.id}",
        json={"blacklisted": True, "blacklist_reason": "多次发布歧视性岗位 (003 § 30)"},
        headers=as_wulong_office,
    )
    assert blacklisted.status_code == 200
    assert client.get(f"/api/v1/postings/{open_post['id']}").json["status"] == "closed"
    assert open_post["id"] not in [p["id"] for p in client.get("/api/v1/postings").json]
    applied = client.post(
        "/api/v1/applications", json={"posting_id": open_post["id"]}, headers=as_seeker
    )
    assert applied.status_code in (404, 422)
    _, seeker = seeker_user
    seeker.visible = True
    db.session.commit()
    invited = client.post(
        f"/api/v1/postings/{open_post['id']}/invitations",
        json={"seeker_id": seeker.id},
        headers=as_employer_a,
    )
    assert invited.status_code == 422
    review = client.post(
        f"/api/v1/postings/{held['id']}/review",
        json={"decision": "approve"},
        headers=as_wulong_office,
    )
    assert review.status_code == 422  # nothing of a blacklisted employer is left to approve
