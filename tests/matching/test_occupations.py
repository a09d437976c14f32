import csv
import pickle
from pathlib import Path

import pytest

from matching.occupations import (
    OccupationCoder,
    clean_title,
    cross_validate,
    leaf_codes,
    leaf_nodes,
    load_catalogue,
    read_testcases,
    strip_marker,
)

REFERENCE = Path(__file__).resolve().parents[2] / "seed" / "reference"
CSCO = REFERENCE / "csco22.csv"
TESTCASES = REFERENCE / "testcases.csv"


@pytest.fixture(scope="module")
def coder() -> OccupationCoder:
    titles, codes = read_testcases(TESTCASES)
    pairs = list(zip(titles, codes, strict=True))[::6]
    return OccupationCoder.from_csv(CSCO, training_titles=pairs)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("金房物业招聘保安", "保安"),
        ("月入8k保安包吃住", "保安"),
        ("重庆渝北区急招电工5000-8000元", "电工"),
        ("诚聘 软件测试员 8K 双休", "软件测试员"),
        ("财务助理（双休+五险一金）", "财务助理"),
        ("【急聘】ＣＡＤ制图员", "cad制图员"),
        ("资深招聘专员", "资深招聘专员"),
        ("🔥行政人事文员", "行政人事文员"),
    ],
)
def test_clean_title_strips_noise(raw: str, expected: str) -> None:
    assert clean_title(raw) == expected


def test_strip_marker_drops_digital_and_green_flags() -> None:
    assert strip_marker("计算机软件工程技术人员S") == "计算机软件工程技术人员"
    assert strip_marker("物流工程技术人员L/S") == "物流工程技术人员"
    assert strip_marker("保安员") == "保安员"


def test_catalogue_has_every_node() -> None:
    nodes = load_catalogue(CSCO)
    assert len(nodes) == 2051
    assert sum(n.level == 4 for n in nodes) == 1634


def test_leaves_are_the_nodes_without_children() -> None:
    leaves = {n.code for n in leaf_nodes(load_catalogue(CSCO))}
    assert {"2-08-99-00", "2-08-03-00", "4-99-00-00", "8-00-00-00"} <= leaves
    assert not {"2-08-02-00", "6-20-03-00", "2-08-00-00", "8"} & leaves
    assert len(leaves) == 1695
    assert leaf_codes(["2-08-00-00", "2-08-99-00", "2-08-02-00", "2-08-02-01"]) == {
        "2-08-99-00",
        "2-08-02-01",
    }


def test_other_groups_are_learned_from_labelled_titles() -> None:
    pairs = [("美术老师", "2-08-99-00"), ("书法老师", "2-08-99-00"), ("舞蹈老师", "2-08-99-00")]
    coder = OccupationCoder.from_csv(CSCO, training_titles=pairs * 3)
    assert coder.predict(["硬笔书法老师"]) == ["2-08-99-00"]


@pytest.mark.parametrize(
    ("title", "prefix"),
    [
        ("金房物业招聘保安", "4-07-05"),
        ("软件测试员", "4-04-05"),
        ("餐厅服务员包吃住", "4-03-02"),
        ("电工", "6-31-01"),
    ],
)
def test_predict_gives_plausible_codes(coder: OccupationCoder, title: str, prefix: str) -> None:
    assert coder.predict([title])[0].startswith(prefix)


def test_predict_topk_shape_and_order(coder: OccupationCoder) -> None:
    titles = ["保安", "汽修学徒工", "", "保安"]
    top = coder.predict_topk(titles, k=5)
    assert len(top) == len(titles)
    for row in top:
        assert len(row) == 5
        scores = [s for _, s in row]
        assert scores == sorted(scores, reverse=True)
        assert len({c for c, _ in row}) == 5
    assert top[0] == top[3]
    assert [row[0][0] for row in top] == coder.predict(titles)


def test_coder_survives_pickling(coder: OccupationCoder) -> None:
    titles = ["保安", "高中雅思老师", "汽修学徒工"]
    assert pickle.loads(pickle.dumps(coder)).predict(titles) == coder.predict(titles)


def test_coder_without_training_titles_uses_catalogue() -> None:
    plain = OccupationCoder.from_csv(CSCO)
    assert plain.predict(["保安员"]) == ["4-07-05-01"]


def test_cross_validate_returns_out_of_fold_codes(tmp_path: Path) -> None:
    titles, codes = read_testcases(TESTCASES)
    subset = tmp_path / "testcases.csv"
    with open(subset, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["job_name", "expected_code", "expected_name"])
        writer.writerows([t, c, ""] for t, c in list(zip(titles, codes, strict=True))[::40])
    result = cross_validate(CSCO, subset, folds=2, random_state=0)
    assert len(result["predicted"]) == len(titles[::40])
    assert all(result["predicted"])
    assert set(result["accuracy"]) == {"中类", "小类", "细类"}
    assert result["accuracy"]["中类"] >= result["accuracy"]["细类"]
    half = cross_validate(CSCO, subset, folds=2, random_state=0, train_fraction=0.5)
    assert half["training_titles"] == round(result["training_titles"] / 2)
    assert half["predicted"] != result["predicted"]
    with pytest.raises(ValueError, match="train_fraction"):
        cross_validate(CSCO, subset, folds=2, train_fraction=0)
