"""Bad input is refused with a 4xx naming what is wrong, never a 500 (issue 18, "bad input")."""

import pytest

from app.services.rulebooks import default_files, load_files
from tests.factories import PostingFactory, ProgramFactory

HUGE = 2**31
VERY_HUGE = 10**20
PAGE = 10**18


def program_body(**over) -> dict:
    body = {
        "key": "bad-input-check",
        "name": "武隆区2024年青年就业见习（企业）",
        "district_code": "500156",
        "kind": "enterprise",
        "quota": 10,
        "monthly_rate": 1300,
        "rulebook": "wulong-2023.toml",
        "starts_on": "2024-01-01",
        "ends_on": "2024-12-31",
    }
    body.update(over)
    return body


def job_body(**over) -> dict:
    return {
        "kind": "job",
        "salary_min": 4000,
        "salary_max": 5000,
        "district_code": "500156",
        **over,
    }


def assert_refused(response, status: int = 422) -> dict:
    """A refusal in the one error shape."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.json["code"] == status and response.json["message"]
    return response.json


@pytest.mark.parametrize("number", [HUGE, VERY_HUGE])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/postings/{}",
        "/api/v1/seekers/{}",
        "/api/v1/programs/{}/settlement",
        "/api/v1/seekers/{}/recommendations",
        "/api/v1/traineeships/{}",
    ],
)
def test_integers_beyond_32_bits_in_paths_are_not_found(client, as_wulong_office, path, number):
    assert_refused(client.get(path.format(number), headers=as_wulong_office), 404)


@pytest.mark.parametrize(
    "path, query",
    [
        ("/api/v1/traineeships", f"program_id={VERY_HUGE}"),
        ("/api/v1/traineeships", f"host_id={HUGE}"),
        ("/api/v1/applications", f"posting_id={HUGE}"),
        ("/api/v1/applications", f"seeker_id={VERY_HUGE}"),
        ("/api/v1/applications", f"page={PAGE}"),
        ("/api/v1/traineeships", f"page_size={VERY_HUGE}"),
    ],
)
def test_integers_beyond_32_bits_in_filters_are_refused(client, as_wulong_office, path, query):
    name = query.split("=")[0]
    body = assert_refused(client.get(f"{path}?{query}", headers=as_wulong_office))
    assert name in body["errors"]


@pytest.mark.parametrize("path", ["/api/v1/postings", "/api/v1/programs", "/api/v1/occupations"])
def test_a_page_number_of_ten_to_the_eighteen_is_refused(client, path):
    body = assert_refused(client.get(f"{path}?page={PAGE}"))
    assert "page" in body["errors"]


def test_integers_beyond_32_bits_in_bodies_are_refused(client, as_employer_a, employer_a):
    ProgramFactory(key="p1")
    for field, value in [("program_id", HUGE), ("employer_id", VERY_HUGE), ("slots", VERY_HUGE)]:
        body = {
            "kind": "traineeship",
            "title": "行政助理见习",
            "salary_min": 1300,
            "salary_max": 1800,
            "district_code": "500156",
            "duration_months": 6,
            field: value,
        }
        refused = assert_refused(client.post("/api/v1/postings", json=body, headers=as_employer_a))
        assert field in refused["errors"], refused


def test_a_period_or_date_at_the_calendars_edge_is_refused(client, as_wulong_office):
    for query, field in [
        ("period=9999-12", "period"),
        ("period=0000", "period"),
        ("period=0001-01", "period"),
    ]:
        response = client.get(f"/api/v1/reports/dispatch?{query}", headers=as_wulong_office)
        assert field in assert_refused(response)["errors"]
    for path in ("/api/v1/reports/early-warning", "/api/v1/reports/fairness"):
        for day in ("0001-01-01", "9999-12-31"):
            response = client.get(f"{path}?on={day}", headers=as_wulong_office)
            assert "on" in assert_refused(response)["errors"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_absurd_graduation_date_is_refused_with_a_message(client, as_seeker, seeker_user, day):
    _, seeker = seeker_user
    response = client.patch(
        f"/api/v1/seekers/{seeker.id}", json={"graduation_date": day}, headers=as_seeker
    )
    body = assert_refused(response)
    assert body["errors"]["graduation_date"]


@pytest.mark.parametrize("title", ["   ", "\t\n  ", "\u3000\u3000\u3000"])
def test_a_whitespace_only_title_is_refused_with_a_message(client, as_employer_a, title):
    body = job_body(title=title)
    refused = assert_refused(client.post("/api/v1/postings", json=body, headers=as_employer_a))
    assert refused["errors"]["title"]


def test_a_title_is_stored_without_surrounding_blanks(client, as_employer_a):
    body = job_body(title="  软件测试员 ")
    created = client.post("/api/v1/postings", json=body, headers=as_employer_a)
    assert created.status_code == 201 and created.json["title"] == "软件测试员"


@pytest.mark.parametrize(
    "request_args",
    [
        {"path": "/api/v1/auth/token", "json": {"username": "adm\x00in", "password": "x" * 12}},
        {"path": "/api/v1/auth/token", "json": {"username": "admin", "password": "pw\x00d"}},
        {"path": "/api/v1/postings?q=%00abc"},
        {"path": "/api/v1/occupations/4-04-05-02%00"},
        {"path": "/api/v1/occupations?q=%E8%BD%AF%00"},
        {"path": "/api/v1/auth/token", "json": {"username": "\ud800", "password": "x" * 12}},
        {
            "path": "/api/v1/auth/token",
            "data": b'{"username": "ab\\udfff", "password": "xxxxxxxxxxxxxx"}',
            "content_type": "application/json",
        },
        {
            "path": "/api/v1/auth/token",
            "data": b'{"username": "ab\\u0000", "password": "xxxxxxxxxxxxxx"}',
            "content_type": "application/json",
        },
    ],
)
def test_nul_bytes_and_lone_surrogates_are_refused_anywhere(client, ctx, request_args):
    request_args = dict(request_args)
    path = request_args.pop("path")
    method = client.post if ("json" in request_args or "data" in request_args) else client.get
    body = assert_refused(method(path, **request_args), 400)
    assert body["errors"]


def test_nul_in_a_posting_body_is_refused_and_nothing_is_written(client, as_employer_a):
    body = job_body(title="软件\x00测试员")
    refused = assert_refused(client.post("/api/v1/postings", json=body, headers=as_employer_a), 400)
    assert "title" in refused["errors"]
    assert client.get("/api/v1/postings").json == []


@pytest.mark.parametrize("depth", [10_000, 100])
def test_json_nested_deeply_is_refused(client, as_employer_a, depth):
    data = "[" * depth + "]" * depth
    response = client.post(
        "/api/v1/postings", data=data, content_type="application/json", headers=as_employer_a
    )
    assert_refused(response, 400)


def test_a_program_whose_rulebook_has_no_eligibility_rule_for_its_kind_is_refused(
    client, as_wulong_office
):
    load_files(default_files())
    refused = assert_refused(
        client.post(
            "/api/v1/programs",
            json=program_body(rulebook="chongqing-2022.toml", kind="public"),
            headers=as_wulong_office,
        )
    )
    assert refused["errors"]["kind"]
    unknown = assert_refused(
        client.post(
            "/api/v1/programs", json=program_body(rulebook="nowhere.toml"), headers=as_wulong_office
        )
    )
    assert unknown["errors"]["rulebook"]
    assert client.get("/api/v1/programs").json == []
    created = client.post("/api/v1/programs", json=program_body(), headers=as_wulong_office)
    assert created.status_code == 201, created.json


def test_a_wrong_method_answers_405_with_allow(client):
    posting = PostingFactory()
    response = client.delete(f"/api/v1/postings/{posting.id}")
    assert_refused(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "PATCH"}
