"""Learning ranking weights from outcomes: promoted only when better on held-out postings, then used."""

from app.extensions import db
from app.models import RankerModel
from app.services import ranker_models
from tests.factories import ApplicationFactory, EmployerFactory, PostingFactory, SeekerFactory


def _history(n_posts: int = 12, per_post: int = 8, applicants_only: bool = False) -> None:
    """Hires went to local people of the trade; rejections to people with more skills who are
    far away or of another trade.

    The default weights count skills above the district, so they rank this history badly;
    a model learned from it must do better. With ``applicants_only`` every rejected
    applicant is of the trade and far away, and hires are local people of *other* trades:
    what a model learns from that (ignore the occupation) would fill the pool-wide lists
    with the wrong trades, and the gate must refuse it.
    """
    employer = EmployerFactory()
    codes = ["4-04-05-02", "4-02-06-01", "4-07-05-01"]
    for p in range(n_posts):
        code = codes[p % 3]
        post = PostingFactory(
            employer=employer,
            occupation_code=code,
            title=f"岗位{p}",
            description="岗位职责",
            skills=["Python", "SQL", "Excel"],
            slots=50,
        )
        for s in range(per_post):
            hired = s % 2 == 0
            local = hired or (s % 4 == 3 and not applicants_only)
            other_trade = (hired and applicants_only) or (not hired and local)
            seeker = SeekerFactory(
                desired_occupations=["6-01-01-01"] if other_trade else [code],
                district_code="500156" if local else "500243",
                hukou_district="500156" if local else "500243",
                skills=[] if hired else ["Python", "SQL", "Excel"],
                summary="求职",
            )
            ApplicationFactory(seeker=seeker, posting=post, status="hired" if hired else "rejected")


def test_training_promotes_a_better_model_and_the_api_uses_it(client, ctx, posts, as_host):
    _history()
    result = ranker_models.train(min_rows=50)
    assert result["trained"] and result["rows"] == 96
    assert result["metrics"]["candidate_auc"] > result["metrics"]["current_auc"]
    assert result["replaced"] is True and result["refused"] == [], result["guards"]
    stored = db.session.query(RankerModel).filter_by(active=True).one()
    assert (
        stored.version == result["version"]
        and stored.weights["district"] > stored.weights["skills"] >= 0
    )
    response = client.get(f"/api/v1/postings/{posts[0].id}/candidates?k=3", headers=as_host)
    assert response.json["model_version"] == stored.version
    evaluation = ranker_models.evaluate()
    assert (
        evaluation["rows"] == 96
        and evaluation["version"] == ranker_models.active_ranker().model_version
    )
    card = ranker_models.model_card()
    assert card["version"] == stored.version and card["data"]["rows"] == 96
    assert {g["name"] for g in card["guards"]} >= {"held_out_gain", "occupation_match@10"}


def test_a_model_that_ignores_the_occupation_pool_wide_is_refused_with_the_guard(ctx, posts):
    """Issue 21 item 3: fitted to applicants only, it would wreck the pool-wide lists."""
    _history(applicants_only=True)
    result = ranker_models.train(min_rows=50)
    assert result["trained"] and result["replaced"] is False
    assert "occupation_match@10" in result["refused"]
    failed = next(g for g in result["guards"] if g["name"] == "occupation_match@10")
    assert "occupation-match rate" in failed["detail"] and failed["value"] < failed["baseline"]
    assert ranker_models.active_ranker().model_version == "default-1"
    assert db.session.query(RankerModel).count() == 0


def test_office_page_shows_the_active_model_card(client, ctx, posts):
    from tests.factories import UserFactory
    from tests.web.conftest import login

    login(client, UserFactory(username="card_office", role="office", office_district="500156"))
    page = client.get("/office/reports/match").get_data(as_text=True)
    assert "当前使用的排序模型" in page and "default-1" in page
    _history()
    assert ranker_models.train(min_rows=50)["replaced"]
    page = client.get("/office/reports/match").get_data(as_text=True)
    version = ranker_models.active_ranker().model_version
    assert version in page and "held_out_gain" in page and "exposure_top20" in page
    assert "96 条结果" in page


def test_too_little_history_trains_nothing(ctx):
    result = ranker_models.train(min_rows=50)
    assert result == {
        "trained": False,
        "reason": "not enough outcome history (0 rows, need 50 with both outcomes)",
    }
    assert ranker_models.active_ranker().model_version == "default-1"


def test_match_cli_commands(app, ctx):
    _history(n_posts=9)
    runner = app.test_cli_runner()
    trained = runner.invoke(args=["match", "train"])
    assert trained.exit_code == 0 and '"trained": true' in trained.output
    evaluated = runner.invoke(args=["match", "evaluate"])
    assert evaluated.exit_code == 0 and "ndcg@10" in evaluated.output
