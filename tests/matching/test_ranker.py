import subprocess
import sys
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from matching.diversity import cap_exposure
from matching.features import FEATURES, FeatureContext
from matching.index import PostingIndex, SeekerIndex, TextEncoder
from matching.profiles import PostingProfile, SeekerProfile
from matching.ranker import (
    DEFAULT_VERSION,
    DEFAULT_WEIGHTS,
    Ranker,
    rank_postings_for_seeker,
    rank_seekers_for_posting,
    training_matrix,
)

POSTING = PostingProfile(
    id="p1",
    kind="traineeship",
    title="软件测试见习生",
    text="软件测试 编写测试用例 Python SQL",
    occupation_code="2-02-10-03",
    skills=["Python", "SQL", "Linux", "Excel", "Git"],
    min_education="junior_college",
    district="500156",
    salary_min=3000,
    salary_max=4000,
    program="wulong-2023",
    start=date(2024, 3, 1),
)

JOB = replace(POSTING, kind="job")


def person(i: int, **changes: object) -> SeekerProfile:
    base = dict(
        id=f"s{i}",
        text="软件测试 Python SQL 测试用例",
        desired_occupations=["2-02-10-03"],
        skills=["python", "sql", "linux", "excel"],
        education="bachelor",
        district="500156",
        expected_salary=3500,
    )
    base.update(changes)
    return SeekerProfile(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def pool() -> list[SeekerProfile]:
    return [
        person(0),
        person(1, skills=["python"], district="500102"),
        person(2, text="厨师 川菜", desired_occupations=["4-03-02-01"], skills=["cooking"]),
        person(3, visible=False),
        person(4, education="junior_college", skills=["python"], priority_groups=["disabled"]),
        person(5, text="仓库管理 叉车", desired_occupations=["4-02-06-01"], skills=[]),
    ]


def test_default_ranking_with_reasons_in_both_languages(pool: list[SeekerProfile]) -> None:
    rows = rank_seekers_for_posting(JOB, pool, k=3)
    assert [r.id for r in rows] == ["s0", "s4", "s1"]
    top = rows[0]
    assert top.score == pytest.approx(sum(top.parts.values()))
    assert set(top.parts) == set(FEATURES)
    zh, en = top.reasons_text("zh"), top.reasons_text("en")
    assert "职业相符 (" in zh
    assert "技能 4/5 (Python, SQL, Linux…)" in zh
    assert "学历符合" in zh and "同区 (武隆区)" in zh and "薪资在期望内" in zh
    assert "Skills 4/5" in en and "Same district (Wulong)" in en
    assert "Education meets the minimum" in en
    assert "邻近区县 (武隆区)" in rows[2].reasons_text("zh")
    assert {r.code for r in top.reasons} >= {"occupation", "skills", "education_ok"}


def test_hidden_seekers_and_closed_postings_are_filtered(pool: list[SeekerProfile]) -> None:
    rows = rank_seekers_for_posting(POSTING, pool, k=10)
    assert "s3" not in {r.id for r in rows}
    assert len(rows) == 5
    closed = PostingProfile(id="c", open=False)
    full = PostingProfile(id="f", slots_left=0)
    assert rank_seekers_for_posting(closed, pool) == []
    assert rank_seekers_for_posting(full, pool) == []
    seeker = pool[0]
    got = rank_postings_for_seeker(seeker, [POSTING, closed, full, PostingProfile(id="o")])
    assert {r.id for r in got} == {"p1", "o"}


def test_ineligible_never_first(pool: list[SeekerProfile]) -> None:
    def check(seeker: SeekerProfile) -> tuple[bool, str]:
        return (seeker.id != "s0", "毕业超过两年")

    rows = Ranker().rank_seekers_for_posting(POSTING, pool, k=3, eligibility=check)
    assert "s0" not in {r.id for r in rows}
    marked = Ranker().rank_seekers_for_posting(
        POSTING, pool, k=3, eligibility=check, mark_ineligible=True
    )
    assert marked[0].id != "s0" and marked[0].eligible
    assert marked[-1].id == "s0" and not marked[-1].eligible
    assert "不符合条件: 毕业超过两年" in marked[-1].reasons_text("zh")
    assert all(r.eligible for r in marked[:-1])


def test_priority_boost_flagged_when_it_changes_order(pool: list[SeekerProfile]) -> None:
    plain = Ranker(priority_boost=0.0).rank_seekers_for_posting(POSTING, pool, k=5)
    boosted = Ranker(priority_boost=0.3).rank_seekers_for_posting(POSTING, pool, k=5)
    assert [r.id for r in plain].index("s4") > 0
    assert boosted[0].id == "s4"
    assert boosted[0].boosted
    assert boosted[0].rank_without_boost == [r.id for r in plain].index("s4") + 1
    assert not any(r.boosted for r in plain)
    assert not any(
        r.boosted for r in Ranker(priority_boost=0.3).rank_seekers_for_posting(JOB, pool)
    )
    only_other = Ranker(priority_boost=0.3, priority_groups=["veteran"])
    assert not any(r.boosted for r in only_other.rank_seekers_for_posting(POSTING, pool))


def test_exposure_cap() -> None:
    lists = {
        "a": [("x", 0.9), ("y", 0.8), ("z", 0.7)],
        "b": [("x", 0.95), ("y", 0.5), ("w", 0.4)],
        "c": [("x", 0.6), ("z", 0.5), ("w", 0.3)],
    }
    capped = cap_exposure(lists, k=2, max_lists=1)
    counts: dict[str, int] = {}
    for ranked in capped.values():
        for sid, _ in ranked:
            counts[sid] = counts.get(sid, 0) + 1
    assert max(counts.values()) == 1
    assert capped["b"][0][0] == "x"
    assert all(len(v) <= 2 for v in capped.values())
    assert cap_exposure(lists, k=2, max_lists=3) == {p: r[:2] for p, r in lists.items()}


def test_batch_matches_single_and_caps_exposure(pool: list[SeekerProfile]) -> None:
    index = SeekerIndex.build(pool)
    postings = [
        POSTING,
        PostingProfile(id="p2", title="厨师", text="川菜 厨师", occupation_code="4-03-02-01"),
        PostingProfile(id="p3", title="测试", text="Python 测试", district="500156"),
    ]
    ranker = Ranker()
    batch = ranker.top_seekers_for_postings(postings, index, k=3, chunk=2)
    for posting in postings:
        single = ranker.rank_seekers_for_posting(posting, index, 3)
        assert [sid for sid, _ in batch[posting.id]] == [r.id for r in single]
    capped = ranker.top_seekers_for_postings(postings, index, k=3, max_lists=1)
    ids = [sid for ranked in capped.values() for sid, _ in ranked]
    assert len(ids) == len(set(ids))


def test_postings_for_seeker_with_index(pool: list[SeekerProfile]) -> None:
    postings = [
        POSTING,
        PostingProfile(id="cook", title="厨师", text="川菜", occupation_code="4-03-02-01"),
    ]
    index = PostingIndex.build(postings)
    rows = rank_postings_for_seeker(pool[2], index, k=2)
    assert rows[0].id == "cook"
    assert rows[0].reasons_text("en").startswith("Occupation: same occupation")


def synthetic_history(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    true = np.array([2.0, 3.0, 1.5, 0.0, 0.0, 1.0, 0.5, 0.0])
    X = rng.random((4000, len(FEATURES)))
    logits = X @ true - true.sum() / 2
    y = (rng.random(4000) < 1 / (1 + np.exp(-logits))).astype(int)
    groups = np.repeat(np.arange(200), 20)
    return X, y, groups, true


def test_default_model_and_learned_weights() -> None:
    default = Ranker()
    assert default.model_version == DEFAULT_VERSION
    assert default.weight_vector() == pytest.approx([DEFAULT_WEIGHTS[f] for f in FEATURES])
    X, y, _, true = synthetic_history(0)
    fitted = Ranker(C=100.0, random_state=0).fit(X, y)
    assert fitted.model_version.startswith("lr-")
    np.testing.assert_allclose(fitted.coef_, true, atol=0.35)
    assert fitted.predict_proba(X[:3]).shape == (3, 2)


def test_training_matrix_matches_ranking_features(pool: list[SeekerProfile]) -> None:
    encoder = TextEncoder().fit([s.text for s in pool])
    context = FeatureContext.default()
    X = training_matrix([(POSTING, pool[0]), (POSTING, pool[2])], encoder, context)
    row = Ranker().rank_seekers_for_posting(POSTING, SeekerIndex.build(pool, encoder=encoder), 1)[0]
    assert X[0] == pytest.approx([row.features[f] for f in FEATURES], abs=1e-6)
    assert X[1][1] == 0.0


def test_ranking_modules_import_no_web_framework() -> None:
    code = (
        "import sys, matching.ranker, matching.index, matching.features, matching.skills;"
        "bad = {'flask', 'sqlalchemy', 'marshmallow', 'app'} & set(sys.modules);"
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_batch_shortlist_bound_is_exact() -> None:
    rng = np.random.default_rng(3)
    words = ["软件", "测试", "Python", "厨师", "川菜", "仓库", "叉车", "会计", "护理", "焊接"]
    occupations = [f"{a}-0{b}-0{c}-01" for a in (2, 4) for b in (1, 2) for c in (1, 2, 3)]
    seekers = [
        person(
            i,
            text=" ".join(rng.choice(words, 4)),
            desired_occupations=[occupations[i % len(occupations)]],
            skills=list(rng.choice(["python", "sql", "excel", "cooking"], 2)),
            education=["bachelor", "senior_high", None][i % 3],
            district=["500156", "500102", "500101"][i % 3],
            expected_salary=int(rng.integers(20, 90)) * 100,
            priority_groups=["disabled"] if i % 7 == 0 else [],
            visible=i % 11 != 0,
        )
        for i in range(300)
    ]
    postings = [
        replace(
            POSTING,
            id=f"p{j}",
            kind=["traineeship", "job"][j % 2],
            text=" ".join(rng.choice(words, 3)),
            occupation_code=occupations[j % len(occupations)],
            salary_max=int(rng.integers(30, 80)) * 100,
        )
        for j in range(40)
    ]
    index = SeekerIndex.build(seekers)
    # A heavy occupation weight separates the shortlist from the rest, so most postings
    # are settled by the bound; the others are scored in full.
    ranker = Ranker(weights={"occupation": 1.0})
    full = ranker.top_seekers_for_postings(postings, index, k=10, shortlist=10_000)
    for shortlist in (10, 40):
        assert ranker.top_seekers_for_postings(postings, index, k=10, shortlist=shortlist) == full
    for posting in postings[:5]:
        single = ranker.rank_seekers_for_posting(posting, index, 10)
        assert [sid for sid, _ in full[posting.id]] == [r.id for r in single]


def test_occupation_reason_names_carry_no_catalogue_marker() -> None:
    """The catalogue marks digital/green occupations with S/L; reasons show the plain name."""
    logistics = replace(POSTING, occupation_code="4-02-06-03", title="物流专员")
    seeker = person(9, desired_occupations=["4-02-06-03"])
    ranked = rank_seekers_for_posting(logistics, [seeker], k=1)
    occupation = next(r for r in ranked[0].reasons if r.code == "occupation")
    assert occupation.params["name"] == "物流服务师"


def test_below_minimum_education_never_ranked_above_who_meets_it() -> None:
    bachelor_post = replace(JOB, id="b", min_education="bachelor")
    strong_but_below = person(0, education="junior_high")
    weak_but_meets = person(
        1, text="厨师 川菜", desired_occupations=["4-03-02-01"], skills=[], district="500101"
    )
    unknown = person(2, education=None, text="厨师", desired_occupations=[], skills=[])
    seekers = [strong_but_below, weak_but_meets, unknown]
    index = SeekerIndex.build(seekers)
    for ranker in (Ranker(), Ranker(weights={"education": -1.0, "occupation": 2.0})):
        rows = ranker.rank_seekers_for_posting(bachelor_post, index, k=3)
        assert [r.id for r in rows][-1] == "s0"
        assert [r.meets_education for r in rows] == [True, True, False]
        assert "学历低于要求 (本科)" in rows[-1].reasons_text("zh")
        assert rows[-1].score == pytest.approx(sum(rows[-1].parts.values()))
        batch = ranker.top_seekers_for_postings([bachelor_post], index, k=3)["b"]
        assert [sid for sid, _ in batch] == [r.id for r in rows]
        assert batch[-1][1] == pytest.approx(rows[-1].score, abs=1e-5)
        left_out = ranker.rank_seekers_for_posting(
            bachelor_post, index, k=3, below_education="exclude"
        )
        assert [r.id for r in left_out] == [r.id for r in rows[:-1]]
        assert "s0" not in dict(
            ranker.top_seekers_for_postings([bachelor_post], index, 3, below_education="exclude")[
                "b"
            ]
        )
    open_post = replace(JOB, id="o", min_education=None, text="仓库", occupation_code=None)
    for_seeker = rank_postings_for_seeker(strong_but_below, [bachelor_post, open_post], k=2)
    assert [(r.id, r.meets_education) for r in for_seeker] == [("o", True), ("b", False)]
