"""Offices confirm or correct the occupation codes postings got from their titles; the coder learns them."""

from urllib.parse import quote

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, DesiredJob, Posting, Seeker
from app.services import bridge
from tests.factories import PostingFactory, SeekerFactory
from tests.web.conftest import login

TITLE = "山地自行车领骑员"
CORRECT = "4-14-05-01"  # 社会体育指导员


@pytest.fixture
def coded(ctx, employer_user):
    """A Wulong posting coded from its title, and one in Wanzhou the Wulong office does not cover."""
    auto = bridge.code_titles([TITLE])[0]
    assert auto != CORRECT
    ours = PostingFactory(employer=employer_user.employer, title=TITLE, occupation_code=auto)
    other = "万州码头理货员"
    theirs = PostingFactory(
        title=other, district_code="500101", occupation_code=bridge.code_titles([other])[0]
    )
    return ours, theirs


def test_office_corrects_a_code_and_the_coder_learns_it(client, coded, office_user):
    ours, _theirs = coded
    login(client, office_user)
    page = client.get("/office/occupations").get_data(as_text=True)
    assert "职业代码校对" in page and TITLE in page and "万州码头理货员" not in page
    assert f'value="{ours.occupation_code}" checked' in page and "(当前)" in page
    stat = '<span class="stat-n">{}</span><span>待校对职业代码</span>'
    assert stat.format(1) in client.get("/office/").get_data(as_text=True)
    english = client.get("/office/occupations?lang=en").get_data(as_text=True)
    assert "Occupation codes" in english and "Save the code" in english

    response = client.post(f"/office/occupations/{ours.id}", data={"other_code": CORRECT})
    assert response.status_code == 302 and response.location.endswith(
        "/office/occupations?source=auto"
    )
    db.session.expire_all()
    posting = db.session.get(Posting, ours.id)
    assert (posting.occupation_code, posting.occupation_source) == (CORRECT, "office")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "check_occupation"))
    assert event.after == {"occupation_code": CORRECT, "occupation_source": "office"}
    unchecked = client.get("/office/occupations").get_data(as_text=True)
    assert "已将“山地自行车领骑员”的职业代码保存为 4-14-05-01" in unchecked
    assert f'id="posting-{ours.id}"' not in unchecked
    checked = client.get("/office/occupations?source=office").get_data(as_text=True)
    assert f'id="posting-{ours.id}"' in checked and f'value="{CORRECT}" checked' in checked
    assert bridge.code_titles([f"招聘{TITLE} 包吃住"]) == [CORRECT]
    assert stat.format(0) in client.get("/office/").get_data(as_text=True)


def test_confirming_the_suggested_code_makes_it_an_office_label(client, coded, office_user):
    ours, _theirs = coded
    login(client, office_user)
    code = ours.occupation_code
    client.post(f"/office/occupations/{ours.id}", data={"occupation_code": code})
    db.session.expire_all()
    assert db.session.get(Posting, ours.id).occupation_source == "office"
    assert (TITLE, code) in bridge.office_coded_titles()


def test_an_office_confirms_a_whole_page_at_once_but_not_others_postings(
    client, coded, office_user, employer_user
):
    ours, theirs = coded
    more = PostingFactory(employer=employer_user.employer, title="导游", occupation_code=CORRECT)
    login(client, office_user)
    page = client.get("/office/occupations").get_data(as_text=True)
    assert "确认本页全部 2 个代码" in page
    refused = client.post(
        "/office/occupations/confirm-page", data={"posting_id": [ours.id, theirs.id]}
    )
    assert refused.status_code == 403
    db.session.expire_all()
    assert db.session.get(Posting, ours.id).occupation_source == "auto"  # all or none
    client.post("/office/occupations/confirm-page", data={"posting_id": [ours.id, more.id]})
    db.session.expire_all()
    assert {db.session.get(Posting, i).occupation_source for i in (ours.id, more.id)} == {"office"}


def test_retraining_asks_for_the_background_worker_when_there_is_none(
    app, client, coded, office_user, monkeypatch
):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    login(client, office_user)
    html = client.post("/office/occupations/retrain", follow_redirects=True).get_data(as_text=True)
    assert "重新训练需要后台任务服务" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"other_code": "9-99-99-99"}, "职业代码 9-99-99-99 不存在"),
        ({"other_code": "保安"}, "请填写职业代码"),
        ({}, "请选择或填写职业代码"),
    ],
)
def test_a_bad_code_is_named_and_nothing_changes(client, coded, office_user, data, message):
    ours, _theirs = coded
    login(client, office_user)
    response = client.post(f"/office/occupations/{ours.id}", data=data, follow_redirects=True)
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Posting, ours.id).occupation_source == "auto"


def test_only_the_covering_office_may_check(client, coded, office_user, employer_user):
    ours, theirs = coded
    login(client, office_user)
    assert (
        client.post(f"/office/occupations/{theirs.id}", data={"other_code": CORRECT}).status_code
        == 403
    )
    login(client, employer_user)
    assert client.get("/office/occupations").status_code == 403
    assert (
        client.post(f"/office/occupations/{ours.id}", data={"other_code": CORRECT}).status_code
        == 403
    )
    db.session.expire_all()
    assert db.session.get(Posting, theirs.id).occupation_source == "auto"


def test_the_form_needs_its_csrf_token(csrf_client, coded, office_user):
    ours, _theirs = coded
    login(csrf_client, office_user)
    assert 'name="csrf_token"' in csrf_client.get("/office/occupations").get_data(as_text=True)
    response = csrf_client.post(f"/office/occupations/{ours.id}", data={"other_code": CORRECT})
    assert response.status_code == 400


def test_recode_applies_what_the_coder_learned_to_older_postings(app, client, coded, office_user):
    ours, _theirs = coded
    older = PostingFactory(
        employer=ours.employer, title=TITLE, occupation_code=ours.occupation_code
    )
    chosen = PostingFactory(
        employer=ours.employer, title=TITLE, occupation_code="4-10-08-01", occupation_source="given"
    )
    seeker = SeekerFactory(desired_occupations=["4-07-05-01", ours.occupation_code])
    db.session.add(DesiredJob(seeker=seeker, title=TITLE, occupation_code=ours.occupation_code))
    db.session.commit()
    login(client, office_user)
    client.post(f"/office/occupations/{ours.id}", data={"other_code": CORRECT})
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["occupations", "recode", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1 of their codes would change" in dry.output and f"#{older.id} {TITLE}" in dry.output
    assert f"seeker #{seeker.id} {TITLE}: {ours.occupation_code} -> {CORRECT}" in dry.output
    db.session.expire_all()
    assert db.session.get(Posting, older.id).occupation_code != CORRECT
    assert db.session.get(Seeker, seeker.id).desired_jobs[0].occupation_code != CORRECT

    done = runner.invoke(args=["occupations", "recode"])
    assert done.exit_code == 0 and "1 of their codes changed" in done.output
    db.session.expire_all()
    recoded = db.session.get(Posting, older.id)
    assert (recoded.occupation_code, recoded.occupation_source) == (CORRECT, "auto")
    assert "社会体育指导员" in recoded.search_text
    assert db.session.get(Posting, chosen.id).occupation_code == "4-10-08-01"
    person = db.session.get(Seeker, seeker.id)
    assert (person.desired_jobs[0].occupation_code, person.desired_jobs[0].occupation_source) == (
        CORRECT,
        "auto",
    )
    assert person.desired_occupations == ["4-07-05-01", CORRECT]
    again = runner.invoke(args=["occupations", "recode"])
    assert "0 of their codes changed" in again.output and "1 of their codes" not in again.output


def test_a_check_counts_at_once_and_the_coder_relearns_when_old_enough(
    app, coded, office_user, monkeypatch
):
    from app.services.occupation_checks import check_posting_occupation

    ours, _theirs = coded
    monkeypatch.setitem(app.config, "OCCUPATION_CODER_MAX_AGE", 3600)
    before = bridge.occupation_coder()
    check_posting_occupation(office_user, ours.id, CORRECT)
    assert bridge.occupation_coder() is before
    assert bridge.code_titles([f"急招{TITLE}（包住）"]) == [CORRECT]
    assert before.predict([TITLE]) != [CORRECT]

    monkeypatch.setitem(app.config, "OCCUPATION_CODER_MAX_AGE", 0)
    relearned = bridge.occupation_coder()
    assert relearned is not before and relearned.predict([TITLE]) == [CORRECT]


def test_office_checks_the_jobs_seekers_of_its_district_named(client, ctx, office_user):
    auto = bridge.code_titles([TITLE])[0]
    ours = SeekerFactory(name="王小芳", desired_occupations=[auto])
    theirs = SeekerFactory(hukou_district="500101", district_code="500101")
    db.session.add_all(
        [
            DesiredJob(seeker=ours, title=TITLE, occupation_code=auto),
            DesiredJob(seeker=theirs, title="万州码头理货员", occupation_code="4-02-06-02"),
        ]
    )
    db.session.commit()
    job = ours.desired_jobs[0]
    login(client, office_user)
    stat = '<span class="stat-n">{}</span><span>待校对求职意向代码</span>'
    assert stat.format(1) in client.get("/office/").get_data(as_text=True)
    page = client.get("/office/occupations?what=jobs").get_data(as_text=True)
    assert "求职者所填工作" in page and TITLE in page and "王小芳" in page
    assert "万州码头理货员" not in page and f'value="{auto}" checked' in page
    listing = "/office/occupations?what=jobs&source=auto"
    response = client.post(
        f"/office/seekers/{ours.id}/jobs/{job.id}?next={quote(listing)}",
        data={"other_code": CORRECT},
    )
    assert response.status_code == 302 and response.location.endswith(listing)
    assert f'id="job-{job.id}"' not in client.get(listing).get_data(as_text=True)
    checked = client.get("/office/occupations?what=jobs&source=office").get_data(as_text=True)
    assert f'id="job-{job.id}"' in checked and f'value="{CORRECT}" checked' in checked
    db.session.expire_all()
    assert db.session.get(Seeker, ours.id).desired_occupations == [CORRECT]
    assert bridge.code_titles([TITLE]) == [CORRECT]
    assert stat.format(0) in client.get("/office/").get_data(as_text=True)
    elsewhere = client.post(
        f"/office/seekers/{theirs.id}/jobs/{theirs.desired_jobs[0].id}",
        data={"other_code": CORRECT},
    )
    assert elsewhere.status_code == 403
