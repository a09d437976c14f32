"""The promotion gate (issue 21 item 3): repeated splits, sign constraints and pool-wide guards."""

from dataclasses import replace

import numpy as np
import pytest

from matching.features import FEATURES, FeatureContext
from matching.gate import EDUCATION, EXPOSURE, GAIN, OCCUPATION, SIGNS, Pool, select_model
from matching.index import SeekerIndex
from matching.profiles import PostingProfile, SeekerProfile
from matching.ranker import DEFAULT_WEIGHTS, MUST_NOT_HURT, Ranker, training_matrix

TRADES = {
    "4-04-05-02": "软件测试 测试用例 Python",
    "4-02-06-01": "仓库管理 叉车 库存",
    "4-03-02-01": "中式烹调 川菜 厨师",
    "2-06-01-02": "会计 记账 报税",
    "4-10-01-02": "护理 养老 照护",
    "6-31-01-03": "焊接 电焊 钢结构",
}
DISTRICTS = ["500156", "500102", "500101", "500103"]
NOISE = [w for words in TRADES.values() for w in words.split()]
SKILLS = ["Python", "SQL", "Excel", "Linux", "Git"]


def _pool(seed: int = 0) -> Pool:
    rng = np.random.default_rng(seed)
    codes = list(TRADES)
    seekers = []
    for i in range(400):
        code = codes[i % len(codes)]
        seekers.append(
            SeekerProfile(
                id=f"s{i}",
                # Words of other trades too: text similarity varies among one trade's people.
                text=TRADES[code] + " " + " ".join(rng.choice(NOISE, 3, replace=False)),
                desired_occupations=[code],
                skills=list(rng.choice(SKILLS, int(rng.integers(0, 4)), replace=False)),
                education=["senior_high", "junior_college", "bachelor"][int(rng.integers(3))],
                district=DISTRICTS[int(rng.integers(len(DISTRICTS)))],
                expected_salary=int(rng.integers(30, 80)) * 100,
            )
        )
    postings = [
        PostingProfile(
            id=f"p{j}",
            title=TRADES[codes[j % len(codes)]].split()[0],
            text=TRADES[codes[j % len(codes)]],
            occupation_code=codes[j % len(codes)],
            skills=SKILLS[:3],
            district=DISTRICTS[j % len(DISTRICTS)],
            salary_max=int(rng.integers(40, 70)) * 100,
        )
        for j in range(36)
    ]
    return Pool(postings, SeekerIndex.build(seekers))


def _history(pool: Pool, same_trade_only: bool, seed: int = 0):
    """Applicants per posting and who was hired.

    True labels: hires want the posting's occupation and live in its district. With
    ``same_trade_only`` every applicant wants the posting's occupation (so it cannot be
    learned) and hires are the local ones expecting the least pay.
    """
    rng = np.random.default_rng(seed)
    people = pool.seekers.profiles()
    pairs, y, groups = [], [], []
    for n, posting in enumerate(pool.postings):
        same = [s for s in people if s.desired_occupations == [posting.occupation_code]]
        other = [s for s in people if s.desired_occupations != [posting.occupation_code]]
        if same_trade_only:
            chosen = [same[i] for i in rng.choice(len(same), 16, replace=False)]
        else:
            chosen = [same[i] for i in rng.choice(len(same), 8, replace=False)]
            chosen += [other[i] for i in rng.choice(len(other), 8, replace=False)]
        for s in chosen:
            local = s.district == posting.district
            if same_trade_only:
                hired = local and (s.expected_salary or 0) <= 5000
            else:
                hired = local and s.desired_occupations == [posting.occupation_code]
            pairs.append((posting, s))
            y.append(int(hired or rng.random() < 0.05))
            groups.append(n)
    X = training_matrix(pairs, pool.seekers.encoder, FeatureContext.default())
    return X, np.array(y), np.array(groups)


@pytest.fixture(scope="module")
def pool() -> Pool:
    return _pool()


def test_a_model_fitted_on_true_labels_is_promoted_with_every_guard(pool: Pool) -> None:
    X, y, groups = _history(pool, same_trade_only=False)
    result = select_model(Ranker(), X, y, groups, pool=pool)
    assert result.replaced, [g.detail for g in result.guards if not g.passed]
    assert {g.name for g in result.guards} == {GAIN, SIGNS, OCCUPATION, EDUCATION, EXPOSURE}
    assert result.metrics["splits"] == 10 and result.metrics["gain_mean"] >= 0.01
    assert result.version.startswith("lr-") and result.model is not None


def test_shuffled_labels_are_refused_for_no_held_out_gain(pool: Pool) -> None:
    X, y, groups = _history(pool, same_trade_only=False)
    shuffled = np.random.default_rng(1).permutation(y)
    result = select_model(Ranker(), X, shuffled, groups, pool=pool)
    assert not result.replaced and result.model.model_version == "default-1"
    assert GAIN in result.refused


def test_negated_weights_are_refused_for_negative_weights(pool: Pool) -> None:
    X, y, groups = _history(pool, same_trade_only=False)
    negated = Ranker(weights={f: -w for f, w in DEFAULT_WEIGHTS.items()}, version="negated")
    result = select_model(Ranker(), X, y, groups, candidate=negated, pool=pool)
    assert not result.replaced
    assert SIGNS in result.refused
    signs = next(g for g in result.guards if g.name == SIGNS)
    assert all(f in signs.detail for f in MUST_NOT_HURT)


def test_a_model_fitted_to_applicants_only_is_refused_by_the_pool_guards(pool: Pool) -> None:
    X, y, groups = _history(pool, same_trade_only=True)
    result = select_model(Ranker(), X, y, groups, pool=pool)
    passed = {g.name for g in result.guards if g.passed}
    assert {GAIN, SIGNS} <= passed, [g.detail for g in result.guards]
    assert not result.replaced
    assert OCCUPATION in result.refused
    occupation = next(g for g in result.guards if g.name == OCCUPATION)
    assert occupation.value < occupation.baseline


def test_learned_weights_on_must_not_hurt_features_are_never_negative() -> None:
    rng = np.random.default_rng(0)
    X = rng.random((2000, len(FEATURES)))
    # Outcomes that fall as text similarity and skills rise: unconstrained, those weights go negative.
    logits = 3 * X[:, FEATURES.index("district")] - 2 * X[:, 0] - 2 * X[:, 2]
    y = (rng.random(2000) < 1 / (1 + np.exp(-logits))).astype(int)
    fitted = Ranker().fit(X, y)
    weights = dict(zip(FEATURES, fitted.coef_, strict=True))
    assert all(weights[f] >= 0 for f in MUST_NOT_HURT)
    assert weights["district"] > 1
    free = replace_non_negative(Ranker(), ()).fit(X, y)
    assert free.coef_[0] < 0 and free.coef_[2] < 0


def replace_non_negative(model: Ranker, features: tuple[str, ...]) -> Ranker:
    """The same ranker with other sign constraints."""
    return model.set_params(non_negative=features)


def test_the_pool_guards_compare_with_the_default_weights(pool: Pool) -> None:
    below = replace(pool.postings[0], id="edu", min_education="master")
    small = Pool([below, *pool.postings[1:4]], pool.seekers)
    from matching.gate import pool_metrics

    found = pool_metrics(Ranker(), small)
    assert found[EDUCATION] == 0.0
    assert 0 < found[OCCUPATION] <= 1 and 0 < found[EXPOSURE] <= 1
