from datetime import date

import numpy as np
import pytest

from matching.features import (
    FEATURES,
    DenseParts,
    FeatureContext,
    encode_postings,
    encode_seekers,
    feature_matrix,
    linear_scores,
    occupation_keys,
)
from matching.index import TextEncoder
from matching.profiles import PostingProfile, SeekerProfile


@pytest.fixture(scope="module")
def context() -> FeatureContext:
    return FeatureContext.default()


def features(
    context: FeatureContext, posting: PostingProfile, seekers: list[SeekerProfile]
) -> list[dict[str, float]]:
    encoder = TextEncoder().fit([posting.text] + [s.text for s in seekers])
    q = encoder.transform([posting.text])
    pb = encode_postings([posting], q, context)
    sb = encode_seekers(seekers, encoder.transform(s.text for s in seekers), context)
    values = feature_matrix(pb, sb, (q @ sb.text_t).toarray())[0]
    return [dict(zip(FEATURES, (float(v) for v in row), strict=True)) for row in values]


POSTING = PostingProfile(
    id="p",
    title="软件测试员",
    text="软件测试 Python",
    occupation_code="2-02-10-03",
    skills=["Python", "SQL", "Linux", "Excel"],
    min_education="junior_college",
    majors=["计算机"],
    district="500156",
    salary_min=5000,
    salary_max=8000,
    start=date(2024, 3, 1),
)


def test_occupation_keys_stop_at_coarse_levels() -> None:
    assert occupation_keys("2-02-10-03") == ["o:2-02", "o:2-02-10", "o:2-02-10-03"]
    assert occupation_keys("2-02-00-00") == ["o:2-02"]
    assert occupation_keys(None) == []


def test_values_on_hand_built_pairs(context: FeatureContext) -> None:
    fits = SeekerProfile(
        id="fits",
        text="软件测试 Python",
        desired_occupations=["4-01-02-01", "2-02-10-03"],
        skills=["python3", "sql", "excel表格"],
        education="bachelor",
        major="计算机科学与技术",
        district="500156",
        expected_salary=6000,
        available_from=date(2024, 2, 1),
    )
    near = SeekerProfile(
        id="near",
        text="厨师",
        desired_occupations=["2-02-10-99"],
        skills=["java"],
        education="senior_high",
        major="烹饪",
        district="500102",
        expected_salary=10000,
        available_from=date(2024, 3, 31),
    )
    unknown = SeekerProfile(id="unknown")
    a, b, c = features(context, POSTING, [fits, near, unknown])
    assert a == pytest.approx(
        dict(
            text=1.0,
            occupation=1.0,
            skills=0.75,
            education=1.0,
            major=1.0,
            district=1.0,
            salary=1.0,
            availability=1.0,
        ),
        abs=1e-5,
    )
    # 涪陵 (500102) borders 武隆 (500156); 10000 is 25 % over 8000; 30 days late.
    assert b == pytest.approx(
        dict(
            text=0.0,
            occupation=2 / 3,
            skills=0.0,
            education=0.0,
            major=0.0,
            district=0.5,
            salary=0.5,
            availability=0.5,
        ),
        abs=1e-5,
    )
    assert c["occupation"] == 0.0
    assert c["education"] == c["major"] == c["district"] == c["salary"] == 0.5
    assert c["availability"] == 1.0


def test_missing_requirements_are_neutral_or_met(context: FeatureContext) -> None:
    bare = PostingProfile(id="bare", text="招聘")
    seeker = SeekerProfile(id="s", skills=["python"], education="junior_high", major="x")
    (row,) = features(context, bare, [seeker])
    assert row["skills"] == 0.5
    assert row["education"] == 1.0
    assert row["major"] == 1.0
    assert row["district"] == 0.5


def test_desired_district_and_reverse_major_containment(context: FeatureContext) -> None:
    posting = PostingProfile(id="p", district="500103", majors=["计算机科学与技术"])
    seeker = SeekerProfile(id="s", district="500101", desired_districts=["500103"], major="计算机")
    (row,) = features(context, posting, [seeker])
    assert row["district"] == 1.0
    assert row["major"] == 1.0


def test_batch_of_postings_matches_one_at_a_time(context: FeatureContext) -> None:
    rng = np.random.default_rng(0)
    seekers = [
        SeekerProfile(
            id=str(i),
            text=f"文本 {i}",
            skills=["python", "sql", "excel"][: i % 4],
            education=["bachelor", None, "senior_high"][i % 3],
            district=["500156", "500102", None][i % 3],
            expected_salary=int(rng.integers(3000, 12000)),
        )
        for i in range(12)
    ]
    postings = [POSTING, PostingProfile(id="q", text="厨师", district="500101", salary_max=4000)]
    encoder = TextEncoder().fit([s.text for s in seekers])
    q = encoder.transform(p.text for p in postings)
    pb = encode_postings(postings, q, context)
    sb = encode_seekers(seekers, encoder.transform(s.text for s in seekers), context)
    both = feature_matrix(pb, sb, (q @ sb.text_t).toarray())
    for j in range(len(postings)):
        one = pb.take(np.array([j]))
        single = feature_matrix(one, sb, (one.text @ sb.text_t).toarray())
        np.testing.assert_allclose(both[j], single[0])


def test_linear_scores_equal_weighted_features(context: FeatureContext) -> None:
    rng = np.random.default_rng(1)
    seekers = [
        SeekerProfile(
            id=str(i),
            text=["软件测试 Python", "厨师", "会计 出纳"][i % 3],
            desired_occupations=[["2-02-10-03"], ["2-02-10-01"], []][i % 3],
            skills=["python", "sql", "excel"][: i % 4],
            education=["bachelor", None, "senior_high"][i % 3],
            major=["计算机科学与技术", None][i % 2],
            district=["500156", "500102", None][i % 3],
            expected_salary=int(rng.integers(3000, 12000)) if i % 4 else None,
            available_from=date(2024, 3, 1 + i) if i % 5 else None,
        )
        for i in range(15)
    ]
    postings = [POSTING, PostingProfile(id="q", text="厨师", district="500101", salary_max=4000)]
    encoder = TextEncoder().fit([s.text for s in seekers])
    q = encoder.transform(p.text for p in postings)
    pb = encode_postings(postings, q, context)
    sb = encode_seekers(seekers, encoder.transform(s.text for s in seekers), context)
    weights = rng.random(len(FEATURES))
    text = q @ sb.text_t
    expected = feature_matrix(pb, sb, text.toarray()) @ weights
    np.testing.assert_allclose(linear_scores(pb, sb, weights), expected, atol=1e-5)
    # One seeker against many postings: the category table has one column, the scores agree.
    one = sb.take(np.array([4]))
    parts = DenseParts(pb, one, weights)
    assert parts.table.shape == (len(postings), 1)
    np.testing.assert_allclose(linear_scores(pb, one, weights), expected[:, [4]], atol=1e-5)
