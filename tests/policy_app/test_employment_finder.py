"""The policy finder reads recorded employment facts: qualifies, months short, facts missing, not qualifying."""

import datetime as dt

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Employment
from tests.factories import EmployerFactory, SeekerFactory, UserFactory, login

HIRED = dt.date(2023, 10, 20)


def _hire(seeker, employer, hire_date=HIRED, **facts) -> Employment:
    row = Employment(seeker_id=seeker.id, employer_id=employer.id, hire_date=hire_date, **facts)
    db.session.add(row)
    db.session.commit()
    return row


def _findings(client, headers, query: str = "") -> dict[tuple[int, str], dict]:
    response = client.get(f"/api/v1/policy/finder{query}", headers=headers)
    assert response.status_code == 200, response.json
    found = {}
    for finding in response.json["findings"]:
        key = (finding["seeker_id"], finding["rule"])
        assert key not in found, f"listed twice: {key}"
        found[key] = finding
    return found


def _messages(finding: dict, lang: str) -> list[str]:
    return [m["message"][lang] for m in finding["missing"]]


@pytest.fixture
def employer(ctx):
    return EmployerFactory()


def test_recorded_facts_decide_the_status(client, ctx, rulebooks, employer, as_office):
    full = SeekerFactory()
    short = SeekerFactory()
    unrecorded = SeekerFactory()
    brief = SeekerFactory()
    _hire(
        full,
        employer,
        contract_months=24,
        social_insurance_months=6,
        unemployment_insurance_months=3,
    )
    _hire(
        short,
        employer,
        contract_months=12,
        social_insurance_months=4,
        unemployment_insurance_months=2,
    )
    record = _hire(unrecorded, employer)
    _hire(
        brief,
        employer,
        contract_months=6,
        social_insurance_months=6,
        unemployment_insurance_months=3,
    )
    found = _findings(client, as_office)

    youth = found[(full.id, "hiring.youth")]
    assert (youth["status"], youth["amount"], youth["source"]) == ("qualifies", 2000, "000 § 7")
    assert youth["missing"] == [] and youth["rulebook"] == "wulong-2023"
    evidence = {e["field"]: e["message"]["zh"] for e in youth["evidence"]}
    assert evidence["employment.social_insurance_months"] == "连续缴纳社保 6/6 个月"
    assert evidence["employment.contract_months"] == "劳动合同期限 24/12 个月"
    expansion = found[(full.id, "hiring.expansion")]
    assert (expansion["status"], expansion["amount"], expansion["source"]) == (
        "qualifies",
        1000,
        "003 § 4",
    )

    youth = found[(short.id, "hiring.youth")]
    assert youth["status"] == "months_short"
    assert _messages(youth, "zh") == ["连续缴纳社保 4/6 个月"]
    assert _messages(youth, "en") == ["social insurance 4 of 6 months"]
    assert youth["missing"][0]["required"] == {"op": "ge", "value": 6}
    assert _messages(found[(short.id, "hiring.expansion")], "en") == [
        "unemployment insurance 2 of 3 months"
    ]

    youth = found[(unrecorded.id, "hiring.youth")]
    assert youth["status"] == "facts_missing" and youth["hire_record"] == f"employment:{record.id}"
    assert {m["field"] for m in youth["missing"]} == {
        "employment.contract_months",
        "employment.social_insurance_months",
    }
    assert all("未登记" in m for m in _messages(youth, "zh"))

    youth = found[(brief.id, "hiring.youth")]
    assert (youth["status"], youth["amount"], youth["source"]) == (
        "not_qualifying",
        2000,
        "000 § 7",
    )
    assert _messages(youth, "zh") == ["劳动合同期限 6/12 个月"]
    assert found[(brief.id, "hiring.expansion")]["status"] == "qualifies"

    statuses = [
        f["status"] for f in client.get("/api/v1/policy/finder", headers=as_office).json["findings"]
    ]
    order = ["qualifies", "months_short", "facts_missing", "not_qualifying"]
    assert statuses == sorted(statuses, key=order.index)


def test_people_the_rules_do_not_cover_are_not_listed(client, ctx, rulebooks, employer, as_office):
    old_graduate = SeekerFactory(
        graduation_date=dt.date(2015, 6, 30), birth_date=dt.date(1993, 1, 1)
    )
    _hire(
        old_graduate,
        employer,
        contract_months=36,
        social_insurance_months=12,
        unemployment_insurance_months=12,
    )
    before_policy = SeekerFactory()
    _hire(
        before_policy, employer, dt.date(2023, 9, 1), contract_months=36, social_insurance_months=12
    )
    found = _findings(client, as_office)
    assert not [key for key in found if key[0] == old_graduate.id]
    # Hired before 000 § 7 took effect (2023-10-07); 003 § 4 has no end and still applies.
    assert (before_policy.id, "hiring.youth") not in found
    assert found[(before_policy.id, "hiring.expansion")]["status"] == "facts_missing"


def test_long_term_unemployed_and_priority_groups(client, ctx, rulebooks, employer):
    unemployed = SeekerFactory(
        birth_date=dt.date(1980, 3, 1),
        education="senior_high",
        graduation_date=None,
        registered_unemployed_since=dt.date(2023, 1, 1),
    )
    _hire(unemployed, employer, contract_months=12, social_insurance_months=6)
    rongchang = EmployerFactory(district_code="500153")
    poor = SeekerFactory(
        birth_date=dt.date(1985, 3, 1),
        education="senior_high",
        graduation_date=None,
        registered_unemployed_since=dt.date(2022, 5, 1),
        registered_unemployed_district="500153",
        priority_groups=["rural_poor"],
    )
    _hire(poor, rongchang, dt.date(2022, 9, 1), contract_months=24, social_insurance_months=11)
    UserFactory(username="city", role="office")
    found = _findings(client, login(client, "city"))

    long_term = found[(unemployed.id, "hiring.long_term_unemployed")]
    assert (long_term["status"], long_term["amount"], long_term["source"]) == (
        "qualifies",
        2000,
        "000 § 12",
    )
    evidence = {e["field"]: e["message"]["zh"] for e in long_term["evidence"]}
    assert evidence["employment.registered_unemployed_months"] == "招用前登记失业 9/6 个月"
    assert (unemployed.id, "hiring.youth") not in found

    priority = found[(poor.id, "hiring.priority_groups")]
    assert (priority["status"], priority["amount"], priority["source"]) == (
        "months_short",
        6000,
        "004 § 三(三)5",
    )
    assert _messages(priority, "zh") == ["连续缴纳社保 11/12 个月"]
    db.session.get(Employment, _hire_id(poor)).social_insurance_months = 12
    db.session.commit()
    again = _findings(client, login(client, "city"), "?rule=hiring.priority_groups")
    assert list(again) == [(poor.id, "hiring.priority_groups")]
    assert again[(poor.id, "hiring.priority_groups")]["status"] == "qualifies"


def _hire_id(seeker) -> int:
    return db.session.scalar(select(Employment.id).where(Employment.seeker_id == seeker.id))


def test_a_person_is_listed_once_per_subsidy(client, ctx, rulebooks, employer, as_office):
    graduate = SeekerFactory()
    other = EmployerFactory()
    _hire(
        graduate,
        employer,
        contract_months=12,
        social_insurance_months=2,
        unemployment_insurance_months=2,
    )
    best = _hire(
        graduate,
        other,
        dt.date(2023, 11, 1),
        contract_months=12,
        social_insurance_months=6,
        unemployment_insurance_months=3,
    )
    _hire(graduate, employer, dt.date(2023, 12, 1))
    response = client.get("/api/v1/policy/finder", headers=as_office)
    assert response.json["hires_checked"] == 3
    youth = [f for f in response.json["findings"] if f["rule"] == "hiring.youth"]
    assert len(youth) == 1
    assert youth[0]["status"] == "qualifies" and youth[0]["employer_id"] == other.id
    assert youth[0]["hire_record"] == f"employment:{best.id}"


def test_earliest_hire_wins_between_equals(client, ctx, rulebooks, employer, as_office):
    graduate = SeekerFactory()
    first = _hire(graduate, employer, dt.date(2023, 10, 10))
    _hire(graduate, EmployerFactory(), dt.date(2023, 11, 10))
    youth = _findings(client, as_office)[(graduate.id, "hiring.youth")]
    assert youth["status"] == "facts_missing" and youth["hire_record"] == f"employment:{first.id}"


def test_findings_stay_in_the_office_district(
    client, ctx, rulebooks, as_office, as_beibei, as_host_a
):
    graduate = SeekerFactory()
    beibei = EmployerFactory(district_code="500109")
    _hire(
        graduate,
        beibei,
        contract_months=12,
        social_insurance_months=6,
        unemployment_insurance_months=3,
    )
    assert _findings(client, as_office) == {}
    found = _findings(client, as_beibei)
    # Only the city-wide 003 § 4 covers Beibei; Wulong's 000 § 7 does not.
    assert list(found) == [(graduate.id, "hiring.expansion")]
    assert found[(graduate.id, "hiring.expansion")]["status"] == "qualifies"
    assert client.get("/api/v1/policy/finder", headers=as_host_a).status_code == 403


def test_a_hire_recorded_through_the_api_reaches_the_finder(
    client, ctx, rulebooks, employer, as_office
):
    record = _hire(SeekerFactory(), employer)
    url = f"/api/v1/employments/{record.id}"
    assert (
        client.patch(
            url, json={"contract_months": 12, "social_insurance_months": 5}, headers=as_office
        ).status_code
        == 200
    )
    youth = _findings(client, as_office)[(record.seeker_id, "hiring.youth")]
    assert youth["status"] == "months_short" and _messages(youth, "zh") == ["连续缴纳社保 5/6 个月"]
    assert (
        client.patch(url, json={"social_insurance_months": 6}, headers=as_office).status_code == 200
    )
    youth = _findings(client, as_office)[(record.seeker_id, "hiring.youth")]
    assert youth["status"] == "qualifies"


def _certified_low_income_hire(client, headers, **registration) -> tuple[int, str]:
    """A Rongchang 低保 seeker certified by the office and hired for a year with insurance."""
    seeker = SeekerFactory(hukou_district="500153", district_code="500153")
    certified = client.patch(
        f"/api/v1/seekers/{seeker.id}",
        json={
            "priority_groups": ["low_income_family"],
            "priority_certified_by": "荣昌区就业服务中心",
            "registered_unemployed_since": "2023-03-01",
            **registration,
        },
        headers=headers,
    )
    assert certified.status_code == 200, certified.json
    _hire(
        seeker,
        EmployerFactory(district_code="500153"),
        dt.date(2023, 6, 1),
        contract_months=24,
        social_insurance_months=12,
        unemployment_insurance_months=12,
    )
    return seeker.id, "hiring.priority_groups"


def test_a_group_the_office_certifies_is_the_group_the_rules_read(client, ctx, rulebooks):
    """Rongchang's one-off subsidy for hiring priority groups (004 § 三(三)5) reads 低保 families."""
    UserFactory(username="rc_office", role="office", office_district="500153")
    as_rongchang = login(client, "rc_office")
    key = _certified_low_income_hire(client, as_rongchang)
    assert _findings(client, as_rongchang)[key]["status"] == "facts_missing"
    registered = client.patch(
        f"/api/v1/seekers/{key[0]}",
        json={"registered_unemployed_district": "500153"},
        headers=as_rongchang,
    )
    assert registered.status_code == 200, registered.json
    assert registered.json["registered_unemployed_district"] == "500153"
    found = _findings(client, as_rongchang)[key]
    assert (found["status"], found["amount"], found["rulebook"]) == (
        "qualifies",
        6000,
        "rongchang-2018",
    )


def test_registration_outside_chongqing_is_not_wo_shi_dengji_shiye(client, ctx, rulebooks):
    """004 § 三(三)5 「吸纳我市登记失业的…」: registered unemployed in Sichuan does not qualify."""
    UserFactory(username="rc_office", role="office", office_district="500153")
    as_rongchang = login(client, "rc_office")
    seeker = SeekerFactory(hukou_district="500153", district_code="500153")
    bad = client.patch(
        f"/api/v1/seekers/{seeker.id}",
        json={"registered_unemployed_district": "5101"},
        headers=as_rongchang,
    )
    assert bad.status_code == 422
    assert "registered_unemployed_district" in str(bad.json)
    key = _certified_low_income_hire(client, as_rongchang, registered_unemployed_district="510104")
    found = _findings(client, as_rongchang).get(key)
    assert found is None or found["status"] == "not_qualifying"
