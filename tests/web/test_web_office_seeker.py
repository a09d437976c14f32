"""An office opens a seeker of its district, corrects desired occupations and certifies priority groups."""

import datetime as dt

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, DesiredJob, Seeker
from app.services import bridge
from tests.factories import SeekerFactory
from tests.web.conftest import login


@pytest.fixture
def person(ctx):
    """A Wulong seeker with a phone and one desired occupation."""
    return SeekerFactory(
        name="王小芳",
        phone="13812345678",
        hukou_district="500156",
        district_code="500156",
        desired_occupations=["4-07-05-01"],
    )


def _reload(seeker_id: int) -> Seeker:
    db.session.expire_all()
    return db.session.get(Seeker, seeker_id)


def test_office_certifies_groups_and_corrects_occupations(client, person, office_user):
    login(client, office_user)
    listing = client.get("/office/seekers").get_data(as_text=True)
    assert f'href="/office/seekers/{person.id}"' in listing
    page = client.get(f"/office/seekers/{person.id}").get_data(as_text=True)
    assert "王小芳" in page and "138****5678" in page and "13812345678" not in page
    assert person.id_number not in page and "4-07-05-01 保安员" in page
    assert "低保" in page and "认定机构" in page
    assert 'id="occupation_q"' in page and 'hx-get="/occupations/options"' in page
    assert "Priority groups" in client.get(f"/office/seekers/{person.id}?lang=en").get_data(
        as_text=True
    )

    data = {
        "desired_occupations": "4-14-05-01，4-07-05-01",
        "priority_groups": ["low_income_family", "graduate_2y"],
        "priority_certified_by": "武隆区就业服务中心",
        "priority_certified_on": "2023-09-01",
        "registered_unemployed_since": "2023-07-01",
        "registered_unemployed_district": "500156",
    }
    response = client.post(f"/office/seekers/{person.id}", data=data)
    assert response.status_code == 302
    saved = _reload(person.id)
    assert saved.desired_occupations == ["4-14-05-01", "4-07-05-01"]
    assert saved.priority_groups == ["low_income_family", "graduate_2y"]
    assert saved.priority_certified_by == "武隆区就业服务中心"
    assert saved.priority_certified_on == dt.date(2023, 9, 1)
    assert saved.registered_unemployed_since == dt.date(2023, 7, 1)
    assert saved.registered_unemployed_district == "500156"
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.entity == "seeker", AuditEvent.action == "update")
    )
    assert event.after["priority_groups"] == ["low_income_family", "graduate_2y"]
    shown = client.get(f"/office/seekers/{person.id}").get_data(as_text=True)
    assert "已保存" in shown and "4-14-05-01 社会体育指导员" in shown


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        (
            {"priority_groups": ["disabled"], "priority_certified_by": ""},
            "认定重点群体须注明认定机构",
        ),
        ({"desired_occupations": "9-99-99-99"}, "职业代码 9-99-99-99 不存在"),
        ({"desired_occupations": "保安"}, "请填写职业代码"),
        ({"priority_groups": ["astronaut"]}, "不在可选范围内：astronaut"),
        ({"registered_unemployed_district": "5001"}, "请输入6位区县代码"),
    ],
)
def test_bad_input_is_named_beside_its_field(client, person, office_user, data, field_message):
    login(client, office_user)
    response = client.post(f"/office/seekers/{person.id}", data=data)
    assert response.status_code == 422
    assert field_message in response.get_data(as_text=True)
    saved = _reload(person.id)
    assert saved.priority_groups == [] and saved.desired_occupations == ["4-07-05-01"]


def test_only_an_office_covering_the_seeker(client, person, office_user, employer_user):
    elsewhere = SeekerFactory(hukou_district="500101", district_code="500101")
    login(client, office_user)
    assert client.get(f"/office/seekers/{elsewhere.id}").status_code == 403
    assert (
        client.post(
            f"/office/seekers/{elsewhere.id}", data={"priority_groups": ["veteran"]}
        ).status_code
        == 403
    )
    assert _reload(elsewhere.id).priority_groups == []
    login(client, employer_user)
    assert client.get(f"/office/seekers/{person.id}").status_code == 403


def test_the_form_needs_its_csrf_token(csrf_client, person, office_user):
    login(csrf_client, office_user)
    page = csrf_client.get(f"/office/seekers/{person.id}").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    response = csrf_client.post(
        f"/office/seekers/{person.id}",
        data={"priority_groups": ["veteran"], "priority_certified_by": "x"},
    )
    assert response.status_code == 400
    assert _reload(person.id).priority_groups == []


JOB = "山地自行车领骑员"
CORRECT = "4-14-05-01"  # 社会体育指导员


@pytest.fixture
def named_job(person):
    """The seeker named a job the coder gets wrong."""
    code = bridge.code_titles([JOB])[0]
    assert code != CORRECT
    job = DesiredJob(seeker=person, title=JOB, occupation_code=code)
    person.desired_occupations = ["4-07-05-01", code]
    db.session.add(job)
    db.session.commit()
    return job


def test_office_corrects_the_code_of_a_job_the_seeker_named(client, named_job, office_user):
    login(client, office_user)
    old = named_job.occupation_code
    page = client.get(f"/office/seekers/{named_job.seeker_id}").get_data(as_text=True)
    assert "所填工作的职业代码" in page and f'id="job-{named_job.id}"' in page
    assert f'value="{old}" checked' in page
    assert 'name="desired_occupations" type="text" value="4-07-05-01"' in page
    response = client.post(
        f"/office/seekers/{named_job.seeker_id}/jobs/{named_job.id}", data={"other_code": CORRECT}
    )
    assert response.status_code == 302
    saved = _reload(named_job.seeker_id)
    assert saved.desired_occupations == ["4-07-05-01", CORRECT]
    assert (saved.desired_jobs[0].occupation_code, saved.desired_jobs[0].occupation_source) == (
        CORRECT,
        "office",
    )
    shown = client.get(f"/office/seekers/{named_job.seeker_id}").get_data(as_text=True)
    assert f"已将“{JOB}”的职业代码保存为 {CORRECT}" in shown and "机构已校对" in shown
    assert bridge.code_titles([JOB]) == [CORRECT]
    # Saving the rest of the record keeps the checked job's code among the desired occupations.
    client.post(f"/office/seekers/{named_job.seeker_id}", data={"desired_occupations": ""})
    assert _reload(named_job.seeker_id).desired_occupations == [CORRECT]


@pytest.mark.parametrize(
    ("data", "message"),
    [({"other_code": "9-99-99-99"}, "职业代码 9-99-99-99 不存在"), ({}, "请选择或填写职业代码")],
)
def test_a_bad_job_code_is_named_and_nothing_changes(client, named_job, office_user, data, message):
    login(client, office_user)
    old = named_job.occupation_code
    response = client.post(
        f"/office/seekers/{named_job.seeker_id}/jobs/{named_job.id}",
        data=data,
        follow_redirects=True,
    )
    assert message in response.get_data(as_text=True)
    saved = _reload(named_job.seeker_id)
    assert saved.desired_jobs[0].occupation_code == old
    assert saved.desired_jobs[0].occupation_source == "auto"


def test_the_job_check_needs_its_csrf_token_and_the_district(
    csrf_client, named_job, office_user, client, employer_user
):
    login(csrf_client, office_user)
    url = f"/office/seekers/{named_job.seeker_id}/jobs/{named_job.id}"
    csrf_client.post(url, data={"other_code": CORRECT})
    assert _reload(named_job.seeker_id).desired_jobs[0].occupation_source == "auto"
    login(client, employer_user)
    assert client.post(url, data={"other_code": CORRECT}).status_code == 403


def test_office_confirms_declared_facts_on_the_seekers_page(client, ctx, office_user):
    person = SeekerFactory(name="李待核", declared_only=True)
    login(client, office_user)
    page = client.get(f"/office/seekers/{person.id}").get_data(as_text=True)
    assert 'id="declared-facts"' in page and page.count("tag unconfirmed") == 4
    assert client.post(f"/office/seekers/{person.id}/confirm-facts", data={}).status_code == 422

    response = client.post(
        f"/office/seekers/{person.id}/confirm-facts", data={"facts": ["hukou", "graduation"]}
    )
    assert response.status_code == 302
    saved = _reload(person.id)
    assert set(saved.confirmed_facts) == {"hukou", "graduation"}
    page = client.get(f"/office/seekers/{person.id}").get_data(as_text=True)
    assert page.count("tag unconfirmed") == 2 and page.count("核实人 ") == 2
    refused = client.post(f"/office/seekers/{person.id}/confirm-facts", data={"facts": ["salary"]})
    assert refused.status_code == 422 and "salary" in refused.get_data(as_text=True)
