"""Employment facts pages for employers and offices, and the office's policy finder page."""

import datetime as dt

import pytest

from app.extensions import db
from app.models import Employment
from app.services.rulebooks import default_files, load_files
from tests.factories import EmployerFactory, SeekerFactory, UserFactory
from tests.web.conftest import login


@pytest.fixture
def hire(ctx, employer_user):
    """A hire of the Wulong employer with no facts recorded yet."""
    seeker = SeekerFactory(name="受雇者丙", birth_date=dt.date(2000, 5, 5))
    row = Employment(
        seeker_id=seeker.id, employer_id=employer_user.employer_id, hire_date=dt.date(2023, 9, 1)
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_employer_lists_and_records_facts_of_its_own_hires(client, hire, employer_user):
    login(client, employer_user)
    html = client.get("/employer/employments").get_data(as_text=True)
    assert "受雇者丙" in html and f'href="/employer/employments/{hire.id}"' in html
    page = client.get(f"/employer/employments/{hire.id}").get_data(as_text=True)
    for name in ("contract_months", "social_insurance_months", "unemployment_insurance_months"):
        assert f'<label for="{name}">' in page
    response = client.post(
        f"/employer/employments/{hire.id}",
        data={"contract_months": 24, "social_insurance_months": 3, "ended_on": ""},
    )
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(Employment, hire.id)
    assert row.contract_months == 24 and row.social_insurance_months == 3
    assert row.unemployment_insurance_months is None


def test_facts_form_errors_sit_next_to_their_fields(client, hire, office_user):
    login(client, office_user)
    url = f"/office/employments/{hire.id}"
    response = client.post(url, data={"contract_months": 900})
    assert response.status_code == 422
    assert 'id="contract_months-error"' in response.get_data(as_text=True)
    response = client.post(url, data={"ended_on": "2023-01-01"})
    assert response.status_code == 422
    assert 'id="ended_on-error"' in response.get_data(as_text=True)


def test_other_employers_and_districts_are_refused(client, hire, seeker_user):
    login(client, UserFactory(role="employer", employer_id=EmployerFactory().id))
    assert "受雇者丙" not in client.get("/employer/employments").get_data(as_text=True)
    assert client.get(f"/employer/employments/{hire.id}").status_code == 403
    login(client, UserFactory(role="office", office_district="500109"))
    assert client.get(f"/office/employments/{hire.id}").status_code == 403
    assert client.post(f"/office/employments/{hire.id}", data={}).status_code == 403
    login(client, seeker_user)
    assert client.get("/office/employments").status_code == 403
    assert client.get("/employer/employments").status_code == 403


def test_empty_list_is_a_designed_state(client, office_user):
    login(client, office_user)
    assert "暂无就业记录" in client.get("/office/employments").get_data(as_text=True)


def test_policy_finder_page_shows_statuses_for_the_office(client, hire, office_user, employer_user):
    load_files(default_files())
    login(client, office_user)
    html = client.get("/office/policy-finder").get_data(as_text=True)
    assert "政策找人" in html and "信息待补录" in html and "符合条件" in html
    english = client.get("/office/policy-finder?lang=en&status=qualifies").get_data(as_text=True)
    assert "Policy finder" in english
    login(client, employer_user)
    assert client.get("/office/policy-finder").status_code == 403
