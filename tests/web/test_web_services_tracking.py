"""The 1-3-1-1 tracking page: who still lacks what, who was not contacted, recording a service."""

import datetime as dt

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ServiceRecord
from tests.factories import SeekerFactory, UserFactory
from tests.web.conftest import login


@pytest.fixture
def people(ctx):
    """A difficult graduate and a registered unemployed person in Wulong."""
    return {
        "graduate": SeekerFactory(name="困难毕业生甲", priority_groups=["difficult_graduate"]),
        "unemployed": SeekerFactory(
            name="失业登记乙", registered_unemployed_since=dt.date(2023, 1, 1), employed=False
        ),
    }


def test_tracking_page_lists_what_each_graduate_lacks(client, people, office_user):
    login(client, office_user)
    html = client.get("/office/services").get_data(as_text=True)
    assert "困难毕业生甲" in html and "岗位推荐 × 3" in html and "职业指导 × 1" in html
    assert "失业登记乙" in html and "从未联系" in html
    for name in ("seeker_id", "kind", "delivered_on", "note"):
        assert f'<label for="{name}">' in html
    assert 'name="csrf_token"' in html


def test_recording_a_service_updates_the_lists(client, people, office_user):
    login(client, office_user)
    graduate = people["graduate"]
    response = client.post(
        "/office/services",
        data={"seeker_id": graduate.id, "kind": "guidance", "delivered_on": "2023-11-02"},
    )
    assert response.status_code == 302
    record = db.session.scalar(select(ServiceRecord).where(ServiceRecord.seeker_id == graduate.id))
    assert record.kind == "guidance" and record.by_user_id == office_user.id
    html = client.get("/office/services").get_data(as_text=True)
    assert "职业指导 × 1" not in html and "服务已登记" in html


def test_service_form_errors_sit_next_to_their_fields(client, people, office_user):
    login(client, office_user)
    response = client.post("/office/services", data={"seeker_id": "", "kind": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="seeker_id-error"' in html and 'id="kind-error"' in html
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        "/office/services",
        data={"seeker_id": people["graduate"].id, "kind": "training", "delivered_on": future},
    )
    assert response.status_code == 422
    assert 'id="delivered_on-error"' in response.get_data(as_text=True)
    response = client.post(
        "/office/services",
        data={"seeker_id": 999999, "kind": "training", "delivered_on": "2023-11-02"},
    )
    assert response.status_code == 422 and 'id="seeker_id-error"' in response.get_data(as_text=True)


def test_other_roles_and_districts_are_refused(client, people, employer_user):
    login(client, employer_user)
    assert client.get("/office/services").status_code == 403
    login(client, UserFactory(role="office", office_district="500109"))
    html = client.get("/office/services").get_data(as_text=True)
    assert "困难毕业生甲" not in html and "本区县暂无登记的困难毕业生" in html
    response = client.post(
        "/office/services",
        data={"seeker_id": people["graduate"].id, "kind": "contact", "delivered_on": "2023-11-02"},
    )
    assert response.status_code == 422
    assert db.session.scalar(select(ServiceRecord)) is None


def test_contact_list_reveals_a_phone_in_place_and_downloads(client, people, office_user):
    person = people["unemployed"]
    person.phone = "13812345678"
    db.session.commit()
    login(client, office_user)
    html = client.get("/office/services?on=2023-10-31").get_data(as_text=True)
    assert "138****5678" in html and "13812345678" not in html
    assert "/office/services/contacts.xlsx?on=2023-10-31" in html
    shown = client.post(f"/office/services/{person.id}/phone", headers={"HX-Request": "true"})
    assert shown.get_data(as_text=True).strip() == '<a href="tel:13812345678">13812345678</a>'
    fallback = client.post(f"/office/services/{person.id}/phone", follow_redirects=True)
    assert "13812345678" in fallback.get_data(as_text=True)
    sheet = client.get("/office/services/contacts.csv?on=2023-10-31")
    assert sheet.status_code == 200 and "13812345678" in sheet.data.decode("utf-8-sig")
    assert client.get("/office/services/contacts.pdf").status_code == 404
