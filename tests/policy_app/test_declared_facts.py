"""Facts a seeker declares that decide money stay "to confirm" until an office checks them.

Unemployment registration, 户籍, graduation date and employment status are typed in by the
seeker. The policy engine says which of them it relied on and whether an office confirmed
each; a change by the seeker makes the fact "to confirm" again; no hiring subsidy is paid on
an unconfirmed fact; every confirmation is audited.
"""

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Employment, HiringSubsidyGrant
from tests.factories import EmployerFactory, SeekerFactory, UserFactory, login

CONFIRM = "/api/v1/seekers/{}/confirmations"
GRANTS = "/api/v1/policy/hiring-grants"


def _facts(body: dict) -> dict[str, bool]:
    return {d["fact"]: d["confirmed"] for d in body["declared_facts"]}


@pytest.fixture
def declared(ctx):
    """A 2023 Wulong graduate with an account, whose facts no office has checked yet."""
    user = UserFactory(username="graduate", role="seeker")
    return SeekerFactory(user_id=user.id, name="应届生乙", declared_only=True)


@pytest.fixture
def as_graduate(client, declared):
    return login(client, "graduate")


def _hire(seeker) -> Employment:
    """A Wulong hire of the graduate with every employment fact the youth subsidy tests."""
    row = Employment(
        seeker_id=seeker.id,
        employer_id=EmployerFactory().id,
        hire_date=dt.date(2023, 10, 20),
        contract_months=24,
        social_insurance_months=6,
        unemployment_insurance_months=3,
    )
    db.session.add(row)
    db.session.commit()
    return row


def _youth(client, headers, seeker_id: int) -> dict:
    findings = client.get("/api/v1/policy/finder", headers=headers).json["findings"]
    (found,) = [f for f in findings if f["seeker_id"] == seeker_id and f["rule"] == "hiring.youth"]
    return found


def test_a_seekers_own_facts_are_self_declared(client, declared, as_graduate):
    body = client.get("/api/v1/seekers/me", headers=as_graduate).json
    assert _facts(body) == {
        "registered_unemployed": False,
        "hukou": False,
        "graduation": False,
        "employment_status": False,
    }
    assert body["declared_facts"][1]["label"] == {
        "zh": "户籍",
        "en": "household registration (hukou)",
    }


def test_an_office_confirms_facts_and_the_confirmation_is_audited(client, declared, as_office):
    done = client.post(
        CONFIRM.format(declared.id), json={"facts": ["hukou", "graduation"]}, headers=as_office
    )
    assert done.status_code == 200, done.json
    facts = {d["fact"]: d for d in done.json["declared_facts"]}
    assert facts["hukou"]["confirmed"] and facts["graduation"]["confirmed"]
    assert not facts["registered_unemployed"]["confirmed"]
    confirmed_on = dt.date.fromisoformat(facts["hukou"]["confirmed_on"])
    assert abs(confirmed_on - dt.date.today()) <= dt.timedelta(days=1)  # Chongqing's day
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "confirm_facts"))
    assert event.entity == "seeker" and event.entity_id == str(declared.id)
    assert event.after["confirmed"] == ["graduation", "hukou"]
    assert event.after["values"]["hukou"] == ["500156"]


def test_a_change_by_the_seeker_makes_the_fact_to_confirm_again(
    client, declared, as_graduate, as_office
):
    client.post(
        CONFIRM.format(declared.id), json={"facts": ["hukou", "graduation"]}, headers=as_office
    )
    changed = client.patch(
        f"/api/v1/seekers/{declared.id}", json={"hukou_district": "500109"}, headers=as_graduate
    )
    assert changed.status_code == 200, changed.json
    assert _facts(changed.json)["hukou"] is False
    assert _facts(changed.json)["graduation"] is True
    back = client.patch(
        f"/api/v1/seekers/{declared.id}", json={"hukou_district": "500156"}, headers=as_graduate
    )
    assert _facts(back.json)["hukou"] is False  # the confirmation went with the change


def test_a_fact_an_office_writes_is_confirmed_by_that_office(client, declared, as_office):
    body = client.patch(
        f"/api/v1/seekers/{declared.id}",
        json={
            "registered_unemployed_since": "2023-07-01",
            "registered_unemployed_district": "500156",
        },
        headers=as_office,
    ).json
    assert _facts(body)["registered_unemployed"] is True
    assert _facts(body)["hukou"] is False


def test_an_office_registering_a_walk_in_confirms_what_it_typed(client, ctx, as_office):
    from tests.factories import make_id_number

    body = client.post(
        "/api/v1/seekers",
        json={
            "name": "来访者",
            "id_number": make_id_number(),
            "education": "bachelor",
            "hukou_district": "500156",
            "graduation_date": "2023-06-30",
        },
        headers=as_office,
    ).json
    facts = _facts(body)
    assert facts["hukou"] and facts["graduation"]
    assert not facts["registered_unemployed"] and not facts["employment_status"]


@pytest.mark.parametrize(
    "who, status",
    [("beibei", 403), ("employer", 403), ("seeker", 403)],
)
def test_only_the_persons_office_confirms(client, declared, as_graduate, as_beibei, who, status):
    headers = {"beibei": as_beibei, "seeker": as_graduate}.get(who)
    if who == "employer":
        UserFactory(username="boss", role="employer", employer_id=EmployerFactory().id)
        headers = login(client, "boss")
    refused = client.post(CONFIRM.format(declared.id), json={"facts": ["hukou"]}, headers=headers)
    assert refused.status_code == status
    db.session.refresh(declared)
    assert declared.confirmed_facts == {}


@pytest.mark.parametrize("facts", [["salary"], [], "hukou", None])
def test_bad_facts_are_refused_naming_the_field(client, declared, as_office, facts):
    refused = client.post(CONFIRM.format(declared.id), json={"facts": facts}, headers=as_office)
    assert refused.status_code == 422
    assert "facts" in refused.json["errors"], refused.json


def test_the_finder_says_to_confirm_and_no_subsidy_is_paid_until_confirmed(
    client, rulebooks, declared, as_office
):
    _hire(declared)
    found = _youth(client, as_office, declared.id)
    assert found["status"] == "to_confirm"
    relied = {d["fact"]: d["confirmed"] for d in found["declared"]}
    assert relied and not any(relied.values())
    body = {"seeker_id": declared.id, "rule": "hiring.youth", "reference": "PAY-7"}
    refused = client.post(GRANTS, json=body, headers=as_office)
    assert refused.status_code == 422
    assert set(refused.json["errors"]) == set(relied)
    assert db.session.scalar(select(func.count()).select_from(HiringSubsidyGrant)) == 0

    client.post(CONFIRM.format(declared.id), json={"facts": sorted(relied)}, headers=as_office)
    assert _youth(client, as_office, declared.id)["status"] == "qualifies"
    assert client.post(GRANTS, json=body, headers=as_office).status_code == 201


def test_the_eligibility_check_lists_the_declared_facts_it_relied_on(
    client, public, declared, as_office
):
    client.post(CONFIRM.format(declared.id), json={"facts": ["hukou"]}, headers=as_office)
    decision = client.post(
        "/api/v1/policy/eligibility",
        json={"program_id": public.id, "started_on": "2023-10-08", "seeker_id": declared.id},
        headers=as_office,
    )
    assert decision.status_code == 200, decision.json
    assert decision.json["eligible"] is True
    relied = {d["fact"]: d["confirmed"] for d in decision.json["declared_facts"]}
    assert relied == {"hukou": True, "graduation": False, "employment_status": False}
