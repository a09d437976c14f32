"""The policy finder page records a qualifying one-off hiring subsidy as paid, then shows it paid."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Employment, HiringSubsidyGrant
from app.services.rulebooks import default_files, load_files
from tests.factories import SeekerFactory, UserFactory
from tests.web.conftest import login

URL = "/office/policy-finder/grants"


@pytest.fixture
def graduate(ctx, employer_user):
    """A 2023 graduate hired in Wulong with every fact the youth subsidy tests."""
    load_files(default_files())
    seeker = SeekerFactory(name="应届生乙")
    db.session.add(
        Employment(
            seeker_id=seeker.id,
            employer_id=employer_user.employer_id,
            hire_date=dt.date(2023, 10, 20),
            contract_months=24,
            social_insurance_months=6,
            unemployment_insurance_months=3,
        )
    )
    db.session.commit()
    return seeker


def _grants() -> int:
    return db.session.scalar(select(func.count()).select_from(HiringSubsidyGrant))


def test_office_records_a_qualifying_subsidy_as_paid(client, graduate, office_user):
    login(client, office_user)
    html = client.get("/office/policy-finder?status=qualifies").get_data(as_text=True)
    assert "登记已发放" in html and f'value="{graduate.id}"' in html
    assert 'value="hiring.youth"' in html and "支付凭证号" in html
    english = client.get("/office/policy-finder?lang=en").get_data(as_text=True)
    assert "Record as paid" in english and "Payment reference" in english

    data = {"seeker_id": graduate.id, "rule": "hiring.youth", "reference": "财付-0042"}
    response = client.post(URL, data=data)
    assert response.status_code == 302 and response.location.endswith("/office/policy-finder")
    assert _grants() == 1
    page = client.get("/office/policy-finder?status=granted").get_data(as_text=True)
    assert "已登记为已发放" in page and "已发放（" in page and "财付-0042" in page
    assert 'value="hiring.youth"' not in page
    english = client.get("/office/policy-finder?lang=en&status=granted").get_data(as_text=True)
    assert "Paid" in english and "reference 财付-0042" in english

    client.post(URL, data=data)
    assert "领取该项补贴" in client.get("/office/policy-finder").get_data(as_text=True)
    assert _grants() == 1


def test_the_form_takes_the_date_the_subsidy_was_paid(client, graduate, office_user):
    login(client, office_user)
    assert "发放日期" in client.get("/office/policy-finder").get_data(as_text=True)
    data = {"seeker_id": graduate.id, "rule": "hiring.youth", "reference": "PAY-7"}
    client.post(URL, data={**data, "granted_on": "2023-10-01"})
    assert "不能早于招用日期" in client.get("/office/policy-finder").get_data(as_text=True)
    client.post(URL, data={**data, "granted_on": "2024-05-06"})
    granted = db.session.scalars(select(HiringSubsidyGrant)).one()
    assert granted.granted_on == dt.date(2024, 5, 6)


def test_the_form_refuses_a_missing_reference(client, graduate, office_user):
    login(client, office_user)
    response = client.post(URL, data={"seeker_id": graduate.id, "rule": "hiring.youth"})
    assert response.status_code == 302
    page = client.get("/office/policy-finder").get_data(as_text=True)
    assert "支付凭证号" in page.split("必填")[0][-80:]
    assert _grants() == 0


def test_other_roles_and_districts_may_not_record(client, graduate, employer_user, seeker_user):
    data = {"seeker_id": graduate.id, "rule": "hiring.youth", "reference": "PAY-1"}
    login(client, employer_user)
    assert client.post(URL, data=data).status_code == 403
    login(client, seeker_user)
    assert client.post(URL, data=data).status_code == 403
    login(client, UserFactory(role="office", office_district="500109"))
    assert client.post(URL, data=data).status_code == 403
    assert _grants() == 0


def test_the_form_needs_its_csrf_token(csrf_client, graduate, office_user):
    login(csrf_client, office_user)
    page = csrf_client.get("/office/policy-finder").get_data(as_text=True)
    assert page.count('name="csrf_token"') >= 2
    response = csrf_client.post(
        URL, data={"seeker_id": graduate.id, "rule": "hiring.youth", "reference": "PAY-1"}
    )
    assert response.status_code == 400
    assert _grants() == 0


def test_a_finding_on_unconfirmed_facts_says_to_confirm_and_links_to_the_person(
    client, graduate, office_user
):
    graduate.confirmed_facts = {}
    db.session.commit()
    login(client, office_user)
    html = client.get("/office/policy-finder?status=to_confirm").get_data(as_text=True)
    assert "待核实" in html and "本人申报" in html and "登记已发放" not in html
    assert f'href="/office/seekers/{graduate.id}#declared-facts"' in html
    refused = client.post(
        URL, data={"seeker_id": graduate.id, "rule": "hiring.youth", "reference": "财付-0043"}
    )
    assert refused.status_code == 302 and _grants() == 0
    assert "待经办机构核实" in client.get("/office/policy-finder").get_data(as_text=True)
