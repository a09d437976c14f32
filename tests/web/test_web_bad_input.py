"""Pages refuse bad input with a message or a 4xx page, never a 500 (issue 18, "bad input")."""

import pytest

from tests.web.conftest import login

VERY_HUGE = 10**20


@pytest.mark.parametrize(
    "path",
    [
        f"/listings?page={10**18}",
        f"/listings/{VERY_HUGE}",
        f"/listings/{2**31}",
        "/listings?q=%00",
        f"/me/applications?page={VERY_HUGE}",
    ],
)
def test_public_and_seeker_pages_refuse_absurd_numbers_and_nul(client, seeker_user, path):
    login(client, seeker_user)
    response = client.get(path)
    assert response.status_code in (200, 400, 404), response.status_code
    if "%00" in path:
        assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        f"/office/traineeships?program_id={VERY_HUGE}&host_id={VERY_HUGE}&page={VERY_HUGE}",
        f"/office/reports/fairness?run_id={VERY_HUGE}",
        f"/office/services?seeker_id={VERY_HUGE}",
        f"/office/seekers?page={VERY_HUGE}",
        f"/office/employers/{VERY_HUGE}",
        "/office/reports/dispatch?period=9999-12",
        "/office/reports/dispatch?period=0001",
    ],
)
def test_office_pages_refuse_absurd_numbers_and_periods(client, office_user, path):
    login(client, office_user)
    response = client.get(path)
    assert response.status_code in (200, 404, 422), response.status_code


def test_employer_page_refuses_an_absurd_posting_filter(client, employer_user):
    login(client, employer_user)
    response = client.get(f"/employer/applicants?posting_id={VERY_HUGE}")
    assert response.status_code in (200, 404)


def test_a_login_name_with_nul_is_a_bad_request(client, ctx):
    response = client.post("/login", data={"username": "ad\x00min", "password": "x" * 12})
    assert response.status_code == 400
    assert "username" in response.get_data(as_text=True)


def test_an_absurd_person_number_in_the_service_form_is_refused_beside_the_field(
    client, office_user
):
    login(client, office_user)
    response = client.post(
        "/office/services",
        data={"seeker_id": str(VERY_HUGE), "kind": "guidance", "delivered_on": "2023-11-01"},
    )
    assert response.status_code == 422
    assert "too large" in response.get_data(as_text=True) or "过大" in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_absurd_graduation_date_is_refused_beside_the_field(client, seeker_user, day):
    login(client, seeker_user)
    response = client.post(
        "/me/profile", data={"name": "李明", "education": "bachelor", "graduation_date": day}
    )
    assert response.status_code == 422
    assert "1900" in response.get_data(as_text=True)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_absurd_service_date_is_refused_beside_the_field(client, office_user, day):
    login(client, office_user)
    response = client.post(
        "/office/services", data={"seeker_id": "1", "kind": "guidance", "delivered_on": day}
    )
    assert response.status_code == 422
    assert "1900" in response.get_data(as_text=True)


def test_a_whitespace_only_posting_title_is_refused_beside_the_field(client, employer_user):
    login(client, employer_user)
    response = client.post(
        "/employer/postings/new",
        data={
            "kind": "job",
            "title": "\u3000 \u3000",
            "salary_min": "4000",
            "salary_max": "5000",
            "district_code": "500156",
            "slots": "1",
            "publish": "1",
        },
    )
    assert response.status_code == 422
