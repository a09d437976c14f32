"""Learning ranking weights from outcomes: promoted only when better on held-out postings, then used."""

from app.extensions import db
from app.models import RankerModel
from app.services import ranker_models
from tests.factories import ApplicationFactory, EmployerFactory, PostingFactory, SeekerFactory


def _history(n_posts: int = 12, per_post: int = 8) -> None:
    """Hires went to local people in other trades, rejections to far-away people in the same trade.

    The default weights favour the occupation over the district, so they rank this history
    badly; a model learned from it must do better.
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
            slots=50,
        )
        for s in range(per_post):
            hired = s % 2 == 0
            seeker = SeekerFactory(
                desired_occupations=["6-01-01-01"] if hired else [code],
                district_code="500156" if hired else "500243",
                hukou_district="500156" if hired else "500243",
                skills=[],
                summary="求职",
            )
            ApplicationFactory(seeker=seeker, posting=post, status="hired" if hired else "rejected")


def test_training_promotes_a_better_model_and_the_api_uses_it(client, ctx, posts, as_host):
    _history()
    result = ranker_models.train(min_rows=50)
    assert result["trained"] and result["rows"] == 96
    assert result["metrics"]["candidate_auc"] > result["metrics"]["current_auc"]
    assert result["replaced"] is True
    stored = db.session.query(RankerModel).filter_by(active=True).one()
    assert (
        stored.version == result["version"]
        and stored.weights["district"] > stored.weights["occupation"]
    )
    response = client.get(f"/api/v1/postings/{posts[0].id}/candidates?k=3", headers=as_host)
    assert response.json["model_version"] == stored.version
    evaluation = ranker_models.evaluate()
    assert (
        evaluation["rows"] == 96
        and evaluation["version"] == ranker_models.active_ranker().model_version
    )


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
